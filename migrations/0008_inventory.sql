-- Equipment, issue 5: the catalogue gets a printed code and a version for
-- edits; the ledger keeps each movement's quantity beside its effect on stock,
-- and the team a loan or return belongs to.

ALTER TABLE items ADD COLUMN code TEXT;                        -- QR or number printed on the item type
ALTER TABLE items ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE items ADD COLUMN updated_at TEXT;
CREATE UNIQUE INDEX items_code ON items(code) WHERE code IS NOT NULL;

-- Rebuilt rather than altered, for the checks. Nothing references the ledger.
--   qty:   how many the movement concerns (for `adjusted`: the count found)
--   delta: its effect on stock on hand. A tool lost or damaged while out with a
--          team, or a consumable used up there, has delta 0: it left the stock
--          when it was lent.
CREATE TABLE item_ledger_new (
    id        INTEGER PRIMARY KEY,
    item_id   INTEGER NOT NULL REFERENCES items(id),
    movement  TEXT    NOT NULL CHECK (movement IN ('received', 'lent', 'returned', 'lost', 'damaged', 'consumed', 'adjusted')),
    qty       INTEGER NOT NULL CHECK (qty >= 0),
    delta     INTEGER NOT NULL,
    team_id   INTEGER,                                     -- loans and returns; teams arrive in 0009
    team_no   TEXT,                                        -- T-012, as called out that day
    note      TEXT,
    at        TEXT    NOT NULL,
    event_seq INTEGER NOT NULL REFERENCES events(seq),
    CHECK (movement = 'adjusted' OR qty > 0),
    CHECK ((team_id IS NULL) = (team_no IS NULL)),
    CHECK (movement NOT IN ('lent', 'returned') OR team_id IS NOT NULL)
);
INSERT INTO item_ledger_new (id, item_id, movement, qty, delta, note, at, event_seq)
    SELECT id, item_id, movement, CASE WHEN movement = 'adjusted' THEN 0 ELSE abs(delta) END, delta, note, at, event_seq
    FROM item_ledger;
DROP TABLE item_ledger;
ALTER TABLE item_ledger_new RENAME TO item_ledger;
CREATE INDEX item_ledger_item ON item_ledger(item_id);
CREATE INDEX item_ledger_team ON item_ledger(team_id, item_id) WHERE team_id IS NOT NULL;

-- The last guard of "stock on hand never goes negative": the domain checks
-- first and answers 409; this only stops a bug from storing it.
CREATE TRIGGER item_ledger_stock_not_negative AFTER INSERT ON item_ledger
WHEN (SELECT SUM(delta) FROM item_ledger WHERE item_id = NEW.item_id) < 0
BEGIN
    SELECT RAISE(ABORT, 'stock on hand would go negative');
END;

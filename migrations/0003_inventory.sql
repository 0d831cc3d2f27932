-- Equipment catalogue (資機材). Stock on hand is never stored: it is the sum of the ledger.
CREATE TABLE items (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL UNIQUE,
    kind                TEXT NOT NULL CHECK (kind IN ('durable', 'consumable')),
    unit                TEXT NOT NULL,
    source              TEXT NOT NULL CHECK (source IN ('purchased', 'borrowed', 'rented', 'donated')),
    owner               TEXT,
    low_stock_threshold INTEGER NOT NULL DEFAULT 0 CHECK (low_stock_threshold >= 0),
    created_at          TEXT NOT NULL
);

-- Every movement of stock is a row: received, lent, returned, lost, damaged, consumed, adjusted.
CREATE TABLE item_ledger (
    id        INTEGER PRIMARY KEY,
    item_id   INTEGER NOT NULL REFERENCES items(id),
    movement  TEXT NOT NULL CHECK (movement IN ('received', 'lent', 'returned', 'lost', 'damaged', 'consumed', 'adjusted')),
    delta     INTEGER NOT NULL,
    note      TEXT,
    at        TEXT NOT NULL,
    event_seq INTEGER NOT NULL REFERENCES events(seq)
);
CREATE INDEX item_ledger_item ON item_ledger(item_id);

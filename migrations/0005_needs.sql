-- ニーズ受付票: a household's request, from intake to done. Requester name, phone
-- and exact address are personal data: they never leave this table except to
-- coordinators and admins (events carry numbers, zone, categories and status).
CREATE TABLE needs (
    id                 INTEGER PRIMARY KEY,
    number             INTEGER NOT NULL UNIQUE,            -- shown as N-0001
    status             TEXT    NOT NULL CHECK (status IN
                           ('received', 'surveying', 'waiting', 'active', 'continuing', 'done', 'cancelled')),
    version            INTEGER NOT NULL DEFAULT 1,
    received_via       TEXT    NOT NULL CHECK (received_via IN ('phone', 'counter', 'visit', 'posting')),
    received_at        TEXT    NOT NULL,                   -- RFC 3339
    requester_name     TEXT    NOT NULL,
    requester_furigana TEXT    NOT NULL DEFAULT '',
    phone              TEXT    NOT NULL DEFAULT '',
    phone_key          TEXT    NOT NULL DEFAULT '',        -- digits only, domestic form
    address            TEXT    NOT NULL,                   -- free text, as told
    address_key        TEXT    NOT NULL,                   -- normalised, for duplicates and suggestions
    town               TEXT    NOT NULL DEFAULT '',        -- 町丁目
    lat                REAL    CHECK (lat IS NULL OR lat BETWEEN -90 AND 90),
    lon                REAL    CHECK (lon IS NULL OR lon BETWEEN -180 AND 180),
    zone               TEXT,                               -- zone name; NULL: zone unknown
    zone_source        TEXT    CHECK (zone_source IN ('pin', 'address', 'chosen')),
    elderly_only       INTEGER NOT NULL DEFAULT 0,         -- 高齢者のみ世帯
    needs_care         INTEGER NOT NULL DEFAULT 0,         -- 要配慮者
    household_notes    TEXT    NOT NULL DEFAULT '',
    damage             TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(damage)),
    categories         TEXT    NOT NULL CHECK (json_valid(categories) AND json_array_length(categories) > 0),
    people_needed      INTEGER NOT NULL CHECK (people_needed >= 1),
    days_estimated     INTEGER NOT NULL CHECK (days_estimated >= 1),
    equipment          TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(equipment)),
    parking            TEXT    NOT NULL CHECK (parking IN ('yes', 'no', 'unknown')),
    photos_allowed     INTEGER NOT NULL DEFAULT 0,
    priority           INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 3),
    notes              TEXT    NOT NULL DEFAULT '',
    survey             TEXT    CHECK (survey IS NULL OR json_valid(survey)),  -- 現地調査 result
    duplicate_of       INTEGER REFERENCES needs(id),
    status_reason      TEXT    NOT NULL DEFAULT '',        -- why it was last cancelled or reopened
    updated_at         TEXT    NOT NULL,
    CHECK ((lat IS NULL) = (lon IS NULL))
);
-- The list: open first by priority, then oldest first; also the board's counts.
CREATE INDEX needs_queue ON needs(status, priority, received_at);
CREATE INDEX needs_zone ON needs(zone, status);
CREATE INDEX needs_phone ON needs(phone_key) WHERE phone_key <> '';
CREATE INDEX needs_address ON needs(address_key);
CREATE INDEX needs_position ON needs(lat, lon) WHERE lat IS NOT NULL;

-- ボランティア受付票: one row per person, or per group registered by its representative.
CREATE TABLE volunteers (
    id                INTEGER PRIMARY KEY,
    number            INTEGER NOT NULL UNIQUE,          -- shown as V-0001
    qr_token          TEXT    NOT NULL UNIQUE,          -- random, unguessable; printed as QR
    name              TEXT    NOT NULL,
    furigana          TEXT    NOT NULL,                 -- katakana, as written (normalised)
    name_key          TEXT    NOT NULL,                 -- name without spaces, for search and twins
    furigana_key      TEXT    NOT NULL,                 -- furigana without spaces
    birth_date        TEXT    NOT NULL,                 -- YYYY-MM-DD
    gender            TEXT    CHECK (gender IN ('female', 'male', 'other')),
    phone             TEXT    NOT NULL,                 -- as written
    phone_key         TEXT    NOT NULL,                 -- digits only, domestic form (090…)
    email             TEXT,
    address           TEXT    NOT NULL,                 -- prefecture and city are enough
    emergency_name    TEXT    NOT NULL,
    emergency_phone   TEXT    NOT NULL,
    kind              TEXT    NOT NULL CHECK (kind IN ('individual', 'group')),
    group_name        TEXT,
    group_size        INTEGER CHECK (group_size IS NULL OR group_size >= 1),
    group_id          INTEGER REFERENCES volunteers(id), -- a named member's group representative
    skills            TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(skills)),
    vehicle           TEXT,
    insurance         TEXT    NOT NULL CHECK (insurance IN ('enrolled', 'none')),
    experience_count  INTEGER NOT NULL DEFAULT 0 CHECK (experience_count >= 0),
    guardian_consent  INTEGER NOT NULL DEFAULT 0,       -- 保護者同意, for minors
    guardian_name     TEXT,
    source            TEXT    NOT NULL CHECK (source IN ('pre_registration', 'walk_in')),
    created_at        TEXT    NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX volunteers_furigana ON volunteers(furigana_key);
CREATE INDEX volunteers_name ON volunteers(name_key);
CREATE INDEX volunteers_phone ON volunteers(phone_key);
CREATE INDEX volunteers_group ON volunteers(group_id);

-- Days a pre-registered volunteer (or group) means to come: what the daily capacity counts.
CREATE TABLE volunteer_days (
    volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
    day          TEXT    NOT NULL,
    headcount    INTEGER NOT NULL CHECK (headcount >= 0),  -- 0 for a named member: the group booked them
    PRIMARY KEY (volunteer_id, day)
);
CREATE INDEX volunteer_days_day ON volunteer_days(day);

-- 受入上限: pre-registration for a day closes once this many people are booked.
CREATE TABLE daily_capacity (
    day      TEXT PRIMARY KEY,
    capacity INTEGER NOT NULL CHECK (capacity >= 0)
);

-- 受付: one check-in per volunteer per activity day.
CREATE TABLE checkins (
    id                 INTEGER PRIMARY KEY,
    volunteer_id       INTEGER NOT NULL REFERENCES volunteers(id),
    day                TEXT    NOT NULL,
    checked_in_at      TEXT    NOT NULL,
    checked_out_at     TEXT,
    minutes            INTEGER,                          -- activity time, set at check-out
    headcount          INTEGER NOT NULL CHECK (headcount >= 1),
    insurance          TEXT    NOT NULL CHECK (insurance IN ('enrolled', 'enrolled_at_desk', 'none')),
    insurance_plan     TEXT,
    insurance_fee_yen  INTEGER CHECK (insurance_fee_yen IS NULL OR insurance_fee_yen >= 0),
    health_note        TEXT,
    method             TEXT    NOT NULL CHECK (method IN ('qr', 'number', 'search')),
    UNIQUE (volunteer_id, day)
);
CREATE INDEX checkins_day ON checkins(day);

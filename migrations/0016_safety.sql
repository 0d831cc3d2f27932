-- Safety on the day: 暑さ指数 (WBGT) readings and weather warnings with the
-- coordinator's decision. Projections of `wbgt.recorded`, `alert.raised`, `alert.decided`.
CREATE TABLE wbgt_readings (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    at TEXT NOT NULL,
    wbgt REAL NOT NULL
);
CREATE INDEX wbgt_readings_by_day ON wbgt_readings (day, at);

CREATE TABLE safety_alerts (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    at TEXT NOT NULL,
    -- heat (a WBGT prompt), heavy_rain, thunder, aftershock
    kind TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    -- open until decided: suspend or continue
    decision TEXT CHECK (decision IN ('suspend', 'continue')),
    reason TEXT NOT NULL DEFAULT '',
    decided_at TEXT
);
CREATE INDEX safety_alerts_open ON safety_alerts (decision, day);

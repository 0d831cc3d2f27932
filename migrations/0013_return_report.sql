-- 活動報告 (the paper's return report): how many came back, 「全員無事」, and
-- the injury's details beside its description. NULL on teams back before
-- they were asked.
ALTER TABLE teams ADD COLUMN back INTEGER CHECK (back IS NULL OR back >= 0);
ALTER TABLE teams ADD COLUMN all_safe INTEGER;
ALTER TABLE teams ADD COLUMN injured INTEGER CHECK (injured IS NULL OR injured >= 0);
ALTER TABLE teams ADD COLUMN injury_severity TEXT
    CHECK (injury_severity IS NULL OR injury_severity IN ('first_aid', 'clinic', 'ambulance', 'no_injury'));

-- Fewer back than left: an alert on the board until a coordinator says what was found.
CREATE TABLE headcount_alerts (
    team_id     INTEGER PRIMARY KEY REFERENCES teams(id),
    left_count  INTEGER NOT NULL,
    back_count  INTEGER NOT NULL CHECK (back_count >= 0 AND back_count < left_count),
    raised_at   TEXT    NOT NULL,
    resolved_at TEXT,
    resolved_by TEXT,
    finding     TEXT,
    CHECK ((resolved_at IS NULL) = (finding IS NULL))
);
CREATE INDEX headcount_alerts_open ON headcount_alerts(raised_at) WHERE resolved_at IS NULL;

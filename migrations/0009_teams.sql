-- 班: a team formed for one need (or for a zone: 地区派遣) on one activity day.
CREATE TABLE teams (
    id                  INTEGER PRIMARY KEY,
    day                 TEXT    NOT NULL,                 -- activity day, YYYY-MM-DD
    number              INTEGER NOT NULL,                 -- T-001, restarts each day
    need_id             INTEGER REFERENCES needs(id),     -- NULL: 地区派遣
    zone                TEXT,
    requested_headcount INTEGER CHECK (requested_headcount IS NULL OR requested_headcount >= 1),
    leader_id           INTEGER NOT NULL REFERENCES volunteers(id),
    vehicle             TEXT    NOT NULL DEFAULT '',
    status              TEXT    NOT NULL CHECK (status IN ('dispatched', 'returned')),
    departed_at         TEXT    NOT NULL,
    return_by           TEXT    NOT NULL,
    overdue_flagged     INTEGER NOT NULL DEFAULT 0,       -- `team.overdue` was logged
    returned_at         TEXT,
    outcome             TEXT    CHECK (outcome IN ('done', 'continue', 'cancelled')),
    minutes             INTEGER,
    report              TEXT    NOT NULL DEFAULT '',
    injury              TEXT    NOT NULL DEFAULT '',
    version             INTEGER NOT NULL DEFAULT 1,
    UNIQUE (day, number),
    CHECK ((need_id IS NULL) <> (requested_headcount IS NULL))
);
CREATE INDEX teams_status ON teams(status, return_by);
-- One team out per need at a time: two coordinators cannot both take it.
CREATE UNIQUE INDEX teams_need_out ON teams(need_id) WHERE status = 'dispatched' AND need_id IS NOT NULL;

CREATE TABLE team_members (
    team_id      INTEGER NOT NULL REFERENCES teams(id),
    volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
    is_leader    INTEGER NOT NULL DEFAULT 0,
    headcount    INTEGER NOT NULL DEFAULT 1 CHECK (headcount >= 1),  -- a group's representative stands for the group
    out          INTEGER NOT NULL DEFAULT 1,                         -- 1 while the team is out
    PRIMARY KEY (team_id, volunteer_id)
);
-- A volunteer is on at most one team out: the database says so too.
CREATE UNIQUE INDEX team_members_out ON team_members(volunteer_id) WHERE out = 1;

-- 活動中止: the center-wide suspension (heavy rain, heat alert). One row.
CREATE TABLE center_state (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    suspended INTEGER NOT NULL DEFAULT 0,
    reason    TEXT    NOT NULL DEFAULT '',
    since     TEXT
);
INSERT INTO center_state (id) VALUES (1);

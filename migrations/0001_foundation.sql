-- The one event log: every change of state appends exactly one row here in the
-- same transaction as the change itself (see ARCHITECTURE.md).
CREATE TABLE events (
    seq     INTEGER PRIMARY KEY,          -- contiguous: rows are never deleted
    at      TEXT    NOT NULL,             -- RFC 3339 with the center's offset
    actor   TEXT    NOT NULL,             -- username, or 'system' / 'cli' / 'public'
    kind    TEXT    NOT NULL,             -- e.g. 'user.created', 'board.notice_posted'
    subject TEXT,                         -- what it is about, e.g. 'user:3', 'V-0123'
    data    TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
    drill   INTEGER NOT NULL DEFAULT 0 CHECK (drill IN (0, 1))
);
CREATE INDEX events_kind ON events(kind, seq);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'reception', 'trainer')),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    disabled_at   TEXT
);

-- Only a hash of the session token is stored: a copied database file opens no sessions.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL              -- UTC, RFC 3339
);
CREATE INDEX sessions_user ON sessions(user_id);

-- 本部からのお知らせ: short notices coordinators post to the board.
CREATE TABLE board_notices (
    id        INTEGER PRIMARY KEY,
    text      TEXT NOT NULL,
    posted_at TEXT NOT NULL,
    posted_by TEXT NOT NULL
);

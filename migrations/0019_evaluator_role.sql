-- Drills get an evaluator (評価者) beside the trainer, issue 16. SQLite cannot
-- alter a CHECK, so `users` is rebuilt; `sessions`, the one table that points
-- at it, is set aside and put back so the foreign key holds throughout.

CREATE TABLE sessions_kept AS SELECT token_hash, user_id, created_at, expires_at FROM sessions;
DROP TABLE sessions;

CREATE TABLE users_new (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'reception', 'trainer', 'evaluator')),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    disabled_at   TEXT
);
INSERT INTO users_new (id, username, display_name, role, password_hash, created_at, disabled_at)
    SELECT id, username, display_name, role, password_hash, created_at, disabled_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL              -- UTC, RFC 3339
);
CREATE INDEX sessions_user ON sessions(user_id);
INSERT INTO sessions SELECT token_hash, user_id, created_at, expires_at FROM sessions_kept;
DROP TABLE sessions_kept;

-- Idempotency keys of writes from the desks (`Idempotency-Key`). The key is
-- claimed inside the write's own transaction, so a replay can never write
-- twice; the answer is stored right after, so a replay gets the same answer.
CREATE TABLE request_keys (
    key TEXT PRIMARY KEY,
    -- SHA-256 of method, path and body: a key reused for another request is refused.
    fingerprint TEXT NOT NULL,
    -- When it was claimed (UTC, RFC 3339): rows go after two days.
    claimed_at TEXT NOT NULL,
    -- The answer; NULL while (or if) none was stored.
    status INTEGER,
    content_type TEXT,
    body BLOB
);
CREATE INDEX request_keys_claimed_at ON request_keys (claimed_at);

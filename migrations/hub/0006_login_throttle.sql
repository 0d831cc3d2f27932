-- Failed logins, counted in the database so every hub process agrees (see
-- hub::throttle). A row is written when an attempt begins (so parallel
-- guesses cannot slip past the count) and deleted when it succeeds; rows older
-- than the window are swept by the next login. No address is kept: only the
-- SHA-256 of the folded address.
CREATE TABLE hub_login_failures (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_hash bytea NOT NULL,
    -- the client's IP address, as text
    source   text NOT NULL,
    at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX hub_login_failures_key ON hub_login_failures (key_hash, at);
CREATE INDEX hub_login_failures_source ON hub_login_failures (source, at);
CREATE INDEX hub_login_failures_at ON hub_login_failures (at);

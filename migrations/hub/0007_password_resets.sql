-- Password reset links mailed on request: only the token's SHA-256 is kept;
-- good for an hour and once (hub::accounts::reset).
CREATE TABLE hub_password_resets (
    token_hash bytea PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES hub_accounts (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX hub_password_resets_account ON hub_password_resets (account_id, created_at);

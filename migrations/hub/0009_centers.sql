-- The centers the hub knows (issue 18 §1). `id` is the center's number, as
-- given by a hub admin; `key_hash` is the SHA-256 (lower-case hex) of the
-- center's sync key, which is shown once and never stored. `key_rotated_at`
-- is when the current key was issued (NULL: no usable key, a placeholder).
CREATE TABLE hub_centers (
    id             bigint PRIMARY KEY CHECK (id > 0),
    name           text NOT NULL CHECK (name <> ''),
    key_hash       text NOT NULL UNIQUE,
    key_rotated_at timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- Openings and center staff made before this table may name any number: each
-- becomes a placeholder center 「センター N」 whose key hash no key has (not 64
-- hex digits), so it cannot sync until a hub admin rotates its key.
INSERT INTO hub_centers (id, name, key_hash)
SELECT center_id, 'センター ' || center_id, 'unusable:' || md5(random()::text || clock_timestamp()::text || center_id::text)
FROM (
    SELECT center_id FROM hub_openings
    UNION
    SELECT center_id FROM hub_accounts WHERE center_id IS NOT NULL
) AS used
WHERE center_id > 0;

ALTER TABLE hub_openings
    ADD CONSTRAINT hub_openings_center FOREIGN KEY (center_id) REFERENCES hub_centers (id);
ALTER TABLE hub_accounts
    ADD CONSTRAINT hub_accounts_center FOREIGN KEY (center_id) REFERENCES hub_centers (id);

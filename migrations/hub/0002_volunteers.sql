-- Volunteers' profiles: the fields of the center's registration form
-- (validated by the same code, reception::form), plus 県内/県外, the insurance
-- plan and the privacy notice agreed to. All of it is personal data: deleting
-- the account deletes this row; the account row keeps only its role and dates.
CREATE TABLE hub_volunteers (
    account_id        bigint PRIMARY KEY REFERENCES hub_accounts (id),
    name              text NOT NULL,
    name_key          text NOT NULL,
    furigana          text NOT NULL,
    furigana_key      text NOT NULL,
    birth_date        date NOT NULL,
    gender            text,
    phone             text NOT NULL,
    phone_key         text NOT NULL,
    address           text NOT NULL,
    -- 'in' (県内) or 'out' (県外)
    residence         text NOT NULL CHECK (residence IN ('in', 'out')),
    emergency_name    text NOT NULL,
    emergency_phone   text NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('individual', 'group')),
    group_name        text,
    group_size        integer,
    skills            text[] NOT NULL DEFAULT '{}',
    vehicle           text,
    insurance         text NOT NULL CHECK (insurance IN ('enrolled', 'none')),
    -- 'basic' (基本タイプ) or 'natural_disaster' (天災タイプ), when enrolled
    insurance_plan    text,
    experience_count  integer NOT NULL DEFAULT 0,
    guardian_consent  boolean NOT NULL DEFAULT false,
    guardian_name     text,
    -- 'ja' or 'en': the language of pages and mail
    lang              text NOT NULL DEFAULT 'ja',
    privacy_version   text NOT NULL,
    privacy_agreed_at timestamptz NOT NULL DEFAULT now()
);

-- Mailed links that verify an address: only the token's SHA-256 is kept.
CREATE TABLE hub_verifications (
    token_hash bytea PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES hub_accounts (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX hub_verifications_account ON hub_verifications (account_id);

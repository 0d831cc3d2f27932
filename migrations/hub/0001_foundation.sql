-- The hub's foundation (PostgreSQL): the event log, accounts and their
-- sessions, and the mail outbox. Every hub process is stateless: what one
-- process knows, the others read here; LISTEN/NOTIFY only wakes them.

-- Every change is one or more rows here, in the change's own transaction.
-- `seq` is unique and rises with insertion, but transactions commit in any
-- order: a reader following the log orders by (tx, seq) and reads only rows of
-- transactions older than every one still running (see hub::events::follow).
CREATE TABLE hub_events (
    seq     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tx      xid8 NOT NULL DEFAULT pg_current_xact_id(),
    at      timestamptz NOT NULL DEFAULT now(),
    actor   text NOT NULL,
    kind    text NOT NULL,
    subject text,
    data    jsonb NOT NULL
);
CREATE INDEX hub_events_tx ON hub_events (tx, seq);
CREATE INDEX hub_events_kind ON hub_events (kind, seq);

-- Other hub processes hear of a change when it commits (NOTIFY is
-- transactional): the payload is `<seq> <kind>`.
CREATE FUNCTION hub_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('hub_events', NEW.seq::text || ' ' || NEW.kind);
    RETURN NULL;
END $$;
CREATE TRIGGER hub_events_notify AFTER INSERT ON hub_events
    FOR EACH ROW EXECUTE FUNCTION hub_events_notify();

-- Volunteers, center staff and hub admins log in the same way. `email_key` is
-- the address folded for comparison. A deleted account keeps its row (counts,
-- foreign keys) with every personal column cleared.
CREATE TABLE hub_accounts (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text,
    email_key     text UNIQUE,
    password_hash text,
    role          text NOT NULL CHECK (role IN ('volunteer', 'center_staff', 'hub_admin')),
    -- center_staff belong to one center (part 2 registers centers).
    center_id     bigint,
    verified_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    deleted_at    timestamptz,
    CHECK (deleted_at IS NOT NULL OR (email IS NOT NULL AND email_key IS NOT NULL AND password_hash IS NOT NULL))
);

-- Sessions live here, not in a process: any hub process answers any request.
-- Only the token's SHA-256 is stored.
CREATE TABLE hub_sessions (
    token_hash bytea PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES hub_accounts (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX hub_sessions_account ON hub_sessions (account_id);
CREATE INDEX hub_sessions_expiry ON hub_sessions (expires_at);

-- Mail is written here in the transaction of the change that causes it, and
-- sent by a worker in any hub process (rows claimed FOR UPDATE SKIP LOCKED).
-- `message_key` names the message in the hub's terms (`verify-12-1`,
-- `booked-345`): queued twice, it is stored once. `message_id` is its
-- Message-ID, unique across deployments: it is sent once per id.
CREATE TABLE hub_outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_key     text NOT NULL UNIQUE,
    message_id      text NOT NULL UNIQUE,
    kind            text NOT NULL,
    account_id      bigint REFERENCES hub_accounts (id),
    to_addr         text,
    subject         text NOT NULL,
    body_text       text NOT NULL,
    -- Inline images (a booking's QR): [{"cid", "content_type", "base64"}].
    inline_parts    jsonb NOT NULL DEFAULT '[]',
    created_at      timestamptz NOT NULL DEFAULT now(),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    attempts        integer NOT NULL DEFAULT 0,
    last_error      text,
    sent_at         timestamptz,
    failed_at       timestamptz
);
CREATE INDEX hub_outbox_due ON hub_outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

CREATE FUNCTION hub_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('hub_outbox', NEW.id::text);
    RETURN NULL;
END $$;
CREATE TRIGGER hub_outbox_notify AFTER INSERT ON hub_outbox
    FOR EACH ROW EXECUTE FUNCTION hub_outbox_notify();

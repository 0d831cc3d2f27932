-- Centers pull their bookings and push their days back (issue 18; src/sync, src/hub/sync).

-- The order centers pull changes in: (sync_tx, sync_seq), read as hub_events is
-- (only transactions older than every one still running), so a pull never skips
-- a change that commits late. A change a center sees (state, day, seats, token,
-- the opening's meeting details, the volunteer's profile) moves the row to the end.
CREATE SEQUENCE hub_booking_changes;
ALTER TABLE hub_bookings
    ADD COLUMN sync_tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
    ADD COLUMN sync_seq bigint NOT NULL DEFAULT nextval('hub_booking_changes'),
    -- Bumped by the triggers below when what the center holds of it changed elsewhere.
    ADD COLUMN touched_at timestamptz NOT NULL DEFAULT now(),
    -- From the center's reports: the person came (whatever the booking's state now).
    ADD COLUMN checked_in_at timestamptz,
    ADD COLUMN checked_in_people integer CHECK (checked_in_people IS NULL OR checked_in_people >= 0);
CREATE INDEX hub_bookings_sync ON hub_bookings (sync_tx, sync_seq);

CREATE FUNCTION hub_bookings_sync_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status OR NEW.day IS DISTINCT FROM OLD.day
       OR NEW.seats IS DISTINCT FROM OLD.seats OR NEW.qr_token IS DISTINCT FROM OLD.qr_token
       OR NEW.opening_id IS DISTINCT FROM OLD.opening_id OR NEW.touched_at IS DISTINCT FROM OLD.touched_at THEN
        NEW.sync_tx := pg_current_xact_id();
        NEW.sync_seq := nextval('hub_booking_changes');
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER hub_bookings_sync_order BEFORE UPDATE ON hub_bookings
    FOR EACH ROW EXECUTE FUNCTION hub_bookings_sync_order();

-- A changed profile or meeting detail reaches the centers holding the bookings.
CREATE FUNCTION hub_volunteers_touch_bookings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE hub_bookings SET touched_at = clock_timestamp()
     WHERE account_id = NEW.account_id AND status = 'booked';
    RETURN NULL;
END $$;
CREATE TRIGGER hub_volunteers_touch_bookings AFTER UPDATE ON hub_volunteers
    FOR EACH ROW EXECUTE FUNCTION hub_volunteers_touch_bookings();

CREATE FUNCTION hub_openings_touch_bookings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.title IS DISTINCT FROM OLD.title OR NEW.meeting_point IS DISTINCT FROM OLD.meeting_point
       OR NEW.meeting_time IS DISTINCT FROM OLD.meeting_time OR NEW.bring IS DISTINCT FROM OLD.bring
       OR NEW.day IS DISTINCT FROM OLD.day THEN
        UPDATE hub_bookings SET touched_at = clock_timestamp() WHERE opening_id = NEW.id AND status = 'booked';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER hub_openings_touch_bookings AFTER UPDATE ON hub_openings
    FOR EACH ROW EXECUTE FUNCTION hub_openings_touch_bookings();

-- Every report a center sent, by its batch id: applied once.
CREATE TABLE hub_sync_batches (
    batch_id    text PRIMARY KEY CHECK (batch_id <> ''),
    center_id   bigint NOT NULL REFERENCES hub_centers (id),
    day         date NOT NULL,
    batch_seq   bigint NOT NULL,
    arrivals    integer NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX hub_sync_batches_center ON hub_sync_batches (center_id, day);

-- A center's day as its latest report (highest batch_seq) gave it.
CREATE TABLE hub_center_days (
    center_id   bigint NOT NULL REFERENCES hub_centers (id),
    day         date NOT NULL,
    batch_seq   bigint NOT NULL,
    figures     jsonb NOT NULL,  -- src/sync/contract.rs DayFigures
    reported_at timestamptz NOT NULL,
    PRIMARY KEY (center_id, day)
);

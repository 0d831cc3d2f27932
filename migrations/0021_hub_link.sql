-- The center's side of the link to a hub (issue 18; src/hub_link owns hub_link and hub_reports).

-- Where the hub is and the center's key (never in the event log), and how the
-- link last went. One row.
CREATE TABLE hub_link (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    url             TEXT,
    key             TEXT,
    -- The pull's cursor at the hub (opaque), moved only with the page it ended.
    cursor          TEXT NOT NULL DEFAULT '',
    last_ok_at      TEXT,   -- the last sync that reached the hub and finished
    last_attempt_at TEXT,
    last_error      TEXT
);
INSERT INTO hub_link (id) VALUES (1);

-- Bookings pulled from the hub (reception's table: src/reception/booked.rs):
-- who the desk expects, on which day, and where they meet. The person is a
-- pre-registered row in volunteers, one per person however many days booked.
CREATE TABLE hub_bookings (
    booking_id    INTEGER PRIMARY KEY,               -- the hub's id: pulls are idempotent by it
    volunteer_id  INTEGER NOT NULL REFERENCES volunteers(id),
    number        TEXT    NOT NULL,                  -- H-00012
    qr_token      TEXT    NOT NULL UNIQUE,           -- in the booking mail's QR code; the desk scans it
    day           TEXT    NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN ('booked', 'released')),
    seats         INTEGER NOT NULL CHECK (seats >= 1),
    title         TEXT    NOT NULL DEFAULT '',
    meeting_point TEXT    NOT NULL DEFAULT '',
    meeting_time  TEXT    NOT NULL DEFAULT '',
    bring         TEXT    NOT NULL DEFAULT '',
    pulled_at     TEXT    NOT NULL
);
CREATE INDEX hub_bookings_volunteer ON hub_bookings(volunteer_id, day);
CREATE INDEX hub_bookings_day ON hub_bookings(day, state);

-- Reports for the hub, made and kept before they are sent, so a report cut off
-- mid-send goes again with the same batch id.
CREATE TABLE hub_reports (
    batch_seq   INTEGER PRIMARY KEY,
    batch_id    TEXT    NOT NULL UNIQUE,
    day         TEXT    NOT NULL,
    body        TEXT    NOT NULL CHECK (json_valid(body)),
    digest      TEXT    NOT NULL,                    -- of what it says, not when: an unchanged day is not sent again
    made_at     TEXT    NOT NULL,
    sent_at     TEXT                                 -- the hub acknowledged it
);
CREATE INDEX hub_reports_pending ON hub_reports(sent_at, batch_seq);
CREATE INDEX hub_reports_day ON hub_reports(day, batch_seq);

-- Openings (募集) per center and day, and the bookings on them.
-- No overbooking: a booking takes `seats` of the opening's `quota` only while
-- holding the opening's row lock (SELECT … FOR UPDATE), and the CHECK on
-- `booked_seats` refuses any commit past the quota all the same.
-- `center_id` is the center's number, as on center_staff accounts (part 2
-- registers centers; a foreign key comes with that table).
CREATE TABLE hub_openings (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    center_id           bigint NOT NULL,
    day                 date NOT NULL,
    title               text NOT NULL,
    quota               integer NOT NULL CHECK (quota > 0),
    booked_seats        integer NOT NULL DEFAULT 0,
    meeting_point       text NOT NULL,
    meeting_time        time NOT NULL,
    bring               text NOT NULL DEFAULT '',
    prefecture_only     boolean NOT NULL DEFAULT false,
    minimum_age         integer NOT NULL DEFAULT 18 CHECK (minimum_age BETWEEN 0 AND 120),
    skills_wanted       text[] NOT NULL DEFAULT '{}',
    -- Seats on a bus run, and where and when it leaves (shown; not booked apart).
    bus_seats           integer CHECK (bus_seats IS NULL OR bus_seats >= 0),
    bus_departure       text,
    -- A booking may be cancelled until this many hours before the meeting time.
    cancel_hours_before integer NOT NULL DEFAULT 24 CHECK (cancel_hours_before >= 0),
    mode                text NOT NULL CHECK (mode IN ('first_come', 'lottery')),
    lottery_closes_at   timestamptz,
    state               text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'open', 'closed', 'cancelled')),
    created_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (booked_seats BETWEEN 0 AND quota),
    CHECK (mode = 'first_come' OR lottery_closes_at IS NOT NULL)
);
CREATE INDEX hub_openings_center_day ON hub_openings (center_id, day);

-- The waitlist's order: a rising number taken under the opening's lock (or in
-- the draw's order for a lottery).
CREATE SEQUENCE hub_waitlist_order;

-- One row per booking. `status`: applied (lottery, before the draw), booked,
-- waitlisted, cancelled (by the volunteer), day_cancelled (中止).
CREATE TABLE hub_bookings (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    opening_id     bigint NOT NULL REFERENCES hub_openings (id),
    account_id     bigint NOT NULL REFERENCES hub_accounts (id),
    day            date NOT NULL,
    seats          integer NOT NULL DEFAULT 1 CHECK (seats > 0),
    status         text NOT NULL CHECK (status IN ('applied', 'booked', 'waitlisted', 'cancelled', 'day_cancelled')),
    waitlist_order bigint,
    -- As a center's registration: 32 upper-case hex digits (the desk scans it, part 2).
    qr_token       text NOT NULL UNIQUE,
    created_at     timestamptz NOT NULL DEFAULT now(),
    changed_at     timestamptz NOT NULL DEFAULT now()
);
-- One booking per volunteer per day (whatever the center), while it stands.
CREATE UNIQUE INDEX hub_bookings_one_a_day ON hub_bookings (account_id, day)
    WHERE status IN ('applied', 'booked', 'waitlisted');
CREATE INDEX hub_bookings_opening ON hub_bookings (opening_id, status, waitlist_order);
CREATE INDEX hub_bookings_account ON hub_bookings (account_id);

-- A lottery's draw, recorded so anyone can run it again: the seed and the
-- algorithm's name (see hub::booking::lottery), and the order it gave.
CREATE TABLE hub_lottery_draws (
    opening_id  bigint PRIMARY KEY REFERENCES hub_openings (id),
    seed        text NOT NULL,
    algorithm   text NOT NULL,
    -- booking ids in drawn order; the first ones up to the quota won.
    drawn_order bigint[] NOT NULL,
    drawn_at    timestamptz NOT NULL DEFAULT now()
);

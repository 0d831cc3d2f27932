//! Openings (募集) and bookings. Ids, counts and states only: never a name or an address.

hub_event! {
    /// Hub staff made an opening, as a draft (subject `opening:<id>`).
    #[kind = "opening.created"]
    pub struct OpeningCreated {
        pub opening_id: i64,
        pub center_id: i64,
        /// `YYYY-MM-DD`
        pub day: String,
        pub quota: i32,
        /// `first_come` or `lottery`
        pub mode: String,
    }
}

hub_event! {
    /// An opening changed state: `open`, `closed` or `cancelled` (中止) (subject `opening:<id>`).
    #[kind = "opening.state_changed"]
    pub struct OpeningStateChanged {
        pub opening_id: i64,
        pub from: String,
        pub to: String,
        /// Bookings the change touched (中止: everyone booked, waitlisted or applied).
        #[serde(default)]
        pub bookings_touched: i64,
    }
}

hub_event! {
    /// A volunteer booked, joined the waitlist, or applied to a lottery (subject `booking:<id>`).
    #[kind = "booking.made"]
    pub struct BookingMade {
        pub booking_id: i64,
        pub opening_id: i64,
        pub account_id: i64,
        /// `booked`, `waitlisted` or `applied`
        pub status: String,
        pub seats: i32,
    }
}

hub_event! {
    /// A volunteer cancelled their booking (subject `booking:<id>`).
    #[kind = "booking.cancelled"]
    pub struct BookingCancelled {
        pub booking_id: i64,
        pub opening_id: i64,
        pub account_id: i64,
        /// What it was: `booked`, `waitlisted` or `applied`.
        pub was: String,
    }
}

hub_event! {
    /// A waiting booking got a seat (subject `booking:<id>`).
    #[kind = "booking.promoted"]
    pub struct BookingPromoted {
        pub booking_id: i64,
        pub opening_id: i64,
        pub account_id: i64,
    }
}

hub_event! {
    /// A lottery was drawn (subject `opening:<id>`); the seed and algorithm are in `hub_lottery_draws`.
    #[kind = "lottery.drawn"]
    pub struct LotteryDrawn {
        pub opening_id: i64,
        pub seed: String,
        pub algorithm: String,
        pub applicants: i64,
        pub won: i64,
        pub waitlisted: i64,
    }
}

hub_event! {
    /// The day-before reminders for one day were queued (subject `day:<YYYY-MM-DD>`).
    #[kind = "booking.reminders_queued"]
    pub struct RemindersQueued {
        pub day: String,
        pub count: i64,
    }
}

//! The centers' sync (`hub::sync`): counts only. Never a booking's token, a
//! name, a phone number or anything else of a person.

hub_event! {
    /// A center pulled a page of booking changes (subject `center:<id>`), an
    /// empty one too: when each center last reached the hub.
    #[kind = "sync.pulled"]
    pub struct SyncPulled {
        pub center_id: i64,
        /// Bookings in the page.
        pub changes: i64,
        /// Of them, holding a seat (sent with the person's profile).
        pub booked: i64,
        /// Of them, not (cancelled, 中止, waitlisted, in a lottery): no personal data.
        pub released: i64,
    }
}

hub_event! {
    /// A center reported one activity day (subject `center:<id>`).
    #[kind = "sync.reported"]
    pub struct SyncReported {
        pub center_id: i64,
        /// `YYYY-MM-DD`
        pub day: String,
        pub batch_seq: i64,
        /// Bookings the report says checked in.
        pub arrivals: i64,
        /// `false`: the batch id had been applied before (a resend); nothing changed.
        pub applied: bool,
        /// `false`: a report with a higher `batch_seq` for the day was already in,
        /// so this one was recorded and changed nothing.
        pub current: bool,
    }
}

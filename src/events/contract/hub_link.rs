//! The link to a hub (`crate::hub_link`): configured, bookings pulled, days
//! reported. Counts only: the key, and anyone's personal data, never.

use chrono::NaiveDate;

event! {
    /// An admin (or the `--hub` flags at start) set where the hub is and the
    /// center's key; the key itself is never logged.
    #[kind = "hub_link.configured"]
    pub struct HubLinkConfigured {
        /// Empty: the link was switched off.
        pub url: String,
        pub key_set: bool,
        /// A new key replaced the one held.
        pub key_changed: bool,
    }
}

event! {
    /// Pulled bookings were taken in (one transaction of a page).
    #[kind = "hub_link.pulled"]
    pub struct HubLinkPulled {
        pub seen: i64,
        pub new: i64,
        pub changed: i64,
        pub released: i64,
        /// The cursor moved past this page.
        pub page_done: bool,
    }
}

event! {
    /// A day's report for the hub was made and kept until the hub has it.
    #[kind = "hub_link.report_made"]
    pub struct HubLinkReportMade {
        pub day: NaiveDate,
        pub batch_seq: i64,
        /// Bookings whose person came.
        pub arrivals: i64,
        /// People checked in that day.
        pub checked_in: i64,
    }
}

event! {
    /// The hub acknowledged a report.
    #[kind = "hub_link.report_sent"]
    pub struct HubLinkReportSent {
        pub day: NaiveDate,
        pub batch_seq: i64,
        /// `false`: the hub had it already (a resend after a cut).
        pub applied: bool,
        /// `false`: the hub holds a newer report of that day.
        pub current: bool,
    }
}

//! Volunteers at the desk: registration, check-in and out, insurance, capacity.
//! Numbers and categories only: names, phones and addresses stay in their tables.

use chrono::NaiveDate;
event! {
    /// A volunteer was registered (subject the volunteer number).
    #[kind = "volunteer.registered"]
    pub struct VolunteerRegistered {
        pub volunteer_id: i64,
        pub volunteer_no: String,
        /// `pre_registration` or `walk_in`.
        pub source: String,
        /// `individual` or `group`.
        pub kind: String,
        pub headcount: i64,
        /// `enrolled` or `none`.
        pub insurance: String,
        pub preferred_dates: Vec<NaiveDate>,
        /// The group's representative, for a member who gave a group number.
        pub group_id: Option<i64>,
    }
}

event! {
    /// A booking made at the hub reached the desk, changed, or was released
    /// (subject the volunteer number). Numbers only: the profile stays in the table.
    #[kind = "volunteer.booking_synced"]
    pub struct VolunteerBookingSynced {
        pub volunteer_id: i64,
        pub volunteer_no: String,
        /// The hub's booking number, `H-00012`.
        pub booking_no: String,
        pub day: NaiveDate,
        pub seats: i64,
        /// `booked` (expected on the day) or `released` (no longer).
        pub state: String,
        /// The person was not known here before: a pre-registration was made.
        pub new_volunteer: bool,
    }
}

event! {
    /// A volunteer checked in for the day (subject the volunteer number).
    #[kind = "volunteer.checked_in"]
    pub struct VolunteerCheckedIn {
        pub volunteer_id: i64,
        pub volunteer_no: String,
        pub day: NaiveDate,
        /// `individual` or `group`.
        pub kind: String,
        /// People (a group counts its members).
        pub headcount: i64,
        /// The day's insurance: `enrolled`, `enrolled_at_desk`, `none`.
        pub insurance: String,
        /// How they were found: `qr`, `number`, `search`…
        pub method: String,
        pub guardian_consent_recorded: bool,
        /// A member of a group whose representative's head count was lowered.
        pub taken_from_group_count: bool,
    }
}

event! {
    /// A volunteer checked out (subject the volunteer number).
    #[kind = "volunteer.checked_out"]
    pub struct VolunteerCheckedOut {
        pub volunteer_id: i64,
        pub volunteer_no: String,
        pub day: NaiveDate,
        /// Minutes since the check-in.
        pub minutes: i64,
        pub headcount: i64,
    }
}

event! {
    /// 受付の取消: today's check-in (or check-out) was a mistake.
    #[kind = "volunteer.check_in_cancelled"]
    pub struct VolunteerCheckInCancelled {
        pub volunteer_id: i64,
        pub volunteer_no: String,
        pub day: NaiveDate,
        pub headcount: i64,
        pub was_checked_out: bool,
    }
}

event! {
    /// Today's insurance changed at the desk.
    #[kind = "volunteer.insurance_changed"]
    pub struct VolunteerInsuranceChanged {
        pub volunteer_id: i64,
        pub volunteer_no: String,
        pub day: NaiveDate,
        /// `enrolled`, `enrolled_at_desk`, `none`.
        pub from: String,
        pub to: String,
    }
}

event! {
    /// A day's pre-registration capacity was set (subject the day).
    #[kind = "capacity.set"]
    pub struct CapacitySet {
        pub day: NaiveDate,
        pub capacity: i64,
    }
}

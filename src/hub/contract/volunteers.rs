//! Volunteers' accounts: registered, verified, deleted. Categories and counts
//! only; the profile stays in `hub_volunteers` and goes with the account.

hub_event! {
    /// A volunteer registered (subject `account:<id>`); the address is not verified yet.
    #[kind = "account.registered"]
    pub struct HubVolunteerRegistered {
        pub account_id: i64,
        /// `individual` or `group`.
        pub kind: String,
        /// People (a group counts its members).
        pub headcount: i64,
        /// `in` (県内) or `out` (県外).
        pub residence: String,
        /// `enrolled` or `none`.
        pub insurance: String,
        /// `basic` or `natural_disaster` when enrolled.
        pub insurance_plan: Option<String>,
        /// Under 18 on the day they registered (with a guardian's consent).
        pub minor: bool,
        /// The privacy notice they agreed to.
        pub privacy_version: String,
    }
}

hub_event! {
    /// A verification link was mailed (subject `account:<id>`).
    #[kind = "account.verification_sent"]
    pub struct AccountVerificationSent {
        pub account_id: i64,
    }
}

hub_event! {
    /// The address was verified by its mailed link (subject `account:<id>`).
    #[kind = "account.verified"]
    pub struct AccountVerified {
        pub account_id: i64,
    }
}

hub_event! {
    /// The volunteer deleted their account (subject `account:<id>`): the
    /// profile, the address and the password are gone; this row and the
    /// registration's categories remain, for the counts.
    #[kind = "account.deleted"]
    pub struct AccountDeleted {
        pub account_id: i64,
        pub role: String,
        pub sessions_ended: u64,
    }
}

hub_event! {
    /// A volunteer changed their profile (subject `account:<id>`): its categories after the change.
    #[kind = "account.profile_changed"]
    pub struct AccountProfileChanged {
        pub account_id: i64,
        pub kind: String,
        pub headcount: i64,
        pub residence: String,
        pub insurance: String,
        pub insurance_plan: Option<String>,
        pub minor: bool,
    }
}

hub_event! {
    /// The retention notice was mailed to an inactive volunteer (subject
    /// `account:<id>`): their data is erased from `erase_from` unless they
    /// log in or book before.
    #[kind = "account.retention_noticed"]
    pub struct AccountRetentionNoticed {
        pub account_id: i64,
        /// The last activity day the notice counts from (Japan's calendar).
        pub last_active: String,
        /// The first day the data may be erased.
        pub erase_from: String,
    }
}

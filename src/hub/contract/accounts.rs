//! Accounts: volunteers, center staff, hub admins. Ids and roles only: the
//! address and the profile stay in their tables.

hub_event! {
    /// An account was made (subject `account:<id>`).
    #[kind = "account.created"]
    pub struct AccountCreated {
        pub account_id: i64,
        /// `volunteer`, `center_staff`, `hub_admin`.
        pub role: String,
        /// The center of a `center_staff` account.
        pub center_id: Option<i64>,
    }
}

hub_event! {
    /// Somebody logged in (subject `account:<id>`).
    #[kind = "account.logged_in"]
    pub struct AccountLoggedIn {
        pub account_id: i64,
        pub role: String,
    }
}

hub_event! {
    /// Somebody logged out (subject `account:<id>`).
    #[kind = "account.logged_out"]
    pub struct AccountLoggedOut {
        pub account_id: i64,
    }
}

hub_event! {
    /// Failed logins began a lockout (subject `account:<id>`, or none for an
    /// address no account has). Never the address, the source or the password.
    #[kind = "account.login_locked"]
    pub struct AccountLoginLocked {
        /// The account the address names, if any.
        pub account_id: Option<i64>,
        /// `account_from_source`, `source` or `account` (as the center's `auth.locked_out`).
        pub scope: String,
        /// How long the window is, in minutes.
        pub minutes: u64,
    }
}

hub_event! {
    /// A password reset link was mailed (subject `account:<id>`). Nothing is
    /// recorded for an address no account has.
    #[kind = "account.password_reset_sent"]
    pub struct AccountPasswordResetSent {
        pub account_id: i64,
    }
}

hub_event! {
    /// The password was set by a mailed reset link (subject `account:<id>`);
    /// every session of the account ended.
    #[kind = "account.password_reset"]
    pub struct AccountPasswordReset {
        pub account_id: i64,
        pub sessions_ended: u64,
    }
}

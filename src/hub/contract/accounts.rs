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

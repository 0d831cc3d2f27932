//! Accounts and sessions.

event! {
    /// Somebody logged in (subject `user:<id>`, actor the username).
    #[kind = "auth.login"]
    pub struct AuthLogin {
        /// `admin`, `coordinator`, `reception`, `trainer`…
        pub role: String,
    }
}

event! {
    /// Somebody logged out (subject `user:<id>`).
    #[kind = "auth.logout"]
    pub struct AuthLogout {}
}

event! {
    /// A login lockout began (subject `source:<address>`); never the password tried.
    #[kind = "auth.locked_out"]
    pub struct AuthLockedOut {
        pub username: String,
        /// The address the attempts came from.
        pub source: String,
        /// What the lockout covers: `account_from_source`, `source`…
        pub scope: String,
        pub minutes: u64,
    }
}

event! {
    /// A staff account was made (subject `user:<id>`).
    #[kind = "user.created"]
    pub struct UserCreated {
        pub id: i64,
        pub username: String,
        pub role: String,
    }
}

event! {
    /// A new drill took over the staff and sessions of the drill before it.
    #[kind = "users.carried_over"]
    pub struct UsersCarriedOver {
        pub users: usize,
        pub sessions: usize,
        /// The previous drill file's name.
        pub from: Option<String>,
    }
}

event! {
    /// An admin set a new password for a staff account (subject `user:<id>`);
    /// never the password. The account's sessions ended (another's, not the admin's own).
    #[kind = "user.password_reset"]
    pub struct UserPasswordReset {
        pub id: i64,
        pub username: String,
        /// Sessions of the account that ended with the reset.
        pub sessions_ended: u64,
    }
}

event! {
    /// An admin disabled a staff account (subject `user:<id>`): its sessions
    /// ended and it can no longer log in.
    #[kind = "user.disabled"]
    pub struct UserDisabled {
        pub id: i64,
        pub username: String,
        pub sessions_ended: u64,
    }
}

event! {
    /// An admin enabled a disabled staff account again (subject `user:<id>`):
    /// it logs in with the password it had.
    #[kind = "user.enabled"]
    pub struct UserEnabled {
        pub id: i64,
        pub username: String,
    }
}

//! Accounts and sessions.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::EventPayload;

/// Somebody logged in (subject `user:<id>`, actor the username).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AuthLogin {
    /// `admin`, `coordinator`, `reception`, `trainer`…
    pub role: String,
}

impl EventPayload for AuthLogin {
    const KIND: &'static str = "auth.login";
}

/// Somebody logged out (subject `user:<id>`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AuthLogout {}

impl EventPayload for AuthLogout {
    const KIND: &'static str = "auth.logout";
}

/// A login lockout began (subject `source:<address>`); never the password tried.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AuthLockedOut {
    pub username: String,
    /// The address the attempts came from.
    pub source: String,
    /// What the lockout covers: `account_from_source`, `source`…
    pub scope: String,
    pub minutes: u64,
}

impl EventPayload for AuthLockedOut {
    const KIND: &'static str = "auth.locked_out";
}

/// A staff account was made (subject `user:<id>`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UserCreated {
    pub id: i64,
    pub username: String,
    pub role: String,
}

impl EventPayload for UserCreated {
    const KIND: &'static str = "user.created";
}

/// A new drill took over the staff and sessions of the drill before it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UsersCarriedOver {
    pub users: usize,
    pub sessions: usize,
    /// The previous drill file's name.
    pub from: Option<String>,
}

impl EventPayload for UsersCarriedOver {
    const KIND: &'static str = "users.carried_over";
}

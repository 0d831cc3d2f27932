//! Users, roles, passwords, sessions and login throttling.
//!
//! Handlers state who may call them by the extractor they take
//! ([`staff::Staff`]`<Coordinator>` and friends): a missing session is 401, a
//! wrong role 403, and a handler cannot forget the check.

pub mod accounts;
pub mod admin_http;
pub mod csrf;
pub mod extract;
pub mod http;
pub mod password;
pub mod sessions;
pub mod staff;
pub mod throttle;
pub mod users;
pub mod users_page;

use serde::{Deserialize, Serialize};

/// What a user may do. `admin` may do everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Users, settings, backups — and every other role's work.
    Admin,
    /// Needs, dispatch, equipment, the board.
    Coordinator,
    /// Volunteers, check-in, badges.
    Reception,
    /// Drills and after-action reports: the exercise's controller.
    Trainer,
    /// A drill's evaluator: sees the controller's material, marks expected
    /// actions and writes observations; never steers the drill.
    Evaluator,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Admin, Role::Coordinator, Role::Reception, Role::Trainer, Role::Evaluator];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Reception => "reception",
            Role::Trainer => "trainer",
            Role::Evaluator => "evaluator",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Role::Admin => "管理者",
            Role::Coordinator => "コーディネーター",
            Role::Reception => "受付",
            Role::Trainer => "訓練担当",
            Role::Evaluator => "訓練評価者",
        }
    }
}

/// A user as the rest of the system sees it (never with the password hash).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

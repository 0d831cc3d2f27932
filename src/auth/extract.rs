//! Extractors that turn the session cookie into a typed user, and the role
//! table. API handlers take [`super::staff::Staff`]`<R>`; the tuple guards
//! ([`CoordinatorUser`] …) are the same check for a handler that wants only the user.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::{Role, User, sessions};
use crate::error::AppError;
use crate::i18n::cookie;
use crate::state::AppState;

/// Anyone logged in. 401 without a live session.
pub struct CurrentUser(pub User);

/// The raw session token, for logout.
pub struct SessionToken(pub String);

impl FromRequestParts<AppState> for SessionToken {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, AppError> {
        cookie(&parts.headers, sessions::COOKIE_NAME)
            .map(|t| SessionToken(t.to_string()))
            .ok_or_else(AppError::unauthenticated)
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if let Some(user) = parts.extensions.get::<User>() {
            return Ok(CurrentUser(user.clone()));
        }
        let SessionToken(token) = SessionToken::from_request_parts(parts, state).await?;
        let user = sessions::user_for_token(&state.db.read, &token).await?.ok_or_else(AppError::unauthenticated)?;
        // Cached for any later extractor of the same request.
        parts.extensions.insert(user.clone());
        Ok(CurrentUser(user))
    }
}

/// Who may open what: one table for the API's extractors ([`CoordinatorUser`]
/// and friends), the pages' [`crate::web::page::Page`] and the home menu.
pub trait Allowed {
    const ROLES: &'static [Role];

    fn admits(role: Role) -> bool {
        Self::ROLES.contains(&role)
    }
}

macro_rules! allowed {
    ($(#[$doc:meta])* $name:ident: $($role:ident)|+) => {
        $(#[$doc])*
        pub enum $name {}

        impl Allowed for $name {
            const ROLES: &'static [Role] = &[$(Role::$role),+];
        }
    };
}

allowed!(
    /// Anyone logged in.
    Anyone: Admin | Coordinator | Reception | Trainer | Evaluator
);
allowed!(
    /// Users, settings, backups.
    Admin: Admin
);
allowed!(
    /// Needs, dispatch, equipment, the board.
    Coordinator: Coordinator | Admin
);
allowed!(
    /// Volunteers and check-in. Coordinators help at the desk in a rush.
    Reception: Reception | Coordinator | Admin
);
allowed!(
    /// Drills and after-action reports.
    Trainer: Trainer | Admin
);
allowed!(
    /// A drill's controller material (scenario, hidden injects, expectations,
    /// hints, ratings, observations): the trainer and the evaluator, never a player.
    DrillController: Trainer | Evaluator
);

/// The session's user if role `R` admits them: 401 without a live session
/// (checked first), 403 for a role outside `R`.
pub(crate) async fn admitted<R: Allowed>(parts: &mut Parts, state: &AppState) -> Result<User, AppError> {
    let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
    if R::admits(user.role) { Ok(user) } else { Err(AppError::forbidden()) }
}

macro_rules! role_guard {
    ($(#[$doc:meta])* $name:ident: $allowed:ident) => {
        $(#[$doc])*
        pub struct $name(pub User);

        impl $name {
            pub const ROLES: &[Role] = <$allowed as Allowed>::ROLES;
        }

        impl FromRequestParts<AppState> for $name {
            type Rejection = AppError;

            async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
                admitted::<$allowed>(parts, state).await.map($name)
            }
        }
    };
}

role_guard!(
    /// Users, settings, backups.
    AdminUser: Admin
);
role_guard!(
    /// Needs, dispatch, equipment, the board.
    CoordinatorUser: Coordinator
);
role_guard!(
    /// Volunteers and check-in.
    ReceptionUser: Reception
);
role_guard!(
    /// Drills and after-action reports.
    TrainerUser: Trainer
);

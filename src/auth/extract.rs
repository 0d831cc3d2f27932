//! Extractors that turn the session cookie into a typed user. A handler that
//! takes [`CoordinatorUser`] can only run for a coordinator or an admin.

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

macro_rules! role_guard {
    ($(#[$doc:meta])* $name:ident: $($role:ident)|+) => {
        $(#[$doc])*
        pub struct $name(pub User);

        impl $name {
            pub const ROLES: &[Role] = &[$(Role::$role),+];
        }

        impl FromRequestParts<AppState> for $name {
            type Rejection = AppError;

            async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
                let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
                if Self::ROLES.contains(&user.role) { Ok($name(user)) } else { Err(AppError::forbidden()) }
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
    CoordinatorUser: Coordinator | Admin
);
role_guard!(
    /// Volunteers and check-in. Coordinators help at the desk in a rush.
    ReceptionUser: Reception | Coordinator | Admin
);
role_guard!(
    /// Drills and after-action reports.
    TrainerUser: Trainer | Admin
);

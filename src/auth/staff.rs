//! What an API handler takes and answers. A handler that takes
//! `staff: Staff<Coordinator>` runs only for a role the table admits (401
//! without a session, then 403 for a wrong role), and reads the state through
//! it (`staff.db`), the user (`staff.user`) and the [`Actor`] its writes carry
//! (`staff.actor`).

use std::marker::PhantomData;
use std::ops::Deref;

use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;

use super::extract::{Allowed, admitted};
use super::{Role, User};
use crate::error::AppError;
use crate::events::Actor;
use crate::state::AppState;

/// A logged-in user whose role `R` admits, with what a handler needs.
pub struct Staff<R: Allowed> {
    role: PhantomData<R>,
    pub state: AppState,
    pub user: User,
    /// The user, as the events they write name them.
    pub actor: Actor,
}

impl<R: Allowed> FromRequestParts<AppState> for Staff<R> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let user = admitted::<R>(parts, state).await?;
        // A drill's controller steers it; what they write is never a player's action.
        let actor = match user.role {
            Role::Trainer | Role::Evaluator => Actor::controller(&user.username),
            _ => Actor::user(&user.username),
        };
        Ok(Staff { role: PhantomData, state: state.clone(), user, actor })
    }
}

/// The state, as `State<AppState>` would give it: `staff.db`, `staff.clock`.
impl<R: Allowed> Deref for Staff<R> {
    type Target = AppState;

    fn deref(&self) -> &AppState {
        &self.state
    }
}

/// A JSON answer, 200.
pub type Answer<T> = Result<Json<T>, AppError>;

/// A JSON answer, 201: something was made.
pub type Created<T> = Result<(StatusCode, Json<T>), AppError>;

/// The 201 answer of what was made.
pub fn created<T>(made: T) -> Created<T> {
    Ok((StatusCode::CREATED, Json(made)))
}

//! HTTP edge of an admin's care of staff accounts: a new password, disabling, enabling.
//! (Making one is `POST /api/users` in `http.rs`.)

use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::accounts::{self, NewPassword};
use super::extract::AdminUser;
use crate::error::{ApiJson, AppError, ErrorBody};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(reset_password)).routes(routes!(disable_user)).routes(routes!(enable_user))
}

/// Set a staff account's password (admin); its sessions end (not the admin's own).
#[utoipa::path(post, path = "/api/users/{id}/password", tag = "auth", request_body = NewPassword,
    params(("id" = i64, Path, description = "The user's id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn reset_password(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<NewPassword>,
) -> Result<StatusCode, AppError> {
    accounts::reset_password(&state.db, &state.clock, &admin, id, body).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Disable a staff account (admin): its sessions end and it cannot log in.
/// 409 `disable_self` for the admin's own account.
#[utoipa::path(post, path = "/api/users/{id}/disable", tag = "auth",
    params(("id" = i64, Path, description = "The user's id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn disable_user(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    accounts::disable(&state.db, &state.clock, &admin, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Enable a disabled staff account again (admin): it logs in with the password it had.
/// 409 `already_enabled` for an account that is not disabled.
#[utoipa::path(post, path = "/api/users/{id}/enable", tag = "auth",
    params(("id" = i64, Path, description = "The user's id")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn enable_user(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    accounts::enable(&state.db, &state.clock, &admin, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

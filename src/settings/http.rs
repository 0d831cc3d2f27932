//! `/api/settings`: read by any staff member, changed by an admin.

use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Settings, SettingsPatch};
use crate::auth::extract::{AdminUser, CurrentUser};
use crate::error::{ApiJson, AppError, ErrorBody};
use crate::events::Actor;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(read_settings, change_settings))
}

/// The settings in force (no personal data: staff pages and desks follow them).
#[utoipa::path(get, path = "/api/settings", tag = "settings",
    responses((status = 200, body = Settings), (status = 401, body = ErrorBody)))]
async fn read_settings(State(state): State<AppState>, _who: CurrentUser) -> Result<Json<Settings>, AppError> {
    let mut conn = state.db.read.acquire().await?;
    Ok(Json(super::current(&mut conn).await?))
}

/// Change settings (admin): any of them, with the `version` read. 409 when stale,
/// 422 naming the field; nothing changes then.
#[utoipa::path(put, path = "/api/settings", tag = "settings", request_body = SettingsPatch,
    responses((status = 200, body = Settings), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change_settings(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    ApiJson(patch): ApiJson<SettingsPatch>,
) -> Result<Json<Settings>, AppError> {
    Ok(Json(super::change(&state.db, &state.clock, &Actor::user(&admin.username), patch).await?))
}

//! `/api/settings`: read by any staff member, changed by an admin.

use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Settings, SettingsPatch};
use crate::auth::extract::{Admin, Anyone};
use crate::auth::staff::{Answer, Staff};
use crate::error::{ApiJson, ErrorBody};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(read_settings, change_settings))
}

/// The settings in force (no personal data: staff pages and desks follow them).
#[utoipa::path(get, path = "/api/settings", tag = "settings",
    responses((status = 200, body = Settings), (status = 401, body = ErrorBody)))]
async fn read_settings(staff: Staff<Anyone>) -> Answer<Settings> {
    Ok(Json(super::current(&mut *staff.db.read.acquire().await?).await?))
}

/// Change settings (admin): any of them, with the `version` read. 409 when stale,
/// 422 naming the field; nothing changes then.
#[utoipa::path(put, path = "/api/settings", tag = "settings", request_body = SettingsPatch,
    responses((status = 200, body = Settings), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change_settings(staff: Staff<Admin>, ApiJson(patch): ApiJson<SettingsPatch>) -> Answer<Settings> {
    Ok(Json(super::change(&staff.db, &staff.clock, &staff.actor, patch).await?))
}

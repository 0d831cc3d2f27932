//! `/api/hub/…`: the link's status (any staff: the board and the desk show
//! it), the sync button (the desk and coordinators), the link's address and
//! key (admins; the key is never answered).

use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::config::LinkInput;
use super::{LinkSettings, LinkStatus};
use crate::auth::extract::{Admin, Anyone, Reception};
use crate::auth::staff::{Answer, Staff};
use crate::error::{ApiJson, AppError, ErrorBody};
use crate::i18n::Lang;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(link_status)).routes(routes!(sync_now)).routes(routes!(read_link, change_link))
}

/// The link to the hub: the last sync, or why it fails (「ハブ同期 10:42（3分前）」).
#[utoipa::path(get, path = "/api/hub/status", tag = "hub link",
    responses((status = 200, body = LinkStatus), (status = 401, body = ErrorBody)))]
async fn link_status(staff: Staff<Anyone>, headers: HeaderMap) -> Answer<LinkStatus> {
    Ok(Json(staff.hub_link.status(&staff.db, &staff.clock, Lang::for_api(&headers)).await?))
}

/// 今すぐ同期: the sync runs now, in the background; the status tells how it went.
#[utoipa::path(post, path = "/api/hub/sync", tag = "hub link",
    responses((status = 202), (status = 409, body = ErrorBody)))]
async fn sync_now(staff: Staff<Reception>) -> Result<StatusCode, AppError> {
    staff.hub_link.request(&staff.db).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Where the hub is, and whether a key is held (never the key).
#[utoipa::path(get, path = "/api/hub/link", tag = "hub link",
    responses((status = 200, body = LinkSettings), (status = 403, body = ErrorBody)))]
async fn read_link(staff: Staff<Admin>) -> Answer<LinkSettings> {
    Ok(Json(super::settings(&staff.db).await?))
}

/// Set the hub's address and this center's key (admin). An empty `url` ends the link.
#[utoipa::path(put, path = "/api/hub/link", tag = "hub link", request_body = LinkInput,
    responses((status = 200, body = LinkSettings), (status = 422, body = ErrorBody)))]
async fn change_link(staff: Staff<Admin>, ApiJson(input): ApiJson<LinkInput>) -> Answer<LinkSettings> {
    let settings = super::configure(&staff.db, &staff.clock, &staff.actor, input).await?;
    // A new address or key is tried at once.
    let _ = staff.hub_link.request(&staff.db).await;
    Ok(Json(settings))
}

//! `/api/centers…`: a hub admin registers centers, lists them and rotates
//! their sync keys. A key is in the answer that issues it, and nowhere else.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::registry::{self, Center, IssuedKey, NewCenter};
use crate::error::{ApiJson, AppError, ErrorBody};
use crate::hub::roles::{HubAdmin, Signed};
use crate::hub::state::HubState;

pub fn router() -> OpenApiRouter<HubState> {
    OpenApiRouter::new().routes(routes!(register_center, list_centers)).routes(routes!(rotate_key))
}

/// Register a center by its number and name; the answer carries its sync key, shown this once.
#[utoipa::path(post, path = "/api/centers", tag = "centers", request_body = NewCenter,
    responses((status = 201, body = IssuedKey), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn register_center(
    signed: Signed<HubAdmin>,
    ApiJson(body): ApiJson<NewCenter>,
) -> Result<(StatusCode, Json<IssuedKey>), AppError> {
    let issued = registry::register(&signed.state.db, &signed.actor(), body).await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

/// Every registered center (never a key).
#[utoipa::path(get, path = "/api/centers", tag = "centers", responses((status = 200, body = Vec<Center>)))]
async fn list_centers(signed: Signed<HubAdmin>) -> Result<Json<Vec<Center>>, AppError> {
    Ok(Json(registry::list(&signed.state.db).await?))
}

/// Issue a center a new sync key, shown this once; the old key stops working.
#[utoipa::path(post, path = "/api/centers/{id}/key", tag = "centers",
    responses((status = 200, body = IssuedKey), (status = 404, body = ErrorBody)))]
async fn rotate_key(signed: Signed<HubAdmin>, Path(id): Path<i64>) -> Result<Json<IssuedKey>, AppError> {
    Ok(Json(registry::rotate_key(&signed.state.db, &signed.actor(), id).await?))
}

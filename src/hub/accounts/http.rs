//! `/api/staff`: a hub admin makes staff accounts.

use axum::Json;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::staff::{self, NewStaff};
use crate::error::{ApiJson, AppError, ErrorBody};
use crate::hub::roles::{HubAdmin, Signed};
use crate::hub::state::HubState;

pub fn router() -> OpenApiRouter<HubState> {
    OpenApiRouter::new().routes(routes!(create_staff))
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = HubCreatedAccount)]
pub struct CreatedAccount {
    pub id: i64,
}

/// Make a staff account: `center_staff` of one center, or another `hub_admin` (hub admins).
#[utoipa::path(post, path = "/api/staff", tag = "accounts", request_body = NewStaff,
    responses((status = 201, body = CreatedAccount), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_staff(
    signed: Signed<HubAdmin>,
    ApiJson(body): ApiJson<NewStaff>,
) -> Result<(StatusCode, Json<CreatedAccount>), AppError> {
    let id = staff::create_staff(&signed.state.db, &signed.actor(), body).await?;
    Ok((StatusCode::CREATED, Json(CreatedAccount { id })))
}

//! `/api/password-reset`: ask for a reset link by mail, then set the password
//! with its token. Public: no session.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::reset;
use crate::error::{ApiJson, AppError, ErrorBody};
use crate::hub::state::HubState;
use crate::i18n::Lang;

pub fn router() -> OpenApiRouter<HubState> {
    OpenApiRouter::new().routes(routes!(ask_reset)).routes(routes!(confirm_reset))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = HubResetRequest)]
pub struct ResetRequest {
    #[schema(required = true, example = "taro@example.jp")]
    pub email: String,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = HubResetAsked)]
pub struct ResetAsked {
    /// Always true, whether or not an account has the address.
    pub accepted: bool,
}

/// Ask for a password reset link. The answer is the same whether or not an
/// account has the address; a link (valid for an hour, once) is mailed only
/// to an account's address, at most 3 an hour.
#[utoipa::path(post, path = "/api/password-reset", tag = "accounts", request_body = ResetRequest,
    responses((status = 202, body = ResetAsked), (status = 422, description = "not a mail address", body = ErrorBody)))]
async fn ask_reset(
    State(state): State<HubState>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ResetRequest>,
) -> Result<(StatusCode, Json<ResetAsked>), AppError> {
    reset::ask(&state, &body.email, Lang::for_api(&headers)).await?;
    Ok((StatusCode::ACCEPTED, Json(ResetAsked { accepted: true })))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = HubResetConfirmation)]
pub struct ResetConfirmation {
    /// The `token` of the mailed link.
    #[schema(required = true)]
    pub token: String,
    /// 10–200 characters.
    #[schema(required = true)]
    pub new_password: String,
}

/// Set a new password with the token of a mailed reset link; every session
/// of the account ends. A wrong, used or expired token is refused (422).
#[utoipa::path(post, path = "/api/password-reset/confirm", tag = "accounts", request_body = ResetConfirmation,
    responses((status = 204), (status = 422, body = ErrorBody)))]
async fn confirm_reset(
    State(state): State<HubState>,
    ApiJson(body): ApiJson<ResetConfirmation>,
) -> Result<StatusCode, AppError> {
    reset::confirm(&state, body.token.trim(), &body.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

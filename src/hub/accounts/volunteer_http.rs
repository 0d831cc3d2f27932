//! Volunteers' accounts over HTTP: register, verify, resend the link, read the
//! profile, delete the account.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::profile::ProfileForm;
use super::profile::{self, ProfileView};
use super::register::{self, RegistrationBody};
use super::{delete, update, verify};
use crate::error::{ApiJson, AppError, ErrorBody};
use crate::hub::roles::{Signed, Volunteer};
use crate::hub::sessions;
use crate::hub::state::HubState;
use crate::i18n::Text;

pub fn router() -> OpenApiRouter<HubState> {
    OpenApiRouter::new()
        .routes(routes!(create_account))
        .routes(routes!(verify_address))
        .routes(routes!(resend_link))
        .routes(routes!(read_profile, change_profile))
        .routes(routes!(delete_account))
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = HubRegistered)]
pub struct Registered {
    pub id: i64,
    /// Always false: the mailed link verifies the address.
    pub verified: bool,
}

/// Register as a volunteer: the address, a password, the profile, the privacy notice agreed to.
/// A link to verify the address is mailed.
#[utoipa::path(post, path = "/api/accounts", tag = "accounts", request_body = RegistrationBody,
    responses((status = 201, body = Registered), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_account(
    State(state): State<HubState>,
    ApiJson(body): ApiJson<RegistrationBody>,
) -> Result<(StatusCode, Json<Registered>), AppError> {
    let id = register::register(&state, body).await?;
    Ok((StatusCode::CREATED, Json(Registered { id, verified: false })))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = HubVerification)]
pub struct Verification {
    /// The `token` of the mailed link.
    #[schema(required = true)]
    pub token: String,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = HubVerified)]
pub struct Verified {
    pub verified: bool,
}

/// Verify an address with the token of its mailed link (the link's page does the same).
#[utoipa::path(post, path = "/api/accounts/verify", tag = "accounts", request_body = Verification,
    responses((status = 200, body = Verified), (status = 422, body = ErrorBody)))]
async fn verify_address(
    State(state): State<HubState>,
    ApiJson(body): ApiJson<Verification>,
) -> Result<Json<Verified>, AppError> {
    verify::verify(&state, body.token.trim()).await?;
    Ok(Json(Verified { verified: true }))
}

/// Mail a new verification link (at most 3 an hour).
#[utoipa::path(post, path = "/api/accounts/verification", tag = "accounts",
    responses((status = 202), (status = 409, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn resend_link(signed: Signed<Volunteer>) -> Result<StatusCode, AppError> {
    verify::resend(&signed.state, signed.account.id).await?;
    Ok(StatusCode::ACCEPTED)
}

/// The volunteer's own profile.
#[utoipa::path(get, path = "/api/profile", tag = "accounts",
    responses((status = 200, body = ProfileView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn read_profile(signed: Signed<Volunteer>) -> Result<Json<ProfileView>, AppError> {
    let found = profile::read(&signed.state.db, signed.account.id).await?;
    found.map(Json).ok_or_else(|| AppError::not_found(Text::new("プロフィールがありません。", "No profile.")))
}

/// Change my profile: the whole profile, checked as at registration.
#[utoipa::path(put, path = "/api/profile", tag = "accounts", request_body = ProfileForm,
    responses((status = 200, body = ProfileView), (status = 422, body = ErrorBody)))]
async fn change_profile(
    signed: Signed<Volunteer>,
    ApiJson(body): ApiJson<ProfileForm>,
) -> Result<Json<ProfileView>, AppError> {
    update::update(&signed.state, signed.account.id, body).await?;
    read_profile(signed).await
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = HubDeletion)]
pub struct Deletion {
    /// The account's password, asked again.
    #[schema(required = true)]
    pub password: String,
}

/// Delete my account: the profile, the address and the password are erased; anonymous counts remain.
#[utoipa::path(post, path = "/api/account/delete", tag = "accounts", request_body = Deletion,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn delete_account(signed: Signed<Volunteer>, ApiJson(body): ApiJson<Deletion>) -> Result<Response, AppError> {
    delete::delete(&signed.state, signed.account.id, &body.password).await?;
    let clear = sessions::clearing_cookie(signed.state.secure_cookies());
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear)]).into_response())
}

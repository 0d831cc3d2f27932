//! HTTP edge of auth: `/api/session` and `/api/users`.

use axum::Json;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{Admin, Anyone, CurrentUser, SessionToken};
use super::staff::{Answer, Created, Staff, created};
use super::users::{self, NewUser};
use super::{User, sessions};
use crate::error::{ApiJson, AppError, ErrorBody};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(log_in, current_session, log_out))
        .routes(routes!(list_users, create_user))
        .merge(super::admin_http::router())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

/// Log in; sets the HttpOnly, SameSite=Strict session cookie.
#[utoipa::path(post, path = "/api/session", tag = "auth", request_body = Credentials,
    responses((status = 200, body = User), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn log_in(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    ApiJson(body): ApiJson<Credentials>,
) -> Result<Response, AppError> {
    let logged_in = sessions::login(
        &state.db,
        &state.clock,
        &state.throttle,
        state.config.session_ttl,
        &body.username,
        &body.password,
        client.ip(),
    )
    .await?;
    let cookie = session_cookie(&logged_in.token, &state.config);
    Ok(([(header::SET_COOKIE, cookie)], Json(logged_in.user)).into_response())
}

/// Who is logged in.
#[utoipa::path(get, path = "/api/session", tag = "auth",
    responses((status = 200, body = User), (status = 401, body = ErrorBody)))]
async fn current_session(CurrentUser(user): CurrentUser) -> Json<User> {
    Json(user)
}

/// Log out; the session ends at once.
#[utoipa::path(delete, path = "/api/session", tag = "auth",
    responses((status = 204), (status = 401, body = ErrorBody)))]
async fn log_out(staff: Staff<Anyone>, SessionToken(token): SessionToken) -> Result<Response, AppError> {
    sessions::logout(&staff.db, &staff.clock, &staff.user, &token).await?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear_session_cookie())]).into_response())
}

/// Staff accounts (admin).
#[utoipa::path(get, path = "/api/users", tag = "auth",
    responses((status = 200, body = Vec<User>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_users(staff: Staff<Admin>) -> Answer<Vec<User>> {
    Ok(Json(users::list(&staff.db.read).await?))
}

/// Create a staff account (admin).
#[utoipa::path(post, path = "/api/users", tag = "auth", request_body = NewUser,
    responses((status = 201, body = User), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_user(staff: Staff<Admin>, ApiJson(body): ApiJson<NewUser>) -> Created<User> {
    created(users::create(&staff.db, &staff.clock, &staff.actor, body).await?)
}

/// `Secure` only with `--tls`: without it the center serves plain HTTP on its own
/// network, where a `Secure` cookie would never be sent back.
pub fn session_cookie(token: &str, config: &crate::config::Config) -> HeaderValue {
    let secure = if config.tls.is_some() { "; Secure" } else { "" };
    let value = format!(
        "{}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{secure}",
        sessions::COOKIE_NAME,
        config.session_ttl.as_secs()
    );
    HeaderValue::from_str(&value).expect("token is hex")
}

pub fn clear_session_cookie() -> HeaderValue {
    HeaderValue::from_str(&format!("{}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0", sessions::COOKIE_NAME))
        .expect("static cookie")
}

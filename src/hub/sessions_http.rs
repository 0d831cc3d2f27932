//! `/api/session` on the hub: log in (throttled: `hub::throttle`), who am I, log out.

use axum::Json;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::roles::{AnyAccount, Signed};
use super::sessions::{self, SessionAccount};
use super::state::HubState;
use crate::error::{ApiJson, AppError, ErrorBody};

pub fn router() -> OpenApiRouter<HubState> {
    OpenApiRouter::new().routes(routes!(log_in, current_session, log_out))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = HubCredentials)]
pub struct Credentials {
    #[schema(required = true, example = "taro@example.jp")]
    pub email: String,
    #[schema(required = true)]
    pub password: String,
}

/// Log in; sets the HttpOnly, SameSite=Strict session cookie.
#[utoipa::path(post, path = "/api/session", tag = "session", request_body = Credentials,
    responses((status = 200, body = SessionAccount), (status = 401, body = ErrorBody),
        (status = 429, description = "too many failed logins: `Retry-After` says when to try again", body = ErrorBody)))]
async fn log_in(
    State(state): State<HubState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
    ApiJson(body): ApiJson<Credentials>,
) -> Result<Response, AppError> {
    let source = super::throttle::client_ip(peer.ip(), &headers, &state.config.trusted_proxies);
    let logged_in = sessions::login(&state.db, state.config.session_ttl, &body.email, &body.password, source).await?;
    let cookie = sessions::cookie(&logged_in.token, state.config.session_ttl, state.secure_cookies());
    Ok(([(header::SET_COOKIE, cookie)], Json(logged_in.account)).into_response())
}

/// Who is logged in.
#[utoipa::path(get, path = "/api/session", tag = "session",
    responses((status = 200, body = SessionAccount), (status = 401, body = ErrorBody)))]
async fn current_session(signed: Signed<AnyAccount>) -> Json<SessionAccount> {
    Json(signed.account)
}

/// Log out; the session ends at once, in every hub process.
#[utoipa::path(delete, path = "/api/session", tag = "session",
    responses((status = 204), (status = 401, body = ErrorBody)))]
async fn log_out(signed: Signed<AnyAccount>, headers: axum::http::HeaderMap) -> Result<Response, AppError> {
    if let Some(token) = sessions::token_from(&headers) {
        sessions::logout(&signed.state.db, &token).await?;
    }
    let clear = sessions::clearing_cookie(signed.state.secure_cookies());
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear)]).into_response())
}

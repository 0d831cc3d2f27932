//! `/login` and `/logout`: the session of `POST /api/session` and
//! `DELETE /api/session`, through the same functions, as a form.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{Chrome, OrPage, PageQuery, html, see_other};
use crate::hub::roles::HubRole;
use crate::hub::sessions;
use crate::hub::state::HubState;
use crate::i18n::{Lang, word};

#[derive(Template)]
#[template(path = "hub_volunteer/login.html")]
struct LoginPage {
    c: Chrome,
    notice: String,
    error: String,
    email: String,
}

fn page(lang: Lang, notice: String, error: String, email: String) -> LoginPage {
    LoginPage {
        c: Chrome::new(lang, "/login", word(lang, "hub_volunteer.login.title").into_owned(), false),
        notice,
        error,
        email,
    }
}

pub async fn form(State(state): State<HubState>, Query(query): Query<PageQuery>, headers: HeaderMap) -> Response {
    let lang = query.lang(&headers);
    // Already logged in: straight on.
    if let Some(token) = sessions::token_from(&headers)
        && let Ok(Some(account)) = sessions::account_for(&state.db, &token).await
    {
        return see_other(landing(account.role), lang);
    }
    let notice = match query.done.as_deref() {
        Some("logged_out") => word(lang, "hub_volunteer.login.logged_out").into_owned(),
        Some("deleted") => word(lang, "hub_volunteer.delete.done").into_owned(),
        _ => String::new(),
    };
    html(StatusCode::OK, page(lang, notice, String::new(), String::new()).render())
}

/// Where an account goes once logged in.
fn landing(role: HubRole) -> &'static str {
    match role {
        HubRole::Volunteer => "/me",
        HubRole::CenterStaff | HubRole::HubAdmin => "/hub/staff/calendar",
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
}

pub async fn submit(
    State(state): State<HubState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let lang = query.lang(&headers);
    // Throttled as the API's log-in is: the same counts, whichever door is used.
    let source = crate::hub::throttle::client_ip(peer.ip(), &headers, &state.config.trusted_proxies);
    match sessions::login(&state.db, state.config.session_ttl, &form.email, &form.password, source).await {
        Ok(logged_in) => {
            let cookie = sessions::cookie(&logged_in.token, state.config.session_ttl, state.secure_cookies());
            let mut answer = see_other(landing(logged_in.account.role), lang);
            if let Ok(value) = cookie.parse() {
                answer.headers_mut().insert(header::SET_COOKIE, value);
            }
            answer
        }
        Err(error) => {
            let message = error.message.get(lang).to_string();
            let mut answer = html(error.status.http_status(), page(lang, String::new(), message, form.email).render());
            if let Some(seconds) = error.retry_after {
                answer.headers_mut().insert(header::RETRY_AFTER, seconds.into());
            }
            answer
        }
    }
}

/// Ends the session (in every hub process) and goes back to `/login`.
pub async fn log_out(State(state): State<HubState>, Query(query): Query<PageQuery>, headers: HeaderMap) -> Response {
    let lang = query.lang(&headers);
    if let Some(token) = sessions::token_from(&headers)
        && let Err(answer) = sessions::logout(&state.db, &token).await.or_page(lang)
    {
        return answer;
    }
    let clear = sessions::clearing_cookie(state.secure_cookies());
    let mut answer = see_other("/login?done=logged_out", lang);
    if let Ok(value) = clear.parse() {
        answer.headers_mut().insert(header::SET_COOKIE, value);
    }
    answer.into_response()
}

//! Page handlers: parse, call one domain function, render.

use askama::Template;
use axum::extract::{ConnectInfo, Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::menu;
use super::page::Page;
use crate::auth::extract::{Anyone, Coordinator};
use crate::auth::http::{clear_session_cookie, session_cookie};
use crate::auth::{User, sessions};
use crate::error::{AppError, Class};
use crate::i18n::{LANG_COOKIE, Lang, Section, Words, cookie};
use crate::state::AppState;

/// What every page's layout needs.
pub struct PageContext {
    pub lang: Lang,
    pub t: Words,
    /// Switches on the red 「訓練」 banner.
    pub drill: bool,
    /// The drill's time, shown in the banner (`None` outside a drill).
    pub drill_clock: Option<super::drill_clock::DrillClock>,
    pub user: Option<User>,
}

impl PageContext {
    pub fn new(state: &AppState, headers: &HeaderMap, user: Option<User>) -> PageContext {
        let lang = Lang::for_page(headers);
        let drill = state.db.is_drill();
        let drill_clock = drill.then(|| super::drill_clock::DrillClock::of(&state.clock));
        PageContext { lang, t: Words::new(lang), drill, drill_clock, user }
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: PageContext,
    error: Option<String>,
    username: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: PageContext,
    /// The sections this user may open.
    sections: Vec<Section>,
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    page: PageContext,
    heading: String,
    message: String,
}

#[derive(Template)]
#[template(path = "board.html")]
struct BoardPage {
    page: PageContext,
}

pub fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "template failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

pub async fn home(Page { user, page, .. }: Page<Anyone>) -> Response {
    render(StatusCode::OK, &HomePage { sections: menu::sections_for(&page.t, user.role, page.drill), page })
}

pub async fn login_form(page: PageContext) -> Response {
    render(StatusCode::OK, &LoginPage { page, error: None, username: String::new() })
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
}

pub async fn login_submit(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let result = sessions::login(
        &state.db,
        &state.clock,
        &state.throttle,
        state.config.session_ttl,
        &form.username,
        &form.password,
        client.ip(),
    )
    .await;
    match result {
        Ok(logged_in) => {
            ([(header::SET_COOKIE, session_cookie(&logged_in.token, &state.config))], Redirect::to("/")).into_response()
        }
        Err(error) => {
            let page = PageContext::new(&state, &headers, None);
            let message = error.message.get(page.lang).to_string();
            render(error.status.http_status(), &LoginPage { page, error: Some(message), username: form.username })
        }
    }
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = cookie(&headers, sessions::COOKIE_NAME)
        && let Ok(Some(user)) = sessions::user_for_token(&state.db.read, token).await
        && let Err(error) = sessions::logout(&state.db, &state.clock, &user, token).await
    {
        return error.into_response();
    }
    ([(header::SET_COOKIE, clear_session_cookie())], Redirect::to("/login")).into_response()
}

#[derive(Deserialize)]
pub struct Back {
    back: Option<String>,
}

/// The English switch: remembers the choice in a cookie and goes back.
pub async fn switch_language(
    Path(code): Path<String>,
    Query(Back { back }): Query<Back>,
    headers: HeaderMap,
) -> Response {
    let lang = if code == "en" { "en" } else { "ja" };
    // Only paths on this server, so the switch cannot be used to redirect elsewhere.
    let from_referer = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.parse::<Uri>().ok())
        .map(|uri| uri.path().to_string());
    let target = back.or(from_referer).filter(|p| is_local_path(p)).unwrap_or("/".into());
    let set = format!("{LANG_COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Lax");
    ([(header::SET_COOKIE, set)], Redirect::to(&target)).into_response()
}

/// A path on this server: `/x`, never `//host` or `/\\host` (browsers read both as another site).
fn is_local_path(path: &str) -> bool {
    path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') && !path.chars().any(char::is_control)
}

pub async fn board(Page { page, .. }: Page<Coordinator>) -> Response {
    render(StatusCode::OK, &BoardPage { page })
}

/// A page with a heading and one message.
pub fn message_page(page: PageContext, status: StatusCode, heading: &str, message: &str) -> Response {
    render(status, &MessagePage { page, heading: heading.to_string(), message: message.to_string() })
}

/// 200 when the database answers.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(&state.db.read).await {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(error) => {
            tracing::error!(%error, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// JSON for `/api/…`, a page for everything else.
pub async fn not_found(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    if uri.path().starts_with("/api/") || uri.path() == "/api" {
        return AppError::new(
            Class::NotFound,
            "no_route",
            crate::i18n::Text::new("そのAPIはありません。", "There is no such API route."),
        )
        .into_response();
    }
    let page = PageContext::new(&state, &headers, None);
    let (heading, message) = (page.t.get("app.name").to_string(), page.t.get("message.not_found").to_string());
    render(StatusCode::NOT_FOUND, &MessagePage { page, heading, message })
}

//! HTTP edge of the lobby: `GET /api/lobby`, `GET /ws/lobby` and the `/lobby`
//! page, all public (no login): the projection holds nothing personal.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::view::{self, LobbyView};
use crate::error::{AppError, Class};
use crate::i18n::{Lang, Text, Words};
use crate::state::AppState;
use crate::web::pages::render;

/// `/api/lobby`
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(lobby))
}

/// `/lobby` and `/ws/lobby`
pub fn pages() -> Router<AppState> {
    Router::new().route("/lobby", get(page)).route("/ws/lobby", get(socket))
}

/// The lobby screen's view: called team numbers, the waiting count, today's
/// state and the notices marked for the lobby. Public; no personal data.
#[utoipa::path(get, path = "/api/lobby", tag = "lobby", responses((status = 200, body = LobbyView)))]
async fn lobby(State(state): State<AppState>) -> Result<Json<LobbyView>, AppError> {
    Ok(Json(view::read(&state.db.read, &state.clock, state.db.is_drill()).await?))
}

/// `GET /ws/lobby`: the current view on connect, then a new one whenever the
/// screen would change. No login, so within the lobby's own budget of screens
/// (in all and per address): over it, 503 with `Retry-After`.
async fn socket(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    upgrade: WebSocketUpgrade,
) -> Response {
    let Some(place) = state.lobby_screens.admit(client.ip()) else {
        let mut error = AppError::new(
            Class::Unavailable,
            "too_many_screens",
            Text::new(
                "ロビー画面の接続数が上限に達しています。しばらくしてから再読み込みしてください。",
                "Too many lobby screens are connected. Reload in a little while.",
            ),
        );
        error.retry_after = Some(30);
        return error.into_response();
    };
    // The lobby sends small views and reads nothing but pings: small buffers,
    // so thousands of screens cannot take the memory a board needs.
    upgrade
        .read_buffer_size(4 << 10)
        .write_buffer_size(16 << 10)
        .max_write_buffer_size(256 << 10)
        .max_message_size(4 << 10)
        .max_frame_size(4 << 10)
        .on_upgrade(move |socket| async move {
            let _place = place;
            super::live::follow(socket, state).await;
        })
}

#[derive(Template)]
#[template(path = "lobby.html")]
struct LobbyPage {
    lang: &'static str,
    t: Words,
    drill: bool,
}

/// `/lobby`: the waiting-area screen; its script follows `/ws/lobby`.
async fn page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let lang = Lang::for_page(&headers);
    let t = Words::new(lang);
    render(StatusCode::OK, &LobbyPage { lang: lang.code(), t, drill: state.db.is_drill() })
}

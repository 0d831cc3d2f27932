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
use crate::i18n::{Lang, Text};
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

/// The words of the lobby screen.
pub struct Words {
    pub title: &'static str,
    pub called: &'static str,
    pub go_to: &'static str,
    pub none_called: &'static str,
    pub waiting: &'static str,
    pub people: &'static str,
    pub open: &'static str,
    pub closed: &'static str,
    pub suspended: &'static str,
    pub closes_at: &'static str,
    pub notices: &'static str,
    pub live: &'static str,
    pub reconnecting: &'static str,
    pub drill: &'static str,
    pub other_lang_label: &'static str,
    pub other_lang_code: &'static str,
}

const JA: Words = Words {
    title: "ボランティアセンター 待合",
    called: "お呼び出し",
    go_to: "へお進みください",
    none_called: "お呼び出し中の班はありません",
    waiting: "お待ちの方",
    people: "人",
    open: "受付中",
    closed: "本日の受付は終了しました",
    suspended: "活動中止",
    closes_at: "受付終了",
    notices: "お知らせ",
    live: "接続中",
    reconnecting: "再接続中…",
    drill: "訓練 — この画面は訓練用です",
    other_lang_label: "English",
    other_lang_code: "en",
};

const EN: Words = Words {
    title: "Volunteer center — waiting area",
    called: "Now calling",
    go_to: "please go to",
    none_called: "No team is being called",
    waiting: "Waiting",
    people: "people",
    open: "Reception open",
    closed: "Reception closed for today",
    suspended: "Activities suspended",
    closes_at: "Reception closes",
    notices: "Notices",
    live: "live",
    reconnecting: "reconnecting…",
    drill: "DRILL — this screen is for training",
    other_lang_label: "日本語",
    other_lang_code: "ja",
};

#[derive(Template)]
#[template(path = "lobby.html")]
struct LobbyPage {
    lang: &'static str,
    t: &'static Words,
    drill: bool,
}

/// `/lobby`: the waiting-area screen; its script follows `/ws/lobby`.
async fn page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let lang = Lang::for_page(&headers);
    let t = match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    };
    render(StatusCode::OK, &LobbyPage { lang: lang.code(), t, drill: state.db.is_drill() })
}

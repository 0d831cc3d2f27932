//! HTTP edge of the board: the snapshot, notices, and the websocket upgrade.

use axum::extract::{Path, Query, WebSocketUpgrade};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::notices::{self, Notice, NoticeForm};
use super::snapshot::{self, BoardSnapshot};
use crate::auth::extract::{Allowed, Coordinator, DrillController, SessionToken};
use crate::auth::staff::{Answer, Created, Staff, created};
use crate::error::{ApiJson, AppError, ErrorBody};
use crate::events::contract::KindSummary;
use crate::events::visibility::Audience;
use crate::i18n::Text;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(board))
        .routes(routes!(hourly_chart))
        .routes(routes!(post_notice))
        .routes(routes!(get_notice))
        .routes(routes!(event_kinds))
}

/// Every kind of event in the contract, and whether the board's feed names it
/// (the page's script must have words for those).
#[utoipa::path(get, path = "/api/events/kinds", tag = "board",
    responses((status = 200, body = Vec<KindSummary>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn event_kinds(_who: Staff<Coordinator>) -> Json<Vec<KindSummary>> {
    Json(crate::events::contract::summaries())
}

/// Websocket routes live outside `/api`: they are not JSON request/response.
pub fn ws_router() -> Router<AppState> {
    Router::new().route("/ws/board", get(board_socket))
}

/// The coordinator board's snapshot, stamped with its `seq`.
#[utoipa::path(get, path = "/api/board", tag = "board",
    responses((status = 200, body = BoardSnapshot), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn board(staff: Staff<Coordinator>) -> Answer<BoardSnapshot> {
    Ok(Json(snapshot::read(&staff.db.read, &staff.clock, staff.db.is_drill()).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct DayQuery {
    /// Activity day (default: today).
    date: Option<chrono::NaiveDate>,
}

/// People checked in and teams sent out per hour of the day, as SVG.
#[utoipa::path(get, path = "/api/board/chart.svg", tag = "board", params(DayQuery),
    responses((status = 200, content_type = "image/svg+xml")))]
async fn hourly_chart(
    headers: axum::http::HeaderMap,
    staff: Staff<Coordinator>,
    Query(q): Query<DayQuery>,
) -> Result<Response, AppError> {
    let window = crate::dates::Window::read(&staff.db.read, &staff.clock).await?;
    let day = window.day_if_given("date", q.date)?.unwrap_or_else(|| staff.clock.activity_day());
    let mut conn = staff.db.read.acquire().await?;
    let hourly = super::chart::hourly(&mut conn, day).await?;
    Ok((
        [(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "no-store")],
        super::chart::svg(&hourly, crate::i18n::Lang::for_api(&headers)),
    )
        .into_response())
}

/// Post a notice to the board (本部からのお知らせ); with `lobby: true` the public lobby screen shows it too.
#[utoipa::path(post, path = "/api/board/notices", tag = "board", request_body = NoticeForm,
    responses((status = 201, body = Notice), (status = 422, body = ErrorBody)))]
async fn post_notice(staff: Staff<Coordinator>, ApiJson(body): ApiJson<NoticeForm>) -> Created<Notice> {
    created(notices::post(&staff.db, &staff.clock, &staff.actor, body).await?)
}

/// One notice.
#[utoipa::path(get, path = "/api/board/notices/{id}", tag = "board", params(("id" = i64, Path)),
    responses((status = 200, body = Notice), (status = 404, body = ErrorBody)))]
async fn get_notice(staff: Staff<Coordinator>, Path(id): Path<i64>) -> Answer<Notice> {
    notices::find(&staff.db.read, id)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::not_found(Text::new("お知らせが見つかりません。", "No such notice.")))
}

#[derive(Deserialize)]
struct Since {
    since: Option<i64>,
    /// The page following the feed (its path), for a drill's outage of its desk.
    page: Option<String>,
}

/// `GET /ws/board?since=N`: events after `N`, then live (coordinator role); a
/// drill's controller material only to its controllers (`events::visibility`).
async fn board_socket(
    staff: Staff<Coordinator>,
    SessionToken(token): SessionToken,
    Query(Since { since, page }): Query<Since>,
    upgrade: WebSocketUpgrade,
) -> Response {
    let audience = if DrillController::admits(staff.user.role) { Audience::Controller } else { Audience::Player };
    upgrade.on_upgrade(move |socket| super::ws::follow(socket, staff.state, since, token, audience, page))
}

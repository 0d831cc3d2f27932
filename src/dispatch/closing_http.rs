//! HTTP edge of 本日の受付終了処理 (admins): the API and its page.

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::closing::{self, Closed, Closing};
use crate::auth::extract::{Admin, AdminUser};
use crate::error::{AppError, ErrorBody};
use crate::events::Actor;
use crate::state::AppState;
use crate::web::page::{Page, PageResult};
use crate::web::pages::{PageContext, render};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(closing_preview, close_day))
}

pub fn pages() -> Router<AppState> {
    Router::new().route("/closing", get(closing_page))
}

/// Who is still checked in, and the teams still out (admin).
#[utoipa::path(get, path = "/api/closing", tag = "dispatch",
    responses((status = 200, body = Closing), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn closing_preview(State(state): State<AppState>, _admin: AdminUser) -> Result<Json<Closing>, AppError> {
    Ok(Json(closing::preview(&mut *state.db.read.acquire().await?).await?))
}

/// 本日の受付終了処理 (admin): checks out everyone still here, one
/// `volunteer.checked_out` each; 409 `teams_out` while a team is out, nothing changed.
#[utoipa::path(post, path = "/api/closing", tag = "dispatch",
    responses((status = 200, body = Closed), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn close_day(State(state): State<AppState>, AdminUser(admin): AdminUser) -> Result<Json<Closed>, AppError> {
    Ok(Json(closing::close_day(&state.db, &state.clock, &Actor::user(&admin.username)).await?))
}

#[derive(Template)]
#[template(path = "dispatch/closing.html")]
struct ClosingPage {
    page: PageContext,
    closing: Closing,
}

async fn closing_page(State(state): State<AppState>, Page { page, .. }: Page<Admin>) -> PageResult {
    let closing = closing::preview(&mut *state.db.read.acquire().await?).await?;
    Ok(render(StatusCode::OK, &ClosingPage { page, closing }))
}

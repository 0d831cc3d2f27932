//! `/api/safety`: the WBGT reading, weather warnings and the coordinator's
//! decision on a suspension prompt (the board's 暑さ・警報 panel).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::safety::{self, AlertForm, DecisionForm, SafetyNow, WbgtForm};
use super::safety_store::Alert;
use crate::auth::extract::CoordinatorUser;
use crate::error::{ApiJson, AppError, ErrorBody};
use crate::events::Actor;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(safety_now))
        .routes(routes!(record_wbgt))
        .routes(routes!(raise_alert))
        .routes(routes!(decide_alert))
}

/// Safety now: today's WBGT reading and its band, the prompts waiting for a
/// decision, and the rest cycle of each team out (resting now or next).
#[utoipa::path(get, path = "/api/safety", tag = "safety", responses((status = 200, body = SafetyNow)))]
async fn safety_now(State(state): State<AppState>, _who: CoordinatorUser) -> Result<Json<SafetyNow>, AppError> {
    Ok(Json(safety::now(&state.db, &state.clock).await?))
}

/// Enter the 暑さ指数 (WBGT) reading (hourly, or when it changes). At a band
/// with a suspension prompt, a prompt opens (one at a time).
#[utoipa::path(post, path = "/api/safety/wbgt", tag = "safety", request_body = WbgtForm,
    responses((status = 201, body = SafetyNow), (status = 422, body = ErrorBody)))]
async fn record_wbgt(
    State(state): State<AppState>,
    CoordinatorUser(user): CoordinatorUser,
    ApiJson(form): ApiJson<WbgtForm>,
) -> Result<(StatusCode, Json<SafetyNow>), AppError> {
    let now = safety::record_wbgt(&state.db, &state.clock, &Actor::user(&user.username), form).await?;
    Ok((StatusCode::CREATED, Json(now)))
}

/// Enter a weather warning (大雨・雷・余震): it asks the coordinator to suspend or carry on.
#[utoipa::path(post, path = "/api/safety/alerts", tag = "safety", request_body = AlertForm,
    responses((status = 201, body = Alert), (status = 422, body = ErrorBody)))]
async fn raise_alert(
    State(state): State<AppState>,
    CoordinatorUser(user): CoordinatorUser,
    ApiJson(form): ApiJson<AlertForm>,
) -> Result<(StatusCode, Json<Alert>), AppError> {
    let alert = safety::raise_alert(&state.db, &state.clock, &Actor::user(&user.username), form).await?;
    Ok((StatusCode::CREATED, Json(alert)))
}

/// Answer a prompt: `suspend` (活動中止 at once) or `continue` with a reason.
/// 409 `already_decided`; 404 for no such alert.
#[utoipa::path(post, path = "/api/safety/alerts/{id}/decision", tag = "safety", params(("id" = i64, Path)),
    request_body = DecisionForm,
    responses((status = 200, body = Alert), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn decide_alert(
    State(state): State<AppState>,
    CoordinatorUser(user): CoordinatorUser,
    Path(id): Path<i64>,
    ApiJson(form): ApiJson<DecisionForm>,
) -> Result<Json<Alert>, AppError> {
    Ok(Json(safety::decide(&state.db, &state.clock, &Actor::user(&user.username), id, form).await?))
}

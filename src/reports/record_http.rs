//! HTTP edge of the 日報's record of the day: the record as data, and the
//! day's 特記事項 (coordinators and admins).

use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::daily;
use super::daily_record::{DayRecord, Remarks};
use super::remarks::{self, RemarksForm};
use crate::auth::extract::CoordinatorUser;
use crate::dates::Window;
use crate::error::{ApiJson, AppError, ErrorBody};
use crate::events::Actor;
use crate::fields::invalid;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(day_record)).routes(routes!(write_remarks))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct RecordQuery {
    /// Activity day (default: today).
    date: Option<chrono::NaiveDate>,
}

/// The 日報's record of the day: けが・事故 (counts and list, no names),
/// 活動中止・再開 with times and reasons, and 特記事項.
#[utoipa::path(get, path = "/api/reports/daily/record", tag = "reports", params(RecordQuery),
    responses((status = 200, body = DayRecord), (status = 422, body = ErrorBody)))]
async fn day_record(
    State(state): State<AppState>,
    _who: CoordinatorUser,
    Query(q): Query<RecordQuery>,
) -> Result<Json<DayRecord>, AppError> {
    let window = Window::read(&state.db.read, &state.clock).await?;
    let day = window.day_if_given("date", q.date)?.unwrap_or_else(|| state.clock.activity_day());
    Ok(Json(daily::record(&state.db.read, day).await?))
}

/// 特記事項 of a day, written whole (event `report.remarks_written`); 409 on a stale `version`.
#[utoipa::path(put, path = "/api/reports/daily/remarks", tag = "reports", request_body = RemarksForm,
    responses((status = 200, body = Remarks), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn write_remarks(
    State(state): State<AppState>,
    CoordinatorUser(user): CoordinatorUser,
    ApiJson(form): ApiJson<RemarksForm>,
) -> Result<Json<Remarks>, AppError> {
    let date = form.date.ok_or_else(|| invalid("date", "日付（date）が必要です。", "date is required."))?;
    let day = Window::read(&state.db.read, &state.clock).await?.day("date", date)?;
    let actor = Actor::user(&user.username);
    Ok(Json(remarks::write(&state.db, &state.clock, &actor, day, &form.text, form.version).await?))
}

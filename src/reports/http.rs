//! HTTP edge of reports: the daily report (JSON, PDF, CSV) and the council's summary.

use axum::Json;
use axum::extract::{Path, Query};
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::daily::{self, DailyReport, SUMMARY_MAX_DAYS, Summary, SummaryRefused};
use super::{certificate, certificate_pdf};
use crate::auth::extract::{Coordinator, Reception};
use crate::auth::staff::{Answer, Staff};
use crate::dates::Window;
use crate::error::{AppError, ErrorBody};
use crate::i18n::Text;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(daily_json))
        .routes(routes!(daily_pdf))
        .routes(routes!(daily_csv))
        .routes(routes!(summary))
        .routes(routes!(volunteer_certificate))
        .merge(super::record_http::router())
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
struct DayQuery {
    /// Activity day, `YYYY-MM-DD` (default: today).
    date: Option<String>,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
struct RangeQuery {
    /// First activity day, `YYYY-MM-DD` (default: the center's first activity day).
    from: Option<String>,
    /// Last activity day, included (default: today).
    to: Option<String>,
}

/// A day parameter: a malformed one, or one outside the center's window, is 422 naming `field`.
async fn parse_day(state: &AppState, field: &str, value: Option<&str>) -> Result<Option<NaiveDate>, AppError> {
    let Some(text) = value.map(str::trim).filter(|v| !v.is_empty()) else { return Ok(None) };
    let day = text.parse().map_err(|_| {
        AppError::validation(
            field,
            Text::new(
                format!("{field} は YYYY-MM-DD の形式の日付で指定してください。"),
                format!("{field} must be a date, YYYY-MM-DD."),
            ),
        )
    })?;
    Ok(Some(Window::read(&state.db.read, &state.clock).await?.day(field, day)?))
}

async fn report_for(state: &AppState, q: &DayQuery) -> Result<DailyReport, AppError> {
    let day = parse_day(state, "date", q.date.as_deref()).await?.unwrap_or_else(|| state.clock.activity_day());
    let center = crate::settings::current(&mut *state.db.read.acquire().await?).await?.values.center_name;
    Ok(daily::report(&state.db.read, &center, day).await?)
}

/// 日報 as data: the day's figures and the same figures cumulative since the center opened.
#[utoipa::path(get, path = "/api/reports/daily", tag = "reports", params(DayQuery),
    responses((status = 200, body = DailyReport), (status = 422, body = ErrorBody)))]
async fn daily_json(staff: Staff<Coordinator>, Query(q): Query<DayQuery>) -> Answer<DailyReport> {
    Ok(Json(report_for(&staff, &q).await?))
}

/// 日報, A4 PDF (no personal data).
#[utoipa::path(get, path = "/api/reports/daily.pdf", tag = "reports", params(DayQuery),
    responses((status = 200, content_type = "application/pdf"), (status = 422, body = ErrorBody)))]
async fn daily_pdf(staff: Staff<Coordinator>, Query(q): Query<DayQuery>) -> Result<Response, AppError> {
    let report = report_for(&staff, &q).await?;
    let record = daily::record(&staff.db.read, report.day).await?;
    let drill = staff.db.is_drill();
    let name = format!("daily-{}.pdf", report.day);
    crate::web::drawn_pdf(&name, move || super::daily_pdf::render(&report, &record, drill)).await
}

/// 日報 as CSV: UTF-8 with a BOM, `区分,項目,当日,累計`, one row per figure.
#[utoipa::path(get, path = "/api/reports/daily.csv", tag = "reports", params(DayQuery),
    responses((status = 200, content_type = "text/csv"), (status = 422, body = ErrorBody)))]
async fn daily_csv(staff: Staff<Coordinator>, Query(q): Query<DayQuery>) -> Result<Response, AppError> {
    let report = report_for(&staff, &q).await?;
    let record = daily::record(&staff.db.read, report.day).await?;
    Ok(crate::web::csv_download(&format!("daily-{}.csv", report.day), daily::csv(&report, &record)))
}

/// The council's records: the figures per day of a range (at most 366 days) and over it.
#[utoipa::path(get, path = "/api/reports/summary", tag = "reports", params(RangeQuery),
    responses((status = 200, body = Summary), (status = 422, body = ErrorBody)))]
async fn summary(staff: Staff<Coordinator>, Query(q): Query<RangeQuery>) -> Answer<Summary> {
    let from = parse_day(&staff, "from", q.from.as_deref()).await?;
    let to = parse_day(&staff, "to", q.to.as_deref()).await?;
    match daily::summary(&staff.db.read, from, to, staff.clock.activity_day()).await? {
        Ok(summary) => Ok(Json(summary)),
        Err(SummaryRefused::Reversed) => Err(AppError::validation(
            "from",
            Text::new("from は to 以前の日付にしてください。", "from must not be after to."),
        )),
        Err(SummaryRefused::TooLong) => Err(AppError::validation(
            "to",
            Text::new(
                format!("期間は{SUMMARY_MAX_DAYS}日以内にしてください。"),
                format!("The range is at most {SUMMARY_MAX_DAYS} days."),
            ),
        )),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct DateQuery {
    /// Activity day, `YYYY-MM-DD` (default: today).
    date: Option<NaiveDate>,
}

/// 活動証明書 for a day (default today), after check-out: from the check-in
/// record and the teams the event log names the volunteer on.
#[utoipa::path(get, path = "/api/volunteers/{id}/certificate.pdf", tag = "reception", params(("id" = i64, Path), DateQuery),
    responses((status = 200, content_type = "application/pdf"), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn volunteer_certificate(
    staff: Staff<Reception>,
    Path(id): Path<i64>,
    Query(q): Query<DateQuery>,
) -> Result<Response, AppError> {
    let today = staff.clock.activity_day();
    let day = Window::read(&staff.db.read, &staff.clock).await?.day_if_given("date", q.date)?.unwrap_or(today);
    let certificate = certificate::for_day(&staff.db, id, day, today).await?;
    let drill = staff.db.is_drill();
    let name = format!("certificate-{}-{day}.pdf", certificate.volunteer_no);
    crate::web::drawn_pdf(&name, move || certificate_pdf::render(&certificate, drill)).await
}

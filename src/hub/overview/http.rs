//! `/api/overview…`: the figures across centers for hub staff (center staff:
//! their own center), as JSON or CSV; no-shows per account for hub admins.

use axum::Json;
use axum::extract::Query;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::csv;
use super::figures::{self, AccountNoShows, Overview};
use crate::error::{AppError, ErrorBody};
use crate::fields::invalid;
use crate::hub::roles::{HubAdmin, Signed, Staff};
use crate::hub::state::HubState;

pub fn router() -> OpenApiRouter<HubState> {
    OpenApiRouter::new().routes(routes!(overview)).routes(routes!(overview_csv)).routes(routes!(no_shows))
}

/// The days (`from`, `to`: `YYYY-MM-DD`, inclusive, at most 92 days; default
/// the 14 days up to today) and a center.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct OverviewQuery {
    /// `YYYY-MM-DD`
    pub from: Option<String>,
    /// `YYYY-MM-DD`
    pub to: Option<String>,
    /// One center (center staff: only their own).
    #[param(value_type = Option<i64>)]
    pub center_id: Option<String>,
}

impl OverviewQuery {
    /// The range and the center asked for; a bad one is 422 naming its field.
    pub fn read(&self, today: NaiveDate) -> Result<(NaiveDate, NaiveDate, Option<i64>), AppError> {
        let (from, to) = figures::range(self.from.as_deref(), self.to.as_deref(), today)?;
        let center = match self.center_id.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            None => None,
            Some(text) => Some(text.parse::<i64>().ok().filter(|c| *c > 0).ok_or_else(|| {
                invalid("center_id", "センター番号は正の整数です。", "center_id is a positive number.")
            })?),
        };
        Ok((from, to, center))
    }
}

async fn read(signed: &Signed<Staff>, query: &OverviewQuery) -> Result<Overview, AppError> {
    let (from, to, center) = query.read(signed.state.clock.activity_day())?;
    figures::overview(&signed.state.db, &signed.account, from, to, center).await
}

/// Booked, waitlisted, came, no-shows, walk-ins, teams and needs per center and day, and the sums per day.
#[utoipa::path(get, path = "/api/overview", tag = "overview", params(OverviewQuery),
    responses((status = 200, body = Overview), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn overview(signed: Signed<Staff>, Query(query): Query<OverviewQuery>) -> Result<Json<Overview>, AppError> {
    Ok(Json(read(&signed, &query).await?))
}

/// The same as CSV (UTF-8 with BOM, Japanese headers, a 合計 row per day when several centers).
#[utoipa::path(get, path = "/api/overview.csv", tag = "overview", params(OverviewQuery),
    responses((status = 200, description = "CSV", content_type = "text/csv"), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn overview_csv(signed: Signed<Staff>, Query(query): Query<OverviewQuery>) -> Result<Response, AppError> {
    let overview = read(&signed, &query).await?;
    let body = csv::csv(&overview)?;
    let disposition = format!("attachment; filename=\"overview_{}_{}.csv\"", overview.from, overview.to);
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)],
        body,
    )
        .into_response())
}

/// No-shows per account over the range (booked on a reported day, not come): the account id and the count only.
#[utoipa::path(get, path = "/api/overview/no-shows", tag = "overview", params(OverviewQuery),
    responses((status = 200, body = Vec<AccountNoShows>), (status = 422, body = ErrorBody)))]
async fn no_shows(
    signed: Signed<HubAdmin>,
    Query(query): Query<OverviewQuery>,
) -> Result<Json<Vec<AccountNoShows>>, AppError> {
    let (from, to, center) = query.read(signed.state.clock.activity_day())?;
    Ok(Json(figures::no_shows(&signed.state.db, from, to, center).await?))
}

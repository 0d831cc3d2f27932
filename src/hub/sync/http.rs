//! `/api/sync/…`: a center's sync, by its key (never a session). The bodies
//! are the contract's types (`crate::sync`, `schemas/sync.schema.json`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::Query;
use axum::http::HeaderMap;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::key::{CenterKey, check_version_header, version_refused};
use super::{pull, report};
use crate::error::{AppError, Class, ErrorBody, json_from_slice};
use crate::fields::invalid;
use crate::hub::state::HubState;
use crate::i18n::Text;
use crate::sync::{BookingsPage, DayReport, DayReportAnswer, VERSION, contract::version_ok};

pub fn router() -> OpenApiRouter<HubState> {
    OpenApiRouter::new().routes(routes!(pull_bookings)).routes(routes!(report_day))
}

/// Where to pull from. Every value is read as text here, so a bad one is
/// answered naming its field.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct PullQuery {
    /// The `cursor` of the previous answer, as given; empty or absent: from the start.
    pub cursor: Option<String>,
    /// Bookings per page: 1 to 1000, default 500.
    pub limit: Option<String>,
    /// The center asked about; when given, it must be the key's own (else 403).
    pub center_id: Option<String>,
}

/// A center pulls its bookings after a cursor (`Authorization: Bearer <center key>`, `Borasen-Sync-Version: 1`).
#[utoipa::path(get, path = "/api/sync/bookings", tag = "sync", params(PullQuery,
        ("Borasen-Sync-Version" = u32, Header, description = "The sync protocol's version: 1")),
    responses((status = 200, body = BookingsPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 426, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn pull_bookings(
    center: CenterKey,
    headers: HeaderMap,
    Query(query): Query<PullQuery>,
) -> Result<Json<BookingsPage>, AppError> {
    check_version_header(&headers)?;
    if let Some(asked) = query.center_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let asked: i64 = asked
            .parse()
            .map_err(|_| invalid("center_id", "center_id は整数です。", "center_id is a whole number."))?;
        if asked != center.center_id {
            return Err(AppError::new(
                Class::Refused,
                "not_your_center",
                Text::new(
                    format!(
                        "このキーはセンター {} のものです。センター {asked} の予約は読めません。",
                        center.center_id
                    ),
                    format!("This key is center {}'s: it cannot read center {asked}'s bookings.", center.center_id),
                ),
            )
            .with_field("center_id"));
        }
    }
    let cursor = pull::parse_cursor(query.cursor.as_deref().unwrap_or("").trim())?;
    let limit = pull::parse_limit(query.limit.as_deref())?;
    Ok(Json(pull::page(&center.state.db, center.center_id, cursor, limit).await?))
}

/// A center reports one activity day, whole (`Authorization: Bearer <center key>`). A batch id is applied once.
#[utoipa::path(post, path = "/api/sync/days", tag = "sync", request_body = DayReport,
    responses((status = 200, body = DayReportAnswer), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 426, body = ErrorBody),
        (status = 429, body = ErrorBody)))]
async fn report_day(center: CenterKey, body: Bytes) -> Result<Json<DayReportAnswer>, AppError> {
    // A newer peer's message is refused for its version, before its fields are
    // read (its new fields would be refused as unknown otherwise).
    if let Ok(loose) = serde_json::from_slice::<serde_json::Value>(&body)
        && let Some(version) = loose.get("version").and_then(serde_json::Value::as_u64)
        && u32::try_from(version).map_or(true, |v| !version_ok(v))
    {
        return Err(version_refused(Some(&version.to_string())));
    }
    let report: DayReport = json_from_slice(&body).map_err(|error| error.coded("sync_refused"))?;
    debug_assert_eq!(report.version, VERSION);
    Ok(Json(report::apply(&center.state.db, center.center_id, report).await?))
}

//! `/api/openings…` and `/api/bookings…`: hub staff publish openings and read
//! their lists; verified volunteers book and cancel their own.

use axum::Json;
use axum::extract::{Path, Query};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::book::{self, Booking};
use super::counts::{self, OpeningCounts};
use super::lottery::{self, RecordedDraw};
use super::openings::{self, NewOpening, Opening};
use super::roster;
use crate::error::{ApiJson, AppError, ErrorBody};
use crate::hub::accounts::http::CreatedAccount;
use crate::hub::roles::{AnyAccount, Signed, Staff, VerifiedVolunteer, Volunteer};
use crate::hub::state::HubState;
use crate::i18n::Text;

pub fn router() -> OpenApiRouter<HubState> {
    OpenApiRouter::new()
        .routes(routes!(create_opening, list_openings))
        .routes(routes!(one_opening))
        .routes(routes!(publish))
        .routes(routes!(close))
        .routes(routes!(cancel_day))
        .routes(routes!(draw, recorded_draw))
        .routes(routes!(opening_counts))
        .routes(routes!(opening_csv))
        .routes(routes!(book_opening))
        .routes(routes!(my_bookings))
        .routes(routes!(my_booking, cancel_booking))
}

/// A range of days (`from`, `to`, inclusive; default: today and the next 60 days) and a center.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct DaysQuery {
    pub center_id: Option<i64>,
    /// `YYYY-MM-DD`
    pub from: Option<NaiveDate>,
    /// `YYYY-MM-DD`
    pub to: Option<NaiveDate>,
}

impl DaysQuery {
    fn range(&self, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), AppError> {
        openings::days(self.from, self.to, today)
    }
}

/// Make an opening (a draft): center staff for their own center, hub admins for any.
#[utoipa::path(post, path = "/api/openings", tag = "openings", request_body = NewOpening,
    responses((status = 201, body = CreatedAccount), (status = 422, body = ErrorBody)))]
async fn create_opening(
    signed: Signed<Staff>,
    ApiJson(body): ApiJson<NewOpening>,
) -> Result<(StatusCode, Json<CreatedAccount>), AppError> {
    let id = openings::create(&signed.state.db, &signed.account, &signed.actor(), body).await?;
    Ok((StatusCode::CREATED, Json(CreatedAccount { id })))
}

/// Openings in a range of days: volunteers see published ones at every center; center staff their center's.
#[utoipa::path(get, path = "/api/openings", tag = "openings", params(DaysQuery),
    responses((status = 200, body = Vec<Opening>)))]
async fn list_openings(
    signed: Signed<AnyAccount>,
    Query(query): Query<DaysQuery>,
) -> Result<Json<Vec<Opening>>, AppError> {
    let (from, to) = query.range(signed.state.clock.activity_day())?;
    Ok(Json(openings::list(&signed.state.db, &signed.account, query.center_id, from, to).await?))
}

/// One opening.
#[utoipa::path(get, path = "/api/openings/{id}", tag = "openings",
    responses((status = 200, body = Opening), (status = 404, body = ErrorBody)))]
async fn one_opening(signed: Signed<AnyAccount>, Path(id): Path<i64>) -> Result<Json<Opening>, AppError> {
    Ok(Json(openings::visible(&signed.state.db, &signed.account, id).await?))
}

async fn move_to(signed: Signed<Staff>, id: i64, to: &str) -> Result<Json<Opening>, AppError> {
    Ok(Json(book::change_state(&signed.state, &signed.account, &signed.actor(), id, to).await?))
}

/// Publish (draft → open), or reopen a closed opening.
#[utoipa::path(post, path = "/api/openings/{id}/publish", tag = "openings",
    responses((status = 200, body = Opening), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn publish(signed: Signed<Staff>, Path(id): Path<i64>) -> Result<Json<Opening>, AppError> {
    move_to(signed, id, "open").await
}

/// Close (open → closed): no more bookings; cancellations still promote the waitlist.
#[utoipa::path(post, path = "/api/openings/{id}/close", tag = "openings",
    responses((status = 200, body = Opening), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn close(signed: Signed<Staff>, Path(id): Path<i64>) -> Result<Json<Opening>, AppError> {
    move_to(signed, id, "closed").await
}

/// 中止: cancel the day; everyone booked, waitlisted or applied is mailed.
#[utoipa::path(post, path = "/api/openings/{id}/cancel", tag = "openings",
    responses((status = 200, body = Opening), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn cancel_day(signed: Signed<Staff>, Path(id): Path<i64>) -> Result<Json<Opening>, AppError> {
    move_to(signed, id, "cancelled").await
}

/// Draw a lottery whose applications are closed (the hub also draws it by itself soon after).
#[utoipa::path(post, path = "/api/openings/{id}/draw", tag = "openings",
    responses((status = 200, body = RecordedDraw), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn draw(signed: Signed<Staff>, Path(id): Path<i64>) -> Result<Json<RecordedDraw>, AppError> {
    let opening = openings::visible(&signed.state.db, &signed.account, id).await?;
    Ok(Json(lottery::draw(&signed.state, &signed.actor(), &opening).await?))
}

/// A lottery's recorded draw (seed, algorithm, order) and its re-run from the seed: anyone logged in may check it.
#[utoipa::path(get, path = "/api/openings/{id}/draw", tag = "openings",
    responses((status = 200, body = RecordedDraw), (status = 404, body = ErrorBody)))]
async fn recorded_draw(signed: Signed<AnyAccount>, Path(id): Path<i64>) -> Result<Json<RecordedDraw>, AppError> {
    openings::visible(&signed.state.db, &signed.account, id).await?;
    lottery::recorded(&signed.state.db, id).await?.map(Json).ok_or_else(|| {
        AppError::not_found(Text::new("この募集はまだ抽選されていません。", "This opening has not been drawn."))
    })
}

/// Booked, waitlisted, applied and cancelled counts of one opening (people).
#[utoipa::path(get, path = "/api/openings/{id}/counts", tag = "openings",
    responses((status = 200, body = OpeningCounts), (status = 404, body = ErrorBody)))]
async fn opening_counts(signed: Signed<Staff>, Path(id): Path<i64>) -> Result<Json<OpeningCounts>, AppError> {
    let opening = openings::visible(&signed.state.db, &signed.account, id).await?;
    let all = counts::for_days(&signed.state.db, Some(opening.center_id), opening.day, opening.day).await?;
    all.into_iter().find(|c| c.opening_id == id).map(Json).ok_or_else(openings::not_found)
}

/// The list for the meeting point: CSV, UTF-8 with BOM (Excel), personal data marked.
#[utoipa::path(get, path = "/api/openings/{id}/bookings.csv", tag = "openings",
    responses((status = 200, description = "CSV", content_type = "text/csv"), (status = 404, body = ErrorBody)))]
async fn opening_csv(signed: Signed<Staff>, Path(id): Path<i64>) -> Result<Response, AppError> {
    let opening = openings::visible(&signed.state.db, &signed.account, id).await?;
    let body = roster::csv(&signed.state.db, &opening).await?;
    let name = crate::csv_cells::personal_file_name(&format!("予約_{}_{}", opening.day, opening.id));
    let disposition = format!("attachment; filename=\"booking.csv\"; filename*=UTF-8''{}", percent(&name));
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)],
        body,
    )
        .into_response())
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }
        })
        .collect()
}

/// Book an opening (or join its waitlist, or apply to its lottery): a verified volunteer, one a day.
#[utoipa::path(post, path = "/api/openings/{id}/bookings", tag = "bookings",
    responses((status = 201, body = Booking), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn book_opening(
    signed: Signed<VerifiedVolunteer>,
    Path(id): Path<i64>,
) -> Result<(StatusCode, Json<Booking>), AppError> {
    let booking = book::book(&signed.state, signed.account.id, id).await?;
    Ok((StatusCode::CREATED, Json(booking)))
}

/// The volunteer's own bookings.
#[utoipa::path(get, path = "/api/bookings", tag = "bookings", responses((status = 200, body = Vec<Booking>)))]
async fn my_bookings(signed: Signed<Volunteer>) -> Result<Json<Vec<Booking>>, AppError> {
    Ok(Json(book::mine(&mut *signed.state.db.pool.acquire().await?, signed.account.id).await?))
}

/// One of the volunteer's own bookings (another's is 404).
#[utoipa::path(get, path = "/api/bookings/{id}", tag = "bookings",
    responses((status = 200, body = Booking), (status = 404, body = ErrorBody)))]
async fn my_booking(signed: Signed<Volunteer>, Path(id): Path<i64>) -> Result<Json<Booking>, AppError> {
    Ok(Json(book::one_of_mine(&mut *signed.state.db.pool.acquire().await?, signed.account.id, id).await?))
}

/// Cancel one's own booking, until the opening's cutoff; the waitlist moves up in order.
#[utoipa::path(delete, path = "/api/bookings/{id}", tag = "bookings",
    responses((status = 200, body = Booking), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn cancel_booking(signed: Signed<Volunteer>, Path(id): Path<i64>) -> Result<Json<Booking>, AppError> {
    Ok(Json(book::cancel(&signed.state, signed.account.id, id).await?))
}

//! HTTP edge of reception.

use std::net::SocketAddr;
use std::time::Instant;

use axum::Json;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::response::Response;
use chrono::{Duration, NaiveDate};
use serde::Deserialize;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::capacity::{self, CapacityInput, DayCapacity};
use super::check_in::{self, CheckInInput, InsuranceInput};
use super::form::{Channel, RegistrationForm};
use super::model::{CheckIn, Volunteer};
use super::register::{self, PublicReceipt, Registered};
use super::stats::{self, ReceptionCounts};
use super::{badge, export, search, store};
use crate::auth::extract::{Admin, Coordinator, Reception};
use crate::auth::staff::{Answer, Created, Staff, created};
use crate::dates::Window;
use crate::error::{ApiJson, AppError, Class, ErrorBody};
use crate::events::Actor;
use crate::i18n::Text;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(pre_register))
        .routes(routes!(public_badge))
        .routes(routes!(public_days))
        .routes(routes!(register_walk_in, search_volunteers))
        .routes(routes!(get_volunteer))
        .routes(routes!(check_in_volunteer))
        .routes(routes!(check_out_volunteer))
        .routes(routes!(cancel_check_in))
        .routes(routes!(change_insurance))
        .routes(routes!(volunteer_badge))
        .routes(routes!(volunteers_csv))
        .routes(routes!(set_capacity))
        .routes(routes!(list_capacity))
        .routes(routes!(today_counts))
}

fn volunteer_not_found() -> AppError {
    AppError::not_found(Text::new("該当するボランティアが見つかりません。", "No such volunteer."))
}

/// 事前登録 (public, no login; limited per client address).
#[utoipa::path(post, path = "/api/public/registrations", tag = "reception", request_body = super::form::PublicRegistrationForm,
    responses((status = 201, body = PublicReceipt), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody)))]
async fn pre_register(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    ApiJson(form): ApiJson<RegistrationForm>,
) -> Created<PublicReceipt> {
    public_rate_limit(&state, client)?;
    match register::register(&state.db, &state.clock, &Actor::public(), form, Channel::Public).await? {
        Registered::Created { volunteer, qr_token } => {
            created(PublicReceipt { volunteer_no: volunteer.volunteer_no, qr_token })
        }
        Registered::Existing(_) => Err(register::already_registered()),
    }
}

pub fn public_rate_limit(state: &AppState, client: SocketAddr) -> Result<(), AppError> {
    state.public_limiter.check(client.ip(), Instant::now()).map_err(|wait| {
        let mut error = AppError::new(
            Class::TooMany,
            "rate_limited",
            Text::new(
                "短い時間に多くの登録がありました。しばらく待ってからもう一度お試しください。",
                "Too many registrations from this device. Please wait a little and try again.",
            ),
        );
        error.retry_after = Some(wait);
        error
    })
}

/// The badge of a pre-registration, by its QR token (public: the token is the secret).
#[utoipa::path(get, path = "/api/public/registrations/{token}/badge.pdf", tag = "reception",
    params(("token" = String, Path)), responses((status = 200, content_type = "application/pdf"), (status = 404, body = ErrorBody)))]
async fn public_badge(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, AppError> {
    let day = state.clock.activity_day();
    let volunteer = register::by_token(&state.db, &token, day).await?.ok_or_else(volunteer_not_found)?;
    // A pre-registration's badge shows the first day booked from today on.
    let booked = register::next_booked_day(&state.db, volunteer.id, day).await?.unwrap_or(day);
    let drill = state.db.is_drill();
    Ok(badge_response(crate::web::off_the_workers(move || badge::render(&volunteer, &token, booked, drill)).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct DaysQuery {
    /// First day (default: today).
    from: Option<NaiveDate>,
    /// How many days (default 14, at most 60).
    days: Option<i64>,
}

/// Which days are open for pre-registration (public; counts only).
#[utoipa::path(get, path = "/api/public/days", tag = "reception", params(DaysQuery),
    responses((status = 200, body = Vec<DayCapacity>)))]
async fn public_days(State(state): State<AppState>, Query(q): Query<DaysQuery>) -> Answer<Vec<DayCapacity>> {
    days(&state, q).await.map(Json)
}

async fn days(state: &AppState, q: DaysQuery) -> Result<Vec<DayCapacity>, AppError> {
    let window = Window::read(&state.db.read, &state.clock).await?;
    let from = window.day_if_given("from", q.from)?.unwrap_or_else(|| state.clock.activity_day());
    let mut out = Vec::new();
    for offset in 0..q.days.unwrap_or(14).clamp(1, 60) {
        out.push(capacity::for_day(&state.db.read, from + Duration::days(offset)).await?);
    }
    Ok(out)
}

/// 当日受付: a walk-in registration. A phone-and-name twin is offered (409
/// `duplicate`, `details.existing`) unless `force_new` is set.
#[utoipa::path(post, path = "/api/volunteers", tag = "reception", request_body = RegistrationForm,
    responses((status = 201, body = Volunteer), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn register_walk_in(staff: Staff<Reception>, ApiJson(form): ApiJson<RegistrationForm>) -> Created<Volunteer> {
    match register::register(&staff.db, &staff.clock, &staff.actor, form, Channel::WalkIn).await? {
        Registered::Created { volunteer, .. } => created(*volunteer),
        Registered::Existing(existing) => Err(AppError::conflict(Text::new(
            format!(
                "同じ電話番号とお名前の方が登録済みです（{} {}）。この方ではありませんか？",
                existing.volunteer_no, existing.name
            ),
            format!(
                "A volunteer with this phone and name exists ({} {}). Is it them?",
                existing.volunteer_no, existing.name
            ),
        ))
        .with_field("phone")
        .with_details(json!({ "existing": existing }))
        .coded("duplicate")),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct SearchQuery {
    /// Furigana or name (prefix), phone (any form, or its last digits), or number (`V-0012`).
    q: Option<String>,
}

/// Search volunteers, each with today's check-in.
#[utoipa::path(get, path = "/api/volunteers", tag = "reception", params(SearchQuery),
    responses((status = 200, body = Vec<Volunteer>)))]
async fn search_volunteers(staff: Staff<Reception>, Query(q): Query<SearchQuery>) -> Answer<Vec<Volunteer>> {
    let day = staff.clock.activity_day();
    Ok(Json(search::search(&staff.db.read, q.q.as_deref().unwrap_or(""), day).await?))
}

/// One volunteer, with today's check-in.
#[utoipa::path(get, path = "/api/volunteers/{id}", tag = "reception", params(("id" = i64, Path)),
    responses((status = 200, body = Volunteer), (status = 404, body = ErrorBody)))]
async fn get_volunteer(staff: Staff<Reception>, Path(id): Path<i64>) -> Answer<Volunteer> {
    let day = staff.clock.activity_day();
    store::volunteer(&staff.db.read, id, day).await?.map(Json).ok_or_else(volunteer_not_found)
}

/// 受付: check in for today by `qr_token`, `volunteer_no` or `volunteer_id`.
#[utoipa::path(post, path = "/api/checkins", tag = "reception", request_body = CheckInInput,
    responses((status = 201, body = Volunteer), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn check_in_volunteer(staff: Staff<Reception>, ApiJson(input): ApiJson<CheckInInput>) -> Created<Volunteer> {
    created(check_in::check_in(&staff.db, &staff.clock, &staff.actor, input).await?)
}

#[derive(Deserialize, utoipa::ToSchema)]
struct CheckOutInput {
    volunteer_id: i64,
}

/// 退所: check out; records the minutes worked.
#[utoipa::path(post, path = "/api/checkouts", tag = "reception", request_body = CheckOutInput,
    responses((status = 200, body = CheckIn), (status = 409, body = ErrorBody)))]
async fn check_out_volunteer(staff: Staff<Reception>, ApiJson(input): ApiJson<CheckOutInput>) -> Answer<CheckIn> {
    Ok(Json(check_in::check_out(&staff.db, &staff.clock, &staff.actor, input.volunteer_id).await?))
}

/// 受付の取消: undo today's check-in (the wrong person, or a mistaken check-out).
#[utoipa::path(post, path = "/api/checkins/cancel", tag = "reception", request_body = CheckOutInput,
    responses((status = 200, body = Volunteer), (status = 409, body = ErrorBody)))]
async fn cancel_check_in(staff: Staff<Reception>, ApiJson(input): ApiJson<CheckOutInput>) -> Answer<Volunteer> {
    Ok(Json(check_in::cancel_check_in(&staff.db, &staff.clock, &staff.actor, input.volunteer_id).await?))
}

/// Change today's insurance (e.g. 当日加入 at the desk).
#[utoipa::path(post, path = "/api/volunteers/{id}/insurance", tag = "reception", params(("id" = i64, Path)),
    request_body = InsuranceInput, responses((status = 200, body = Volunteer), (status = 409, body = ErrorBody)))]
async fn change_insurance(
    staff: Staff<Reception>,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<InsuranceInput>,
) -> Answer<Volunteer> {
    Ok(Json(check_in::change_insurance(&staff.db, &staff.clock, &staff.actor, id, input).await?))
}

/// Name badge (名札) with the QR code, A4 to cut out.
#[utoipa::path(get, path = "/api/volunteers/{id}/badge.pdf", tag = "reception", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/pdf"), (status = 404, body = ErrorBody)))]
async fn volunteer_badge(staff: Staff<Reception>, Path(id): Path<i64>) -> Result<Response, AppError> {
    let day = staff.clock.activity_day();
    let volunteer = store::volunteer(&staff.db.read, id, day).await?.ok_or_else(volunteer_not_found)?;
    let token = store::qr_token(&staff.db.read, id).await?;
    let drill = staff.db.is_drill();
    Ok(badge_response(crate::web::off_the_workers(move || badge::render(&volunteer, &token, day, drill)).await?))
}

/// The badge PDF, named after the volunteer.
fn badge_response((volunteer_no, bytes): (String, Vec<u8>)) -> Response {
    crate::web::pdf_response(&format!("badge-{volunteer_no}.pdf"), bytes)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct DateQuery {
    /// Activity day, `YYYY-MM-DD` (default: today).
    date: Option<NaiveDate>,
}

/// The day's checked-in volunteers as CSV (UTF-8 with BOM; personal data).
#[utoipa::path(get, path = "/api/volunteers.csv", tag = "reception", params(DateQuery),
    responses((status = 200, content_type = "text/csv")))]
async fn volunteers_csv(staff: Staff<Coordinator>, Query(q): Query<DateQuery>) -> Result<Response, AppError> {
    let window = Window::read(&staff.db.read, &staff.clock).await?;
    let day = window.day_if_given("date", q.date)?.unwrap_or_else(|| staff.clock.activity_day());
    let bytes = export::day_csv(&staff.db.read, day).await?;
    Ok(crate::web::csv_download(&export::file_name(day), bytes))
}

/// Set a day's 受入上限 (admin).
#[utoipa::path(put, path = "/api/capacity/{day}", tag = "reception", params(("day" = NaiveDate, Path)),
    request_body = CapacityInput, responses((status = 200, body = DayCapacity), (status = 422, body = ErrorBody)))]
async fn set_capacity(
    staff: Staff<Admin>,
    Path(day): Path<NaiveDate>,
    ApiJson(input): ApiJson<CapacityInput>,
) -> Answer<DayCapacity> {
    let day = Window::read(&staff.db.read, &staff.clock).await?.day("day", day)?;
    Ok(Json(capacity::set(&staff.db, &staff.clock, &staff.actor, day, input.capacity).await?))
}

/// Capacity and bookings by day.
#[utoipa::path(get, path = "/api/capacity", tag = "reception", params(DaysQuery),
    responses((status = 200, body = Vec<DayCapacity>)))]
async fn list_capacity(staff: Staff<Reception>, Query(q): Query<DaysQuery>) -> Answer<Vec<DayCapacity>> {
    days(&staff, q).await.map(Json)
}

/// Today's reception figures, for the desk screen.
#[utoipa::path(get, path = "/api/reception/today", tag = "reception",
    responses((status = 200, body = ReceptionCounts)))]
async fn today_counts(staff: Staff<Reception>) -> Answer<ReceptionCounts> {
    Ok(Json(stats::for_day(&staff.db.read, staff.clock.activity_day()).await?))
}

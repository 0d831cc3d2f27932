//! Reception's pages: the public pre-registration form and its confirmation,
//! and the desk screen for reception staff. The pages post to the JSON API.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use chrono::{Duration, NaiveDate};
use qrcode::QrCode;
use qrcode::render::svg;

use super::capacity;
use super::model::Insurance;
use super::register;
use super::stats::{self, ReceptionCounts};
use crate::auth::Role;
use crate::auth::extract::{Allowed, Coordinator, Reception};
use crate::clock::stamp;
use crate::i18n::date_in;
use crate::settings;
use crate::state::AppState;
use crate::web::page::{Page, PageResult};
use crate::web::pages::{PageContext, message_page, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/register", get(registration_form))
        .route("/register/done/{token}", get(registered))
        .route("/reception", get(desk))
}

/// A day offered on the public form.
pub struct DayOption {
    pub value: String,
    pub label: String,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "reception/register.html")]
struct RegisterPage {
    page: PageContext,
    public: bool,
    days: Vec<DayOption>,
    /// Who may volunteer here, before they fill in the form (the center's setting; none at 0).
    age_rule: Option<String>,
}

#[derive(Template)]
#[template(path = "reception/registered.html")]
struct RegisteredPage {
    page: PageContext,
    volunteer_no: String,
    name: String,
    token: String,
    qr_svg: String,
    booked: String,
    uninsured: bool,
}

#[derive(Template)]
#[template(path = "reception/desk.html")]
struct DeskPage {
    page: PageContext,
    public: bool,
    days: Vec<DayOption>,
    today: String,
    counts: ReceptionCounts,
    /// Admins also see and set the days' capacity.
    is_admin: bool,
    /// Coordinators and admins also get the day's volunteers as CSV (personal data).
    volunteers_csv: bool,
    capacity: Vec<CapacityRow>,
    hours: ReceptionHours,
}

/// The center's reception hours and its time now, for the desk's 受付時間外
/// warning (a check-in outside them is still taken).
pub struct ReceptionHours {
    pub opens: String,
    pub closes: String,
    pub center_time: String,
}

pub struct CapacityRow {
    pub day: String,
    pub label: String,
    pub booked: i64,
    pub capacity: Option<i64>,
    pub open: bool,
}

/// Days offered for pre-registration: the next two weeks.
const DAYS_OFFERED: i64 = 14;

/// The days offered from `today`, with their capacity.
async fn days_ahead(
    db: &sqlx::SqlitePool,
    today: NaiveDate,
) -> Result<Vec<(NaiveDate, capacity::DayCapacity)>, sqlx::Error> {
    let mut days = Vec::new();
    for offset in 0..DAYS_OFFERED {
        let day = today + Duration::days(offset);
        days.push((day, capacity::for_day(db, day).await?));
    }
    Ok(days)
}

async fn registration_form(State(state): State<AppState>, page: PageContext) -> PageResult {
    let days = days_ahead(&state.db.read, state.clock.activity_day()).await?;
    let days = days
        .into_iter()
        .map(|(day, c)| DayOption { value: day.to_string(), label: date_in(page.lang, day), open: c.open })
        .collect();
    let minimum_age = crate::settings::current(&mut *state.db.read.acquire().await?).await?.values.minimum_age;
    let age_rule =
        (minimum_age > 0).then(|| page.t.with("reception.register.age_rule", [("age", minimum_age.to_string())]));
    Ok(render(StatusCode::OK, &RegisterPage { page, public: true, days, age_rule }))
}

async fn registered(State(state): State<AppState>, page: PageContext, Path(token): Path<String>) -> PageResult {
    let today = state.clock.activity_day();
    let Some(volunteer) = register::by_token(&state.db, &token, today).await? else {
        let (heading, text) =
            (page.t.get("reception.registration_not_found"), page.t.get("reception.check_your_qr_copy"));
        return Ok(message_page(page, StatusCode::NOT_FOUND, &heading, &text));
    };
    let booked = register::booked_days(&state.db, volunteer.id).await?;
    let booked =
        booked.into_iter().map(|d| date_in(page.lang, d)).collect::<Vec<_>>().join(&page.t.get("label.day_separator"));
    Ok(render(
        StatusCode::OK,
        &RegisteredPage {
            page,
            qr_svg: qr_svg(&token),
            volunteer_no: volunteer.volunteer_no,
            name: volunteer.name,
            token: token.trim().to_ascii_uppercase(),
            booked,
            uninsured: volunteer.insurance == Insurance::None,
        },
    ))
}

/// The token as an inline SVG QR code (no image files, no JavaScript).
fn qr_svg(token: &str) -> String {
    let Ok(code) = QrCode::with_error_correction_level(token.trim().to_ascii_uppercase(), qrcode::EcLevel::M) else {
        return String::new();
    };
    let svg = code.render::<svg::Color<'_>>().min_dimensions(240, 240).quiet_zone(true).build();
    // Drop the XML declaration: the SVG goes inside HTML.
    svg.find("<svg").map(|i| svg[i..].to_string()).unwrap_or_default()
}

async fn desk(State(state): State<AppState>, Page { user, page, .. }: Page<Reception>) -> PageResult {
    let today = state.clock.activity_day();
    let settings = settings::current(&mut *state.db.read.acquire().await?).await?;
    let hours = ReceptionHours {
        opens: settings.values.reception_opens,
        closes: settings.values.reception_closes,
        center_time: stamp(state.clock.now()),
    };
    let counts = stats::for_day(&state.db.read, today).await?;
    let is_admin = user.role == Role::Admin;
    let capacity = if is_admin { days_ahead(&state.db.read, today).await? } else { Vec::new() };
    let capacity = capacity
        .into_iter()
        .map(|(day, c)| CapacityRow {
            day: c.day,
            label: date_in(page.lang, day),
            booked: c.booked,
            capacity: c.capacity,
            open: c.open,
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &DeskPage {
            today: date_in(page.lang, today),
            page,
            public: false,
            days: Vec::new(),
            counts,
            is_admin,
            volunteers_csv: Coordinator::admits(user.role),
            capacity,
            hours,
        },
    ))
}

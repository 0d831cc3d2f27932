//! Reception's pages: the public pre-registration form and its confirmation,
//! and the desk screen for reception staff. The pages post to the JSON API.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Duration;
use qrcode::QrCode;
use qrcode::render::svg;

use super::capacity;
use super::model::Insurance;
use super::register;
use super::stats::{self, ReceptionCounts};
use crate::auth::Role;
use crate::i18n::date_ja;
use crate::state::AppState;
use crate::web::pages::{PageContext, message_page, page_user, render};

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
    capacity: Vec<CapacityRow>,
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

async fn registration_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let today = state.clock.activity_day();
    let mut days = Vec::new();
    for offset in 0..DAYS_OFFERED {
        let day = today + Duration::days(offset);
        let open = match capacity::for_day(&state.db.read, day).await {
            Ok(c) => c.open,
            Err(error) => return crate::error::AppError::from(error).into_response(),
        };
        days.push(DayOption { value: day.to_string(), label: date_ja(day), open });
    }
    render(StatusCode::OK, &RegisterPage { page: PageContext::new(&state, &headers, None), public: true, days })
}

async fn registered(State(state): State<AppState>, headers: HeaderMap, Path(token): Path<String>) -> Response {
    let page = PageContext::new(&state, &headers, None);
    let today = state.clock.activity_day();
    let volunteer = match register::by_token(&state.db, &token, today).await {
        Ok(Some(v)) => v,
        Ok(None) => {
            return message_page(
                page,
                StatusCode::NOT_FOUND,
                "登録が見つかりません",
                "QRコードの控えをご確認ください。",
            );
        }
        Err(error) => return crate::error::AppError::from(error).into_response(),
    };
    let booked = match register::booked_days(&state.db, volunteer.id).await {
        Ok(days) => days.into_iter().map(date_ja).collect::<Vec<_>>().join("、"),
        Err(error) => return crate::error::AppError::from(error).into_response(),
    };
    render(
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
    )
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

async fn desk(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let user = match page_user(&state, &headers).await {
        Ok(user) => user,
        Err(redirect) => return redirect,
    };
    if !matches!(user.role, Role::Reception | Role::Coordinator | Role::Admin) {
        let page = PageContext::new(&state, &headers, Some(user));
        let text = page.t.forbidden;
        return message_page(page, StatusCode::FORBIDDEN, "受付", text);
    }
    let today = state.clock.activity_day();
    let counts = match stats::for_day(&state.db.read, today).await {
        Ok(counts) => counts,
        Err(error) => return crate::error::AppError::from(error).into_response(),
    };
    let is_admin = user.role == Role::Admin;
    let mut capacity = Vec::new();
    if is_admin {
        for offset in 0..DAYS_OFFERED {
            let day = today + Duration::days(offset);
            match capacity::for_day(&state.db.read, day).await {
                Ok(c) => capacity.push(CapacityRow {
                    day: c.day,
                    label: date_ja(day),
                    booked: c.booked,
                    capacity: c.capacity,
                    open: c.open,
                }),
                Err(error) => return crate::error::AppError::from(error).into_response(),
            }
        }
    }
    let page = PageContext::new(&state, &headers, Some(user));
    render(
        StatusCode::OK,
        &DeskPage { page, public: false, days: Vec::new(), today: date_ja(today), counts, is_admin, capacity },
    )
}

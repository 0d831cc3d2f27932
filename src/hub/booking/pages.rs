//! Hub staff pages, server-rendered, Japanese or English (`?lang=en`, else the
//! `borasen_lang` cookie): a center's openings calendar for a month with each
//! day's booked, waitlisted and cancelled counts, and one opening's list for
//! the meeting point (with its CSV).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use axum::response::Html;
use axum::routing::get;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::counts;
use super::mails::booking_no;
use super::openings;
use super::roster;
use crate::error::AppError;
use crate::hub::roles::{HubRole, Signed, Staff};
use crate::hub::state::HubState;
use crate::i18n::{Lang, word, word_with};

pub fn router() -> Router<HubState> {
    Router::new().route("/hub/staff/calendar", get(calendar)).route("/hub/staff/openings/{id}", get(opening_page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PageQuery {
    lang: Option<String>,
    center_id: Option<i64>,
    /// `YYYY-MM`
    month: Option<String>,
}

fn lang_of(query: &PageQuery, headers: &HeaderMap) -> Lang {
    match query.lang.as_deref() {
        Some("en") => Lang::En,
        Some("ja") => Lang::Ja,
        _ => Lang::for_page(headers),
    }
}

fn other(lang: Lang) -> Lang {
    if lang == Lang::Ja { Lang::En } else { Lang::Ja }
}

fn state_label(lang: Lang, state: &str) -> String {
    word(lang, &format!("hub_booking.state.{state}")).into_owned()
}

struct DayRow {
    day: String,
    center: String,
    title: String,
    href: String,
    state: String,
    state_label: String,
    quota: i32,
    booked: i64,
    waitlisted: i64,
    cancelled: i64,
}

#[derive(Template)]
#[template(path = "hub_booking/calendar.html")]
struct CalendarPage {
    lang: &'static str,
    title: String,
    other_lang_href: String,
    other_lang_label: String,
    prev_href: String,
    prev_label: String,
    next_href: String,
    next_label: String,
    overview_href: String,
    overview_label: String,
    empty_label: String,
    headings: Vec<String>,
    days: Vec<DayRow>,
}

fn render(page: impl Template) -> Result<Html<String>, AppError> {
    page.render().map(Html).map_err(|e| {
        tracing::error!("hub page: {e}");
        AppError::internal()
    })
}

/// A month of a center's openings (center staff: their own; a hub admin: `?center_id=` or every center).
async fn calendar(
    signed: Signed<Staff>,
    headers: HeaderMap,
    Query(query): Query<PageQuery>,
) -> Result<Html<String>, AppError> {
    let lang = lang_of(&query, &headers);
    let center = match signed.account.role {
        HubRole::CenterStaff => {
            let own = signed.account.center_id.unwrap_or(-1);
            if query.center_id.is_some_and(|c| c != own) {
                return Err(AppError::forbidden());
            }
            Some(own)
        }
        _ => query.center_id,
    };
    let today = signed.state.clock.activity_day();
    let first = query
        .month
        .as_deref()
        .and_then(|m| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok())
        .unwrap_or_else(|| today.with_day(1).expect("day 1"));
    let next = first.checked_add_months(chrono::Months::new(1)).expect("a next month");
    let prev = first.checked_sub_months(chrono::Months::new(1)).expect("a month before");
    let last = next.pred_opt().expect("a day before");
    let rows = counts::for_days(&signed.state.db, center, first, last).await?;
    let names: std::collections::HashMap<i64, String> =
        crate::hub::centers::list(&signed.state.db).await?.into_iter().map(|c| (c.id, c.name)).collect();
    let name_of = |id: i64| names.get(&id).cloned().unwrap_or_else(|| id.to_string());
    let link = |month: NaiveDate, lang: Lang| {
        let center = center.map(|c| format!("&center_id={c}")).unwrap_or_default();
        format!("/hub/staff/calendar?month={}&lang={}{center}", month.format("%Y-%m"), lang.code())
    };
    let month_label = first.format("%Y-%m").to_string();
    let title = match center {
        Some(c) => {
            word_with(lang, "hub_booking.page.calendar_title", &[("center", &name_of(c)), ("month", &month_label)])
        }
        None => word_with(lang, "hub_booking.page.calendar_title_all", &[("month", &month_label)]),
    };
    let headings = ["day", "center", "title", "state", "quota", "booked", "waitlisted", "cancelled"]
        .iter()
        .map(|h| word(lang, &format!("hub_booking.page.column.{h}")).into_owned())
        .collect();
    let days = rows
        .into_iter()
        .map(|r| DayRow {
            day: r.day.format("%Y-%m-%d").to_string(),
            center: name_of(r.center_id),
            href: format!("/hub/staff/openings/{}?lang={}", r.opening_id, lang.code()),
            title: r.title,
            state_label: state_label(lang, &r.state),
            state: r.state,
            quota: r.quota,
            booked: r.booked,
            waitlisted: r.waitlisted + r.applied,
            cancelled: r.cancelled,
        })
        .collect();
    render(CalendarPage {
        lang: lang.code(),
        title,
        other_lang_href: link(first, other(lang)),
        other_lang_label: word(lang, "hub_booking.page.other_language").into_owned(),
        prev_href: link(prev, lang),
        prev_label: word(lang, "hub_booking.page.previous_month").into_owned(),
        next_href: link(next, lang),
        next_label: word(lang, "hub_booking.page.next_month").into_owned(),
        overview_href: format!(
            "/hub/staff/overview?from={first}&to={last}{}&lang={}",
            center.map(|c| format!("&center_id={c}")).unwrap_or_default(),
            lang.code()
        ),
        overview_label: word(lang, "hub_overview.page.nav_link").into_owned(),
        empty_label: word(lang, "hub_booking.page.no_openings").into_owned(),
        headings,
        days,
    })
}

#[derive(Template)]
#[template(path = "hub_booking/opening.html")]
struct OpeningPage {
    lang: &'static str,
    title: String,
    other_lang_href: String,
    other_lang_label: String,
    calendar_href: String,
    calendar_label: String,
    facts: Vec<(String, String)>,
    csv_href: String,
    csv_label: String,
    list_label: String,
    headings: Vec<String>,
    people: Vec<Vec<String>>,
}

/// One opening: its facts, counts, and who to expect at the meeting point.
async fn opening_page(
    signed: Signed<Staff>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<PageQuery>,
) -> Result<Html<String>, AppError> {
    let lang = lang_of(&query, &headers);
    let opening = openings::visible(&signed.state.db, &signed.account, id).await?;
    let counted = counts::for_days(&signed.state.db, Some(opening.center_id), opening.day, opening.day)
        .await?
        .into_iter()
        .find(|c| c.opening_id == id)
        .unwrap_or_default();
    let label = |key: &str| word(lang, &format!("hub_booking.page.column.{key}")).into_owned();
    let facts = vec![
        (label("day"), opening.day.format("%Y-%m-%d").to_string()),
        (label("center"), opening.center_id.to_string()),
        (label("state"), state_label(lang, &opening.state)),
        (label("meeting"), format!("{} {}", opening.meeting_time.format("%H:%M"), opening.meeting_point)),
        (label("bring"), opening.bring.clone()),
        (label("quota"), opening.quota.to_string()),
        (label("booked"), counted.booked.to_string()),
        (label("waitlisted"), (counted.waitlisted + counted.applied).to_string()),
        (label("cancelled"), counted.cancelled.to_string()),
    ];
    let people = roster::people(&signed.state.db, &opening)
        .await?
        .into_iter()
        .filter(|p| matches!(p.status.as_str(), "booked" | "waitlisted" | "applied"))
        .map(|p| {
            vec![
                booking_no(p.booking_id),
                state_label(lang, &format!("booking_{}", p.status)),
                p.seats.to_string(),
                p.name.unwrap_or_default(),
                p.furigana.unwrap_or_default(),
                p.phone.unwrap_or_default(),
            ]
        })
        .collect();
    let headings = ["number", "status", "seats", "name", "furigana", "phone"].iter().map(|h| label(h)).collect();
    render(OpeningPage {
        lang: lang.code(),
        title: format!("{} — {}", opening.title, opening.day.format("%Y-%m-%d")),
        other_lang_href: format!("/hub/staff/openings/{id}?lang={}", other(lang).code()),
        other_lang_label: word(lang, "hub_booking.page.other_language").into_owned(),
        calendar_href: format!(
            "/hub/staff/calendar?center_id={}&month={}&lang={}",
            opening.center_id,
            opening.day.format("%Y-%m"),
            lang.code()
        ),
        calendar_label: word(lang, "hub_booking.page.back_to_calendar").into_owned(),
        facts,
        csv_href: format!("/api/openings/{id}/bookings.csv"),
        csv_label: word(lang, "hub_booking.page.download_csv").into_owned(),
        list_label: word(lang, "hub_booking.page.list").into_owned(),
        headings,
        people,
    })
}

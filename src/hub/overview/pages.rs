//! `/hub/staff/overview`: the overview across centers for hub staff — a range
//! form, the chart per day, the sums per day, each center's days, the
//! definitions; hub admins also see no-shows per account. Japanese or English
//! (`?lang=en`, else the `borasen_lang` cookie). No SQL and no rule here: the
//! API's functions, with its role rules.

use askama::Template;
use axum::Router;
use axum::extract::Query;
use axum::http::HeaderMap;
use axum::response::Html;
use axum::routing::get;
use serde::Deserialize;

use super::chart;
use super::figures::{self, CenterDay, DayTotal};
use super::http::OverviewQuery;
use crate::error::AppError;
use crate::hub::roles::{HubRole, Signed, Staff};
use crate::hub::state::HubState;
use crate::i18n::{Lang, word, word_with};

pub fn router() -> Router<HubState> {
    Router::new().route("/hub/staff/overview", get(overview_page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PageQuery {
    lang: Option<String>,
    #[serde(flatten)]
    range: OverviewQuery,
}

struct Cell {
    text: String,
    class: &'static str,
}

fn num(value: i64) -> Cell {
    Cell { text: value.to_string(), class: "num" }
}

fn maybe(value: Option<i64>) -> Cell {
    Cell { text: value.map(|v| v.to_string()).unwrap_or_default(), class: "num" }
}

#[derive(Template)]
#[template(path = "hub_overview/overview.html")]
struct OverviewPage {
    lang: &'static str,
    title: String,
    other_lang_href: String,
    other_lang_label: String,
    calendar_href: String,
    calendar_label: String,
    from: String,
    to: String,
    center_id: String,
    from_label: String,
    to_label: String,
    center_label: String,
    show_center_field: bool,
    show_label: String,
    error: Option<String>,
    error_field: String,
    csv_href: String,
    csv_label: String,
    chart_heading: String,
    chart: String,
    sums_heading: String,
    sum_headings: Vec<String>,
    sums: Vec<Vec<Cell>>,
    centers_heading: String,
    center_headings: Vec<String>,
    centers: Vec<Vec<Cell>>,
    empty_label: String,
    no_shows_heading: String,
    no_shows: Option<Vec<(i64, i64)>>,
    no_no_shows_label: String,
    account_label: String,
    no_show_count_label: String,
    help_heading: String,
    help: Vec<(String, String)>,
}

fn render(page: impl Template) -> Result<Html<String>, AppError> {
    page.render().map(Html).map_err(|e| {
        tracing::error!("hub page: {e}");
        AppError::internal()
    })
}

/// The page's link with these values (`center`: empty for none).
fn link(lang: Lang, from: &str, to: &str, center: &str) -> String {
    let center = if center.is_empty() { String::new() } else { format!("&center_id={center}") };
    format!("/hub/staff/overview?from={from}&to={to}{center}&lang={}", lang.code())
}

fn no_show_cell(lang: Lang, value: Option<i64>) -> Cell {
    match value {
        Some(n) => num(n),
        None => Cell { text: word(lang, "hub_overview.page.unreported").into_owned(), class: "unreported" },
    }
}

fn center_row(lang: Lang, c: &CenterDay) -> Vec<Cell> {
    vec![
        Cell { text: c.center_name.clone(), class: "" },
        Cell { text: c.day.to_string(), class: "" },
        Cell { text: format!("{} ({})", c.booked, c.booked_bookings), class: "num" },
        num(c.waitlisted),
        Cell { text: format!("{} ({})", c.came, c.came_bookings), class: "num" },
        no_show_cell(lang, c.no_show),
        maybe(c.walk_ins),
        maybe(c.teams),
        maybe(c.needs_received),
        maybe(c.needs_done),
    ]
}

fn sum_row(lang: Lang, t: &DayTotal) -> Vec<Cell> {
    vec![
        Cell { text: t.day.to_string(), class: "" },
        Cell { text: format!("{} ({})", t.centers, t.centers_reported), class: "num" },
        Cell { text: format!("{} ({})", t.booked, t.booked_bookings), class: "num" },
        num(t.waitlisted),
        Cell { text: format!("{} ({})", t.came, t.came_bookings), class: "num" },
        no_show_cell(lang, t.no_show),
        maybe(t.walk_ins),
        maybe(t.teams),
        maybe(t.needs_received),
        maybe(t.needs_done),
    ]
}

async fn overview_page(
    signed: Signed<Staff>,
    headers: HeaderMap,
    Query(query): Query<PageQuery>,
) -> Result<Html<String>, AppError> {
    let lang = match query.lang.as_deref() {
        Some("en") => Lang::En,
        Some("ja") => Lang::Ja,
        _ => Lang::for_page(&headers),
    };
    let other = if lang == Lang::Ja { Lang::En } else { Lang::Ja };
    let w = |key: &str| word(lang, &format!("hub_overview.{key}")).into_owned();
    let admin = signed.account.role == HubRole::HubAdmin;
    let today = signed.state.clock.activity_day();
    let asked = query.range.read(today);
    // The form shows what was typed when it was refused, else the range read.
    let typed = |v: &Option<String>| v.clone().unwrap_or_default();
    let (from, to, center) = match &asked {
        Ok((from, to, center)) => (from.to_string(), to.to_string(), center.map(|c| c.to_string()).unwrap_or_default()),
        Err(_) => (typed(&query.range.from), typed(&query.range.to), typed(&query.range.center_id)),
    };
    let mut page = OverviewPage {
        lang: lang.code(),
        title: word_with(lang, "hub_overview.page.title", &[("from", &from), ("to", &to)]),
        other_lang_href: link(other, &from, &to, &center),
        other_lang_label: w("page.other_language"),
        calendar_href: format!("/hub/staff/calendar?lang={}", lang.code()),
        calendar_label: w("page.calendar"),
        from_label: w("page.from"),
        to_label: w("page.to"),
        center_label: w("page.center"),
        show_center_field: admin,
        show_label: w("page.show"),
        error: None,
        error_field: String::new(),
        csv_href: String::new(),
        csv_label: w("page.download_csv"),
        chart_heading: w("page.chart"),
        chart: String::new(),
        sums_heading: w(if admin { "page.sums" } else { "page.sums_center" }),
        sum_headings: ["day", "centers", "booked", "waitlisted", "came", "no_show", "walk_ins", "teams"]
            .into_iter()
            .chain(["needs_received", "needs_done"])
            .map(|k| w(&format!("column.{k}")))
            .collect(),
        sums: Vec::new(),
        centers_heading: w("page.centers"),
        center_headings: ["center", "day", "booked", "waitlisted", "came", "no_show", "walk_ins", "teams"]
            .into_iter()
            .chain(["needs_received", "needs_done"])
            .map(|k| w(&format!("column.{k}")))
            .collect(),
        centers: Vec::new(),
        empty_label: w("page.empty"),
        no_shows_heading: w("page.no_shows"),
        no_shows: None,
        no_no_shows_label: w("page.no_no_shows"),
        account_label: w("page.account"),
        no_show_count_label: w("page.no_show_count"),
        help_heading: w("page.help"),
        help: ["people", "booked", "waitlisted", "came", "no_show", "report"]
            .into_iter()
            .map(|k| {
                let term = if k == "people" || k == "report" { String::new() } else { w(&format!("column.{k}")) };
                (term, w(&format!("help.{k}")))
            })
            .collect(),
        from,
        to,
        center_id: center,
    };
    let (from, to, center) = match asked {
        Ok(range) => range,
        Err(error) => {
            page.error = Some(error.message.get(lang).to_string());
            page.error_field = error.field.unwrap_or_default();
            return render(page);
        }
    };
    let overview = figures::overview(&signed.state.db, &signed.account, from, to, center).await?;
    if let Some(c) = overview.center_id {
        page.title = word_with(
            lang,
            "hub_overview.page.title_center",
            &[("center", &c.to_string()), ("from", &page.from), ("to", &page.to)],
        );
    }
    let center_param = overview.center_id.map(|c| format!("&center_id={c}")).unwrap_or_default();
    page.csv_href = format!("/api/overview.csv?from={from}&to={to}{center_param}");
    page.chart = chart::svg(&overview.prefecture, lang);
    page.sums = overview.prefecture.iter().map(|t| sum_row(lang, t)).collect();
    page.centers = overview.centers.iter().map(|c| center_row(lang, c)).collect();
    if admin {
        let counted = figures::no_shows(&signed.state.db, from, to, overview.center_id).await?;
        page.no_shows = Some(counted.into_iter().map(|n| (n.account_id, n.no_shows)).collect());
    }
    render(page)
}

//! The needs page (coordinators): the list with its filters, the intake form,
//! and a card's detail with its moves. The page posts to the JSON API.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use serde::Deserialize;

use super::filter::{self, FilterWords};
use super::model::{Category, Need, Status};
use super::store;
use crate::auth::extract::Coordinator;
use crate::i18n::Words;
use crate::state::AppState;
use crate::web::page::{Page, PageResult};
use crate::web::pages::{PageContext, render};

pub fn router() -> Router<AppState> {
    Router::new().route("/needs", get(needs_page))
}

/// How many rows the page shows; the CSV has them all.
const PAGE_ROWS: i64 = 300;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageQuery {
    status: String,
    zone: String,
    priority: String,
    category: String,
    q: String,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn choices(options: impl IntoIterator<Item = (String, String)>, current: &str) -> Vec<Choice> {
    options.into_iter().map(|(value, label)| Choice { selected: value == current, value, label }).collect()
}

pub struct Row {
    pub id: i64,
    pub need_no: String,
    pub status: &'static str,
    pub status_label: std::borrow::Cow<'static, str>,
    /// `pending`, `in_progress`, `done` or `cancelled`: the colour.
    pub tone: &'static str,
    pub priority: i64,
    pub zone: String,
    pub categories: String,
    pub people_needed: i64,
    pub needs_care: bool,
    pub received: String,
    pub requester_name: String,
    pub town: String,
}

impl Row {
    fn of(n: &Need, w: Words) -> Row {
        Row {
            id: n.id,
            need_no: n.need_no.clone(),
            status: n.status.as_str(),
            status_label: w.get(&format!("label.need_status.{}", n.status.as_str())),
            tone: match n.status.map_state() {
                Some(super::model::MapState::Pending) => "pending",
                Some(super::model::MapState::InProgress) => "in_progress",
                Some(super::model::MapState::Done) => "done",
                None => "cancelled",
            },
            priority: n.priority,
            zone: n.zone.clone().unwrap_or_else(|| w.get("label.zone_unknown").into_owned()),
            categories: n
                .categories
                .iter()
                .map(|c| w.get(&format!("label.need_category.{}", c.as_str())))
                .collect::<Vec<_>>()
                .join(&w.get("label.list_separator")),
            people_needed: n.people_needed,
            needs_care: n.needs_care,
            // `2026-07-12T08:05:00+09:00` → `07-12 08:05`
            received: n.received_at.get(5..16).unwrap_or(&n.received_at).replace('T', " "),
            requester_name: n.requester_name.clone(),
            town: n.town.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "needs/index.html")]
struct NeedsPage {
    page: PageContext,
    rows: Vec<Row>,
    total: i64,
    shown_all: bool,
    statuses: Vec<Choice>,
    zones: Vec<Choice>,
    zone_names: Vec<String>,
    priorities: Vec<Choice>,
    categories: Vec<Choice>,
    all_categories: Vec<Choice>,
    q: String,
    csv_query: String,
}

/// A bad filter (a hand-edited address) is refused with its message, like the API's 422.
async fn needs_page(
    State(state): State<AppState>,
    Page { page, .. }: Page<Coordinator>,
    Query(mut q): Query<PageQuery>,
) -> PageResult {
    if q.status.is_empty() {
        q.status = "open".into();
    }
    let words = FilterWords::from_form(&q.status, &q.zone, &q.priority, &q.category, &q.q)?;
    let filter = store::Filter { limit: PAGE_ROWS, ..filter::parse(words, true)? };
    let (needs, total) = store::list(&mut *state.db.read.acquire().await?, &filter).await?;
    Ok(render(StatusCode::OK, &NeedsPage::of(page, q, &needs, total, state.zones.current().names())))
}

impl NeedsPage {
    fn of(page: PageContext, q: PageQuery, needs: &[Need], total: i64, zone_names: Vec<String>) -> NeedsPage {
        let w = &page.t;
        let statuses =
            choices(
                [
                    ("open".to_string(), w.get("needs.filter.open").into_owned()),
                    ("all".to_string(), w.get("needs.filter.all").into_owned()),
                ]
                .into_iter()
                .chain(Status::ALL.iter().map(|s| {
                    (s.as_str().to_string(), w.get(&format!("label.need_status.{}", s.as_str())).into_owned())
                })),
                &q.status,
            );
        let zones = choices(
            [
                (String::new(), w.get("needs.filter.all_zones").into_owned()),
                ("-".to_string(), w.get("label.zone_unknown").into_owned()),
            ]
            .into_iter()
            .chain(zone_names.iter().map(|z| (z.clone(), z.clone()))),
            &q.zone,
        );
        let priorities = choices(
            [
                ("", "needs.filter.all_priorities"),
                ("1", "needs.priority.1"),
                ("2", "needs.priority.2"),
                ("3", "needs.priority.3"),
            ]
            .map(|(v, key)| (v.to_string(), w.get(key).into_owned())),
            &q.priority,
        );
        let category_options = || {
            Category::ALL
                .iter()
                .map(|c| (c.as_str().to_string(), w.get(&format!("label.need_category.{}", c.as_str())).into_owned()))
        };
        let categories = choices(
            [(String::new(), w.get("needs.filter.all_work").into_owned())].into_iter().chain(category_options()),
            &q.category,
        );
        let csv_query = query_string(&[
            ("status", if q.status == "all" { "" } else { q.status.as_str() }),
            ("zone", &q.zone),
            ("priority", &q.priority),
            ("category", &q.category),
        ]);
        let rows = needs.iter().map(|n| Row::of(n, *w)).collect();
        let all_categories = choices(category_options(), "");
        NeedsPage {
            shown_all: needs.len() as i64 == total,
            rows,
            total,
            statuses,
            zones,
            zone_names,
            priorities,
            categories,
            all_categories,
            q: q.q,
            csv_query,
            page,
        }
    }
}

/// `a=1&b=2`, leaving out empty values.
fn query_string(pairs: &[(&str, &str)]) -> String {
    let kept: Vec<&(&str, &str)> = pairs.iter().filter(|(_, v)| !v.is_empty()).collect();
    serde_urlencoded::to_string(kept).unwrap_or_default()
}

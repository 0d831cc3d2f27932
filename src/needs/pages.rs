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
    pub status_label: &'static str,
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
    fn of(n: &Need) -> Row {
        Row {
            id: n.id,
            need_no: n.need_no.clone(),
            status: n.status.as_str(),
            status_label: n.status.label_ja(),
            tone: match n.status.map_state() {
                Some(super::model::MapState::Pending) => "pending",
                Some(super::model::MapState::InProgress) => "in_progress",
                Some(super::model::MapState::Done) => "done",
                None => "cancelled",
            },
            priority: n.priority,
            zone: n.zone.clone().unwrap_or_else(|| "地区不明".into()),
            categories: n.categories.iter().map(|c| c.label_ja()).collect::<Vec<_>>().join("・"),
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
        let statuses = choices(
            [
                ("open".to_string(), "未完了（すべて）".to_string()),
                ("all".to_string(), "すべて（完了・取消を含む）".to_string()),
            ]
            .into_iter()
            .chain(Status::ALL.iter().map(|s| (s.as_str().to_string(), s.label_ja().to_string()))),
            &q.status,
        );
        let zones = choices(
            [(String::new(), "すべての地区".to_string()), ("-".to_string(), "地区不明".to_string())]
                .into_iter()
                .chain(zone_names.iter().map(|z| (z.clone(), z.clone()))),
            &q.zone,
        );
        let priorities = choices(
            [("", "すべての優先度"), ("1", "1 緊急"), ("2", "2 高"), ("3", "3 通常")]
                .map(|(v, l)| (v.to_string(), l.to_string())),
            &q.priority,
        );
        let category_options = || Category::ALL.iter().map(|c| (c.as_str().to_string(), c.label_ja().to_string()));
        let categories =
            choices([(String::new(), "すべての作業".to_string())].into_iter().chain(category_options()), &q.category);
        let csv_query = query_string(&[
            ("status", if q.status == "all" { "" } else { q.status.as_str() }),
            ("zone", &q.zone),
            ("priority", &q.priority),
            ("category", &q.category),
        ]);
        NeedsPage {
            page,
            shown_all: needs.len() as i64 == total,
            rows: needs.iter().map(Row::of).collect(),
            total,
            statuses,
            zones,
            zone_names,
            priorities,
            categories,
            all_categories: choices(category_options(), ""),
            q: q.q,
            csv_query,
        }
    }
}

/// `a=1&b=2`, leaving out empty values.
fn query_string(pairs: &[(&str, &str)]) -> String {
    let kept: Vec<&(&str, &str)> = pairs.iter().filter(|(_, v)| !v.is_empty()).collect();
    serde_urlencoded::to_string(kept).unwrap_or_default()
}

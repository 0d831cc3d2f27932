//! The equipment page (coordinators and admins): the catalogue with stock,
//! out and low flags; receive, stocktake and write-off per item; an item's
//! ledger; what is out with which team; what goes back to its owner when the
//! center closes. The page posts to the JSON API.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;

use super::model::{Item, Source, TeamOut};
use super::store;
use crate::auth::extract::Coordinator;
use crate::i18n::Words;
use crate::state::AppState;
use crate::web::page::{Page, PageResult};
use crate::web::pages::{PageContext, render};

pub fn router() -> Router<AppState> {
    Router::new().route("/inventory", get(inventory_page))
}

pub struct Row {
    pub item: Item,
    pub kind_label: std::borrow::Cow<'static, str>,
    pub source_label: std::borrow::Cow<'static, str>,
}

/// A borrowed or rented item: all of it goes back, what is lost or damaged is reported.
pub struct GiveBack {
    pub name: String,
    pub unit: String,
    pub source_label: std::borrow::Cow<'static, str>,
    pub owner: String,
    pub at_center: i64,
    pub out: i64,
    pub lost_or_damaged: i64,
}

pub struct TeamRow {
    pub team: TeamOut,
    /// `07-12 08:05`
    pub since: String,
    pub lines: String,
}

pub struct SourceChoice {
    pub value: &'static str,
    pub label: std::borrow::Cow<'static, str>,
}

#[derive(Template)]
#[template(path = "inventory/index.html")]
struct InventoryPage {
    page: PageContext,
    rows: Vec<Row>,
    low_count: usize,
    teams: Vec<TeamRow>,
    give_back: Vec<GiveBack>,
    sources: Vec<SourceChoice>,
}

fn short_time(at: &str) -> String {
    at.get(5..16).unwrap_or(at).replace('T', " ")
}

async fn inventory_page(State(state): State<AppState>, Page { page, .. }: Page<Coordinator>) -> PageResult {
    let (items, teams) = read(&state).await?;
    Ok(render(StatusCode::OK, &InventoryPage::of(page, items, teams)))
}

impl InventoryPage {
    fn of(page: PageContext, items: Vec<Item>, teams: Vec<TeamOut>) -> InventoryPage {
        let w = Words::new(page.lang);
        let source_label = |s: Source| w.get(&format!("label.item_source.{}", s.as_str()));
        InventoryPage {
            low_count: items.iter().filter(|i| i.low).count(),
            give_back: items
                .iter()
                .filter(|i| i.source.goes_back())
                .map(|i| GiveBack::of(i, source_label(i.source)))
                .collect(),
            rows: items
                .into_iter()
                .map(|item| Row {
                    kind_label: w.get(&format!("label.item_kind.{}", item.kind.as_str())),
                    source_label: source_label(item.source),
                    item,
                })
                .collect(),
            teams: teams.into_iter().map(|team| TeamRow::of(team, &w.get("label.day_separator"))).collect(),
            sources: Source::ALL.iter().map(|s| SourceChoice { value: s.as_str(), label: source_label(*s) }).collect(),
            page,
        }
    }
}

impl GiveBack {
    fn of(item: &Item, source_label: std::borrow::Cow<'static, str>) -> GiveBack {
        GiveBack {
            name: item.name.clone(),
            unit: item.unit.clone(),
            source_label,
            owner: item.owner.clone().unwrap_or_default(),
            at_center: item.stock,
            out: item.out,
            lost_or_damaged: item.lost + item.damaged,
        }
    }
}

impl TeamRow {
    fn of(team: TeamOut, separator: &str) -> TeamRow {
        TeamRow {
            since: short_time(&team.since),
            lines: team
                .lines
                .iter()
                .map(|l| format!("{} {}{}", l.name, l.qty, l.unit))
                .collect::<Vec<_>>()
                .join(separator),
            team,
        }
    }
}

async fn read(state: &AppState) -> Result<(Vec<Item>, Vec<TeamOut>), sqlx::Error> {
    let mut conn = state.db.read.acquire().await?;
    let items = store::items(&mut *conn).await?;
    let teams = store::out_by_team(&mut *conn).await?;
    Ok((items, teams))
}

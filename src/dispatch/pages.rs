//! The matching desk (マッチング・送り出し): a page built for speed. Scan a
//! need card, scan badges, tap the leader, dispatch; take teams back.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;

use crate::auth::extract::Coordinator;
use crate::state::AppState;
use crate::web::page::{Page, PageResult};
use crate::web::pages::{PageContext, render};

pub fn router() -> Router<AppState> {
    Router::new().route("/matching", get(matching_page))
}

#[derive(Template)]
#[template(path = "dispatch/matching.html")]
struct MatchingPage {
    page: PageContext,
    zone_names: Vec<String>,
    /// The settings' heavy-work categories, comma-separated: the desk warns
    /// while forming a team with a minor for such a need.
    heavy_work: String,
}

async fn matching_page(State(state): State<AppState>, Page { page, .. }: Page<Coordinator>) -> PageResult {
    let settings = crate::settings::current(&mut *state.db.read.acquire().await?).await?;
    let heavy_work = settings.values.heavy_work.join(",");
    Ok(render(StatusCode::OK, &MatchingPage { page, zone_names: state.zones.current().names(), heavy_work }))
}

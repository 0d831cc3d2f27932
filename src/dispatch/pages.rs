//! The matching desk (マッチング・送り出し): a page built for speed. Scan a
//! need card, scan badges, tap the leader, dispatch; take teams back.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;

use crate::auth::extract::Coordinator;
use crate::state::AppState;
use crate::web::page::Page;
use crate::web::pages::{PageContext, render};

pub fn router() -> Router<AppState> {
    Router::new().route("/matching", get(matching_page))
}

#[derive(Template)]
#[template(path = "dispatch/matching.html")]
struct MatchingPage {
    page: PageContext,
    zone_names: Vec<String>,
}

async fn matching_page(State(state): State<AppState>, Page { page, .. }: Page<Coordinator>) -> Response {
    render(StatusCode::OK, &MatchingPage { page, zone_names: state.zones.current().names() })
}

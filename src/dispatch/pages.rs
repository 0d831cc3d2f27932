//! The matching desk (マッチング・送り出し): a page built for speed. Scan a
//! need card, scan badges, tap the leader, dispatch; take teams back.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;

use crate::state::AppState;
use crate::web::pages::{PageContext, message_page, page_user, render};

pub fn router() -> Router<AppState> {
    Router::new().route("/matching", get(matching_page))
}

#[derive(Template)]
#[template(path = "dispatch/matching.html")]
struct MatchingPage {
    page: PageContext,
    zone_names: Vec<String>,
}

async fn matching_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let user = match page_user(&state, &headers).await {
        Ok(user) => user,
        Err(redirect) => return redirect,
    };
    if !crate::needs::http::sees_personal_data(&user) {
        let page = PageContext::new(&state, &headers, Some(user));
        let text = page.t.forbidden;
        return message_page(page, StatusCode::FORBIDDEN, "マッチング", text);
    }
    let zone_names = state.zones.current().zones().iter().map(|z| z.name.clone()).collect();
    render(StatusCode::OK, &MatchingPage { page: PageContext::new(&state, &headers, Some(user)), zone_names })
}

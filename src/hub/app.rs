//! The hub's router: every `/api` route comes from an area's `OpenApiRouter`,
//! so the hub's OpenAPI document cannot miss one. Add an area's router to
//! `api` (JSON) or `pages` (HTML) here.

use axum::Router;
use axum::middleware;
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;

use super::state::HubState;
use super::{accounts, booking, centers, openapi, overview, sessions_http, sync, volunteer_pages};
use crate::{auth, error, web};

pub fn router(state: HubState) -> Router {
    let (api, doc) = OpenApiRouter::with_openapi(openapi::base())
        .merge(sessions_http::router())
        .merge(accounts::http::router())
        .merge(accounts::volunteer_http::router())
        .merge(accounts::reset_http::router())
        .merge(booking::http::router())
        .merge(centers::http::router())
        .merge(sync::http::router())
        .merge(overview::http::router())
        .merge(openapi::router())
        .split_for_parts();
    let _ = state.openapi_json.set(openapi::render(doc));
    let pages =
        [accounts::pages::router(), booking::pages::router(), overview::pages::router(), volunteer_pages::router()];
    pages
        .into_iter()
        .fold(Router::new().merge(api), Router::merge)
        .route("/healthz", get(healthz))
        .layer(middleware::from_fn(auth::csrf::same_origin_only))
        .layer(middleware::from_fn(web::headers::secure))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(middleware::from_fn(error::localize))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// 200 while this process can reach the database (a load balancer's check).
async fn healthz(axum::extract::State(state): axum::extract::State<HubState>) -> axum::http::StatusCode {
    match sqlx::query("SELECT 1").execute(&state.db.pool).await {
        Ok(_) => axum::http::StatusCode::OK,
        Err(_) => axum::http::StatusCode::SERVICE_UNAVAILABLE,
    }
}

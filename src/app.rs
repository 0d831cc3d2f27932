//! `AppState`, handed to every handler, and the router that joins the
//! domains' own routers.

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::middleware;
use tokio::sync::watch;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;

use crate::auth::throttle::LoginThrottle;
use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::rate_limit::RateLimiter;
use crate::zones::ZoneSet;
use crate::{
    auth, board, dispatch, drill, error, idempotency, inventory, lobby, needs, openapi, reception, reports, setup, web,
    zones,
};

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub clock: Clock,
    pub config: Arc<Config>,
    pub throttle: Arc<LoginThrottle>,
    /// Flips to `true` once, when the server begins to shut down; long-lived
    /// tasks (websockets) watch it.
    pub shutdown: watch::Receiver<bool>,
    /// The OpenAPI document, rendered once the router is assembled.
    pub openapi_json: Arc<OnceLock<String>>,
    pub stats: Arc<Stats>,
    /// Per-address limit on the public pre-registration endpoints.
    pub public_limiter: Arc<RateLimiter>,
    /// The zones, indexed for point lookups.
    pub zones: Arc<ZoneSet>,
    /// The MBTiles base map, when the admin configured one.
    pub tiles: Option<sqlx::SqlitePool>,
    /// Places for lobby screens (no login), in all and per address.
    pub lobby_screens: Arc<crate::net::Budget>,
    /// The lobby's shared projection, while a lobby screen is connected.
    pub lobby: Arc<crate::lobby::live::HubSlot>,
    /// The drill under way, on a drill server (`serve --drill`).
    pub drill: Option<Arc<crate::drill::run::DrillRun>>,
    /// A trainer asked to start another drill: the server starts over with it.
    pub next_drill: Arc<crate::drill::next::NextDrill>,
    /// How people reach the center (URLs, HTTPS, the local CA), for `/setup`.
    pub reach: Arc<crate::tls::reach::Reach>,
}

/// Counters for operators and tests.
#[derive(Default)]
pub struct Stats {
    /// Times a websocket subscriber lagged behind the bus and resumed from the table.
    pub ws_lag_recoveries: AtomicU64,
}

/// Every `/api` route is registered here through a domain's `OpenApiRouter`,
/// so the OpenAPI document cannot miss one.
pub fn router(state: AppState) -> Router {
    let once = idempotency::Once::new(state.db.clone());
    let (api, doc) = OpenApiRouter::with_openapi(openapi::base())
        .merge(auth::http::router())
        .merge(board::http::router())
        .merge(reception::http::router())
        .merge(zones::http::router())
        .merge(zones::address_http::router())
        .merge(zones::map_http::router())
        .merge(needs::http::router())
        .merge(inventory::http::router())
        .merge(dispatch::http::router())
        .merge(lobby::http::router())
        .merge(reports::http::router())
        .merge(drill::http::router())
        .merge(openapi::router())
        .split_for_parts();
    let rendered = openapi::render(doc);
    let _ = state.openapi_json.set(rendered);

    Router::new()
        .merge(api)
        .merge(board::http::ws_router())
        .merge(web::router())
        .merge(reception::pages::router())
        .merge(zones::map_http::pages())
        .merge(needs::pages::router())
        .merge(inventory::http::pages())
        .merge(dispatch::pages::router())
        .merge(lobby::http::pages())
        .merge(drill::pages::router())
        .merge(setup::router())
        .route("/tiles/{z}/{x}/{y}", axum::routing::get(zones::tiles::tile))
        .fallback(web::not_found)
        .layer(middleware::from_fn_with_state(once, idempotency::apply_once))
        .layer(middleware::from_fn(auth::csrf::same_origin_only))
        .layer(middleware::from_fn(web::headers::secure))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(middleware::from_fn(error::localize))
        // Outside `localize`, which reads the bodies it re-renders.
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

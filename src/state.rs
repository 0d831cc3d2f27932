//! `AppState`, handed to every handler: the database, the clock and the
//! long-lived shared parts. Its own file, so domains depend on the state and
//! not on `app`, which depends on every domain to join their routers.

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, OnceLock};

use tokio::sync::watch;

use crate::auth::throttle::LoginThrottle;
use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::rate_limit::RateLimiter;
use crate::zones::ZoneSet;

#[derive(Clone)]
pub struct AppState {
    /// The one SQLite file: the writer and the read pool.
    pub db: Db,
    /// The center's clock (a drill's virtual time on a drill server).
    pub clock: Clock,
    pub config: Arc<Config>,
    /// Failed logins, by account and by address (in memory).
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
    /// What the drill adds to need intake (call slips), registered at startup.
    pub intake: Arc<dyn crate::needs::intake::IntakeHook>,
    /// Dispatch's answer to "is a team out on this need", for needs' edits.
    pub teams_on_needs: Arc<dyn crate::needs::edit::TeamOut>,
    /// Whether a published event cuts the live boards' connections: a drill
    /// server registers the drill's `ict_outage` check; a live server has none.
    pub cuts_boards: Option<Arc<dyn crate::board::ws::CutsBoards>>,
    /// A trainer asked to start another drill: the server starts over with it.
    pub next_drill: Arc<crate::drill::next::NextDrill>,
    /// How people reach the center (URLs, HTTPS, the local CA), for `/setup`.
    pub reach: Arc<crate::tls::reach::Reach>,
    /// The link to a hub: its status and the sync button (never on a drill server).
    pub hub_link: Arc<crate::hub_link::Link>,
}

/// Counters for operators and tests.
#[derive(Default)]
pub struct Stats {
    /// Times a websocket subscriber lagged behind the bus and resumed from the table.
    pub ws_lag_recoveries: AtomicU64,
}

//! `HubState`, handed to every hub handler. Nothing in it may diverge between
//! hub processes: sessions, accounts and mail live in PostgreSQL; `notices`
//! only wakes this process when another one changed something.

use std::sync::{Arc, OnceLock};

use super::config::HubConfig;
use super::db::HubDb;
use super::notify::Notices;
use crate::clock::Clock;

#[derive(Clone)]
pub struct HubState {
    pub db: HubDb,
    pub config: Arc<HubConfig>,
    /// Japan's calendar day (ages, dates); timestamps come from PostgreSQL.
    pub clock: Clock,
    pub notices: Notices,
    /// The hub's OpenAPI document, rendered once the router is assembled.
    pub openapi_json: Arc<OnceLock<String>>,
    /// The base of links in mail (`--public-url`, else the listening address).
    pub public_url: Arc<str>,
    /// What accounts needs of booking (withdrawing an erased account's
    /// bookings, last booking days), registered at start: accounts never calls booking.
    pub bookings: Arc<dyn super::accounts::hook::AccountBookings>,
    /// Sync requests per center in the last minute, in this process only
    /// (`hub::sync`): with N processes a center may make N times the limit.
    pub sync_limiter: Arc<crate::rate_limit::RateLimiter<i64>>,
}

impl HubState {
    /// Whether the session cookie is `Secure`: the hub is reached by https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https:")
    }
}

//! What a drill acts with: the drill's own database, its clock, the settings
//! and the zones — the same pieces the server hands its handlers.

use std::sync::Arc;

use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::state::AppState;
use crate::zones::ZoneSet;

#[derive(Clone)]
pub struct Env {
    pub db: Db,
    pub clock: Clock,
    pub config: Arc<Config>,
    pub zones: Arc<ZoneSet>,
}

impl Env {
    pub fn of(state: &AppState) -> Env {
        Env {
            db: state.db.clone(),
            clock: state.clock.clone(),
            config: state.config.clone(),
            zones: state.zones.clone(),
        }
    }

    pub fn zone_names(&self) -> Vec<String> {
        self.zones.current().names()
    }
}

//! Map zones (地区): GeoJSON zone files checked before anything changes
//! ([`file`]), the stored zone set ([`store`]), and point-in-zone lookup behind
//! an R-tree ([`index`]).

pub mod address;
pub mod address_http;
pub mod address_store;
pub mod file;
pub mod http;
pub mod index;
pub mod map_http;
pub mod map_svg;
pub mod store;
pub mod tiles;

pub use file::{Zone, ZoneFileError, parse};
pub use index::ZoneIndex;
pub use store::{count, list, replace_all};

use std::sync::{Arc, RwLock};

use crate::clock::Clock;
use crate::db::Db;
use crate::error::AppError;
use crate::events::Actor;

/// The zone index the server answers from; replaced whole after an import.
#[derive(Default)]
pub struct ZoneSet(RwLock<Arc<ZoneIndex>>);

impl ZoneSet {
    pub async fn load(db: &Db) -> Result<ZoneSet, sqlx::Error> {
        let zones = store::list(&db.read).await?;
        Ok(ZoneSet(RwLock::new(Arc::new(ZoneIndex::new(zones)))))
    }

    pub fn current(&self) -> Arc<ZoneIndex> {
        self.0.read().expect("zone set lock").clone()
    }

    fn replace(&self, index: ZoneIndex) {
        *self.0.write().expect("zone set lock") = Arc::new(index);
    }
}

/// Checks a zone file and, only if it has no problem at all, replaces the zone
/// set with it (event `zones.imported`). Returns how many zones it has.
pub async fn import(
    db: &Db,
    clock: &Clock,
    set: &ZoneSet,
    actor: &Actor,
    text: &str,
    source: &str,
) -> Result<usize, AppError> {
    let zones = parse(text)?;
    let mut tx = db.begin_write().await?;
    replace_all(&mut tx, clock, actor, &zones, source).await?;
    tx.commit().await?;
    let count = zones.len();
    set.replace(ZoneIndex::new(zones));
    Ok(count)
}

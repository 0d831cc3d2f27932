//! Map zones (地区): GeoJSON zone files checked before anything changes
//! ([`file`], polygon validity in [`valid`]), the stored zone set ([`store`]),
//! point-in-zone lookup behind an R-tree ([`index`]), which zones have work
//! on them ([`in_use`]) so an import does not drop them unasked, and the roads a
//! zone file may carry for the map ([`roads`]).

pub mod address;
pub mod address_http;
pub(crate) mod address_store;
pub mod file;
pub mod http;
pub mod in_use;
pub mod index;
pub mod roads;
pub(crate) mod store;
pub mod tiles;
pub mod valid;

pub use address_store::{zone_for_address, zone_names};
pub use file::{
    DEFAULT_NAME_PROPERTY, MAX_VERTICES_PER_FEATURE, MAX_VERTICES_PER_FILE, Zone, ZoneFile, ZoneFileError, parse,
    parse_named,
};
pub use in_use::ZoneInUse;
pub use index::ZoneIndex;
pub use roads::Road;
pub use store::{count, list, replace_all};

use std::sync::{Arc, RwLock};

use crate::clock::Clock;
use crate::db::Db;
use crate::error::AppError;
use crate::events::Actor;
use crate::i18n::Text;

/// The zone index the server answers from; replaced whole after an import.
#[derive(Default)]
pub struct ZoneSet(RwLock<Arc<ZoneIndex>>);

impl ZoneSet {
    pub async fn load(db: &Db) -> Result<ZoneSet, sqlx::Error> {
        let zones = store::list(&db.read).await?;
        let roads = store::roads(&db.read).await?.map(|text| roads::from_geojson(&text)).unwrap_or_default();
        Ok(ZoneSet(RwLock::new(Arc::new(ZoneIndex::with_roads(zones, roads)))))
    }

    pub fn current(&self) -> Arc<ZoneIndex> {
        self.0.read().expect("zone set lock").clone()
    }

    /// Puts `index` in place; returns the one it replaces.
    fn replace(&self, index: ZoneIndex) -> Arc<ZoneIndex> {
        std::mem::replace(&mut *self.0.write().expect("zone set lock"), Arc::new(index))
    }
}

/// CPU-bound work off the async workers, one piece at a time: three large
/// uploads at once would otherwise take every core of a small laptop, and the
/// async workers with them.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    static ONE_AT_A_TIME: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);
    let permit = ONE_AT_A_TIME.acquire().await.map_err(|_| AppError::internal())?;
    // The permit goes with the work: a caller that gives up does not free it early.
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "zone work on a blocking thread failed");
        AppError::internal()
    })
}

/// A zone file to import, and how.
pub struct Upload {
    /// The GeoJSON text.
    pub text: String,
    /// The property holding each zone's name (usually [`DEFAULT_NAME_PROPERTY`]).
    pub name_property: String,
    /// Where it came from (a path, `api`), for the event.
    pub source: String,
    /// Replace even if zones with work on them are dropped.
    pub confirmed: bool,
}

/// Checks a zone file and, only if it has no problem at all, replaces the zone
/// set with it (event `zones.imported`), and its roads with them ([`roads`]).
/// Returns how many zones it has. The check (and the index, and the text to
/// store) is made on a blocking thread: a large file is a second of CPU in a
/// debug build, and on the async workers it stalled every other request.
///
/// Zones of the current set that the file does not have are dropped. If one of
/// them has open needs or teams out, the import is refused (409 `zones_in_use`,
/// naming each with what is on it) unless `confirmed`. That is decided in the
/// same write transaction as the replacement, so a need taken in between counts.
pub async fn import(db: &Db, clock: &Clock, set: &ZoneSet, actor: &Actor, upload: Upload) -> Result<usize, AppError> {
    let Upload { text, name_property, source, confirmed } = upload;
    let (index, geometries) = blocking(move || {
        let file = parse_named(&text, &name_property)?;
        let index = ZoneIndex::with_roads(file.zones, file.roads);
        let geometries: Vec<String> = index.zones().iter().map(|z| z.geometry.to_string()).collect();
        Ok::<_, ZoneFileError>((index, geometries))
    })
    .await??;
    let mut tx = db.begin_write().await?;
    if !confirmed {
        let dropped = store::dropped_by(tx.conn(), index.zones()).await?;
        let busy = in_use::in_use(tx.conn(), &dropped).await?;
        if !busy.is_empty() {
            // Dropping `tx` rolls back; nothing was written.
            return Err(zones_in_use(&busy));
        }
    }
    store::replace_all_serialized(&mut tx, clock, actor, index.zones(), &geometries, &source).await?;
    store::replace_roads(tx.conn(), &roads::to_geojson(index.roads()).to_string()).await?;
    tx.commit().await?;
    let count = index.zones().len();
    let old = set.replace(index);
    // The old set may be large too: freed on a blocking thread.
    tokio::task::spawn_blocking(move || drop(old));
    Ok(count)
}

fn zones_in_use(busy: &[ZoneInUse]) -> AppError {
    let ja: Vec<String> = busy.iter().map(|z| z.text().ja.into_owned()).collect();
    let en: Vec<String> = busy.iter().map(|z| z.text().en.into_owned()).collect();
    AppError::conflict(Text::new(
            format!(
                "この取り込みで、作業中の地区がなくなります: {}。それでも置き換えるには確認が必要です（CLI: --replace、API: ?confirm=true）。",
                ja.join("、")
            ),
            format!(
                "This zone file drops zones with work on them: {}. To replace them anyway, confirm (CLI: --replace, API: ?confirm=true).",
                en.join(", ")
            ),
    ))
    .coded("zones_in_use")
    .with_details(serde_json::json!({ "zones": busy }))
}

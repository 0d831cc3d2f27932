//! Map zones (地区): GeoJSON zone files checked before anything changes
//! ([`file`], polygon validity in [`valid`]), the stored zone set ([`store`]),
//! point-in-zone lookup behind an R-tree ([`index`]), and which zones have work
//! on them ([`in_use`]) so an import does not drop them unasked.

pub mod address;
pub mod address_http;
pub mod address_store;
pub mod file;
pub mod http;
pub mod in_use;
pub mod index;
pub mod map_http;
pub mod map_svg;
pub mod store;
pub mod tiles;
pub mod valid;

pub use file::{MAX_VERTICES_PER_FEATURE, MAX_VERTICES_PER_FILE, Zone, ZoneFileError, parse};
pub use in_use::ZoneInUse;
pub use index::ZoneIndex;
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
        Ok(ZoneSet(RwLock::new(Arc::new(ZoneIndex::new(zones)))))
    }

    pub fn current(&self) -> Arc<ZoneIndex> {
        self.0.read().expect("zone set lock").clone()
    }

    fn replace(&self, index: ZoneIndex) {
        *self.0.write().expect("zone set lock") = Arc::new(index);
    }
}

/// Checks a zone file on a blocking thread (a large file is seconds of CPU in a
/// debug build; on the async workers it would stall every other request) and
/// builds its index there too.
pub async fn check(text: String) -> Result<ZoneIndex, AppError> {
    let checked = tokio::task::spawn_blocking(move || parse(&text).map(ZoneIndex::new)).await.map_err(|e| {
        tracing::error!(error = %e, "zone file check panicked");
        AppError::internal()
    })?;
    Ok(checked?)
}

/// Checks a zone file and, only if it has no problem at all, replaces the zone
/// set with it (event `zones.imported`). Returns how many zones it has.
///
/// Zones of the current set that the file does not have are dropped. If one of
/// them has open needs or teams out, the import is refused (409 `zones_in_use`,
/// naming each with what is on it) unless `confirmed`. That is decided in the
/// same write transaction as the replacement, so a need taken in between counts.
pub async fn import(
    db: &Db,
    clock: &Clock,
    set: &ZoneSet,
    actor: &Actor,
    text: String,
    source: &str,
    confirmed: bool,
) -> Result<usize, AppError> {
    let index = check(text).await?;
    let mut tx = db.begin_write().await?;
    if !confirmed {
        let dropped = store::dropped_by(tx.conn(), index.zones()).await?;
        let busy = in_use::in_use(tx.conn(), &dropped).await?;
        if !busy.is_empty() {
            // Dropping `tx` rolls back; nothing was written.
            return Err(zones_in_use(&busy));
        }
    }
    replace_all(&mut tx, clock, actor, index.zones(), source).await?;
    tx.commit().await?;
    let count = index.zones().len();
    set.replace(index);
    Ok(count)
}

fn zones_in_use(busy: &[ZoneInUse]) -> AppError {
    let ja: Vec<String> = busy.iter().map(|z| z.text().ja.into_owned()).collect();
    let en: Vec<String> = busy.iter().map(|z| z.text().en.into_owned()).collect();
    AppError::conflict(Text::new(
            format!(
                "この地区ファイルには、作業中の地区がありません: {}。それでも置き換えるには確認が必要です（CLI: --replace、API: ?confirm=true）。",
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

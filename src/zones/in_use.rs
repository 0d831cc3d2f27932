//! Which zones have work on them: open needs and teams out. A zone import that
//! would drop such a zone needs an explicit confirmation.
//!
//! Two allowed reads (ARCHITECTURE.md): open needs per zone
//! (`needs::open_by_zone`, also used by the map) and teams out per zone
//! (`dispatch::out_by_zone`), each the owning domain's own query.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::SqliteConnection;

use crate::i18n::Text;

/// A zone with work on it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ZoneInUse {
    pub name: String,
    /// Needs not 完了 and not 取消 whose zone this is.
    pub open_needs: i64,
    /// Teams out (dispatched, not yet returned) to this zone.
    pub teams_out: i64,
}

impl ZoneInUse {
    /// `香林坊（未完了のニーズ 2 件・活動中の班 1 班）`
    pub fn text(&self) -> Text {
        Text::new(
            format!("{}（未完了のニーズ {} 件・活動中の班 {} 班）", self.name, self.open_needs, self.teams_out),
            format!("{} ({} open needs, {} teams out)", self.name, self.open_needs, self.teams_out),
        )
    }
}

/// Those of `zones` that have open needs or teams out, in the order given.
pub async fn in_use(conn: &mut SqliteConnection, zones: &[String]) -> Result<Vec<ZoneInUse>, sqlx::Error> {
    if zones.is_empty() {
        return Ok(Vec::new());
    }
    let needs: HashMap<String, i64> = crate::needs::open_by_zone(&mut *conn).await?.into_iter().collect();
    let teams: HashMap<String, i64> = crate::dispatch::out_by_zone(&mut *conn).await?.into_iter().collect();
    Ok(zones
        .iter()
        .map(|name| ZoneInUse {
            name: name.clone(),
            open_needs: needs.get(name).copied().unwrap_or(0),
            teams_out: teams.get(name).copied().unwrap_or(0),
        })
        .filter(|z| z.open_needs > 0 || z.teams_out > 0)
        .collect())
}

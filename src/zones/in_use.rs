//! Which zones have work on them: open needs and teams out. A zone import that
//! would drop such a zone needs an explicit confirmation.
//!
//! This module reads other domains' tables, read only: open needs through
//! `needs::store::open_by_zone` (the needs module's own query, also used by the
//! map), and teams out by a direct count on `teams`, because `dispatch::store`
//! has no per-zone count and belongs to another engineer. The query is one
//! `GROUP BY` on `teams.zone` (the zone recorded when the team went out) and
//! writes nothing; it should move into `dispatch::store` when that file is free.

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
    let needs: HashMap<String, i64> = crate::needs::store::open_by_zone(&mut *conn).await?.into_iter().collect();
    let teams: HashMap<String, i64> = sqlx::query_as(
        "SELECT zone, COUNT(*) FROM teams WHERE status = 'dispatched' AND zone IS NOT NULL GROUP BY zone",
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
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

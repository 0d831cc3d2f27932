//! Needs counted for boards: by status, and by zone. Counts only, nothing personal.

use std::collections::BTreeMap;

use serde::Serialize;
use sqlx::SqliteConnection;

use super::model::Status;
use super::store;

#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct NeedCounts {
    /// Every status, zero included.
    pub by_status: BTreeMap<&'static str, i64>,
    /// Not 完了, not 取消.
    pub open: i64,
    /// Zones with any need, by name; `zone` null: zone unknown.
    pub by_zone: Vec<ZoneNeeds>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ZoneNeeds {
    pub zone: Option<String>,
    pub open: i64,
    pub by_status: BTreeMap<&'static str, i64>,
}

pub async fn counts(conn: &mut SqliteConnection) -> Result<NeedCounts, sqlx::Error> {
    let (by_status, by_zone) = store::counts(conn).await?;
    let mut counts =
        NeedCounts { by_status: Status::ALL.iter().map(|s| (s.as_str(), 0)).collect(), ..Default::default() };
    for (status, n) in by_status {
        if let Some(status) = Status::parse(&status) {
            counts.by_status.insert(status.as_str(), n);
            if status.is_open() {
                counts.open += n;
            }
        }
    }
    let mut zones: BTreeMap<Option<String>, ZoneNeeds> = BTreeMap::new();
    for (zone, status, n) in by_zone {
        let Some(status) = Status::parse(&status) else { continue };
        let entry =
            zones.entry(zone.clone()).or_insert_with(|| ZoneNeeds { zone, open: 0, by_status: BTreeMap::new() });
        entry.by_status.insert(status.as_str(), n);
        if status.is_open() {
            entry.open += n;
        }
    }
    counts.by_zone = zones.into_values().collect();
    Ok(counts)
}

//! The coordinator board's snapshot: everything read in one read transaction,
//! so the counts and the `seq` describe the same moment.

use serde::Serialize;
use sqlx::SqlitePool;

use super::notices::{self, Notice};
use crate::auth::users;
use crate::clock::{Clock, stamp};
use crate::dispatch::{CenterState, HeadcountAlert, TeamsOut};
use crate::events;
use crate::events::contract::dispatch::IncidentReported;
use crate::inventory::LowItem;
use crate::needs::stats::NeedCounts;
use crate::reception::{self, stats::ReceptionCounts};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BoardSnapshot {
    /// The last event this snapshot includes; follow `/ws/board?since=seq`.
    pub seq: i64,
    pub center_time: String,
    /// 活動日, `YYYY-MM-DD`.
    pub activity_day: String,
    pub drill: bool,
    pub counts: Counts,
    /// Today's reception: people checked in, waiting, by insurance and by type.
    pub reception: ReceptionCounts,
    /// Needs by status and by zone (counts only).
    pub needs: NeedCounts,
    /// Teams out, and the overdue ones (a safety flag).
    pub teams: TeamsOut,
    /// Teams back with fewer people than left, until a coordinator resolves each.
    pub headcount_alerts: Vec<HeadcountAlert>,
    /// 活動中止, when set.
    pub center: CenterState,
    /// Equipment below its low-stock threshold.
    pub low_stock: Vec<LowItem>,
    /// Today so far: teams, injuries, equipment lost or damaged.
    pub today: Today,
    /// Newest first, at most 20.
    pub notices: Vec<Notice>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Today {
    pub teams_dispatched: i64,
    pub teams_returned: i64,
    /// けが・事故 reported by returning teams.
    pub injuries: i64,
    pub equipment_lost: i64,
    pub equipment_damaged: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = BoardCounts)]
pub struct Counts {
    pub events: i64,
    pub users: i64,
    pub zones: i64,
    pub items: i64,
}

pub async fn read(pool: &SqlitePool, clock: &Clock, drill: bool) -> Result<BoardSnapshot, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let seq = events::last_seq(&mut *tx).await?;
    let event_count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events").fetch_one(&mut *tx).await?;
    let users = users::count(&mut *tx).await?;
    let zones = crate::zones::count(&mut *tx).await?;
    let items = crate::inventory::count(&mut *tx).await?;
    let notices = notices::recent(&mut *tx, 20).await?;
    let now = clock.now();
    let reception = reception::stats::for_day(&mut *tx, now.date_naive()).await?;
    let needs = crate::needs::stats::counts(&mut tx).await?;
    let teams = crate::dispatch::teams_out(&mut tx, now).await?;
    let headcount_alerts = crate::dispatch::open_headcount_alerts(&mut *tx).await?;
    let center = crate::dispatch::center_state(&mut *tx).await?;
    let low_stock = crate::inventory::low_stock(&mut *tx).await?;
    let day = now.date_naive();
    let (teams_dispatched, teams_returned) = crate::dispatch::teams_on(&mut *tx, day).await?;
    let injuries = events::count_on::<IncidentReported>(&mut *tx, day).await?;
    let (equipment_lost, equipment_damaged) = crate::inventory::losses_on(&mut *tx, day).await?;
    let today = Today { teams_dispatched, teams_returned, injuries, equipment_lost, equipment_damaged };
    tx.commit().await?;
    Ok(BoardSnapshot {
        seq,
        center_time: stamp(now),
        activity_day: now.date_naive().to_string(),
        drill,
        counts: Counts { events: event_count, users, zones, items },
        reception,
        needs,
        teams,
        headcount_alerts,
        center,
        low_stock,
        today,
        notices,
    })
}

//! A team past its return deadline is a safety matter: the board flags it at
//! once from the clock, and a sweep logs `team.overdue` once per team so live
//! boards hear of it without reloading.

use std::time::Duration;

use super::model::team_no;
use super::store;
use crate::clock::Clock;
use crate::db::Db;
use crate::error::AppError;
use crate::events::Actor;
use crate::events::contract::dispatch::TeamOverdue;

/// How often the sweep looks.
pub const SWEEP_EVERY: Duration = Duration::from_secs(15);

/// Logs `team.overdue` for each team newly past its deadline; returns how many.
pub async fn sweep(db: &Db, clock: &Clock) -> Result<usize, AppError> {
    let late = store::overdue_unflagged(&db.read, clock.now()).await?;
    if late.is_empty() {
        return Ok(0);
    }
    let mut tx = db.begin_write().await?;
    // Read again under the writer: a team may have returned meanwhile.
    let late = store::overdue_unflagged(tx.conn(), clock.now()).await?;
    for (id, number, return_by) in &late {
        store::flag_overdue(tx.conn(), *id).await?;
        let overdue = TeamOverdue { team_id: *id, team_no: team_no(*number), return_by: return_by.clone() };
        tx.append(clock, &Actor::system(), Some(team_no(*number)), &overdue).await?;
    }
    if !late.is_empty() {
        tx.commit().await?;
    }
    Ok(late.len())
}

/// Runs the sweep until the server stops.
pub fn run_in_background(db: Db, clock: Clock) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(SWEEP_EVERY);
        loop {
            tick.tick().await;
            if let Err(error) = sweep(&db, &clock).await {
                tracing::warn!(?error, "overdue sweep failed");
            }
        }
    })
}

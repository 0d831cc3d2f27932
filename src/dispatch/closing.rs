//! 本日の受付終了処理 (admins): who is still checked in, refused while any team
//! is out (they come back first, and are checked out with their return), then
//! everyone left checked out in one step — reception's own `check_out_in`, so
//! one `volunteer.checked_out` event per person, all in one transaction.

use serde::Serialize;
use serde_json::json;
use sqlx::SqliteConnection;

use super::model::team_no;
use crate::clock::Clock;
use crate::db::Db;
use crate::error::AppError;
use crate::events::Actor;
use crate::i18n::Text;
use crate::reception::{StillHere, still_here};

/// What closing the day would do.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Closing {
    /// Teams still out (`T-003`): closing waits for them.
    pub teams_out: Vec<String>,
    /// Everyone still checked in.
    pub still_here: Vec<StillHere>,
}

/// What closing did.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Closed {
    /// The volunteers checked out now, one event each.
    pub checked_out: Vec<StillHere>,
}

async fn teams_out(conn: &mut SqliteConnection) -> Result<Vec<String>, sqlx::Error> {
    let numbers: Vec<i64> =
        sqlx::query_scalar("SELECT number FROM teams WHERE status = 'dispatched' ORDER BY day, number")
            .fetch_all(conn)
            .await?;
    Ok(numbers.into_iter().map(team_no).collect())
}

pub async fn preview(conn: &mut SqliteConnection) -> Result<Closing, AppError> {
    Ok(Closing { teams_out: teams_out(&mut *conn).await?, still_here: still_here(&mut *conn).await? })
}

/// Checks out everyone still here; 409 `teams_out` (naming them) while a team is out.
pub async fn close_day(db: &Db, clock: &Clock, actor: &Actor) -> Result<Closed, AppError> {
    let mut tx = db.begin_write().await?;
    let out = teams_out(tx.conn()).await?;
    if !out.is_empty() {
        let teams = out.join("・");
        return Err(AppError::conflict(Text::new(
            format!("活動中の班があります（{teams}）。全班の帰着を記録してから受付終了処理をしてください。"),
            format!("Teams are still out ({}). Record every team's return, then close the day.", out.join(", ")),
        ))
        .coded("teams_out")
        .with_details(json!({ "teams_out": out })));
    }
    let here = still_here(tx.conn()).await?;
    if here.is_empty() {
        // Nothing to change, so nothing to log: the transaction is dropped unwritten.
        return Ok(Closed { checked_out: here });
    }
    for person in &here {
        crate::reception::check_in::check_out_in(&mut tx, clock, actor, person.volunteer_id).await?;
    }
    tx.commit().await?;
    Ok(Closed { checked_out: here })
}

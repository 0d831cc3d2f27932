//! What an inject points at in the drill's data: the need a household call
//! became, the team out on it, an item by name. Read from the drill's log and
//! tables (the log read through the event contract); SQL on other domains'
//! tables goes through their stores.

use sqlx::SqlitePool;

use super::log::{CallTaken, Fired, InjectKind};
use crate::dispatch::TeamStatus;
use crate::error::AppError;
use crate::events::{self};
use crate::i18n::Text;
use crate::inventory::Item;

/// The need a `household_request` inject became: entered as it fired, or
/// later from its call slip, whichever the log has first. (id, number)
pub async fn need_of(pool: &SqlitePool, request: u32) -> Result<Option<(i64, String)>, sqlx::Error> {
    let mut fired = events::all_of::<Fired>(pool).await?.into_iter().filter(|(_, f)| f.inject == request);
    let fired = fired.find_map(|(e, f)| Some((e.seq, (f.need_id?, f.need_no?))));
    let taken = events::all_of::<CallTaken>(pool).await?.into_iter().find(|(_, c)| c.inject == request);
    let taken = taken.map(|(e, c)| (e.seq, (c.need_id, c.need_no)));
    Ok(fired.into_iter().chain(taken).min_by_key(|(seq, _)| *seq).map(|(_, need)| need))
}

/// Whether a call slip has already been written up.
pub async fn call_taken(conn: impl sqlx::SqliteExecutor<'_>, inject: u32) -> Result<bool, sqlx::Error> {
    Ok(events::all_of::<CallTaken>(conn).await?.iter().any(|(_, c)| c.inject == inject))
}

/// The queued `household_request` fired as `inject`, if it was.
pub async fn queued_call(conn: impl sqlx::SqliteExecutor<'_>, inject: u32) -> Result<bool, sqlx::Error> {
    let fired = events::all_of::<Fired>(conn).await?;
    Ok(fired.iter().any(|(_, f)| f.inject == inject && f.kind == InjectKind::HouseholdRequest && f.queued))
}

/// The teams out now (overdue flags do not matter here, so any clock will do).
async fn teams_out(pool: &SqlitePool) -> Result<Vec<crate::dispatch::Team>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    crate::dispatch::list(&mut conn, Some(TeamStatus::Dispatched), None, chrono::Utc::now().fixed_offset()).await
}

/// The team out on a need. (id, number)
pub async fn team_on_need(pool: &SqlitePool, need_id: i64) -> Result<Option<(i64, String)>, sqlx::Error> {
    Ok(teams_out(pool).await?.into_iter().find(|t| t.need_id == Some(need_id)).map(|t| (t.id, t.team_no)))
}

/// The team that has been out longest. (id, number)
pub async fn longest_out(pool: &SqlitePool) -> Result<Option<(i64, String)>, sqlx::Error> {
    Ok(teams_out(pool).await?.into_iter().min_by(|a, b| a.departed_at.cmp(&b.departed_at)).map(|t| (t.id, t.team_no)))
}

pub async fn item_named(pool: &SqlitePool, name: &str) -> Result<Item, AppError> {
    let items = crate::inventory::items(pool).await?;
    items.into_iter().find(|i| i.name == name).ok_or_else(|| {
        AppError::not_found(Text::new(format!("資機材「{name}」がありません。"), format!("No item named {name}.")))
    })
}

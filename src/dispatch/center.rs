//! 活動中止: the center-wide suspension (heavy rain, a heat alert). While
//! suspended no team is sent; the teams out are the recall list until each
//! has returned. Events `center.suspended`, `center.resumed`.

use serde::{Deserialize, Serialize};

use super::model::{Team, TeamStatus};
use super::store::{self, CenterState};
use crate::clock::{Clock, stamp};
use crate::db::Db;
use crate::error::AppError;
use crate::events::contract::dispatch::{CenterResumed, CenterSuspended};
use crate::events::{Actor, WriteTx};
use crate::fields::required;
use crate::i18n::Text;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SuspendForm {
    /// Why: 大雨警報, 熱中症警戒アラート …
    #[schema(required = true, example = "大雨警報")]
    pub reason: String,
}

/// The center's state with the teams to recall.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Center {
    #[serde(flatten)]
    pub state: CenterState,
    /// Teams out: every one must be called back while suspended.
    pub recall: Vec<Team>,
}

pub async fn read(db: &Db, clock: &Clock) -> Result<Center, AppError> {
    let mut conn = db.read.acquire().await?;
    let state = store::center_state(&mut *conn).await?;
    let recall = store::list(&mut conn, Some(TeamStatus::Dispatched), None, clock.now()).await?;
    Ok(Center { state, recall })
}

pub async fn suspend(db: &Db, clock: &Clock, actor: &Actor, form: SuspendForm) -> Result<Center, AppError> {
    let reason = required("reason", &form.reason, "中止の理由", 200)?;
    let mut tx = db.begin_write().await?;
    suspend_in(&mut tx, clock, actor, reason).await?;
    tx.commit().await?;
    read(db, clock).await
}

/// Suspends in the caller's transaction (a confirmed safety prompt does it too).
pub(super) async fn suspend_in(tx: &mut WriteTx, clock: &Clock, actor: &Actor, reason: String) -> Result<(), AppError> {
    if store::center_state(tx.conn()).await?.suspended {
        return Err(AppError::conflict(Text::new("すでに活動中止中です。", "Activities are already suspended."))
            .coded("already_suspended"));
    }
    let since = stamp(clock.now());
    store::set_center_state(tx.conn(), &CenterState { suspended: true, reason: reason.clone(), since: Some(since) })
        .await?;
    let out = store::list(tx.conn(), Some(TeamStatus::Dispatched), None, clock.now()).await?;
    let recall: Vec<String> = out.iter().map(|t| t.team_no.clone()).collect();
    tx.append(clock, actor, None, &CenterSuspended { reason, recall }).await?;
    Ok(())
}

pub async fn resume(db: &Db, clock: &Clock, actor: &Actor) -> Result<Center, AppError> {
    let mut tx = db.begin_write().await?;
    let state = store::center_state(tx.conn()).await?;
    if !state.suspended {
        return Err(AppError::conflict(Text::new("活動中止中ではありません。", "Activities are not suspended."))
            .coded("not_suspended"));
    }
    store::set_center_state(tx.conn(), &CenterState { suspended: false, reason: String::new(), since: None }).await?;
    tx.append(clock, actor, None, &CenterResumed { suspended_since: state.since, reason: state.reason }).await?;
    tx.commit().await?;
    read(db, clock).await
}

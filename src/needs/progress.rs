//! A need's moves caused by a team: it goes 活動中 when a team leaves for it,
//! and 完了, 継続 or back to 待機 when the team returns. Called inside the
//! dispatch commands' transactions; events `need.status_changed` with the team.

use super::model::{Need, Status};
use super::{need_facts, need_status, store};
use crate::clock::{Clock, stamp};
use crate::error::AppError;
use crate::events::contract::needs::NeedStatusChanged;
use crate::events::{Actor, WriteTx};
use crate::i18n::Text;

/// Needs a team may leave for: anything open and not already taken.
pub const DISPATCHABLE: [Status; 4] = [Status::Received, Status::Surveying, Status::Waiting, Status::Continuing];

fn not_found() -> AppError {
    AppError::not_found(Text::new("該当するニーズが見つかりません。", "No such need."))
}

/// Moves the need to 活動中 for `team_no`; refuses a closed need. A need
/// already 活動中 is answered as it is (dispatch refuses it if a team is out on it).
pub async fn team_left(
    tx: &mut WriteTx,
    clock: &Clock,
    actor: &Actor,
    need_id: i64,
    team_no: &str,
) -> Result<Need, AppError> {
    let need = store::need(tx.conn(), need_id).await?.ok_or_else(not_found)?;
    // Whether a team is out on it (taken) is dispatch's to say: it owns teams.
    if need.status == Status::Active {
        return Ok(need);
    }
    if !DISPATCHABLE.contains(&need.status) {
        return Err(AppError::conflict(Text::new(
            format!("{} は{}です。送り出しできません。", need.need_no, need.status.label_ja()),
            format!("{} is {}: no team can be sent.", need.need_no, need.status.label_en()),
        ))
        .coded("need_closed")
        .with_field("need_id"));
    }
    move_need(tx, clock, actor, need, Status::Active, team_no).await
}

/// Where the need goes when its team returns with `to`.
pub async fn team_back(
    tx: &mut WriteTx,
    clock: &Clock,
    actor: &Actor,
    need_id: i64,
    team_no: &str,
    to: Status,
) -> Result<Need, AppError> {
    let need = store::need(tx.conn(), need_id).await?.ok_or_else(not_found)?;
    if need.status != Status::Active {
        // Somebody moved it by hand meanwhile (e.g. cancelled it): leave it where it is.
        return Ok(need);
    }
    move_need(tx, clock, actor, need, to, team_no).await
}

async fn move_need(
    tx: &mut WriteTx,
    clock: &Clock,
    actor: &Actor,
    need: Need,
    to: Status,
    team_no: &str,
) -> Result<Need, AppError> {
    let now = stamp(clock.now());
    store::set_status(tx.conn(), need.id, to, &now).await?;
    let moved = store::need(tx.conn(), need.id).await?.expect("exists");
    let changed = NeedStatusChanged {
        need: need_facts(&moved),
        from: need_status(need.status),
        changed: vec!["status".into()],
        team_no: Some(team_no.to_string()),
        ..NeedStatusChanged::default()
    };
    tx.append(clock, actor, Some(moved.need_no.clone()), &changed).await?;
    Ok(moved)
}

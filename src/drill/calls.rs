//! A call slip written up: the need card saved from a queued household call
//! records which call it was, in the same transaction, so the evaluator can
//! time intake from the call.

use super::links;
use super::log::CallTaken;
use crate::clock::Clock;
use crate::error::AppError;
use crate::events::{Actor, WriteTx};
use crate::i18n::Text;
use crate::needs::model::Need;

/// Refuses a `drill_call` outside a drill, for a call that never came, or twice.
pub async fn check_slip(tx: &mut WriteTx, drill: bool, inject: u32) -> Result<(), AppError> {
    let refuse = |ja: String, en: String| Err(AppError::validation("drill_call", Text::new(ja, en)));
    if !drill {
        return refuse("drill_call は訓練中だけ使えます。".into(), "drill_call is for drills only.".into());
    }
    if !links::queued_call(tx.conn(), inject).await? {
        return refuse(format!("電話メモ {inject} はありません。"), format!("There is no call slip {inject}."));
    }
    if links::call_taken(tx.conn(), inject).await? {
        return Err(AppError::conflict(Text::new(
            format!("電話メモ {inject} はすでに受け付けられています。"),
            format!("Call slip {inject} has already been written up."),
        ))
        .coded("call_taken"));
    }
    Ok(())
}

pub async fn taken(tx: &mut WriteTx, clock: &Clock, actor: &Actor, inject: u32, need: &Need) -> Result<(), AppError> {
    let data = CallTaken { inject, need_id: need.id, need_no: need.need_no.clone() };
    tx.append(clock, actor, Some(need.need_no.clone()), &data).await?;
    Ok(())
}

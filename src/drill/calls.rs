//! A call slip written up: the need card saved from a queued household call
//! records which call it was, in the same transaction, so the evaluator can
//! time intake from the call.

use futures_util::future::BoxFuture;

use super::links;
use super::log::CallTaken;
use crate::clock::Clock;
use crate::error::AppError;
use crate::events::{Actor, WriteTx};
use crate::i18n::Text;
use crate::needs::Need;
use crate::needs::form::NeedForm;
use crate::needs::intake::{IntakeHook, Saved};

/// The drill's part in need intake, registered at startup (`AppState::intake`):
/// a card's `drill_call` must name a call slip that came and is not yet
/// written up, and the card records it.
pub struct CallSlips;

impl IntakeHook for CallSlips {
    fn check<'a>(
        &'a self,
        tx: &'a mut WriteTx,
        drill: bool,
        form: &'a NeedForm,
    ) -> BoxFuture<'a, Result<(), AppError>> {
        Box::pin(async move {
            match form.drill_call {
                Some(inject) => check_slip(tx, drill, inject).await,
                None => Ok(()),
            }
        })
    }

    fn saved<'a>(&'a self, tx: &'a mut WriteTx, saved: Saved<'a>) -> BoxFuture<'a, Result<(), AppError>> {
        Box::pin(async move {
            match saved.form.drill_call {
                Some(inject) => taken(tx, saved.clock, saved.actor, inject, saved.need).await,
                None => Ok(()),
            }
        })
    }
}

/// Refuses a `drill_call` outside a drill, for a call that never came, or twice.
async fn check_slip(tx: &mut WriteTx, drill: bool, inject: u32) -> Result<(), AppError> {
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

async fn taken(tx: &mut WriteTx, clock: &Clock, actor: &Actor, inject: u32, need: &Need) -> Result<(), AppError> {
    let data = CallTaken { inject, need_id: need.id, need_no: need.need_no.clone() };
    tx.append(clock, actor, Some(need.need_no.clone()), &data).await?;
    Ok(())
}

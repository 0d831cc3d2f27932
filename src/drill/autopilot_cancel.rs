//! A household cancels: the autopilot takes it as a coordinator would. Until
//! it is taken, the matching desk sends nobody to that need (the message is
//! on the desk); when it is taken, a team already out on it is called back —
//! its return recorded as 中止, which is what lets the intake cancel a need a
//! team was on — and then the need is cancelled with the household's reason.

use std::collections::HashSet;

use super::env::Env;
use super::payload::Payload;
use super::scenario::Inject;
use super::{inject, links};
use crate::dispatch::Outcome;
use crate::error::AppError;
use crate::events::Actor;

pub async fn take_cancellation(env: &Env, actor: &Actor, cancel: &Inject, payload: &Payload) -> Result<(), AppError> {
    let need = match payload.request() {
        Some(request) => links::need_of(&env.db.read, request).await?,
        None => None,
    };
    if let Some((need_id, _)) = need
        && let Some((team_id, _)) = links::team_on_need(&env.db.read, need_id).await?
    {
        let report = "依頼者の取消により引き揚げ（自動操縦）";
        inject::return_team(env, actor, team_id, Outcome::Cancelled, report, "").await?;
    }
    inject::apply(env, actor, cancel, payload).await
}

/// The needs of the calls in `requests` (cancellations not yet taken), as far as they are entered.
pub async fn needs_of(env: &Env, requests: &HashSet<u32>) -> Result<HashSet<i64>, AppError> {
    let mut needs = HashSet::new();
    for &request in requests {
        if let Some((need_id, _)) = links::need_of(&env.db.read, request).await? {
            needs.insert(need_id);
        }
    }
    Ok(needs)
}

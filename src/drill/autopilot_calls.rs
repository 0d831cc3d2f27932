//! The autopilot writes up a call slip the way a person at the needs desk
//! does: the card goes in without `force_new`, so the intake's duplicate check
//! answers as it answers the desk (409 `possible_duplicate` on the API). A
//! candidate with the same phone or address is the same household calling
//! again: the call is linked to it as a duplicate (saved as 取消, "duplicate
//! of N-xxxx"), never a second need. A neighbour within the pin radius is
//! someone else: saved as a new need, as a person would after looking.

use super::env::Env;
use super::payload::Call;
use crate::error::AppError;
use crate::events::Actor;
use crate::needs::intake::Intake;

/// What became of the call.
#[derive(Debug, PartialEq, Eq)]
pub enum Taken {
    New(String),
    /// Linked as a duplicate of this need.
    Duplicate(String),
}

/// Writes up call slip `inject`. `recognises` false: the desk misses that
/// the caller rang before and saves the card as new (a poorer desk's slip).
pub async fn take_call(
    env: &Env,
    actor: &Actor,
    inject: u32,
    call: &Call,
    recognises: bool,
) -> Result<Taken, AppError> {
    let mut form = call.to_form();
    form.drill_call = Some(inject);
    form.force_new = false;
    let zones = env.zones.current();
    let slips = &super::calls::CallSlips;
    let candidates =
        match crate::needs::intake::receive(&env.db, &env.clock, &zones, actor, slips, form.clone()).await? {
            Intake::Saved(need) => return Ok(Taken::New(need.need_no)),
            Intake::LikelyDuplicates(candidates) => candidates,
        };
    let original = candidates.iter().find(|c| same_household(&c.reasons)).filter(|_| recognises);
    match original {
        Some(original) => form.duplicate_of = Some(original.need_no.clone()),
        None => form.force_new = true,
    }
    match crate::needs::intake::receive(&env.db, &env.clock, &zones, actor, slips, form).await? {
        Intake::Saved(need) if original.is_some() => Ok(Taken::Duplicate(need.duplicate_of.unwrap_or_default())),
        Intake::Saved(need) => Ok(Taken::New(need.need_no)),
        Intake::LikelyDuplicates(_) => unreachable!("a linked or forced card is saved"),
    }
}

/// The same phone or address: the same household. A pin nearby alone is not.
fn same_household(reasons: &[&str]) -> bool {
    reasons.iter().any(|reason| matches!(*reason, "phone" | "address"))
}

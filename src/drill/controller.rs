//! The controller's hand during a drill, beyond fire and skip: take back a
//! skip (un-skip), fire an inject again (re-fire), and write an ad-hoc inject
//! (a message and the section it is for). Trainer only; each is one event, and
//! the AAR lists them as 「統制官による」 ([`actions`]).

use std::collections::HashSet;

use serde::Serialize;

use super::evaluate::{Log, Time};
use super::log::{Fired, FiredBy, InjectKind, Section, Skipped, Unskipped};
use super::run::{DrillRun, RunState, conflict};
use crate::error::AppError;
use crate::events::{Actor, Event, Payload};
use crate::i18n::Text;

/// The inject number of every ad-hoc inject (scenarios number theirs from 1).
pub const AD_HOC_INJECT: u32 = 0;

/// The kinds an ad-hoc inject may be: messages only (it acts on nothing).
pub const AD_HOC_KINDS: [InjectKind; 3] =
    [InjectKind::SituationUpdate, InjectKind::WeatherWarning, InjectKind::Inquiry];

/// The injects skipped and not taken back, read in order (skip, un-skip, skip again).
pub(crate) fn skipped(log: &Log) -> HashSet<u32> {
    skipped_in(log.entries.iter().map(|(_, _, p)| p))
}

fn skipped_in<'a>(payloads: impl Iterator<Item = &'a Payload>) -> HashSet<u32> {
    let mut skipped = HashSet::new();
    for payload in payloads {
        if let Some(s) = payload.get::<Skipped>() {
            skipped.insert(s.inject);
        } else if let Some(u) = payload.get::<Unskipped>() {
            skipped.remove(&u.inject);
        }
    }
    skipped
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    Unskip,
    Refire,
    AdHoc,
}

/// One thing the controller did to the script during the drill.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControllerAction {
    pub at: Time,
    pub action: ActionKind,
    /// The scenario's inject (none for an ad-hoc one).
    pub inject: Option<u32>,
    pub kind: Option<InjectKind>,
    pub to: Option<Section>,
    pub message: String,
    /// Who (an ad-hoc inject and an un-skip carry the trainer's name; a re-fire is the drill's).
    pub by: String,
}

/// The controller's actions, oldest first.
pub(crate) fn actions(log: &Log) -> Vec<ControllerAction> {
    log.entries
        .iter()
        .filter_map(|(at, event, payload)| {
            let action = |action, inject, kind, to, message: &str| ControllerAction {
                at: *at,
                action,
                inject,
                kind,
                to,
                message: message.to_string(),
                by: event.actor.clone(),
            };
            if let Some(u) = payload.get::<Unskipped>() {
                return Some(action(ActionKind::Unskip, Some(u.inject), None, None, ""));
            }
            let fired = payload.get::<Fired>()?;
            let kind = match fired.by {
                FiredBy::Refire => ActionKind::Refire,
                FiredBy::AdHoc => ActionKind::AdHoc,
                _ => return None,
            };
            let inject = (kind == ActionKind::Refire).then_some(fired.inject);
            Some(action(kind, inject, Some(fired.kind), Some(fired.to), &fired.message))
        })
        .collect()
}

fn under_way(run: &DrillRun) -> Result<(), AppError> {
    match run.state() {
        RunState::Running | RunState::Paused => Ok(()),
        _ => Err(conflict("訓練が進行中のときだけ操作できます。", "Only while the drill is under way.")),
    }
}

fn no_such_inject(id: u32) -> AppError {
    AppError::not_found(Text::new(format!("インジェクト {id} はありません。"), format!("No inject {id}.")))
}

fn has_fired(events: &[Event], id: u32) -> bool {
    events.iter().filter_map(crate::events::decoded::<Fired>).any(|f| f.inject == id)
}

/// What an ad-hoc inject says, and to whom.
#[derive(Debug, Clone)]
pub struct AdHoc {
    pub kind: InjectKind,
    pub to: Section,
    pub message: String,
}

impl DrillRun {
    /// Takes back a skip: the inject fires on its schedule again (at the next
    /// step when its time has passed).
    pub async fn unskip(&self, actor: &Actor, id: u32) -> Result<(), AppError> {
        self.inject(id).ok_or_else(|| no_such_inject(id))?;
        let mut cache = self.turn.lock().await;
        under_way(self)?;
        self.top_up(&mut cache).await?;
        let payloads: Vec<Payload> = cache.iter().filter_map(|e| e.payload().ok()).collect();
        if !skipped_in(payloads.iter()).contains(&id) || has_fired(&cache, id) {
            return Err(conflict(
                &format!("インジェクト {id} はスキップされていません。"),
                &format!("Inject {id} is not skipped."),
            ));
        }
        self.append(actor, &Unskipped { inject: id }).await?;
        self.top_up(&mut cache).await
    }

    /// Fires an inject that has fired before once more (it acts again).
    pub async fn refire(&self, id: u32) -> Result<(), AppError> {
        self.inject(id).ok_or_else(|| no_such_inject(id))?;
        let mut cache = self.turn.lock().await;
        under_way(self)?;
        self.top_up(&mut cache).await?;
        if !has_fired(&cache, id) {
            return Err(conflict(
                &format!("インジェクト {id} はまだ発動していません（「今すぐ発動」を使ってください）。"),
                &format!("Inject {id} has not fired yet (use fire)."),
            ));
        }
        self.fire_now(id, FiredBy::Refire, None).await?;
        self.top_up(&mut cache).await
    }

    /// Writes an ad-hoc inject: a message to a section, recorded like a fired inject.
    pub async fn ad_hoc(&self, actor: &Actor, inject: AdHoc) -> Result<(), AppError> {
        if !AD_HOC_KINDS.contains(&inject.kind) {
            return Err(AppError::validation(
                "kind",
                Text::new(
                    "統制官のインジェクトは situation_update・weather_warning・inquiry のどれかです。",
                    "An ad-hoc inject is a situation_update, weather_warning or inquiry.",
                ),
            ));
        }
        let message = crate::fields::required_text("message", &inject.message, "メッセージ", 2000)?;
        let mut cache = self.turn.lock().await;
        under_way(self)?;
        let fired = Fired {
            inject: AD_HOC_INJECT,
            kind: inject.kind,
            to: inject.to,
            message,
            hidden: false,
            scheduled: None,
            by: FiredBy::AdHoc,
            queued: false,
            ..Fired::default()
        };
        self.append(actor, &fired).await?;
        self.top_up(&mut cache).await
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::drill::evaluate::tests::{Script, at, morning, scenario};
    use crate::drill::evaluate::{InjectStatus, evaluate};
    use crate::events::EventPayload;

    #[test]
    fn an_unskipped_inject_is_no_longer_skipped_and_the_controller_actions_are_listed() {
        let mut s = Script(morning());
        s.add(146, Unskipped::KIND, json!({ "inject": 5 }))
            .fire(147, 3, InjectKind::WeatherWarning, json!({ "by": "refire", "message": "再度：大雨警報" }))
            .fire(148, AD_HOC_INJECT, InjectKind::SituationUpdate, json!({ "by": "ad_hoc", "message": "停電" }));
        let evaluation = evaluate(&scenario(), &s.0, at(150));
        let five = evaluation.injects.iter().find(|i| i.id == 5).unwrap();
        assert_eq!(five.status, InjectStatus::Pending, "skip taken back");
        let three = evaluation.injects.iter().find(|i| i.id == 3).unwrap();
        assert_eq!(three.fired_at, Some(at(120)), "a re-fire does not move the first firing");
        let log = Log::new(&s.0);
        let actions = actions(&log);
        let listed: Vec<(ActionKind, Option<u32>, &str)> =
            actions.iter().map(|a| (a.action, a.inject, a.message.as_str())).collect();
        assert_eq!(
            listed,
            [
                (ActionKind::Unskip, Some(5), ""),
                (ActionKind::Refire, Some(3), "再度：大雨警報"),
                (ActionKind::AdHoc, None, "停電")
            ]
        );
        let mut again = Script(s.0.clone());
        again.add(149, Skipped::KIND, json!({ "inject": 5 }));
        assert!(skipped(&Log::new(&again.0)).contains(&5), "skipped again after the un-skip");
    }
}

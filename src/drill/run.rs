//! A drill run: the scenario on the drill's clock. [`DrillRun::step`] fires
//! what is due, notes expected actions that passed their time (firing their
//! contingencies) and ends the run when its time is up; the server calls it
//! a few times a second, `drill run --fast` after each drill minute. The
//! trainer's commands (pause, fire by hand, observations…) come here too, and
//! everything is written to the drill's event log.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::env::Env;
use super::evaluate::{Evaluation, InjectStatus, evaluate};
use super::inject;
use super::log::{
    ClockAction, ClockChanged, Fired, FiredBy, Missed, Observation, PlanItem, Rated, Skipped, Started, StopReason,
    Stopped,
};
use super::payload::Payload;
use super::scenario::{Inject, Scenario};
use super::schedule;
use crate::error::AppError;
use crate::events::{self, Actor, Event, EventPayload};
use crate::i18n::Text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunState {
    /// Seeded, the clock at the start, waiting for the trainer.
    Ready,
    Running,
    Paused,
    Finished,
}

pub struct DrillRun {
    pub env: Env,
    pub scenario: Scenario,
    /// The scenario's text, logged when the run starts.
    pub text: String,
    /// The file it came from, as given.
    pub file: String,
    payloads: HashMap<u32, Payload>,
    state: Mutex<RunState>,
    /// One step or trainer command at a time, so nothing fires twice.
    pub(super) turn: tokio::sync::Mutex<Vec<Event>>,
    /// Expected actions already judged at their deadline.
    settled: Mutex<HashSet<u32>>,
}

pub(super) fn conflict(ja: &str, en: &str) -> AppError {
    AppError::conflict(Text::new(ja.to_string(), en.to_string())).coded("drill_state")
}

impl DrillRun {
    /// `scenario` must have passed `drill check` ([`super::setup::load`]); an
    /// inject whose payload does not read anyway is left out (firing it
    /// answers "no such inject"), never a panic.
    pub fn new(env: Env, scenario: Scenario, text: String, file: String) -> DrillRun {
        let payloads =
            scenario.injects.iter().filter_map(|i| Some((i.get_ref().id, i.get_ref().typed_payload().ok()?))).collect();
        DrillRun {
            env,
            scenario,
            text,
            file,
            payloads,
            state: Mutex::new(RunState::Ready),
            turn: tokio::sync::Mutex::new(Vec::new()),
            settled: Mutex::new(HashSet::new()),
        }
    }

    pub fn state(&self) -> RunState {
        *self.state.lock().expect("drill state")
    }

    fn set_state(&self, state: RunState) {
        *self.state.lock().expect("drill state") = state;
    }

    pub fn inject(&self, id: u32) -> Option<&Inject> {
        self.scenario.injects.iter().map(|i| i.get_ref()).find(|i| i.id == id)
    }

    pub fn payload(&self, id: u32) -> Option<&Payload> {
        self.payloads.get(&id)
    }

    /// The drill's whole log so far (kept in memory, topped up from the table).
    pub async fn events(&self) -> Result<Vec<Event>, AppError> {
        let mut cache = self.turn.lock().await;
        self.top_up(&mut cache).await?;
        Ok(cache.clone())
    }

    pub(super) async fn top_up(&self, cache: &mut Vec<Event>) -> Result<(), AppError> {
        loop {
            let after = cache.last().map_or(0, |e| e.seq);
            let more = events::since(&self.env.db.read, after, 5000).await?;
            if more.is_empty() {
                return Ok(());
            }
            cache.extend(more);
        }
    }

    /// The log after `seq` (what a follower has not seen yet).
    pub async fn events_after(&self, seq: i64) -> Result<Vec<Event>, AppError> {
        let mut cache = self.turn.lock().await;
        self.top_up(&mut cache).await?;
        let from = cache.partition_point(|e| e.seq <= seq);
        Ok(cache[from..].to_vec())
    }

    pub async fn evaluation(&self) -> Result<Evaluation, AppError> {
        let mut cache = self.turn.lock().await;
        self.top_up(&mut cache).await?;
        Ok(evaluate(&self.scenario, &cache, self.env.clock.now()))
    }

    pub(super) async fn append<P: EventPayload>(&self, actor: &Actor, payload: &P) -> Result<(), AppError> {
        let mut tx = self.env.db.begin_write().await?;
        tx.append(&self.env.clock, actor, None, payload).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ready → running: the clock starts.
    pub async fn start(&self, actor: &Actor) -> Result<(), AppError> {
        let _turn = self.turn.lock().await;
        if self.state() != RunState::Ready {
            return Err(conflict("訓練はすでに開始しています。", "The drill has already started."));
        }
        let started = Started {
            scenario_id: self.scenario.id.clone(),
            title: self.scenario.title.clone(),
            file: self.file.clone(),
            sim_start: self.scenario.sim_start.get_ref().clone(),
            speed: self.speed(),
            scenario: self.text.clone(),
        };
        self.append(actor, &started).await?;
        self.env.clock.steer(|t, real| t.resume(real));
        self.set_state(RunState::Running);
        Ok(())
    }

    pub fn speed(&self) -> u32 {
        self.env.clock.drill_state().map_or(*self.scenario.speed.get_ref(), |(speed, _)| speed)
    }

    pub async fn pause(&self, actor: &Actor) -> Result<(), AppError> {
        self.hold(actor, true).await
    }

    pub async fn resume(&self, actor: &Actor) -> Result<(), AppError> {
        self.hold(actor, false).await
    }

    /// Running → paused (`pause`), or back: the clock stops or goes on, and the log says which.
    async fn hold(&self, actor: &Actor, pause: bool) -> Result<(), AppError> {
        let _turn = self.turn.lock().await;
        let (from, to, action) = match pause {
            true => (RunState::Running, RunState::Paused, ClockAction::Pause),
            false => (RunState::Paused, RunState::Running, ClockAction::Resume),
        };
        if self.state() != from {
            return Err(match pause {
                true => conflict("進行中の訓練はありません。", "The drill is not running."),
                false => conflict("一時停止中ではありません。", "The drill is not paused."),
            });
        }
        self.env.clock.steer(|t, real| if pause { t.pause(real) } else { t.resume(real) });
        self.set_state(to);
        self.append(actor, &ClockChanged { action, speed: self.speed() }).await
    }

    pub async fn set_speed(&self, actor: &Actor, speed: u32) -> Result<(), AppError> {
        if !(1..=120).contains(&speed) {
            return Err(AppError::validation("speed", Text::new("速度は1〜120倍です。", "speed is 1–120.")));
        }
        let _turn = self.turn.lock().await;
        if self.state() == RunState::Finished {
            return Err(conflict("訓練は終了しています。", "The drill has finished."));
        }
        self.env.clock.steer(|t, real| t.set_speed(real, speed));
        self.append(actor, &ClockChanged { action: ClockAction::Speed, speed }).await
    }

    pub async fn stop(&self, actor: &Actor) -> Result<(), AppError> {
        let _turn = self.turn.lock().await;
        self.finish(actor, StopReason::Trainer).await
    }

    async fn finish(&self, actor: &Actor, reason: StopReason) -> Result<(), AppError> {
        if matches!(self.state(), RunState::Finished | RunState::Ready) {
            return Err(conflict("進行中の訓練はありません。", "No drill is under way."));
        }
        self.env.clock.steer(|t, real| t.pause(real));
        self.set_state(RunState::Finished);
        self.append(actor, &Stopped { reason }).await
    }

    /// Fires what is due, notes missed expectations, ends the run at its end.
    pub async fn step(&self) -> Result<(), AppError> {
        let mut cache = self.turn.lock().await;
        if self.state() != RunState::Running {
            return Ok(());
        }
        let now = self.env.clock.now();
        self.top_up(&mut cache).await?;
        let known = Known::from(&cache[..]);
        let waiting: HashSet<u32> =
            schedule::contingencies(&self.scenario).into_iter().filter(|c| !known.called.contains(c)).collect();
        let set_aside = |id: u32| known.skipped.contains(&id) || waiting.contains(&id);
        for (id, at) in schedule::due_now(&self.scenario, &known.fired, &set_aside, now) {
            self.fire_now(id, FiredBy::Schedule, Some(at)).await?;
        }
        self.top_up(&mut cache).await?;
        let misses = self.judge_passed_deadlines(&cache, &known, now);
        for id in misses {
            let on_miss = self.inject(id).and_then(|i| i.on_miss.as_ref());
            let contingency = on_miss.and_then(|m| m.inject).filter(|c| !known.fired.contains_key(c));
            let missed = Missed { inject: id, hint: on_miss.and_then(|m| m.hint.clone()), contingency };
            self.append(&inject::actor(), &missed).await?;
            if let Some(contingency) = contingency {
                self.fire_now(contingency, FiredBy::Contingency, None).await?;
            }
        }
        if now >= schedule::window(&self.scenario).1 {
            self.finish(&Actor::system(), StopReason::End).await?;
        }
        self.top_up(&mut cache).await
    }

    /// Expected actions whose time has just run out: judged once each (the
    /// evaluator reads the whole log, so it runs only when a deadline passes).
    /// Returns the ones missed.
    fn judge_passed_deadlines(&self, events: &[Event], known: &Known, now: DateTime<FixedOffset>) -> Vec<u32> {
        let end = schedule::window(&self.scenario).1;
        let mut settled = self.settled.lock().expect("settled expectations");
        let passed: Vec<u32> = self
            .scenario
            .injects
            .iter()
            .map(|i| i.get_ref())
            .filter(|i| !settled.contains(&i.id) && !known.missed.contains(&i.id))
            .filter_map(|i| {
                let expect = i.expect.as_ref().filter(|e| e.detect.is_some())?;
                let fired = known.fired.get(&i.id)?;
                let within = expect.within.as_deref().and_then(super::check::duration_minutes);
                let deadline = within.and_then(|m| super::limits::add_minutes(*fired, m)).unwrap_or(end);
                (deadline <= now).then_some(i.id)
            })
            .collect();
        if passed.is_empty() {
            return Vec::new();
        }
        let evaluation = evaluate(&self.scenario, events, now);
        settled.extend(&passed);
        evaluation
            .injects
            .iter()
            .filter(|r| passed.contains(&r.id) && r.status == InjectStatus::Missed)
            .map(|r| r.id)
            .collect()
    }

    pub(super) async fn fire_now(
        &self,
        id: u32,
        by: FiredBy,
        scheduled: Option<DateTime<FixedOffset>>,
    ) -> Result<(), AppError> {
        let (Some(inject), Some(payload)) = (self.inject(id), self.payload(id)) else {
            return Err(AppError::not_found(Text::new("そのインジェクトはありません。", "No such inject.")));
        };
        inject::fire(&self.env, inject, payload, by, scheduled).await?;
        Ok(())
    }

    /// The trainer fires a pending inject now.
    pub async fn fire_by_hand(&self, id: u32) -> Result<(), AppError> {
        let mut cache = self.turn.lock().await;
        self.pending(&mut cache, id).await?;
        let known = Known::from(&cache[..]);
        let scheduled = schedule::due_times(&self.scenario, &known.fired).get(&id).copied().flatten();
        self.fire_now(id, FiredBy::Trainer, scheduled).await?;
        self.top_up(&mut cache).await
    }

    /// The trainer skips a pending inject: it will not fire on its own.
    pub async fn skip(&self, actor: &Actor, id: u32) -> Result<(), AppError> {
        let mut cache = self.turn.lock().await;
        self.pending(&mut cache, id).await?;
        self.append(actor, &Skipped { inject: id }).await?;
        self.top_up(&mut cache).await
    }

    async fn pending(&self, cache: &mut Vec<Event>, id: u32) -> Result<(), AppError> {
        if self.inject(id).is_none() {
            return Err(AppError::not_found(Text::new(
                format!("インジェクト {id} はありません。"),
                format!("No inject {id}."),
            )));
        }
        if !matches!(self.state(), RunState::Running | RunState::Paused) {
            return Err(conflict("訓練が進行中のときだけ操作できます。", "Only while the drill is under way."));
        }
        self.top_up(cache).await?;
        let known = Known::from(&cache[..]);
        if known.fired.contains_key(&id) || known.skipped.contains(&id) {
            return Err(conflict(
                &format!("インジェクト {id} は発動済みかスキップ済みです。"),
                &format!("Inject {id} has already fired or been skipped."),
            ));
        }
        Ok(())
    }

    pub(super) fn objective_exists(&self, id: &str) -> Result<(), AppError> {
        if self.scenario.objectives.iter().any(|o| o.get_ref().id == id) {
            Ok(())
        } else {
            Err(AppError::validation(
                "objective",
                Text::new(format!("目標 {id} はありません。"), format!("No objective {id}.")),
            ))
        }
    }

    pub async fn observe(&self, actor: &Actor, observation: Observation) -> Result<(), AppError> {
        if let Some(objective) = &observation.objective {
            self.objective_exists(objective)?;
        }
        let text = crate::fields::required_text("text", &observation.text, "所見", 2000)?;
        let _turn = self.turn.lock().await;
        self.append(actor, &Observation { objective: observation.objective, text }).await
    }

    pub async fn rate(&self, actor: &Actor, rated: Rated) -> Result<(), AppError> {
        self.objective_exists(&rated.objective)?;
        let _turn = self.turn.lock().await;
        self.append(actor, &rated).await
    }

    /// Writes a row of the improvement plan; `row` 0 adds one.
    pub async fn plan(&self, actor: &Actor, mut item: PlanItem) -> Result<(), AppError> {
        for (field, value, label) in [
            ("issue", &item.issue, "課題"),
            ("action", &item.action, "改善策"),
            ("owner", &item.owner, "担当"),
            ("due", &item.due, "期限"),
        ] {
            crate::fields::optional_text(field, Some(value.as_str()), label, 500)?;
        }
        let mut cache = self.turn.lock().await;
        self.top_up(&mut cache).await?;
        if item.row == 0 {
            item.row =
                cache.iter().filter_map(crate::events::decoded::<PlanItem>).map(|p| p.row).max().unwrap_or(0) + 1;
        }
        self.append(actor, &item).await
    }
}

/// What the log says about the injects so far.
struct Known {
    fired: HashMap<u32, DateTime<FixedOffset>>,
    skipped: HashSet<u32>,
    missed: HashSet<u32>,
    /// Contingencies some miss has called for.
    called: HashSet<u32>,
}

impl From<&[Event]> for Known {
    fn from(events: &[Event]) -> Known {
        let mut known =
            Known { fired: HashMap::new(), skipped: HashSet::new(), missed: HashSet::new(), called: HashSet::new() };
        for event in events {
            if let Some(fired) = crate::events::decoded::<Fired>(event)
                && let Ok(at) = DateTime::parse_from_rfc3339(&event.at)
            {
                known.fired.insert(fired.inject, at);
            } else if let Some(skipped) = crate::events::decoded::<Skipped>(event) {
                known.skipped.insert(skipped.inject);
            } else if let Some(unskipped) = crate::events::decoded::<super::log::Unskipped>(event) {
                known.skipped.remove(&unskipped.inject);
            } else if let Some(missed) = crate::events::decoded::<Missed>(event) {
                known.missed.insert(missed.inject);
                known.called.extend(missed.contingency);
            }
        }
        known
    }
}

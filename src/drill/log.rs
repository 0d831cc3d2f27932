//! What a drill writes into its event log, typed. The runner, the trainer's
//! commands and the autopilot append these; the evaluator and the AAR read
//! them back (with the domain's own events) — the log is the only evidence.
//! Every `at` is drill time: the drill's clock stamps the events.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::scenario::{InjectKind, Section};
use crate::events::Event;

/// The run begins: the scenario as it was when the run started.
pub const STARTED: &str = "drill.started";
/// Pause, resume, a change of speed.
pub const CLOCK: &str = "drill.clock";
/// An inject fired (on schedule, by the trainer, or as a contingency).
pub const FIRED: &str = "drill.inject_fired";
/// The trainer skipped an inject; it will not fire on its own.
pub const SKIPPED: &str = "drill.inject_skipped";
/// A queued household call was written up as a need card.
pub const CALL_TAKEN: &str = "drill.call_taken";
/// An expected action passed its deadline undetected.
pub const MISSED: &str = "drill.expect_missed";
/// The trainer noted something.
pub const OBSERVATION: &str = "drill.observation";
/// The trainer rated an objective P/S/M/U.
pub const RATED: &str = "drill.rated";
/// A row of the improvement plan, written or rewritten.
pub const PLAN: &str = "drill.plan_item";
/// The run ended.
pub const STOPPED: &str = "drill.stopped";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Started {
    pub scenario_id: String,
    pub title: String,
    /// The file it was read from, as given.
    pub file: String,
    pub sim_start: String,
    pub speed: u32,
    /// The scenario's TOML text, so the AAR can be written from the drill file alone.
    pub scenario: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockAction {
    Pause,
    Resume,
    Speed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClockChanged {
    pub action: ClockAction,
    /// The speed after the change.
    pub speed: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FiredBy {
    Schedule,
    Trainer,
    Contingency,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fired {
    pub inject: u32,
    pub kind: InjectKind,
    pub to: Section,
    pub message: String,
    pub hidden: bool,
    /// When the schedule had it (RFC 3339), for scheduled vs actual.
    pub scheduled: Option<String>,
    pub by: FiredBy,
    /// `true`: a call slip or message waiting for trainees; `false`: entered as it fired.
    pub queued: bool,
    /// Volunteers it brought (volunteer_arrival).
    #[serde(default)]
    pub volunteer_ids: Vec<i64>,
    /// People among them (groups count their members).
    #[serde(default)]
    pub headcount: i64,
    /// The need it made or is about.
    pub need_id: Option<i64>,
    pub need_no: Option<String>,
    /// The team it is about (team_report).
    pub team_id: Option<i64>,
    pub team_no: Option<String>,
    /// The item it is about (equipment_*).
    pub item_id: Option<i64>,
    pub item: Option<String>,
    /// Why the system could not take it (e.g. the need was already closed).
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Skipped {
    pub inject: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallTaken {
    pub inject: u32,
    pub need_id: i64,
    pub need_no: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Missed {
    pub inject: u32,
    pub hint: Option<String>,
    /// The contingency inject fired because of it.
    pub contingency: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub objective: Option<String>,
    pub text: String,
}

/// P: performed without challenges; S: with some; M: with major challenges; U: unable to be performed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum Rating {
    P,
    S,
    M,
    U,
}

impl Rating {
    pub fn label_ja(self) -> &'static str {
        match self {
            Rating::P => "P 支障なく実施",
            Rating::S => "S 一部に課題",
            Rating::M => "M 大きな課題",
            Rating::U => "U 実施できず",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rated {
    pub objective: String,
    pub rating: Rating,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlanItem {
    /// 1-based; a later event with the same row replaces it.
    pub row: u32,
    /// 課題
    pub issue: String,
    /// 改善策
    pub action: String,
    /// 担当
    pub owner: String,
    /// 期限
    pub due: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// The trainer pressed stop.
    Trainer,
    /// The scenario's duration ran out.
    End,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stopped {
    pub reason: StopReason,
}

/// The data of an event, for appending.
pub fn data(value: &impl Serialize) -> Value {
    serde_json::to_value(value).expect("drill log data serialises")
}

/// Reads an event's data as `T` when it is of `kind`.
pub fn read<T: DeserializeOwned>(event: &Event, kind: &str) -> Option<T> {
    (event.kind == kind).then(|| serde_json::from_value(event.data.clone()).ok()).flatten()
}

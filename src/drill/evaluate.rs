//! The evaluator: reads a drill's event log and rates each expected action
//! met / late / missed with the measured drill time, and computes the drill's
//! metrics. Pure: scenario + events + now in, [`Evaluation`] out.
//!
//! (Being written: this is the contract the runner and the console use.)

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::log::{FiredBy, Observation, PlanItem, Rating};
use super::scenario::{InjectKind, Scenario, Section};
use crate::events::Event;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InjectStatus {
    /// Not fired yet.
    Pending,
    /// Fired; its expected action (if any) is not yet due or cannot be machine-checked.
    Fired,
    /// The expected action was detected within its time.
    Met,
    /// Detected, after its time.
    Late,
    /// Its time passed (or the drill ended) without it.
    Missed,
    /// The trainer skipped it.
    Skipped,
}

#[derive(Debug, Clone, Serialize)]
pub struct InjectResult {
    pub id: u32,
    pub kind: InjectKind,
    pub to: Section,
    /// When it was (or is) due; `None` for an `after` inject whose parent has not fired,
    /// and for contingencies not called for.
    pub scheduled: Option<DateTime<FixedOffset>>,
    pub fired_at: Option<DateTime<FixedOffset>>,
    pub by: Option<FiredBy>,
    pub status: InjectStatus,
    /// `fired_at + within`.
    pub deadline: Option<DateTime<FixedOffset>>,
    pub detected_at: Option<DateTime<FixedOffset>>,
    /// Drill minutes from firing to detection.
    pub measured_minutes: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Metrics {}

#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// In the scenario's order.
    pub injects: Vec<InjectResult>,
    pub metrics: Metrics,
    /// The latest rating per objective id.
    pub ratings: std::collections::BTreeMap<String, Rating>,
    /// (when, who, what), oldest first.
    pub observations: Vec<(DateTime<FixedOffset>, String, Observation)>,
    /// The improvement plan, by row (the latest version of each row).
    pub plan: Vec<PlanItem>,
    pub started: Option<DateTime<FixedOffset>>,
    pub stopped: Option<DateTime<FixedOffset>>,
}

pub fn evaluate(scenario: &Scenario, events: &[Event], now: DateTime<FixedOffset>) -> Evaluation {
    let _ = (scenario, events, now);
    todo!("the evaluator")
}

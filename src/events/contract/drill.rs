//! The drill's own events: the runner, the trainer's commands and the
//! autopilot append these; the evaluator and the AAR read them back (with the
//! domain's own events). Every `at` is drill time: the drill's clock stamps them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What an inject is (the scenario's `kind`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InjectKind {
    #[default]
    VolunteerArrival,
    HouseholdRequest,
    SurveyResult,
    NeedUpdate,
    NeedCancel,
    TeamReport,
    EquipmentShortage,
    EquipmentReturn,
    WeatherWarning,
    Inquiry,
    IctOutage,
    SituationUpdate,
}

/// Who an inject is addressed to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Reception,
    Needs,
    Matching,
    Dispatch,
    Equipment,
    #[default]
    All,
}

event! {
    /// The run begins: the scenario as it was when the run started.
    #[kind = "drill.started"]
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
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClockAction {
    #[default]
    Pause,
    Resume,
    Speed,
}

event! {
    /// Pause, resume, a change of speed.
    #[kind = "drill.clock"]
    pub struct ClockChanged {
        pub action: ClockAction,
        /// The speed after the change.
        pub speed: u32,
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FiredBy {
    #[default]
    Schedule,
    Trainer,
    Contingency,
    /// Fired again by the controller (re-fire), after it had fired.
    Refire,
    /// Written during the drill by the controller (an ad-hoc inject, `inject` 0).
    AdHoc,
}

event! {
    /// An inject fired (on schedule, by the trainer, or as a contingency).
    #[kind = "drill.inject_fired"]
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
        /// What an `ict_outage` takes offline, and until when.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub outage: Option<OutageCut>,
        /// What it could not do of what it said; absent when it did all of it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub shortfall: Option<Shortfall>,
    }
}

/// The desks an `ict_outage` takes offline for its minutes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OutageCut {
    /// The desks (screens) cut off: `reception`, `needs`, `matching`, `equipment`, `board`.
    pub desks: Vec<String>,
    pub minutes: u32,
    /// Drill time (RFC 3339) when they come back.
    pub until: String,
}

/// An inject did less than it said: `asked` against `done`, in its own unit
/// (items written off, people arriving, teams reporting), and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, utoipa::ToSchema)]
pub struct Shortfall {
    pub asked: i64,
    pub done: i64,
    pub why: ShortfallWhy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ShortfallWhy {
    /// `equipment_shortage`: fewer in stock than it wrote off.
    StockShort,
    /// `team_report`: no team was out (on its request's need, or at all).
    NoTeamOut,
    /// The system refused the rest (the firing's `note` says why).
    Refused,
}

event! {
    /// The trainer skipped an inject; it will not fire on its own.
    #[kind = "drill.inject_skipped"]
    pub struct Skipped {
        pub inject: u32,
    }
}

event! {
    /// A queued household call was written up as a need card.
    #[kind = "drill.call_taken"]
    pub struct CallTaken {
        pub inject: u32,
        pub need_id: i64,
        pub need_no: String,
    }
}

event! {
    /// An expected action passed its deadline undetected.
    #[kind = "drill.expect_missed"]
    pub struct Missed {
        pub inject: u32,
        pub hint: Option<String>,
        /// The contingency inject fired because of it.
        pub contingency: Option<u32>,
    }
}

event! {
    /// The trainer noted something.
    #[kind = "drill.observation"]
    pub struct Observation {
        pub objective: Option<String>,
        pub text: String,
    }
}

/// P: performed without challenges; S: with some; M: with major challenges; U: unable to be performed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, utoipa::ToSchema)]
pub enum Rating {
    #[default]
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

event! {
    /// The trainer rated an objective P/S/M/U.
    #[kind = "drill.rated"]
    pub struct Rated {
        pub objective: String,
        pub rating: Rating,
    }
}

event! {
    /// A row of the improvement plan, written or rewritten.
    #[kind = "drill.plan_item"]
    #[derive(utoipa::ToSchema)]
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
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    #[default]
    /// The trainer pressed stop.
    Trainer,
    /// The scenario's duration ran out.
    End,
}

event! {
    /// A paper record written during an outage, entered once the desk was back:
    /// when it happened on paper (given by the player) beside when it was
    /// entered (this event's `at`). It follows the desk's own events.
    #[kind = "drill.late_entry"]
    pub struct LateEntry {
        /// When it happened, on paper (drill time, RFC 3339).
        pub paper_time: String,
        /// The desk it was entered at.
        pub desk: Option<String>,
        /// The events the entry made (their `seq`s) and their kinds.
        #[serde(default)]
        pub events: Vec<i64>,
        #[serde(default)]
        pub kinds: Vec<String>,
    }
}

event! {
    /// The run ended.
    #[kind = "drill.stopped"]
    pub struct Stopped {
        pub reason: StopReason,
    }
}

/// An evaluator's verdict on an expected action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    #[default]
    Met,
    Late,
    Missed,
}

event! {
    /// An evaluator (or the trainer) marked an expected action met, late or
    /// missed: the verdict of an action without `detect`, or an override of
    /// the detected one (then `note` is the reason). The latest mark counts.
    #[kind = "drill.expect_marked"]
    pub struct ExpectMarked {
        pub inject: u32,
        pub verdict: Verdict,
        /// Why; required when it overrides a detected verdict.
        pub note: String,
    }
}

/// Which side of an objective a finding is on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Aspect {
    /// 良かった点
    #[default]
    Strength,
    /// 改善すべき点
    Improvement,
}

event! {
    /// An evaluator noted a strength or an area for improvement of an objective.
    #[kind = "drill.finding"]
    pub struct Finding {
        pub objective: String,
        pub aspect: Aspect,
        pub text: String,
    }
}

event! {
    /// The controller took back a skip: the inject fires on its schedule again
    /// (at once when its time has passed).
    #[kind = "drill.inject_unskipped"]
    pub struct Unskipped {
        pub inject: u32,
    }
}

event! {
    /// A player answered an `inquiry` inject (the answer as given).
    #[kind = "drill.inquiry_answered"]
    pub struct InquiryAnswered {
        pub inject: u32,
        pub answer: String,
    }
}

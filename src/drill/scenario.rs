//! A drill scenario (訓練シナリオ) as written in `drills/*.toml`: the header, the
//! seed, the objectives and the injects of a Master Scenario Events List.
//! Unknown fields are errors, so a typo in a trainer's file is found by
//! `borasen drill check`, not silently ignored.

use serde::Deserialize;
use toml::Spanned;

use super::payload::Payload;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub id: String,
    pub title: String,
    pub hazard: String,
    #[serde(default)]
    pub narrative: String,
    /// 「発災3日後」
    #[serde(default)]
    pub phase_label: String,
    /// RFC 3339: when the drill's clock starts.
    pub sim_start: Spanned<String>,
    /// `6h`, `90m`, `1h30m`
    pub duration: Spanned<String>,
    /// 1–120 ([`super::limits::SPEED`])
    #[serde(default = "one")]
    pub speed: Spanned<u32>,
    #[serde(default)]
    pub seed: Seed,
    #[serde(default)]
    pub objectives: Vec<Spanned<Objective>>,
    #[serde(default)]
    pub injects: Vec<Spanned<Inject>>,
}

fn one() -> Spanned<u32> {
    Spanned::new(0..0, 1)
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// A GeoJSON zone file (as for `borasen zones import`).
    pub zones: Option<Spanned<String>>,
    /// Starting stock; empty: the demo center's equipment list.
    #[serde(default)]
    pub items: Vec<Spanned<SeedItem>>,
    /// Needs left open from earlier days, entered before the clock starts.
    #[serde(default)]
    pub needs: Vec<Spanned<super::payload::Call>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedItem {
    pub name: String,
    pub stock: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    pub id: String,
    pub text: String,
    pub target: Option<String>,
    /// The capability it exercises (受付, ニーズ把握, 安全管理, 情報発信…): the AAR groups by it.
    #[serde(default)]
    pub capability: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inject {
    pub id: u32,
    /// `+HH:MM` after the start…
    pub at: Option<String>,
    /// …or some time after another inject fired.
    pub after: Option<After>,
    pub kind: InjectKind,
    #[serde(default)]
    pub to: Section,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub payload: toml::Table,
    /// Seen by the controller only.
    #[serde(default)]
    pub hidden: bool,
    pub expect: Option<Expect>,
    pub on_miss: Option<OnMiss>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct After {
    pub inject: u32,
    /// `10m`, `1h`, `1h30m`
    pub delay: String,
}

// What an inject is and who it is for are part of the event contract (a fired
// inject's event carries both), so they are defined there.
pub use crate::events::contract::drill::{InjectKind, Section};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    pub text: String,
    /// How long trainees have: `15m`.
    pub within: Option<String>,
    /// The objective it counts towards.
    pub objective: Option<String>,
    pub detect: Option<Detect>,
}

/// What the evaluator looks for in the drill's event log: a typed predicate,
/// not a string language.
#[derive(Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Detect {
    /// Every volunteer of a `volunteer_arrival` inject is checked in.
    AllCheckedIn { inject: u32 },
    /// The need of a `household_request` inject is entered.
    NeedReceived { inject: u32 },
    /// The need of a `household_request` inject has a team out.
    NeedDispatched { inject: u32 },
    /// A team's report (of a `team_report` inject) is taken.
    TeamReturned { inject: u32 },
    /// 活動中止 begins.
    SuspensionStarted {},
    /// An item's stock is received or adjusted.
    StockAdjusted { item: String },
    /// Paper kept during an `ict_outage` is entered once its desks are back
    /// ([`super::detect_outage`]).
    LateEntriesAfterOutage { inject: u32 },
    /// The need card of a `household_request` (a duplicate call) is linked as a
    /// duplicate (`duplicate_of`) rather than left as a second need.
    DuplicateLinked { inject: u32 },
    /// The need of a `need_cancel` inject is cancelled with no team out on it
    /// (a team out is recalled first); a call never written up counts as handled.
    CancellationHandled { inject: u32 },
    /// The 現地調査 of a `survey_result` inject is entered on its need card.
    SurveyEntered { inject: u32 },
    /// An `inquiry` inject is answered (`POST /api/drill/inquiries/{id}/answer`).
    InquiryAnswered { inject: u32 },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnMiss {
    /// Shown to the trainer when the expected action is missed.
    pub hint: Option<String>,
    /// A contingency inject fired instead.
    pub inject: Option<u32>,
}

impl Inject {
    /// The payload read as its kind's struct (see [`Payload::parse`]).
    pub fn typed_payload(&self) -> Result<Payload, String> {
        Payload::parse(self.kind, &self.payload)
    }
}

impl Detect {
    /// The inject a predicate points at, and the kind that inject must be.
    pub fn target(&self) -> Option<(u32, InjectKind)> {
        match self {
            Detect::AllCheckedIn { inject } => Some((*inject, InjectKind::VolunteerArrival)),
            Detect::NeedReceived { inject } | Detect::NeedDispatched { inject } => {
                Some((*inject, InjectKind::HouseholdRequest))
            }
            Detect::TeamReturned { inject } => Some((*inject, InjectKind::TeamReport)),
            Detect::LateEntriesAfterOutage { inject } => Some((*inject, InjectKind::IctOutage)),
            Detect::DuplicateLinked { inject } => Some((*inject, InjectKind::HouseholdRequest)),
            Detect::CancellationHandled { inject } => Some((*inject, InjectKind::NeedCancel)),
            Detect::SurveyEntered { inject } => Some((*inject, InjectKind::SurveyResult)),
            Detect::InquiryAnswered { inject } => Some((*inject, InjectKind::Inquiry)),
            Detect::SuspensionStarted {} | Detect::StockAdjusted { .. } => None,
        }
    }
}

impl InjectKind {
    pub fn label_ja(self) -> &'static str {
        match self {
            InjectKind::VolunteerArrival => "ボランティア到着",
            InjectKind::HouseholdRequest => "ニーズの電話",
            InjectKind::SurveyResult => "現地調査の結果",
            InjectKind::NeedUpdate => "ニーズの変更",
            InjectKind::NeedCancel => "ニーズの取消",
            InjectKind::TeamReport => "班からの連絡",
            InjectKind::EquipmentShortage => "資機材の不足",
            InjectKind::EquipmentReturn => "資機材の返却",
            InjectKind::WeatherWarning => "気象警報",
            InjectKind::Inquiry => "問い合わせ",
            InjectKind::IctOutage => "通信障害",
            InjectKind::SituationUpdate => "状況の変化",
        }
    }
}

impl Section {
    pub fn label_ja(self) -> &'static str {
        match self {
            Section::Reception => "受付班",
            Section::Needs => "ニーズ班",
            Section::Matching => "マッチング班",
            Section::Dispatch => "送り出し班",
            Section::Equipment => "資機材班",
            Section::All => "全体",
        }
    }
}

//! Teams (班) out and back, and the center's suspension (活動中止).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::EventPayload;

/// A team left (subject the team number).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TeamDispatched {
    pub team_id: i64,
    pub team_no: String,
    /// The need it went to; none for a zone dispatch.
    pub need_no: Option<String>,
    pub zone: Option<String>,
    /// People (groups count their members).
    pub headcount: i64,
    /// The members' volunteer numbers, the leader first.
    pub members: Vec<String>,
    pub leader: String,
    /// 帰着期限, RFC 3339.
    pub return_by: String,
}

impl EventPayload for TeamDispatched {
    const KIND: &'static str = "team.dispatched";
}

/// A team came back and reported (subject the team number).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TeamReturned {
    pub team_id: i64,
    pub team_no: String,
    pub need_no: Option<String>,
    pub zone: Option<String>,
    /// `done`, `continue`, `cancelled`.
    pub outcome: String,
    /// 作業時間.
    pub minutes: i64,
    pub headcount: i64,
    /// Need numbers the team found on site.
    pub new_needs: Vec<String>,
    /// An injury was reported (see `incident.reported`).
    pub injury: bool,
}

impl EventPayload for TeamReturned {
    const KIND: &'static str = "team.returned";
}

/// A team passed its deadline without coming back (logged once).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TeamOverdue {
    pub team_id: i64,
    pub team_no: String,
    pub return_by: String,
}

impl EventPayload for TeamOverdue {
    const KIND: &'static str = "team.overdue";
}

/// A returning team reported an injury; its description stays on the team.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IncidentReported {
    pub team_id: i64,
    pub team_no: String,
    pub need_no: Option<String>,
    pub zone: Option<String>,
}

impl EventPayload for IncidentReported {
    const KIND: &'static str = "incident.reported";
}

/// 活動中止: every team out is recalled.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CenterSuspended {
    pub reason: String,
    /// The team numbers out at that moment.
    pub recall: Vec<String>,
}

impl EventPayload for CenterSuspended {
    const KIND: &'static str = "center.suspended";
}

/// 活動再開.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CenterResumed {
    /// When the suspension began, RFC 3339.
    pub suspended_since: Option<String>,
    /// Why it was suspended.
    pub reason: String,
}

impl EventPayload for CenterResumed {
    const KIND: &'static str = "center.resumed";
}

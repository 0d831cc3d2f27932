//! The team (班) as the system holds it.

use serde::{Deserialize, Serialize};

use crate::db_text::db_text;

/// 出発 → 帰着. (編成中, forming, lives on the matching desk until it is sent.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TeamStatus {
    /// 出発: out on site.
    Dispatched,
    /// 帰着: back, report taken.
    Returned,
}

db_text!(TeamStatus { Dispatched => "dispatched", Returned => "returned" });

/// The leader's report on return.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 完了: the need is done.
    #[serde(alias = "完了")]
    Done,
    /// 継続: more work is needed; the need goes back to the queue.
    #[serde(alias = "継続")]
    Continue,
    /// 中止: the work was abandoned (rain, danger); the need waits for a team again.
    #[serde(alias = "中止")]
    Cancelled,
}

db_text!(Outcome { Done => "done", Continue => "continue", Cancelled => "cancelled" });

impl Outcome {
    pub fn label_ja(self) -> &'static str {
        match self {
            Outcome::Done => "完了",
            Outcome::Continue => "継続",
            Outcome::Cancelled => "中止",
        }
    }
}

/// `T-003` (restarts each activity day).
pub fn team_no(number: i64) -> String {
    format!("T-{number:03}")
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Member {
    pub volunteer_id: i64,
    pub volunteer_no: String,
    pub name: String,
    pub furigana: String,
    /// 1, or the number of people a group's representative stands for.
    pub headcount: i64,
    pub leader: bool,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Team {
    pub id: i64,
    /// `T-003`
    pub team_no: String,
    /// Activity day, `YYYY-MM-DD`.
    pub day: String,
    pub need_id: Option<i64>,
    pub need_no: Option<String>,
    pub zone: Option<String>,
    /// For a zone dispatch (地区派遣): the head count asked for.
    pub requested_headcount: Option<i64>,
    /// People on the team, groups counted in full.
    pub headcount: i64,
    pub members: Vec<Member>,
    pub vehicle: String,
    pub status: TeamStatus,
    pub departed_at: String,
    /// 帰着期限
    pub return_by: String,
    /// Out past its return deadline (a safety flag).
    pub overdue: bool,
    pub returned_at: Option<String>,
    pub outcome: Option<Outcome>,
    pub minutes: Option<i64>,
    pub report: String,
    /// けが・事故 (empty: none)
    pub injury: String,
    pub version: i64,
}

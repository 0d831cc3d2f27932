//! Teams (班) out and back, and the center's suspension (活動中止).

event! {
    /// A team left (subject the team number).
    #[kind = "team.dispatched"]
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
        /// Members under 18 sent to heavy work, which the coordinator confirmed.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub minors_on_heavy_work: Vec<String>,
        /// What set the deadline: `given`, `heat_rule` (return_within / return_by),
        /// `last_return`, `sunset` (minus the margin) or `heat_band` (the WBGT band's longest time out).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub limited_by: Option<String>,
        /// The coordinator's overrides: `short_time` (less than the minimum working
        /// time left), `after_last_dispatch`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub overrides: Vec<String>,
        /// The WBGT reading in force when the team left, and its band.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub wbgt: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub heat_band: Option<String>,
    }
}

event! {
    /// A team came back and reported (subject the team number).
    #[kind = "team.returned"]
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
        /// 帰着人数: people back at the center (absent from reports made before it was asked).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub back: Option<i64>,
        /// 「全員無事」 was ticked (absent before it was asked).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub all_safe: Option<bool>,
    }
}

event! {
    /// Fewer came back than left (subject the team number): an alert on the
    /// board until a coordinator resolves it (`team.headcount_resolved`).
    #[kind = "team.headcount_short"]
    pub struct HeadcountShort {
        pub team_id: i64,
        pub team_no: String,
        pub need_no: Option<String>,
        pub zone: Option<String>,
        /// People who left with the team.
        pub left: i64,
        /// People back at the center.
        pub back: i64,
    }
}

event! {
    /// A coordinator accounted for the people missing from a team's return
    /// (subject the team number); who and when are the event's actor and time.
    #[kind = "team.headcount_resolved"]
    pub struct HeadcountResolved {
        pub team_id: i64,
        pub team_no: String,
        pub left: i64,
        pub back: i64,
        /// What was found (「直帰していた、電話で無事を確認」).
        pub finding: String,
    }
}

event! {
    /// A team passed its deadline without coming back (logged once).
    #[kind = "team.overdue"]
    pub struct TeamOverdue {
        pub team_id: i64,
        pub team_no: String,
        pub return_by: String,
    }
}

event! {
    /// A returning team reported an injury; its description stays on the team.
    #[kind = "incident.reported"]
    pub struct IncidentReported {
        pub team_id: i64,
        pub team_no: String,
        pub need_no: Option<String>,
        pub zone: Option<String>,
        /// People hurt, when the report said (absent before it was asked).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub injured: Option<i64>,
        /// `first_aid` 応急手当, `clinic` 受診, `ambulance` 救急搬送, `no_injury`
        /// (an accident, nobody hurt); absent before it was asked.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub severity: Option<String>,
    }
}

event! {
    /// 活動中止: every team out is recalled.
    #[kind = "center.suspended"]
    pub struct CenterSuspended {
        pub reason: String,
        /// The team numbers out at that moment.
        pub recall: Vec<String>,
    }
}

event! {
    /// 活動再開.
    #[kind = "center.resumed"]
    pub struct CenterResumed {
        /// When the suspension began, RFC 3339.
        pub suspended_since: Option<String>,
        /// Why it was suspended.
        pub reason: String,
    }
}

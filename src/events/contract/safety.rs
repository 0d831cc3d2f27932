//! Safety on the day (安全管理): 暑さ指数 (WBGT) readings, weather warnings, and
//! the coordinator's decision to suspend (活動中止) or carry on. The suspension
//! itself is `center.suspended`, written in the same transaction as the decision.

event! {
    /// Staff entered a WBGT reading (subject `wbgt`). The band and its numbers
    /// are those of the settings in force, so the log tells what teams were told.
    #[kind = "wbgt.recorded"]
    pub struct WbgtRecorded {
        /// 暑さ指数 (WBGT, °C).
        pub wbgt: f64,
        /// The band it falls in (警戒 …); none below the lowest.
        pub band: Option<String>,
        /// The band's rest cycle: minutes of work, then of rest (0: none).
        pub work_minutes: u32,
        pub rest_minutes: u32,
        /// The band's longest time out (0: no cap).
        pub max_out_minutes: u32,
        /// The suspension prompt this reading opened (its alert id), if any.
        pub prompt: Option<i64>,
    }
}

event! {
    /// A weather warning was entered (subject `alert-N`): the coordinator is asked
    /// to suspend activities or to carry on.
    #[kind = "alert.raised"]
    pub struct AlertRaised {
        pub alert_id: i64,
        /// `heavy_rain` (大雨), `thunder` (雷), `aftershock` (余震), or `heat` (a WBGT prompt).
        pub kind: String,
        /// What was heard (「大雨警報 金沢市」…).
        pub note: String,
    }
}

event! {
    /// The coordinator answered a suspension prompt (subject `alert-N`).
    #[kind = "alert.decided"]
    pub struct AlertDecided {
        pub alert_id: i64,
        /// `heat`, `heavy_rain`, `thunder`, `aftershock`.
        pub kind: String,
        /// `suspend` (活動中止, see `center.suspended`) or `continue` (活動継続).
        pub decision: String,
        /// Why (required to carry on).
        pub reason: String,
    }
}

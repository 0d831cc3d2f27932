//! The after-action report (事後検証報告書, AAR) as data: what the PDF, the
//! page and the JSON all show. Built from the scenario and the drill's event
//! log alone, through the evaluator.

use serde::Serialize;

use super::evaluate::{self, Evaluation, InjectResult, InjectStatus, Metrics, Time};
use super::log::{FiredBy, PlanItem, Rating, Started};
use super::scenario::{Inject, InjectKind, Scenario, Section};
use super::schedule;
use super::timeline::{self, Timeline};
use crate::events::Event;

/// How many people took part in one role (the caller counts users by role).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Participant {
    /// A label such as 受付.
    pub role: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Aar {
    pub overview: Overview,
    pub objectives: Vec<ObjectiveAnalysis>,
    /// In the scenario's order.
    pub injects: Vec<InjectRow>,
    pub metrics: Metrics,
    pub timeline: Timeline,
    /// The trainer's notes not tied to an objective.
    pub general_observations: Vec<Note>,
    /// The rows the trainer wrote, by row.
    pub plan: Vec<PlanItem>,
    /// The drill time the report was built at.
    pub generated_at: Time,
}

#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub scenario_id: String,
    pub title: String,
    pub hazard: String,
    pub phase_label: String,
    pub narrative: String,
    /// The scenario's window.
    pub sim_start: Time,
    pub scheduled_end: Time,
    pub scheduled_minutes: i64,
    /// When the run began (the scenario's start if the log does not say).
    pub started: Time,
    /// When it stopped, or the report's time if it is still running.
    pub ended: Time,
    pub stopped: bool,
    /// Drill minutes actually run.
    pub run_minutes: i64,
    pub participants: Vec<Participant>,
    pub objectives: Vec<ObjectiveRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveRef {
    pub id: String,
    pub text: String,
    pub target: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveAnalysis {
    pub id: String,
    pub text: String,
    pub target: Option<String>,
    pub rating: Option<Rating>,
    /// 「P 支障なく実施」…; 「未評価」 when not rated.
    pub rating_label: &'static str,
    pub observations: Vec<Note>,
    /// The expected actions counting towards it.
    pub expects: Vec<ExpectRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub at: Time,
    pub by: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExpectRow {
    pub inject: u32,
    pub text: String,
    pub within: Option<String>,
    pub status: InjectStatus,
    pub status_label: &'static str,
    pub measured_minutes: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InjectRow {
    pub id: u32,
    pub kind: InjectKind,
    pub kind_label: &'static str,
    pub to: Section,
    pub section_label: &'static str,
    pub message: String,
    pub scheduled: Option<Time>,
    pub fired_at: Option<Time>,
    pub by: Option<FiredBy>,
    /// The expected action's text.
    pub expect: Option<String>,
    pub within: Option<String>,
    pub objective: Option<String>,
    pub status: InjectStatus,
    pub status_label: &'static str,
    pub deadline: Option<Time>,
    pub detected_at: Option<Time>,
    pub measured_minutes: Option<i64>,
}

/// Blank rows the printed improvement plan offers when the trainer wrote none.
pub const BLANK_PLAN_ROWS: usize = 5;

pub fn build(scenario: &Scenario, events: &[Event], now: Time, participants: Vec<Participant>) -> Aar {
    let evaluation = evaluate::evaluate(scenario, events, now);
    let injects: Vec<InjectRow> =
        scenario.injects.iter().zip(&evaluation.injects).map(|(i, r)| inject_row(i.get_ref(), r)).collect();
    let overview = overview(scenario, &evaluation, now, participants);
    let timeline = timeline::series(events, overview.started, overview.ended, &injects);
    Aar {
        objectives: objectives(scenario, &evaluation, &injects),
        general_observations: notes(&evaluation, None),
        overview,
        injects,
        metrics: evaluation.metrics.clone(),
        timeline,
        plan: evaluation.plan,
        generated_at: now,
    }
}

/// The AAR of a drill file from its log alone: the scenario is the one its
/// `drill.started` event carries (invariant 8: a finished drill file can be
/// evaluated again, by any later version of borasen).
pub fn rebuild(events: &[Event], now: Time, participants: Vec<Participant>) -> Result<Aar, String> {
    let started = events.iter().find_map(|e| e.decode::<Started>().ok()).ok_or("the log has no drill.started")?;
    let scenario = super::check::check(&started.scenario, std::path::Path::new(&started.file)).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(|p| format!("{}: {}", p.line, p.message.en)).collect();
        format!("the scenario the drill started with no longer checks: {}", lines.join("; "))
    })?;
    Ok(build(&scenario, events, now, participants))
}

fn overview(scenario: &Scenario, evaluation: &Evaluation, now: Time, participants: Vec<Participant>) -> Overview {
    let (sim_start, scheduled_end) = schedule::window(scenario);
    let started = evaluation.started.unwrap_or(sim_start);
    let ended = evaluation.stopped.unwrap_or(now).max(started);
    Overview {
        scenario_id: scenario.id.clone(),
        title: scenario.title.clone(),
        hazard: scenario.hazard.clone(),
        phase_label: scenario.phase_label.clone(),
        narrative: scenario.narrative.clone(),
        sim_start,
        scheduled_end,
        scheduled_minutes: evaluate::minutes(sim_start, scheduled_end),
        started,
        ended,
        stopped: evaluation.stopped.is_some(),
        run_minutes: evaluate::minutes(started, ended),
        participants,
        objectives: scenario
            .objectives
            .iter()
            .map(|o| o.get_ref())
            .map(|o| ObjectiveRef { id: o.id.clone(), text: o.text.clone(), target: o.target.clone() })
            .collect(),
    }
}

fn inject_row(inject: &Inject, result: &InjectResult) -> InjectRow {
    let expect = inject.expect.as_ref();
    InjectRow {
        id: inject.id,
        kind: inject.kind,
        kind_label: inject.kind.label_ja(),
        to: inject.to,
        section_label: inject.to.label_ja(),
        message: inject.message.clone(),
        scheduled: result.scheduled,
        fired_at: result.fired_at,
        by: result.by,
        expect: expect.map(|e| e.text.clone()),
        within: expect.and_then(|e| e.within.clone()),
        objective: expect.and_then(|e| e.objective.clone()),
        status: result.status,
        status_label: status_label(result.status, expect.is_some_and(|e| e.detect.is_none())),
        deadline: result.deadline,
        detected_at: result.detected_at,
        measured_minutes: result.measured_minutes,
    }
}

/// The result's words; a fired inject whose action only the trainer can judge says so.
fn status_label(status: InjectStatus, trainer_judges: bool) -> &'static str {
    match status {
        InjectStatus::Fired if trainer_judges => "評価者判断",
        status => status.label_ja(),
    }
}

fn objectives(scenario: &Scenario, evaluation: &Evaluation, injects: &[InjectRow]) -> Vec<ObjectiveAnalysis> {
    scenario
        .objectives
        .iter()
        .map(|o| o.get_ref())
        .map(|o| {
            let rating = evaluation.ratings.get(&o.id).copied();
            ObjectiveAnalysis {
                id: o.id.clone(),
                text: o.text.clone(),
                target: o.target.clone(),
                rating,
                rating_label: rating.map_or("未評価", Rating::label_ja),
                observations: notes(evaluation, Some(&o.id)),
                expects: injects
                    .iter()
                    .filter(|i| i.objective.as_deref() == Some(o.id.as_str()))
                    .map(|i| ExpectRow {
                        inject: i.id,
                        text: i.expect.clone().unwrap_or_default(),
                        within: i.within.clone(),
                        status: i.status,
                        status_label: i.status_label,
                        measured_minutes: i.measured_minutes,
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The trainer's observations about `objective` (`None`: those about none).
fn notes(evaluation: &Evaluation, objective: Option<&str>) -> Vec<Note> {
    evaluation
        .observations
        .iter()
        .filter(|(_, _, o)| o.objective.as_deref() == objective)
        .map(|(at, by, o)| Note { at: *at, by: by.clone(), text: o.text.clone() })
        .collect()
}

// Display helpers shared by the PDF and the page.

/// `08:40`, or 「—」.
pub fn hm(at: Option<Time>) -> String {
    at.map_or_else(|| "—".to_string(), |t| t.format("%H:%M").to_string())
}

/// `2026年7月12日 08:00`
pub fn date_hm(at: Time) -> String {
    at.format("%Y年%-m月%-d日 %H:%M").to_string()
}

/// `45分`, or 「—」.
pub fn minutes_ja(minutes: Option<i64>) -> String {
    minutes.map_or_else(|| "—".to_string(), |m| format!("{m}分"))
}

/// `1時間30分`, `45分`.
pub fn span_ja(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m}分"),
        (h, 0) => format!("{h}時間"),
        (h, m) => format!("{h}時間{m}分"),
    }
}

/// A median: `12分`, `12.5分`, or 「—」.
pub fn median_ja(median: Option<f64>) -> String {
    match median {
        Some(m) if m.fract() == 0.0 => format!("{m:.0}分"),
        Some(m) => format!("{m:.1}分"),
        None => "—".to_string(),
    }
}

impl InjectRow {
    pub fn scheduled_hm(&self) -> String {
        hm(self.scheduled)
    }
    pub fn fired_hm(&self) -> String {
        hm(self.fired_at)
    }
    pub fn measured(&self) -> String {
        minutes_ja(self.measured_minutes)
    }
    /// 「全員の受付完了（45分以内）」, or 「—」.
    pub fn expect_text(&self) -> String {
        match (&self.expect, &self.within) {
            (Some(text), Some(within)) => format!("{text}（{}以内）", within_ja(within)),
            (Some(text), None) => text.clone(),
            (None, _) => "—".to_string(),
        }
    }
    /// A CSS class for the result.
    pub fn status_class(&self) -> &'static str {
        status_class(self.status)
    }
}

impl ExpectRow {
    pub fn measured(&self) -> String {
        minutes_ja(self.measured_minutes)
    }
    pub fn within_text(&self) -> String {
        self.within.as_deref().map_or_else(|| "終了まで".to_string(), within_ja)
    }
    pub fn status_class(&self) -> &'static str {
        status_class(self.status)
    }
}

impl Overview {
    /// 「2026年7月12日 08:00 から 6時間」
    pub fn window_text(&self) -> String {
        format!("{} から {}", date_hm(self.sim_start), span_ja(self.scheduled_minutes))
    }
    /// 「2026年7月12日 08:00〜10:30（2時間30分）」, with 「・実施中」 while it runs.
    pub fn run_text(&self) -> String {
        let state = if self.stopped { "" } else { "・実施中" };
        format!("{}〜{}（{}{state}）", date_hm(self.started), hm(Some(self.ended)), span_ja(self.run_minutes))
    }
    /// 「大雨・浸水・発災3日後」
    pub fn hazard_text(&self) -> String {
        match self.phase_label.as_str() {
            "" => self.hazard.clone(),
            phase => format!("{}・{phase}", self.hazard),
        }
    }
}

impl Note {
    pub fn at_hm(&self) -> String {
        hm(Some(self.at))
    }
}

/// `45m` → 45分, `1h30m` → 1時間30分 (as written when it does not read).
pub fn within_ja(within: &str) -> String {
    super::check::duration_minutes(within).map_or_else(|| within.to_string(), span_ja)
}

pub fn status_class(status: InjectStatus) -> &'static str {
    match status {
        InjectStatus::Pending => "pending",
        InjectStatus::Fired => "fired",
        InjectStatus::Met => "met",
        InjectStatus::Late => "late",
        InjectStatus::Missed => "missed",
        InjectStatus::Skipped => "skipped",
    }
}

/// One line of the metrics table: label, count, median, max, and a note.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricLine {
    pub label: &'static str,
    pub count: String,
    pub median: String,
    pub max: String,
    pub note: String,
}

impl Aar {
    /// The metrics as table lines, the same in the PDF and on the page.
    pub fn metric_lines(&self) -> Vec<MetricLine> {
        let m = &self.metrics;
        let summary = |label, s: &evaluate::Summary, unit: &str, note: String| MetricLine {
            label,
            count: format!("{}{unit}", s.count),
            median: median_ja(s.median_minutes),
            max: minutes_ja(s.max_minutes),
            note,
        };
        let plain =
            |label, count: String, note: String| MetricLine {
                label, count, median: "—".into(), max: "—".into(), note
            };
        let warnings: Vec<i64> = m.warning_to_suspension.iter().filter_map(|w| w.minutes).collect();
        let no_suspension = m.warning_to_suspension.iter().filter(|w| w.minutes.is_none()).count();
        vec![
            summary(
                "受付待ち時間（到着→受付）",
                &m.reception_wait,
                "人",
                format!("未受付 {}人", m.reception_not_checked_in),
            ),
            summary("受付→出発のリードタイム", &m.lead_time, "人", String::new()),
            summary("ニーズ受付→班の送り出し", &m.intake_to_dispatch, "件", String::new()),
            plain("終了時に未マッチのニーズ", format!("{}件", m.unmatched_needs.len()), list(&m.unmatched_needs)),
            plain("一度も送り出されなかった人", format!("{}人", m.never_dispatched.len()), String::new()),
            plain(
                "在庫切れの資機材",
                format!("{}品目", m.out_of_stock.len()),
                m.out_of_stock
                    .iter()
                    .map(|s| {
                        format!("{} {}{}", s.item, span_ja(s.minutes), if s.still_out { "（継続中）" } else { "" })
                    })
                    .collect::<Vec<_>>()
                    .join("、"),
            ),
            MetricLine {
                note: if m.warning_to_suspension.is_empty() {
                    "気象警報なし".into()
                } else if no_suspension > 0 {
                    format!("活動中止なし {no_suspension}件")
                } else {
                    String::new()
                },
                ..summary("気象警報→活動中止", &evaluate::Summary::of(warnings), "件", String::new())
            },
        ]
    }

    /// The plan's rows, padded with blank ones to fill in by hand.
    pub fn plan_rows(&self) -> Vec<PlanItem> {
        let mut rows = self.plan.clone();
        let next = rows.iter().map(|r| r.row).max().unwrap_or(0);
        let blanks = BLANK_PLAN_ROWS.saturating_sub(rows.len()).max(1);
        // A blank row's number is only for the printout; the page posts a new row without one.
        rows.extend((1..=blanks as u32).map(|i| PlanItem { row: next + i, ..PlanItem::default() }));
        rows
    }
}

fn list(items: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut text = items.iter().take(SHOWN).cloned().collect::<Vec<_>>().join("、");
    if items.len() > SHOWN {
        text.push_str(&format!(" ほか{}件", items.len() - SHOWN));
    }
    text
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::drill::evaluate::tests::{at, morning, scenario};

    pub fn built() -> Aar {
        let participants = vec![
            Participant { role: "受付".into(), count: 3 },
            Participant { role: "コーディネーター".into(), count: 2 },
        ];
        build(&scenario(), &morning(), at(150), participants)
    }

    #[test]
    fn the_aar_gathers_objectives_injects_and_the_timeline() {
        let aar = built();
        assert_eq!(aar.overview.run_minutes, 150);
        assert_eq!(aar.overview.scheduled_minutes, 360);
        let o1 = &aar.objectives[0];
        assert_eq!(o1.rating_label, "P 支障なく実施");
        assert_eq!(o1.observations.len(), 1);
        assert_eq!(o1.expects.iter().map(|e| (e.inject, e.status_label)).collect::<Vec<_>>(), [(1, "達成")]);
        let o2: Vec<_> = aar.objectives[1].expects.iter().map(|e| (e.inject, e.status_label)).collect();
        assert_eq!(o2, [(2, "遅延"), (7, "評価者判断")]);
        assert_eq!(aar.objectives[1].rating_label, "未評価");
        assert_eq!(aar.injects[0].expect_text(), "全員の受付完了（30分以内）");
        assert_eq!(aar.injects[2].status_label, "未達");
        assert_eq!(aar.timeline.points.len(), 16, "every 10 minutes from 0 to 150");
        let json = serde_json::to_value(&aar).expect("serialises");
        assert_eq!(json["injects"][1]["status"], "late");
        assert_eq!(json["overview"]["participants"][0]["role"], "受付");
    }

    #[test]
    fn the_plan_offers_blank_rows_to_fill_in() {
        let mut aar = built();
        assert_eq!(aar.plan_rows().len(), BLANK_PLAN_ROWS);
        assert_eq!(aar.plan_rows()[2].row, 3, "after the trainer's rows 1 and 2");
        aar.plan.clear();
        assert!(aar.plan_rows().iter().all(|r| r.issue.is_empty()));
    }

    #[test]
    fn metric_lines_read_in_japanese() {
        let lines = built().metric_lines();
        assert_eq!(lines[0].count, "2人");
        assert_eq!(lines[0].median, "15分");
        assert_eq!(lines[0].note, "未受付 1人");
        assert_eq!(lines[3].note, "N-0002");
        assert!(lines[5].note.contains("剣スコップ 10分（継続中）"), "{}", lines[5].note);
        assert_eq!(lines[6].note, "活動中止なし 1件");
    }
}

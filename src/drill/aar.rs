//! The after-action report (事後検証報告書, AAR) as data: what the PDF, the
//! page and the JSON all show. Built from the scenario and the drill's event
//! log alone, through the evaluator.

use chrono::DateTime;
use serde::Serialize;

use super::effects::{self, IncidentRow, ShortfallRow};
use super::evaluate::{self, Evaluation, InjectResult, InjectStatus, Metrics, Time};
use super::log::{FiredBy, PlanItem, Rating, Started};
use super::scenario::{Inject, InjectKind, Scenario, Section};
use super::schedule;
use super::timeline::{self, Timeline};
use crate::events::{self, Cause, Event};
use crate::i18n::{Lang, word, word_with};

/// How many people took part in one role (the caller counts users by role).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Participant {
    /// A label such as 受付.
    pub role: String,
    pub count: usize,
}

impl Participant {
    /// The role in `lang`. The caller names it in Japanese (受付); a role the
    /// catalogue knows (`drill.aar.role.*`) is said in any language.
    pub fn role_words(&self, lang: Lang) -> String {
        crate::i18n::catalogue::all(Lang::Ja)
            .into_iter()
            .find(|(key, ja)| key.starts_with("drill.aar.role.") && *ja == self.role)
            .map_or_else(|| self.role.clone(), |(key, _)| word(lang, &key).into_owned())
    }
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
    /// The objectives by capability, in the order capabilities first appear
    /// (left out when no objective names one, as in AARs written before).
    #[serde(skip_serializing_if = "super::aar_evaluator::unnamed")]
    pub capabilities: Vec<super::aar_evaluator::CapabilityGroup>,
    /// What the controller did to the script (un-skip, re-fire, ad-hoc injects).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub controller: Vec<super::controller::ControllerAction>,
    /// The drill time the report was built at.
    pub generated_at: Time,
    /// Injects that could not do all they said.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shortfalls: Vec<ShortfallRow>,
    /// The incident log's injuries, with who reported them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub incidents: Vec<IncidentRow>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capability: Option<String>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capability: Option<String>,
    /// Evaluators' 良かった点 and 改善すべき点.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub strengths: Vec<Note>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub improvements: Vec<Note>,
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
    /// Fired, and only the trainer can judge the action (worded 「評価者判断」).
    #[serde(skip)]
    pub trainer_judges: bool,
    pub measured_minutes: Option<i64>,
    /// An evaluator's mark; `status` is its verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mark: Option<super::marks::Mark>,
    /// With a mark on a machine-checked action: the detected result it overrode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detected_status: Option<InjectStatus>,
    /// Who did what met it; who did it without credit (see `effects::credit_words`).
    #[serde(skip)]
    pub credit: (Option<Cause>, Option<Cause>),
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
    /// Fired, and only the trainer can judge the action (worded 「評価者判断」).
    #[serde(skip)]
    pub trainer_judges: bool,
    pub deadline: Option<Time>,
    pub detected_at: Option<Time>,
    pub measured_minutes: Option<i64>,
    /// An evaluator's mark; `status` is its verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mark: Option<super::marks::Mark>,
    /// With a mark on a machine-checked action: the detected result it overrode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detected_status: Option<InjectStatus>,
    /// Who did what met it; who did it without credit (see `effects::credit_words`).
    #[serde(skip)]
    pub credit: (Option<Cause>, Option<Cause>),
}

/// Blank rows the printed improvement plan offers when the trainer wrote none.
pub const BLANK_PLAN_ROWS: usize = 5;

pub fn build(scenario: &Scenario, events: &[Event], now: Time, participants: Vec<Participant>) -> Aar {
    let evaluation = evaluate::evaluate(scenario, events, now);
    let injects: Vec<InjectRow> =
        scenario.injects.iter().zip(&evaluation.injects).map(|(i, r)| inject_row(i.get_ref(), r)).collect();
    let overview = overview(scenario, &evaluation, now, participants);
    let timeline = timeline::series(events, overview.started, overview.ended, &injects);
    let objectives = objectives(scenario, &evaluation, &injects);
    Aar {
        capabilities: super::aar_evaluator::capability_groups(&objectives),
        controller: super::controller::actions(&evaluate::Log::new(events)),
        objectives,
        general_observations: notes(&evaluation, None),
        overview,
        injects,
        metrics: evaluation.metrics.clone(),
        timeline,
        plan: evaluation.plan,
        generated_at: now,
        shortfalls: effects::shortfalls(
            events.iter().filter_map(|e| Some((DateTime::parse_from_rfc3339(&e.at).ok()?, events::decoded(e)?))),
        ),
        incidents: effects::incidents(events),
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
            .map(|o| ObjectiveRef {
                id: o.id.clone(),
                text: o.text.clone(),
                target: o.target.clone(),
                capability: o.capability.clone(),
            })
            .collect(),
    }
}

fn inject_row(inject: &Inject, result: &InjectResult) -> InjectRow {
    let expect = inject.expect.as_ref();
    let trainer_judges = result.status == InjectStatus::Fired && expect.is_some_and(|e| e.detect.is_none());
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
        status_label: status_label(result.status, trainer_judges),
        trainer_judges,
        deadline: result.deadline,
        detected_at: result.detected_at,
        measured_minutes: result.measured_minutes,
        mark: result.mark.clone(),
        detected_status: result.detected_status,
        credit: (result.done_by, result.not_credited),
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
                capability: o.capability.clone(),
                strengths: super::aar_evaluator::findings(evaluation, &o.id, super::log::Aspect::Strength),
                improvements: super::aar_evaluator::findings(evaluation, &o.id, super::log::Aspect::Improvement),
                expects: injects
                    .iter()
                    .filter(|i| i.objective.as_deref() == Some(o.id.as_str()))
                    .map(|i| ExpectRow {
                        inject: i.id,
                        text: i.expect.clone().unwrap_or_default(),
                        within: i.within.clone(),
                        status: i.status,
                        status_label: i.status_label,
                        trainer_judges: i.trainer_judges,
                        measured_minutes: i.measured_minutes,
                        mark: i.mark.clone(),
                        detected_status: i.detected_status,
                        credit: i.credit,
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

// Display helpers shared by the PDF (in Japanese) and the page (in its
// language); the words are the catalogue's `drill.aar.*`.

/// `08:40`, or 「—」.
pub fn hm(at: Option<Time>) -> String {
    at.map_or_else(|| "—".to_string(), |t| t.format("%H:%M").to_string())
}

/// `2026年7月12日 08:00`, `12 Jul 2026 08:00`.
pub fn date_hm(lang: Lang, at: Time) -> String {
    at.format(&word(lang, "drill.aar.date_time_format")).to_string()
}

/// `45分`, or 「—」.
pub fn minutes_in(lang: Lang, minutes: Option<i64>) -> String {
    minutes.map_or_else(|| "—".to_string(), |m| word_with(lang, "drill.aar.minutes", &[("n", &m.to_string())]))
}

/// `1時間30分`, `45分`.
pub fn span_in(lang: Lang, minutes: i64) -> String {
    let (h, m) = ((minutes / 60).to_string(), (minutes % 60).to_string());
    match (minutes / 60, minutes % 60) {
        (0, _) => word_with(lang, "drill.aar.minutes", &[("n", &m)]),
        (_, 0) => word_with(lang, "drill.aar.hours", &[("h", &h)]),
        _ => word_with(lang, "drill.aar.hours_minutes", &[("h", &h), ("m", &m)]),
    }
}

/// A median: `12分`, `12.5分`, or 「—」.
pub fn median_in(lang: Lang, median: Option<f64>) -> String {
    let n = match median {
        Some(m) if m.fract() == 0.0 => format!("{m:.0}"),
        Some(m) => format!("{m:.1}"),
        None => return "—".to_string(),
    };
    word_with(lang, "drill.aar.minutes", &[("n", &n)])
}

/// The words of a result; a fired inject whose action only the trainer can judge says so.
pub fn result_words(lang: Lang, status: InjectStatus, trainer_judges: bool) -> String {
    let key = match status {
        InjectStatus::Fired if trainer_judges => "drill.aar.outcome.trainer_judges",
        InjectStatus::Pending => "drill.aar.outcome.pending",
        InjectStatus::Fired => "drill.aar.outcome.fired",
        InjectStatus::Met => "drill.aar.outcome.met",
        InjectStatus::Late => "drill.aar.outcome.late",
        InjectStatus::Missed => "drill.aar.outcome.missed",
        InjectStatus::Skipped => "drill.aar.outcome.skipped",
    };
    word(lang, key).into_owned()
}

/// The code serde gives a unit variant (`volunteer_arrival`), for a catalogue key.
fn code(value: impl Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

impl InjectRow {
    pub fn scheduled_hm(&self) -> String {
        hm(self.scheduled)
    }
    pub fn fired_hm(&self) -> String {
        hm(self.fired_at)
    }
    pub fn measured(&self, lang: Lang) -> String {
        minutes_in(lang, self.measured_minutes)
    }
    /// 「全員の受付完了（45分以内）」, or 「—」.
    pub fn expect_text(&self, lang: Lang) -> String {
        match (&self.expect, &self.within) {
            (Some(text), Some(within)) => {
                word_with(lang, "drill.aar.expect_within", &[("text", text), ("within", &within_in(lang, within))])
            }
            (Some(text), None) => text.clone(),
            (None, _) => "—".to_string(),
        }
    }
    pub fn kind_words(&self, lang: Lang) -> String {
        word(lang, &format!("js.drill.kind.{}", code(self.kind))).into_owned()
    }
    pub fn section_words(&self, lang: Lang) -> String {
        word(lang, &format!("js.drill.section.{}", code(self.to))).into_owned()
    }
    pub fn result_words(&self, lang: Lang) -> String {
        result_words(lang, self.status, self.trainer_judges)
    }
    /// 「（自動操縦）」, or who did it without credit; empty for a player.
    pub fn credit_words(&self, lang: Lang) -> String {
        effects::credit_words(lang, self.credit.0, self.credit.1)
    }
    /// A CSS class for the result.
    pub fn status_class(&self) -> &'static str {
        status_class(self.status)
    }
}

impl ExpectRow {
    pub fn measured(&self, lang: Lang) -> String {
        minutes_in(lang, self.measured_minutes)
    }
    pub fn within_text(&self, lang: Lang) -> String {
        self.within.as_deref().map_or_else(
            || word(lang, "drill.aar.until_the_end").into_owned(),
            |w| word_with(lang, "drill.aar.within_span", &[("span", &within_in(lang, w))]),
        )
    }
    pub fn result_words(&self, lang: Lang) -> String {
        result_words(lang, self.status, self.trainer_judges)
    }
    /// 「（自動操縦）」, or who did it without credit; empty for a player.
    pub fn credit_words(&self, lang: Lang) -> String {
        effects::credit_words(lang, self.credit.0, self.credit.1)
    }
    pub fn status_class(&self) -> &'static str {
        status_class(self.status)
    }
}

impl ObjectiveAnalysis {
    /// 「P 支障なく実施」…, or 「未評価」.
    pub fn rating_words(&self, lang: Lang) -> String {
        let key = match self.rating {
            Some(Rating::P) => "drill.aar.rating.p",
            Some(Rating::S) => "drill.aar.rating.s",
            Some(Rating::M) => "drill.aar.rating.m",
            Some(Rating::U) => "drill.aar.rating.u",
            None => "drill.aar.rating.none",
        };
        word(lang, key).into_owned()
    }
}

impl Overview {
    /// 「2026年7月12日 08:00 から 6時間」
    pub fn window_text(&self, lang: Lang) -> String {
        let (from, span) = (date_hm(lang, self.sim_start), span_in(lang, self.scheduled_minutes));
        word_with(lang, "drill.aar.window", &[("from", &from), ("span", &span)])
    }
    /// 「2026年7月12日 08:00〜10:30（2時間30分）」, with 「・実施中」 while it runs.
    pub fn run_text(&self, lang: Lang) -> String {
        let key = if self.stopped { "drill.aar.run" } else { "drill.aar.run_ongoing" };
        let (from, to, span) = (date_hm(lang, self.started), hm(Some(self.ended)), span_in(lang, self.run_minutes));
        word_with(lang, key, &[("from", &from), ("to", &to), ("span", &span)])
    }
    /// 「大雨・浸水・発災3日後」
    pub fn hazard_text(&self, lang: Lang) -> String {
        match self.phase_label.as_str() {
            "" => self.hazard.clone(),
            phase => format!("{}{}{phase}", self.hazard, word(lang, "drill.aar.and")),
        }
    }
}

impl Note {
    pub fn at_hm(&self) -> String {
        hm(Some(self.at))
    }
}

/// `45m` → 45分, `1h30m` → 1時間30分 (as written when it does not read).
pub fn within_in(lang: Lang, within: &str) -> String {
    super::check::duration_minutes(within).map_or_else(|| within.to_string(), |m| span_in(lang, m))
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
    pub label: String,
    pub count: String,
    pub median: String,
    pub max: String,
    pub note: String,
}

impl Aar {
    /// The metrics as table lines, the same in the PDF (Japanese) and on the page.
    pub fn metric_lines(&self, lang: Lang) -> Vec<MetricLine> {
        let m = &self.metrics;
        let say = |key: &str, n: usize| word_with(lang, key, &[("n", &n.to_string())]);
        let people = |n: usize| say("drill.aar.metric.people", n);
        let cases = |n: usize| say("drill.aar.metric.cases", n);
        let summary = |label: &str, s: &evaluate::Summary, unit: &dyn Fn(usize) -> String, note: String| MetricLine {
            label: word(lang, label).into_owned(),
            count: unit(s.count),
            median: median_in(lang, s.median_minutes),
            max: minutes_in(lang, s.max_minutes),
            note,
        };
        let plain = |label: &str, count: String, note: String| MetricLine {
            label: word(lang, label).into_owned(),
            count,
            median: "—".into(),
            max: "—".into(),
            note,
        };
        let warnings: Vec<i64> = m.warning_to_suspension.iter().filter_map(|w| w.minutes).collect();
        let no_suspension = m.warning_to_suspension.iter().filter(|w| w.minutes.is_none()).count();
        let out_of_stock = m.out_of_stock.iter().map(|s| {
            let span = span_in(lang, s.minutes);
            let key = if s.still_out { "drill.aar.metric.out_still" } else { "drill.aar.metric.out_for" };
            word_with(lang, key, &[("item", &s.item), ("span", &span)])
        });
        vec![
            summary(
                "drill.aar.metric.reception_wait",
                &m.reception_wait,
                &people,
                say("drill.aar.metric.not_checked_in", m.reception_not_checked_in),
            ),
            summary("drill.aar.metric.lead_time", &m.lead_time, &people, String::new()),
            summary("drill.aar.metric.intake_to_dispatch", &m.intake_to_dispatch, &cases, String::new()),
            plain("drill.aar.metric.unmatched_needs", cases(m.unmatched_needs.len()), list(lang, &m.unmatched_needs)),
            plain(
                "drill.aar.metric.never_dispatched",
                people(usize::try_from(m.never_dispatched_people).unwrap_or(0)),
                String::new(),
            ),
            plain(
                "drill.aar.metric.out_of_stock",
                say("drill.aar.metric.items", m.out_of_stock.len()),
                out_of_stock.collect::<Vec<_>>().join(&word(lang, "drill.aar.list_separator")),
            ),
            MetricLine {
                note: if m.warning_to_suspension.is_empty() {
                    word(lang, "drill.aar.metric.no_warning").into_owned()
                } else if no_suspension > 0 {
                    say("drill.aar.metric.no_suspension", no_suspension)
                } else {
                    String::new()
                },
                ..summary(
                    "drill.aar.metric.warning_to_suspension",
                    &evaluate::Summary::of(warnings),
                    &cases,
                    String::new(),
                )
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

fn list(lang: Lang, items: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut text = items.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(&word(lang, "drill.aar.list_separator"));
    if items.len() > SHOWN {
        text.push_str(&word_with(lang, "drill.aar.and_more", &[("n", &(items.len() - SHOWN).to_string())]));
    }
    text
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::drill::evaluate::tests::{at, morning, scenario};

    /// The report's sections after its title, in order, as the page and the paper head them.
    pub const SECTIONS: [&str; 6] = ["概要", "目標ごとの分析", "インジェクト記録", "指標", "時系列", "改善計画"];

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
        assert_eq!(aar.injects[0].expect_text(Lang::Ja), "全員の受付完了（30分以内）");
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
        let lines = built().metric_lines(Lang::Ja);
        assert_eq!(lines[0].count, "2人");
        assert_eq!(lines[0].median, "15分");
        assert_eq!(lines[0].note, "未受付 1人");
        assert_eq!(lines[3].note, "N-0002");
        assert!(lines[5].note.contains("剣スコップ 10分（継続中）"), "{}", lines[5].note);
        assert_eq!(lines[6].note, "活動中止なし 1件");
    }
}

//! `GET /api/drill`: the run as the trainer's console shows it — the clock,
//! each inject with its status and expected action, the objectives with
//! ratings and observations, the improvement plan. Players get the header
//! and the clock only: the injects, objectives and ratings would give the
//! exercise away (`super::visibility`).

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::check::duration_minutes;
use super::evaluate::{Evaluation, InjectResult, InjectStatus};
use super::log::{PlanItem, Rating};
use super::run::{DrillRun, RunState};
use super::scenario::{Inject, InjectKind, Section};
use super::schedule;
use crate::clock::stamp;
use crate::i18n::{Lang, Phrase};

/// `{"drill": false}` on a live server; `drill: true` and the run on a drill
/// server. Its schema is written out below: the derived one would allow a run
/// beside `false`.
#[derive(Debug, Serialize)]
pub struct DrillView {
    /// `false` on a live server, and nothing else is said.
    pub drill: bool,
    #[serde(flatten)]
    pub run: Option<RunView>,
}

impl utoipa::PartialSchema for DrillView {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::ToSchema;
        use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, OneOfBuilder, Type};
        let drill = |on: bool| {
            ObjectBuilder::new()
                .property("drill", ObjectBuilder::new().schema_type(Type::Boolean).enum_values(Some([on])))
                .required("drill")
        };
        OneOfBuilder::new()
            .item(drill(false).description(Some("A live server: nothing else is said.")))
            .item(AllOfBuilder::new().item(utoipa::openapi::Ref::from_schema_name(RunView::name())).item(drill(true)))
            .description(Some("`{\"drill\": false}` on a live server; on a drill server `drill: true` with the run."))
            .into()
    }
}

impl utoipa::ToSchema for DrillView {
    fn schemas(schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>) {
        use utoipa::PartialSchema;
        schemas.push((RunView::name().into(), RunView::schema()));
        <RunView as utoipa::ToSchema>::schemas(schemas);
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RunView {
    pub scenario: ScenarioView,
    pub state: RunState,
    /// Drill time.
    pub now: String,
    pub sim_start: String,
    pub end: String,
    pub elapsed_minutes: i64,
    pub speed: u32,
    /// The trainer and the evaluator only (empty for players), in drill-time
    /// order (the file's order on a tie).
    pub injects: Vec<InjectView>,
    /// The trainer and the evaluator only (empty for players).
    pub objectives: Vec<ObjectiveView>,
    /// Observations not tied to an objective.
    pub observations: Vec<ObservationView>,
    pub plan: Vec<PlanItem>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ScenarioView {
    pub id: String,
    pub title: String,
    pub hazard: String,
    pub phase_label: String,
    pub narrative: String,
    pub file: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InjectView {
    pub id: u32,
    pub kind: InjectKind,
    pub kind_label: &'static str,
    pub to: Section,
    pub to_label: &'static str,
    /// `+00:30`, `#3 の10分後`, `見逃し時のみ`
    pub when: String,
    /// The same as a phrase the console says in its language.
    pub when_phrase: Phrase,
    pub scheduled: Option<String>,
    pub fired_at: Option<String>,
    pub status: InjectStatus,
    pub message: String,
    /// The message as a phrase, when the drill made it up (no message in the scenario).
    pub message_phrase: Option<Phrase>,
    pub hidden: bool,
    pub expect: Option<ExpectView>,
    /// The scenario's hint, once the expected action is missed.
    pub hint: Option<String>,
    /// What the inject could not do of what it said (stock short, no team out…).
    pub effect: Option<Phrase>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExpectView {
    pub text: String,
    pub within_minutes: Option<i64>,
    pub objective: Option<String>,
    pub deadline: Option<String>,
    pub detected_at: Option<String>,
    pub measured_minutes: Option<i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ObjectiveView {
    pub id: String,
    pub text: String,
    pub target: Option<String>,
    pub rating: Option<Rating>,
    pub observations: Vec<ObservationView>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ObservationView {
    pub at: String,
    pub by: String,
    pub text: String,
}

fn time(t: Option<DateTime<FixedOffset>>) -> Option<String> {
    t.map(stamp)
}

pub fn view(run: &DrillRun, evaluation: &Evaluation, trainer: bool) -> DrillView {
    let (start, end) = schedule::window(&run.scenario);
    let now = run.env.clock.now();
    let scenario = &run.scenario;
    let injects = if trainer {
        super::order::by_time(scenario, &evaluation.injects)
            .into_iter()
            .filter_map(|k| Some((scenario.injects.get(k)?.get_ref(), evaluation.injects.get(k)?)))
            .map(|(i, r)| inject_view(run, i, r))
            .collect()
    } else {
        Vec::new()
    };
    let observations = |objective: Option<&str>| -> Vec<ObservationView> {
        evaluation
            .observations
            .iter()
            .filter(|(_, _, o)| o.objective.as_deref() == objective)
            .map(|(at, by, o)| ObservationView { at: stamp(*at), by: by.clone(), text: o.text.clone() })
            .collect()
    };
    let objectives = scenario
        .objectives
        .iter()
        .map(|o| o.get_ref())
        .map(|o| ObjectiveView {
            id: o.id.clone(),
            text: o.text.clone(),
            target: o.target.clone(),
            rating: evaluation.ratings.get(&o.id).copied(),
            observations: if trainer { observations(Some(&o.id)) } else { Vec::new() },
        })
        .collect();
    DrillView {
        drill: true,
        run: Some(RunView {
            scenario: ScenarioView {
                id: scenario.id.clone(),
                title: scenario.title.clone(),
                hazard: scenario.hazard.clone(),
                phase_label: scenario.phase_label.clone(),
                narrative: scenario.narrative.clone(),
                file: run.file.clone(),
            },
            state: run.state(),
            now: stamp(now),
            sim_start: stamp(start),
            end: stamp(end),
            elapsed_minutes: (now - start).num_minutes().max(0),
            speed: run.speed(),
            injects,
            objectives: if trainer { objectives } else { Vec::new() },
            observations: if trainer { observations(None) } else { Vec::new() },
            plan: if trainer { evaluation.plan.clone() } else { Vec::new() },
        }),
    }
}

fn inject_view(run: &DrillRun, inject: &Inject, result: &InjectResult) -> InjectView {
    let when = match (&inject.at, &inject.after) {
        (Some(at), _) => {
            // A clock time is shown as its offset too: the console counts from the start.
            let (start, end) = schedule::window(&run.scenario);
            let minutes = super::times::resolve(at, start, (end - start).num_minutes()).unwrap_or(0);
            Phrase::new("js.drill.when.at", [("offset", format!("+{:02}:{:02}", minutes / 60, minutes % 60))])
        }
        (None, Some(after)) => after_phrase(after.inject, &after.delay),
        (None, None) => Phrase::new("js.drill.when.on_miss", []),
    };
    // What trainees will be told: the scenario's words, or the payload's summary.
    let made_up = match (inject.message.is_empty(), run.payload(inject.id)) {
        (true, Some(payload)) => Some(super::inject::default_message(payload)),
        _ => None,
    };
    let missed = result.status == InjectStatus::Missed;
    InjectView {
        id: inject.id,
        kind: inject.kind,
        kind_label: inject.kind.label_ja(),
        to: inject.to,
        to_label: inject.to.label_ja(),
        when: when.say(Lang::Ja),
        when_phrase: when,
        scheduled: time(result.scheduled),
        fired_at: time(result.fired_at),
        status: result.status,
        message: made_up.as_ref().map_or_else(|| inject.message.clone(), |m| m.say(Lang::Ja)),
        message_phrase: made_up,
        hidden: inject.hidden,
        expect: inject.expect.as_ref().map(|e| ExpectView {
            text: e.text.clone(),
            within_minutes: e.within.as_deref().and_then(duration_minutes),
            objective: e.objective.clone(),
            deadline: time(result.deadline),
            detected_at: time(result.detected_at),
            measured_minutes: result.measured_minutes,
        }),
        hint: if missed { inject.on_miss.as_ref().and_then(|m| m.hint.clone()) } else { None },
        effect: result.effect.clone(),
    }
}

/// `#3 の10分後`: the delay as written (`10m`, `1h`, `1h30m`), in the reader's units.
fn after_phrase(inject: u32, delay: &str) -> Phrase {
    let delay = delay.trim();
    let (hours, minutes) = match delay.split_once('h') {
        Some((hours, rest)) => (Some(hours), rest.strip_suffix('m')),
        None => (None, delay.strip_suffix('m')),
    };
    let inject = ("inject", inject.to_string());
    match (hours, minutes) {
        (Some(h), Some(m)) => {
            Phrase::new("js.drill.when.after_hours_minutes", [inject, ("hours", h.into()), ("minutes", m.into())])
        }
        (Some(h), None) => Phrase::new("js.drill.when.after_hours", [inject, ("hours", h.into())]),
        (None, m) => Phrase::new("js.drill.when.after_minutes", [inject, ("minutes", m.unwrap_or(delay).into())]),
    }
}

//! The evaluator's API (訓練評価者 and the trainer): the expected actions with
//! their detected result and marks, the objectives with their findings, a
//! mark, a finding. The controller's un-skip, re-fire and ad-hoc injects
//! (trainer only: an evaluator never steers the drill). The players' answer to
//! an inquiry. Merged into the drill's router (`drill::http`).

use axum::Json;
use axum::extract::Path;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::controller::AdHoc;
use super::evaluate::{Evaluation, InjectStatus};
use super::http::running;
use super::log::{Aspect, InjectKind, InquiryAnswered, Observation, Rating, Section, Verdict};
use super::marks;
use super::run::{DrillRun, RunState};
use super::status::{self, DrillView, ObservationView};
use crate::auth::extract::{Anyone, DrillController, Trainer};
use crate::auth::staff::{Answer, Staff};
use crate::clock::stamp;
use crate::error::{ApiJson, ErrorBody};
use crate::events::Event;
use crate::i18n::Lang;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(evaluation))
        .routes(routes!(mark))
        .routes(routes!(finding))
        .routes(routes!(unskip))
        .routes(routes!(refire))
        .routes(routes!(ad_hoc))
        .routes(routes!(answer))
}

/// What the evaluator's page shows.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EvaluationView {
    pub state: RunState,
    /// Drill time.
    pub now: String,
    /// Every expected action of the scenario, in its order.
    pub expects: Vec<ExpectMarkView>,
    pub objectives: Vec<ObjectiveFindings>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExpectMarkView {
    pub inject: u32,
    pub kind: InjectKind,
    pub to: Section,
    /// What the players were told (the drill's own words when the scenario gave none).
    pub message: String,
    pub text: String,
    pub objective: Option<String>,
    pub within_minutes: Option<i64>,
    /// Machine-checked (`detect`); a mark then overrides and needs a reason.
    pub detect: bool,
    pub fired_at: Option<String>,
    pub deadline: Option<String>,
    pub detected_at: Option<String>,
    pub measured_minutes: Option<i64>,
    /// The result that counts (the mark's verdict when marked).
    pub status: InjectStatus,
    /// With a mark on a machine-checked action: what the log alone gave.
    pub detected_status: Option<InjectStatus>,
    pub mark: Option<MarkView>,
    /// The players' answers to an inquiry, oldest first (for the evaluator to judge).
    pub answers: Vec<ObservationView>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MarkView {
    pub verdict: Verdict,
    pub note: String,
    pub by: String,
    pub at: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ObjectiveFindings {
    pub id: String,
    pub text: String,
    pub capability: Option<String>,
    pub rating: Option<Rating>,
    pub observations: Vec<ObservationView>,
    pub strengths: Vec<ObservationView>,
    pub improvements: Vec<ObservationView>,
}

pub(super) fn evaluation_view(run: &DrillRun, evaluation: &Evaluation, events: &[Event]) -> EvaluationView {
    let answers_to = |inject: u32| -> Vec<ObservationView> {
        events
            .iter()
            .filter_map(|e| Some((e, crate::events::decoded::<InquiryAnswered>(e)?)))
            .filter(|(_, a)| a.inject == inject)
            .map(|(e, a)| ObservationView { at: e.at.clone(), by: e.actor.clone(), text: a.answer })
            .collect()
    };
    let time = |t: Option<chrono::DateTime<chrono::FixedOffset>>| t.map(stamp);
    let expects = run
        .scenario
        .injects
        .iter()
        .map(|i| i.get_ref())
        .zip(&evaluation.injects)
        .filter_map(|(inject, result)| {
            let expect = inject.expect.as_ref()?;
            let message = match (inject.message.is_empty(), run.payload(inject.id)) {
                (true, Some(payload)) => super::inject::default_message(payload).say(Lang::Ja),
                _ => inject.message.clone(),
            };
            Some(ExpectMarkView {
                inject: inject.id,
                kind: inject.kind,
                to: inject.to,
                message,
                text: expect.text.clone(),
                objective: expect.objective.clone(),
                within_minutes: expect.within.as_deref().and_then(super::check::duration_minutes),
                detect: expect.detect.is_some(),
                fired_at: time(result.fired_at),
                deadline: time(result.deadline),
                detected_at: time(result.detected_at),
                measured_minutes: result.measured_minutes,
                status: result.status,
                detected_status: result.detected_status,
                mark: result.mark.as_ref().map(|m| MarkView {
                    verdict: m.verdict,
                    note: m.note.clone(),
                    by: m.by.clone(),
                    at: stamp(m.at),
                }),
                answers: answers_to(inject.id),
            })
        })
        .collect();
    let objectives = run
        .scenario
        .objectives
        .iter()
        .map(|o| o.get_ref())
        .map(|o| {
            let side = |aspect| {
                marks::of(&evaluation.findings, &o.id, aspect)
                    .map(|n| ObservationView { at: stamp(n.at), by: n.by.clone(), text: n.finding.text.clone() })
                    .collect()
            };
            ObjectiveFindings {
                id: o.id.clone(),
                text: o.text.clone(),
                capability: o.capability.clone(),
                rating: evaluation.ratings.get(&o.id).copied(),
                observations: evaluation
                    .observations
                    .iter()
                    .filter(|(_, _, n)| n.objective.as_deref() == Some(o.id.as_str()))
                    .map(|(at, by, n)| ObservationView { at: stamp(*at), by: by.clone(), text: n.text.clone() })
                    .collect(),
                strengths: side(Aspect::Strength),
                improvements: side(Aspect::Improvement),
            }
        })
        .collect();
    EvaluationView { state: run.state(), now: stamp(run.env.clock.now()), expects, objectives }
}

async fn evaluation_of(state: &AppState) -> Answer<EvaluationView> {
    let run = running(state)?;
    let evaluation = run.evaluation().await?;
    let events = run.events().await?;
    Ok(Json(evaluation_view(run, &evaluation, &events)))
}

/// 評価: the expected actions (detected result, marks) and the objectives'
/// findings. Evaluators and trainers.
#[utoipa::path(get, path = "/api/drill/evaluation", tag = "drill",
    responses((status = 200, body = EvaluationView), (status = 404, body = ErrorBody)))]
async fn evaluation(staff: Staff<DrillController>) -> Answer<EvaluationView> {
    evaluation_of(&staff).await
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[derive(Default)]
pub struct MarkForm {
    /// met / late / missed
    #[schema(required = true)]
    pub verdict: Option<Verdict>,
    /// What was seen; on a machine-checked action, the reason for the override.
    #[schema(required = true, example = "受付票は紙で全員分そろっていた")]
    pub note: String,
}

/// 判定: met / late / missed for an expected action that has fired, with a
/// note (on a machine-checked action, the reason for the override; the
/// detected result is kept beside it). The latest counts.
#[utoipa::path(post, path = "/api/drill/expects/{id}/mark", tag = "drill", request_body = MarkForm,
    params(("id" = u32, Path, description = "The inject's number in the scenario")),
    responses((status = 200, body = EvaluationView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn mark(
    staff: Staff<DrillController>,
    Path(id): Path<u32>,
    ApiJson(form): ApiJson<MarkForm>,
) -> Answer<EvaluationView> {
    let verdict = form.verdict.ok_or_else(|| {
        crate::error::AppError::validation(
            "verdict",
            crate::i18n::Text::new("判定（met・late・missed）を選んでください。", "verdict is met, late or missed."),
        )
    })?;
    running(&staff)?.mark(&staff.actor, id, verdict, &form.note).await?;
    evaluation_of(&staff).await
}

/// What a finding is.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// 所見 (`drill.observation`)
    #[default]
    Observation,
    /// 良かった点
    Strength,
    /// 改善すべき点
    Improvement,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[derive(Default)]
pub struct FindingForm {
    #[schema(required = true)]
    pub objective: String,
    pub kind: FindingKind,
    #[schema(required = true, example = "受付の列を2列に分けて待ち時間を半分にした")]
    pub text: String,
}

/// 所見・良かった点・改善すべき点 of an objective.
#[utoipa::path(post, path = "/api/drill/findings", tag = "drill", request_body = FindingForm,
    responses((status = 200, body = EvaluationView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn finding(staff: Staff<DrillController>, ApiJson(form): ApiJson<FindingForm>) -> Answer<EvaluationView> {
    let run = running(&staff)?;
    match form.kind {
        FindingKind::Observation => {
            let observation = Observation { objective: Some(form.objective), text: form.text };
            run.observe(&staff.actor, observation).await?
        }
        FindingKind::Strength => run.find(&staff.actor, &form.objective, Aspect::Strength, &form.text).await?,
        FindingKind::Improvement => run.find(&staff.actor, &form.objective, Aspect::Improvement, &form.text).await?,
    }
    evaluation_of(&staff).await
}

async fn controller_view(state: &AppState) -> Answer<DrillView> {
    let run = running(state)?;
    let evaluation = run.evaluation().await?;
    Ok(Json(status::view(run, &evaluation, true)))
}

/// スキップの取消: the inject fires on its schedule again (at once when its time has passed).
#[utoipa::path(post, path = "/api/drill/injects/{id}/unskip", tag = "drill",
    params(("id" = u32, Path, description = "The inject's number in the scenario")),
    responses((status = 200, body = DrillView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn unskip(staff: Staff<Trainer>, Path(id): Path<u32>) -> Answer<DrillView> {
    running(&staff)?.unskip(&staff.actor, id).await?;
    controller_view(&staff).await
}

/// 再発動: an inject that has fired fires again.
#[utoipa::path(post, path = "/api/drill/injects/{id}/refire", tag = "drill",
    params(("id" = u32, Path, description = "The inject's number in the scenario")),
    responses((status = 200, body = DrillView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn refire(staff: Staff<Trainer>, Path(id): Path<u32>) -> Answer<DrillView> {
    running(&staff)?.refire(id).await?;
    controller_view(&staff).await
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AdHocForm {
    /// `situation_update` (default), `weather_warning` or `inquiry`.
    pub kind: InjectKind,
    /// The section it is for (`all` by default).
    pub to: Section,
    #[schema(required = true, example = "本部より：13時から給水車が到着します。")]
    pub message: String,
}

impl Default for AdHocForm {
    fn default() -> AdHocForm {
        AdHocForm { kind: InjectKind::SituationUpdate, to: Section::All, message: String::new() }
    }
}

/// 統制官のインジェクト: a message written during the drill, to one section or all.
#[utoipa::path(post, path = "/api/drill/adhoc", tag = "drill", request_body = AdHocForm,
    responses((status = 200, body = DrillView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn ad_hoc(staff: Staff<Trainer>, ApiJson(form): ApiJson<AdHocForm>) -> Answer<DrillView> {
    let inject = AdHoc { kind: form.kind, to: form.to, message: form.message };
    running(&staff)?.ad_hoc(&staff.actor, inject).await?;
    controller_view(&staff).await
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[derive(Default)]
pub struct AnswerForm {
    #[schema(required = true, example = "取材はセンター長が対応します。14時に折り返します。")]
    pub answer: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Answered {
    pub inject: u32,
}

/// 問い合わせへの回答: a player answers an inquiry that reached them.
#[utoipa::path(post, path = "/api/drill/inquiries/{id}/answer", tag = "drill", request_body = AnswerForm,
    params(("id" = u32, Path, description = "The inquiry inject's number")),
    responses((status = 200, body = Answered), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn answer(staff: Staff<Anyone>, Path(id): Path<u32>, ApiJson(form): ApiJson<AnswerForm>) -> Answer<Answered> {
    running(&staff)?.answer(&staff.actor, id, &form.answer).await?;
    Ok(Json(Answered { inject: id }))
}

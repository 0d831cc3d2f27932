//! The drill's API: `GET /api/drill`, the trainer's controls, the trainees'
//! inbox of messages and call slips. Every route but `GET /api/drill` answers
//! 404 on a live server: drills run on a server of their own.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use axum::response::Response;

use super::aar::{self, Aar};
use super::inbox::{self, Inbox};
use super::log::{Observation, PlanItem, Rated, Rating};
use super::next::{self, Available};
use super::run::DrillRun;
use super::status::{self, DrillView};
use super::visibility::{controls, for_controller};
use crate::auth::extract::{Allowed, Anyone, Coordinator, Trainer};
use crate::auth::staff::{Answer, Staff};
use crate::error::{ApiJson, AppError, ErrorBody};
use crate::i18n::Text;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(drill_status))
        .routes(routes!(start))
        .routes(routes!(pause))
        .routes(routes!(resume))
        .routes(routes!(stop))
        .routes(routes!(speed))
        .routes(routes!(fire))
        .routes(routes!(skip))
        .routes(routes!(observe))
        .routes(routes!(rate))
        .routes(routes!(plan))
        .routes(routes!(messages))
        .routes(routes!(scenarios))
        .routes(routes!(new_drill))
        .routes(routes!(aar_pdf))
        .routes(routes!(aar_json))
        .merge(super::evaluator_http::router())
}

/// The after-action report of the run so far (final once stopped).
pub async fn report(run: &DrillRun) -> Result<Aar, AppError> {
    let events = run.events().await?;
    let participants = super::unattended::participants(&run.env.db, &events).await?;
    Ok(aar::build(&run.scenario, &events, run.env.clock.now(), participants))
}

/// 事後検証報告書 (AAR), A4 PDF with the 「訓練」 watermark.
#[utoipa::path(get, path = "/api/drill/aar.pdf", tag = "drill",
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = ErrorBody)))]
async fn aar_pdf(staff: Staff<Anyone>) -> Result<Response, AppError> {
    let report = report(for_controller(&staff, staff.user.role)?).await?;
    let name = format!("aar-{}.pdf", report.overview.scenario_id);
    crate::web::drawn_pdf(&name, move || super::aar_pdf::render(&report, true)).await
}

/// The AAR as data (the same as `drill run` writes).
#[utoipa::path(get, path = "/api/drill/aar.json", tag = "drill",
    responses((status = 200, body = Object), (status = 404, body = ErrorBody)))]
async fn aar_json(staff: Staff<Anyone>) -> Answer<Aar> {
    Ok(Json(report(for_controller(&staff, staff.user.role)?).await?))
}

pub fn running(state: &AppState) -> Result<&Arc<DrillRun>, AppError> {
    state.drill.as_ref().ok_or_else(|| {
        AppError::not_found(Text::new(
            "訓練は実行されていません（訓練は borasen serve --drill で起動します）。",
            "No drill is running (drills run with borasen serve --drill).",
        ))
        .coded("no_drill")
    })
}

/// The drill as the caller sees it; every trainer's command answers with it.
async fn view(state: &AppState, trainer: bool) -> Answer<DrillView> {
    let Some(run) = &state.drill else {
        return Ok(Json(DrillView { drill: false, run: None }));
    };
    let evaluation = run.evaluation().await?;
    Ok(Json(status::view(run, &evaluation, trainer)))
}

/// The drill: clock, injects with their status, objectives, plan (all but
/// the header and the clock for the trainer and the evaluator only). `{"drill": false}` on a live server.
#[utoipa::path(get, path = "/api/drill", tag = "drill", responses((status = 200, body = DrillView)))]
async fn drill_status(staff: Staff<Anyone>) -> Answer<DrillView> {
    view(&staff, controls(staff.user.role)).await
}

macro_rules! control {
    ($(#[$doc:meta])* $name:ident, $path:literal, $method:ident) => {
        $(#[$doc])*
        #[utoipa::path(post, path = $path, tag = "drill",
            responses((status = 200, body = DrillView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
        async fn $name(staff: Staff<Trainer>) -> Answer<DrillView> {
            for_controller(&staff, staff.user.role)?.$method(&staff.actor).await?;
            view(&staff, true).await
        }
    };
}

control!(
    /// 開始: the drill's clock starts from the scenario's start.
    start, "/api/drill/start", start
);
control!(
    /// 一時停止: drill time stands still.
    pause, "/api/drill/pause", pause
);
control!(
    /// 再開
    resume, "/api/drill/resume", resume
);
control!(
    /// 終了: nothing more fires; the AAR is final.
    stop, "/api/drill/stop", stop
);

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SpeedForm {
    /// 1–120
    pub speed: u32,
}

/// 速度: drill minutes per real minute, 1–120.
#[utoipa::path(post, path = "/api/drill/speed", tag = "drill", request_body = SpeedForm,
    responses((status = 200, body = DrillView), (status = 422, body = ErrorBody)))]
async fn speed(staff: Staff<Trainer>, ApiJson(form): ApiJson<SpeedForm>) -> Answer<DrillView> {
    for_controller(&staff, staff.user.role)?.set_speed(&staff.actor, form.speed).await?;
    view(&staff, true).await
}

/// 今すぐ発動: fire a pending inject now.
#[utoipa::path(post, path = "/api/drill/injects/{id}/fire", tag = "drill",
    params(("id" = u32, Path, description = "The inject's number in the scenario")),
    responses((status = 200, body = DrillView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn fire(staff: Staff<Trainer>, Path(id): Path<u32>) -> Answer<DrillView> {
    for_controller(&staff, staff.user.role)?.fire_by_hand(id).await?;
    view(&staff, true).await
}

/// スキップ: a pending inject will not fire on its own.
#[utoipa::path(post, path = "/api/drill/injects/{id}/skip", tag = "drill",
    params(("id" = u32, Path, description = "The inject's number in the scenario")),
    responses((status = 200, body = DrillView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn skip(staff: Staff<Trainer>, Path(id): Path<u32>) -> Answer<DrillView> {
    for_controller(&staff, staff.user.role)?.skip(&staff.actor, id).await?;
    view(&staff, true).await
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ObservationForm {
    /// The objective it concerns; none for a general observation.
    pub objective: Option<String>,
    #[schema(example = "受付の列が20分以上伸びた")]
    pub text: String,
}

/// 所見: the trainer notes what they saw.
#[utoipa::path(post, path = "/api/drill/observations", tag = "drill", request_body = ObservationForm,
    responses((status = 200, body = DrillView), (status = 422, body = ErrorBody)))]
async fn observe(staff: Staff<Trainer>, ApiJson(form): ApiJson<ObservationForm>) -> Answer<DrillView> {
    let objective = form.objective.filter(|o| !o.trim().is_empty());
    for_controller(&staff, staff.user.role)?.observe(&staff.actor, Observation { objective, text: form.text }).await?;
    view(&staff, true).await
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RatingForm {
    pub objective: String,
    /// P / S / M / U
    pub rating: Rating,
}

/// 評価: P/S/M/U for an objective (the latest counts).
#[utoipa::path(post, path = "/api/drill/ratings", tag = "drill", request_body = RatingForm,
    responses((status = 200, body = DrillView), (status = 422, body = ErrorBody)))]
async fn rate(staff: Staff<Trainer>, ApiJson(form): ApiJson<RatingForm>) -> Answer<DrillView> {
    for_controller(&staff, staff.user.role)?
        .rate(&staff.actor, Rated { objective: form.objective, rating: form.rating })
        .await?;
    view(&staff, true).await
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[derive(Default)]
pub struct PlanForm {
    /// The row to rewrite; absent for a new row.
    pub row: Option<u32>,
    pub issue: String,
    pub action: String,
    pub owner: String,
    pub due: String,
}

/// 改善計画: write or rewrite a row (issue, action, owner, due).
#[utoipa::path(post, path = "/api/drill/plan", tag = "drill", request_body = PlanForm,
    responses((status = 200, body = DrillView), (status = 422, body = ErrorBody)))]
async fn plan(staff: Staff<Trainer>, ApiJson(form): ApiJson<PlanForm>) -> Answer<DrillView> {
    let PlanForm { row, issue, action, owner, due } = form;
    for_controller(&staff, staff.user.role)?
        .plan(&staff.actor, PlanItem { row: row.unwrap_or(0), issue, action, owner, due })
        .await?;
    view(&staff, true).await
}

#[derive(Debug, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboxQuery {
    /// Messages after this `seq`; absent: only the call slips still waiting.
    pub since: Option<i64>,
}

/// Messages for trainees (never hidden injects); call slips carry the
/// household's details for coordinators and admins only.
#[utoipa::path(get, path = "/api/drill/inbox", tag = "drill", params(InboxQuery),
    responses((status = 200, body = Inbox), (status = 404, body = ErrorBody)))]
async fn messages(staff: Staff<Anyone>, Query(query): Query<InboxQuery>) -> Answer<Inbox> {
    let run = running(&staff)?;
    let personal = Coordinator::admits(staff.user.role);
    Ok(Json(inbox::read(run, query.since, personal).await?))
}

fn scenario_folder(run: &DrillRun) -> std::path::PathBuf {
    std::path::Path::new(&run.file).parent().map_or_else(|| ".".into(), std::path::Path::to_path_buf)
}

/// The scenarios beside the running one, checked: what a new drill can be.
#[utoipa::path(get, path = "/api/drill/scenarios", tag = "drill",
    responses((status = 200, body = Vec<Available>), (status = 404, body = ErrorBody)))]
async fn scenarios(staff: Staff<Trainer>) -> Answer<Vec<Available>> {
    let folder = scenario_folder(for_controller(&staff, staff.user.role)?);
    Ok(Json(crate::web::off_the_workers(move || next::available(&folder)).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewDrillForm {
    /// A scenario file of the folder: `earthquake-day1.toml`.
    #[schema(example = "earthquake-day1.toml")]
    pub file: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Restarting {
    pub file: String,
}

/// 新しい訓練: the drill server starts over on a fresh database file with this
/// scenario; staff and their sessions carry over. 202: reconnect in a moment.
#[utoipa::path(post, path = "/api/drill/new", tag = "drill", request_body = NewDrillForm,
    responses((status = 202, body = Restarting), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn new_drill(
    staff: Staff<Trainer>,
    ApiJson(form): ApiJson<NewDrillForm>,
) -> Result<(axum::http::StatusCode, Json<Restarting>), AppError> {
    let folder = scenario_folder(for_controller(&staff, staff.user.role)?);
    let name = form.file.clone();
    let chosen = crate::web::off_the_workers(move || next::choose(&folder, &name)).await?;
    let Some(path) = chosen else {
        return Err(AppError::validation(
            "file",
            Text::new(
                format!("シナリオ「{}」は使えません（一覧にないか、確認で問題があります）。", form.file),
                format!("Scenario {} cannot run (not in the folder, or it has problems).", form.file),
            ),
        ));
    };
    tracing::info!(user = %staff.user.username, file = %path.display(), "a new drill was asked for");
    staff.next_drill.ask(path);
    Ok((axum::http::StatusCode::ACCEPTED, Json(Restarting { file: form.file })))
}

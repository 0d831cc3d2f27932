//! HTTP edge of dispatch: teams, the waiting pool, the center's suspension.

use axum::Json;
use axum::extract::{Path, Query};
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::center::{self, Center, SuspendForm};
use super::model::{Team, TeamStatus};
use super::papers;
use super::report::{self, ReturnForm};
use super::send_out::{self, TeamForm};
use super::store::{self, Waiting};
use super::suggest::Suggestion;
use crate::auth::extract::Coordinator;
use crate::auth::staff::{Answer, Created, Staff, created};
use crate::error::{ApiJson, AppError, ErrorBody};
use crate::i18n::Text;
use crate::inventory::OutLine;
use crate::reception::Key;
use crate::reception::parse_volunteer_no;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(dispatch_team, list_teams))
        .routes(routes!(get_team))
        .routes(routes!(return_team))
        .routes(routes!(team_sheet))
        .routes(routes!(team_equipment))
        .routes(routes!(waiting_pool))
        .routes(routes!(team_suggestions))
        .routes(routes!(scan))
        .routes(routes!(center_state))
        .routes(routes!(suspend))
        .routes(routes!(resume))
        .merge(super::headcount_http::router())
        .merge(super::scan_http::router())
        .merge(super::closing_http::router())
        .merge(super::safety_http::router())
}

fn team_not_found() -> AppError {
    AppError::not_found(Text::new("該当する班が見つかりません。", "No such team."))
}

/// 送り出し: form a team for a need (or a zone) and send it with its loans.
/// 409 names the reason (`member_busy`, `not_checked_in`, `uninsured`,
/// `checked_out`, `need_taken`, `need_closed`, `short_stock`, `suspended`); nothing changes.
#[utoipa::path(post, path = "/api/teams", tag = "dispatch", request_body = TeamForm,
    responses((status = 201, body = Team), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn dispatch_team(staff: Staff<Coordinator>, ApiJson(form): ApiJson<TeamForm>) -> Created<Team> {
    created(send_out::send_out(&staff.db, &staff.clock, &staff.zones.current(), &staff.actor, form).await?)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
struct TeamsQuery {
    /// `dispatched` (out) or `returned`.
    status: Option<TeamStatus>,
    /// Activity day (default: all days for teams out, today otherwise).
    day: Option<NaiveDate>,
}

/// Teams, newest first, each with its members and whether it is overdue.
#[utoipa::path(get, path = "/api/teams", tag = "dispatch", params(TeamsQuery), responses((status = 200, body = Vec<Team>)))]
async fn list_teams(staff: Staff<Coordinator>, Query(q): Query<TeamsQuery>) -> Answer<Vec<Team>> {
    let window = crate::dates::Window::read(&staff.db.read, &staff.clock).await?;
    let day = match (q.status, window.day_if_given("day", q.day)?) {
        (_, Some(day)) => Some(day),
        (Some(TeamStatus::Dispatched), None) => None,
        _ => Some(staff.clock.activity_day()),
    };
    let mut conn = staff.db.read.acquire().await?;
    Ok(Json(store::list(&mut conn, q.status, day, staff.clock.now()).await?))
}

#[utoipa::path(get, path = "/api/teams/{id}", tag = "dispatch", params(("id" = i64, Path)),
    responses((status = 200, body = Team), (status = 404, body = ErrorBody)))]
async fn get_team(staff: Staff<Coordinator>, Path(id): Path<i64>) -> Answer<Team> {
    let mut conn = staff.db.read.acquire().await?;
    store::team(&mut conn, id, staff.clock.now()).await?.map(Json).ok_or_else(team_not_found)
}

/// 活動指示書: the dispatch sheet, A4 (personal data: coordinators and the team leader only).
#[utoipa::path(get, path = "/api/teams/{id}/sheet.pdf", tag = "dispatch", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/pdf"), (status = 404, body = ErrorBody)))]
async fn team_sheet(staff: Staff<Coordinator>, Path(id): Path<i64>) -> Result<Response, AppError> {
    let zones = staff.zones.current();
    let sheet = papers::sheet_for(&staff.db, &zones, id, staff.clock.now()).await?;
    let drill = staff.db.is_drill();
    let name = format!("sheet-{}.pdf", sheet.team_no);
    crate::web::drawn_pdf(&name, move || super::sheet::render(&sheet, drill)).await
}

/// What a team has out now: the return form counts it back.
#[utoipa::path(get, path = "/api/teams/{id}/equipment", tag = "dispatch", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<OutLine>)))]
async fn team_equipment(staff: Staff<Coordinator>, Path(id): Path<i64>) -> Answer<Vec<OutLine>> {
    Ok(Json(crate::inventory::outstanding(&staff.db.read, id).await?))
}

/// 帰着: the leader's report and the equipment counted back.
#[utoipa::path(post, path = "/api/teams/{id}/return", tag = "dispatch", params(("id" = i64, Path)),
    request_body = ReturnForm, responses((status = 200, body = Team), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn return_team(
    staff: Staff<Coordinator>,
    Path(id): Path<i64>,
    ApiJson(form): ApiJson<ReturnForm>,
) -> Answer<Team> {
    let zones = staff.zones.current();
    Ok(Json(report::return_team(&staff.db, &staff.clock, &zones, &staff.actor, id, form).await?))
}

/// 編成の提案: a proposed team for each waiting need, in the order to serve them
/// (priority, then age); skills asked for, groups kept together, never an uninsured person.
#[utoipa::path(get, path = "/api/teams/suggestions", tag = "dispatch", responses((status = 200, body = Vec<Suggestion>)))]
async fn team_suggestions(staff: Staff<Coordinator>) -> Answer<Vec<Suggestion>> {
    let mut conn = staff.db.read.acquire().await?;
    Ok(Json(super::suggestions::for_today(&mut conn, staff.clock.activity_day()).await?))
}

/// 待機中: checked in today, still here, on no team out (earliest arrivals first).
#[utoipa::path(get, path = "/api/waiting", tag = "dispatch", responses((status = 200, body = Vec<Waiting>)))]
async fn waiting_pool(staff: Staff<Coordinator>) -> Answer<Vec<Waiting>> {
    Ok(Json(store::waiting(&staff.db.read, staff.clock.activity_day()).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ScanQuery {
    /// A badge's QR token, or a number said aloud (`V-0012`).
    code: String,
}

/// A scanned badge on the matching desk: the volunteer if they can join a
/// team now, else 409 saying why (not checked in, uninsured, on team T-003).
#[utoipa::path(get, path = "/api/waiting/scan", tag = "dispatch", params(ScanQuery),
    responses((status = 200, body = Waiting), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn scan(staff: Staff<Coordinator>, Query(q): Query<ScanQuery>) -> Answer<Waiting> {
    let code = crate::fields::scan_code(&q.code);
    let key = match parse_volunteer_no(&code) {
        Some(number) => Key::Number(number),
        None => Key::Token(&code),
    };
    let found = super::scan::ready_volunteer(&staff.db, key, staff.clock.activity_day()).await?;
    found.map(Json).ok_or_else(|| {
        AppError::not_found(Text::new("このコードのボランティアは登録されていません。", "No volunteer has this code."))
    })
}

/// 活動中止 or not, with the teams to recall.
#[utoipa::path(get, path = "/api/center", tag = "dispatch", responses((status = 200, body = Center)))]
async fn center_state(staff: Staff<Coordinator>) -> Answer<Center> {
    Ok(Json(center::read(&staff.db, &staff.clock).await?))
}

/// 活動中止: no team is sent until resumed; the teams out are to be recalled.
#[utoipa::path(post, path = "/api/center/suspend", tag = "dispatch", request_body = SuspendForm,
    responses((status = 200, body = Center), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn suspend(staff: Staff<Coordinator>, ApiJson(form): ApiJson<SuspendForm>) -> Answer<Center> {
    Ok(Json(center::suspend(&staff.db, &staff.clock, &staff.actor, form).await?))
}

/// 活動再開.
#[utoipa::path(post, path = "/api/center/resume", tag = "dispatch",
    responses((status = 200, body = Center), (status = 409, body = ErrorBody)))]
async fn resume(staff: Staff<Coordinator>) -> Answer<Center> {
    Ok(Json(center::resume(&staff.db, &staff.clock, &staff.actor).await?))
}

//! HTTP edge of the headcount alerts: the open ones, and resolving one.

use axum::Json;
use axum::extract::{Path, State};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::headcount::{self, HeadcountAlert, ResolveForm};
use crate::auth::extract::CoordinatorUser;
use crate::error::{ApiJson, AppError, ErrorBody};
use crate::events::Actor;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(open_alerts)).routes(routes!(resolve_alert))
}

/// Teams back with fewer people than left, not yet accounted for (oldest first).
#[utoipa::path(get, path = "/api/teams/headcount-alerts", tag = "dispatch",
    responses((status = 200, body = Vec<HeadcountAlert>), (status = 403, body = ErrorBody)))]
async fn open_alerts(
    State(state): State<AppState>,
    _who: CoordinatorUser,
) -> Result<Json<Vec<HeadcountAlert>>, AppError> {
    Ok(Json(headcount::open_alerts(&state.db.read).await?))
}

/// The people missing from a team's return are accounted for: what was found.
/// The alert leaves the board (event `team.headcount_resolved`, with who and when).
#[utoipa::path(post, path = "/api/teams/{id}/headcount/resolve", tag = "dispatch", params(("id" = i64, Path)),
    request_body = ResolveForm, responses((status = 200, body = HeadcountAlert), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn resolve_alert(
    State(state): State<AppState>,
    CoordinatorUser(user): CoordinatorUser,
    Path(id): Path<i64>,
    ApiJson(form): ApiJson<ResolveForm>,
) -> Result<Json<HeadcountAlert>, AppError> {
    let actor = Actor::user(&user.username);
    Ok(Json(headcount::resolve(&state.db, &state.clock, &actor, id, form).await?))
}

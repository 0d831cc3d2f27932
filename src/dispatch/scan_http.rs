//! The matching desk's scan field at the HTTP edge.

use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::scan::{self, Scanned};
use crate::auth::extract::CoordinatorUser;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(desk_scan))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ScanQuery {
    /// What the scanner typed: `N-0045` (a need card), an item's printed code (an
    /// equipment label), `V-0012` or a badge's QR token.
    code: String,
}

/// A scan at the matching desk: the need to pick, the item to lend one more of, or
/// the volunteer to add (`kind`). 404 when nothing has the code; 409 saying why the
/// need or the volunteer cannot be sent now.
#[utoipa::path(get, path = "/api/matching/scan", tag = "dispatch", params(ScanQuery),
    responses((status = 200, body = Scanned), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn desk_scan(
    State(state): State<AppState>,
    _who: CoordinatorUser,
    Query(q): Query<ScanQuery>,
) -> Result<Json<Scanned>, AppError> {
    Ok(Json(scan::identify(&state.db, &q.code, state.clock.activity_day()).await?))
}

//! HTTP edge of the lobby.

use axum::Router;
use utoipa_axum::router::OpenApiRouter;

use crate::app::AppState;

/// `/api/lobby`
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}

/// `/lobby` and `/ws/lobby`
pub fn pages() -> Router<AppState> {
    Router::new()
}

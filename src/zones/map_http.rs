//! The map: `GET /api/map.svg` and the map page.

use axum::Router;
use utoipa_axum::router::OpenApiRouter;

use crate::app::AppState;

/// `/api/map.svg`
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}

/// The map page.
pub fn pages() -> Router<AppState> {
    Router::new()
}

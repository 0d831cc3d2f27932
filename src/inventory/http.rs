//! HTTP edge of equipment.

use axum::Router;
use utoipa_axum::router::OpenApiRouter;

use crate::app::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}

/// The equipment page.
pub fn pages() -> Router<AppState> {
    Router::new()
}

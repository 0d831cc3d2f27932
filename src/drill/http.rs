//! The drill's API: `GET /api/drill`, the trainer's controls, the inbox of
//! messages for trainees, and the after-action report. (Being written.)

use utoipa_axum::router::OpenApiRouter;

use crate::app::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}

//! The trainer console page (`/drill`). (Being written.)

use axum::Router;

use crate::app::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
}

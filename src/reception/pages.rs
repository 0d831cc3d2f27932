//! Reception's pages: the public pre-registration form and its confirmation,
//! and the desk screen for reception staff.

use axum::Router;

use crate::app::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
}

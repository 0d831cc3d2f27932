//! `/setup`: how a tablet comes to trust this center (the local CA), and the
//! center's addresses as QR codes. Public on HTTP and HTTPS.

use axum::Router;

use crate::app::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
}

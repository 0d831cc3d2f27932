//! Server-rendered pages (askama), the embedded static assets, and the words
//! (from `i18n::catalogue`). Pages are Japanese unless the user switched to English.

pub mod assets;
pub mod drill_clock;
pub mod headers;
pub mod menu;
pub mod page;
pub mod pages;

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::error::AppError;
use crate::state::AppState;

pub use pages::not_found;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(pages::home))
        .route("/login", get(pages::login_form).post(pages::login_submit))
        .route("/logout", post(pages::logout))
        .route("/lang/{code}", get(pages::switch_language))
        .route("/board", get(pages::board))
        .route("/assets/{*path}", get(assets::serve))
        .route("/favicon.ico", get(assets::favicon))
        .route("/manifest.webmanifest", get(assets::manifest))
        .route("/sw.js", get(assets::service_worker))
        .route("/healthz", get(pages::healthz))
}

/// CPU work (a PDF's layout, a folder of scenarios) off the async workers; a panic in it is a 500.
pub async fn off_the_workers<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work).await.map_err(|_| AppError::internal())
}

/// A PDF drawn off the async workers and shown in the browser, with its file name.
pub async fn drawn_pdf(name: &str, draw: impl FnOnce() -> Vec<u8> + Send + 'static) -> Result<Response, AppError> {
    Ok(pdf_response(name, off_the_workers(draw).await?))
}

/// A CSV download (the bytes carry their BOM), with its file name.
pub fn csv_download(name: &str, bytes: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}

/// A PDF shown in the browser, with its file name.
pub fn pdf_response(name: &str, bytes: Vec<u8>) -> Response {
    let disposition = format!("inline; filename=\"{name}\"");
    ([(header::CONTENT_TYPE, "application/pdf".to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}

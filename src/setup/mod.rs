//! `/setup`: how a tablet comes to trust this center (the local CA), and the
//! center's addresses as QR codes. Public on HTTP and HTTPS: a tablet that
//! trusts nothing yet reaches it on the plain port (see `tls::http_port`).

mod mobileconfig;
mod page;
mod poster;
mod qr;
mod words;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::state::AppState;
use crate::tls::reach::CaCert;
use crate::web::pages::{PageContext, message_page, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/setup", get(setup_page))
        .route("/setup/", get(setup_page))
        .route("/setup/ca.crt", get(ca_der))
        .route("/setup/ca.pem", get(ca_pem))
        .route("/setup/borasen.mobileconfig", get(ios_profile))
        .route("/setup/poster.pdf", get(poster_pdf))
}

async fn setup_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let page = PageContext::new(&state, &headers, None);
    render(StatusCode::OK, &page::SetupPage::new(page, &state.reach))
}

/// DER, as Android and Windows install it.
async fn ca_der(State(state): State<AppState>, headers: HeaderMap) -> Response {
    with_ca(&state, &headers, |ca| download("application/x-x509-ca-cert", "borasen-ca.crt", ca.der.clone()))
}

/// PEM, as macOS (and Firefox) take it.
async fn ca_pem(State(state): State<AppState>, headers: HeaderMap) -> Response {
    with_ca(&state, &headers, |ca| download("application/x-pem-file", "borasen-ca.pem", ca.pem.clone().into_bytes()))
}

async fn ios_profile(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let center = center_name(&state).await;
    with_ca(&state, &headers, |ca| {
        let profile = mobileconfig::profile(ca, &center);
        download(mobileconfig::CONTENT_TYPE, "borasen.mobileconfig", profile.into_bytes())
    })
}

async fn poster_pdf(State(state): State<AppState>) -> Response {
    let (reach, center, drill) = (state.reach.clone(), center_name(&state).await, state.db.is_drill());
    match tokio::task::spawn_blocking(move || poster::render(&reach, &center, drill)).await {
        Ok(pdf) => crate::web::pdf_response("borasen-setup.pdf", pdf),
        Err(error) => {
            tracing::error!(%error, "poster failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `answer` with the local CA; a page saying there is none otherwise (HTTPS off, or
/// the operator's own certificate).
fn with_ca(state: &AppState, headers: &HeaderMap, answer: impl FnOnce(&CaCert) -> Response) -> Response {
    match &state.reach.ca {
        Some(ca) => answer(ca),
        None => {
            let page = PageContext::new(state, headers, None);
            let message = page.t.get(if state.reach.https { "setup.own_cert" } else { "setup.tls_off" });
            let title = page.t.get("setup.title");
            message_page(page, StatusCode::NOT_FOUND, &title, &message)
        }
    }
}

fn download(content_type: &'static str, file_name: &str, bytes: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{file_name}\"");
    ([(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}

/// The center's name as its settings give it; the first-start name if the
/// database cannot be read (these pages serve a tablet being set up).
async fn center_name(state: &AppState) -> String {
    let read = async { crate::settings::current(&mut *state.db.read.acquire().await?).await };
    read.await.map_or_else(|_: sqlx::Error| state.config.first_settings.center_name.clone(), |s| s.values.center_name)
}

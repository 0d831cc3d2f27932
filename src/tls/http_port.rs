//! The plain-HTTP port beside HTTPS. A tablet that does not trust the CA yet
//! starts here: `/setup` (and its downloads) and `/healthz` are served as they
//! are, with what the setup page itself needs (its stylesheet, icons, the
//! language switch); everything else is redirected to the same host's HTTPS port.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

use crate::state::AppState;
use crate::web::{assets, pages};
use crate::{error, setup};

pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(setup::router())
        .route("/healthz", get(pages::healthz))
        .route("/lang/{code}", get(pages::switch_language))
        .route("/assets/{*path}", get(assets::serve))
        .route("/favicon.ico", get(assets::favicon))
        .route("/manifest.webmanifest", get(assets::manifest))
        .fallback(to_https)
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// 301 for GET and HEAD, 308 for the rest (a POST stays a POST with its body).
/// `no-store`, so a browser does not keep the redirect once HTTPS is turned off again.
async fn to_https(State(state): State<AppState>, method: Method, headers: HeaderMap, uri: Uri) -> Response {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let fallback = state.reach.hosts().into_iter().next().unwrap_or_else(|| "localhost".into());
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let location = https_location(host, &fallback, state.reach.addr.port(), path);
    let status = if matches!(method, Method::GET | Method::HEAD) {
        StatusCode::MOVED_PERMANENTLY
    } else {
        StatusCode::PERMANENT_REDIRECT
    };
    (status, [(header::LOCATION, location), (header::CACHE_CONTROL, "no-store".to_string())]).into_response()
}

/// `https://<host of the request>:<https port><path?query>`. A `Host` that is not a
/// plain host name or address (or none at all) is replaced by `fallback`.
pub fn https_location(host_header: Option<&str>, fallback: &str, https_port: u16, path_and_query: &str) -> String {
    let host = host_header.map(strip_port).filter(|h| is_plain_host(h)).unwrap_or(fallback);
    super::reach::url("https", host, https_port, path_and_query)
}

/// `example:8080` → `example`, `[::1]:8080` → `[::1]`, `[::1]` → `[::1]`.
fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map(|end| &host[..=end]).unwrap_or(host);
    }
    host.rsplit_once(':').map(|(name, _)| name).unwrap_or(host)
}

fn is_plain_host(host: &str) -> bool {
    !host.is_empty() && host.bytes().all(|b| b.is_ascii_alphanumeric() || b".-[]:".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_location_keeps_host_path_and_query_and_takes_the_https_port() {
        let at = |host: Option<&str>, path: &str| https_location(host, "192.168.1.20", 8443, path);
        assert_eq!(at(Some("192.168.1.20:8080"), "/needs?q=1"), "https://192.168.1.20:8443/needs?q=1");
        assert_eq!(at(Some("desk-pc.local"), "/"), "https://desk-pc.local:8443/");
        assert_eq!(at(Some("[fd00::20]:8080"), "/a"), "https://[fd00::20]:8443/a");
        assert_eq!(at(None, "/"), "https://192.168.1.20:8443/");
        assert_eq!(at(Some("evil/\r\nx"), "/"), "https://192.168.1.20:8443/");
        assert_eq!(https_location(Some("pc:80"), "x", 443, "/b"), "https://pc/b");
    }
}

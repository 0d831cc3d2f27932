//! Headers on every answer: what a page may load (a strict Content-Security
//! Policy: our own origin only, no inline script), no framing, no sniffing,
//! and `no-store` on anything that may hold personal data (pages and `/api/`),
//! so a shared tablet's browser cache keeps no names or phone numbers.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// `'wasm-unsafe-eval'` lets the vendored QR decoder compile its WebAssembly;
/// it allows no JavaScript `eval`.
const POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
    img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self'; worker-src 'self'; manifest-src 'self'; \
    object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub async fn secure(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let websocket_origins = websocket_sources(request.headers());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let html = content_type.starts_with("text/html");
    let page = html || content_type.starts_with("image/svg+xml");
    if page {
        // 'self' covers same-host websockets in CSP 3; older Safari wants them named.
        let policy = format!("{POLICY}; connect-src 'self'{websocket_origins}");
        if let Ok(value) = HeaderValue::from_str(&policy) {
            headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    if (api || html) && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    response
}

/// ` ws://HOST wss://HOST` for the host the page was asked by, when it is a plain host name.
fn websocket_sources(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let plain = !host.is_empty()
        && host.len() <= 255
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    if plain { format!(" ws://{host} wss://{host}") } else { String::new() }
}

//! Static files, embedded in the binary (read from disk in debug builds), with
//! their SHA-256 as ETag so tablets revalidate cheaply.

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::Embed;

#[derive(Embed)]
#[folder = "assets/web/"]
struct Assets;

pub async fn serve(Path(path): Path<String>, headers: HeaderMap) -> Response {
    file(&path, &headers)
}

pub async fn favicon(headers: HeaderMap) -> Response {
    file("favicon.ico", &headers)
}

/// The web app manifest: a desk can be added to a tablet's home screen.
pub async fn manifest(headers: HeaderMap) -> Response {
    let mut response = file("manifest.webmanifest", &headers);
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/manifest+json"));
    response
}

/// The service worker lives at the root so that its scope is every page.
pub async fn service_worker(headers: HeaderMap) -> Response {
    let mut response = file("sw.js", &headers);
    response.headers_mut().insert("service-worker-allowed", HeaderValue::from_static("/"));
    response
}

fn file(path: &str, headers: &HeaderMap) -> Response {
    let Some(file) = Assets::get(path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = format!("\"{}\"", crate::hex::encode(&file.metadata.sha256_hash()));
    let fresh = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).is_some_and(|v| v == etag);
    let etag = HeaderValue::from_str(&etag).expect("hex etag");
    let cache = HeaderValue::from_static("no-cache");
    if fresh {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag), (header::CACHE_CONTROL, cache)]).into_response();
    }
    let mime =
        HeaderValue::from_str(file.metadata.mimetype()).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    ([(header::CONTENT_TYPE, mime), (header::ETAG, etag), (header::CACHE_CONTROL, cache)], file.data.into_owned())
        .into_response()
}

//! Cross-site request defence. The session cookie is SameSite=Strict, so other
//! sites' pages cannot send it; as a second wall, a state-changing request or a
//! websocket upgrade that a browser marks as coming from another origin is
//! refused with 403. Requests without `Origin` (curl, scanners, tests) pass:
//! they carry no ambient browser cookie.

use axum::extract::Request;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{AppError, Class};
use crate::i18n::Text;
use crate::net::Scheme;

pub async fn same_origin_only(request: Request, next: Next) -> Response {
    let unsafe_method = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let upgrade = request.headers().contains_key(header::UPGRADE);
    let scheme = request.extensions().get::<Scheme>().map_or("http", |s| s.0);
    if (unsafe_method || upgrade) && is_cross_origin(request.headers(), scheme) {
        return AppError::new(
            Class::Refused,
            "cross_origin",
            Text::new("別のサイトからの操作は受け付けません。", "Requests from another site are refused."),
        )
        .into_response();
    }
    next.run(request).await
}

/// Another site, or this host by another scheme (an `http://` page posting to
/// `https://`), or a port other than the one the request came to.
fn is_cross_origin(headers: &HeaderMap, scheme: &str) -> bool {
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = value("sec-fetch-site")
        && !matches!(site, "same-origin" | "none")
    {
        return true;
    }
    match (value("origin"), value("host")) {
        (None, _) => false,
        (Some(origin), Some(host)) => origin_of(origin) != Some((scheme, host)),
        (Some(_), None) => true,
    }
}

/// `https://192.168.0.10:8443` → (`https`, `192.168.0.10:8443`); `null` and junk → None.
fn origin_of(origin: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = origin.split_once("://")?;
    matches!(scheme, "http" | "https").then(|| (scheme, rest.trim_end_matches('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, v.parse().unwrap());
        }
        map
    }

    #[test]
    fn same_origin_and_originless_requests_pass_others_do_not() {
        assert!(!is_cross_origin(&headers(&[("host", "10.0.0.5:8080")]), "http"));
        assert!(!is_cross_origin(&headers(&[("host", "10.0.0.5:8080"), ("origin", "http://10.0.0.5:8080")]), "http"));
        assert!(is_cross_origin(&headers(&[("host", "10.0.0.5:8080"), ("origin", "http://evil.example")]), "http"));
        assert!(is_cross_origin(&headers(&[("host", "10.0.0.5:8080"), ("origin", "null")]), "http"));
        assert!(is_cross_origin(&headers(&[("host", "10.0.0.5:8080"), ("sec-fetch-site", "cross-site")]), "http"));
    }

    #[test]
    fn the_origin_must_match_the_scheme_the_request_came_by() {
        let over_https = headers(&[("host", "10.0.0.5:8443"), ("origin", "https://10.0.0.5:8443")]);
        assert!(!is_cross_origin(&over_https, "https"));
        assert!(is_cross_origin(&over_https, "http"), "an https page's origin on the plain port");
        let plain_page = headers(&[("host", "10.0.0.5:8443"), ("origin", "http://10.0.0.5:8443")]);
        assert!(is_cross_origin(&plain_page, "https"));
        assert!(is_cross_origin(&headers(&[("host", "10.0.0.5:8443"), ("origin", "ftp://10.0.0.5:8443")]), "https"));
    }
}

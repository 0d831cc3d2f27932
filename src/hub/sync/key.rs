//! Who is syncing: the center whose key is in `Authorization: Bearer`, within
//! its rate limit; and the protocol version a pull speaks.

use std::time::Instant;

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use serde_json::json;

use crate::error::{AppError, Class};
use crate::hub::centers;
use crate::hub::events::HubActor;
use crate::hub::state::HubState;
use crate::i18n::Text;
use crate::sync::{VERSION, VERSION_HEADER, contract::version_ok};

/// A center, by its sync key. Refuses with 401 `sync_key` (no key, or not a
/// center's current key; a session is not enough) and with 429
/// `sync_rate_limited` past the center's allowance per minute in this process.
pub struct CenterKey {
    pub center_id: i64,
    pub state: HubState,
}

impl CenterKey {
    pub fn actor(&self) -> HubActor {
        HubActor::center(self.center_id)
    }
}

fn bad_key() -> AppError {
    AppError::new(
        Class::Unauthenticated,
        "sync_key",
        Text::new(
            "センターの同期キーがないか、正しくありません（Authorization: Bearer <キー>）。",
            "No center sync key, or not a valid one (Authorization: Bearer <key>).",
        ),
    )
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, key) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(key.trim())
}

impl FromRequestParts<HubState> for CenterKey {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &HubState) -> Result<Self, AppError> {
        let key = bearer(&parts.headers).ok_or_else(bad_key)?;
        let center_id = centers::authenticate(&state.db.pool, key).await?.ok_or_else(bad_key)?;
        if let Err(wait) = state.sync_limiter.check(center_id, Instant::now()) {
            let mut error = AppError::new(
                Class::TooMany,
                "sync_rate_limited",
                Text::new(
                    format!("同期リクエストが多すぎます。{wait}秒後に再試行してください。"),
                    format!("Too many sync requests from this center. Try again in {wait} s."),
                ),
            );
            error.retry_after = Some(wait);
            return Err(error);
        }
        Ok(CenterKey { center_id, state: state.clone() })
    }
}

/// 426 `sync_version`: the caller speaks another version; says which one the hub speaks.
pub fn version_refused(theirs: Option<&str>) -> AppError {
    let theirs = theirs.unwrap_or("-");
    AppError::new(
        Class::UpgradeRequired,
        "sync_version",
        Text::new(
            format!(
                "同期プロトコルのバージョン {theirs} には対応していません。このハブはバージョン {VERSION} です（{VERSION_HEADER}: {VERSION}）。"
            ),
            format!(
                "Sync protocol version {theirs} is not spoken here: this hub speaks version {VERSION} ({VERSION_HEADER}: {VERSION})."
            ),
        ),
    )
    .with_details(json!({ "version": VERSION }))
}

/// The version a pull says it speaks (header [`VERSION_HEADER`]): missing,
/// unreadable or another one is refused (426).
pub fn check_version_header(headers: &HeaderMap) -> Result<(), AppError> {
    let said = headers.get(VERSION_HEADER).map(|v| v.to_str().unwrap_or("?").trim());
    match said.map(str::parse::<u32>) {
        Some(Ok(version)) if version_ok(version) => Ok(()),
        _ => Err(version_refused(said)),
    }
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
    fn the_bearer_key_is_read_whatever_the_schemes_case() {
        assert_eq!(bearer(&headers(&[("authorization", "Bearer abc")])), Some("abc"));
        assert_eq!(bearer(&headers(&[("authorization", "bearer  abc ")])), Some("abc"));
        assert_eq!(bearer(&headers(&[("authorization", "Basic abc")])), None);
        assert_eq!(bearer(&headers(&[])), None);
    }

    #[test]
    fn only_this_version_passes_and_the_refusal_says_which_the_hub_speaks() {
        assert!(check_version_header(&headers(&[("borasen-sync-version", "1")])).is_ok());
        for bad in [&[("borasen-sync-version", "2")][..], &[("borasen-sync-version", "x")][..], &[][..]] {
            let error = check_version_header(&headers(bad)).unwrap_err();
            assert_eq!((error.status, error.code), (Class::UpgradeRequired, "sync_version"));
            assert!(error.message.en.contains("this hub speaks version 1"), "{}", error.message.en);
        }
    }
}

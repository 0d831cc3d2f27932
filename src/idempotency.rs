//! `Idempotency-Key` on writes: a desk that lost its Wi-Fi sends its queued
//! writes again, and a tap may be sent twice; each key is applied once.
//!
//! A write request carrying the header is served under a per-key lock (so
//! concurrent copies wait for the first), with the key handed to the write it
//! commits ([`crate::events::once`]: claimed in the write's own transaction).
//! Its answer is stored, and every later copy gets that answer, marked
//! `Idempotent-Replayed: true`. A request that wrote nothing (a refusal) stores
//! nothing: its copies are simply asked again. A key reused for another
//! method, path or body is refused with 422 `idempotency_key_reused`.

use std::collections::HashMap;
use std::sync::{Arc, Weak};

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use tokio::sync::Mutex;

use crate::db::Db;
use crate::error::{AppError, Class};
use crate::events::once::{self, Answer, Claim, Recorded};
use crate::i18n::Text;

pub const HEADER: &str = "idempotency-key";
pub const REPLAYED: &str = "idempotent-replayed";
/// Bodies are read whole to fingerprint them; zone and address files are the largest.
const MAX_BODY: usize = 64 << 20;

/// What the middleware needs: the database and the keys being served now.
#[derive(Clone)]
pub struct Once {
    db: Db,
    serving: Arc<std::sync::Mutex<HashMap<String, Weak<Mutex<()>>>>>,
}

impl Once {
    pub fn new(db: Db) -> Once {
        Once { db, serving: Arc::default() }
    }

    /// The lock of one key, shared by the copies of a request in flight.
    fn lock_for(&self, key: &str) -> Arc<Mutex<()>> {
        let mut serving = self.serving.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        serving.retain(|_, lock| lock.strong_count() > 0);
        if let Some(lock) = serving.get(key).and_then(Weak::upgrade) {
            return lock;
        }
        let lock = Arc::new(Mutex::new(()));
        serving.insert(key.to_string(), Arc::downgrade(&lock));
        lock
    }
}

pub async fn apply_once(State(once): State<Once>, request: Request, next: Next) -> Response {
    if request.method().is_safe() {
        return next.run(request).await;
    }
    let Some(value) = request.headers().get(HEADER) else {
        return next.run(request).await;
    };
    let key = match parse_key(value) {
        Ok(key) => key,
        Err(error) => return error.into_response(),
    };
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return AppError::new(
            Class::TooLarge,
            "too_large",
            Text::new("送信する内容が大きすぎます。", "The request body is too large."),
        )
        .into_response();
    };
    let fingerprint = fingerprint(&parts.method, &parts.uri, &bytes);
    let lock = once.lock_for(&key);
    let _only_copy_in_flight = lock.lock().await;
    match once::recorded(&once.db.read, &key, &fingerprint).await {
        Err(error) => {
            tracing::error!(%error, "reading an idempotency key failed");
            AppError::internal().into_response()
        }
        Ok(Recorded::OtherRequest) => key_reused().into_response(),
        Ok(Recorded::Answered(answer)) => replay(answer),
        Ok(Recorded::AppliedWithoutAnswer) => replay(Answer {
            status: 200,
            content_type: Some("application/json".into()),
            body: br#"{"already_applied":true}"#.to_vec(),
        }),
        Ok(Recorded::Unknown) => {
            let claim = Claim::new(key, fingerprint);
            let request = Request::from_parts(parts, Body::from(bytes));
            let response = once::serve_with(claim.clone(), next.run(request)).await;
            if claim.was_claimed() { remember(&once.db, &claim, response).await } else { response }
        }
    }
}

/// Stores the answer of a request that wrote, then sends it.
async fn remember(db: &Db, claim: &Claim, response: Response) -> Response {
    let (parts, body) = response.into_parts();
    let body = match to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(error) => {
            tracing::error!(%error, "an answer could not be read to store it");
            return AppError::internal().into_response();
        }
    };
    let answer = Answer {
        status: parts.status.as_u16(),
        content_type: parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string),
        body: body.to_vec(),
    };
    // The write itself is durable and its key claimed: a failure here costs a
    // replay its exact answer, never a second write.
    if let Err(error) = once::store_answer(db, claim.key(), &answer).await {
        tracing::error!(%error, "storing the answer of an idempotency key failed");
    }
    Response::from_parts(parts, Body::from(body))
}

fn replay(answer: Answer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let mut response = (status, answer.body).into_response();
    let headers = response.headers_mut();
    if let Some(value) = answer.content_type.and_then(|v| HeaderValue::from_str(&v).ok()) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(REPLAYED, HeaderValue::from_static("true"));
    response
}

/// A client-made UUID (or any 8–100 characters of letters, digits, `-` and `_`).
fn parse_key(value: &HeaderValue) -> Result<String, AppError> {
    let text = value.to_str().unwrap_or_default().trim();
    let fits =
        (8..=100).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if fits {
        Ok(text.to_string())
    } else {
        Err(AppError::new(
            Class::BadRequest,
            "invalid_idempotency_key",
            Text::new(
                "Idempotency-Key は8〜100文字の英数字・「-」「_」で指定してください。",
                "Idempotency-Key must be 8 to 100 letters, digits, '-' or '_'.",
            ),
        )
        .with_field("Idempotency-Key"))
    }
}

fn key_reused() -> AppError {
    AppError::validation(
        "Idempotency-Key",
        Text::new(
            "この Idempotency-Key は別の内容の送信に使われています。新しいキーで送ってください。",
            "This Idempotency-Key was used for a different request. Send it with a new key.",
        ),
    )
    .coded("idempotency_key_reused")
}

/// Method, path with query, and body: what makes two requests the same one.
fn fingerprint(method: &Method, uri: &Uri, body: &[u8]) -> String {
    let mut hash = Sha256::new();
    hash.update(method.as_str().as_bytes());
    hash.update(b"\n");
    hash.update(uri.path_and_query().map(|p| p.as_str()).unwrap_or("/").as_bytes());
    hash.update(b"\n");
    hash.update(body);
    crate::hex::encode(&hash.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_a_uuid_or_similar_and_nothing_else() {
        for good in ["3f2b8c1e-9d4a-4c7b-8e21-0a9f6b5d4c3e", "abcdEFGH", "desk-1_0042"] {
            assert!(parse_key(&HeaderValue::from_static(good)).is_ok(), "{good}");
        }
        for bad in ["short", "has space in it", "semi;colon;key", &"x".repeat(101)] {
            assert!(parse_key(&HeaderValue::from_str(bad).unwrap()).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_same_body_to_another_path_is_another_request() {
        let a = fingerprint(&Method::POST, &Uri::from_static("/api/checkins"), b"{}");
        let b = fingerprint(&Method::POST, &Uri::from_static("/api/checkouts"), b"{}");
        let c = fingerprint(&Method::POST, &Uri::from_static("/api/checkins"), b"{ }");
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(a, fingerprint(&Method::POST, &Uri::from_static("/api/checkins"), b"{}"));
    }
}

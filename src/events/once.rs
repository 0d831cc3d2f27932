//! A request applied once: the `Idempotency-Key` of a write is claimed inside
//! the write's own transaction (by [`super::WriteTx::commit`]), so a request
//! replayed after a Wi-Fi drop can never be applied twice, even if the process
//! dies between the commit and the answer. The answer is stored right after,
//! for replays to get the same one. This module owns `request_keys`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{Duration, SecondsFormat, Utc};
use sqlx::{SqliteConnection, SqlitePool};

use super::CommitError;
use crate::db::Db;

/// Keys are kept at least this long (the promise is 24 h).
const KEPT_FOR: Duration = Duration::days(2);

tokio::task_local! {
    /// The key of the request this task is serving, if it carried one.
    static REQUEST_KEY: Arc<Claim>;
}

/// A request's key, waiting to be claimed by the first write it commits.
#[derive(Debug)]
pub struct Claim {
    key: String,
    fingerprint: String,
    claimed: AtomicBool,
}

impl Claim {
    pub fn new(key: String, fingerprint: String) -> Arc<Claim> {
        Arc::new(Claim { key, fingerprint, claimed: AtomicBool::new(false) })
    }

    /// A write of this request was committed with the key.
    pub fn was_claimed(&self) -> bool {
        self.claimed.load(Ordering::Acquire)
    }

    pub(super) fn mark_claimed(&self) {
        self.claimed.store(true, Ordering::Release);
    }

    pub fn key(&self) -> &str {
        &self.key
    }
}

/// Runs `work` (the handler) with `claim` as the request's key.
pub async fn serve_with<F: Future>(claim: Arc<Claim>, work: F) -> F::Output {
    REQUEST_KEY.scope(claim, work).await
}

/// The key the current task's write should claim: only the request's first write.
pub(super) fn unclaimed() -> Option<Arc<Claim>> {
    REQUEST_KEY.try_with(Arc::clone).ok().filter(|claim| !claim.was_claimed())
}

/// Inside the write's transaction: a key already claimed fails the write.
pub(super) async fn claim(conn: &mut SqliteConnection, claim: &Claim) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO request_keys (key, fingerprint, claimed_at) VALUES (?, ?, ?)")
        .bind(&claim.key)
        .bind(&claim.fingerprint)
        .bind(Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true))
        .execute(conn)
        .await
        .map(|_| ())
}

/// What a key has recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    Unknown,
    /// Claimed by a request with another method, path or body.
    OtherRequest,
    /// Claimed, and the answer it got.
    Answered(Answer),
    /// Claimed by a write whose answer was never stored (the process died between).
    AppliedWithoutAnswer,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

#[derive(sqlx::FromRow)]
struct KeyRow {
    fingerprint: String,
    status: Option<i64>,
    content_type: Option<String>,
    body: Option<Vec<u8>>,
}

pub async fn recorded(read: &SqlitePool, key: &str, fingerprint: &str) -> Result<Recorded, sqlx::Error> {
    let row: Option<KeyRow> =
        sqlx::query_as("SELECT fingerprint, status, content_type, body FROM request_keys WHERE key = ?")
            .bind(key)
            .fetch_optional(read)
            .await?;
    Ok(match row {
        None => Recorded::Unknown,
        Some(row) if row.fingerprint != fingerprint => Recorded::OtherRequest,
        Some(KeyRow { status: Some(status), content_type, body, .. }) => Recorded::Answered(Answer {
            status: u16::try_from(status).unwrap_or(500),
            content_type,
            body: body.unwrap_or_default(),
        }),
        Some(_) => Recorded::AppliedWithoutAnswer,
    })
}

/// Stores the answer of a claimed key (durably: a replay after a crash gets
/// it) and forgets keys past their time.
pub async fn store_answer(db: &Db, key: &str, answer: &Answer) -> Result<(), CommitError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE request_keys SET status = ?, content_type = ?, body = ? WHERE key = ?")
        .bind(i64::from(answer.status))
        .bind(&answer.content_type)
        .bind(&answer.body)
        .bind(key)
        .execute(tx.conn())
        .await?;
    let cutoff = (Utc::now() - KEPT_FOR).to_rfc3339_opts(SecondsFormat::Secs, true);
    sqlx::query("DELETE FROM request_keys WHERE claimed_at < ?").bind(cutoff).execute(tx.conn()).await?;
    tx.commit_bookkeeping().await
}

//! Login throttling on the hub, kept in PostgreSQL (`hub_login_failures`) so
//! that every hub process counts the same attempts. The rule is the center's
//! (`auth::throttle`: its limits are reused), by mail address *and* client:
//! - `MAX_FAILURES` (5) failures for one address from one client within
//!   [`WINDOW`] refuse that address from that client, even with the right
//!   password, until the window has passed; another device still logs in;
//! - `MAX_FAILURES_PER_SOURCE` (20) failures from one client, whatever the
//!   addresses (password spraying), refuse that client;
//! - `MAX_FAILURES_PER_ACCOUNT` (50) failures for one address from all clients
//!   together refuse it to every client that has failed on it in the window,
//!   never to one that has not (nobody locks a volunteer out from afar).
//!
//! The hub faces the internet, so its window is 15 minutes where the center's
//! is 5, and a lockout lasts until the failures that caused it leave the
//! window (a sliding window: nothing to unlock). A success deletes the
//! address's failures from that client.
//!
//! An attempt is counted as a failure when it *begins* (under an advisory lock
//! on the address and one on the client, so parallel guesses, in any process,
//! cannot all slip under the limit) and the row is deleted when it succeeds.
//! Only the SHA-256 of the folded address is stored, never the address.
//!
//! The client is the TCP peer, unless the peer is one of `--trusted-proxy`:
//! then the rightmost address in `X-Forwarded-For` that is not a trusted
//! proxy ([`client_ip`]). Without it, behind a reverse proxy every login
//! would come from the proxy, and the per-client limit would refuse everyone.

use std::net::IpAddr;
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::contract::accounts::AccountLoginLocked;
use super::db::HubDb;
use super::events::{HubActor, HubTx};
use crate::auth::throttle::{MAX_FAILURES, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_SOURCE, Scope};
use crate::error::{AppError, Class};
use crate::i18n::Text;

/// How long a failure counts.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// The advisory locks' first key: this module's (the second is from the hash).
const LOCK_SPACE: i32 = 0x6875_6201;

/// One login attempt, already counted as a failure until [`Attempt::succeeded_in`].
pub struct Attempt {
    id: i64,
    key_hash: Vec<u8>,
    source: String,
    /// The lockouts this attempt starts if it fails.
    would_lock: Vec<Scope>,
}

/// Who is logging in: `peer`, or, when `peer` is a trusted proxy, the
/// rightmost `X-Forwarded-For` entry that is not one (each proxy appends the
/// address it was reached from, so entries further left are the client's
/// say). An entry that is not an address stops the walk at the peer.
pub fn client_ip(peer: IpAddr, headers: &axum::http::HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let values: Vec<&str> = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
    for entry in values.iter().rev().flat_map(|v| v.rsplit(',')) {
        match entry.trim().parse::<IpAddr>() {
            Ok(hop) if trusted.contains(&hop) => continue,
            Ok(client) => return client,
            Err(_) => return peer,
        }
    }
    peer
}

fn key_hash(email_key: &str) -> Vec<u8> {
    Sha256::digest(email_key.as_bytes()).to_vec()
}

fn lock_key(bytes: &[u8]) -> i32 {
    let digest = Sha256::digest(bytes);
    i32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
}

/// Starts an attempt for `email_key` from `source`, or refuses it (429
/// `too_many_attempts` with `Retry-After`) while a lockout covers them.
pub async fn begin(db: &HubDb, email_key: &str, source: IpAddr) -> Result<Attempt, AppError> {
    let key_hash = key_hash(email_key);
    let source = source.to_string();
    let window = WINDOW.as_secs_f64();
    let mut tx = db.pool.begin().await?;
    // Always the address's lock first, then the client's: no deadlock.
    for key in [lock_key(&key_hash), lock_key(source.as_bytes())] {
        sqlx::query("SELECT pg_advisory_xact_lock($1, $2)").bind(LOCK_SPACE).bind(key).execute(&mut *tx).await?;
    }
    sqlx::query("DELETE FROM hub_login_failures WHERE at < now() - make_interval(secs => $1)")
        .bind(window)
        .execute(&mut *tx)
        .await?;
    // For each scope: failures in the window, and when the one that would
    // have to leave for the count to drop under the limit leaves (seconds).
    let scopes: [(Scope, &str, usize); 3] = [
        (Scope::AccountFromSource, "key_hash = $1 AND source = $2", MAX_FAILURES),
        (Scope::Source, "source = $2", MAX_FAILURES_PER_SOURCE),
        (Scope::Account, "key_hash = $1", MAX_FAILURES_PER_ACCOUNT),
    ];
    let mut counts = Vec::new();
    let mut wait: Option<u64> = None;
    for (scope, filter, limit) in scopes {
        let (count, frees_in): (i64, Option<f64>) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT (SELECT count(*) FROM hub_login_failures WHERE {filter}),
                    (SELECT extract(epoch FROM at + make_interval(secs => $3) - now())::float8
                       FROM hub_login_failures WHERE {filter} ORDER BY at DESC OFFSET $4 LIMIT 1)"
        )))
        .bind(&key_hash)
        .bind(&source)
        .bind(window)
        .bind(limit as i64 - 1)
        .fetch_one(&mut *tx)
        .await?;
        counts.push((scope, count, limit));
        // The account-wide lockout covers only clients failing on it themselves.
        let applies = scope != Scope::Account || counts[0].1 > 0;
        if count as usize >= limit && applies {
            let seconds = frees_in.unwrap_or(1.0).ceil().max(1.0) as u64;
            wait = Some(wait.map_or(seconds, |w| w.max(seconds)));
        }
    }
    if let Some(seconds) = wait {
        return Err(too_many_attempts(seconds));
    }
    let id: i64 = sqlx::query_scalar("INSERT INTO hub_login_failures (key_hash, source) VALUES ($1, $2) RETURNING id")
        .bind(&key_hash)
        .bind(&source)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    let would_lock = counts
        .into_iter()
        .filter(|(_, count, limit)| *count as usize + 1 == *limit)
        .map(|(scope, _, _)| scope)
        .collect();
    Ok(Attempt { id, key_hash, source, would_lock })
}

impl Attempt {
    /// A wrong password: the attempt stays counted; a lockout it starts is
    /// an event (`account.login_locked`).
    pub async fn failed(self, db: &HubDb, account_id: Option<i64>) {
        if self.would_lock.is_empty() {
            return;
        }
        let write = async {
            let mut tx = HubTx::begin(db).await?;
            for scope in &self.would_lock {
                let event =
                    AccountLoginLocked { account_id, scope: scope.as_str().into(), minutes: WINDOW.as_secs() / 60 };
                tx.append(&HubActor::public(), account_id.map(|id| format!("account:{id}")), &event).await?;
            }
            tx.commit().await.map(|_| ())
        };
        let result: Result<(), super::events::HubCommitError> = write.await;
        if let Err(error) = result {
            tracing::error!(%error, "recording a hub login lockout failed");
        }
    }

    /// The right password: the address's failures from this client are
    /// forgotten, in the login's transaction (as at the center: a login
    /// elsewhere lifts no lockout of a client that was guessing).
    pub async fn succeeded_in(self, tx: &mut HubTx) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM hub_login_failures WHERE (key_hash = $1 AND source = $2) OR id = $3")
            .bind(&self.key_hash)
            .bind(&self.source)
            .bind(self.id)
            .execute(tx.conn())
            .await?;
        Ok(())
    }
}

/// 429 `too_many_attempts`, saying when to try again, with `Retry-After`.
fn too_many_attempts(wait: u64) -> AppError {
    let minutes = wait.div_ceil(60);
    let mut error = AppError::new(
        Class::TooMany,
        "too_many_attempts",
        Text::new(
            format!(
                "ログインの失敗が続いたため、しばらくログインできません。{minutes}分ほど待ってからお試しください。"
            ),
            format!("Too many failed logins. Try again in about {minutes} minutes."),
        ),
    );
    error.retry_after = Some(wait);
    error
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append("x-forwarded-for", value.parse().unwrap());
        }
        headers
    }

    #[test]
    fn the_client_is_the_peer_unless_a_trusted_proxy_names_it() {
        let proxy = ip("127.0.0.1");
        let trusted = [proxy, ip("10.0.0.2")];
        let headers = forwarded(&["198.51.100.9, 203.0.113.5"]);
        assert_eq!(client_ip(ip("192.0.2.1"), &headers, &trusted), ip("192.0.2.1"), "an untrusted peer says nothing");
        assert_eq!(client_ip(proxy, &headers, &[]), proxy, "no proxy trusted");
        // The rightmost entry is what the proxy saw; what the client wrote to the left is not believed.
        assert_eq!(client_ip(proxy, &headers, &trusted), ip("203.0.113.5"));
        // Chained trusted proxies are skipped, over several headers too.
        let chained = forwarded(&["203.0.113.5", "10.0.0.2"]);
        assert_eq!(client_ip(proxy, &chained, &trusted), ip("203.0.113.5"));
        assert_eq!(client_ip(proxy, &forwarded(&["203.0.113.5, junk"]), &trusted), proxy);
        assert_eq!(client_ip(proxy, &HeaderMap::new(), &trusted), proxy);
    }
}

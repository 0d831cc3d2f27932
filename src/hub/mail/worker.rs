//! The outbox worker, one per hub process (several senders each).
//!
//! A sender claims one due message `FOR UPDATE SKIP LOCKED` and keeps the row
//! locked while it sends, then records the outcome and commits (events
//! `mail.sent`, `mail.deferred`, `mail.failed`). So a message is never taken by
//! two senders at once, in one process or two; a process killed mid-send
//! loses its lock with its connection, and the message is sent again by
//! whoever looks next. The one window where a message could go twice is
//! between the SMTP server's "250 OK" and our COMMIT (milliseconds); the copy
//! then carries the same Message-ID, by which mail programs drop duplicates.
//! With `--mail-dir` the file is named by its id, so there is one per id.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast::error::RecvError;

use super::transport::{Outgoing, SendError, Transport};
use crate::hub::config::MailConfig;
use crate::hub::contract::mail::{MailDeferred, MailFailed, MailSent};
use crate::hub::db::HubDb;
use crate::hub::events::{HubActor, HubTx};
use crate::hub::notify::{Notice, Notices};

/// Senders per process: each holds one connection while it sends.
const SENDERS: usize = 4;

/// Starts the senders; they run until aborted.
pub fn start(db: HubDb, config: MailConfig, notices: &Notices) -> Result<Vec<tokio::task::JoinHandle<()>>, String> {
    let transport = Arc::new(Transport::new(&config.transport)?);
    let config = Arc::new(config);
    Ok((0..SENDERS)
        .map(|_| {
            let (db, config, transport, mut wake) =
                (db.clone(), config.clone(), transport.clone(), notices.subscribe());
            tokio::spawn(async move {
                loop {
                    loop {
                        match send_one(&db, &config, &transport).await {
                            Ok(true) => continue,
                            Ok(false) => break,
                            Err(error) => {
                                tracing::warn!(%error, "outbox: database error");
                                tokio::time::sleep(Duration::from_secs(1)).await;
                                break;
                            }
                        }
                    }
                    // A queued mail, a timer for retries, or a lost listener: look again.
                    let _ = tokio::time::timeout(config.poll_every, async {
                        loop {
                            match wake.recv().await {
                                Ok(Notice::Mail { .. } | Notice::Reconnected) | Err(RecvError::Lagged(_)) => return,
                                Ok(Notice::Event { .. }) => continue,
                                Err(RecvError::Closed) => std::future::pending::<()>().await,
                            }
                        }
                    })
                    .await;
                }
            })
        })
        .collect())
}

/// Sends the oldest due message, if any; whether there was one.
pub async fn send_one(db: &HubDb, config: &MailConfig, transport: &Transport) -> Result<bool, sqlx::Error> {
    let mut tx = HubTx::begin(db).await?;
    type Row = (i64, String, String, Option<String>, String, String, serde_json::Value, i32);
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, message_id, kind, to_addr, subject, body_text, inline_parts, attempts FROM hub_outbox
          WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
          ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED",
    )
    .fetch_optional(tx.conn())
    .await?;
    let Some((id, message_id, kind, to, subject, text, inline, attempts)) = row else {
        return Ok(false);
    };
    let attempts = attempts + 1;
    let outcome = match to {
        None => Err(SendError { permanent: true, text: "no address (the account was deleted)".into() }),
        Some(to) => {
            let inline = serde_json::from_value(inline).unwrap_or_default();
            transport.send(&config.from, &Outgoing { message_id: message_id.clone(), to, subject, text, inline }).await
        }
    };
    let subject = Some(format!("mail:{id}"));
    let actor = HubActor::mail();
    match outcome {
        Ok(()) => {
            sqlx::query("UPDATE hub_outbox SET sent_at = now(), attempts = $2, last_error = NULL WHERE id = $1")
                .bind(id)
                .bind(attempts)
                .execute(tx.conn())
                .await?;
            let event = MailSent { outbox_id: id, message_id, message_kind: kind, attempts };
            tx.append(&actor, subject, &event).await?;
        }
        Err(error) if error.permanent || attempts >= config.max_attempts => {
            tracing::warn!(outbox_id = id, error = %error.text, "mail given up");
            sqlx::query("UPDATE hub_outbox SET failed_at = now(), attempts = $2, last_error = $3 WHERE id = $1")
                .bind(id)
                .bind(attempts)
                .bind(&error.text)
                .execute(tx.conn())
                .await?;
            let event = MailFailed {
                outbox_id: id,
                message_id,
                message_kind: kind,
                attempts,
                error: without_addresses(&error.text),
            };
            tx.append(&actor, subject, &event).await?;
        }
        Err(error) => {
            let wait = backoff(config, attempts);
            tracing::info!(outbox_id = id, error = %error.text, ?wait, "mail deferred");
            sqlx::query(
                "UPDATE hub_outbox SET attempts = $2, last_error = $3,
                        next_attempt_at = now() + make_interval(secs => $4) WHERE id = $1",
            )
            .bind(id)
            .bind(attempts)
            .bind(&error.text)
            .bind(wait.as_secs_f64())
            .execute(tx.conn())
            .await?;
            let event = MailDeferred {
                outbox_id: id,
                message_id,
                message_kind: kind,
                attempts,
                retry_in_seconds: wait.as_secs(),
                error: without_addresses(&error.text),
            };
            tx.append(&actor, subject, &event).await?;
        }
    }
    tx.commit().await.map_err(|e| match e {
        crate::hub::events::HubCommitError::Database(e) => e,
        other => sqlx::Error::Protocol(other.to_string()),
    })?;
    Ok(true)
}

/// An SMTP error for the log: servers echo the recipient (`550 <x@y> unknown`),
/// and events carry no addresses.
fn without_addresses(text: &str) -> String {
    let kept: Vec<&str> = text.split_whitespace().filter(|word| !word.contains('@')).collect();
    kept.join(" ").chars().take(200).collect()
}

/// `retry_base · 2^(attempts-1)`, at most `retry_max`.
pub fn backoff(config: &MailConfig, attempts: i32) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1)).unwrap_or(0).min(20);
    config.retry_base.saturating_mul(1 << doublings).min(config.retry_max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::config::MailTransport;

    #[test]
    fn retries_wait_twice_as_long_each_time_up_to_the_cap() {
        let config = MailConfig::new("a@b.jp".into(), MailTransport::Dir("/nonexistent".into()));
        assert_eq!(backoff(&config, 1), Duration::from_secs(30));
        assert_eq!(backoff(&config, 2), Duration::from_secs(60));
        assert_eq!(backoff(&config, 4), Duration::from_secs(240));
        assert_eq!(backoff(&config, 30), Duration::from_secs(3600));
    }

    #[test]
    fn logged_errors_lose_the_addresses_servers_echo() {
        assert_eq!(without_addresses("550 5.1.1 <taro@example.jp>: unknown user"), "550 5.1.1 unknown user");
    }
}

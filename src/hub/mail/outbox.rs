//! The outbox (`hub_outbox`): messages written in the transaction of the
//! change that causes them.
//!
//! Each message has a `message_key` in the hub's own terms (`verify-12-1`,
//! `booked-345`); queuing the same key again stores nothing, so a command may
//! be retried freely. Its Message-ID is made once, at queuing, and is what the
//! recipient's mail program sees.

use base64::Engine;
use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::hub::events::HubTx;

/// One message to queue.
#[derive(Clone, Debug)]
pub struct Mail {
    /// Unique in the hub's terms: the same key is queued once.
    pub message_key: String,
    /// `verification`, `booked`, `waitlisted`, `promoted`, `cancelled`, `day_cancelled`, `reminder`.
    pub kind: &'static str,
    /// The account it is about (deleting the account clears the address).
    pub account_id: Option<i64>,
    pub to: String,
    pub subject: String,
    /// Plain text, in the recipient's language.
    pub text: String,
    /// Images shown with the text (a booking's QR).
    pub inline: Vec<InlinePart>,
}

/// An inline image, `cid:` referenced.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct InlinePart {
    pub cid: String,
    pub content_type: String,
    pub base64: String,
}

impl InlinePart {
    pub fn png(cid: &str, bytes: &[u8]) -> InlinePart {
        InlinePart {
            cid: cid.into(),
            content_type: "image/png".into(),
            base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        }
    }
}

/// Queues `mail` in the caller's transaction; its outbox id, or `None` when a
/// message with this key is already queued. `domain` ends the Message-ID (the
/// `From:` address's domain).
pub async fn enqueue(tx: &mut HubTx, mail: &Mail, domain: &str) -> Result<Option<i64>, sqlx::Error> {
    let inline = serde_json::to_value(&mail.inline).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query_scalar(
        "INSERT INTO hub_outbox (message_key, message_id, kind, account_id, to_addr, subject, body_text, inline_parts)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (message_key) DO NOTHING RETURNING id",
    )
    .bind(&mail.message_key)
    .bind(message_id(&mail.message_key, domain))
    .bind(mail.kind)
    .bind(mail.account_id)
    .bind(&mail.to)
    .bind(&mail.subject)
    .bind(&mail.text)
    .bind(inline)
    .fetch_optional(tx.conn())
    .await
}

/// `<key>.<random>@<domain>`, without the angle brackets: unique even when a
/// hub starts over on a new database and reuses its keys.
fn message_id(key: &str, domain: &str) -> String {
    let mut salt = [0u8; 6];
    rand::rng().fill_bytes(&mut salt);
    let key: String = key.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    format!("{key}.{}@{domain}", crate::hex::encode(&salt))
}

/// The domain of a `From:` value such as `borasen <noreply@hub.example.jp>`.
pub fn domain_of(from: &str) -> String {
    let address = from.rsplit_once('<').map_or(from, |(_, rest)| rest.trim_end_matches('>'));
    address.rsplit_once('@').map_or("localhost", |(_, domain)| domain.trim()).to_string()
}

/// Clears the address and the text of every message about `account_id` (its
/// deletion): sent ones keep their id, kind and time for the counts; unsent
/// ones are dropped, since they could no longer be delivered.
pub async fn forget_account(tx: &mut HubTx, account_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM hub_outbox WHERE account_id = $1 AND sent_at IS NULL AND failed_at IS NULL")
        .bind(account_id)
        .execute(tx.conn())
        .await?;
    sqlx::query(
        "UPDATE hub_outbox SET to_addr = NULL, subject = '', body_text = '', inline_parts = '[]', last_error = NULL
          WHERE account_id = $1",
    )
    .bind(account_id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_are_unique_and_end_with_the_senders_domain() {
        let (a, b) = (message_id("booked-3", "hub.example.jp"), message_id("booked-3", "hub.example.jp"));
        assert_ne!(a, b);
        assert!(a.starts_with("booked-3.") && a.ends_with("@hub.example.jp"), "{a}");
        assert_eq!(domain_of("borasen <noreply@hub.example.jp>"), "hub.example.jp");
        assert_eq!(domain_of("noreply@x.jp"), "x.jp");
        assert_eq!(domain_of("nobody"), "localhost");
    }
}

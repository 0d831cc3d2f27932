//! Resetting a forgotten password by mail. Asking (`ask`) always answers the
//! same, whether or not an account has the address: a link is mailed only to
//! an existing account (at most [`LINKS_PER_HOUR`] an hour), through the
//! outbox in the same transaction, its token kept as SHA-256, good for an hour
//! and once. Setting (`confirm`) takes the token and a new password (the
//! registration's rules), ends every session of the account and appends
//! `account.password_reset`.

use rand::RngCore;

use crate::auth::password;
use crate::error::{AppError, Class};
use crate::hub::contract::accounts::{AccountPasswordReset, AccountPasswordResetSent};
use crate::hub::events::{HubActor, HubTx};
use crate::hub::mail::{self, Mail, outbox::domain_of};
use crate::hub::sessions::{self, email_key, token_hash};
use crate::hub::state::HubState;
use crate::i18n::{Lang, Text, word, word_with};

/// Reset links mailed to one account in an hour, at most; more asks are
/// answered the same and mail nothing.
pub const LINKS_PER_HOUR: i64 = 3;

/// Mails a reset link when an account has `email`; the same `Ok` either way.
/// `lang` is the asker's, used unless the volunteer chose a language.
pub async fn ask(state: &HubState, email: &str, lang: Lang) -> Result<(), AppError> {
    let email = super::email_address("email", email)?;
    let mut tx = HubTx::begin(&state.db).await?;
    // The account's row is locked so parallel asks count each other's links.
    let found: Option<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT a.id, a.email, v.lang FROM hub_accounts a LEFT JOIN hub_volunteers v ON v.account_id = a.id
          WHERE a.email_key = $1 AND a.deleted_at IS NULL FOR UPDATE OF a",
    )
    .bind(email_key(&email))
    .fetch_optional(tx.conn())
    .await?;
    let Some((account_id, to, chosen)) = found else {
        return Ok(());
    };
    let (recent, sent): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE created_at > now() - interval '1 hour'), count(*)
           FROM hub_password_resets WHERE account_id = $1",
    )
    .bind(account_id)
    .fetch_one(tx.conn())
    .await?;
    if recent >= LINKS_PER_HOUR {
        tracing::warn!(account_id, "password reset asked too often; no mail");
        return Ok(());
    }
    let lang = match chosen.as_deref() {
        Some("en") => Lang::En,
        Some(_) => Lang::Ja,
        None => lang,
    };
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = crate::hex::encode(&bytes);
    sqlx::query(
        "INSERT INTO hub_password_resets (token_hash, account_id, expires_at) VALUES ($1, $2, now() + interval '1 hour')",
    )
    .bind(token_hash(&token))
    .bind(account_id)
    .execute(tx.conn())
    .await?;
    let link = format!("{}/reset/confirm?token={token}&lang={}", state.public_url, lang.code());
    let message = Mail {
        message_key: format!("reset-{account_id}-{}", sent + 1),
        kind: "password_reset",
        account_id: Some(account_id),
        to,
        subject: word(lang, "hub.mail.reset.subject").into_owned(),
        text: word_with(lang, "hub.mail.reset.body", &[("link", &link)]),
        inline: Vec::new(),
    };
    mail::enqueue(&mut tx, &message, &domain_of(&state.config.mail.from)).await?;
    let event = AccountPasswordResetSent { account_id };
    tx.append(&HubActor::public(), Some(format!("account:{account_id}")), &event).await?;
    tx.commit().await?;
    Ok(())
}

fn refused(code: &'static str, ja: &'static str, en: &'static str) -> AppError {
    AppError::new(Class::Invalid, code, Text::new(ja, en)).with_field("token")
}

/// Sets the password of the account `token` names and ends its sessions;
/// refused (nothing changed) for a wrong, used or expired token, or a
/// password outside the rules.
pub async fn confirm(state: &HubState, token: &str, new_password: &str) -> Result<i64, AppError> {
    let new_password = super::new_password("new_password", new_password)?;
    let wrong = || {
        refused(
            "bad_reset_link",
            "このリンクは正しくありません。メールのリンクをそのまま開くか、もう一度お申し込みください。",
            "This link is not right. Open the mailed link as it is, or ask for a new one.",
        )
    };
    if token.is_empty() || token.len() > 128 {
        return Err(wrong());
    }
    // Hashing is slow: before the transaction.
    let hash = password::hash_blocking(new_password).await;
    let mut tx = HubTx::begin(&state.db).await?;
    let found: Option<(i64, bool, bool, bool)> = sqlx::query_as(
        "SELECT r.account_id, r.used_at IS NOT NULL, r.expires_at <= now(), a.deleted_at IS NOT NULL
           FROM hub_password_resets r JOIN hub_accounts a ON a.id = r.account_id
          WHERE r.token_hash = $1 FOR UPDATE OF r, a",
    )
    .bind(token_hash(token))
    .fetch_optional(tx.conn())
    .await?;
    let account_id = match found {
        None | Some((_, _, _, true)) => return Err(wrong()),
        Some((_, true, _, _)) => {
            return Err(refused(
                "reset_link_used",
                "このリンクは使用済みです。パスワードをもう一度変えるには、新しいリンクをお申し込みください。",
                "This link has been used already. To change the password again, ask for a new link.",
            ));
        }
        Some((_, _, true, _)) => {
            return Err(refused(
                "reset_link_expired",
                "このリンクは有効期限（1時間）を過ぎています。もう一度お申し込みください。",
                "This link has expired (it is valid for an hour). Please ask for a new one.",
            ));
        }
        Some((account_id, false, false, false)) => account_id,
    };
    // This link, and every other one still out for the account, are spent.
    sqlx::query("UPDATE hub_password_resets SET used_at = now() WHERE account_id = $1 AND used_at IS NULL")
        .bind(account_id)
        .execute(tx.conn())
        .await?;
    sqlx::query("UPDATE hub_accounts SET password_hash = $2 WHERE id = $1")
        .bind(account_id)
        .bind(hash)
        .execute(tx.conn())
        .await?;
    let sessions_ended = sessions::end_all_in(&mut tx, account_id).await?;
    let event = AccountPasswordReset { account_id, sessions_ended };
    tx.append(&HubActor::account(account_id), Some(format!("account:{account_id}")), &event).await?;
    tx.commit().await?;
    Ok(account_id)
}

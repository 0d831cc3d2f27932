//! Verifying an address: a random token mailed as a link
//! (`{public_url}/verify?token=…`), kept as its SHA-256, good for 7 days and
//! once. Opening it marks the account verified (event `account.verified`).

use rand::RngCore;

use crate::error::{AppError, Class};
use crate::hub::contract::volunteers::{AccountVerificationSent, AccountVerified};
use crate::hub::events::{HubActor, HubTx};
use crate::hub::mail::{self, Mail, outbox::domain_of};
use crate::hub::sessions::token_hash;
use crate::hub::state::HubState;
use crate::i18n::{Lang, Text, word, word_with};

/// Links mailed to one account in the last hour, at most.
const RESENDS_PER_HOUR: i64 = 3;

/// Makes a token and queues its mail, in the caller's transaction.
pub async fn mail_link(
    tx: &mut HubTx,
    state: &HubState,
    account_id: i64,
    email: &str,
    lang: Lang,
    actor: &HubActor,
) -> Result<(), AppError> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = crate::hex::encode(&bytes);
    sqlx::query(
        "INSERT INTO hub_verifications (token_hash, account_id, expires_at) VALUES ($1, $2, now() + interval '7 days')",
    )
    .bind(token_hash(&token))
    .bind(account_id)
    .execute(tx.conn())
    .await?;
    let sent: i64 = sqlx::query_scalar("SELECT count(*) FROM hub_verifications WHERE account_id = $1")
        .bind(account_id)
        .fetch_one(tx.conn())
        .await?;
    let link = format!("{}/verify?token={token}&lang={}", state.public_url, lang.code());
    let message = Mail {
        message_key: format!("verify-{account_id}-{sent}"),
        kind: "verification",
        account_id: Some(account_id),
        to: email.to_string(),
        subject: word(lang, "hub.mail.verify.subject").into_owned(),
        text: word_with(lang, "hub.mail.verify.body", &[("link", &link)]),
        inline: Vec::new(),
    };
    mail::enqueue(tx, &message, &domain_of(&state.config.mail.from)).await?;
    tx.append(actor, Some(format!("account:{account_id}")), &AccountVerificationSent { account_id }).await?;
    Ok(())
}

/// Mails a new link to a volunteer not yet verified.
pub async fn resend(state: &HubState, account_id: i64) -> Result<(), AppError> {
    let mut tx = HubTx::begin(&state.db).await?;
    let row: Option<(Option<String>, bool, String)> = sqlx::query_as(
        "SELECT a.email, a.verified_at IS NOT NULL, v.lang FROM hub_accounts a
           JOIN hub_volunteers v ON v.account_id = a.id WHERE a.id = $1 FOR UPDATE OF a",
    )
    .bind(account_id)
    .fetch_optional(tx.conn())
    .await?;
    let Some((Some(email), verified, lang)) = row else {
        return Err(AppError::not_found(Text::new("アカウントがありません。", "No such account.")));
    };
    if verified {
        return Err(AppError::conflict(Text::new(
            "メールアドレスは確認済みです。",
            "Your mail address is already verified.",
        ))
        .coded("already_verified"));
    }
    let recent: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM hub_verifications WHERE account_id = $1 AND created_at > now() - interval '1 hour'",
    )
    .bind(account_id)
    .fetch_one(tx.conn())
    .await?;
    if recent >= RESENDS_PER_HOUR {
        let mut refused = AppError::new(
            Class::TooMany,
            "too_many_links",
            Text::new(
                "確認メールの再送は1時間に3回までです。しばらくしてからお試しください。",
                "At most 3 verification mails an hour. Please try again later.",
            ),
        );
        refused.retry_after = Some(3600);
        return Err(refused);
    }
    let lang = if lang == "en" { Lang::En } else { Lang::Ja };
    mail_link(&mut tx, state, account_id, &email, lang, &HubActor::account(account_id)).await?;
    tx.commit().await?;
    Ok(())
}

/// Verifies the account the token names; refused when unknown, used or expired.
pub async fn verify(state: &HubState, token: &str) -> Result<i64, AppError> {
    let refused = || {
        AppError::new(
            Class::Invalid,
            "bad_verification_link",
            Text::new(
                "この確認リンクは使えません（期限切れ・使用済み・誤り）。ログインして確認メールを再送してください。",
                "This verification link cannot be used (expired, used or wrong). Log in and ask for a new one.",
            ),
        )
        .with_field("token")
    };
    if token.is_empty() || token.len() > 128 {
        return Err(refused());
    }
    let mut tx = HubTx::begin(&state.db).await?;
    let account_id: Option<i64> = sqlx::query_scalar(
        "UPDATE hub_verifications SET used_at = now()
          WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING account_id",
    )
    .bind(token_hash(token))
    .fetch_optional(tx.conn())
    .await?;
    let Some(account_id) = account_id else {
        return Err(refused());
    };
    let newly: Option<i64> = sqlx::query_scalar(
        "UPDATE hub_accounts SET verified_at = now() WHERE id = $1 AND verified_at IS NULL AND deleted_at IS NULL
         RETURNING id",
    )
    .bind(account_id)
    .fetch_optional(tx.conn())
    .await?;
    if newly.is_none() {
        // Verified already by another link: nothing to record.
        return Ok(account_id);
    }
    tx.append(&HubActor::account(account_id), Some(format!("account:{account_id}")), &AccountVerified { account_id })
        .await?;
    tx.commit().await?;
    Ok(account_id)
}

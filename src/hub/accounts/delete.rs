//! Self-service deletion (個人情報保護法: a person may have their data erased).
//! One transaction: the profile row is deleted; the account row keeps its id,
//! role and dates with the address and password cleared; sessions and
//! verification links end; mail about the account loses its address and text
//! (unsent mail is dropped). The log already holds only ids and categories,
//! so the counts (registrations, 県内/県外, groups' head counts) remain.

use crate::auth::password;
use crate::error::{AppError, Class};
use crate::hub::contract::volunteers::AccountDeleted;
use crate::hub::events::{HubActor, HubTx};
use crate::hub::mail::outbox;
use crate::hub::sessions;
use crate::hub::state::HubState;
use crate::i18n::Text;

/// Deletes the volunteer's personal data, after checking their password again.
pub async fn delete(state: &HubState, account_id: i64, given: &str) -> Result<(), AppError> {
    let stored: Option<(Option<String>, String)> =
        sqlx::query_as("SELECT password_hash, role FROM hub_accounts WHERE id = $1 AND deleted_at IS NULL")
            .bind(account_id)
            .fetch_optional(&state.db.pool)
            .await?;
    let Some((Some(hash), role)) = stored else {
        return Err(AppError::unauthenticated());
    };
    if !password::verify_blocking(given.to_string(), hash).await {
        return Err(AppError::new(
            Class::Invalid,
            "bad_password",
            Text::new("パスワードが違います。", "Wrong password."),
        )
        .with_field("password"));
    }
    let mut tx = HubTx::begin(&state.db).await?;
    sqlx::query("DELETE FROM hub_volunteers WHERE account_id = $1").bind(account_id).execute(tx.conn()).await?;
    sqlx::query("DELETE FROM hub_verifications WHERE account_id = $1").bind(account_id).execute(tx.conn()).await?;
    sqlx::query(
        "UPDATE hub_accounts SET email = NULL, email_key = NULL, password_hash = NULL, deleted_at = now() WHERE id = $1",
    )
    .bind(account_id)
    .execute(tx.conn())
    .await?;
    outbox::forget_account(&mut tx, account_id).await?;
    let sessions_ended = sessions::end_all_in(&mut tx, account_id).await?;
    let event = AccountDeleted { account_id, role, sessions_ended };
    tx.append(&HubActor::account(account_id), Some(format!("account:{account_id}")), &event).await?;
    tx.commit().await?;
    Ok(())
}

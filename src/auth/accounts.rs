//! An admin's care of staff accounts beyond making them: a new password,
//! disabling an account (its sessions end at once; login and every session
//! check already pass over disabled accounts), and enabling it again (a
//! helper disabled by mistake, or back for another week). Events
//! `user.password_reset`, `user.disabled`, `user.enabled`. An admin cannot
//! disable themself, so an admin is always left.

use serde::Deserialize;

use super::users::MIN_PASSWORD_CHARS;
use super::{User, password};
use crate::clock::Clock;
use crate::db::Db;
use crate::error::AppError;
use crate::events::contract::auth::{UserDisabled, UserEnabled, UserPasswordReset};
use crate::events::{Actor, WriteTx};
use crate::i18n::Text;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewPassword {
    /// At least 8 characters.
    #[schema(required = true, min_length = 8, example = "kasa-2026-ame")]
    pub password: String,
}

fn no_such_user() -> AppError {
    AppError::not_found(Text::new("該当する利用者がいません（無効にした利用者を含む）。", "No such (enabled) user."))
}

/// An enabled account's username.
async fn enabled(tx: &mut WriteTx, id: i64) -> Result<String, AppError> {
    let username: Option<String> =
        sqlx::query_scalar("SELECT username FROM users WHERE id = ? AND disabled_at IS NULL")
            .bind(id)
            .fetch_optional(tx.conn())
            .await?;
    username.ok_or_else(no_such_user)
}

async fn end_sessions(tx: &mut WriteTx, id: i64) -> Result<u64, AppError> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = ?").bind(id).execute(tx.conn()).await?.rows_affected())
}

/// Sets a new password; the account's sessions end unless it is the admin's own.
pub async fn reset_password(db: &Db, clock: &Clock, admin: &User, id: i64, new: NewPassword) -> Result<(), AppError> {
    if new.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::validation(
            "password",
            Text::new(
                format!("パスワードは{MIN_PASSWORD_CHARS}文字以上にしてください。"),
                format!("A password has at least {MIN_PASSWORD_CHARS} characters."),
            ),
        ));
    }
    // Hashed before the writer is taken: argon2 is slow on purpose.
    let hash = password::hash_blocking(new.password).await;
    let mut tx = db.begin_write().await?;
    let username = enabled(&mut tx, id).await?;
    sqlx::query("UPDATE users SET password_hash = ? WHERE id = ?").bind(&hash).bind(id).execute(tx.conn()).await?;
    let sessions_ended = if id == admin.id { 0 } else { end_sessions(&mut tx, id).await? };
    let reset = UserPasswordReset { id, username, sessions_ended };
    tx.append(clock, &Actor::user(&admin.username), Some(format!("user:{id}")), &reset).await?;
    tx.commit().await?;
    Ok(())
}

/// Disables an account: it cannot log in, and its sessions end now.
pub async fn disable(db: &Db, clock: &Clock, admin: &User, id: i64) -> Result<(), AppError> {
    if id == admin.id {
        return Err(AppError::conflict(Text::new(
            "自分自身は無効にできません。別の管理者に依頼してください。",
            "You cannot disable your own account; ask another admin.",
        ))
        .coded("disable_self"));
    }
    let mut tx = db.begin_write().await?;
    // The acting admin stays enabled, so an admin is always left.
    let username = enabled(&mut tx, id).await?;
    sqlx::query("UPDATE users SET disabled_at = ? WHERE id = ?")
        .bind(crate::clock::stamp(clock.now()))
        .bind(id)
        .execute(tx.conn())
        .await?;
    let sessions_ended = end_sessions(&mut tx, id).await?;
    let disabled = UserDisabled { id, username, sessions_ended };
    tx.append(clock, &Actor::user(&admin.username), Some(format!("user:{id}")), &disabled).await?;
    tx.commit().await?;
    Ok(())
}

/// Enables a disabled account again, with the password it had (an admin may set a new one after).
pub async fn enable(db: &Db, clock: &Clock, admin: &User, id: i64) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let found: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT username, disabled_at FROM users WHERE id = ?")
            .bind(id)
            .fetch_optional(tx.conn())
            .await?;
    let username = match found {
        None => return Err(AppError::not_found(Text::new("該当する利用者がいません。", "No such user."))),
        Some((username, None)) => {
            return Err(AppError::conflict(Text::new(
                format!("{username} はすでに有効です。"),
                format!("{username} is already enabled."),
            ))
            .coded("already_enabled"));
        }
        Some((username, Some(_))) => username,
    };
    sqlx::query("UPDATE users SET disabled_at = NULL WHERE id = ?").bind(id).execute(tx.conn()).await?;
    tx.append(clock, &Actor::user(&admin.username), Some(format!("user:{id}")), &UserEnabled { id, username }).await?;
    tx.commit().await?;
    Ok(())
}

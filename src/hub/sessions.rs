//! Logins on the hub: `hub_sessions` in PostgreSQL, so any hub process answers
//! any request. The browser holds a random token in an HttpOnly,
//! SameSite=Strict cookie; the table holds only its SHA-256. A process keeps
//! no session in memory: a logout or a deleted account ends the session
//! everywhere at once.

use std::net::IpAddr;
use std::time::Duration;

use axum::http::HeaderMap;
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::contract::accounts::{AccountLoggedIn, AccountLoggedOut};
use super::db::HubDb;
use super::events::{HubActor, HubTx};
use super::roles::HubRole;
use super::throttle;
use crate::auth::password;
use crate::error::{AppError, Class};
use crate::i18n::Text;

pub const COOKIE_NAME: &str = "borasen_hub_session";

/// The account behind a live session.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
#[schema(as = HubSessionAccount)]
pub struct SessionAccount {
    pub id: i64,
    pub role: HubRole,
    /// A center staff account's center.
    pub center_id: Option<i64>,
    /// The mail address was confirmed by its link.
    pub verified: bool,
}

/// Bearer-free: the cookie only.
pub fn token_from(headers: &HeaderMap) -> Option<String> {
    crate::i18n::cookie(headers, COOKIE_NAME).filter(|t| !t.is_empty() && t.len() <= 128).map(str::to_string)
}

pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    crate::hex::encode(&bytes)
}

/// The folded form of an address, for comparing and uniqueness.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The account of a live session, if the token names one.
pub async fn account_for(db: &HubDb, token: &str) -> Result<Option<SessionAccount>, sqlx::Error> {
    let row: Option<(i64, String, Option<i64>, bool)> = sqlx::query_as(
        "SELECT a.id, a.role, a.center_id, a.verified_at IS NOT NULL
           FROM hub_sessions s JOIN hub_accounts a ON a.id = s.account_id
          WHERE s.token_hash = $1 AND s.expires_at > now() AND a.deleted_at IS NULL",
    )
    .bind(token_hash(token))
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.and_then(|(id, role, center_id, verified)| {
        Some(SessionAccount { id, role: HubRole::parse(&role)?, center_id, verified })
    }))
}

pub struct LoggedIn {
    pub account: SessionAccount,
    /// The raw token for the cookie; never stored.
    pub token: String,
}

/// Checks the throttle (`hub::throttle`) and the password, then opens a
/// session (event `account.logged_in`). An unknown address costs the same
/// hashing time as a wrong password, and is throttled the same.
pub async fn login(db: &HubDb, ttl: Duration, email: &str, given: &str, source: IpAddr) -> Result<LoggedIn, AppError> {
    let attempt = throttle::begin(db, &email_key(email), source).await?;
    let row: Option<(i64, String, Option<i64>, bool, String)> = sqlx::query_as(
        "SELECT id, role, center_id, verified_at IS NOT NULL, password_hash FROM hub_accounts
          WHERE email_key = $1 AND deleted_at IS NULL",
    )
    .bind(email_key(email))
    .fetch_optional(&db.pool)
    .await?;
    let stored = row.as_ref().map_or_else(|| dummy_hash().to_string(), |r| r.4.clone());
    let ok = password::verify_blocking(given.to_string(), stored).await;
    let Some((id, role, center_id, verified, _)) = row.clone().filter(|_| ok) else {
        attempt.failed(db, row.map(|r| r.0)).await;
        return Err(AppError::new(
            Class::Unauthenticated,
            "bad_credentials",
            Text::new("メールアドレスまたはパスワードが違います。", "Wrong mail address or password."),
        ));
    };
    let role = HubRole::parse(&role).ok_or_else(AppError::internal)?;
    let token = new_token();
    let mut tx = HubTx::begin(db).await?;
    attempt.succeeded_in(&mut tx).await?;
    // Expired sessions are swept where a write happens anyway.
    sqlx::query("DELETE FROM hub_sessions WHERE expires_at <= now()").execute(tx.conn()).await?;
    sqlx::query(
        "INSERT INTO hub_sessions (token_hash, account_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))",
    )
    .bind(token_hash(&token))
    .bind(id)
    .bind(ttl.as_secs_f64())
    .execute(tx.conn())
    .await?;
    // The retention sweeper's measure of activity (hub::accounts::retention).
    sqlx::query("UPDATE hub_accounts SET last_login_at = now() WHERE id = $1").bind(id).execute(tx.conn()).await?;
    let event = AccountLoggedIn { account_id: id, role: role.as_str().into() };
    tx.append(&HubActor::account(id), Some(format!("account:{id}")), &event).await?;
    tx.commit().await?;
    Ok(LoggedIn { account: SessionAccount { id, role, center_id, verified }, token })
}

/// Ends the session of `token` (event `account.logged_out`); nothing when it is unknown.
pub async fn logout(db: &HubDb, token: &str) -> Result<(), AppError> {
    let mut tx = HubTx::begin(db).await?;
    let ended: Option<i64> = sqlx::query_scalar("DELETE FROM hub_sessions WHERE token_hash = $1 RETURNING account_id")
        .bind(token_hash(token))
        .fetch_optional(tx.conn())
        .await?;
    let Some(account_id) = ended else {
        return Ok(());
    };
    let event = AccountLoggedOut { account_id };
    tx.append(&HubActor::account(account_id), Some(format!("account:{account_id}")), &event).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends every session of an account, in the caller's transaction (deletion, password change).
pub async fn end_all_in(tx: &mut HubTx, account_id: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM hub_sessions WHERE account_id = $1")
        .bind(account_id)
        .execute(tx.conn())
        .await?
        .rows_affected())
}

/// The `Set-Cookie` value for a new session, `Secure` when the hub is reached by https.
pub fn cookie(token: &str, ttl: Duration, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}", ttl.as_secs())
}

pub fn clearing_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
}

/// A real argon2 hash of nothing anyone knows, so unknown addresses take as long as known ones.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| password::hash(&new_token()))
}

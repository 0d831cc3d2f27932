//! Login and logout: the `sessions` table. The browser holds a random token in
//! an HttpOnly, SameSite=Strict cookie; the table holds only its SHA-256.

use std::net::IpAddr;
use std::time::Instant;

use chrono::{SecondsFormat, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::SqliteExecutor;

use super::throttle::{LOCKOUT, LoginThrottle, Scope};
use super::{User, password, users};
use crate::clock::Clock;
use crate::db::Db;
use crate::error::{AppError, Class};
use crate::events::Actor;
use crate::events::contract::auth::{AuthLockedOut, AuthLogin, AuthLogout};
use crate::events::contract::wire;
use crate::i18n::Text;

pub const COOKIE_NAME: &str = "borasen_session";

pub struct LoggedIn {
    pub user: User,
    /// The raw token for the cookie; never stored.
    pub token: String,
}

/// Checks the throttle and the password, then opens a session (event `auth.login`).
pub async fn login(
    db: &Db,
    clock: &Clock,
    throttle: &LoginThrottle,
    ttl: std::time::Duration,
    username: &str,
    password: &str,
    source: IpAddr,
) -> Result<LoggedIn, AppError> {
    let attempt = match throttle.begin(username, source, Instant::now()) {
        Ok(attempt) => attempt,
        Err(wait) => return Err(too_many_attempts(wait)),
    };
    let found = users::find_for_login(&db.read, username).await?;
    // Verify against a dummy hash for unknown users too, so timing does not tell
    // which usernames exist.
    let (user, stored) = match found {
        Some((user, stored)) => (Some(user), stored),
        None => (None, dummy_hash().to_string()),
    };
    let ok = password::verify_blocking(password.to_string(), stored).await;
    let Some(user) = user.filter(|_| ok) else {
        let lockouts = attempt.failed(Instant::now());
        tracing::warn!(username, %source, "failed login");
        for scope in lockouts {
            log_lockout(db, clock, username, source, scope).await;
        }
        return Err(AppError::new(
            Class::Unauthenticated,
            "bad_credentials",
            Text::new("ユーザー名またはパスワードが違います。", "Wrong username or password."),
        ));
    };
    attempt.succeeded();

    let token = new_token();
    let now = Utc::now();
    let expires = now + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::hours(12));
    let mut tx = db.begin_write().await?;
    // Expired sessions are swept here, where a write is happening anyway.
    sqlx::query("DELETE FROM sessions WHERE expires_at <= ?").bind(utc(now)).execute(tx.conn()).await?;
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
        .bind(token_hash(&token))
        .bind(user.id)
        .bind(utc(now))
        .bind(utc(expires))
        .execute(tx.conn())
        .await?;
    let login = AuthLogin { role: wire(&user.role) };
    tx.append(clock, &Actor::user(&user.username), Some(format!("user:{}", user.id)), &login).await?;
    tx.commit().await?;
    Ok(LoggedIn { user, token })
}

/// A lockout that begins is an event (`auth.locked_out`): who, from where,
/// what it covers; never the password tried.
async fn log_lockout(db: &Db, clock: &Clock, username: &str, source: IpAddr, scope: Scope) {
    let write = async {
        let mut tx = db.begin_write().await?;
        let minutes = LOCKOUT.as_secs() / 60;
        let locked = AuthLockedOut {
            username: username.to_string(),
            source: source.to_string(),
            scope: scope.as_str().to_string(),
            minutes,
        };
        tx.append(clock, &Actor::system(), Some(format!("source:{source}")), &locked).await?;
        tx.commit().await.map(|_| ())
    };
    let result: Result<(), crate::events::CommitError> = write.await;
    if let Err(error) = result {
        tracing::error!(%error, username, %source, "recording a lockout failed");
    }
}

fn too_many_attempts(wait: u64) -> AppError {
    let minutes = wait.div_ceil(60);
    let mut error = AppError::new(
        Class::TooMany,
        "too_many_attempts",
        Text::new(
            format!("ログインの失敗が続いたため、{minutes}分ほど待ってからお試しください。"),
            format!("Too many failed logins. Try again in about {minutes} minutes."),
        ),
    );
    error.retry_after = Some(wait);
    error
}

/// Ends the session (event `auth.logout`).
pub async fn logout(db: &Db, clock: &Clock, user: &User, token: &str) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM sessions WHERE token_hash = ?").bind(token_hash(token)).execute(tx.conn()).await?;
    tx.append(clock, &Actor::user(&user.username), Some(format!("user:{}", user.id)), &AuthLogout {}).await?;
    tx.commit().await?;
    Ok(())
}

/// The user of a live session, if the token is one.
pub async fn user_for_token(conn: impl SqliteExecutor<'_>, token: &str) -> Result<Option<User>, sqlx::Error> {
    users::find_by_session(conn, &token_hash(token), &utc(Utc::now())).await
}

/// Session expiry follows the wall clock, not the center's (possibly virtual) clock.
fn utc(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    crate::hex::encode(&bytes)
}

fn token_hash(token: &str) -> String {
    crate::hex::encode(&Sha256::digest(token.as_bytes()))
}

fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| password::hash("borasen-dummy-password"))
}

//! The `users` table and the commands that change it.

use serde::Deserialize;
use sqlx::SqliteExecutor;

use super::{Role, User, password};
use crate::clock::{Clock, stamp};
use crate::error::{AppError, OnUnique};
use crate::events::contract::auth::{UserCreated, UsersCarriedOver};
use crate::events::contract::wire;
use crate::events::{Actor, WriteTx};
use crate::i18n::Text;

pub const MIN_PASSWORD_CHARS: usize = 8;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewUser {
    /// Login name: letters, digits, `.`, `_`, `-`; 1–32 characters.
    #[schema(example = "tanaka", pattern = "^[A-Za-z0-9._-]{1,32}$")]
    pub username: String,
    /// Shown on screens, e.g. 「山田（受付）」. Defaults to the username.
    #[serde(default)]
    pub display_name: Option<String>,
    pub role: Role,
    /// At least 8 characters.
    #[schema(example = "kasa-2026-ame", min_length = 8)]
    pub password: String,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> User {
        User {
            id: row.id,
            username: row.username,
            display_name: row.display_name,
            // The CHECK constraint admits only the four roles.
            role: Role::parse(&row.role).expect("role constrained by the schema"),
        }
    }
}

fn validate(new: &NewUser) -> Result<(), AppError> {
    let name = new.username.as_str();
    let name_ok = (1..=32).contains(&name.chars().count())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !name_ok {
        return Err(AppError::validation(
            "username",
            Text::new(
                "ユーザー名は半角英数字と . _ - で1〜32文字にしてください。",
                "A username is 1–32 letters, digits, '.', '_' or '-'.",
            ),
        ));
    }
    if let Some(display_name) = &new.display_name {
        crate::fields::optional("display_name", Some(display_name), "表示名", 50)?;
    }
    if new.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::validation(
            "password",
            Text::new(
                format!("パスワードは{MIN_PASSWORD_CHARS}文字以上にしてください。"),
                format!("A password has at least {MIN_PASSWORD_CHARS} characters."),
            ),
        ));
    }
    Ok(())
}

/// Creates a user (event `user.created`). The password is hashed before the
/// write transaction begins, so the writer is never held for argon2.
pub async fn create(db: &crate::db::Db, clock: &Clock, actor: &Actor, new: NewUser) -> Result<User, AppError> {
    validate(&new)?;
    let hash = password::hash_blocking(new.password.clone()).await;
    let mut tx = db.begin_write().await?;
    let user = insert(&mut tx, clock, actor, &new, &hash).await?;
    tx.commit().await?;
    Ok(user)
}

async fn insert(tx: &mut WriteTx, clock: &Clock, actor: &Actor, new: &NewUser, hash: &str) -> Result<User, AppError> {
    let display_name =
        new.display_name.clone().filter(|d| !d.trim().is_empty()).unwrap_or_else(|| new.username.clone());
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&new.username)
    .bind(&display_name)
    .bind(new.role.as_str())
    .bind(hash)
    .bind(stamp(clock.now()))
    .fetch_one(tx.conn())
    .await
    .on_unique(|| {
        AppError::conflict(Text::new(
            format!("ユーザー名「{}」は既に使われています。", new.username),
            format!("The username '{}' is taken.", new.username),
        ))
        .with_field("username")
    })?;
    let created = UserCreated { id, username: new.username.clone(), role: wire(&new.role) };
    tx.append(clock, actor, Some(format!("user:{id}")), &created).await?;
    Ok(User { id, username: new.username.clone(), display_name, role: new.role })
}

pub async fn count(conn: impl SqliteExecutor<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE disabled_at IS NULL").fetch_one(conn).await
}

pub async fn list(conn: impl SqliteExecutor<'_>) -> Result<Vec<User>, sqlx::Error> {
    let rows: Vec<UserRow> =
        sqlx::query_as("SELECT id, username, display_name, role FROM users WHERE disabled_at IS NULL ORDER BY id")
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(User::from).collect())
}

/// The disabled accounts, for the users page (which may enable them again).
pub async fn list_disabled(conn: impl SqliteExecutor<'_>) -> Result<Vec<User>, sqlx::Error> {
    let rows: Vec<UserRow> = sqlx::query_as(
        "SELECT id, username, display_name, role FROM users WHERE disabled_at IS NOT NULL ORDER BY username",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(User::from).collect())
}

/// The user and their password hash, for login.
pub(super) async fn find_for_login(
    conn: impl SqliteExecutor<'_>,
    username: &str,
) -> Result<Option<(User, String)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        user: UserRow,
        password_hash: String,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, username, display_name, role, password_hash FROM users WHERE username = ? AND disabled_at IS NULL",
    )
    .bind(username)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (User::from(r.user), r.password_hash)))
}

pub(super) async fn find_by_session(
    conn: impl SqliteExecutor<'_>,
    token_hash: &str,
    now_utc: &str,
) -> Result<Option<User>, sqlx::Error> {
    let row: Option<UserRow> = sqlx::query_as(
        "SELECT u.id, u.username, u.display_name, u.role FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL",
    )
    .bind(token_hash)
    .bind(now_utc)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(User::from))
}

type UserCopy = (i64, String, String, String, String, String, Option<String>);
type SessionCopy = (String, i64, String, String);

/// A drill started from the trainer's page: the staff and their sessions of
/// the previous drill's database (`previous`, never the live one) come into
/// this fresh one (event `users.carried_over`), so nobody logs in again.
pub async fn carry_over(db: &crate::db::Db, clock: &Clock, previous: &std::path::Path) -> Result<(), AppError> {
    use sqlx::Connection;
    let options = crate::db::connect_options(previous)?.read_only(true);
    let mut old = sqlx::SqliteConnection::connect_with(&options).await?;
    let users: Vec<UserCopy> = sqlx::query_as(
        "SELECT id, username, display_name, role, password_hash, created_at, disabled_at FROM users ORDER BY id",
    )
    .fetch_all(&mut old)
    .await?;
    let sessions: Vec<SessionCopy> =
        sqlx::query_as("SELECT token_hash, user_id, created_at, expires_at FROM sessions").fetch_all(&mut old).await?;
    old.close().await?;
    let mut tx = db.begin_write().await?;
    for (id, username, display_name, role, hash, created_at, disabled_at) in &users {
        sqlx::query(
            "INSERT INTO users (id, username, display_name, role, password_hash, created_at, disabled_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(username)
        .bind(display_name)
        .bind(role)
        .bind(hash)
        .bind(created_at)
        .bind(disabled_at)
        .execute(tx.conn())
        .await?;
    }
    for (token_hash, user_id, created_at, expires_at) in &sessions {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
            .bind(token_hash)
            .bind(user_id)
            .bind(created_at)
            .bind(expires_at)
            .execute(tx.conn())
            .await?;
    }
    let from = previous.file_name().map(|f| f.to_string_lossy().to_string());
    let carried = UsersCarriedOver { users: users.len(), sessions: sessions.len(), from };
    tx.append(clock, &Actor::system(), None, &carried).await?;
    tx.commit().await?;
    Ok(())
}

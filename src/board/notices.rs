//! 本部からのお知らせ: short notices a coordinator posts to the board
//! ("12時に昼休憩、熱中症に注意"). The `board_notices` table.

use serde::{Deserialize, Serialize};
use sqlx::SqliteExecutor;

use crate::clock::{Clock, stamp};
use crate::db::Db;
use crate::error::AppError;
use crate::events::Actor;
use crate::events::contract::board::NoticePosted;
use crate::i18n::Text;

pub const MAX_CHARS: usize = 500;

/// A notice for the board only (the shape in-process callers use).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewNotice {
    /// 1–500 characters.
    pub text: String,
}

/// The body of `POST /api/board/notices`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NoticeForm {
    /// 1–500 characters.
    pub text: String,
    /// Also show it on the public lobby screen (`/lobby`): heat and safety
    /// notices for the waiting area. Public: write nothing personal. Default false.
    #[serde(default)]
    pub lobby: bool,
}

impl From<NewNotice> for NoticeForm {
    fn from(new: NewNotice) -> NoticeForm {
        NoticeForm { text: new.text, lobby: false }
    }
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Notice {
    pub id: i64,
    pub text: String,
    pub posted_at: String,
    pub posted_by: String,
    /// Shown on the lobby screen too.
    pub lobby: bool,
}

/// Posts a notice (event `board.notice_posted`).
pub async fn post(db: &Db, clock: &Clock, actor: &Actor, new: impl Into<NoticeForm>) -> Result<Notice, AppError> {
    let new = new.into();
    let text = crate::fields::clean_text("text", "お知らせ", &new.text)?;
    if text.is_empty() || text.chars().count() > MAX_CHARS {
        return Err(AppError::validation(
            "text",
            Text::new(
                format!("お知らせは1〜{MAX_CHARS}文字で入力してください。"),
                format!("A notice has 1–{MAX_CHARS} characters."),
            ),
        ));
    }
    let posted_at = stamp(clock.now());
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO board_notices (text, posted_at, posted_by, lobby) VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(&text)
    .bind(&posted_at)
    .bind(&actor.0)
    .bind(new.lobby)
    .fetch_one(tx.conn())
    .await?;
    let posted = NoticePosted { id, text: text.clone(), lobby: new.lobby };
    tx.append(clock, actor, Some(format!("notice:{id}")), &posted).await?;
    tx.commit().await?;
    Ok(Notice { id, text, posted_at, posted_by: actor.0.clone(), lobby: new.lobby })
}

/// The newest notices first.
pub async fn recent(conn: impl SqliteExecutor<'_>, limit: i64) -> Result<Vec<Notice>, sqlx::Error> {
    sqlx::query_as("SELECT id, text, posted_at, posted_by, lobby FROM board_notices ORDER BY id DESC LIMIT ?")
        .bind(limit)
        .fetch_all(conn)
        .await
}

pub async fn find(conn: impl SqliteExecutor<'_>, id: i64) -> Result<Option<Notice>, sqlx::Error> {
    sqlx::query_as("SELECT id, text, posted_at, posted_by, lobby FROM board_notices WHERE id = ?")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// A notice as the lobby shows it: the words and the time, not who posted it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct LobbyNotice {
    pub text: String,
    pub posted_at: String,
}

/// The newest notices marked for the lobby first.
pub async fn for_lobby(conn: impl SqliteExecutor<'_>, limit: i64) -> Result<Vec<LobbyNotice>, sqlx::Error> {
    sqlx::query_as("SELECT text, posted_at FROM board_notices WHERE lobby = 1 ORDER BY id DESC LIMIT ?")
        .bind(limit)
        .fetch_all(conn)
        .await
}

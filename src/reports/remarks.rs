//! 特記事項: the day's remarks for the 日報, written by a coordinator or an
//! admin. Nothing but the event (`report.remarks_written`): the 日報 prints
//! the latest for its day. The one thing reports writes.

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;

use super::daily_record::{self, Remarks, remarks_subject};
use crate::clock::Clock;
use crate::db::Db;
use crate::error::AppError;
use crate::events::Actor;
use crate::events::contract::reports::RemarksWritten;
use crate::fields::{clean_text, invalid};
use crate::i18n::Text;

pub const MAX_CHARS: usize = 2000;

/// The body of `PUT /api/reports/daily/remarks`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RemarksForm {
    /// Activity day, `YYYY-MM-DD`.
    #[schema(required = true, value_type = String, format = Date)]
    pub date: Option<NaiveDate>,
    /// The whole text, 0–2000 characters (empty clears it).
    #[schema(required = true)]
    pub text: String,
    /// The remarks' `version` as read (0 when none were written).
    #[schema(required = true, value_type = i64)]
    pub version: Option<i64>,
}

/// Writes the remarks of `day` (already checked against the center's window).
pub async fn write(
    db: &Db,
    clock: &Clock,
    actor: &Actor,
    day: NaiveDate,
    text: &str,
    version: Option<i64>,
) -> Result<Remarks, AppError> {
    let version = version
        .ok_or_else(|| invalid("version", "版（version）が必要です。", "version is required: the version you read."))?;
    let text = clean_text("text", "特記事項", text)?;
    if text.chars().count() > MAX_CHARS {
        return Err(invalid(
            "text",
            format!("特記事項は{MAX_CHARS}文字以内で入力してください。"),
            format!("The remarks have at most {MAX_CHARS} characters."),
        ));
    }
    let mut tx = db.begin_write().await?;
    let current = daily_record::remarks(tx.conn(), day).await?;
    if current.version != version {
        return Err(AppError::conflict(Text::new(
            "特記事項は他の人が先に更新しました。読み込み直してください。",
            "The remarks were changed by somebody else. Reload them.",
        ))
        .coded("stale_version")
        .with_details(json!({ "current_version": current.version })));
    }
    let written = RemarksWritten { day: day.to_string(), text, version: version + 1 };
    tx.append(clock, actor, Some(remarks_subject(day)), &written).await?;
    let remarks = daily_record::remarks(tx.conn(), day).await?;
    tx.commit().await?;
    Ok(remarks)
}

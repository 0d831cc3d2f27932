//! Minors on a team (18歳未満). Two rules, both decided here at sending:
//! - **No adult leader** stays a refusal (`minor_leader`, in `send_out`): the
//!   leader answers for the team on site, and the desk warns while forming.
//! - **Heavy work** (the need's categories named by the `heavy_work` setting,
//!   e.g. 床下) is a warning the coordinator confirms: refused with 409
//!   `minor_heavy_work` naming the minors until the form says
//!   `confirm_minor_heavy_work`; the event then lists them, so the log shows
//!   who decided to send whom.

use chrono::NaiveDate;
use serde_json::json;

use crate::error::AppError;
use crate::events::WriteTx;
use crate::events::contract::wire;
use crate::i18n::Text;
use crate::needs::{Category, Need};
use crate::reception::{ADULT_AGE, age_on, volunteer_no};

/// The members under 18 on `day`, as volunteer numbers (`V-0012`), in team order.
pub async fn minors_among(tx: &mut WriteTx, members: &[i64], day: NaiveDate) -> Result<Vec<String>, AppError> {
    let mut minors = Vec::new();
    for &id in members {
        let row: Option<(i64, String)> = sqlx::query_as("SELECT number, birth_date FROM volunteers WHERE id = ?")
            .bind(id)
            .fetch_optional(tx.conn())
            .await?;
        let Some((number, born)) = row else { continue };
        if NaiveDate::parse_from_str(&born, "%Y-%m-%d").is_ok_and(|born| age_on(born, day) < ADULT_AGE) {
            minors.push(volunteer_no(number));
        }
    }
    Ok(minors)
}

/// The need's heavy-work categories, by the center's settings.
async fn heavy_work_of(tx: &mut WriteTx, need: &Need) -> Result<Vec<Category>, AppError> {
    let settings = crate::settings::current(tx.conn()).await?;
    Ok(need.categories.iter().copied().filter(|c| settings.is_heavy_work(&wire(c))).collect())
}

/// Minors going to heavy work, allowed only when the coordinator confirmed it.
/// Returns the minors sent to heavy work (empty when none), for the event.
pub async fn heavy_work(
    tx: &mut WriteTx,
    need: Option<&Need>,
    members: &[i64],
    day: NaiveDate,
    confirmed: bool,
) -> Result<Vec<String>, AppError> {
    let Some(need) = need else { return Ok(Vec::new()) };
    let heavy = heavy_work_of(tx, need).await?;
    if heavy.is_empty() {
        return Ok(Vec::new());
    }
    let minors = minors_among(tx, members, day).await?;
    if minors.is_empty() || confirmed {
        return Ok(minors);
    }
    let who = minors.join("・");
    Err(AppError::conflict(Text::new(
        format!(
            "{who} さんは18歳未満です。{} は力仕事（{}）のニーズです。作業内容を確認し、送り出す場合は確認のうえ送り出してください。",
            need.need_no,
            heavy.iter().map(|c| c.label_ja()).collect::<Vec<_>>().join("・")
        ),
        format!(
            "{who} under 18: {} is heavy work ({}). Check the work, then confirm to send them anyway.",
            need.need_no,
            heavy.iter().map(wire).collect::<Vec<_>>().join(", ")
        ),
    ))
    .coded("minor_heavy_work")
    .with_field("confirm_minor_heavy_work")
    .with_details(json!({ "minors": minors, "heavy_work": heavy.iter().map(wire).collect::<Vec<_>>() })))
}

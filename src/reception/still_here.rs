//! Who is still checked in (受付済みで未退所): every open check-in, of any day,
//! for the end of the day's 受付終了処理 (dispatch runs it: it knows the teams).

use serde::Serialize;
use sqlx::SqliteExecutor;

use super::model::volunteer_no;

/// One open check-in.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StillHere {
    pub volunteer_id: i64,
    /// `V-0012`
    pub volunteer_no: String,
    pub name: String,
    /// The check-in's activity day (an earlier day's forgotten one too).
    pub day: String,
    pub checked_in_at: String,
    /// People under this check-in (a group's arrived count).
    pub headcount: i64,
}

/// Every open check-in, earliest first.
pub async fn still_here(conn: impl SqliteExecutor<'_>) -> Result<Vec<StillHere>, sqlx::Error> {
    let rows: Vec<(i64, i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT v.id, v.number, v.name, c.day, c.checked_in_at, c.headcount
         FROM checkins c JOIN volunteers v ON v.id = c.volunteer_id
         WHERE c.checked_out_at IS NULL ORDER BY c.day, c.checked_in_at, v.number",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(volunteer_id, number, name, day, checked_in_at, headcount)| StillHere {
            volunteer_id,
            volunteer_no: volunteer_no(number),
            name,
            day,
            checked_in_at,
            headcount,
        })
        .collect())
}

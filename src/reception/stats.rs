//! Reception's figures for one activity day, for the board.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::SqliteExecutor;

/// People, not records: a group's check-in counts its arrived head count.
#[derive(Debug, Default, Serialize, utoipa::ToSchema, sqlx::FromRow)]
pub struct ReceptionCounts {
    /// Checked in today (people).
    pub checked_in: i64,
    /// Checked in, not checked out, and not out on a team (people): the waiting pool.
    pub waiting: i64,
    /// Out with a team now (people).
    pub on_teams: i64,
    pub checked_out: i64,
    pub insurance_enrolled: i64,
    pub insurance_enrolled_at_desk: i64,
    /// 未加入: never dispatched.
    pub insurance_none: i64,
    pub individuals: i64,
    /// People who came as groups (representatives' counts and named members).
    pub group_members: i64,
    /// Check-in records (a group is one).
    pub records: i64,
}

pub async fn for_day(conn: impl SqliteExecutor<'_>, day: NaiveDate) -> Result<ReceptionCounts, sqlx::Error> {
    sqlx::query_as(
        "SELECT COALESCE(SUM(c.headcount), 0) AS checked_in,
                COALESCE(SUM(CASE WHEN c.checked_out_at IS NULL AND NOT EXISTS
                    (SELECT 1 FROM team_members m WHERE m.volunteer_id = c.volunteer_id AND m.out = 1)
                    THEN c.headcount END), 0) AS waiting,
                COALESCE(SUM(CASE WHEN EXISTS
                    (SELECT 1 FROM team_members m WHERE m.volunteer_id = c.volunteer_id AND m.out = 1)
                    THEN c.headcount END), 0) AS on_teams,
                COALESCE(SUM(CASE WHEN c.checked_out_at IS NOT NULL THEN c.headcount END), 0) AS checked_out,
                COALESCE(SUM(CASE WHEN c.insurance = 'enrolled' THEN c.headcount END), 0) AS insurance_enrolled,
                COALESCE(SUM(CASE WHEN c.insurance = 'enrolled_at_desk' THEN c.headcount END), 0) AS insurance_enrolled_at_desk,
                COALESCE(SUM(CASE WHEN c.insurance = 'none' THEN c.headcount END), 0) AS insurance_none,
                COALESCE(SUM(CASE WHEN v.kind = 'individual' AND v.group_id IS NULL THEN c.headcount END), 0) AS individuals,
                COALESCE(SUM(CASE WHEN v.kind = 'group' OR v.group_id IS NOT NULL THEN c.headcount END), 0) AS group_members,
                COUNT(c.id) AS records
         FROM checkins c JOIN volunteers v ON v.id = c.volunteer_id
         WHERE c.day = ?",
    )
    .bind(day.to_string())
    .fetch_one(conn)
    .await
}

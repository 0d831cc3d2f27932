//! Per-day figures for hub staff: booked, waitlisted, cancelled, per opening
//! and per day of a center's calendar.

use chrono::NaiveDate;
use serde::Serialize;

use crate::hub::db::HubDb;

/// One opening's counts (people, not bookings: a group counts its head count).
#[derive(Clone, Debug, Default, Serialize, sqlx::FromRow, utoipa::ToSchema)]
#[schema(as = HubOpeningCounts)]
pub struct OpeningCounts {
    pub opening_id: i64,
    pub center_id: i64,
    pub day: NaiveDate,
    pub title: String,
    pub state: String,
    pub mode: String,
    pub quota: i32,
    pub booked: i64,
    pub waitlisted: i64,
    pub applied: i64,
    pub cancelled: i64,
}

/// Every opening of a center between two days (`None`: every center), with its counts.
pub async fn for_days(
    db: &HubDb,
    center_id: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<OpeningCounts>, sqlx::Error> {
    sqlx::query_as(
        "SELECT o.id AS opening_id, o.center_id, o.day, o.title, o.state, o.mode, o.quota,
                coalesce(sum(b.seats) FILTER (WHERE b.status = 'booked'), 0)::bigint AS booked,
                coalesce(sum(b.seats) FILTER (WHERE b.status = 'waitlisted'), 0)::bigint AS waitlisted,
                coalesce(sum(b.seats) FILTER (WHERE b.status = 'applied'), 0)::bigint AS applied,
                coalesce(sum(b.seats) FILTER (WHERE b.status IN ('cancelled', 'day_cancelled')), 0)::bigint AS cancelled
           FROM hub_openings o LEFT JOIN hub_bookings b ON b.opening_id = o.id
          WHERE o.day BETWEEN $1 AND $2 AND ($3::bigint IS NULL OR o.center_id = $3)
          GROUP BY o.id ORDER BY o.day, o.meeting_time, o.id",
    )
    .bind(from)
    .bind(to)
    .bind(center_id)
    .fetch_all(&db.pool)
    .await
}

//! Who was expected and who came, from the bookings: per center and day (for
//! the hub's overview, `hub::overview`) and no-shows per account (the overview
//! and the lottery's `sha256-rank-noshow-v1`).
//!
//! Whether a day was reported is whether `hub_center_days` (written by the
//! center's report, `hub::sync`) has its row: the one read of that table here,
//! since a no-show exists only once the center has said who came.

use std::collections::HashMap;

use chrono::NaiveDate;
use sqlx::PgConnection;

use crate::hub::db::HubDb;

/// One center's day as its bookings tell it. People are seats (a group
/// counts its head count), as on the staff calendar; bookings beside them.
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct DayAttendance {
    pub center_id: i64,
    pub day: NaiveDate,
    /// Status `booked`.
    pub booked_bookings: i64,
    pub booked_people: i64,
    /// Status `waitlisted`.
    pub waitlisted_bookings: i64,
    pub waitlisted_people: i64,
    /// `checked_in_at` set by a report, whatever the status now.
    pub came_bookings: i64,
    /// The people the report said came under them (else the seats).
    pub came_people: i64,
    /// Status `booked` and no `checked_in_at`: no-shows once the day is reported.
    pub not_come_bookings: i64,
    pub not_come_people: i64,
}

/// Every (center, day) between two days with a booking on it (`center`: one center only).
pub async fn per_center_day(
    db: &HubDb,
    from: NaiveDate,
    to: NaiveDate,
    center: Option<i64>,
) -> Result<Vec<DayAttendance>, sqlx::Error> {
    sqlx::query_as(
        "SELECT o.center_id, b.day,
                count(*) FILTER (WHERE b.status = 'booked') AS booked_bookings,
                coalesce(sum(b.seats) FILTER (WHERE b.status = 'booked'), 0)::bigint AS booked_people,
                count(*) FILTER (WHERE b.status = 'waitlisted') AS waitlisted_bookings,
                coalesce(sum(b.seats) FILTER (WHERE b.status = 'waitlisted'), 0)::bigint AS waitlisted_people,
                count(*) FILTER (WHERE b.checked_in_at IS NOT NULL) AS came_bookings,
                coalesce(sum(coalesce(b.checked_in_people, b.seats)) FILTER (WHERE b.checked_in_at IS NOT NULL), 0)::bigint
                    AS came_people,
                count(*) FILTER (WHERE b.status = 'booked' AND b.checked_in_at IS NULL) AS not_come_bookings,
                coalesce(sum(b.seats) FILTER (WHERE b.status = 'booked' AND b.checked_in_at IS NULL), 0)::bigint
                    AS not_come_people
           FROM hub_bookings b JOIN hub_openings o ON o.id = b.opening_id
          WHERE b.day BETWEEN $1 AND $2 AND ($3::bigint IS NULL OR o.center_id = $3)
          GROUP BY o.center_id, b.day
          ORDER BY b.day, o.center_id",
    )
    .bind(from)
    .bind(to)
    .bind(center)
    .fetch_all(&db.pool)
    .await
}

/// The no-show rule for one booking `b` of opening `o`, in SQL: booked, not
/// come, and its center's day reported.
macro_rules! no_show {
    () => {
        "b.status = 'booked' AND b.checked_in_at IS NULL
         AND EXISTS (SELECT 1 FROM hub_center_days d WHERE d.center_id = o.center_id AND d.day = b.day)"
    };
}

/// No-shows per account between two days (accounts with at least one), by account id.
pub async fn no_shows_by_account(
    db: &HubDb,
    from: NaiveDate,
    to: NaiveDate,
    center: Option<i64>,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT b.account_id, count(*) FROM hub_bookings b JOIN hub_openings o ON o.id = b.opening_id
          WHERE b.day BETWEEN $1 AND $2 AND ($3::bigint IS NULL OR o.center_id = $3) AND ",
        no_show!(),
        " GROUP BY b.account_id ORDER BY b.account_id"
    ))
    .bind(from)
    .bind(to)
    .bind(center)
    .fetch_all(&db.pool)
    .await
}

/// Each of `accounts`' no-shows on days before `before` (an account without
/// any is absent), read in the caller's transaction (the lottery's).
pub async fn no_show_counts(
    conn: &mut PgConnection,
    accounts: &[i64],
    before: NaiveDate,
) -> Result<HashMap<i64, i64>, sqlx::Error> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(concat!(
        "SELECT b.account_id, count(*) FROM hub_bookings b JOIN hub_openings o ON o.id = b.opening_id
          WHERE b.account_id = ANY($1) AND b.day < $2 AND ",
        no_show!(),
        " GROUP BY b.account_id"
    ))
    .bind(accounts)
    .bind(before)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().collect())
}

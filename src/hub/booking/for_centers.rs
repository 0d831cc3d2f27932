//! What the centers' sync (`hub::sync`) reads and writes of bookings: the
//! changes of a center's bookings in the order they are pulled, where a booking
//! belongs, and the arrivals a center reports. `hub_bookings` and
//! `hub_openings` are this area's tables; the sync columns (`sync_tx`,
//! `sync_seq`, `checked_in_at`, `checked_in_people`) come from
//! migrations/hub/0010_sync.sql, kept by its triggers.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc};
use sqlx::PgConnection;

use crate::hub::events::Cursor;

/// One booking of a center as it stands now, with its opening's meeting details.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CenterBooking {
    /// Where it stands in the pull order (`sync_tx`, `sync_seq`).
    pub tx: i64,
    pub seq: i64,
    pub booking_id: i64,
    pub account_id: i64,
    pub day: NaiveDate,
    /// `booked`, `applied`, `waitlisted`, `cancelled`, `day_cancelled`
    pub status: String,
    pub seats: i32,
    pub qr_token: String,
    pub title: String,
    pub meeting_point: String,
    pub meeting_time: NaiveTime,
    pub bring: String,
}

impl CenterBooking {
    pub fn cursor(&self) -> Cursor {
        Cursor { tx: self.tx, seq: self.seq }
    }
}

/// Up to `limit` bookings of `center_id`'s openings after `after`, in pull
/// order: by the transaction that last changed them, then a sequence, only of
/// transactions older than every one still running (as `hub::events::follow`),
/// so a change committing late is never passed over. A booking changed again
/// moves to the end and comes again.
pub async fn changes_after(
    conn: &mut PgConnection,
    center_id: i64,
    after: Cursor,
    limit: i64,
) -> Result<Vec<CenterBooking>, sqlx::Error> {
    sqlx::query_as(
        "SELECT b.sync_tx::text::bigint AS tx, b.sync_seq AS seq, b.id AS booking_id, b.account_id, b.day,
                b.status, b.seats, b.qr_token, o.title, o.meeting_point, o.meeting_time, o.bring
           FROM hub_bookings b JOIN hub_openings o ON o.id = b.opening_id
          WHERE o.center_id = $1
            AND (b.sync_tx, b.sync_seq) > ($2::text::xid8, $3)
            AND b.sync_tx < pg_snapshot_xmin(pg_current_snapshot())
          ORDER BY b.sync_tx, b.sync_seq
          LIMIT $4",
    )
    .bind(center_id)
    .bind(after.tx.to_string())
    .bind(after.seq)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Where a booking belongs: its opening's center, and its day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Placed {
    pub booking_id: i64,
    pub center_id: i64,
    pub day: NaiveDate,
}

/// [`Placed`] of each of `ids` that exists (any center's).
pub async fn placed(conn: &mut PgConnection, ids: &[i64]) -> Result<Vec<Placed>, sqlx::Error> {
    sqlx::query_as(
        "SELECT b.id AS booking_id, o.center_id, b.day
           FROM hub_bookings b JOIN hub_openings o ON o.id = b.opening_id
          WHERE b.id = ANY($1)",
    )
    .bind(ids)
    .fetch_all(conn)
    .await
}

/// One booking's person came: when, and how many under it.
#[derive(Clone, Copy, Debug)]
pub struct CameIn {
    pub booking_id: i64,
    pub at: DateTime<FixedOffset>,
    pub people: i32,
}

/// Sets who came on `day` at `center_id`, as the center's whole report: the
/// listed bookings get their arrival, every other booking of the center's day
/// loses one it had. Whatever a booking's status (a booking cancelled at the
/// hub after its person came keeps both facts). Does not move a booking in the
/// pull order. The caller has checked that each listed booking is the
/// center's, of that day.
pub async fn record_arrivals(
    conn: &mut PgConnection,
    center_id: i64,
    day: NaiveDate,
    came: &[CameIn],
) -> Result<(), sqlx::Error> {
    let ids: Vec<i64> = came.iter().map(|c| c.booking_id).collect();
    let at: Vec<DateTime<Utc>> = came.iter().map(|c| c.at.with_timezone(&Utc)).collect();
    let people: Vec<i32> = came.iter().map(|c| c.people).collect();
    sqlx::query(
        "UPDATE hub_bookings b SET checked_in_at = NULL, checked_in_people = NULL
           FROM hub_openings o
          WHERE o.id = b.opening_id AND o.center_id = $1 AND b.day = $2
            AND b.checked_in_at IS NOT NULL AND NOT (b.id = ANY($3))",
    )
    .bind(center_id)
    .bind(day)
    .bind(&ids)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE hub_bookings b SET checked_in_at = a.at, checked_in_people = a.people
           FROM unnest($1::bigint[], $2::timestamptz[], $3::integer[]) AS a (id, at, people)
          WHERE b.id = a.id",
    )
    .bind(&ids)
    .bind(&at)
    .bind(&people)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

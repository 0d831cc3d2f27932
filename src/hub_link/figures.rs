//! A day as the hub is told it: the bookings that came, and counts (the 日報's
//! own figures, so the hub and the paper agree). Walk-ins are counts only.

use chrono::{DateTime, NaiveDate};

use crate::db::Db;
use crate::reception::booked;
use crate::reports::daily::Figures;
use crate::sync::contract::{Arrival, DayFigures};

/// The day's arrivals and figures, read in one read transaction.
pub async fn of_day(db: &Db, day: NaiveDate) -> Result<(Vec<Arrival>, DayFigures), sqlx::Error> {
    let mut tx = db.read.begin().await?;
    let came = booked::arrivals(&mut *tx, day).await?;
    let figures = Figures::over(&mut tx, day, day).await?;
    tx.commit().await?;
    let arrivals: Vec<Arrival> = came
        .into_iter()
        .filter_map(|a| {
            let checked_in_at = DateTime::parse_from_rfc3339(&a.checked_in_at).ok()?;
            Some(Arrival { booking_id: a.booking_id, checked_in_at, people: a.people })
        })
        .collect();
    let booked_came: i64 = arrivals.iter().map(|a| a.people).sum();
    let v = &figures.volunteers;
    let needs = &figures.needs.total;
    let counts = DayFigures {
        checked_in: v.checked_in,
        booked_came,
        walk_ins: (v.checked_in - booked_came).max(0),
        new_volunteers: v.new,
        repeat_volunteers: v.repeat,
        checked_out: v.checked_out,
        hours: v.hours,
        teams_sent: figures.teams.dispatched,
        team_people: figures.teams.people,
        needs_received: needs.received,
        needs_done: needs.done,
        needs_continuing: needs.continuing,
        needs_cancelled: needs.cancelled,
    };
    Ok((arrivals, counts))
}

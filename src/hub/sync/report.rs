//! A center reports one activity day: who came under which booking, and the
//! day's figures. The report is the whole day each time, so a lost or repeated
//! report cannot skew a count.
//!
//! **Once per batch id**: `hub_sync_batches` keeps every batch id received; a
//! resend answers `applied: false` and changes nothing (the id sent for
//! another center or day is a 409). **The newest report wins**: the day keeps
//! the report with the highest `batch_seq` (`hub_center_days`); an older one
//! is recorded and changes nothing else (`current: false`). Both decisions
//! are taken under an advisory lock on (center, day), so two hub processes
//! applying two reports of one day at once end with the higher `batch_seq`.

use std::collections::{HashMap, HashSet};

use sha2::{Digest, Sha256};
use sqlx::PgConnection;

use crate::error::{AppError, Class, OnUnique};
use crate::fields::invalid;
use crate::hub::booking::for_centers::{self, CameIn};
use crate::hub::contract::sync::SyncReported;
use crate::hub::db::HubDb;
use crate::hub::events::{HubActor, HubTx};
use crate::i18n::Text;
use crate::sync::{DayFigures, DayReport, DayReportAnswer, VERSION};

/// The advisory locks' first key: this module's (the second is from (center, day)).
const LOCK_SPACE: i32 = 0x6875_6202;

/// Checks what can be checked without the database: the batch id, the
/// sequence, each arrival once with its count, the figures not negative.
pub fn check(report: &DayReport) -> Result<(), AppError> {
    let id = &report.batch_id;
    if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(invalid(
            "batch_id",
            "batch_id は英数字・-・_ の1〜64文字です。",
            "batch_id is 1 to 64 characters of letters, digits, - and _.",
        ));
    }
    if report.batch_seq < 1 {
        return Err(invalid("batch_seq", "batch_seq は1以上です。", "batch_seq is at least 1."));
    }
    let mut seen = HashSet::new();
    for (i, arrival) in report.arrivals.iter().enumerate() {
        if !seen.insert(arrival.booking_id) {
            return Err(invalid(
                &format!("arrivals[{i}].booking_id"),
                format!("予約 {} が2回あります。", arrival.booking_id),
                format!("Booking {} is listed twice.", arrival.booking_id),
            ));
        }
        if i32::try_from(arrival.people).is_err() || arrival.people < 0 {
            return Err(invalid(
                &format!("arrivals[{i}].people"),
                "people は0以上の整数です。",
                "people is a whole number, 0 or more.",
            ));
        }
    }
    check_figures(&report.figures)
}

fn check_figures(f: &DayFigures) -> Result<(), AppError> {
    let counts = [
        ("checked_in", f.checked_in),
        ("booked_came", f.booked_came),
        ("walk_ins", f.walk_ins),
        ("new_volunteers", f.new_volunteers),
        ("repeat_volunteers", f.repeat_volunteers),
        ("checked_out", f.checked_out),
        ("teams_sent", f.teams_sent),
        ("team_people", f.team_people),
        ("needs_received", f.needs_received),
        ("needs_done", f.needs_done),
        ("needs_continuing", f.needs_continuing),
        ("needs_cancelled", f.needs_cancelled),
    ];
    if let Some((name, _)) = counts.iter().find(|(_, n)| *n < 0) {
        return Err(invalid(&format!("figures.{name}"), "件数は0以上です。", "A count is 0 or more."));
    }
    if !f.hours.is_finite() || f.hours < 0.0 {
        return Err(invalid("figures.hours", "活動時間は0以上です。", "hours is 0 or more."));
    }
    Ok(())
}

fn lock_key(center_id: i64, day: chrono::NaiveDate) -> i32 {
    let digest = Sha256::digest(format!("{center_id}:{day}").as_bytes());
    i32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
}

fn batch_reused(batch_id: &str) -> AppError {
    AppError::new(
        Class::Conflict,
        "batch_id_reused",
        Text::new(
            format!("batch_id {batch_id} は別のセンターまたは別の日の報告で使われています。"),
            format!("batch_id {batch_id} was used for another center's or another day's report."),
        ),
    )
    .with_field("batch_id")
}

/// Refuses the whole report unless every arrival is a booking of this
/// center's openings (403 `not_your_booking`) for the report's day (422).
async fn check_bookings(conn: &mut PgConnection, center_id: i64, report: &DayReport) -> Result<(), AppError> {
    let ids: Vec<i64> = report.arrivals.iter().map(|a| a.booking_id).collect();
    let placed: HashMap<i64, for_centers::Placed> =
        for_centers::placed(conn, &ids).await?.into_iter().map(|p| (p.booking_id, p)).collect();
    for (i, arrival) in report.arrivals.iter().enumerate() {
        let field = format!("arrivals[{i}].booking_id");
        match placed.get(&arrival.booking_id) {
            Some(p) if p.center_id == center_id => {
                if p.day != report.day {
                    return Err(invalid(
                        &field,
                        format!("予約 {} は {} の予約です（報告は {}）。", arrival.booking_id, p.day, report.day),
                        format!(
                            "Booking {} is for {}, not the report's day {}.",
                            arrival.booking_id, p.day, report.day
                        ),
                    ));
                }
            }
            // Another center's booking and no booking at all look the same.
            _ => {
                return Err(AppError::new(
                    Class::Refused,
                    "not_your_booking",
                    Text::new(
                        format!("予約 {} はこのセンターの予約ではありません。", arrival.booking_id),
                        format!("Booking {} is not one of this center's bookings.", arrival.booking_id),
                    ),
                )
                .with_field(field));
            }
        }
    }
    Ok(())
}

/// Applies `report` from `center_id` (checked with [`check`] first), in one
/// transaction with its event `sync.reported`.
pub async fn apply(db: &HubDb, center_id: i64, report: DayReport) -> Result<DayReportAnswer, AppError> {
    check(&report)?;
    let mut tx = HubTx::begin(db).await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1, $2)")
        .bind(LOCK_SPACE)
        .bind(lock_key(center_id, report.day))
        .execute(tx.conn())
        .await?;
    let known: Option<(i64, chrono::NaiveDate, i64)> =
        sqlx::query_as("SELECT center_id, day, batch_seq FROM hub_sync_batches WHERE batch_id = $1")
            .bind(&report.batch_id)
            .fetch_optional(tx.conn())
            .await?;
    let (applied, current) = match known {
        Some((center, day, _)) if center != center_id || day != report.day => {
            return Err(batch_reused(&report.batch_id));
        }
        Some((_, _, seq)) => {
            // A resend: nothing changes. Current while no newer report came since.
            let day_seq = day_seq(tx.conn(), center_id, report.day).await?;
            (false, day_seq.is_none_or(|day_seq| day_seq <= seq))
        }
        None => {
            check_bookings(tx.conn(), center_id, &report).await?;
            sqlx::query(
                "INSERT INTO hub_sync_batches (batch_id, center_id, day, batch_seq, arrivals) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&report.batch_id)
            .bind(center_id)
            .bind(report.day)
            .bind(report.batch_seq)
            .bind(report.arrivals.len() as i32)
            .execute(tx.conn())
            .await
            .on_unique(|| batch_reused(&report.batch_id))?;
            let current = day_seq(tx.conn(), center_id, report.day).await?.is_none_or(|seq| seq < report.batch_seq);
            if current {
                let figures = serde_json::to_value(&report.figures).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
                sqlx::query(
                    "INSERT INTO hub_center_days (center_id, day, batch_seq, figures, reported_at)
                     VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (center_id, day) DO UPDATE
                        SET batch_seq = EXCLUDED.batch_seq, figures = EXCLUDED.figures, reported_at = EXCLUDED.reported_at",
                )
                .bind(center_id)
                .bind(report.day)
                .bind(report.batch_seq)
                .bind(figures)
                .bind(report.made_at)
                .execute(tx.conn())
                .await?;
                let came: Vec<CameIn> = report
                    .arrivals
                    .iter()
                    .map(|a| CameIn {
                        booking_id: a.booking_id,
                        at: a.checked_in_at,
                        people: i32::try_from(a.people).unwrap_or(i32::MAX),
                    })
                    .collect();
                for_centers::record_arrivals(tx.conn(), center_id, report.day, &came).await?;
            }
            (true, current)
        }
    };
    let event = SyncReported {
        center_id,
        day: report.day.to_string(),
        batch_seq: report.batch_seq,
        arrivals: report.arrivals.len() as i64,
        applied,
        current,
    };
    tx.append(&HubActor::center(center_id), Some(format!("center:{center_id}")), &event).await?;
    tx.commit().await?;
    Ok(DayReportAnswer { version: VERSION, batch_id: report.batch_id, applied, current })
}

/// The `batch_seq` the day holds now, if any report of it was applied.
async fn day_seq(conn: &mut PgConnection, center_id: i64, day: chrono::NaiveDate) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT batch_seq FROM hub_center_days WHERE center_id = $1 AND day = $2 FOR UPDATE")
        .bind(center_id)
        .bind(day)
        .fetch_optional(conn)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::Arrival;

    fn report() -> DayReport {
        DayReport {
            version: VERSION,
            batch_id: "c7-2026-12-01-0001".into(),
            batch_seq: 1,
            day: "2026-12-01".parse().unwrap(),
            made_at: "2026-12-01T10:42:00+09:00".parse().unwrap(),
            arrivals: vec![Arrival {
                booking_id: 7,
                checked_in_at: "2026-12-01T08:30:00+09:00".parse().unwrap(),
                people: 1,
            }],
            figures: DayFigures::default(),
        }
    }

    fn field(report: DayReport) -> Option<String> {
        check(&report).unwrap_err().field
    }

    #[test]
    fn a_report_is_checked_field_by_field() {
        assert!(check(&report()).is_ok());
        for bad in ["", "a b", "バッチ", &"x".repeat(65)] {
            assert_eq!(field(DayReport { batch_id: bad.into(), ..report() }).as_deref(), Some("batch_id"), "{bad}");
        }
        assert_eq!(field(DayReport { batch_seq: 0, ..report() }).as_deref(), Some("batch_seq"));
        let mut twice = report();
        twice.arrivals.push(twice.arrivals[0].clone());
        assert_eq!(field(twice).as_deref(), Some("arrivals[1].booking_id"));
        let mut negative = report();
        negative.arrivals[0].people = -1;
        assert_eq!(field(negative).as_deref(), Some("arrivals[0].people"));
        let mut figures = report();
        figures.figures.walk_ins = -3;
        assert_eq!(field(figures).as_deref(), Some("figures.walk_ins"));
        let mut hours = report();
        hours.figures.hours = f64::NAN;
        assert_eq!(field(hours).as_deref(), Some("figures.hours"));
    }
}

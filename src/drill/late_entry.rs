//! Late entries: what a desk wrote on paper while it was offline, entered once
//! it is back. The player gives the paper's time (`Paper-Time`, see
//! [`super::outage_layer`]); the entry is recorded as `drill.late_entry`
//! right after the desk's own events, with the paper time and the entry time.

use chrono::{DateTime, FixedOffset, NaiveTime};

use super::desks::Desk;
use super::log::LateEntry;
use crate::clock::{Clock, stamp};
use crate::db::Db;
use crate::error::AppError;
use crate::events::Actor;
use crate::events::made::Made;
use crate::i18n::Text;

type Time = DateTime<FixedOffset>;

/// The header a desk's write carries when it enters a paper record.
pub const HEADER: &str = "paper-time";

/// Reads the paper's time: `HH:MM` of the drill's day, or an RFC 3339 time;
/// it must lie between the drill's start and now.
pub fn paper_time(value: &str, start: Time, now: Time) -> Result<Time, AppError> {
    let value = value.trim();
    let read = NaiveTime::parse_from_str(value, "%H:%M")
        .ok()
        .and_then(|t| now.date_naive().and_time(t).and_local_timezone(*now.offset()).single())
        .or_else(|| DateTime::parse_from_rfc3339(value).ok());
    let Some(at) = read else {
        return Err(refused(
            format!("紙の時刻（Paper-Time）「{value}」が読めません。HH:MM で入れてください。"),
            format!("Paper-Time \"{value}\" cannot be read: give it as HH:MM."),
        ));
    };
    if at > now || at < start {
        return Err(refused(
            format!("紙の時刻（Paper-Time）{} は訓練の開始から今までの時刻にしてください。", at.format("%H:%M")),
            format!("Paper-Time {} must lie between the drill's start and now.", at.format("%H:%M")),
        ));
    }
    Ok(at)
}

fn refused(ja: String, en: String) -> AppError {
    AppError::validation(HEADER, Text::new(ja, en))
}

/// Records the entry a write made (`made`: the desk's own events of the
/// request, see [`events::made`]) with the paper time. Nothing is recorded
/// when the write made none.
pub async fn record(
    db: &Db,
    clock: &Clock,
    actor: &Actor,
    desk: Desk,
    paper_time: Time,
    made: &[Made],
) -> Result<(), AppError> {
    let Some(first) = made.first() else { return Ok(()) };
    let entry = LateEntry {
        paper_time: stamp(paper_time),
        desk: Some(desk.name().to_string()),
        events: made.iter().map(|e| e.seq).collect(),
        kinds: made.iter().map(|e| e.kind.clone()).collect(),
    };
    let mut tx = db.begin_write().await?;
    tx.append(clock, actor, first.subject.clone(), &entry).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Time {
        s.parse().unwrap()
    }

    #[test]
    fn a_paper_time_is_a_clock_time_of_the_drill_day_up_to_now() {
        let (start, now) = (t("2026-07-12T08:00:00+09:00"), t("2026-07-12T10:20:00+09:00"));
        assert_eq!(paper_time("10:05", start, now).unwrap(), t("2026-07-12T10:05:00+09:00"));
        assert_eq!(paper_time(" 2026-07-12T09:59:00+09:00 ", start, now).unwrap(), t("2026-07-12T09:59:00+09:00"));
        for bad in ["10:21", "07:59", "25:00", "soon", ""] {
            let error = paper_time(bad, start, now).unwrap_err();
            assert_eq!((error.code, error.field.as_deref()), ("validation", Some(HEADER)), "{bad}");
            assert!(error.message.ja.contains("紙の時刻"), "{bad}: {}", error.message.ja);
        }
    }
}

//! An inject's `at`: `+HH:MM` after the drill's start, or the clock time
//! `HH:MM` of the drill day (the date of `sim_start`, in its offset). Both
//! read to minutes after the start; a negative offset, a clock time before
//! the start and anything after the drill's end are refused, each with its
//! own words, so `drill check` can say exactly what is wrong.

use chrono::{DateTime, FixedOffset, Timelike};

use super::limits;

/// How an `at` was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// `+01:30`: minutes after the start.
    Offset(i64),
    /// `10:30`: the clock on the drill day, minutes after midnight.
    Clock(i64),
}

/// Why an `at` gives no time in the drill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AtProblem {
    /// Neither `+HH:MM` nor `HH:MM`.
    Form,
    /// `-00:10`: before the start, written as an offset.
    Negative,
    /// A clock time before the drill starts (and not after midnight within it).
    BeforeStart,
    /// After the drill's end: the minutes after the start it would be.
    PastEnd(i64),
}

/// Reads `+HH:MM` (any hours) or `HH:MM` (00:00–23:59). Too many hours
/// saturate at `i64::MAX` (the end refuses them); nothing overflows.
pub fn parse(text: &str) -> Result<At, AtProblem> {
    let text = text.trim();
    // ASCII, full-width and the minus sign: a minus is never ignored.
    if text.starts_with(['-', '－', '−']) {
        return Err(AtProblem::Negative);
    }
    let (offset, rest) = match text.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (h, m) = rest.split_once(':').ok_or(AtProblem::Form)?;
    let (h, m) = (limits::number(h).ok_or(AtProblem::Form)?, limits::number(m).ok_or(AtProblem::Form)?);
    if m >= 60 || (!offset && (h >= 24 || rest.len() != 5)) {
        return Err(AtProblem::Form);
    }
    let minutes = h.saturating_mul(60).saturating_add(m);
    Ok(if offset { At::Offset(minutes) } else { At::Clock(minutes) })
}

/// Minutes after `start` for an `at`, in a drill of `length` minutes. A clock
/// time earlier than the start's is the next day when that is still within
/// the drill (a night shift past midnight).
pub fn resolve(text: &str, start: DateTime<FixedOffset>, length: i64) -> Result<i64, AtProblem> {
    let minutes = match parse(text)? {
        At::Offset(minutes) => minutes,
        At::Clock(clock) => {
            let started = i64::from(start.hour() * 60 + start.minute());
            // Seconds in sim_start round up: a clock minute before them is before the start.
            let started = started + i64::from(start.second() > 0);
            match clock - started {
                after if after >= 0 => after,
                before if before + 24 * 60 <= length => before + 24 * 60,
                _ => return Err(AtProblem::BeforeStart),
            }
        }
    };
    if minutes > length { Err(AtProblem::PastEnd(minutes)) } else { Ok(minutes) }
}

/// `HH:MM` of the clock `minutes` after `start`.
pub fn clock_at(start: DateTime<FixedOffset>, minutes: i64) -> String {
    limits::add_minutes(start, minutes).map_or_else(|| "--:--".into(), |t| t.format("%H:%M").to_string())
}

/// What is wrong with inject `id`'s `at` (Japanese, English), for `drill check`.
pub fn words(problem: &AtProblem, id: u32, text: &str, start: DateTime<FixedOffset>, length: i64) -> (String, String) {
    let text = text.trim();
    let (end, end_clock) = (limits::offset(length), clock_at(start, length));
    let begins = start.format("%H:%M").to_string();
    match problem {
        AtProblem::Form => (
            format!(
                "インジェクト {id} の at（{text}）は +01:30（開始からの経過）か 09:30（訓練日の時刻）の形で書いてください"
            ),
            format!("inject {id}: at ({text}) is +01:30 (after the start) or 09:30 (the clock on the drill day)"),
        ),
        AtProblem::Negative => (
            format!(
                "インジェクト {id} の at（{text}）は負の時間です。開始（+00:00、{begins}）より前には発動できません"
            ),
            format!("inject {id}: at ({text}) is negative; nothing fires before the start (+00:00, {begins})"),
        ),
        AtProblem::BeforeStart => (
            format!("インジェクト {id} の at（{text}）は訓練の開始（{begins}）より前です"),
            format!("inject {id}: at ({text}) is before the drill starts ({begins})"),
        ),
        AtProblem::PastEnd(minutes) => {
            let when = format!("{}、{}", limits::offset(*minutes), clock_at(start, *minutes));
            (
                format!(
                    "インジェクト {id} の at（{text} = {when}）が訓練の終わり（{end}、{end_clock}）より後です（at は {end} まで）"
                ),
                format!(
                    "inject {id}: at {text} ({}, {}) is after the end of the drill ({end}, {end_clock}); at is at most {end}",
                    limits::offset(*minutes),
                    clock_at(start, *minutes)
                ),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    #[test]
    fn offsets_and_clock_times_read_as_minutes_after_the_start() {
        let eight_thirty = start("2026-07-12T08:30:00+09:00");
        assert_eq!(resolve("+01:35", eight_thirty, 240), Ok(95));
        assert_eq!(resolve("10:05", eight_thirty, 240), Ok(95), "the clock of the drill day");
        assert_eq!(resolve("08:30", eight_thirty, 240), Ok(0));
        assert_eq!(resolve("12:30", eight_thirty, 240), Ok(240), "the last minute");
        assert_eq!(resolve("+04:00", eight_thirty, 240), Ok(240));
    }

    #[test]
    fn negatives_early_clock_times_and_past_the_end_are_refused() {
        let eight_thirty = start("2026-07-12T08:30:00+09:00");
        assert_eq!(resolve("-00:10", eight_thirty, 240), Err(AtProblem::Negative));
        assert_eq!(resolve("－00:10", eight_thirty, 240), Err(AtProblem::Negative));
        assert_eq!(resolve("08:20", eight_thirty, 240), Err(AtProblem::BeforeStart));
        assert_eq!(resolve("+05:00", eight_thirty, 240), Err(AtProblem::PastEnd(300)));
        assert_eq!(resolve("12:31", eight_thirty, 240), Err(AtProblem::PastEnd(241)));
        assert_eq!(resolve("+999999999999999999:00", eight_thirty, 240), Err(AtProblem::PastEnd(i64::MAX)));
        for bad in ["10:5", "24:00", "9:30", "10:60", "+1:75", "朝", "", "10", "+10"] {
            assert_eq!(resolve(bad, eight_thirty, 240), Err(AtProblem::Form), "{bad}");
        }
    }

    #[test]
    fn a_night_drill_reads_clock_times_after_midnight_as_the_next_day() {
        let ten_pm = start("2026-07-12T22:00:00+09:00");
        assert_eq!(resolve("01:30", ten_pm, 8 * 60), Ok(210));
        assert_eq!(resolve("07:00", ten_pm, 8 * 60), Err(AtProblem::BeforeStart), "past 06:00 the next day");
        assert_eq!(clock_at(ten_pm, 210), "01:30");
    }

    #[test]
    fn the_words_name_the_inject_the_time_and_the_end() {
        let eight_thirty = start("2026-07-12T08:30:00+09:00");
        let (ja, en) = words(&AtProblem::PastEnd(300), 7, "+05:00", eight_thirty, 240);
        assert!(ja.contains("インジェクト 7") && ja.contains("+04:00") && ja.contains("12:30"), "{ja}");
        assert!(en.contains("13:30") && en.contains("after the end of the drill"), "{en}");
        let (ja, _) = words(&AtProblem::Negative, 7, "-00:10", eight_thirty, 240);
        assert!(ja.contains("負"), "{ja}");
    }
}

//! 帰着期限: when a team must be back. The heat rule (or the time the
//! coordinator gives) is capped by the day's hard limits — the last-return
//! time, sunset minus the margin, and the WBGT band's longest time out — and a
//! deadline that leaves less than the minimum working time, or a team sent
//! after the last dispatch time, needs the coordinator's override. Pure: the
//! caller reads the settings, sunset and the reading in force.

use chrono::{DateTime, Duration, FixedOffset, NaiveTime};
use serde_json::json;

use crate::error::AppError;
use crate::events::contract::settings::HeatBand;
use crate::fields::invalid;
use crate::i18n::Text;
use crate::settings::Settings;

/// The latest a given deadline may be set after leaving.
const MAX_HOURS_OUT: i64 = 12;

/// What the day's limits are, read by the caller.
pub struct Limits<'a> {
    pub settings: &'a Settings,
    pub sunset: Option<DateTime<FixedOffset>>,
    /// The band of the WBGT reading in force, if any.
    pub heat: Option<&'a HeatBand>,
}

/// The coordinator's explicit overrides (fields of the team form).
#[derive(Debug, Clone, Copy, Default)]
pub struct Overrides {
    pub short_time: bool,
    pub after_last_dispatch: bool,
}

/// The deadline decided, what set it, and the overrides it used.
#[derive(Debug, Clone, PartialEq)]
pub struct Deadline {
    pub at: DateTime<FixedOffset>,
    pub limited_by: &'static str,
    pub overrides: Vec<String>,
}

pub fn decide(
    given: Option<&str>,
    now: DateTime<FixedOffset>,
    limits: &Limits,
    overrides: Overrides,
) -> Result<Deadline, AppError> {
    let settings = limits.settings;
    let mut used = Vec::new();
    if now.time() > settings.last_dispatch() {
        if !overrides.after_last_dispatch {
            return Err(after_last_dispatch(settings.last_dispatch()));
        }
        used.push("after_last_dispatch".to_string());
    }
    let (wanted, from) = match given.map(str::trim).filter(|g| !g.is_empty()) {
        Some(text) => (given_time(text, now)?, "given"),
        None => (settings.heat_rule_deadline(now), "heat_rule"),
    };
    let caps = [
        settings.last_return_on(now.date_naive(), now).map(|at| (at, "last_return")),
        limits.sunset.map(|at| (at - settings.sunset_margin(), "sunset")),
        limits
            .heat
            .filter(|band| band.max_out_minutes > 0)
            .map(|band| (now + Duration::minutes(band.max_out_minutes.into()), "heat_band")),
    ];
    let cap = caps.into_iter().flatten().min_by_key(|(at, _)| *at);
    let (at, limited_by) = match cap {
        Some((cap, why)) if cap < wanted => (cap, why),
        _ => (wanted, from),
    };
    if at <= now {
        return Err(no_time_left(limited_by, at));
    }
    if at - now < settings.min_working() {
        if !overrides.short_time {
            return Err(short_time(settings, at, now, limited_by));
        }
        used.push("short_time".to_string());
    }
    Ok(Deadline { at, limited_by, overrides: used })
}

/// `14:00` today or RFC 3339, later than now and within the working day.
fn given_time(text: &str, now: DateTime<FixedOffset>) -> Result<DateTime<FixedOffset>, AppError> {
    let at = match NaiveTime::parse_from_str(text, "%H:%M") {
        Ok(time) => now.date_naive().and_time(time).and_local_timezone(now.timezone()).single(),
        Err(_) => DateTime::parse_from_rfc3339(text).ok().map(|at| at.with_timezone(&now.timezone())),
    };
    // Within the working day: a deadline days away would never flag a team overdue.
    at.filter(|at| *at > now && *at <= now + Duration::hours(MAX_HOURS_OUT)).ok_or_else(|| {
        invalid(
            "return_by",
            "帰着期限は 14:00 のように、今から12時間以内の時刻で入力してください。",
            "return_by is a later time within 12 hours, such as 14:00, or RFC 3339.",
        )
    })
}

fn hm(at: DateTime<FixedOffset>) -> String {
    at.format("%-H:%M").to_string()
}

/// Why the deadline is where it is, in words.
fn because(limited_by: &str) -> (&'static str, &'static str) {
    match limited_by {
        "last_return" => ("最終帰着時刻", "the last-return time"),
        "sunset" => ("日没前の帰着", "sunset less the margin"),
        "heat_band" => ("暑さ指数による最長活動時間", "the WBGT band's longest time out"),
        _ => ("帰着ルール", "the return rule"),
    }
}

fn after_last_dispatch(last: NaiveTime) -> AppError {
    let last = last.format("%-H:%M").to_string();
    AppError::conflict(Text::new(
        format!("最終送り出し時刻（{last}）を過ぎています。送り出すにはコーディネーターの判断（最終送り出し後の送り出しを許可）が必要です。"),
        format!("It is past the last dispatch time ({last}): sending a team needs a coordinator's override (override_last_dispatch)."),
    ))
    .coded("after_last_dispatch")
    .with_field("override_last_dispatch")
    .with_details(json!({ "last_dispatch": last }))
}

fn short_time(
    settings: &Settings,
    at: DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
    limited_by: &str,
) -> AppError {
    let (why_ja, why_en) = because(limited_by);
    let left = (at - now).num_minutes();
    let min = settings.values.min_working_minutes;
    AppError::conflict(Text::new(
        format!("帰着期限が {}（{why_ja}）で、活動できるのは{left}分です（最低{min}分）。送り出すにはコーディネーターの判断（短時間の活動を許可）が必要です。", hm(at)),
        format!("The deadline is {} ({why_en}), leaving {left} minutes (at least {min} needed): sending the team needs a coordinator's override (override_short_time).", hm(at)),
    ))
    .coded("short_working_time")
    .with_field("override_short_time")
    .with_details(json!({ "return_by": crate::clock::stamp(at), "limited_by": limited_by, "minutes": left }))
}

fn no_time_left(limited_by: &str, at: DateTime<FixedOffset>) -> AppError {
    let (why_ja, why_en) = because(limited_by);
    AppError::conflict(Text::new(
        format!("{why_ja}（{}）を過ぎているため、今日はもう送り出せません。", hm(at)),
        format!("It is past {why_en} ({}): no team can be sent today.", hm(at)),
    ))
    .coded("no_time_left")
    .with_details(json!({ "limited_by": limited_by, "until": crate::clock::stamp(at) }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    fn limits(settings: &Settings) -> Limits<'_> {
        Limits { settings, sunset: None, heat: None }
    }

    #[test]
    fn a_given_time_is_today_later_than_now_and_within_twelve_hours() {
        let settings = Settings::defaults();
        let morning = at("2026-07-12T09:00:00+09:00");
        let given = decide(Some("14:00"), morning, &limits(&settings), Overrides::default()).unwrap();
        assert_eq!((given.at, given.limited_by), (at("2026-07-12T14:00:00+09:00"), "given"));
        assert!(decide(Some("08:00"), morning, &limits(&settings), Overrides::default()).is_err());
        assert!(decide(Some("夕方"), morning, &limits(&settings), Overrides::default()).is_err());
    }

    #[test]
    fn the_earliest_limit_wins_and_names_itself() {
        let settings = Settings::defaults();
        let noon = at("2026-11-30T13:00:00+09:00");
        let sunset = Some(at("2026-11-30T14:50:00+09:00"));
        let decided = decide(None, noon, &Limits { settings: &settings, sunset, heat: None }, Overrides::default());
        assert_eq!(
            decided.unwrap(),
            Deadline { at: at("2026-11-30T14:20:00+09:00"), limited_by: "sunset", overrides: vec![] }
        );
        let band = &settings.values.heat_bands[2];
        let decided =
            decide(None, noon, &Limits { settings: &settings, sunset: None, heat: Some(band) }, Overrides::default());
        assert_eq!(decided.unwrap().limited_by, "heat_band");
    }
}

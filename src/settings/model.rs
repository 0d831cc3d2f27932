//! The settings as the center runs with them: the stored document (or the
//! defaults before the first change), its version, and typed readings of it.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime};
use serde::Serialize;

use crate::events::contract::settings::{CenterSettings, HeatBand};

/// The settings in force.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = Settings)]
pub struct Settings {
    /// Send it back with a change; a stale one is refused with 409. 0 before the first change.
    pub version: i64,
    #[serde(flatten)]
    pub values: CenterSettings,
}

/// `HH:MM`, as the settings write a time of day.
pub fn time_of_day(text: &str) -> Option<NaiveTime> {
    let text = text.trim();
    (text.len() == 5).then(|| NaiveTime::parse_from_str(text, "%H:%M").ok()).flatten()
}

impl Settings {
    pub fn defaults() -> Settings {
        Settings { version: 0, values: CenterSettings::default() }
    }

    /// 受付開始.
    pub fn reception_opens(&self) -> NaiveTime {
        self.time(&self.values.reception_opens, |d| &d.reception_opens)
    }

    /// 受付終了.
    pub fn reception_closes(&self) -> NaiveTime {
        self.time(&self.values.reception_closes, |d| &d.reception_closes)
    }

    /// No team leaves after this.
    pub fn last_dispatch(&self) -> NaiveTime {
        self.time(&self.values.last_dispatch, |d| &d.last_dispatch)
    }

    /// The fixed time of day teams are back by, if any.
    pub fn return_by(&self) -> Option<NaiveTime> {
        time_of_day(&self.values.return_by)
    }

    pub fn return_within(&self) -> Duration {
        Duration::minutes(self.values.return_within_minutes.into())
    }

    /// The heat rule's deadline for a team leaving at `now`: within
    /// `return_within`, and by `return_by` o'clock when that comes first and
    /// still leaves `return_by_grace_minutes` (a late team keeps `return_within`).
    pub fn heat_rule_deadline(&self, now: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
        let within = now + self.return_within();
        let grace = Duration::minutes(self.values.return_by_grace_minutes.into());
        let by_clock =
            self.return_by().and_then(|time| at_on(now, now.date_naive(), time)).filter(|at| *at > now + grace);
        by_clock.map_or(within, |at| at.min(within))
    }

    /// 最終帰着: no deadline passes this time of `day`, when set.
    pub fn last_return_on(&self, day: NaiveDate, offset: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
        time_of_day(&self.values.last_return).and_then(|time| at_on(offset, day, time))
    }

    /// Deadlines end this long before sunset.
    pub fn sunset_margin(&self) -> Duration {
        Duration::minutes(self.values.sunset_margin_minutes.into())
    }

    /// A deadline leaving less than this needs a coordinator's override.
    pub fn min_working(&self) -> Duration {
        Duration::minutes(self.values.min_working_minutes.into())
    }

    /// How long a team back from work rests before it goes out again: the
    /// setting, or the rest of the WBGT band in force when that is longer.
    pub fn rest_after_return(&self, band: Option<&HeatBand>) -> Duration {
        let minutes = self.values.rest_after_return_minutes.max(band.map_or(0, |b| b.rest_minutes));
        Duration::minutes(minutes.into())
    }

    /// Where the center is (lat, lon), when set.
    pub fn location(&self) -> Option<(f64, f64)> {
        self.values.center_lat.zip(self.values.center_lon)
    }

    /// The WBGT band a reading falls in; `None` below the lowest.
    pub fn heat_band(&self, wbgt: f64) -> Option<&HeatBand> {
        self.values.heat_bands.iter().rev().find(|band| wbgt >= band.from)
    }

    /// Whether a need category (its API name, `under_floor`) is heavy work.
    pub fn is_heavy_work(&self, category: &str) -> bool {
        self.values.heavy_work.iter().any(|heavy| heavy == category)
    }

    /// Stored times are checked before they are stored; a document written by
    /// hand into the file falls back to the default rather than failing a desk.
    fn time(&self, text: &str, default: fn(&CenterSettings) -> &String) -> NaiveTime {
        time_of_day(text)
            .or_else(|| time_of_day(default(&CenterSettings::default())))
            .expect("the default times are times")
    }
}

/// `time` on `day` in the offset of `zone`.
fn at_on(zone: DateTime<FixedOffset>, day: NaiveDate, time: NaiveTime) -> Option<DateTime<FixedOffset>> {
    day.and_time(time).and_local_timezone(zone.timezone()).single()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    #[test]
    fn the_heat_rule_gives_the_earlier_of_three_hours_and_three_oclock() {
        let settings = Settings::defaults();
        let morning = at("2026-07-12T09:00:00+09:00");
        assert_eq!(settings.heat_rule_deadline(morning), at("2026-07-12T12:00:00+09:00"));
        let noon = at("2026-07-12T13:00:00+09:00");
        assert_eq!(settings.heat_rule_deadline(noon), at("2026-07-12T15:00:00+09:00"));
        let late = at("2026-07-12T14:45:00+09:00");
        assert_eq!(settings.heat_rule_deadline(late), at("2026-07-12T17:45:00+09:00"), "no deadline in the past");
    }

    #[test]
    fn the_last_return_is_a_time_of_the_day_asked_about() {
        let mut settings = Settings::defaults();
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let zone = at("2026-11-30T09:00:00+09:00");
        assert_eq!(settings.last_return_on(day, zone), Some(at("2026-11-30T18:00:00+09:00")));
        settings.values.last_return = String::new();
        assert_eq!(settings.last_return_on(day, zone), None);
    }

    #[test]
    fn a_reading_falls_in_the_highest_band_it_reaches() {
        let settings = Settings::defaults();
        assert_eq!(settings.heat_band(24.9), None);
        assert_eq!(settings.heat_band(25.0).map(|b| b.name.as_str()), Some("警戒"));
        assert_eq!(settings.heat_band(30.9).map(|b| b.name.as_str()), Some("厳重警戒"));
        assert_eq!(settings.heat_band(35.0).map(|b| b.name.as_str()), Some("危険"));
    }

    #[test]
    fn a_team_rests_the_setting_or_the_heat_bands_rest_when_longer() {
        let settings = Settings::defaults();
        assert_eq!(settings.rest_after_return(None), Duration::minutes(30));
        let hot = settings.heat_band(32.0).cloned().map(|b| HeatBand { rest_minutes: 45, ..b });
        assert_eq!(settings.rest_after_return(hot.as_ref()), Duration::minutes(45));
        let mild = settings.heat_band(25.0);
        assert_eq!(settings.rest_after_return(mild), Duration::minutes(30), "警戒 rests 10: the setting's 30 wins");
    }

    #[test]
    fn times_of_day_are_hours_and_minutes_only() {
        assert_eq!(time_of_day("15:00"), NaiveTime::from_hms_opt(15, 0, 0));
        assert_eq!(time_of_day("9:00"), None);
        assert_eq!(time_of_day("15:00:00"), None);
        assert_eq!(time_of_day("25:00"), None);
    }
}

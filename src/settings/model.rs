//! The settings as the center runs with them: the stored document (or the
//! defaults before the first change), its version, and typed readings of it.

use chrono::{Duration, NaiveTime};
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reading_falls_in_the_highest_band_it_reaches() {
        let settings = Settings::defaults();
        assert_eq!(settings.heat_band(24.9), None);
        assert_eq!(settings.heat_band(25.0).map(|b| b.name.as_str()), Some("警戒"));
        assert_eq!(settings.heat_band(30.9).map(|b| b.name.as_str()), Some("厳重警戒"));
        assert_eq!(settings.heat_band(35.0).map(|b| b.name.as_str()), Some("危険"));
    }

    #[test]
    fn times_of_day_are_hours_and_minutes_only() {
        assert_eq!(time_of_day("15:00"), NaiveTime::from_hms_opt(15, 0, 0));
        assert_eq!(time_of_day("9:00"), None);
        assert_eq!(time_of_day("15:00:00"), None);
        assert_eq!(time_of_day("25:00"), None);
    }
}

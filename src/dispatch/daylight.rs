//! Sunset (日没) at the center, for the return deadline: no team is out after
//! dark. Computed with the `sunrise` crate (NOAA's solar equation).

use chrono::{DateTime, FixedOffset, NaiveDate};
use sunrise::{Coordinates, SolarDay, SolarEvent};

use crate::settings::Settings;
use crate::zones::ZoneIndex;

/// Where sunset is reckoned: the center's location from the settings, else the
/// middle of the map's zones (the area the teams work in), else nowhere; nowhere
/// too when the center has turned the rule off (`end_before_sunset`).
pub fn place(settings: &Settings, zones: &ZoneIndex) -> Option<(f64, f64)> {
    if !settings.values.end_before_sunset {
        return None;
    }
    settings.location().or_else(|| zones.middle())
}

/// Sunset on `day` at `(lat, lon)`, in the offset of `zone`; `None` in a polar
/// day or night (the deadline then keeps its other limits).
pub fn sunset(day: NaiveDate, (lat, lon): (f64, f64), zone: &DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
    let at = SolarDay::new(Coordinates::new(lat, lon)?, day).event_time(SolarEvent::Sunset)?;
    Some(at.with_timezone(&zone.timezone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sunset_in_kanazawa_is_before_five_in_november_and_after_seven_in_july() {
        let zone = DateTime::parse_from_rfc3339("2026-11-30T09:00:00+09:00").unwrap();
        let kanazawa = (36.56, 136.65);
        let november = sunset(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(), kanazawa, &zone).unwrap();
        assert_eq!(november.format("%H").to_string(), "16", "{november}");
        let july = sunset(NaiveDate::from_ymd_opt(2026, 7, 12).unwrap(), kanazawa, &zone).unwrap();
        assert_eq!(july.format("%H").to_string(), "19", "{july}");
        assert_eq!(july.offset(), zone.offset());
    }
}

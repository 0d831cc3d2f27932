//! The day by the hour: people checked in and teams sent out, as a small SVG
//! bar chart drawn on the server (no chart library).

use std::fmt::Write;

use chrono::NaiveDate;
use sqlx::SqliteConnection;

use crate::i18n::{Lang, Words};

/// Counts per hour of the day, 0–23.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hourly {
    pub checked_in: [i64; 24],
    pub dispatched: [i64; 24],
}

/// People checked in (a group counts its head count) and teams sent, per hour of `day`.
pub async fn hourly(conn: &mut SqliteConnection, day: NaiveDate) -> Result<Hourly, sqlx::Error> {
    let mut out = Hourly::default();
    let checkins: Vec<(String, i64)> =
        sqlx::query_as("SELECT substr(checked_in_at, 12, 2), SUM(headcount) FROM checkins WHERE day = ? GROUP BY 1")
            .bind(day.to_string())
            .fetch_all(&mut *conn)
            .await?;
    let teams: Vec<(String, i64)> =
        sqlx::query_as("SELECT substr(departed_at, 12, 2), COUNT(*) FROM teams WHERE day = ? GROUP BY 1")
            .bind(day.to_string())
            .fetch_all(&mut *conn)
            .await?;
    for (hour, n) in checkins {
        if let Some(slot) = hour.parse::<usize>().ok().and_then(|h| out.checked_in.get_mut(h)) {
            *slot += n;
        }
    }
    for (hour, n) in teams {
        if let Some(slot) = hour.parse::<usize>().ok().and_then(|h| out.dispatched.get_mut(h)) {
            *slot += n;
        }
    }
    Ok(out)
}

/// Hours shown: the working day, widened to any hour that has something.
fn span(h: &Hourly) -> (usize, usize) {
    let busy = |i: usize| h.checked_in[i] > 0 || h.dispatched[i] > 0;
    let first = (0..24).find(|&i| busy(i)).unwrap_or(7).min(7);
    let last = (0..24).rev().find(|&i| busy(i)).unwrap_or(17).max(17);
    (first, last)
}

/// Two bars per hour (受付 blue, 送り出し orange), the scale on the left.
pub fn svg(h: &Hourly, lang: Lang) -> String {
    let w = Words::new(lang);
    let (first, last) = span(h);
    let hours = last - first + 1;
    let (left, top, height, slot) = (36.0, 24.0, 120.0, 28.0);
    let width = left + slot * hours as f64 + 8.0;
    let max = (first..=last).flat_map(|i| [h.checked_in[i], h.dispatched[i]]).max().unwrap_or(0).max(1);
    let scale = height / max as f64;
    let mut out = String::new();
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {}" role="img" aria-label="{}" font-family="sans-serif" font-size="11">"##,
        top + height + 40.0,
        w.get("chart.label")
    );
    let _ = write!(
        out,
        r##"<rect x="{left}" y="4" width="10" height="10" fill="#1c7ed6"/><text x="{}" y="13">{}</text><rect x="{}" y="4" width="10" height="10" fill="#f76707"/><text x="{}" y="13">{}</text>"##,
        left + 14.0,
        w.get("chart.checked_in"),
        left + 90.0,
        left + 104.0,
        w.get("chart.dispatched")
    );
    let _ = write!(
        out,
        r##"<line x1="{left}" y1="{}" x2="{}" y2="{}" stroke="#888"/><text x="{}" y="{}" text-anchor="end">{max}</text><text x="{}" y="{}" text-anchor="end">0</text>"##,
        top + height,
        width - 8.0,
        top + height,
        left - 4.0,
        top + 10.0,
        left - 4.0,
        top + height
    );
    for (n, hour) in (first..=last).enumerate() {
        let x = left + slot * n as f64;
        for (k, (value, colour, class)) in
            [(h.checked_in[hour], "#1c7ed6", "checked-in"), (h.dispatched[hour], "#f76707", "dispatched")]
                .into_iter()
                .enumerate()
        {
            let bar = value as f64 * scale;
            let _ = write!(
                out,
                r##"<rect class="bar {class}" data-hour="{hour}" data-value="{value}" x="{}" y="{}" width="11" height="{bar}" fill="{colour}"><title>{}</title></rect>"##,
                x + 3.0 + 12.0 * k as f64,
                top + height - bar,
                w.with("chart.bar_title", [("hour", hour.to_string()), ("value", value.to_string())])
            );
        }
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" text-anchor="middle">{hour}</text>"##,
            x + slot / 2.0,
            top + height + 14.0
        );
    }
    let _ = write!(
        out,
        r##"<text x="{}" y="{}" text-anchor="middle">{}</text></svg>"##,
        width / 2.0,
        top + height + 30.0,
        w.get("chart.hour_axis")
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_hour_has_two_bars_scaled_to_the_busiest() {
        let mut h = Hourly::default();
        h.checked_in[8] = 40;
        h.checked_in[9] = 20;
        h.dispatched[9] = 5;
        let drawn = svg(&h, Lang::Ja);
        let doc = roxmltree::Document::parse(&drawn).expect("well-formed");
        let bars: Vec<_> =
            doc.descendants().filter(|n| n.attribute("class").is_some_and(|c| c.starts_with("bar"))).collect();
        assert_eq!(bars.len(), 2 * 11, "07–17 h, two bars each");
        let bar = |class: &str, hour: &str| {
            bars.iter()
                .find(|b| b.attribute("class") == Some(class) && b.attribute("data-hour") == Some(hour))
                .and_then(|b| b.attribute("height"))
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap()
        };
        assert_eq!(bar("bar checked-in", "8"), 120.0, "the busiest hour fills the height");
        assert_eq!(bar("bar checked-in", "9"), 60.0);
        assert_eq!(bar("bar dispatched", "9"), 15.0);
        let mut late = Hourly::default();
        late.dispatched[19] = 1;
        assert!(svg(&late, Lang::Ja).contains(r#"data-hour="19""#), "an evening team widens the span");
    }
}

//! 日報's safety section (安全管理): the day's 暑さ指数 (WBGT) readings, the
//! weather warnings and heat prompts, and the coordinator's decision on each
//! (活動中止 or carry on, with the reason), each with its time. Read from the
//! event log. Suspensions themselves (活動中止・再開, also those set by hand) are
//! the 日報's own section, not this one.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::SqliteConnection;

use super::daily::Line;
use crate::events::contract::safety::{AlertDecided, AlertRaised, WbgtRecorded};
use crate::events::{Event, EventPayload, decoded};
use crate::i18n::{Lang, word, word_with};
use crate::pdf::{Page, Weight, line_height_mm};

/// The section's heading, as the CSV's section column and the PDF's heading.
pub const SECTION: &str = "安全管理（暑さ指数・警報）";

/// The day's safety record. Empty on a day without readings or warnings (and
/// then left out of the report's JSON, so older days read as they did).
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SafetyDay {
    /// The highest WBGT reading of the day.
    pub highest_wbgt: Option<f64>,
    pub readings: i64,
    /// Weather warnings and heat prompts.
    pub alerts: i64,
    /// Prompts answered with 活動中止.
    pub suspensions: i64,
    /// Every entry with its time, in order.
    pub entries: Vec<SafetyEntry>,
}

/// One line of the record: `HH:MM` and what happened, in the papers' Japanese.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SafetyEntry {
    pub at: String,
    pub text: String,
}

impl SafetyDay {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub async fn of(conn: &mut SqliteConnection, day: NaiveDate) -> Result<SafetyDay, sqlx::Error> {
        let events: Vec<Event> = sqlx::query_as(
            "SELECT seq, at, actor, kind, subject, data, drill, cause FROM events
             WHERE kind IN (?, ?, ?) AND substr(at, 1, 10) = ? ORDER BY seq",
        )
        .bind(WbgtRecorded::KIND)
        .bind(AlertRaised::KIND)
        .bind(AlertDecided::KIND)
        .bind(day.to_string())
        .fetch_all(conn)
        .await?;
        let mut safety = SafetyDay::default();
        for event in &events {
            if let Some(text) = safety.entry(event) {
                safety.entries.push(SafetyEntry { at: event.at.get(11..16).unwrap_or_default().to_string(), text });
            }
        }
        Ok(safety)
    }

    fn entry(&mut self, event: &Event) -> Option<String> {
        let lang = Lang::Ja;
        if let Some(reading) = decoded::<WbgtRecorded>(event) {
            self.readings += 1;
            self.highest_wbgt = Some(self.highest_wbgt.map_or(reading.wbgt, |h| h.max(reading.wbgt)));
            let wbgt = format!("{:.1}", reading.wbgt);
            let band = reading.band.unwrap_or_else(|| "—".into());
            return Some(word_with(lang, "papers.daily.safety.wbgt", &[("wbgt", &wbgt), ("band", &band)]));
        }
        if let Some(alert) = decoded::<AlertRaised>(event) {
            self.alerts += 1;
            let kind = kind_word(lang, &alert.kind);
            return Some(word_with(lang, "papers.daily.safety.alert", &[("kind", &kind), ("note", &alert.note)]));
        }
        if let Some(decision) = decoded::<AlertDecided>(event) {
            let kind = kind_word(lang, &decision.kind);
            let key = match decision.decision.as_str() {
                "suspend" => {
                    self.suspensions += 1;
                    "papers.daily.safety.decided_suspend"
                }
                _ => "papers.daily.safety.decided_continue",
            };
            return Some(word_with(lang, key, &[("kind", &kind), ("reason", &decision.reason)]));
        }
        None
    }

    /// The CSV's lines: the counts, then each entry (its time as the item).
    pub fn lines(&self) -> Vec<Line> {
        if self.is_empty() {
            return Vec::new();
        }
        let line = |item: String, day: String| Line { section: SECTION.to_string(), item, day, total: String::new() };
        let mut lines = vec![
            line("暑さ指数の記録".into(), self.readings.to_string()),
            line("暑さ指数の最高".into(), self.highest_wbgt.map(|w| format!("{w:.1}")).unwrap_or_default()),
            line("警報・判断の呼びかけ".into(), self.alerts.to_string()),
            line("活動中止の判断".into(), self.suspensions.to_string()),
        ];
        lines.extend(self.entries.iter().map(|e| line(format!("{} {}", e.at, e.text), String::new())));
        lines
    }

    /// The PDF's section: a heading, then one line per entry; returns the y
    /// below it, turning the page into `pages` when it runs out.
    pub fn draw(&self, lang: Lang, pages: &mut Vec<Page>, page: &mut Page, mut y: f32, left: f32, bottom: f32) -> f32 {
        if self.is_empty() {
            return y;
        }
        let row = line_height_mm(9.0) + 0.4;
        if y + line_height_mm(10.5) + row * 3.0 > bottom {
            pages.push(std::mem::replace(page, Page::a4()));
            y = 15.0;
        }
        page.text(left, y, 10.5, Weight::Bold, &word(lang, "papers.daily.safety.heading"));
        y += line_height_mm(10.5);
        for entry in &self.entries {
            if y + row > bottom {
                pages.push(std::mem::replace(page, Page::a4()));
                y = 15.0;
            }
            page.text(left + 2.0, y, 9.0, Weight::Regular, &entry.at);
            page.text(left + 14.0, y, 9.0, Weight::Regular, &entry.text);
            y += row;
        }
        y + 3.0
    }
}

/// 暑さ指数, 大雨, 雷, 余震; an unknown kind as it was written.
fn kind_word(lang: Lang, kind: &str) -> String {
    let key = match kind {
        "heat" => "papers.daily.safety.kind.heat",
        "heavy_rain" => "papers.daily.safety.kind.heavy_rain",
        "thunder" => "papers.daily.safety.kind.thunder",
        "aftershock" => "papers.daily.safety.kind.aftershock",
        other => return other.to_string(),
    };
    word(lang, key).into_owned()
}

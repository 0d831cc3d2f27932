//! 日報 as an A4 Japanese PDF: a bar chart of daily volunteers, then one headed
//! table per section with the day and 累計 side by side.

use chrono::Datelike;

use super::daily::{DailyReport, Line, lines, paper};
use super::daily_record::{DayRecord, Entry, Section};
use crate::i18n::{Lang, date_in, word, word_with};
use crate::pdf::{self, Page, Weight, line_height_mm, text_width_mm};

const LEFT: f32 = 20.0;
const RIGHT: f32 = 190.0;
const BOTTOM: f32 = 280.0;
const ROW: f32 = 5.2;
const BODY_PT: f32 = 9.0;
/// Column edges: item | 当日 | 累計.
const COL_DAY: f32 = 140.0;
const COL_TOTAL: f32 = 165.0;

/// The 日報 is one of the council's official papers: printed in Japanese.
pub fn render(report: &DailyReport, record: &DayRecord, drill: bool) -> Vec<u8> {
    render_in(Lang::Ja, report, record, drill)
}

/// Pages done, and the page being drawn with the y where the next line goes.
struct Sheet {
    pages: Vec<Page>,
    page: Page,
    y: f32,
}

impl Sheet {
    /// Room for `height` mm on this page, else a new page.
    fn room(&mut self, height: f32) {
        if self.y + height > BOTTOM {
            self.pages.push(std::mem::replace(&mut self.page, Page::a4()));
            self.y = 15.0;
        }
    }
}

fn render_in(lang: Lang, report: &DailyReport, record: &DayRecord, drill: bool) -> Vec<u8> {
    let pages = Vec::new();
    let mut page = Page::a4();
    let day = report.day;
    let date = word_with(lang, "papers.date.full", &[("year", &day.year().to_string()), ("date", &date_in(lang, day))]);
    let title = word_with(lang, "papers.daily.title", &[("date", &date)]);
    page.text(LEFT, 12.0, 16.0, Weight::Bold, &title);
    let center = &report.center_name;
    page.text(RIGHT - text_width_mm(10.0, Weight::Regular, center), 15.0, 10.0, Weight::Regular, center);
    page.line(LEFT, 21.0, RIGHT, 21.0, 0.8);
    let scope = word_with(lang, "papers.daily.scope", &[("first_day", &report.first_day.to_string())]);
    page.text(LEFT, 23.0, 8.0, Weight::Regular, &scope);
    let y = chart(lang, &mut page, report, 30.0);

    let all = lines(report);
    let mut sheet = Sheet { pages, page, y };
    for (section, rows) in by_section(&all) {
        table(lang, &mut sheet, section, &rows);
    }
    sheet.y = report.safety.draw(lang, &mut sheet.pages, &mut sheet.page, sheet.y, LEFT, BOTTOM);
    for section in record.sections() {
        match section {
            Section::Figures(lines) => {
                for (title, rows) in by_section(&lines) {
                    table(lang, &mut sheet, title, &rows);
                }
            }
            Section::Entries { title, entries } => list(&mut sheet, &title, &entries),
        }
    }
    sheet.room(14.0);
    let Sheet { mut pages, mut page, y } = sheet;
    page.text_wrapped(LEFT, y, RIGHT - LEFT, 8.0, Weight::Regular, &word(lang, "papers.daily.notes"));
    pages.push(page);
    let document = word_with(lang, "papers.daily.document", &[("day", &report.day.to_string())]);
    pdf::render(&document, pages, drill)
}

/// Lines grouped by their section, in order.
fn by_section(all: &[Line]) -> Vec<(&str, Vec<&Line>)> {
    let mut sections: Vec<(&str, Vec<&Line>)> = Vec::new();
    for line in all {
        match sections.last_mut() {
            Some((section, rows)) if *section == line.section => rows.push(line),
            _ => sections.push((line.section.as_str(), vec![line])),
        }
    }
    sections
}

/// A headed table: item | 当日 | 累計.
fn table(lang: Lang, sheet: &mut Sheet, section: &str, rows: &[&Line]) {
    // A heading never stands alone at the foot of a page.
    sheet.room(line_height_mm(10.5) + ROW * 3.0);
    sheet.page.text(LEFT, sheet.y, 10.5, Weight::Bold, section);
    sheet.y += line_height_mm(10.5);
    sheet.y = header(lang, &mut sheet.page, sheet.y);
    for row in rows {
        if sheet.y + ROW > BOTTOM {
            sheet.pages.push(std::mem::replace(&mut sheet.page, Page::a4()));
            sheet.y = header(lang, &mut sheet.page, 15.0);
        }
        let (page, y) = (&mut sheet.page, sheet.y);
        page.text(LEFT + 2.0, y, BODY_PT, Weight::Regular, &row.item);
        right(page, COL_TOTAL - 2.0, y, &row.day);
        right(page, RIGHT - 2.0, y, &row.total);
        page.line(COL_DAY, y, COL_DAY, y + ROW, 0.2);
        page.line(COL_TOTAL, y, COL_TOTAL, y + ROW, 0.2);
        sheet.y += ROW;
        page.line(LEFT, sheet.y, RIGHT, sheet.y, 0.2);
    }
    sheet.y += 3.0;
}

/// Column of the entries' text, right of their time.
const COL_WHAT: f32 = 62.0;

/// A headed list of entries (a time, then what happened, wrapped); 「なし」 when empty.
fn list(sheet: &mut Sheet, title: &str, entries: &[Entry]) {
    let pitch = line_height_mm(BODY_PT);
    sheet.room(line_height_mm(10.5) + pitch * 2.0);
    sheet.page.text(LEFT, sheet.y, 10.5, Weight::Bold, title);
    sheet.y += line_height_mm(10.5);
    if entries.is_empty() {
        sheet.page.text(LEFT + 2.0, sheet.y, BODY_PT, Weight::Regular, &paper("papers.daily.none"));
        sheet.y += pitch;
    }
    for entry in entries {
        let x = if entry.when.is_empty() { LEFT + 2.0 } else { COL_WHAT };
        for (i, line) in pdf::wrap_lines(&entry.what, RIGHT - x, BODY_PT, Weight::Regular).iter().enumerate() {
            sheet.room(pitch);
            if i == 0 && !entry.when.is_empty() {
                sheet.page.text(LEFT + 2.0, sheet.y, BODY_PT, Weight::Regular, &entry.when);
            }
            sheet.page.text(x, sheet.y, BODY_PT, Weight::Regular, line);
            sheet.y += pitch;
        }
        sheet.page.line(LEFT, sheet.y, RIGHT, sheet.y, 0.2);
        sheet.y += 0.8;
    }
    sheet.y += 3.0;
}

fn header(lang: Lang, page: &mut Page, y: f32) -> f32 {
    page.fill_rect(LEFT, y, RIGHT - LEFT, ROW, (0.9, 0.9, 0.9));
    page.text(LEFT + 2.0, y, BODY_PT, Weight::Bold, &word(lang, "papers.daily.column_item"));
    right_aligned(page, COL_TOTAL - 2.0, y, Weight::Bold, &word(lang, "papers.daily.column_day"));
    right_aligned(page, RIGHT - 2.0, y, Weight::Bold, &word(lang, "papers.daily.column_total"));
    page.line(LEFT, y + ROW, RIGHT, y + ROW, 0.5);
    page.line(COL_DAY, y, COL_DAY, y + ROW, 0.2);
    page.line(COL_TOTAL, y, COL_TOTAL, y + ROW, 0.2);
    y + ROW
}

fn right(page: &mut Page, x: f32, y: f32, text: &str) {
    right_aligned(page, x, y, Weight::Regular, text);
}

fn right_aligned(page: &mut Page, x: f32, y: f32, weight: Weight, text: &str) {
    page.text(x - text_width_mm(BODY_PT, weight, text), y, BODY_PT, weight, text);
}

/// A round top of scale for `max`: 1, 2, 5 × 10ⁿ.
fn scale_for(max: i64) -> i64 {
    let mut power = 1i64;
    loop {
        for step in [1, 2, 5] {
            if step * power >= max {
                return step * power;
            }
        }
        power *= 10;
    }
}

/// The bar chart of people checked in per day; returns the y below it.
fn chart(lang: Lang, page: &mut Page, report: &DailyReport, top: f32) -> f32 {
    page.text(LEFT, top, 10.5, Weight::Bold, &word(lang, "papers.daily.chart_title"));
    let (x0, y0, w, h) = (LEFT + 10.0, top + 8.0, RIGHT - LEFT - 10.0, 36.0);
    let scale = scale_for(report.chart.iter().map(|d| d.volunteers).max().unwrap_or(0).max(1));
    let base = y0 + h;
    for (value, y) in [(scale, y0), (scale / 2, y0 + h / 2.0), (0, base)] {
        if value > 0 {
            page.polyline(&[(x0, y), (x0 + w, y)], false, 0.3, (0.75, 0.75, 0.75));
        }
        let label = value.to_string();
        page.text(x0 - 1.5 - text_width_mm(7.0, Weight::Regular, &label), y - 1.8, 7.0, Weight::Regular, &label);
    }
    page.line(x0, y0, x0, base, 0.5);
    page.line(x0, base, x0 + w, base, 0.5);
    let n = report.chart.len();
    let slot = w / n.max(10) as f32;
    let every = n.div_ceil(10).max(1);
    for (i, d) in report.chart.iter().enumerate() {
        let x = x0 + i as f32 * slot;
        let bar = h * d.volunteers as f32 / scale as f32;
        let colour = if d.day == report.day { (0.85, 0.35, 0.1) } else { (0.3, 0.5, 0.8) };
        if bar > 0.0 {
            page.fill_rect(x + slot * 0.15, base - bar, slot * 0.7, bar, colour);
        }
        if i % every == 0 || d.day == report.day {
            let label = format!("{}/{}", d.day.month(), d.day.day());
            let lw = text_width_mm(6.0, Weight::Regular, &label);
            page.text(x + slot / 2.0 - lw / 2.0, base + 0.5, 6.0, Weight::Regular, &label);
        }
    }
    base + 8.0
}

#[cfg(test)]
mod tests {
    #[test]
    fn daily_chart_scale_is_round() {
        assert_eq!(super::scale_for(1), 1);
        assert_eq!(super::scale_for(3), 5);
        assert_eq!(super::scale_for(12), 20);
        assert_eq!(super::scale_for(340), 500);
    }
}

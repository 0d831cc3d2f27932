//! 日報: the figures of one activity day and the same figures cumulative since
//! the center opened, read in one read transaction from the domain tables and
//! the event log, so that they match the board.
//!
//! Every figure is over a range of activity days (`Figures::over`): the day is
//! the range `day..=day`, the cumulative column `first..=day`, and the
//! council's summary is a list of one-day ranges. The activity day of a stamp
//! is its local date (`substr(at, 1, 10)`): stamps are written in the center's offset.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use sqlx::SqliteConnection;

use super::daily_record::{self, DayRecord, Section};
use super::daily_safety::SafetyDay;
use crate::events::contract::needs::{NeedReopened, NeedStatus, NeedStatusChanged};
use crate::events::{Event, EventPayload};
use crate::i18n::{Lang, word};
use crate::needs::Category;

/// Days at most in the chart of daily volunteers.
pub const CHART_DAYS: i64 = 30;

/// Zone label of needs whose zone is unknown.
pub const NO_ZONE: &str = "地区不明";

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DailyReport {
    pub center_name: String,
    /// The activity day reported.
    pub day: NaiveDate,
    /// The center's first activity day (first check-in or need received); the cumulative column starts there.
    pub first_day: NaiveDate,
    /// The day's figures.
    pub today: Figures,
    /// The same figures from `first_day` up to and including `day`.
    pub cumulative: Figures,
    /// People checked in per day, oldest first: the last 30 days up to `day` (not before `first_day`).
    pub chart: Vec<DayCount>,
    /// 安全管理: the day's WBGT readings, warnings, decisions and suspensions (left out when none).
    #[serde(default, skip_serializing_if = "SafetyDay::is_empty")]
    pub safety: SafetyDay,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DayCount {
    pub day: NaiveDate,
    pub volunteers: i64,
}

/// Figures over a range of activity days. People, not records: a group's check-in
/// counts its head count; cumulative people are person-days.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema, sqlx::FromRow)]
pub struct Volunteers {
    /// People checked in (equals the board's `checked_in` for one day).
    pub checked_in: i64,
    pub individuals: i64,
    /// People who came as groups (representatives' head counts and named members).
    pub group_members: i64,
    /// First check-in ever in the range.
    pub new: i64,
    /// Checked in before the range too.
    pub repeat: i64,
    /// 保険 加入済 (by the day's check-in).
    pub insurance_enrolled: i64,
    /// 当日加入
    pub insurance_enrolled_at_desk: i64,
    /// 未加入
    pub insurance_none: i64,
    /// Checked out.
    pub checked_out: i64,
    /// Not checked out: not counted in `hours`.
    pub not_checked_out: i64,
    /// Person-hours of those checked out (minutes × head count), one decimal.
    pub hours: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct NeedFigures {
    /// Received (by `received_at`).
    pub received: i64,
    /// Moved to 完了 (by the event's time).
    pub done: i64,
    /// Moved to 継続.
    pub continuing: i64,
    /// Moved to 取消.
    pub cancelled: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct NeedLine {
    /// Zone name (「地区不明」 when unknown) or work category (泥出し …).
    pub label: String,
    #[serde(flatten)]
    pub needs: NeedFigures,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Needs {
    #[serde(flatten)]
    pub total: NeedFigures,
    /// By zone, by name, 「地区不明」 last; zones without any figure are left out.
    pub by_zone: Vec<NeedLine>,
    /// By work category, every category in the card's order. A need with two
    /// categories counts in both, so these lines add up to more than the total.
    pub by_category: Vec<NeedLine>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Teams {
    /// Teams sent out (by the team's activity day).
    pub dispatched: i64,
    /// People sent with them (a group's representative counts the group).
    pub people: i64,
}

/// Quantities moved in the equipment ledger.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema, sqlx::FromRow)]
pub struct Equipment {
    pub lent: i64,
    pub returned: i64,
    pub lost: i64,
    pub damaged: i64,
    pub consumed: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Figures {
    pub volunteers: Volunteers,
    pub needs: Needs,
    pub teams: Teams,
    pub equipment: Equipment,
}

impl Figures {
    /// The figures of the activity days `from..=to`.
    pub async fn over(conn: &mut SqliteConnection, from: NaiveDate, to: NaiveDate) -> Result<Figures, sqlx::Error> {
        let (from, to) = (from.to_string(), to.to_string());
        let mut volunteers: Volunteers = sqlx::query_as(
            "SELECT COALESCE(SUM(c.headcount), 0) AS checked_in,
                    COALESCE(SUM(CASE WHEN v.kind = 'individual' AND v.group_id IS NULL THEN c.headcount END), 0) AS individuals,
                    COALESCE(SUM(CASE WHEN v.kind = 'group' OR v.group_id IS NOT NULL THEN c.headcount END), 0) AS group_members,
                    COALESCE(SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM checkins p
                        WHERE p.volunteer_id = c.volunteer_id AND p.day < c.day) THEN c.headcount END), 0) AS new,
                    COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM checkins p
                        WHERE p.volunteer_id = c.volunteer_id AND p.day < c.day) THEN c.headcount END), 0) AS repeat,
                    COALESCE(SUM(CASE WHEN c.insurance = 'enrolled' THEN c.headcount END), 0) AS insurance_enrolled,
                    COALESCE(SUM(CASE WHEN c.insurance = 'enrolled_at_desk' THEN c.headcount END), 0) AS insurance_enrolled_at_desk,
                    COALESCE(SUM(CASE WHEN c.insurance = 'none' THEN c.headcount END), 0) AS insurance_none,
                    COALESCE(SUM(CASE WHEN c.checked_out_at IS NOT NULL THEN c.headcount END), 0) AS checked_out,
                    COALESCE(SUM(CASE WHEN c.checked_out_at IS NULL THEN c.headcount END), 0) AS not_checked_out,
                    CAST(COALESCE(SUM(CASE WHEN c.checked_out_at IS NOT NULL
                        THEN COALESCE(c.minutes, 0) * c.headcount END), 0) AS REAL) AS hours
             FROM checkins c JOIN volunteers v ON v.id = c.volunteer_id
             WHERE c.day BETWEEN ? AND ?",
        )
        .bind(&from)
        .bind(&to)
        .fetch_one(&mut *conn)
        .await?;
        // Minutes to hours, one decimal.
        volunteers.hours = (volunteers.hours / 6.0).round() / 10.0;

        let mut needs = NeedTally::default();
        let received: Vec<(Option<String>, String)> =
            sqlx::query_as("SELECT zone, categories FROM needs WHERE substr(received_at, 1, 10) BETWEEN ? AND ?")
                .bind(&from)
                .bind(&to)
                .fetch_all(&mut *conn)
                .await?;
        for (zone, categories) in received {
            let categories: Vec<String> = serde_json::from_str(&categories).unwrap_or_default();
            needs.add(zone, &categories, |f| &mut f.received);
        }
        // Moves as logged: the zone and categories the need had at that moment.
        let moves: Vec<Event> = sqlx::query_as(
            "SELECT seq, at, actor, kind, subject, data, drill, cause FROM events
             WHERE kind IN (?, ?) AND substr(at, 1, 10) BETWEEN ? AND ?",
        )
        .bind(NeedStatusChanged::KIND)
        .bind(NeedReopened::KIND)
        .bind(&from)
        .bind(&to)
        .fetch_all(&mut *conn)
        .await?;
        for event in &moves {
            let Some(need) = event.payload().ok().and_then(|p| p.need().cloned()) else { continue };
            let field: fn(&mut NeedFigures) -> &mut i64 = match need.status {
                NeedStatus::Done => |f| &mut f.done,
                NeedStatus::Continuing => |f| &mut f.continuing,
                NeedStatus::Cancelled => |f| &mut f.cancelled,
                _ => continue,
            };
            needs.add(need.zone, &need.categories, field);
        }

        let (dispatched, people): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM((SELECT SUM(m.headcount) FROM team_members m WHERE m.team_id = t.id)), 0)
             FROM teams t WHERE t.day BETWEEN ? AND ?",
        )
        .bind(&from)
        .bind(&to)
        .fetch_one(&mut *conn)
        .await?;

        let equipment: Equipment = sqlx::query_as(
            "SELECT COALESCE(SUM(CASE WHEN movement = 'lent' THEN qty END), 0) AS lent,
                    COALESCE(SUM(CASE WHEN movement = 'returned' THEN qty END), 0) AS returned,
                    COALESCE(SUM(CASE WHEN movement = 'lost' THEN qty END), 0) AS lost,
                    COALESCE(SUM(CASE WHEN movement = 'damaged' THEN qty END), 0) AS damaged,
                    COALESCE(SUM(CASE WHEN movement = 'consumed' THEN qty END), 0) AS consumed
             FROM item_ledger WHERE substr(at, 1, 10) BETWEEN ? AND ?",
        )
        .bind(&from)
        .bind(&to)
        .fetch_one(&mut *conn)
        .await?;

        Ok(Figures { volunteers, needs: needs.finish(), teams: Teams { dispatched, people }, equipment })
    }
}

#[derive(Default)]
struct NeedTally {
    total: NeedFigures,
    zones: BTreeMap<Option<String>, NeedFigures>,
    categories: BTreeMap<&'static str, NeedFigures>,
}

impl NeedTally {
    fn add(&mut self, zone: Option<String>, categories: &[String], field: impl Fn(&mut NeedFigures) -> &mut i64) {
        *field(&mut self.total) += 1;
        *field(self.zones.entry(zone).or_default()) += 1;
        for category in categories.iter().filter_map(|c| Category::parse(c)) {
            *field(self.categories.entry(category.as_str()).or_default()) += 1;
        }
    }

    fn finish(mut self) -> Needs {
        // Named zones by name, the unknown zone last.
        let unknown = self.zones.remove(&None);
        let mut by_zone: Vec<NeedLine> =
            self.zones.into_iter().map(|(zone, needs)| NeedLine { label: zone.unwrap_or_default(), needs }).collect();
        if let Some(needs) = unknown {
            by_zone.push(NeedLine { label: NO_ZONE.to_string(), needs });
        }
        let by_category = Category::ALL
            .iter()
            .map(|c| NeedLine {
                label: c.label_ja().to_string(),
                needs: self.categories.get(c.as_str()).cloned().unwrap_or_default(),
            })
            .collect();
        Needs { total: self.total, by_zone, by_category }
    }
}

/// The center's first activity day: its first check-in or need received; `today` before either.
async fn first_day(conn: &mut SqliteConnection, today: NaiveDate) -> Result<NaiveDate, sqlx::Error> {
    let first: Option<String> = sqlx::query_scalar(
        "SELECT MIN(d) FROM (SELECT MIN(day) AS d FROM checkins
                             UNION ALL SELECT MIN(substr(received_at, 1, 10)) FROM needs
                             UNION ALL SELECT MIN(day) FROM teams)",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(first.and_then(|d| d.parse().ok()).map_or(today, |d: NaiveDate| d.min(today)))
}

/// The report of `day`, read in one transaction.
pub async fn report(pool: &sqlx::SqlitePool, center_name: &str, day: NaiveDate) -> Result<DailyReport, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let report = report_in(&mut tx, center_name, day).await?;
    tx.commit().await?;
    Ok(report)
}

/// The record of the day `day` (its cumulative counts from the report's first day).
pub async fn record(pool: &sqlx::SqlitePool, day: NaiveDate) -> Result<DayRecord, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let first = first_day(&mut tx, day).await?;
    let record = daily_record::read(&mut tx, first, day).await?;
    tx.commit().await?;
    Ok(record)
}

async fn report_in(conn: &mut SqliteConnection, center_name: &str, day: NaiveDate) -> Result<DailyReport, sqlx::Error> {
    let first = first_day(conn, day).await?;
    let today = Figures::over(conn, day, day).await?;
    let cumulative = Figures::over(conn, first, day).await?;
    let safety = SafetyDay::of(&mut *conn, day).await?;
    let chart_from = first.max(day - Duration::days(CHART_DAYS - 1));
    let counts: BTreeMap<String, i64> = sqlx::query_as::<_, (String, i64)>(
        "SELECT day, SUM(headcount) FROM checkins WHERE day BETWEEN ? AND ? GROUP BY day",
    )
    .bind(chart_from.to_string())
    .bind(day.to_string())
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    let chart = chart_from
        .iter_days()
        .take_while(|d| *d <= day)
        .map(|d| DayCount { day: d, volunteers: counts.get(&d.to_string()).copied().unwrap_or(0) })
        .collect();
    Ok(DailyReport { center_name: center_name.to_string(), day, first_day: first, today, cumulative, chart, safety })
}

/// One line of the CSV (and of the PDF's tables): section, item, the day, cumulative.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub section: String,
    pub item: String,
    pub day: String,
    pub total: String,
}

/// A word of the paper: the 日報 is printed in Japanese, whatever the reader's language.
pub(super) fn paper(key: &str) -> String {
    word(Lang::Ja, key).into_owned()
}

/// Every figure of the report as lines, in a stable order. Zones are those with
/// any figure in the cumulative column (so the day's too); categories are all of them.
pub fn lines(report: &DailyReport) -> Vec<Line> {
    let (d, c) = (&report.today, &report.cumulative);
    let mut out = Vec::new();
    let mut push = |section: &str, item: &str, day: String, total: String| {
        out.push(Line { section: paper(section), item: item.to_string(), day, total });
    };
    let v = |f: &Figures| f.volunteers.clone();
    let (dv, cv) = (v(d), v(c));
    for (item, get) in [
        ("papers.daily.item.total", (|v: &Volunteers| v.checked_in) as fn(&Volunteers) -> i64),
        ("papers.daily.item.individuals", |v| v.individuals),
        ("papers.daily.item.groups", |v| v.group_members),
        ("papers.daily.item.new", |v| v.new),
        ("papers.daily.item.repeat", |v| v.repeat),
    ] {
        push("papers.daily.section.volunteers", &paper(item), get(&dv).to_string(), get(&cv).to_string());
    }
    for (item, get) in [
        ("papers.daily.item.enrolled", (|v: &Volunteers| v.insurance_enrolled) as fn(&Volunteers) -> i64),
        ("papers.daily.item.enrolled_at_desk", |v| v.insurance_enrolled_at_desk),
        ("papers.daily.item.uninsured", |v| v.insurance_none),
    ] {
        push("papers.daily.section.insurance", &paper(item), get(&dv).to_string(), get(&cv).to_string());
    }
    let hours = "papers.daily.section.hours";
    push(hours, &paper("papers.daily.item.person_hours"), format!("{:.1}", dv.hours), format!("{:.1}", cv.hours));
    push(hours, &paper("papers.daily.item.checked_out"), dv.checked_out.to_string(), cv.checked_out.to_string());
    push(
        hours,
        &paper("papers.daily.item.not_checked_out"),
        dv.not_checked_out.to_string(),
        cv.not_checked_out.to_string(),
    );
    // (item, section by zone, section by category, the figure)
    type Status = (&'static str, &'static str, &'static str, fn(&NeedFigures) -> i64);
    let statuses: [Status; 4] = [
        (
            "papers.daily.item.received",
            "papers.daily.section.received_by_zone",
            "papers.daily.section.received_by_category",
            |n| n.received,
        ),
        ("papers.daily.item.done", "papers.daily.section.done_by_zone", "papers.daily.section.done_by_category", |n| {
            n.done
        }),
        (
            "papers.daily.item.continuing",
            "papers.daily.section.continuing_by_zone",
            "papers.daily.section.continuing_by_category",
            |n| n.continuing,
        ),
        (
            "papers.daily.item.cancelled",
            "papers.daily.section.cancelled_by_zone",
            "papers.daily.section.cancelled_by_category",
            |n| n.cancelled,
        ),
    ];
    for (item, _, _, get) in statuses {
        push(
            "papers.daily.section.needs",
            &paper(item),
            get(&d.needs.total).to_string(),
            get(&c.needs.total).to_string(),
        );
    }
    for by_zone in [true, false] {
        for (_, zone_section, category_section, get) in statuses {
            let (section, day, total) = if by_zone {
                (zone_section, &d.needs.by_zone, &c.needs.by_zone)
            } else {
                (category_section, &d.needs.by_category, &c.needs.by_category)
            };
            for line in total {
                push(section, &line.label, get(&day_line(day, &line.label)).to_string(), get(&line.needs).to_string());
            }
        }
    }
    let teams = "papers.daily.section.teams";
    push(
        teams,
        &paper("papers.daily.item.teams_dispatched"),
        d.teams.dispatched.to_string(),
        c.teams.dispatched.to_string(),
    );
    push(teams, &paper("papers.daily.item.people_dispatched"), d.teams.people.to_string(), c.teams.people.to_string());
    for (item, get) in [
        ("papers.daily.item.lent", (|e: &Equipment| e.lent) as fn(&Equipment) -> i64),
        ("papers.daily.item.returned", |e| e.returned),
        ("papers.daily.item.lost", |e| e.lost),
        ("papers.daily.item.damaged", |e| e.damaged),
        ("papers.daily.item.consumed", |e| e.consumed),
    ] {
        push(
            "papers.daily.section.equipment",
            &paper(item),
            get(&d.equipment).to_string(),
            get(&c.equipment).to_string(),
        );
    }
    out
}

fn day_line(lines: &[NeedLine], label: &str) -> NeedFigures {
    lines.iter().find(|l| l.label == label).map(|l| l.needs.clone()).unwrap_or_default()
}

/// `daily.csv`: UTF-8 with a BOM for Excel, `区分,項目,当日,累計`. No personal data.
/// The figures first, then the record of the day: its figures as the others,
/// its lists one entry a row (`項目` the time, `当日` what happened; 「なし」 when empty).
pub fn csv(report: &DailyReport, record: &DayRecord) -> Vec<u8> {
    let mut out = Vec::from("\u{FEFF}".as_bytes());
    {
        let mut csv = csv::Writer::from_writer(&mut out);
        csv.write_record(["区分", "項目", "当日", "累計"]).expect("in-memory write");
        let figures = |line: &Line, csv: &mut csv::Writer<&mut Vec<u8>>| {
            let item = crate::csv_cells::defuse(&line.item);
            csv.write_record([line.section.as_str(), item.as_str(), &line.day, &line.total]).expect("in-memory write");
        };
        for line in lines(report).into_iter().chain(report.safety.lines()) {
            figures(&line, &mut csv);
        }
        for section in record.sections() {
            match section {
                Section::Figures(lines) => lines.iter().for_each(|line| figures(line, &mut csv)),
                Section::Entries { title, entries } if entries.is_empty() => {
                    csv.write_record([title.as_str(), &paper("papers.daily.none"), "", ""]).expect("in-memory write");
                }
                Section::Entries { title, entries } => {
                    for entry in entries {
                        let (when, what) =
                            (crate::csv_cells::defuse(&entry.when), crate::csv_cells::defuse(&entry.what));
                        csv.write_record([title.as_str(), when.as_str(), what.as_str(), ""]).expect("in-memory write");
                    }
                }
            }
        }
        csv.flush().expect("in-memory write");
    }
    out
}

/// The council's summary: the main figures per day and over the whole range.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Summary {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: Vec<SummaryDay>,
    pub totals: Figures,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SummaryDay {
    pub day: NaiveDate,
    #[serde(flatten)]
    pub figures: Figures,
}

/// Days at most in one summary.
pub const SUMMARY_MAX_DAYS: i64 = 366;

/// The summary of `from..=to` (each defaulting to the first activity day and today).
pub async fn summary(
    pool: &sqlx::SqlitePool,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Result<Summary, SummaryRefused>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let to = to.unwrap_or(today);
    let from = match from {
        Some(from) => from,
        None => first_day(&mut tx, today).await?.min(to),
    };
    if from > to {
        return Ok(Err(SummaryRefused::Reversed));
    }
    if (to - from).num_days() + 1 > SUMMARY_MAX_DAYS {
        return Ok(Err(SummaryRefused::TooLong));
    }
    let mut days = Vec::new();
    for day in from.iter_days().take_while(|d| *d <= to) {
        days.push(SummaryDay { day, figures: Figures::over(&mut tx, day, day).await? });
    }
    let totals = Figures::over(&mut tx, from, to).await?;
    tx.commit().await?;
    Ok(Ok(Summary { from, to, days, totals }))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryRefused {
    Reversed,
    TooLong,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words moved to the catalogue print exactly as the literals did.
    #[test]
    fn the_sections_and_items_print_as_before() {
        let day: NaiveDate = "2026-07-12".parse().unwrap();
        let mut cumulative = Figures::default();
        let line = |label: &str| NeedLine { label: label.to_string(), needs: NeedFigures::default() };
        cumulative.needs.by_zone = vec![line("香林坊")];
        cumulative.needs.by_category = Category::ALL.iter().map(|c| line(&c.label_ja())).collect();
        let report = DailyReport {
            center_name: String::new(),
            day,
            first_day: day,
            today: Figures::default(),
            cumulative,
            chart: Vec::new(),
            safety: Default::default(),
        };
        let printed: Vec<(String, String)> = lines(&report).into_iter().map(|l| (l.section, l.item)).collect();
        let mut expected: Vec<(&str, &str)> = vec![
            ("ボランティア", "合計"),
            ("ボランティア", "個人"),
            ("ボランティア", "団体"),
            ("ボランティア", "新規"),
            ("ボランティア", "リピーター"),
            ("保険", "加入済"),
            ("保険", "当日加入"),
            ("保険", "未加入"),
            ("活動時間", "退所者の延べ時間"),
            ("活動時間", "退所済（人）"),
            ("活動時間", "未退所（時間に含まず）"),
            ("ニーズ", "受付"),
            ("ニーズ", "完了"),
            ("ニーズ", "継続"),
            ("ニーズ", "取消"),
        ];
        for section in ["ニーズ受付（地区別）", "ニーズ完了（地区別）", "ニーズ継続（地区別）", "ニーズ取消（地区別）"]
        {
            expected.push((section, "香林坊"));
        }
        let by_category =
            ["ニーズ受付（作業別）", "ニーズ完了（作業別）", "ニーズ継続（作業別）", "ニーズ取消（作業別）"];
        let categories: Vec<String> = Category::ALL.iter().map(|c| c.label_ja().into_owned()).collect();
        for section in by_category {
            for category in &categories {
                expected.push((section, category));
            }
        }
        expected.extend([
            ("班", "送り出し班数"),
            ("班", "送り出し人数"),
            ("資機材", "貸出"),
            ("資機材", "返却"),
            ("資機材", "紛失"),
            ("資機材", "破損"),
            ("資機材", "消費"),
        ]);
        let expected: Vec<(String, String)> =
            expected.into_iter().map(|(s, i)| (s.to_string(), i.to_string())).collect();
        assert_eq!(printed, expected);
    }
}

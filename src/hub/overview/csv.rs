//! The overview as CSV: UTF-8 with a BOM (Excel), Japanese headers, one row
//! per center and day, and when several centers are in it a 合計 row after
//! each day's. Counts only, no personal data; cells defused all the same (a
//! center's name is typed by a person).

use super::figures::{CenterDay, DayTotal, Overview};
use crate::csv_cells::{defuse, with_bom};
use crate::error::AppError;

pub const HEADER: [&str; 10] =
    ["センター", "日付", "予約", "キャンセル待ち", "来所", "不参加", "当日受付", "班", "ニーズ受付", "ニーズ完了"];
/// The sum row's first cell.
pub const TOTAL: &str = "合計";
/// 不参加 of a day not reported yet.
pub const UNREPORTED: &str = "未報告";

fn count(value: Option<i64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn row(center: &str, day: &str, c: &CenterDay) -> Vec<String> {
    vec![
        defuse(center),
        day.to_string(),
        c.booked.to_string(),
        c.waitlisted.to_string(),
        c.came.to_string(),
        c.no_show.map_or_else(|| UNREPORTED.to_string(), |n| n.to_string()),
        count(c.walk_ins),
        count(c.teams),
        count(c.needs_received),
        count(c.needs_done),
    ]
}

fn total_row(t: &DayTotal) -> Vec<String> {
    let as_row = CenterDay {
        booked: t.booked,
        waitlisted: t.waitlisted,
        came: t.came,
        no_show: t.no_show,
        walk_ins: t.walk_ins,
        teams: t.teams,
        needs_received: t.needs_received,
        needs_done: t.needs_done,
        ..CenterDay::default()
    };
    row(TOTAL, &t.day.to_string(), &as_row)
}

/// The CSV's bytes.
pub fn csv(overview: &Overview) -> Result<Vec<u8>, AppError> {
    let several = {
        let mut ids: Vec<i64> = overview.centers.iter().map(|c| c.center_id).collect();
        ids.sort();
        ids.dedup();
        ids.len() > 1
    };
    let mut rows = Vec::new();
    for total in &overview.prefecture {
        for c in overview.centers.iter().filter(|c| c.day == total.day) {
            rows.push(row(&c.center_name, &c.day.to_string(), c));
        }
        if several {
            rows.push(total_row(total));
        }
    }
    with_bom(HEADER, rows).map_err(|e| {
        tracing::error!("hub overview CSV: {e}");
        AppError::internal()
    })
}

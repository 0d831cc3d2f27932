//! The overview's figures and their definitions — the one place they are
//! decided (the page's help text, `hub_overview.help.*`, says the same):
//!
//! - **booked** (予約): bookings with status `booked` for the center's day;
//!   people are their seats (a group counts its head count), as on the staff
//!   calendar; the bookings are given beside them;
//! - **waitlisted** (キャンセル待ち): status `waitlisted` (people);
//! - **came** (来所): bookings whose person the center reported as checked in
//!   (`checked_in_at`), whatever their status now; people as the report said;
//! - **no-show** (不参加): status `booked`, not come, on a day the center
//!   reported (a `hub_center_days` row); before any report the day is
//!   「未報告」 (`None`), not a count;
//! - **walk-ins** (当日受付), **teams** (班, `teams_sent`), **needs received /
//!   done** (ニーズ受付・完了): the latest report's figures
//!   (`sync::contract::DayFigures`); `None` before a report.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::Serialize;

use crate::error::AppError;
use crate::fields::invalid;
use crate::hub::booking::attendance;
use crate::hub::centers;
use crate::hub::db::HubDb;
use crate::hub::roles::HubRole;
use crate::hub::sessions::SessionAccount;
use crate::sync::contract::DayFigures;

/// The longest range one overview covers, in days.
pub const MAX_DAYS: i64 = 92;
/// Without `from`: this many days up to `to`.
const DEFAULT_DAYS: u64 = 14;

/// One center's day.
#[derive(Clone, Debug, Default, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = HubOverviewCenterDay)]
pub struct CenterDay {
    pub center_id: i64,
    pub center_name: String,
    pub day: NaiveDate,
    /// People booked (seats of bookings in status `booked`).
    pub booked: i64,
    pub booked_bookings: i64,
    /// People waitlisted.
    pub waitlisted: i64,
    /// People who came under a booking (any status), as the center reported.
    pub came: i64,
    pub came_bookings: i64,
    /// People booked who did not come; null until the center reports the day (未報告).
    pub no_show: Option<i64>,
    /// From the center's latest report; null until there is one.
    pub walk_ins: Option<i64>,
    pub teams: Option<i64>,
    pub needs_received: Option<i64>,
    pub needs_done: Option<i64>,
    pub reported_at: Option<DateTime<Utc>>,
}

/// One day summed over every center given (the prefecture, for a hub admin).
#[derive(Clone, Debug, Default, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(as = HubOverviewDayTotal)]
pub struct DayTotal {
    pub day: NaiveDate,
    /// Centers with something that day.
    pub centers: i64,
    /// Of them, reported.
    pub centers_reported: i64,
    pub booked: i64,
    pub booked_bookings: i64,
    pub waitlisted: i64,
    pub came: i64,
    pub came_bookings: i64,
    /// Summed over the reported centers; null when none has reported.
    pub no_show: Option<i64>,
    pub walk_ins: Option<i64>,
    pub teams: Option<i64>,
    pub needs_received: Option<i64>,
    pub needs_done: Option<i64>,
}

/// The overview's answer: each center's days and the sums per day.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
#[schema(as = HubOverview)]
pub struct Overview {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Only this center (center staff: always their own).
    pub center_id: Option<i64>,
    pub centers: Vec<CenterDay>,
    /// Per day over `centers` (every center for a hub admin: the prefecture).
    pub prefecture: Vec<DayTotal>,
}

/// An account's no-shows over the range: the account id and the count, nothing more.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = HubOverviewNoShows)]
pub struct AccountNoShows {
    pub account_id: i64,
    pub no_shows: i64,
}

/// The days asked for: `from`/`to` as `YYYY-MM-DD` (default: the 14 days up
/// to today), `from` ≤ `to`, at most [`MAX_DAYS`]. A bad one is 422 naming it.
pub fn range(from: Option<&str>, to: Option<&str>, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), AppError> {
    let parse = |field: &str, text: &str| {
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
            invalid(
                field,
                format!("{field} は YYYY-MM-DD の日付で指定してください。"),
                format!("{field} must be a date as YYYY-MM-DD."),
            )
        })
    };
    fn given(v: Option<&str>) -> Option<&str> {
        v.filter(|t| !t.trim().is_empty())
    }
    let to = match given(to) {
        Some(text) => parse("to", text)?,
        None => today,
    };
    let from = match given(from) {
        Some(text) => parse("from", text)?,
        None => to.checked_sub_days(Days::new(DEFAULT_DAYS - 1)).unwrap_or(to),
    };
    if to < from {
        return Err(invalid("to", "終わりの日は始まりの日以降にしてください。", "to must not be before from."));
    }
    if (to - from).num_days() + 1 > MAX_DAYS {
        return Err(invalid(
            "to",
            format!("期間は{MAX_DAYS}日以内にしてください。"),
            format!("The range is at most {MAX_DAYS} days."),
        ));
    }
    Ok((from, to))
}

/// Which centers `account` may see: a hub admin every one or the one asked;
/// center staff their own (another is 403; none asked means their own).
pub fn scope(account: &SessionAccount, center_id: Option<i64>) -> Result<Option<i64>, AppError> {
    match account.role {
        HubRole::HubAdmin => Ok(center_id),
        HubRole::CenterStaff => {
            let own = account.center_id.ok_or_else(AppError::forbidden)?;
            if center_id.is_some_and(|c| c != own) {
                return Err(AppError::forbidden());
            }
            Ok(Some(own))
        }
        HubRole::Volunteer => Err(AppError::forbidden()),
    }
}

/// A center's latest report of a day, as `hub_center_days` holds it.
struct Reported {
    figures: Option<DayFigures>,
    at: DateTime<Utc>,
}

/// The latest reports between two days (this area's own read of the table
/// the center's report writes).
async fn reports(
    db: &HubDb,
    from: NaiveDate,
    to: NaiveDate,
    center: Option<i64>,
) -> Result<HashMap<(i64, NaiveDate), Reported>, sqlx::Error> {
    let rows: Vec<(i64, NaiveDate, serde_json::Value, DateTime<Utc>)> = sqlx::query_as(
        "SELECT center_id, day, figures, reported_at FROM hub_center_days
          WHERE day BETWEEN $1 AND $2 AND ($3::bigint IS NULL OR center_id = $3)",
    )
    .bind(from)
    .bind(to)
    .bind(center)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(center_id, day, figures, at)| {
            let figures = serde_json::from_value::<DayFigures>(figures)
                .inspect_err(|e| tracing::warn!("hub_center_days {center_id} {day}: figures unreadable: {e}"))
                .ok();
            ((center_id, day), Reported { figures, at })
        })
        .collect())
}

/// Every center's day between `from` and `to` with a booking or a report on
/// it (`center`: one center), by day then center.
pub async fn per_center_day(
    db: &HubDb,
    from: NaiveDate,
    to: NaiveDate,
    center: Option<i64>,
) -> Result<Vec<CenterDay>, AppError> {
    let booked = attendance::per_center_day(db, from, to, center).await?;
    let mut reported = reports(db, from, to, center).await?;
    let names: HashMap<i64, String> = centers::list(db).await?.into_iter().map(|c| (c.id, c.name)).collect();
    let mut days: BTreeMap<(NaiveDate, i64), CenterDay> = BTreeMap::new();
    let blank = |center_id: i64, day: NaiveDate| CenterDay {
        center_id,
        center_name: names.get(&center_id).cloned().unwrap_or_else(|| center_id.to_string()),
        day,
        ..CenterDay::default()
    };
    for a in booked {
        let row = days.entry((a.day, a.center_id)).or_insert_with(|| blank(a.center_id, a.day));
        row.booked = a.booked_people;
        row.booked_bookings = a.booked_bookings;
        row.waitlisted = a.waitlisted_people;
        row.came = a.came_people;
        row.came_bookings = a.came_bookings;
        row.no_show = Some(a.not_come_people);
    }
    let keys: Vec<(i64, NaiveDate)> = reported.keys().copied().collect();
    for (center_id, day) in keys {
        days.entry((day, center_id)).or_insert_with(|| CenterDay { no_show: Some(0), ..blank(center_id, day) });
    }
    Ok(days
        .into_values()
        .map(|mut row| {
            match reported.remove(&(row.center_id, row.day)) {
                Some(report) => {
                    row.reported_at = Some(report.at);
                    if let Some(f) = report.figures {
                        row.walk_ins = Some(f.walk_ins);
                        row.teams = Some(f.teams_sent);
                        row.needs_received = Some(f.needs_received);
                        row.needs_done = Some(f.needs_done);
                    }
                }
                None => row.no_show = None,
            }
            row
        })
        .collect())
}

fn add(sum: &mut Option<i64>, value: Option<i64>) {
    if let Some(v) = value {
        *sum = Some(sum.unwrap_or(0) + v);
    }
}

/// The rows summed per day (over every center for a hub admin: the
/// prefecture). A figure only reports give is summed over the reported
/// centers, and null when none has reported.
pub fn prefecture(rows: &[CenterDay]) -> Vec<DayTotal> {
    let mut days: BTreeMap<NaiveDate, DayTotal> = BTreeMap::new();
    for row in rows {
        let total = days.entry(row.day).or_insert_with(|| DayTotal { day: row.day, ..DayTotal::default() });
        total.centers += 1;
        total.centers_reported += i64::from(row.reported_at.is_some());
        total.booked += row.booked;
        total.booked_bookings += row.booked_bookings;
        total.waitlisted += row.waitlisted;
        total.came += row.came;
        total.came_bookings += row.came_bookings;
        add(&mut total.no_show, row.no_show);
        add(&mut total.walk_ins, row.walk_ins);
        add(&mut total.teams, row.teams);
        add(&mut total.needs_received, row.needs_received);
        add(&mut total.needs_done, row.needs_done);
    }
    days.into_values().collect()
}

/// The overview of `account`'s scope (see [`scope`]) over the range.
pub async fn overview(
    db: &HubDb,
    account: &SessionAccount,
    from: NaiveDate,
    to: NaiveDate,
    center_id: Option<i64>,
) -> Result<Overview, AppError> {
    let center_id = scope(account, center_id)?;
    let centers = per_center_day(db, from, to, center_id).await?;
    let prefecture = prefecture(&centers);
    Ok(Overview { from, to, center_id, centers, prefecture })
}

/// No-shows per account over the range (accounts with one or more), by account id.
pub async fn no_shows(
    db: &HubDb,
    from: NaiveDate,
    to: NaiveDate,
    center: Option<i64>,
) -> Result<Vec<AccountNoShows>, AppError> {
    Ok(attendance::no_shows_by_account(db, from, to, center)
        .await?
        .into_iter()
        .map(|(account_id, no_shows)| AccountNoShows { account_id, no_shows })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    #[test]
    fn a_range_defaults_to_two_weeks_and_a_bad_one_names_its_field() {
        assert_eq!(range(None, None, day(20)).unwrap(), (day(7), day(20)));
        assert_eq!(range(Some("2026-12-01"), Some("2026-12-03"), day(20)).unwrap(), (day(1), day(3)));
        let field = |r: Result<(NaiveDate, NaiveDate), AppError>| r.unwrap_err().field.unwrap();
        assert_eq!(field(range(Some("2026-13-01"), None, day(20))), "from");
        assert_eq!(field(range(None, Some("tomorrow"), day(20))), "to");
        assert_eq!(field(range(Some("2026-12-05"), Some("2026-12-04"), day(20))), "to");
        assert!(range(Some("2026-09-01"), Some("2026-11-30"), day(20)).is_ok(), "91 days");
        assert_eq!(field(range(Some("2026-09-01"), Some("2026-12-02"), day(20))), "to");
    }

    #[test]
    fn sums_per_day_leave_unreported_figures_out_and_null_when_none_reported() {
        let reported = CenterDay {
            center_id: 1,
            day: day(1),
            booked: 3,
            came: 2,
            no_show: Some(1),
            walk_ins: Some(4),
            reported_at: Some(Utc::now()),
            ..CenterDay::default()
        };
        let unreported = CenterDay { center_id: 2, day: day(1), booked: 2, ..CenterDay::default() };
        let later = CenterDay { center_id: 2, day: day(2), booked: 1, ..CenterDay::default() };
        let sums = prefecture(&[reported, unreported, later]);
        assert_eq!(sums.len(), 2);
        assert_eq!((sums[0].booked, sums[0].came, sums[0].no_show, sums[0].walk_ins), (5, 2, Some(1), Some(4)));
        assert_eq!((sums[0].centers, sums[0].centers_reported), (2, 1));
        assert_eq!((sums[1].booked, sums[1].no_show, sums[1].teams), (1, None, None));
    }
}

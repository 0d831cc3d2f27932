//! Openings (募集): hub staff publish a center's day with its quota, meeting
//! point and eligibility. States: draft → open → closed, or cancelled (中止)
//! from any of them; cancelling mails everyone on it (see [`super::book`]).

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;

use crate::error::AppError;
use crate::fields::{invalid, optional, optional_text, required};
use crate::hub::contract::booking::OpeningCreated;
use crate::hub::db::HubDb;
use crate::hub::events::{HubActor, HubTx};
use crate::hub::roles::HubRole;
use crate::hub::sessions::SessionAccount;
use crate::i18n::Text;

/// One opening, as stored.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
#[schema(as = HubOpening)]
pub struct Opening {
    pub id: i64,
    pub center_id: i64,
    pub day: NaiveDate,
    pub title: String,
    /// Seats (people) in all.
    pub quota: i32,
    /// Seats taken by bookings now.
    pub booked_seats: i32,
    pub meeting_point: String,
    #[schema(value_type = String, example = "08:30:00")]
    pub meeting_time: NaiveTime,
    /// 持ち物
    pub bring: String,
    /// 県内在住の方のみ
    pub prefecture_only: bool,
    pub minimum_age: i32,
    pub skills_wanted: Vec<String>,
    pub bus_seats: Option<i32>,
    pub bus_departure: Option<String>,
    pub cancel_hours_before: i32,
    /// `first_come` or `lottery` (抽選)
    pub mode: String,
    /// A lottery takes applications until then; the draw follows.
    pub lottery_closes_at: Option<DateTime<Utc>>,
    /// `draft`, `open`, `closed`, `cancelled`
    pub state: String,
}

pub(super) const COLUMNS: &str = "id, center_id, day, title, quota, booked_seats, meeting_point, meeting_time, bring,
    prefecture_only, minimum_age, skills_wanted, bus_seats, bus_departure, cancel_hours_before, mode,
    lottery_closes_at, state";

/// A new opening (`POST /api/openings`); it starts as a draft.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = HubNewOpening)]
pub struct NewOpening {
    /// The center; center staff may leave it out (their own).
    pub center_id: Option<i64>,
    #[schema(required = true, example = "2026-12-05")]
    pub day: String,
    #[schema(required = true, example = "七尾市 泥出し")]
    pub title: String,
    #[schema(required = true, example = 40)]
    pub quota: i32,
    #[schema(required = true, example = "七尾駅 東口")]
    pub meeting_point: String,
    #[schema(required = true, example = "08:30")]
    pub meeting_time: String,
    pub bring: String,
    pub prefecture_only: bool,
    /// Default 18.
    pub minimum_age: Option<i32>,
    pub skills_wanted: Vec<String>,
    pub bus_seats: Option<i32>,
    pub bus_departure: Option<String>,
    /// Default 24.
    pub cancel_hours_before: Option<i32>,
    /// `first_come` (default) or `lottery`
    pub mode: Option<String>,
    /// Required for a lottery: applications close then.
    pub lottery_closes_at: Option<DateTime<Utc>>,
}

/// Which center's openings `account` may manage: a hub admin any, center staff their own.
pub fn may_manage(account: &SessionAccount, center_id: i64) -> bool {
    match account.role {
        HubRole::HubAdmin => true,
        HubRole::CenterStaff => account.center_id == Some(center_id),
        HubRole::Volunteer => false,
    }
}

pub fn not_found() -> AppError {
    AppError::not_found(Text::new("その募集は見つかりません。", "No such opening."))
}

/// The days a list covers: `from` (default today) to `to` (default 60 days
/// after `from`), inclusive, at most 400 days.
pub fn days(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate), AppError> {
    let from = from.unwrap_or(today);
    let to = to.unwrap_or_else(|| from.checked_add_days(Days::new(60)).unwrap_or(from));
    if to < from || (to - from).num_days() > 400 {
        return Err(invalid("to", "期間は400日以内で、終わりは始まり以降です。", "to is after from, within 400 days."));
    }
    Ok((from, to))
}

/// Makes a draft opening (event `opening.created`); its id.
pub async fn create(db: &HubDb, account: &SessionAccount, actor: &HubActor, new: NewOpening) -> Result<i64, AppError> {
    let center_id = match (account.role, new.center_id, account.center_id) {
        (HubRole::CenterStaff, None, Some(own)) => own,
        (_, Some(id), _) if id > 0 => id,
        _ => return Err(invalid("center_id", "センターを指定してください。", "Give the center_id.")),
    };
    if !may_manage(account, center_id) {
        return Err(AppError::forbidden());
    }
    let day = NaiveDate::parse_from_str(new.day.trim(), "%Y-%m-%d")
        .map_err(|_| invalid("day", "日付は 2026-12-05 の形で入力してください。", "day looks like 2026-12-05."))?;
    let title = required("title", &new.title, "募集名", 100)?;
    if !(1..=10_000).contains(&new.quota) {
        return Err(invalid("quota", "定員は1〜10000人です。", "quota is 1–10000."));
    }
    let meeting_point = required("meeting_point", &new.meeting_point, "集合場所", 200)?;
    let meeting_time = NaiveTime::parse_from_str(new.meeting_time.trim(), "%H:%M").map_err(|_| {
        invalid("meeting_time", "集合時刻は 08:30 の形で入力してください。", "meeting_time looks like 08:30.")
    })?;
    let bring = optional_text("bring", Some(&new.bring), "持ち物", 1000)?.unwrap_or_default();
    let minimum_age = new.minimum_age.unwrap_or(18);
    if !(0..=120).contains(&minimum_age) {
        return Err(invalid("minimum_age", "最低年齢は0〜120歳です。", "minimum_age is 0–120."));
    }
    let mut skills = Vec::new();
    for skill in &new.skills_wanted {
        skills.push(required("skills_wanted", skill, "求めるスキル", 50)?);
    }
    if new.bus_seats.is_some_and(|s| !(0..=1000).contains(&s)) {
        return Err(invalid("bus_seats", "バスの座席数は0〜1000です。", "bus_seats is 0–1000."));
    }
    let bus_departure = optional("bus_departure", new.bus_departure.as_deref(), "バスの出発", 200)?;
    let cancel_hours_before = new.cancel_hours_before.unwrap_or(24);
    if !(0..=24 * 14).contains(&cancel_hours_before) {
        return Err(invalid(
            "cancel_hours_before",
            "キャンセル期限は0〜336時間前です。",
            "cancel_hours_before is 0–336.",
        ));
    }
    let mode = match new.mode.as_deref().unwrap_or("first_come") {
        m @ ("first_come" | "lottery") => m,
        _ => return Err(invalid("mode", "方式は first_come か lottery です。", "mode is first_come or lottery.")),
    };
    if mode == "lottery" && new.lottery_closes_at.is_none() {
        return Err(invalid(
            "lottery_closes_at",
            "抽選の募集には申込締切を指定してください。",
            "A lottery needs lottery_closes_at.",
        ));
    }
    let mut tx = HubTx::begin(db).await?;
    crate::hub::centers::require_registered(tx.conn(), "center_id", center_id).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO hub_openings (center_id, day, title, quota, meeting_point, meeting_time, bring, prefecture_only,
             minimum_age, skills_wanted, bus_seats, bus_departure, cancel_hours_before, mode, lottery_closes_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
    )
    .bind(center_id)
    .bind(day)
    .bind(&title)
    .bind(new.quota)
    .bind(&meeting_point)
    .bind(meeting_time)
    .bind(&bring)
    .bind(new.prefecture_only)
    .bind(minimum_age)
    .bind(&skills)
    .bind(new.bus_seats)
    .bind(&bus_departure)
    .bind(cancel_hours_before)
    .bind(mode)
    .bind(if mode == "lottery" { new.lottery_closes_at } else { None })
    .fetch_one(tx.conn())
    .await?;
    let event =
        OpeningCreated { opening_id: id, center_id, day: day.to_string(), quota: new.quota, mode: mode.to_string() };
    tx.append(actor, Some(format!("opening:{id}")), &event).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn get(conn: &mut PgConnection, id: i64) -> Result<Option<Opening>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM hub_openings WHERE id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The opening, locked until the transaction ends: bookings on it queue here.
pub async fn lock(tx: &mut HubTx, id: i64) -> Result<Option<Opening>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM hub_openings WHERE id = $1 FOR UPDATE")))
        .bind(id)
        .fetch_optional(tx.conn())
        .await
}

/// The opening as `account` may see it: volunteers see no drafts; center staff only their center.
pub async fn visible(db: &HubDb, account: &SessionAccount, id: i64) -> Result<Opening, AppError> {
    let opening = get(&mut *db.pool.acquire().await?, id).await?.ok_or_else(not_found)?;
    let visible = match account.role {
        HubRole::Volunteer => opening.state != "draft",
        _ => may_manage(account, opening.center_id),
    };
    if visible { Ok(opening) } else { Err(not_found()) }
}

/// Openings between two days: a volunteer sees every center's published ones;
/// staff see every state, center staff only their center.
pub async fn list(
    db: &HubDb,
    account: &SessionAccount,
    center_id: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Opening>, AppError> {
    let center = match account.role {
        HubRole::CenterStaff => {
            let own = account.center_id.unwrap_or(-1);
            if center_id.is_some_and(|c| c != own) {
                return Err(AppError::forbidden());
            }
            Some(own)
        }
        _ => center_id,
    };
    let drafts_too = account.role != HubRole::Volunteer;
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM hub_openings
          WHERE day BETWEEN $1 AND $2 AND ($3::bigint IS NULL OR center_id = $3) AND ($4 OR state <> 'draft')
          ORDER BY day, center_id, meeting_time, id"
    )))
    .bind(from)
    .bind(to)
    .bind(center)
    .bind(drafts_too)
    .fetch_all(&db.pool)
    .await?)
}

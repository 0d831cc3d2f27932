//! 受付 and 退所: checking a volunteer in for the activity day (by QR, number
//! or search), checking out with hours, and insurance enrolled at the desk.
//! Events `volunteer.checked_in`, `volunteer.checked_out`, `volunteer.insurance_changed`.

use chrono::{DateTime, NaiveDate};
use serde::Deserialize;

use super::booked::{self, DayBooking};
use super::model::{CheckIn, CheckInMethod, DayInsurance, Insurance, Volunteer, VolunteerKind, parse_volunteer_no};
use super::store::{self, Key};
use crate::clock::{Clock, stamp};
use crate::db::Db;
use crate::error::{AppError, Class, OnUnique};
use crate::events::contract::reception::{
    VolunteerCheckInCancelled, VolunteerCheckedIn, VolunteerCheckedOut, VolunteerInsuranceChanged,
};
use crate::events::contract::wire;
use crate::events::{Actor, WriteTx};
use crate::i18n::Text;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CheckInInput {
    /// From the badge's QR code (a scanner types it).
    pub qr_token: Option<String>,
    /// From a search result.
    pub volunteer_id: Option<i64>,
    /// Said aloud or read from paper: `V-0012`.
    pub volunteer_no: Option<String>,
    /// 体調確認: the volunteer says they are fit to work today. Required.
    #[schema(required = true, example = true)]
    pub health_ok: bool,
    pub health_note: Option<String>,
    /// Today's insurance; defaults to what the volunteer registered.
    pub insurance: Option<DayInsurance>,
    /// For `enrolled_at_desk`: the plan (基本タイプ, 天災タイプ …) and the fee paid.
    pub insurance_plan: Option<String>,
    pub insurance_fee_yen: Option<i64>,
    /// For a group: how many arrived under the representative (default: the
    /// group's head count less its members registered by name).
    pub arrived_count: Option<i64>,
    /// 保護者同意, recorded now for a minor who had none.
    pub guardian_consent: bool,
    pub guardian_name: Option<String>,
    /// 当日受付として: the scanned hub booking is for another day (or was
    /// cancelled), and the desk checks the person in today anyway, where the
    /// center's settings allow it.
    pub walk_in: bool,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct InsuranceInput {
    #[schema(required = true, value_type = DayInsurance)]
    pub insurance: Option<DayInsurance>,
    pub insurance_plan: Option<String>,
    pub insurance_fee_yen: Option<i64>,
}

fn invalid(field: &str, ja: impl Into<String>, en: impl Into<String>) -> AppError {
    AppError::validation(field, Text::new(ja.into(), en.into()))
}

fn unknown_volunteer(method: CheckInMethod) -> AppError {
    let (ja, en) = match method {
        CheckInMethod::Qr => (
            "このQRコードは登録されていません。事前登録の控えを確認するか、当日受付で登録してください。",
            "This QR code is not registered. Check the registration receipt, or register at the desk.",
        ),
        _ => ("該当するボランティアが見つかりません。", "No such volunteer."),
    };
    AppError::not_found(Text::new(ja, en))
}

/// Finds the volunteer the input names (with today's check-in), and how; and
/// the hub booking, when the scanned code is a booking's (from the hub's mail).
async fn identify(
    tx: &mut WriteTx,
    input: &CheckInInput,
    day: NaiveDate,
) -> Result<(Volunteer, CheckInMethod, Option<DayBooking>), AppError> {
    let given = [input.qr_token.is_some(), input.volunteer_id.is_some(), input.volunteer_no.is_some()];
    if given.iter().filter(|g| **g).count() != 1 {
        return Err(invalid(
            "qr_token",
            "QRコード、ボランティア番号、検索結果のいずれか一つで受付してください。",
            "Give exactly one of qr_token, volunteer_no, volunteer_id.",
        ));
    }
    let token;
    let (key, method) = if let Some(text) = &input.qr_token {
        token = crate::fields::scan_code(text);
        (Key::Token(&token), CheckInMethod::Qr)
    } else if let Some(text) = &input.volunteer_no {
        let number = parse_volunteer_no(text).ok_or_else(|| {
            invalid(
                "volunteer_no",
                "ボランティア番号は V-0012 のように入力してください。",
                "volunteer_no looks like V-0012.",
            )
        })?;
        (Key::Number(number), CheckInMethod::Number)
    } else {
        (Key::Id(input.volunteer_id.unwrap_or_default()), CheckInMethod::Search)
    };
    if let Some(found) = store::volunteer_by(tx.conn(), key, day).await? {
        return Ok((found, method, None));
    }
    if let Key::Token(token) = key
        && let Some((volunteer_id, booking)) = booked::by_token(tx.conn(), token).await?
    {
        let found = store::volunteer(tx.conn(), volunteer_id, day).await?;
        return found.map(|v| (v, method, Some(booking))).ok_or_else(|| unknown_volunteer(method));
    }
    Err(unknown_volunteer(method))
}

/// A scanned hub booking that is not for today: a clear answer, unless the desk
/// checks the person in as a walk-in and the center allows it.
async fn booking_for_today(
    tx: &mut WriteTx,
    volunteer: &Volunteer,
    scanned: &DayBooking,
    day: NaiveDate,
    walk_in: bool,
) -> Result<(), AppError> {
    let booked_today = booked::on_day(tx.conn(), volunteer.id, day).await?.is_some_and(|b| b.state == "booked");
    if booked_today {
        return Ok(());
    }
    let allowed = crate::settings::current(tx.conn()).await?.values.booked_other_day_walk_in;
    if walk_in && allowed {
        return Ok(());
    }
    let date_ja = scanned.day.format("%-m月%-d日").to_string();
    let date_en = scanned.day.format("%-d %B").to_string();
    let (code, ja, en) = if scanned.state == "booked" {
        (
            "booked_another_day",
            format!("{}さんの予約（{}）は {date_ja} です。本日の予約はありません。", volunteer.name, scanned.number),
            format!("{}'s booking ({}) is for {date_en}, not today.", volunteer.name, scanned.number),
        )
    } else {
        (
            "booking_cancelled",
            format!("{}さんの予約（{}、{date_ja}）は取り消されています。", volunteer.name, scanned.number),
            format!("{}'s booking ({}, {date_en}) was cancelled.", volunteer.name, scanned.number),
        )
    };
    let (then_ja, then_en) = if allowed {
        ("当日受付として受け付けることができます。", "They can be checked in as a walk-in.")
    } else {
        (
            "このセンターでは予約日以外の当日受付をしていません。",
            "This center does not take them as a walk-in on another day.",
        )
    };
    Err(AppError::new(Class::Conflict, code, Text::new(format!("{ja}{then_ja}"), format!("{en} {then_en}")))
        .with_field("qr_token")
        .with_details(serde_json::json!({ "booking": scanned, "walk_in_allowed": allowed })))
}

/// A volunteer named by id (from a search result), with their check-in on `day`.
async fn load(tx: &mut WriteTx, volunteer_id: i64, day: NaiveDate) -> Result<Volunteer, AppError> {
    store::volunteer(tx.conn(), volunteer_id, day).await?.ok_or_else(|| unknown_volunteer(CheckInMethod::Search))
}

/// Checks insurance fields: `enrolled_at_desk` needs its plan and fee.
fn desk_enrolment(
    insurance: DayInsurance,
    plan: Option<&str>,
    fee: Option<i64>,
) -> Result<(Option<String>, Option<i64>), AppError> {
    if insurance != DayInsurance::EnrolledAtDesk {
        return Ok((None, None));
    }
    let plan = plan.map(str::trim).filter(|p| !p.is_empty()).ok_or_else(|| {
        invalid(
            "insurance_plan",
            "当日加入の場合は保険のプランを入力してください。",
            "insurance_plan is required for enrolled_at_desk.",
        )
    })?;
    let fee = fee.filter(|f| (0..=100_000).contains(f)).ok_or_else(|| {
        invalid(
            "insurance_fee_yen",
            "当日加入の場合は保険料（円）を入力してください。",
            "insurance_fee_yen is required for enrolled_at_desk.",
        )
    })?;
    Ok((Some(plan.chars().take(50).collect()), Some(fee)))
}

pub async fn check_in(db: &Db, clock: &Clock, actor: &Actor, input: CheckInInput) -> Result<Volunteer, AppError> {
    let now = clock.now();
    let day = now.date_naive();
    // What needs no database is checked before taking the writer.
    if !input.health_ok {
        return Err(invalid(
            "health_ok",
            "体調確認ができていません。体調がすぐれない方は今日の活動をお控えいただくようお伝えください。",
            "The health check is not confirmed; a volunteer who is unwell should not work today.",
        ));
    }
    let guardian_name = input.guardian_name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    let consent_now = input.guardian_consent && guardian_name.is_some();
    let health_note = input
        .health_note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| n.chars().take(200).collect::<String>());

    let mut tx = db.begin_write().await?;
    let (mut volunteer, method, scanned) = identify(&mut tx, &input, day).await?;
    if let Some(earlier) = &volunteer.today {
        return Err(already_checked_in(&volunteer, earlier));
    }
    if let Some(scanned) = &scanned {
        booking_for_today(&mut tx, &volunteer, scanned, day, input.walk_in).await?;
    }
    if volunteer.minor && !volunteer.guardian_consent && !consent_now {
        return Err(invalid(
            "guardian_consent",
            format!(
                "{}さんは18歳未満です。保護者の同意（保護者の氏名）を記録してから受付してください。",
                volunteer.name
            ),
            format!("{} is under 18: record a guardian's consent (and name) first.", volunteer.name),
        ));
    }
    let insurance = input.insurance.unwrap_or(match volunteer.insurance {
        Insurance::Enrolled => DayInsurance::Enrolled,
        Insurance::None => DayInsurance::None,
    });
    let (plan, fee) = desk_enrolment(insurance, input.insurance_plan.as_deref(), input.insurance_fee_yen)?;
    let headcount = headcount(&mut tx, &volunteer, input.arrived_count).await?;
    let id = volunteer.id;
    let checked_in_at = stamp(now);

    let checkin_id: i64 = sqlx::query_scalar(
        "INSERT INTO checkins (volunteer_id, day, checked_in_at, headcount, insurance, insurance_plan, insurance_fee_yen,
             health_note, method)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(id)
    .bind(day.to_string())
    .bind(&checked_in_at)
    .bind(headcount)
    .bind(insurance.as_str())
    .bind(&plan)
    .bind(fee)
    .bind(&health_note)
    .bind(method.as_str())
    .fetch_one(tx.conn())
    .await
    // The writer is serialised, so the check above catches twins; the constraint is the backstop.
    .on_unique(|| AppError::conflict(Text::new("本日は受付済みです。", "Already checked in today.")))?;
    if insurance == DayInsurance::EnrolledAtDesk && volunteer.insurance != Insurance::Enrolled {
        sqlx::query("UPDATE volunteers SET insurance = 'enrolled', version = version + 1 WHERE id = ?")
            .bind(id)
            .execute(tx.conn())
            .await?;
        volunteer.insurance = Insurance::Enrolled;
        volunteer.version += 1;
    }
    let took_from_group = take_from_group_count(&mut tx, &volunteer, day).await?;
    let consent_recorded = consent_now && !volunteer.guardian_consent;
    if consent_recorded {
        sqlx::query(
            "UPDATE volunteers SET guardian_consent = 1, guardian_name = ?, version = version + 1 WHERE id = ?",
        )
        .bind(guardian_name)
        .bind(id)
        .execute(tx.conn())
        .await?;
        volunteer.guardian_consent = true;
        volunteer.version += 1;
    }
    let checked_in = VolunteerCheckedIn {
        volunteer_id: id,
        volunteer_no: volunteer.volunteer_no.clone(),
        day,
        kind: wire(&volunteer.kind),
        headcount,
        insurance: wire(&insurance),
        method: wire(&method),
        guardian_consent_recorded: consent_recorded,
        taken_from_group_count: took_from_group,
    };
    tx.append(clock, actor, Some(volunteer.volunteer_no.clone()), &checked_in).await?;
    volunteer.booking = booked::on_day(tx.conn(), id, day).await?;
    tx.commit().await?;
    volunteer.today = Some(CheckIn {
        id: checkin_id,
        volunteer_id: id,
        volunteer_no: volunteer.volunteer_no.clone(),
        day: day.to_string(),
        checked_in_at,
        checked_out_at: None,
        minutes: None,
        headcount,
        insurance,
        insurance_plan: plan,
        insurance_fee_yen: fee,
        health_note,
        method,
        dispatchable: insurance != DayInsurance::None,
    });
    Ok(volunteer)
}

fn already_checked_in(volunteer: &Volunteer, earlier: &CheckIn) -> AppError {
    let time =
        DateTime::parse_from_rfc3339(&earlier.checked_in_at).map(|t| t.format("%H:%M").to_string()).unwrap_or_default();
    AppError::new(
        Class::Conflict,
        "already_checked_in",
        Text::new(
            format!("{}さん（{}）は本日 {time} に受付済みです。", volunteer.name, volunteer.volunteer_no),
            format!("{} ({}) already checked in today at {time}.", volunteer.name, volunteer.volunteer_no),
        ),
    )
}

/// A named member registered after their representative checked in was among
/// the representative's arrived count: moving them to their own check-in must
/// not count them twice. Returns whether the representative's count went down.
async fn take_from_group_count(tx: &mut WriteTx, member: &Volunteer, day: NaiveDate) -> Result<bool, AppError> {
    let Some(group_id) = member.group_id else { return Ok(false) };
    let representative: Option<(i64, i64, String)> =
        sqlx::query_as("SELECT id, headcount, checked_in_at FROM checkins WHERE volunteer_id = ? AND day = ?")
            .bind(group_id)
            .bind(day.to_string())
            .fetch_optional(tx.conn())
            .await?;
    let Some((checkin_id, headcount, checked_in_at)) = representative else { return Ok(false) };
    let registered_after =
        match (DateTime::parse_from_rfc3339(&member.created_at), DateTime::parse_from_rfc3339(&checked_in_at)) {
            (Ok(created), Ok(checked_in)) => created > checked_in,
            _ => false,
        };
    if !registered_after || headcount <= 1 {
        return Ok(false);
    }
    sqlx::query("UPDATE checkins SET headcount = headcount - 1 WHERE id = ?")
        .bind(checkin_id)
        .execute(tx.conn())
        .await?;
    Ok(true)
}

/// 1 for a person; for a group representative, the arrived count.
async fn headcount(tx: &mut WriteTx, volunteer: &Volunteer, arrived: Option<i64>) -> Result<i64, AppError> {
    if volunteer.kind != VolunteerKind::Group {
        return match arrived {
            None | Some(1) => Ok(1),
            Some(_) => {
                Err(invalid("arrived_count", "人数は団体の受付でのみ入力できます。", "arrived_count is for groups."))
            }
        };
    }
    let named_members: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM volunteers WHERE group_id = ?")
        .bind(volunteer.id)
        .fetch_one(tx.conn())
        .await?;
    let expected = (volunteer.group_size.unwrap_or(1) - named_members).max(1);
    let count = arrived.unwrap_or(expected);
    if !(1..=500).contains(&count) {
        return Err(invalid("arrived_count", "到着人数は1〜500人で入力してください。", "arrived_count is 1–500."));
    }
    Ok(count)
}

/// 退所: records the time out and the minutes worked (event `volunteer.checked_out`).
/// Closes the volunteer's open check-in even when it began before midnight.
pub async fn check_out(db: &Db, clock: &Clock, actor: &Actor, volunteer_id: i64) -> Result<CheckIn, AppError> {
    let mut tx = db.begin_write().await?;
    let updated = check_out_in(&mut tx, clock, actor, volunteer_id).await?;
    tx.commit().await?;
    Ok(updated)
}

/// The same, inside a command already writing (a team's return that sends its members home).
pub async fn check_out_in(
    tx: &mut WriteTx,
    clock: &Clock,
    actor: &Actor,
    volunteer_id: i64,
) -> Result<CheckIn, AppError> {
    let now = clock.now();
    let volunteer = load(tx, volunteer_id, now.date_naive()).await?;
    let open: Option<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT id, day, checked_in_at, headcount FROM checkins
         WHERE volunteer_id = ? AND checked_out_at IS NULL ORDER BY day DESC LIMIT 1",
    )
    .bind(volunteer_id)
    .fetch_optional(tx.conn())
    .await?;
    let Some((checkin_id, day, checked_in_at, headcount)) = open else {
        return Err(if volunteer.today.is_some() {
            AppError::conflict(Text::new(
                format!("{}さんは本日すでに退所済みです。", volunteer.name),
                format!("{} has already checked out today.", volunteer.name),
            ))
        } else {
            AppError::conflict(Text::new(
                format!("{}さんは本日まだ受付していません。", volunteer.name),
                format!("{} has not checked in today.", volunteer.name),
            ))
        });
    };
    let since = DateTime::parse_from_rfc3339(&checked_in_at).map_err(|_| AppError::internal())?;
    let minutes = (now - since).num_minutes().max(0);
    sqlx::query("UPDATE checkins SET checked_out_at = ?, minutes = ? WHERE id = ?")
        .bind(stamp(now))
        .bind(minutes)
        .bind(checkin_id)
        .execute(tx.conn())
        .await?;
    let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d").map_err(|_| AppError::internal())?;
    let checked_out =
        VolunteerCheckedOut { volunteer_id, volunteer_no: volunteer.volunteer_no.clone(), day, minutes, headcount };
    tx.append(clock, actor, Some(volunteer.volunteer_no.clone()), &checked_out).await?;
    Ok(store::volunteer(tx.conn(), volunteer_id, day).await?.and_then(|v| v.today).expect("checked in"))
}

/// 受付の取消: undoes today's check-in of the wrong person, or a mistaken
/// check-out (event `volunteer.check_in_cancelled`). The log keeps both.
pub async fn cancel_check_in(db: &Db, clock: &Clock, actor: &Actor, volunteer_id: i64) -> Result<Volunteer, AppError> {
    let day = clock.activity_day();
    let mut tx = db.begin_write().await?;
    let volunteer = load(&mut tx, volunteer_id, day).await?;
    let Some(today) = &volunteer.today else {
        return Err(AppError::conflict(Text::new(
            format!("{}さんの本日の受付はありません。", volunteer.name),
            format!("{} has no check-in today.", volunteer.name),
        )));
    };
    sqlx::query("DELETE FROM checkins WHERE id = ?").bind(today.id).execute(tx.conn()).await?;
    let cancelled = VolunteerCheckInCancelled {
        volunteer_id,
        volunteer_no: volunteer.volunteer_no.clone(),
        day,
        headcount: today.headcount,
        was_checked_out: today.checked_out_at.is_some(),
    };
    tx.append(clock, actor, Some(volunteer.volunteer_no.clone()), &cancelled).await?;
    let updated = store::volunteer(tx.conn(), volunteer_id, day).await?.expect("exists");
    tx.commit().await?;
    Ok(updated)
}

/// Changes today's insurance, e.g. a 未加入 volunteer enrolls at the desk
/// (event `volunteer.insurance_changed`).
pub async fn change_insurance(
    db: &Db,
    clock: &Clock,
    actor: &Actor,
    volunteer_id: i64,
    input: InsuranceInput,
) -> Result<Volunteer, AppError> {
    let day = clock.activity_day();
    let insurance = input
        .insurance
        .ok_or_else(|| invalid("insurance", "保険の加入状況を選んでください。", "insurance is required."))?;
    let (plan, fee) = desk_enrolment(insurance, input.insurance_plan.as_deref(), input.insurance_fee_yen)?;
    let mut tx = db.begin_write().await?;
    let volunteer = load(&mut tx, volunteer_id, day).await?;
    let Some(today) = &volunteer.today else {
        return Err(AppError::conflict(Text::new(
            "本日の受付後に保険の状況を変更してください。",
            "Check the volunteer in first, then change today's insurance.",
        )));
    };
    sqlx::query("UPDATE checkins SET insurance = ?, insurance_plan = ?, insurance_fee_yen = ? WHERE id = ?")
        .bind(insurance.as_str())
        .bind(&plan)
        .bind(fee)
        .bind(today.id)
        .execute(tx.conn())
        .await?;
    let base = if insurance == DayInsurance::None { Insurance::None } else { Insurance::Enrolled };
    sqlx::query("UPDATE volunteers SET insurance = ?, version = version + 1 WHERE id = ?")
        .bind(base.as_str())
        .bind(volunteer_id)
        .execute(tx.conn())
        .await?;
    let changed = VolunteerInsuranceChanged {
        volunteer_id,
        volunteer_no: volunteer.volunteer_no.clone(),
        day,
        from: wire(&today.insurance),
        to: wire(&insurance),
    };
    tx.append(clock, actor, Some(volunteer.volunteer_no.clone()), &changed).await?;
    let updated = store::volunteer(tx.conn(), volunteer_id, day).await?.expect("exists");
    tx.commit().await?;
    Ok(updated)
}

/// Why a volunteer may not be put on a team on `day`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DispatchBlock {
    NotCheckedIn,
    CheckedOut,
    /// 未加入: the insurance gate.
    Uninsured,
}

impl DispatchBlock {
    /// The refusal, for the matching desk's scan and for sending a team alike:
    /// `who` is how the desk names the volunteer (`V-0012`, or with the name).
    pub fn refusal(self, who: &str) -> AppError {
        let (code, ja, en) = match self {
            DispatchBlock::NotCheckedIn => ("not_checked_in", "本日受付していません", "is not checked in today"),
            DispatchBlock::CheckedOut => ("checked_out", "すでに退所しています", "has checked out"),
            DispatchBlock::Uninsured => ("uninsured", "ボランティア活動保険に未加入です", "is not insured"),
        };
        AppError::conflict(Text::new(format!("{who} さんは{ja}。"), format!("{who} {en}."))).coded(code)
    }
}

/// The gate the dispatch desk relies on: checked in on `day`, not yet gone,
/// and insured. `None` means the volunteer may go.
pub async fn dispatch_block(
    conn: impl sqlx::SqliteExecutor<'_>,
    volunteer_id: i64,
    day: NaiveDate,
) -> Result<Option<DispatchBlock>, sqlx::Error> {
    let row: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT insurance, checked_out_at FROM checkins WHERE volunteer_id = ? AND day = ?")
            .bind(volunteer_id)
            .bind(day.to_string())
            .fetch_optional(conn)
            .await?;
    Ok(match row {
        None => Some(DispatchBlock::NotCheckedIn),
        Some((_, Some(_))) => Some(DispatchBlock::CheckedOut),
        Some((insurance, None)) if insurance == DayInsurance::None.as_str() => Some(DispatchBlock::Uninsured),
        Some(_) => None,
    })
}

/// `can_dispatch(volunteer, day)`: true only for an insured volunteer checked in and still here.
pub async fn can_dispatch(
    conn: impl sqlx::SqliteExecutor<'_>,
    volunteer_id: i64,
    day: NaiveDate,
) -> Result<bool, sqlx::Error> {
    Ok(dispatch_block(conn, volunteer_id, day).await?.is_none())
}

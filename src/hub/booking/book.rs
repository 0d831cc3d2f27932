//! Booking, cancelling, the waitlist, and an opening's state changes.
//!
//! **No overbooking**: every change to who holds a seat on an opening runs in
//! one transaction that first locks the opening's row (`FOR UPDATE`), so
//! bookings on one opening queue there, across every hub process; the table's
//! CHECK (`booked_seats <= quota`) refuses a commit past the quota all the
//! same. One booking per volunteer per day is a unique index.

use chrono::{NaiveDate, Utc};
use serde::Serialize;
use sqlx::PgConnection;

use super::mails::{self, About, MailBooking};
use super::openings::{self, Opening};
use super::profiles::{self, BookingProfile};
use crate::error::{AppError, Class, OnUnique};
use crate::hub::contract::booking::{BookingCancelled, BookingMade, BookingPromoted, OpeningStateChanged};
use crate::hub::events::{HubActor, HubTx};
use crate::hub::sessions::SessionAccount;
use crate::hub::state::HubState;
use crate::i18n::Text;

/// One booking as its volunteer (or staff) sees it.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
#[schema(as = HubBooking)]
pub struct Booking {
    pub id: i64,
    /// `H-00012`: said aloud at the desk.
    #[sqlx(skip)]
    pub number: String,
    pub opening_id: i64,
    pub day: NaiveDate,
    pub seats: i32,
    /// `applied` (lottery, before the draw), `booked`, `waitlisted`, `cancelled`, `day_cancelled`
    pub status: String,
    /// The waitlist's order (lower goes first).
    pub waitlist_order: Option<i64>,
    /// What the center's desk scans (32 upper-case hex digits, as a center registration).
    pub qr_token: String,
}

const COLUMNS: &str = "id, opening_id, day, seats, status, waitlist_order, qr_token";

fn numbered(mut booking: Booking) -> Booking {
    booking.number = mails::booking_no(booking.id);
    booking
}

fn refused(code: &'static str, ja: &'static str, en: &'static str) -> AppError {
    AppError::new(Class::Conflict, code, Text::new(ja, en))
}

pub fn booking_not_found() -> AppError {
    AppError::not_found(Text::new("その予約は見つかりません。", "No such booking."))
}

/// The volunteer's own bookings, newest day first.
pub async fn mine(conn: &mut PgConnection, account_id: i64) -> Result<Vec<Booking>, sqlx::Error> {
    let rows: Vec<Booking> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM hub_bookings WHERE account_id = $1 ORDER BY day DESC, id DESC"
    )))
    .bind(account_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(numbered).collect())
}

/// One of the volunteer's own bookings (another's is "not found").
pub async fn one_of_mine(conn: &mut PgConnection, account_id: i64, id: i64) -> Result<Booking, AppError> {
    let row: Option<Booking> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM hub_bookings WHERE id = $1 AND account_id = $2"
    )))
    .bind(id)
    .bind(account_id)
    .fetch_optional(conn)
    .await?;
    row.map(numbered).ok_or_else(booking_not_found)
}

/// Whether `profile` may come on `opening`'s day.
fn check_eligible(opening: &Opening, profile: &BookingProfile) -> Result<(), AppError> {
    if !profile.insured {
        return Err(refused(
            "insurance_required",
            "ボランティア活動保険への加入（申告）が必要です。プロフィールで加入を申告してください。",
            "Volunteer activity insurance is required: declare it in your profile.",
        ));
    }
    if profile.age_on_day < opening.minimum_age {
        return Err(AppError::new(
            Class::Conflict,
            "too_young",
            Text::new(
                format!("この募集は{}歳以上の方が対象です。", opening.minimum_age),
                format!("This opening is for people aged {} or over.", opening.minimum_age),
            ),
        ));
    }
    if opening.prefecture_only && !profile.in_prefecture {
        return Err(refused(
            "prefecture_only",
            "この募集は県内在住の方のみが対象です。",
            "This opening is for residents of the prefecture only.",
        ));
    }
    Ok(())
}

fn profile_missing() -> AppError {
    refused(
        "profile_missing",
        "予約の前にプロフィール（氏名・生年月日・保険など）を登録してください。",
        "Fill in your profile (name, birth date, insurance…) before booking.",
    )
}

/// Books `opening_id` for the volunteer: a seat while there is one and nobody
/// waits, else the waitlist; for a lottery, an application until the draw.
pub async fn book(state: &HubState, account_id: i64, opening_id: i64) -> Result<Booking, AppError> {
    let db = &state.db;
    let mut conn = db.pool.acquire().await?;
    // The day never changes once made: read before the lock, for the age on that day.
    let day =
        openings::get(&mut conn, opening_id).await?.filter(|o| o.state != "draft").ok_or_else(openings::not_found)?.day;
    let profile = profiles::for_booking(&mut conn, account_id, day).await?.ok_or_else(profile_missing)?;
    drop(conn);
    // The token and its picture are made before the lock: the queue there stays short.
    let qr_token = crate::reception::register::new_qr_token();
    let qr_png = super::qr::png(&qr_token);

    let mut tx = HubTx::begin(db).await?;
    let opening =
        openings::lock(&mut tx, opening_id).await?.filter(|o| o.state != "draft").ok_or_else(openings::not_found)?;
    if opening.state != "open" {
        return Err(refused(
            "opening_not_open",
            "この募集は受付を終了しました。",
            "This opening takes no bookings now.",
        ));
    }
    let lottery = opening.mode == "lottery";
    if lottery && opening.lottery_closes_at.is_some_and(|closes| Utc::now() >= closes) {
        return Err(refused(
            "lottery_closed",
            "抽選の申込は締め切りました。",
            "Applications for this lottery are closed.",
        ));
    }
    check_eligible(&opening, &profile)?;
    let someone_waits: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM hub_bookings WHERE opening_id = $1 AND status = 'waitlisted')",
    )
    .bind(opening_id)
    .fetch_one(tx.conn())
    .await?;
    let status = if lottery {
        "applied"
    } else if !someone_waits && opening.booked_seats + profile.seats <= opening.quota {
        "booked"
    } else {
        "waitlisted"
    };
    let row: Booking = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO hub_bookings (opening_id, account_id, day, seats, status, waitlist_order, qr_token)
         VALUES ($1, $2, $3, $4, $5, CASE WHEN $5 = 'waitlisted' THEN nextval('hub_waitlist_order') END, $6)
         RETURNING {COLUMNS}"
    )))
    .bind(opening_id)
    .bind(account_id)
    .bind(opening.day)
    .bind(profile.seats)
    .bind(status)
    .bind(&qr_token)
    .fetch_one(tx.conn())
    .await
    .on_unique(|| {
        refused(
            "already_booked_that_day",
            "この日は既に予約（またはキャンセル待ち・抽選の申込）があります。1日に1件までです。",
            "You already have a booking (or a waitlist place or lottery application) that day: one a day.",
        )
    })?;
    if status == "booked" {
        sqlx::query("UPDATE hub_openings SET booked_seats = booked_seats + $2 WHERE id = $1")
            .bind(opening_id)
            .bind(profile.seats)
            .execute(tx.conn())
            .await?;
    }
    let event =
        BookingMade { booking_id: row.id, opening_id, account_id, status: status.to_string(), seats: profile.seats };
    tx.append(&HubActor::account(account_id), Some(format!("booking:{}", row.id)), &event).await?;
    let about = match status {
        "booked" => About::Booked,
        "waitlisted" => About::Waitlisted,
        _ => About::Applied,
    };
    let mail = MailBooking { id: row.id, qr_token: &qr_token, opening: &opening, qr_png: Some(&qr_png) };
    mails::queue(&mut tx, &state.config.mail.from, about, &mail, &profile.contact).await?;
    tx.commit().await?;
    Ok(numbered(row))
}

/// The volunteer cancels their own booking, until the opening's cutoff; a
/// freed seat goes to the waitlist in order.
pub async fn cancel(state: &HubState, account_id: i64, booking_id: i64) -> Result<Booking, AppError> {
    let db = &state.db;
    let found = one_of_mine(&mut *db.pool.acquire().await?, account_id, booking_id).await?;
    let mut tx = HubTx::begin(db).await?;
    // The opening first, as every seat change does: no deadlock with a booking on it.
    let opening = openings::lock(&mut tx, found.opening_id).await?.ok_or_else(openings::not_found)?;
    let current: Booking =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM hub_bookings WHERE id = $1 FOR UPDATE")))
            .bind(booking_id)
            .fetch_one(tx.conn())
            .await?;
    if !matches!(current.status.as_str(), "applied" | "booked" | "waitlisted") {
        return Err(refused(
            "not_cancellable",
            "この予約は既に取り消されています。",
            "This booking is already cancelled.",
        ));
    }
    if Utc::now() >= mails::cancel_until(&opening) {
        return Err(refused(
            "cancel_cutoff_passed",
            "キャンセルの期限を過ぎています。センターに連絡してください。",
            "The cancellation cutoff has passed: contact the center.",
        ));
    }
    withdraw_locked(&mut tx, state, &opening, &current, &HubActor::account(account_id), true).await?;
    tx.commit().await?;
    Ok(numbered(Booking { status: "cancelled".into(), ..current }))
}

/// Cancels `current`, a standing booking on `opening` (locked by `tx`, as is
/// the booking): its event, the volunteer's mail when `mail_volunteer`, and a
/// freed seat goes to the waitlist in order. The one way a booking is
/// withdrawn, by its volunteer ([`cancel`]) or by the account's erasure
/// ([`withdraw_all_in`]).
async fn withdraw_locked(
    tx: &mut HubTx,
    state: &HubState,
    opening: &Opening,
    current: &Booking,
    actor: &HubActor,
    mail_volunteer: bool,
) -> Result<(), AppError> {
    let account_id: i64 = sqlx::query_scalar(
        "UPDATE hub_bookings SET status = 'cancelled', changed_at = now() WHERE id = $1 RETURNING account_id",
    )
    .bind(current.id)
    .fetch_one(tx.conn())
    .await?;
    let event =
        BookingCancelled { booking_id: current.id, opening_id: opening.id, account_id, was: current.status.clone() };
    tx.append(actor, Some(format!("booking:{}", current.id)), &event).await?;
    if mail_volunteer {
        let to = profiles::recipient(tx.conn(), account_id).await?;
        let mail = MailBooking { id: current.id, qr_token: &current.qr_token, opening, qr_png: None };
        mails::queue(tx, &state.config.mail.from, About::Cancelled, &mail, &to).await?;
    }
    if current.status == "booked" {
        sqlx::query("UPDATE hub_openings SET booked_seats = booked_seats - $2 WHERE id = $1")
            .bind(opening.id)
            .bind(current.seats)
            .execute(tx.conn())
            .await?;
        promote(tx, state, opening, actor).await?;
    }
    Ok(())
}

/// Withdraws every standing booking (booked, waitlisted, applied) of
/// `account_id` for `from` and later, in the caller's transaction: each
/// freed seat goes to the first waiting, who is mailed; the volunteer is not
/// (their account is being erased). Openings are locked in id order, so two
/// erasures never deadlock. How many were withdrawn.
pub async fn withdraw_all_in(
    tx: &mut HubTx,
    state: &HubState,
    account_id: i64,
    from: NaiveDate,
    actor: &HubActor,
) -> Result<usize, AppError> {
    let opening_ids: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT opening_id FROM hub_bookings
          WHERE account_id = $1 AND day >= $2 AND status IN ('applied', 'booked', 'waitlisted') ORDER BY opening_id",
    )
    .bind(account_id)
    .bind(from)
    .fetch_all(tx.conn())
    .await?;
    let mut withdrawn = 0;
    for opening_id in opening_ids {
        let Some(opening) = openings::lock(tx, opening_id).await? else { continue };
        let standing: Vec<Booking> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM hub_bookings
              WHERE opening_id = $1 AND account_id = $2 AND day >= $3 AND status IN ('applied', 'booked', 'waitlisted')
              ORDER BY id FOR UPDATE"
        )))
        .bind(opening_id)
        .bind(account_id)
        .bind(from)
        .fetch_all(tx.conn())
        .await?;
        for booking in &standing {
            withdraw_locked(tx, state, &opening, booking, actor, false).await?;
            withdrawn += 1;
        }
    }
    Ok(withdrawn)
}

/// The last day each of `account_ids` booked (applied, booked or
/// waitlisted: not cancelled).
pub async fn last_days(
    conn: &mut PgConnection,
    account_ids: &[i64],
) -> Result<std::collections::HashMap<i64, NaiveDate>, sqlx::Error> {
    let rows: Vec<(i64, NaiveDate)> = sqlx::query_as(
        "SELECT account_id, max(day) FROM hub_bookings
          WHERE account_id = ANY($1) AND status IN ('applied', 'booked', 'waitlisted') GROUP BY account_id",
    )
    .bind(account_ids)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().collect())
}

/// Booking's part for the accounts area (registered in `HubState::bookings`
/// at start): an erased account's bookings from today on are withdrawn in
/// the erasure's transaction; the retention sweeper reads last booking days.
pub struct BookingsForAccounts;

impl crate::hub::accounts::hook::AccountBookings for BookingsForAccounts {
    fn erasing<'a>(
        &'a self,
        tx: &'a mut HubTx,
        state: &'a HubState,
        account_id: i64,
        actor: &'a HubActor,
    ) -> futures_util::future::BoxFuture<'a, Result<(), AppError>> {
        Box::pin(
            async move { withdraw_all_in(tx, state, account_id, state.clock.activity_day(), actor).await.map(|_| ()) },
        )
    }

    fn last_days<'a>(
        &'a self,
        conn: &'a mut PgConnection,
        account_ids: &'a [i64],
    ) -> futures_util::future::BoxFuture<'a, Result<std::collections::HashMap<i64, NaiveDate>, sqlx::Error>> {
        Box::pin(last_days(conn, account_ids))
    }
}

/// Gives free seats to the waitlist, strictly in order: the first waiting
/// booking that does not fit stops it (nobody jumps the queue). The opening
/// must be locked by `tx`. The promoted bookings' ids.
pub async fn promote(
    tx: &mut HubTx,
    state: &HubState,
    opening: &Opening,
    actor: &HubActor,
) -> Result<Vec<i64>, AppError> {
    let mut promoted = Vec::new();
    if !matches!(opening.state.as_str(), "open" | "closed") {
        return Ok(promoted);
    }
    loop {
        let free: i32 = sqlx::query_scalar("SELECT quota - booked_seats FROM hub_openings WHERE id = $1")
            .bind(opening.id)
            .fetch_one(tx.conn())
            .await?;
        let next: Option<(i64, i64, i32, String)> = sqlx::query_as(
            "SELECT id, account_id, seats, qr_token FROM hub_bookings
              WHERE opening_id = $1 AND status = 'waitlisted' ORDER BY waitlist_order LIMIT 1 FOR UPDATE",
        )
        .bind(opening.id)
        .fetch_optional(tx.conn())
        .await?;
        let Some((id, account_id, seats, qr_token)) = next.filter(|(_, _, seats, _)| *seats <= free) else {
            return Ok(promoted);
        };
        sqlx::query("UPDATE hub_bookings SET status = 'booked', changed_at = now() WHERE id = $1")
            .bind(id)
            .execute(tx.conn())
            .await?;
        sqlx::query("UPDATE hub_openings SET booked_seats = booked_seats + $2 WHERE id = $1")
            .bind(opening.id)
            .bind(seats)
            .execute(tx.conn())
            .await?;
        let event = BookingPromoted { booking_id: id, opening_id: opening.id, account_id };
        tx.append(actor, Some(format!("booking:{id}")), &event).await?;
        let to = profiles::recipient(tx.conn(), account_id).await?;
        let mail = MailBooking { id, qr_token: &qr_token, opening, qr_png: None };
        mails::queue(tx, &state.config.mail.from, About::Promoted, &mail, &to).await?;
        promoted.push(id);
    }
}

/// Staff move an opening: `open` (publish, or reopen), `closed`, or
/// `cancelled` (中止: every standing booking becomes `day_cancelled`, mailed).
pub async fn change_state(
    state: &HubState,
    account: &SessionAccount,
    actor: &HubActor,
    opening_id: i64,
    to: &str,
) -> Result<Opening, AppError> {
    let mut tx = HubTx::begin(&state.db).await?;
    let opening = openings::lock(&mut tx, opening_id).await?.ok_or_else(openings::not_found)?;
    if !openings::may_manage(account, opening.center_id) {
        return Err(openings::not_found());
    }
    let allowed = match (opening.state.as_str(), to) {
        ("draft" | "closed", "open") | ("open", "closed") => true,
        (from, "cancelled") => from != "cancelled",
        _ => false,
    };
    if !allowed {
        return Err(AppError::new(
            Class::Conflict,
            "bad_state_change",
            Text::new(
                format!("「{}」の募集を「{to}」にはできません。", opening.state),
                format!("An opening that is {} cannot become {to}.", opening.state),
            ),
        ));
    }
    let mut touched = 0i64;
    if to == "cancelled" {
        let standing: Vec<(i64, i64, String)> = sqlx::query_as(
            "UPDATE hub_bookings SET status = 'day_cancelled', changed_at = now()
              WHERE opening_id = $1 AND status IN ('applied', 'booked', 'waitlisted')
              RETURNING id, account_id, qr_token",
        )
        .bind(opening_id)
        .fetch_all(tx.conn())
        .await?;
        sqlx::query("UPDATE hub_openings SET booked_seats = 0 WHERE id = $1")
            .bind(opening_id)
            .execute(tx.conn())
            .await?;
        for (id, account_id, qr_token) in &standing {
            let to = profiles::recipient(tx.conn(), *account_id).await?;
            let mail = MailBooking { id: *id, qr_token, opening: &opening, qr_png: None };
            mails::queue(&mut tx, &state.config.mail.from, About::DayCancelled, &mail, &to).await?;
        }
        touched = standing.len() as i64;
    }
    sqlx::query("UPDATE hub_openings SET state = $2 WHERE id = $1")
        .bind(opening_id)
        .bind(to)
        .execute(tx.conn())
        .await?;
    let event =
        OpeningStateChanged { opening_id, from: opening.state.clone(), to: to.to_string(), bookings_touched: touched };
    tx.append(actor, Some(format!("opening:{opening_id}")), &event).await?;
    tx.commit().await?;
    Ok(Opening { state: to.to_string(), ..opening })
}

//! What booking reads of a volunteer: eligibility (through the accounts
//! area's `profile::eligibility`), seats, where and in which language to mail,
//! and the meeting point's list. The profile table (`hub_volunteers`) belongs
//! to the accounts area; this file is the one place booking reads it.

use chrono::NaiveDate;
use sqlx::PgConnection;

use crate::i18n::Lang;

/// A volunteer as booking sees them.
#[derive(Clone, Debug)]
pub struct BookingProfile {
    pub birth_date: NaiveDate,
    /// 県内在住
    pub in_prefecture: bool,
    /// ボランティア活動保険に加入済み
    pub insured: bool,
    /// 1, or a group's head count.
    pub seats: i32,
    /// Age on the day asked about (the accounts area's rule).
    pub age_on_day: i32,
    pub contact: Recipient,
}

/// Where a booking's mail goes.
#[derive(Clone, Debug)]
pub struct Recipient {
    pub account_id: i64,
    /// `None` once the account is deleted.
    pub email: Option<String>,
    pub lang: Lang,
}

/// The volunteer's profile, or `None` when they have none (or deleted it).
/// Eligibility comes from the accounts area's read function.
pub async fn for_booking(
    conn: &mut PgConnection,
    account_id: i64,
    day: NaiveDate,
) -> Result<Option<BookingProfile>, sqlx::Error> {
    let Some(found) = crate::hub::accounts::profile::eligibility(&mut *conn, account_id).await? else {
        return Ok(None);
    };
    let contact = recipient(conn, account_id).await?;
    if contact.email.is_none() {
        return Ok(None);
    }
    Ok(Some(BookingProfile {
        birth_date: found.birth_date,
        in_prefecture: found.residence == "in",
        insured: found.insurance == "enrolled",
        seats: if found.kind == "group" { i32::try_from(found.headcount()).unwrap_or(1).max(1) } else { 1 },
        age_on_day: found.age_on(day),
        contact,
    }))
}

/// Where to mail `account_id` (staff and volunteers without a profile: Japanese).
pub async fn recipient(conn: &mut PgConnection, account_id: i64) -> Result<Recipient, sqlx::Error> {
    let (email, lang): (Option<String>, Option<String>) = sqlx::query_as(
        "SELECT a.email, v.lang FROM hub_accounts a LEFT JOIN hub_volunteers v ON v.account_id = a.id WHERE a.id = $1",
    )
    .bind(account_id)
    .fetch_one(conn)
    .await?;
    Ok(Recipient { account_id, email, lang: lang_of(lang.as_deref()) })
}

fn lang_of(code: Option<&str>) -> Lang {
    if code == Some("en") { Lang::En } else { Lang::Ja }
}

/// One line of a meeting-point list: who to expect.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RosterPerson {
    pub booking_id: i64,
    pub status: String,
    pub seats: i32,
    pub waitlist_order: Option<i64>,
    pub name: Option<String>,
    pub furigana: Option<String>,
    pub phone: Option<String>,
    pub emergency_phone: Option<String>,
    pub group_name: Option<String>,
}

/// Everyone on an opening in `statuses`, booked first, then the waitlist in order.
pub async fn roster(conn: &mut PgConnection, opening_id: i64) -> Result<Vec<RosterPerson>, sqlx::Error> {
    sqlx::query_as(
        "SELECT b.id AS booking_id, b.status, b.seats, b.waitlist_order, v.name, v.furigana, v.phone,
                v.emergency_phone, v.group_name
           FROM hub_bookings b LEFT JOIN hub_volunteers v ON v.account_id = b.account_id
          WHERE b.opening_id = $1
          ORDER BY CASE b.status WHEN 'booked' THEN 0 WHEN 'applied' THEN 1 WHEN 'waitlisted' THEN 2 ELSE 3 END,
                   b.waitlist_order NULLS FIRST, b.id",
    )
    .bind(opening_id)
    .fetch_all(conn)
    .await
}

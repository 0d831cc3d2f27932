//! Volunteers who booked a day at the hub (`crate::hub_link` pulls them): each
//! booking becomes who the desk expects on its day, with where they meet. The
//! person is one pre-registered volunteer, found again by phone and name when
//! they book another day; the booking's own QR token (from the hub's mail)
//! names them at the desk. A released booking leaves the expected list; a
//! check-in already made stays. Table `hub_bookings`; event `volunteer.booking_synced`.

use chrono::NaiveDate;
use serde::Serialize;

use super::form::{Registration, RegistrationForm, validate_profile};
use super::model::{Gender, Insurance, Source, VolunteerKind, volunteer_no};
use super::register::{bind_person, find_twin, insert, new_qr_token};
use crate::clock::{Clock, stamp};
use crate::error::AppError;
use crate::events::contract::reception::{VolunteerBookingSynced, VolunteerRegistered};
use crate::events::contract::wire;
use crate::events::{Actor, WriteTx};
use crate::i18n::Text;
use crate::sync::{BookedVolunteer, BookingChange, BookingState, Meeting};

/// What one pulled booking did here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// A booking the desk did not know: expected from now on.
    New,
    /// Known, and something the desk shows changed (profile, day, meeting).
    Changed,
    /// No longer expected (cancelled, or the day called off).
    Released,
    /// Exactly as held: nothing written.
    Unchanged,
    /// Released before it ever reached the desk: nothing to do.
    Ignored,
}

/// The hub booking the desk holds for a volunteer on a day, as the desk shows it (予約あり).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct DayBooking {
    /// `H-00012`
    pub number: String,
    pub day: NaiveDate,
    /// `booked`, or `released` (cancelled at the hub).
    pub state: String,
    pub seats: i64,
    pub title: String,
    pub meeting_point: String,
    /// `HH:MM`
    pub meeting_time: String,
    pub bring: String,
}

#[derive(sqlx::FromRow, PartialEq)]
struct Held {
    volunteer_id: i64,
    number: String,
    qr_token: String,
    day: String,
    state: String,
    seats: i64,
    title: String,
    meeting_point: String,
    meeting_time: String,
    bring: String,
}

const HELD: &str = "SELECT volunteer_id, number, qr_token, day, state, seats, title, meeting_point, meeting_time, bring
    FROM hub_bookings";

/// Applies one pulled booking inside the pull's transaction; `at` names where it
/// sits in the page, for errors (`bookings[3].volunteer.phone`).
pub async fn apply_in(
    tx: &mut WriteTx,
    clock: &Clock,
    actor: &Actor,
    change: &BookingChange,
    at: &str,
) -> Result<Applied, AppError> {
    let held: Option<Held> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{HELD} WHERE booking_id = ?")))
        .bind(change.booking_id)
        .fetch_optional(tx.conn())
        .await?;
    match validated(change, clock.activity_day(), at)? {
        None => release(tx, clock, actor, change, held).await,
        Some(booked) => book(tx, clock, actor, change, booked, held).await,
    }
}

/// A booked booking, checked: the person by the center's form rules.
struct Checked<'a> {
    registration: Registration,
    meeting: &'a Meeting,
    token: String,
}

/// The checks [`apply_in`] makes before it writes, without the database: a
/// pulled page is taken in only when every booking on it passes.
pub fn check(change: &BookingChange, today: NaiveDate, at: &str) -> Result<(), AppError> {
    validated(change, today, at).map(|_| ())
}

fn validated<'a>(change: &'a BookingChange, today: NaiveDate, at: &str) -> Result<Option<Checked<'a>>, AppError> {
    if change.state == BookingState::Released {
        return Ok(None);
    }
    let (Some(person), Some(meeting), Some(token)) = (&change.volunteer, &change.meeting, &change.qr_token) else {
        return Err(refused(
            at,
            "予約に必要な項目（氏名・集合・QR）がありません",
            "a booked booking lacks its person, meeting or token",
        ));
    };
    let token = crate::fields::scan_code(token);
    if token.len() != 32 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(refused(&format!("{at}.qr_token"), "QRトークンの形式が違います", "qr_token is not 32 hex digits"));
    }
    if !(1..=300).contains(&change.seats) {
        return Err(refused(&format!("{at}.seats"), "席数は1〜300です", "seats is 1–300"));
    }
    let registration = validate_profile(form_of(person), today).map_err(|e| {
        let field = format!("{at}.volunteer.{}", e.field.as_deref().unwrap_or_default());
        e.with_field(field)
    })?;
    Ok(Some(Checked { registration, meeting, token }))
}

async fn book(
    tx: &mut WriteTx,
    clock: &Clock,
    actor: &Actor,
    change: &BookingChange,
    checked: Checked<'_>,
    held: Option<Held>,
) -> Result<Applied, AppError> {
    let Checked { registration, meeting, token } = checked;
    let token = token.as_str();
    let wanted = Held {
        volunteer_id: 0,
        number: change.number.clone(),
        qr_token: token.to_string(),
        day: change.day.to_string(),
        state: "booked".into(),
        seats: change.seats,
        title: meeting.title.clone(),
        meeting_point: meeting.meeting_point.clone(),
        meeting_time: meeting.meeting_time.clone(),
        bring: meeting.bring.clone(),
    };
    let (volunteer_id, new_volunteer, outcome) = match held {
        Some(held) => {
            let profile_changed = update_profile(tx, held.volunteer_id, &registration).await?;
            if !profile_changed && (Held { volunteer_id: held.volunteer_id, ..wanted }) == held {
                return Ok(Applied::Unchanged);
            }
            if held.day != change.day.to_string() || held.state != "booked" {
                forget_day(tx, change.booking_id, held.volunteer_id, &held.day).await?;
            }
            (held.volunteer_id, false, Applied::Changed)
        }
        None => match find_twin(tx, &registration).await? {
            Some(id) => {
                update_profile(tx, id, &registration).await?;
                (id, false, Applied::New)
            }
            None => {
                let id = insert(tx, clock, &registration, None, Source::PreRegistration, &new_qr_token()).await?;
                (id, true, Applied::New)
            }
        },
    };
    sqlx::query(
        "INSERT INTO hub_bookings (booking_id, volunteer_id, number, qr_token, day, state, seats, title, meeting_point,
             meeting_time, bring, pulled_at)
         VALUES (?, ?, ?, ?, ?, 'booked', ?, ?, ?, ?, ?, ?)
         ON CONFLICT (booking_id) DO UPDATE SET number = excluded.number, qr_token = excluded.qr_token,
             day = excluded.day, state = 'booked', seats = excluded.seats, title = excluded.title,
             meeting_point = excluded.meeting_point, meeting_time = excluded.meeting_time, bring = excluded.bring,
             pulled_at = excluded.pulled_at",
    )
    .bind(change.booking_id)
    .bind(volunteer_id)
    .bind(&change.number)
    .bind(token)
    .bind(change.day.to_string())
    .bind(change.seats)
    .bind(&meeting.title)
    .bind(&meeting.meeting_point)
    .bind(&meeting.meeting_time)
    .bind(&meeting.bring)
    .bind(stamp(clock.now()))
    .execute(tx.conn())
    .await?;
    // The capacity counts the day: a booking's seats, beside any local pre-registration's.
    sqlx::query(
        "INSERT INTO volunteer_days (volunteer_id, day, headcount) VALUES (?, ?, ?)
         ON CONFLICT (volunteer_id, day) DO UPDATE SET headcount = MAX(headcount, excluded.headcount)",
    )
    .bind(volunteer_id)
    .bind(change.day.to_string())
    .bind(change.seats)
    .execute(tx.conn())
    .await?;
    let number: i64 = sqlx::query_scalar("SELECT number FROM volunteers WHERE id = ?")
        .bind(volunteer_id)
        .fetch_one(tx.conn())
        .await?;
    if new_volunteer {
        let registered = VolunteerRegistered {
            volunteer_id,
            volunteer_no: volunteer_no(number),
            source: wire(&Source::PreRegistration),
            kind: wire(&registration.kind),
            headcount: registration.headcount(),
            insurance: wire(&registration.insurance),
            preferred_dates: vec![change.day],
            group_id: None,
        };
        tx.append(clock, actor, Some(volunteer_no(number)), &registered).await?;
    }
    let synced = VolunteerBookingSynced {
        volunteer_id,
        volunteer_no: volunteer_no(number),
        booking_no: change.number.clone(),
        day: change.day,
        seats: change.seats,
        state: "booked".into(),
        new_volunteer,
    };
    tx.append(clock, actor, Some(volunteer_no(number)), &synced).await?;
    Ok(outcome)
}

async fn release(
    tx: &mut WriteTx,
    clock: &Clock,
    actor: &Actor,
    change: &BookingChange,
    held: Option<Held>,
) -> Result<Applied, AppError> {
    let Some(held) = held else { return Ok(Applied::Ignored) };
    if held.state == "released" {
        return Ok(Applied::Unchanged);
    }
    sqlx::query("UPDATE hub_bookings SET state = 'released', pulled_at = ? WHERE booking_id = ?")
        .bind(stamp(clock.now()))
        .bind(change.booking_id)
        .execute(tx.conn())
        .await?;
    forget_day(tx, change.booking_id, held.volunteer_id, &held.day).await?;
    let number: i64 = sqlx::query_scalar("SELECT number FROM volunteers WHERE id = ?")
        .bind(held.volunteer_id)
        .fetch_one(tx.conn())
        .await?;
    let synced = VolunteerBookingSynced {
        volunteer_id: held.volunteer_id,
        volunteer_no: volunteer_no(number),
        booking_no: held.number,
        day: change.day,
        seats: held.seats,
        state: "released".into(),
        new_volunteer: false,
    };
    tx.append(clock, actor, Some(volunteer_no(number)), &synced).await?;
    Ok(Applied::Released)
}

/// The day leaves the expected list, unless another booking still holds it.
async fn forget_day(tx: &mut WriteTx, booking_id: i64, volunteer_id: i64, day: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM volunteer_days WHERE volunteer_id = ?1 AND day = ?2
           AND NOT EXISTS (SELECT 1 FROM hub_bookings
                            WHERE volunteer_id = ?1 AND day = ?2 AND state = 'booked' AND booking_id <> ?3)",
    )
    .bind(volunteer_id)
    .bind(day)
    .bind(booking_id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// The hub's profile is the volunteer's own and newest: it replaces the desk's
/// copy. Whether anything changed (each value bound once, compared by number).
async fn update_profile(tx: &mut WriteTx, id: i64, r: &Registration) -> Result<bool, sqlx::Error> {
    let query = sqlx::query_scalar::<_, i64>(
        "UPDATE volunteers SET name = ?1, furigana = ?2, name_key = ?3, furigana_key = ?4, birth_date = ?5,
             gender = ?6, phone = ?7, phone_key = ?8, email = ?9, address = ?10, emergency_name = ?11,
             emergency_phone = ?12, kind = ?13, group_name = ?14, group_size = ?15, skills = ?16, vehicle = ?17,
             experience_count = ?18, guardian_name = ?19, guardian_consent = MAX(guardian_consent, ?20),
             version = version + 1
         WHERE id = ?21 AND NOT (name IS ?1 AND furigana IS ?2 AND birth_date IS ?5 AND gender IS ?6
             AND phone IS ?7 AND email IS ?9 AND address IS ?10 AND emergency_name IS ?11
             AND emergency_phone IS ?12 AND kind IS ?13 AND group_name IS ?14 AND group_size IS ?15
             AND skills IS ?16 AND vehicle IS ?17 AND experience_count IS ?18 AND guardian_name IS ?19
             AND guardian_consent >= ?20)
         RETURNING id",
    );
    let changed = bind_person(query, r)
        .bind(serde_json::to_string(&r.skills).expect("strings serialise"))
        .bind(&r.vehicle)
        .bind(r.experience_count)
        .bind(&r.guardian_name)
        .bind(r.guardian_consent as i64)
        .bind(id)
        .fetch_optional(tx.conn())
        .await?;
    Ok(changed.is_some())
}

/// The center's form, filled from the hub's profile: checked by the same rules.
fn form_of(p: &BookedVolunteer) -> RegistrationForm {
    RegistrationForm {
        name: p.name.clone(),
        furigana: p.furigana.clone(),
        birth_date: p.birth_date.to_string(),
        gender: p.gender.as_deref().and_then(Gender::parse),
        phone: p.phone.clone(),
        email: p.email.clone(),
        address: p.address.clone(),
        emergency_name: p.emergency_name.clone(),
        emergency_phone: p.emergency_phone.clone(),
        kind: VolunteerKind::parse(&p.kind),
        group_name: p.group_name.clone(),
        group_size: p.group_size,
        skills: p.skills.clone(),
        vehicle: p.vehicle.clone(),
        insurance: Insurance::parse(&p.insurance),
        experience_count: Some(p.experience_count),
        guardian_consent: p.guardian_consent,
        guardian_name: p.guardian_name.clone(),
        ..RegistrationForm::default()
    }
}

fn refused(field: &str, ja: &str, en: &str) -> AppError {
    AppError::validation(
        field,
        Text::new(
            format!("ハブからの予約を取り込めません（{field}）：{ja}。"),
            format!("A booking from the hub cannot be taken in ({field}): {en}."),
        ),
    )
}

/// The booking a scanned token names, if it is a hub booking's: its volunteer and the booking.
pub(crate) async fn by_token(
    conn: &mut sqlx::SqliteConnection,
    token: &str,
) -> Result<Option<(i64, DayBooking)>, sqlx::Error> {
    let held: Option<Held> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{HELD} WHERE qr_token = ?")))
        .bind(token)
        .fetch_optional(conn)
        .await?;
    Ok(held.map(|h| (h.volunteer_id, h.into_day_booking())))
}

/// The volunteer's booking for `day` (a booked one first), for the desk's 予約あり.
pub async fn on_day(
    conn: impl sqlx::SqliteExecutor<'_>,
    volunteer_id: i64,
    day: NaiveDate,
) -> Result<Option<DayBooking>, sqlx::Error> {
    let held: Option<Held> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{HELD} WHERE volunteer_id = ? AND day = ? ORDER BY state = 'booked' DESC, booking_id LIMIT 1"
    )))
    .bind(volunteer_id)
    .bind(day.to_string())
    .fetch_optional(conn)
    .await?;
    Ok(held.map(Held::into_day_booking))
}

impl Held {
    fn into_day_booking(self) -> DayBooking {
        DayBooking {
            number: self.number,
            day: NaiveDate::parse_from_str(&self.day, "%Y-%m-%d").unwrap_or_default(),
            state: self.state,
            seats: self.seats,
            title: self.title,
            meeting_point: self.meeting_point,
            meeting_time: self.meeting_time,
            bring: self.bring,
        }
    }
}

/// A booked person who checked in on the booking's day: for the hub's report.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BookedArrival {
    pub booking_id: i64,
    pub checked_in_at: String,
    pub people: i64,
}

/// The day's bookings whose person checked in that day, cancelled or not (the
/// hub records both facts).
pub async fn arrivals(conn: impl sqlx::SqliteExecutor<'_>, day: NaiveDate) -> Result<Vec<BookedArrival>, sqlx::Error> {
    sqlx::query_as(
        "SELECT b.booking_id, c.checked_in_at, c.headcount AS people
         FROM hub_bookings b JOIN checkins c ON c.volunteer_id = b.volunteer_id AND c.day = b.day
         WHERE b.day = ? ORDER BY b.booking_id",
    )
    .bind(day.to_string())
    .fetch_all(conn)
    .await
}

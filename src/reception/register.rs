//! Registering a volunteer: pre-registration on the public form, or a walk-in
//! at the desk. One command, event `volunteer.registered`.

use chrono::NaiveDate;
use rand::RngCore;
use serde::Serialize;

use super::form::{Channel, Registration, RegistrationForm, validate};
use super::model::{Source, Volunteer, VolunteerKind, volunteer_no};
use super::{capacity, minimum_age, store};
use crate::clock::{Clock, stamp};
use crate::db::Db;
use crate::error::{AppError, Class};
use crate::events::contract::{reception::VolunteerRegistered, wire};
use crate::events::{Actor, WriteTx};
use crate::i18n::Text;

/// What a registration came to.
pub enum Registered {
    /// A new volunteer, with the QR token for their badge.
    Created { volunteer: Box<Volunteer>, qr_token: String },
    /// Somebody with this phone number and name is already registered: offered
    /// instead of a twin (reception may insist with `force_new`).
    Existing(Box<Volunteer>),
}

/// The answer to the public form: the number and the QR token, nothing else.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicReceipt {
    /// `V-0001`
    pub volunteer_no: String,
    /// Random and unguessable; the QR code on the badge carries it.
    pub qr_token: String,
}

pub async fn register(
    db: &Db,
    clock: &Clock,
    actor: &Actor,
    form: RegistrationForm,
    channel: Channel,
) -> Result<Registered, AppError> {
    let today = clock.activity_day();
    let registration = validate(form, today, channel)?;
    let mut tx = db.begin_write().await?;
    let minimum_age = crate::settings::current(tx.conn()).await?.values.minimum_age;
    minimum_age::check(&registration, minimum_age::first_day(&registration, today), minimum_age)?;
    if !registration.force_new
        && let Some(id) = find_twin(&mut tx, &registration).await?
    {
        let existing = store::volunteer(tx.conn(), id, today).await?.expect("the twin exists");
        return Ok(Registered::Existing(Box::new(existing)));
    }
    let group_id = match registration.group_no {
        Some(number) => Some(group_representative(&mut tx, number).await?),
        None => None,
    };
    if channel == Channel::Public {
        capacity::ensure_room(&mut tx, &registration.preferred_dates, registration.places()).await?;
    }
    let source = match channel {
        Channel::Public => Source::PreRegistration,
        Channel::WalkIn => Source::WalkIn,
    };
    let qr_token = new_qr_token();
    let id = insert(&mut tx, clock, &registration, group_id, source, &qr_token).await?;
    let number: i64 =
        sqlx::query_scalar("SELECT number FROM volunteers WHERE id = ?").bind(id).fetch_one(tx.conn()).await?;
    // Only numbers and categories go into the log: names stay in the table.
    let registered = VolunteerRegistered {
        volunteer_id: id,
        volunteer_no: volunteer_no(number),
        source: wire(&source),
        kind: wire(&registration.kind),
        headcount: registration.headcount(),
        insurance: wire(&registration.insurance),
        preferred_dates: registration.preferred_dates.clone(),
        group_id,
    };
    tx.append(clock, actor, Some(volunteer_no(number)), &registered).await?;
    let volunteer = store::volunteer(tx.conn(), id, today).await?.expect("just inserted");
    tx.commit().await?;
    Ok(Registered::Created { volunteer: Box::new(volunteer), qr_token })
}

/// Same phone number, and the same name or furigana (spaces and width ignored).
pub(super) async fn find_twin(tx: &mut WriteTx, r: &Registration) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM volunteers WHERE phone_key = ? AND (name_key = ? OR furigana_key = ?) ORDER BY id LIMIT 1",
    )
    .bind(&r.phone_key)
    .bind(&r.name_key)
    .bind(&r.furigana_key)
    .fetch_optional(tx.conn())
    .await
}

async fn group_representative(tx: &mut WriteTx, number: i64) -> Result<i64, AppError> {
    let found: Option<(i64, String)> = sqlx::query_as("SELECT id, kind FROM volunteers WHERE number = ?")
        .bind(number)
        .fetch_optional(tx.conn())
        .await?;
    match found {
        Some((id, kind)) if kind == VolunteerKind::Group.as_str() => Ok(id),
        _ => Err(AppError::validation(
            "group_no",
            Text::new(
                format!("{} は団体の代表者として登録されていません。", volunteer_no(number)),
                format!("{} is not a registered group representative.", volunteer_no(number)),
            ),
        )),
    }
}

pub(super) async fn insert(
    tx: &mut WriteTx,
    clock: &Clock,
    r: &Registration,
    group_id: Option<i64>,
    source: Source,
    qr_token: &str,
) -> Result<i64, AppError> {
    // One writer at a time, so MAX()+1 cannot race.
    let query = sqlx::query_scalar(
        "INSERT INTO volunteers (number, qr_token, name, furigana, name_key, furigana_key, birth_date, gender,
             phone, phone_key, email, address, emergency_name, emergency_phone, kind, group_name, group_size,
             group_id, skills, vehicle, insurance, experience_count, guardian_consent, guardian_name, source, created_at)
         VALUES ((SELECT COALESCE(MAX(number), 0) + 1 FROM volunteers), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
             ?, ?, ?, ?, ?, ?, ?, ?, ?)
         RETURNING id",
    )
    .bind(qr_token);
    let id: i64 = bind_person(query, r)
        .bind(group_id)
        .bind(serde_json::to_string(&r.skills).expect("strings serialise"))
        .bind(&r.vehicle)
        .bind(r.insurance.as_str())
        .bind(r.experience_count)
        .bind(r.guardian_consent)
        .bind(&r.guardian_name)
        .bind(source.as_str())
        .bind(stamp(clock.now()))
        .fetch_one(tx.conn())
        .await?;
    for day in &r.preferred_dates {
        sqlx::query("INSERT INTO volunteer_days (volunteer_id, day, headcount) VALUES (?, ?, ?)")
            .bind(id)
            .bind(day.to_string())
            .bind(r.places())
            .execute(tx.conn())
            .await?;
    }
    Ok(id)
}

/// The person's columns `name` … `group_size`, in the table's order: the one
/// list the registration's INSERT and a hub profile's UPDATE (`booked`) bind.
pub(super) fn bind_person<'q, O>(
    query: sqlx::query::QueryScalar<'q, sqlx::Sqlite, O, sqlx::sqlite::SqliteArguments>,
    r: &'q Registration,
) -> sqlx::query::QueryScalar<'q, sqlx::Sqlite, O, sqlx::sqlite::SqliteArguments> {
    query
        .bind(&r.name)
        .bind(&r.furigana)
        .bind(&r.name_key)
        .bind(&r.furigana_key)
        .bind(r.birth_date.to_string())
        .bind(r.gender.map(|g| g.as_str()))
        .bind(&r.phone)
        .bind(&r.phone_key)
        .bind(&r.email)
        .bind(&r.address)
        .bind(&r.emergency_name)
        .bind(&r.emergency_phone)
        .bind(r.kind.as_str())
        .bind(&r.group_name)
        .bind(r.group_size)
}

/// 128 random bits as 32 upper-case hex digits: QR alphanumeric mode, and a
/// scanner types it as plain ASCII.
pub(crate) fn new_qr_token() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    crate::hex::encode(&bytes).to_ascii_uppercase()
}

/// The public form may not learn whether somebody is registered beyond "go to the desk".
pub fn already_registered() -> AppError {
    AppError::new(
        Class::Conflict,
        "already_registered",
        Text::new(
            "同じお名前と電話番号で既に登録されています。当日は受付でお名前と電話番号をお伝えください。",
            "Someone with this name and phone number is already registered. Tell the desk your name and phone number on the day.",
        ),
    )
}

/// A QR token's volunteer, for the public confirmation page and badge.
pub async fn by_token(db: &Db, token: &str, day: NaiveDate) -> Result<Option<Volunteer>, sqlx::Error> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM volunteers WHERE qr_token = ?")
        .bind(token.trim().to_ascii_uppercase())
        .fetch_optional(&db.read)
        .await?;
    match id {
        Some(id) => store::volunteer(&db.read, id, day).await,
        None => Ok(None),
    }
}

/// The first day on or after `from` the volunteer booked.
pub async fn next_booked_day(db: &Db, volunteer_id: i64, from: NaiveDate) -> Result<Option<NaiveDate>, sqlx::Error> {
    let day: Option<String> =
        sqlx::query_scalar("SELECT MIN(day) FROM volunteer_days WHERE volunteer_id = ? AND day >= ?")
            .bind(volunteer_id)
            .bind(from.to_string())
            .fetch_one(&db.read)
            .await?;
    Ok(day.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()))
}

/// Every day the volunteer booked, in order.
pub async fn booked_days(db: &Db, volunteer_id: i64) -> Result<Vec<NaiveDate>, sqlx::Error> {
    let days: Vec<String> = sqlx::query_scalar("SELECT day FROM volunteer_days WHERE volunteer_id = ? ORDER BY day")
        .bind(volunteer_id)
        .fetch_all(&db.read)
        .await?;
    Ok(days.iter().filter_map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).collect())
}

//! Reading volunteers and check-ins: the row shapes of the `volunteers` and
//! `checkins` tables and their conversion to the model.

use chrono::NaiveDate;
use sqlx::SqliteExecutor;

use super::model::{
    ADULT_AGE, CheckIn, CheckInMethod, DayInsurance, Gender, Insurance, Source, Volunteer, VolunteerKind, age_on,
    volunteer_no,
};

/// Columns of a volunteer joined with the day's check-in (`c_` columns, NULL without one).
pub const SELECT_VOLUNTEER: &str =
    "SELECT v.id, v.number, v.name, v.furigana, v.birth_date, v.gender, v.phone, v.email,
        v.address, v.emergency_name, v.emergency_phone, v.kind, v.group_name, v.group_size, v.group_id, v.skills,
        v.vehicle, v.insurance, v.experience_count, v.guardian_consent, v.source, v.created_at, v.version,
        c.id AS c_id, c.day AS c_day, c.checked_in_at AS c_checked_in_at, c.checked_out_at AS c_checked_out_at,
        c.minutes AS c_minutes, c.headcount AS c_headcount, c.insurance AS c_insurance,
        c.insurance_plan AS c_insurance_plan, c.insurance_fee_yen AS c_insurance_fee_yen,
        c.health_note AS c_health_note, c.method AS c_method
    FROM volunteers v LEFT JOIN checkins c ON c.volunteer_id = v.id AND c.day = ?1";

#[derive(sqlx::FromRow)]
pub struct VolunteerRow {
    id: i64,
    number: i64,
    name: String,
    furigana: String,
    birth_date: String,
    gender: Option<String>,
    phone: String,
    email: Option<String>,
    address: String,
    emergency_name: String,
    emergency_phone: String,
    kind: String,
    group_name: Option<String>,
    group_size: Option<i64>,
    group_id: Option<i64>,
    skills: String,
    vehicle: Option<String>,
    insurance: String,
    experience_count: i64,
    guardian_consent: bool,
    source: String,
    created_at: String,
    version: i64,
    #[sqlx(flatten)]
    checkin: CheckInColumns,
}

#[derive(sqlx::FromRow)]
pub struct CheckInColumns {
    c_id: Option<i64>,
    c_day: Option<String>,
    c_checked_in_at: Option<String>,
    c_checked_out_at: Option<String>,
    c_minutes: Option<i64>,
    c_headcount: Option<i64>,
    c_insurance: Option<String>,
    c_insurance_plan: Option<String>,
    c_insurance_fee_yen: Option<i64>,
    c_health_note: Option<String>,
    c_method: Option<String>,
}

impl VolunteerRow {
    /// `day` is the activity day the age and the check-in are for.
    pub fn into_volunteer(self, day: NaiveDate) -> Volunteer {
        let birth = NaiveDate::parse_from_str(&self.birth_date, "%Y-%m-%d").unwrap_or(day);
        let age = age_on(birth, day);
        let today = self.checkin.into_check_in(self.id, self.number);
        Volunteer {
            id: self.id,
            volunteer_no: volunteer_no(self.number),
            name: self.name,
            furigana: self.furigana,
            birth_date: self.birth_date,
            age,
            minor: age < ADULT_AGE,
            gender: self.gender.as_deref().and_then(Gender::parse),
            phone: self.phone,
            email: self.email,
            address: self.address,
            emergency_name: self.emergency_name,
            emergency_phone: self.emergency_phone,
            kind: VolunteerKind::parse(&self.kind).unwrap_or(VolunteerKind::Individual),
            group_name: self.group_name,
            group_size: self.group_size,
            group_id: self.group_id,
            skills: serde_json::from_str(&self.skills).unwrap_or_default(),
            vehicle: self.vehicle,
            insurance: Insurance::parse(&self.insurance).unwrap_or(Insurance::None),
            experience_count: self.experience_count,
            guardian_consent: self.guardian_consent,
            source: Source::parse(&self.source).unwrap_or(Source::WalkIn),
            created_at: self.created_at,
            version: self.version,
            today,
            booking: None,
        }
    }
}

impl CheckInColumns {
    fn into_check_in(self, volunteer_id: i64, number: i64) -> Option<CheckIn> {
        let insurance = DayInsurance::parse(self.c_insurance.as_deref()?).unwrap_or(DayInsurance::None);
        let checked_out_at = self.c_checked_out_at;
        Some(CheckIn {
            id: self.c_id?,
            volunteer_id,
            volunteer_no: volunteer_no(number),
            day: self.c_day?,
            checked_in_at: self.c_checked_in_at?,
            dispatchable: insurance != DayInsurance::None && checked_out_at.is_none(),
            checked_out_at,
            minutes: self.c_minutes,
            headcount: self.c_headcount.unwrap_or(1),
            insurance,
            insurance_plan: self.c_insurance_plan,
            insurance_fee_yen: self.c_insurance_fee_yen,
            health_note: self.c_health_note,
            method: self.c_method.as_deref().and_then(CheckInMethod::parse).unwrap_or(CheckInMethod::Search),
        })
    }
}

/// One volunteer with their check-in on `day`.
pub async fn volunteer(
    conn: impl SqliteExecutor<'_>,
    id: i64,
    day: NaiveDate,
) -> Result<Option<Volunteer>, sqlx::Error> {
    volunteer_by(conn, Key::Id(id), day).await
}

/// How a volunteer is named: internal id, `V-` number, or QR token.
#[derive(Clone, Copy, Debug)]
pub enum Key<'a> {
    Id(i64),
    Number(i64),
    Token(&'a str),
}

/// One volunteer by any key, with their check-in on `day`, in one query.
pub async fn volunteer_by(
    conn: impl SqliteExecutor<'_>,
    key: Key<'_>,
    day: NaiveDate,
) -> Result<Option<Volunteer>, sqlx::Error> {
    let column = match key {
        Key::Id(_) => "v.id",
        Key::Number(_) => "v.number",
        Key::Token(_) => "v.qr_token",
    };
    let sql = format!("{SELECT_VOLUNTEER} WHERE {column} = ?2");
    let query = sqlx::query_as::<_, VolunteerRow>(sqlx::AssertSqlSafe(sql)).bind(day.to_string());
    let query = match key {
        Key::Id(n) | Key::Number(n) => query.bind(n),
        Key::Token(token) => query.bind(token.to_string()),
    };
    Ok(query.fetch_optional(conn).await?.map(|r| r.into_volunteer(day)))
}

/// The volunteer's QR token, for printing their badge (never sent in staff views).
pub async fn qr_token(conn: impl SqliteExecutor<'_>, id: i64) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT qr_token FROM volunteers WHERE id = ?").bind(id).fetch_one(conn).await
}

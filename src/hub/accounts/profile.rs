//! A volunteer's profile: the center's registration form (validated by the
//! same code, `reception::form::validate_profile`) plus what the hub asks
//! besides: 県内/県外, the insurance plan, the language, and the privacy notice.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::events::contract::wire;
use crate::fields::invalid;
use crate::reception::form::{Registration, RegistrationForm, validate_profile};
use crate::reception::{ADULT_AGE, Insurance, age_on, minimum_age};

/// 県内 / 県外: where the volunteer lives, against the hub's prefecture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = HubResidence)]
pub enum Residence {
    /// 県内
    In,
    /// 県外
    Out,
}

/// ボランティア活動保険のプラン.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = HubInsurancePlan)]
pub enum InsurancePlan {
    /// 基本タイプ
    Basic,
    /// 天災タイプ
    NaturalDisaster,
}

impl Residence {
    pub fn as_str(self) -> &'static str {
        match self {
            Residence::In => "in",
            Residence::Out => "out",
        }
    }
}

impl InsurancePlan {
    pub fn as_str(self) -> &'static str {
        match self {
            InsurancePlan::Basic => "basic",
            InsurancePlan::NaturalDisaster => "natural_disaster",
        }
    }
}

/// The profile as sent: the center's registration form (dates and group
/// numbers are refused here), and the hub's own fields.
// No container `#[serde(default)]`: utoipa would serialise the default to document it.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = HubProfileForm)]
pub struct ProfileForm {
    #[serde(flatten)]
    pub form: RegistrationForm,
    /// `in` (県内) or `out` (県外)
    #[schema(required = true, value_type = Residence)]
    pub residence: Option<Residence>,
    /// The insurance plan, when `insurance` is `enrolled`.
    pub insurance_plan: Option<InsurancePlan>,
}

/// A checked profile.
#[derive(Debug, Clone)]
pub struct Profile {
    pub registration: Registration,
    pub residence: Residence,
    pub insurance_plan: Option<InsurancePlan>,
    pub minor: bool,
}

impl Profile {
    /// Binds the profile's 22 columns of `hub_volunteers`, in the order the
    /// registration's INSERT and the profile change's UPDATE both name them
    /// (`$2`–`$23`, after the account's id): one list for the two writes.
    pub(super) fn bind_columns<'q>(
        &'q self,
        query: sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>,
    ) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
        let r = &self.registration;
        query
            .bind(&r.name)
            .bind(&r.name_key)
            .bind(&r.furigana)
            .bind(&r.furigana_key)
            .bind(r.birth_date)
            .bind(r.gender.as_ref().map(wire))
            .bind(&r.phone)
            .bind(&r.phone_key)
            .bind(&r.address)
            .bind(self.residence.as_str())
            .bind(&r.emergency_name)
            .bind(&r.emergency_phone)
            .bind(wire(&r.kind))
            .bind(&r.group_name)
            .bind(r.group_size.map(|n| n as i32))
            .bind(&r.skills)
            .bind(&r.vehicle)
            .bind(wire(&r.insurance))
            .bind(self.insurance_plan.map(|p| p.as_str()))
            .bind(r.experience_count as i32)
            .bind(r.guardian_consent)
            .bind(&r.guardian_name)
    }
}

/// Every check of the center's form, then the hub's: 県内/県外, the plan with
/// the insurance, the minimum age on `today`, and a guardian's consent (with
/// the guardian's name) for anyone under 18 — nobody at a desk asks them.
pub fn check(form: ProfileForm, today: NaiveDate, minimum: u32) -> Result<Profile, AppError> {
    let ProfileForm { form, residence, insurance_plan } = form;
    let registration = validate_profile(form, today)?;
    let residence = residence.ok_or_else(|| {
        invalid("residence", "お住まいが県内か県外かを選んでください。", "residence is required: in or out.")
    })?;
    let insurance_plan = match (registration.insurance, insurance_plan) {
        (Insurance::Enrolled, Some(plan)) => Some(plan),
        (Insurance::Enrolled, None) => {
            return Err(invalid(
                "insurance_plan",
                "加入しているボランティア活動保険のプラン（基本タイプ・天災タイプ）を選んでください。",
                "Give the plan of your volunteer activity insurance: basic or natural_disaster.",
            ));
        }
        (Insurance::None, None) => None,
        (Insurance::None, Some(_)) => {
            return Err(invalid(
                "insurance_plan",
                "保険に未加入の場合、プランは選べません。",
                "An insurance plan goes with insurance: enrolled.",
            ));
        }
    };
    minimum_age::check(&registration, today, minimum)?;
    let minor = age_on(registration.birth_date, today) < ADULT_AGE;
    if minor && !(registration.guardian_consent && registration.guardian_name.is_some()) {
        return Err(invalid(
            "guardian_consent",
            "18歳未満の方は、保護者の同意と保護者の氏名が必要です。",
            "Volunteers under 18 need a guardian's consent, with the guardian's name.",
        )
        .coded("guardian_consent_required"));
    }
    Ok(Profile { registration, residence, insurance_plan, minor })
}

/// A volunteer's profile as they see it (`GET /api/profile`).
#[derive(Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
#[schema(as = HubProfile)]
pub struct ProfileView {
    pub name: String,
    pub furigana: String,
    pub birth_date: NaiveDate,
    pub gender: Option<String>,
    pub phone: String,
    pub address: String,
    pub residence: String,
    pub emergency_name: String,
    pub emergency_phone: String,
    pub kind: String,
    pub group_name: Option<String>,
    pub group_size: Option<i32>,
    pub skills: Vec<String>,
    pub vehicle: Option<String>,
    pub insurance: String,
    pub insurance_plan: Option<String>,
    pub experience_count: i32,
    pub guardian_consent: bool,
    pub guardian_name: Option<String>,
    pub lang: String,
    pub privacy_version: String,
}

/// The profile of `account_id`, if it has one.
pub async fn read(db: &crate::hub::HubDb, account_id: i64) -> Result<Option<ProfileView>, sqlx::Error> {
    sqlx::query_as(
        "SELECT name, furigana, birth_date, gender, phone, address, residence, emergency_name, emergency_phone,
                kind, group_name, group_size, skills, vehicle, insurance, insurance_plan, experience_count,
                guardian_consent, guardian_name, lang, privacy_version
           FROM hub_volunteers WHERE account_id = $1",
    )
    .bind(account_id)
    .fetch_optional(&db.pool)
    .await
}

/// What booking reads of a volunteer: age on a day, 県内/県外, skills, insurance, group size.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Eligibility {
    pub birth_date: NaiveDate,
    pub residence: String,
    pub skills: Vec<String>,
    pub insurance: String,
    pub kind: String,
    pub group_size: Option<i32>,
}

impl Eligibility {
    pub fn age_on(&self, day: NaiveDate) -> i32 {
        age_on(self.birth_date, day)
    }

    /// People a booking by this volunteer brings: 1, or the group's head count.
    pub fn headcount(&self) -> i64 {
        self.group_size.map_or(1, i64::from)
    }
}

/// [`Eligibility`] of `account_id`, in the caller's transaction (booking).
pub async fn eligibility(conn: &mut sqlx::PgConnection, account_id: i64) -> Result<Option<Eligibility>, sqlx::Error> {
    sqlx::query_as(
        "SELECT birth_date, residence, skills, insurance, kind, group_size FROM hub_volunteers WHERE account_id = $1",
    )
    .bind(account_id)
    .fetch_optional(conn)
    .await
}

/// What a center's desk needs of a booked volunteer (the center's own
/// registration fields, and the account's address), for the centers' sync.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeskProfile {
    pub account_id: i64,
    pub name: String,
    pub furigana: String,
    pub birth_date: NaiveDate,
    pub gender: Option<String>,
    pub phone: String,
    pub email: Option<String>,
    pub address: String,
    pub emergency_name: String,
    pub emergency_phone: String,
    pub kind: String,
    pub group_name: Option<String>,
    pub group_size: Option<i32>,
    pub skills: Vec<String>,
    pub vehicle: Option<String>,
    pub insurance: String,
    pub experience_count: i32,
    pub guardian_consent: bool,
    pub guardian_name: Option<String>,
}

/// [`DeskProfile`] of each of `account_ids` that has a profile (a deleted
/// account has none).
pub async fn for_desks(conn: &mut sqlx::PgConnection, account_ids: &[i64]) -> Result<Vec<DeskProfile>, sqlx::Error> {
    sqlx::query_as(
        "SELECT v.account_id, v.name, v.furigana, v.birth_date, v.gender, v.phone, a.email, v.address,
                v.emergency_name, v.emergency_phone, v.kind, v.group_name, v.group_size, v.skills, v.vehicle,
                v.insurance, v.experience_count, v.guardian_consent, v.guardian_name
           FROM hub_volunteers v JOIN hub_accounts a ON a.id = v.account_id
          WHERE v.account_id = ANY($1) AND a.deleted_at IS NULL",
    )
    .bind(account_ids)
    .fetch_all(conn)
    .await
}

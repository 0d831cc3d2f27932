//! The registration form (ボランティア受付票) as sent, and its validation into
//! a [`Registration`]. Every fault names its field, with a message in both
//! languages.

use chrono::{Duration, NaiveDate};
use serde::Deserialize;

use super::model::{Gender, Insurance, VolunteerKind, parse_volunteer_no};
use super::normalize::{is_katakana, katakana, search_key};
use crate::error::AppError;
use crate::fields::{invalid, optional, phone_number, required};

/// ボランティア受付票 / a volunteer registration. `required` lists what the server needs; a
/// missing field is refused like an empty one, 422 naming it (so the type
/// gives every field a default).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RegistrationForm {
    /// 氏名
    #[schema(required = true, example = "山田 太郎")]
    pub name: String,
    /// フリガナ (katakana; hiragana is accepted and converted)
    #[schema(required = true, example = "ヤマダ タロウ")]
    pub furigana: String,
    /// 生年月日, `YYYY-MM-DD`
    #[schema(required = true, value_type = chrono::NaiveDate, example = "1990-04-01")]
    pub birth_date: String,
    pub gender: Option<Gender>,
    /// 電話番号, any common form (`090-1234-5678`, full-width, `+81 …`)
    #[schema(required = true, example = "090-1234-5678")]
    pub phone: String,
    pub email: Option<String>,
    /// 住所 (prefecture and city are enough)
    #[schema(required = true, example = "宮城県石巻市")]
    pub address: String,
    /// 緊急連絡先の氏名
    #[schema(required = true, example = "山田 花子")]
    pub emergency_name: String,
    /// 緊急連絡先の電話番号
    #[schema(required = true, example = "090-8765-4321")]
    pub emergency_phone: String,
    /// `individual` (default) or `group`
    pub kind: Option<VolunteerKind>,
    /// 団体名, for a group
    pub group_name: Option<String>,
    /// 人数 (head count including the representative), for a group
    pub group_size: Option<i64>,
    /// Joins an existing group as a named member: the representative's number (`V-0003`).
    pub group_no: Option<String>,
    /// 資格・特技 (看護師, 重機, 大型免許, チェーンソー, 外国語 …)
    pub skills: Vec<String>,
    /// 車両 (軽トラ …)
    pub vehicle: Option<String>,
    /// `enrolled` (加入済) or `none` (未加入)
    #[schema(required = true, value_type = Insurance)]
    pub insurance: Option<Insurance>,
    /// 活動回数: earlier disaster volunteering
    pub experience_count: Option<i64>,
    /// 参加希望日, `YYYY-MM-DD` (pre-registration: at least one)
    #[schema(value_type = Vec<chrono::NaiveDate>)]
    pub preferred_dates: Vec<String>,
    /// 保護者同意, for volunteers under 18
    pub guardian_consent: bool,
    pub guardian_name: Option<String>,
    /// Register even though a volunteer with this phone and name exists.
    pub force_new: bool,
}

/// The public form (`POST /api/public/registrations`): a [`RegistrationForm`]
/// with at least one date; reception's walk-in form needs none.
pub struct PublicRegistrationForm;

impl utoipa::PartialSchema for PublicRegistrationForm {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{AllOfBuilder, ArrayBuilder, KnownFormat, ObjectBuilder, SchemaFormat, Type};
        let date =
            ObjectBuilder::new().schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)));
        let dates = ArrayBuilder::new().items(date).min_items(Some(1));
        let with_dates = ObjectBuilder::new().property("preferred_dates", dates).required("preferred_dates");
        AllOfBuilder::new()
            .item(utoipa::openapi::Ref::from_schema_name("RegistrationForm"))
            .item(with_dates)
            .description(Some("The registration form with at least one preferred date."))
            .into()
    }
}

impl utoipa::ToSchema for PublicRegistrationForm {
    fn schemas(schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>) {
        use utoipa::PartialSchema;
        schemas.push((RegistrationForm::name().into(), RegistrationForm::schema()));
        RegistrationForm::schemas(schemas);
    }
}

/// Who is registering: the volunteer on the public form, or reception staff.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Public,
    WalkIn,
}

/// How far ahead pre-registration takes dates.
pub const BOOKING_HORIZON_DAYS: i64 = 60;

/// A validated registration, ready to store.
#[derive(Debug, Clone)]
pub struct Registration {
    pub name: String,
    pub name_key: String,
    pub furigana: String,
    pub furigana_key: String,
    pub birth_date: NaiveDate,
    pub gender: Option<Gender>,
    pub phone: String,
    pub phone_key: String,
    pub email: Option<String>,
    pub address: String,
    pub emergency_name: String,
    pub emergency_phone: String,
    pub kind: VolunteerKind,
    pub group_name: Option<String>,
    pub group_size: Option<i64>,
    pub group_no: Option<i64>,
    pub skills: Vec<String>,
    pub vehicle: Option<String>,
    pub insurance: Insurance,
    pub experience_count: i64,
    pub preferred_dates: Vec<NaiveDate>,
    pub guardian_consent: bool,
    pub guardian_name: Option<String>,
    pub force_new: bool,
}

impl Registration {
    /// People this registration brings: 1, or the group's head count.
    pub fn headcount(&self) -> i64 {
        self.group_size.unwrap_or(1)
    }

    /// Places this registration takes from a day's capacity: a named member
    /// of a group was booked with the group.
    pub fn places(&self) -> i64 {
        if self.group_no.is_some() { 0 } else { self.headcount() }
    }
}

fn date(field: &str, value: &str, label_ja: &str) -> Result<NaiveDate, AppError> {
    let value = super::normalize::nfkc(value.trim()).replace('/', "-");
    NaiveDate::parse_from_str(&value, "%Y-%m-%d").map_err(|_| {
        invalid(
            field,
            format!("{label_ja}は 1990-04-01 のように年-月-日で入力してください。"),
            format!("{field} must be a date such as 1990-04-01."),
        )
    })
}

/// What a path of registration takes beyond the profile itself.
#[derive(Clone, Copy)]
struct Rules {
    /// Joining a group by its representative's number (at the desk only).
    group_by_number: bool,
    dates: Dates,
    /// Staff may insist on a second record.
    force_new: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dates {
    Required,
    Optional,
    /// The hub books openings instead of naming dates on the profile.
    Refused,
}

/// Checks every field; `today` is the center's activity day.
pub fn validate(form: RegistrationForm, today: NaiveDate, channel: Channel) -> Result<Registration, AppError> {
    let rules = match channel {
        Channel::Public => Rules { group_by_number: false, dates: Dates::Required, force_new: false },
        Channel::WalkIn => Rules { group_by_number: true, dates: Dates::Optional, force_new: true },
    };
    validate_with(form, today, rules)
}

/// The volunteer's profile alone, as the hub's accounts keep it: the same
/// fields and checks as the center's form, without dates (a hub volunteer books
/// openings) and without joining a group by number (a desk's act).
pub fn validate_profile(form: RegistrationForm, today: NaiveDate) -> Result<Registration, AppError> {
    validate_with(form, today, Rules { group_by_number: false, dates: Dates::Refused, force_new: false })
}

fn validate_with(form: RegistrationForm, today: NaiveDate, rules: Rules) -> Result<Registration, AppError> {
    let name = required("name", &form.name, "氏名", 50)?;
    let furigana = katakana(&required("furigana", &form.furigana, "フリガナ", 50)?);
    if !is_katakana(&furigana) {
        return Err(invalid("furigana", "フリガナはカタカナで入力してください。", "furigana must be katakana."));
    }
    let birth_date = date("birth_date", &form.birth_date, "生年月日")?;
    if birth_date > today || birth_date < today - Duration::days(110 * 366) {
        return Err(invalid("birth_date", "生年月日を確認してください。", "birth_date is not plausible."));
    }
    let (phone, phone_key) = phone_number("phone", &form.phone, "電話番号")?;
    let email = optional("email", form.email.as_deref(), "メールアドレス", 100)?;
    if let Some(email) = &email
        && !email.split_once('@').is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
    {
        return Err(invalid("email", "メールアドレスを確認してください。", "email is not an address."));
    }
    let address = required("address", &form.address, "住所", 100)?;
    let emergency_name = required("emergency_name", &form.emergency_name, "緊急連絡先の氏名", 50)?;
    let (emergency_phone, _) = phone_number("emergency_phone", &form.emergency_phone, "緊急連絡先の電話番号")?;

    let kind = form.kind.unwrap_or(VolunteerKind::Individual);
    let (group_name, group_size) = match kind {
        VolunteerKind::Individual => (None, None),
        VolunteerKind::Group => {
            let group_name = required("group_name", form.group_name.as_deref().unwrap_or(""), "団体名", 50)?;
            let size = form.group_size.unwrap_or(0);
            if !(2..=300).contains(&size) {
                return Err(invalid(
                    "group_size",
                    "団体の人数は代表者を含めて2〜300人で入力してください。",
                    "group_size is 2–300, the representative included.",
                ));
            }
            (Some(group_name), Some(size))
        }
    };
    let group_no = match form.group_no.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
        None => None,
        Some(text) => Some(parse_volunteer_no(text).ok_or_else(|| {
            invalid("group_no", "団体の代表者番号は V-0001 のように入力してください。", "group_no looks like V-0001.")
        })?),
    };
    if group_no.is_some() && !rules.group_by_number {
        // Joining a group by a guessable number is for the desk, where the representative is present.
        return Err(invalid(
            "group_no",
            "団体への参加は、当日受付で代表者と一緒にお申し出ください。",
            "Joining a group is done at the desk, with the representative.",
        ));
    }
    if group_no.is_some() && kind == VolunteerKind::Group {
        return Err(invalid(
            "group_no",
            "団体の代表者として登録する場合、代表者番号は不要です。",
            "A group representative does not join another group.",
        ));
    }

    let skills = form
        .skills
        .iter()
        .map(|s| crate::fields::clean_line("skills", "資格・特技", s))
        .filter(|s| s.as_ref().is_ok_and(|s| !s.is_empty()) || s.is_err())
        .collect::<Result<Vec<String>, _>>()?;
    if skills.len() > 20 || skills.iter().any(|s| s.chars().count() > 30) {
        return Err(invalid("skills", "資格・特技は30文字以内で20件までです。", "At most 20 skills of 30 characters."));
    }
    let vehicle = optional("vehicle", form.vehicle.as_deref(), "車両", 30)?;
    let insurance = form.insurance.ok_or_else(|| {
        invalid(
            "insurance",
            "ボランティア活動保険の加入状況を選んでください。",
            "insurance is required: enrolled or none.",
        )
    })?;
    let experience_count = form.experience_count.unwrap_or(0);
    if !(0..=9999).contains(&experience_count) {
        return Err(invalid("experience_count", "活動回数を確認してください。", "experience_count is 0–9999."));
    }

    if rules.dates == Dates::Refused && !form.preferred_dates.is_empty() {
        return Err(invalid(
            "preferred_dates",
            "参加日は募集から予約してください。",
            "Book a day from the openings instead of naming dates here.",
        ));
    }
    let mut preferred_dates = Vec::new();
    for text in &form.preferred_dates {
        let day = date("preferred_dates", text, "参加希望日")?;
        if day < today || day > today + Duration::days(BOOKING_HORIZON_DAYS) {
            return Err(invalid(
                "preferred_dates",
                format!("参加希望日は今日から{BOOKING_HORIZON_DAYS}日以内で選んでください。"),
                format!("preferred_dates lie between today and {BOOKING_HORIZON_DAYS} days ahead."),
            ));
        }
        if !preferred_dates.contains(&day) {
            preferred_dates.push(day);
        }
    }
    preferred_dates.sort();
    if rules.dates == Dates::Required && preferred_dates.is_empty() {
        return Err(invalid("preferred_dates", "参加希望日を1日以上選んでください。", "Choose at least one date."));
    }

    let guardian_name = optional("guardian_name", form.guardian_name.as_deref(), "保護者の氏名", 50)?;
    if form.guardian_consent && guardian_name.is_none() {
        return Err(invalid(
            "guardian_name",
            "保護者の同意がある場合は、保護者の氏名を入力してください。",
            "Give the guardian's name with their consent.",
        ));
    }

    Ok(Registration {
        name_key: search_key(&name),
        furigana_key: search_key(&furigana),
        name,
        furigana,
        birth_date,
        gender: form.gender,
        phone,
        phone_key,
        email,
        address,
        emergency_name,
        emergency_phone,
        kind,
        group_name,
        group_size,
        group_no,
        skills,
        vehicle,
        insurance,
        experience_count,
        preferred_dates,
        guardian_consent: form.guardian_consent,
        guardian_name,
        // Only staff, who can see the existing record, may insist on a second one.
        force_new: form.force_new && rules.force_new,
    })
}

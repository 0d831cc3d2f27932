//! The ボランティア受付票 as the system holds it.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::db_text::db_text;

/// ボランティア活動保険 as declared at registration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Insurance {
    /// 加入済: enrolled (elsewhere, or at the desk on an earlier day).
    Enrolled,
    /// 未加入: not enrolled. Never dispatched until enrolled.
    None,
}

/// Insurance as recorded at check-in for one activity day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayInsurance {
    /// 加入済
    Enrolled,
    /// 当日加入: enrolled at the desk today (plan and fee recorded).
    EnrolledAtDesk,
    /// 未加入
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VolunteerKind {
    /// 個人
    Individual,
    /// 団体: registered once by a representative, with a head count.
    Group,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Female,
    Male,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = RegistrationSource)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// 事前登録, by the volunteer on the public form.
    PreRegistration,
    /// 当日受付, by reception staff.
    WalkIn,
}

/// How a check-in found the volunteer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckInMethod {
    Qr,
    Number,
    Search,
}

db_text!(Insurance { Enrolled => "enrolled", None => "none" });
db_text!(DayInsurance { Enrolled => "enrolled", EnrolledAtDesk => "enrolled_at_desk", None => "none" });
db_text!(VolunteerKind { Individual => "individual", Group => "group" });
db_text!(Gender { Female => "female", Male => "male", Other => "other" });
db_text!(Source { PreRegistration => "pre_registration", WalkIn => "walk_in" });
db_text!(CheckInMethod { Qr => "qr", Number => "number", Search => "search" });

impl DayInsurance {
    pub fn label_ja(self) -> &'static str {
        match self {
            DayInsurance::Enrolled => "加入済",
            DayInsurance::EnrolledAtDesk => "当日加入",
            DayInsurance::None => "未加入",
        }
    }
}

impl Insurance {
    pub fn label_ja(self) -> &'static str {
        match self {
            Insurance::Enrolled => "加入済",
            Insurance::None => "未加入",
        }
    }
}

/// `V-0001`: the number people say aloud and write on paper.
pub fn volunteer_no(number: i64) -> String {
    format!("V-{number:04}")
}

/// `V-0001`, `v1`, `Ｖ－００１２` → 12.
pub fn parse_volunteer_no(text: &str) -> Option<i64> {
    let folded = crate::fields::scan_code(text);
    let digits = folded.strip_prefix('V')?.trim_start_matches('-');
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Age in whole years on `day`.
pub fn age_on(birth: NaiveDate, day: NaiveDate) -> i32 {
    let mut age = day.year() - birth.year();
    if (day.month(), day.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// Under 18 on the activity day: needs 保護者同意.
pub const ADULT_AGE: i32 = 18;

/// A volunteer as reception and coordinators see them (never the QR token).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Volunteer {
    pub id: i64,
    /// `V-0001`
    pub volunteer_no: String,
    pub name: String,
    pub furigana: String,
    pub birth_date: String,
    /// On today's activity day.
    pub age: i32,
    pub minor: bool,
    pub gender: Option<Gender>,
    pub phone: String,
    pub email: Option<String>,
    pub address: String,
    pub emergency_name: String,
    pub emergency_phone: String,
    pub kind: VolunteerKind,
    pub group_name: Option<String>,
    pub group_size: Option<i64>,
    /// The group representative's id, for a named member of a group.
    pub group_id: Option<i64>,
    pub skills: Vec<String>,
    pub vehicle: Option<String>,
    pub insurance: Insurance,
    pub experience_count: i64,
    pub guardian_consent: bool,
    pub source: Source,
    pub created_at: String,
    pub version: i64,
    /// Today's check-in, if any.
    pub today: Option<CheckIn>,
    /// 予約あり: the day's booking made at the hub, where the answer tells it
    /// (a check-in), with where and when they meet.
    pub booking: Option<super::booked::DayBooking>,
}

/// One check-in (受付) of one volunteer on one activity day.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CheckIn {
    pub id: i64,
    pub volunteer_id: i64,
    pub volunteer_no: String,
    pub day: String,
    pub checked_in_at: String,
    pub checked_out_at: Option<String>,
    pub minutes: Option<i64>,
    /// People arriving under this check-in: 1, or a group's arrived count.
    pub headcount: i64,
    pub insurance: DayInsurance,
    pub insurance_plan: Option<String>,
    pub insurance_fee_yen: Option<i64>,
    pub health_note: Option<String>,
    pub method: CheckInMethod,
    /// Insured and still here: may be put on a team.
    pub dispatchable: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volunteer_numbers_read_back_in_any_width() {
        assert_eq!(volunteer_no(12), "V-0012");
        assert_eq!(volunteer_no(12345), "V-12345");
        for text in ["V-0012", "v12", "Ｖ－００１２", " V 12 "] {
            assert_eq!(parse_volunteer_no(text), Some(12), "{text}");
        }
        assert_eq!(parse_volunteer_no("V-"), None);
        assert_eq!(parse_volunteer_no("0012"), None);
    }

    #[test]
    fn age_turns_on_the_birthday() {
        let birth = NaiveDate::from_ymd_opt(2008, 7, 12).unwrap();
        assert_eq!(age_on(birth, NaiveDate::from_ymd_opt(2026, 7, 11).unwrap()), 17);
        assert_eq!(age_on(birth, NaiveDate::from_ymd_opt(2026, 7, 12).unwrap()), 18);
    }
}

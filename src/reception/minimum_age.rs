//! The center's minimum age (最低年齢, a setting: 中学生以上 = 13 by default),
//! checked on every registration path: the public form, the desk's walk-in and
//! the drill's arrivals all go through [`super::register::register`].

use chrono::NaiveDate;

use super::form::Registration;
use super::model::age_on;
use crate::error::AppError;
use crate::i18n::Text;

/// The day the volunteer's age counts on: the first day they come (a public
/// registration's earliest chosen date), else today.
pub fn first_day(registration: &Registration, today: NaiveDate) -> NaiveDate {
    registration.preferred_dates.first().copied().unwrap_or(today).max(today)
}

/// Refused, naming the age, when the volunteer is younger than `minimum_age` on `day`.
pub fn check(registration: &Registration, day: NaiveDate, minimum_age: u32) -> Result<(), AppError> {
    let age = age_on(registration.birth_date, day);
    if i64::from(age) >= i64::from(minimum_age) {
        return Ok(());
    }
    Err(AppError::validation(
        "birth_date",
        Text::new(
            format!("このセンターでボランティア活動ができるのは{minimum_age}歳以上の方です（活動日に{age}歳）。"),
            format!("Volunteers at this center must be {minimum_age} or older (you would be {age} on the day)."),
        ),
    )
    .coded("under_minimum_age"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reception::form::{Channel, RegistrationForm, validate};

    fn registration(birth: &str, dates: &[&str]) -> Registration {
        let form = RegistrationForm {
            name: "山田 太郎".into(),
            furigana: "ヤマダ タロウ".into(),
            birth_date: birth.into(),
            phone: "090-1234-5678".into(),
            address: "宮城県石巻市".into(),
            emergency_name: "山田 花子".into(),
            emergency_phone: "090-8765-4321".into(),
            insurance: Some(crate::reception::Insurance::Enrolled),
            preferred_dates: dates.iter().map(|d| d.to_string()).collect(),
            ..RegistrationForm::default()
        };
        validate(form, day("2026-07-01"), Channel::Public).expect("valid")
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_age_counts_on_the_first_day_they_come() {
        // Thirteen on 2026-07-10: too young today, old enough on the day booked.
        let r = registration("2013-07-10", &["2026-07-12", "2026-07-20"]);
        assert!(check(&r, day("2026-07-01"), 13).is_err());
        assert!(check(&r, first_day(&r, day("2026-07-01")), 13).is_ok());
        let eight = registration("2018-01-01", &["2026-07-02"]);
        let refused = check(&eight, first_day(&eight, day("2026-07-01")), 13).unwrap_err();
        assert!(refused.message.ja.contains("13歳以上"), "{:?}", refused.message);
        assert!(check(&eight, day("2026-07-02"), 8).is_ok(), "a center may set a lower age");
    }
}

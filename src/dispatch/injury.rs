//! けが・事故 on the 活動報告: what happened (free text, stays on the team),
//! how many were hurt and how badly. The log keeps only the counts and the
//! severity, never the description, which may name people.

use serde::{Deserialize, Serialize};

use crate::db_text::db_text;
use crate::error::AppError;
use crate::fields::{invalid, optional_text};

/// How bad the worst of it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// 応急手当: treated on site.
    FirstAid,
    /// 受診: seen at a clinic or hospital.
    Clinic,
    /// 救急搬送: taken by ambulance.
    Ambulance,
    /// An accident (a fall, a vehicle scrape) where nobody was hurt.
    NoInjury,
}

db_text!(Severity { FirstAid => "first_aid", Clinic => "clinic", Ambulance => "ambulance", NoInjury => "no_injury" });

/// The report's safety part, as sent.
pub struct SafetyForm<'a> {
    pub injury: &'a str,
    pub all_safe: Option<bool>,
    pub injured: Option<i64>,
    pub severity: Option<Severity>,
    /// People who left with the team (the most that can be hurt).
    pub left: i64,
}

/// The report's safety part, checked.
#[derive(Debug, Default, PartialEq)]
pub struct Safety {
    /// けが・事故 as written; empty when none.
    pub injury: String,
    pub all_safe: Option<bool>,
    pub injured: Option<i64>,
    pub severity: Option<Severity>,
}

impl Safety {
    pub fn read(form: SafetyForm<'_>) -> Result<Safety, AppError> {
        let injury = optional_text("injury", Some(form.injury), "けが・事故", 1000)?.unwrap_or_default();
        match form.all_safe {
            Some(true) if !injury.is_empty() => {
                return Err(invalid(
                    "all_safe",
                    "けが・事故が書かれています。「全員無事」のチェックを外してください。",
                    "An injury or accident is described: untick \"everyone safe\".",
                ));
            }
            Some(false) if injury.is_empty() => {
                return Err(invalid(
                    "injury",
                    "「全員無事」でないときは、けが・事故の内容を書いてください。",
                    "When not everyone is safe, describe the injury or accident.",
                ));
            }
            _ => {}
        }
        if injury.is_empty() && (form.injured.is_some() || form.severity.is_some()) {
            let field = if form.injured.is_some() { "injured" } else { "severity" };
            return Err(invalid(
                field,
                "けが・事故の内容も書いてください。",
                "Describe the injury or accident as well.",
            ));
        }
        if let Some(n) = form.injured {
            if !(0..=form.left).contains(&n) {
                return Err(invalid(
                    "injured",
                    format!("けが人の数は0〜{}名（出発した人数まで）です。", form.left),
                    format!("injured is 0–{} (at most the people who left).", form.left),
                ));
            }
            if n == 0 && form.severity.is_some_and(|s| s != Severity::NoInjury) {
                return Err(invalid(
                    "injured",
                    "けが人が0名のときは程度を「けがなし（事故のみ）」にしてください。",
                    "With nobody hurt, the severity is \"no injury\".",
                ));
            }
        }
        Ok(Safety { injury, all_safe: form.all_safe, injured: form.injured, severity: form.severity })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(injury: &str, all_safe: Option<bool>) -> SafetyForm<'_> {
        SafetyForm { injury, all_safe, injured: None, severity: None, left: 3 }
    }

    #[test]
    fn everyone_safe_and_an_injury_contradict() {
        assert_eq!(Safety::read(form("転倒", Some(true))).unwrap_err().field.as_deref(), Some("all_safe"));
        assert_eq!(Safety::read(form("", Some(false))).unwrap_err().field.as_deref(), Some("injury"));
        assert!(Safety::read(form("", Some(true))).is_ok());
        assert!(Safety::read(form("転倒", Some(false))).is_ok());
        // Older clients send neither: what they wrote stands.
        assert!(Safety::read(form("", None)).is_ok());
    }

    #[test]
    fn counts_need_a_description_and_stay_within_the_team() {
        let mut f = form("", None);
        f.injured = Some(1);
        assert_eq!(Safety::read(f).unwrap_err().field.as_deref(), Some("injured"));
        let mut f = form("手を切った", Some(false));
        f.injured = Some(4);
        assert_eq!(Safety::read(f).unwrap_err().field.as_deref(), Some("injured"));
        let mut f = form("手を切った", Some(false));
        f.injured = Some(1);
        f.severity = Some(Severity::Clinic);
        assert_eq!(Safety::read(f).unwrap().severity, Some(Severity::Clinic));
    }
}

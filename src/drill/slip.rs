//! What a household call's slip (電話メモ) carries to the needs desk. By
//! default the whole card as the scenario wrote it, so trainees practise
//! entering it; with `slip = "caller"` only what the caller said — name,
//! reading, phone, address and their own words — so trainees practise the
//! triage itself: work, damage, people, 要配慮 and priority are theirs to judge.

use serde::{Deserialize, Serialize};

use super::payload::Call;
use crate::needs::form::NeedForm;
use crate::needs::{Category, Damage, Parking, ReceivedVia};

/// `slip` of a `household_request` payload.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Slip {
    /// The card filled in as the scenario wrote it (the default, as before).
    #[default]
    Card,
    /// The caller's words only; the trainee fills the card.
    Caller,
}

/// A call slip as the needs desk receives it: the fields of a need card, any
/// of them blank when the caller did not say (its own schema: a slip is not a
/// card yet, so no field is required). Send it back as a card with `drill_call`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CallSlip {
    pub received_via: Option<ReceivedVia>,
    pub requester_name: String,
    pub requester_furigana: String,
    pub phone: String,
    pub address: String,
    pub town: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub zone: Option<String>,
    pub elderly_only: bool,
    pub needs_care: bool,
    pub household_notes: String,
    pub damage: Vec<Damage>,
    /// Empty on a caller's slip: the trainee picks the work.
    pub categories: Vec<Category>,
    pub people_needed: Option<i64>,
    pub days_estimated: Option<i64>,
    pub equipment: Vec<String>,
    pub parking: Option<Parking>,
    pub photos_allowed: bool,
    /// Blank on a caller's slip: the trainee judges it.
    pub priority: Option<i64>,
    pub notes: String,
}

impl From<NeedForm> for CallSlip {
    fn from(f: NeedForm) -> CallSlip {
        CallSlip {
            received_via: f.received_via,
            requester_name: f.requester_name,
            requester_furigana: f.requester_furigana,
            phone: f.phone,
            address: f.address,
            town: f.town,
            lat: f.lat,
            lon: f.lon,
            zone: f.zone,
            elderly_only: f.elderly_only,
            needs_care: f.needs_care,
            household_notes: f.household_notes,
            damage: f.damage,
            categories: f.categories,
            people_needed: f.people_needed,
            days_estimated: f.days_estimated,
            equipment: f.equipment,
            parking: f.parking,
            photos_allowed: f.photos_allowed,
            priority: f.priority,
            notes: f.notes,
        }
    }
}

/// What the slip carries to the needs desk.
pub fn slip(call: &Call) -> CallSlip {
    form(call).into()
}

/// The need form the slip fills.
pub fn form(call: &Call) -> NeedForm {
    let card = call.to_form();
    match call.slip {
        Slip::Card => card,
        Slip::Caller => NeedForm {
            received_via: card.received_via,
            requester_name: card.requester_name,
            requester_furigana: card.requester_furigana,
            phone: card.phone,
            address: card.address,
            town: card.town,
            // 世帯の状況 and 備考 as told; everything judged from them is left blank.
            household_notes: card.household_notes,
            notes: card.notes,
            equipment: card.equipment,
            force_new: card.force_new,
            ..NeedForm::default()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drill::payload::Payload;
    use crate::drill::scenario::InjectKind;

    fn call(extra: &str) -> Call {
        let table: toml::Table = format!(
            "name = \"宮下 春江\"\nphone = \"076-231-4410\"\naddress = \"金沢市小立野二丁目3-4\"\nneeds_care = true\nelderly_only = true\ndamage = [\"土砂流入\"]\ncategories = [\"床下\"]\npriority = 1\npeople = 5\nhousehold = \"車いすの母と二人暮らし\"\n{extra}"
        )
        .parse()
        .unwrap();
        match Payload::parse(InjectKind::HouseholdRequest, &table).unwrap() {
            Payload::HouseholdRequest(call) => *call,
            _ => unreachable!(),
        }
    }

    #[test]
    fn a_caller_slip_carries_the_callers_words_and_no_judgement() {
        let slip = form(&call("slip = \"caller\""));
        assert_eq!((slip.requester_name.as_str(), slip.phone.as_str()), ("宮下 春江", "076-231-4410"));
        assert_eq!(slip.household_notes, "車いすの母と二人暮らし");
        assert_eq!((slip.priority, slip.people_needed), (None, None));
        assert!(!slip.needs_care && !slip.elderly_only, "要配慮 is the trainee's to mark");
        assert!(slip.categories.is_empty() && slip.damage.is_empty());
        let card = form(&call(""));
        assert_eq!(
            (card.priority, card.needs_care, card.categories.len()),
            (Some(1), true, 1),
            "the default: the card"
        );
    }
}

//! What a household call's slip (電話メモ) carries to the needs desk. By
//! default the whole card as the scenario wrote it, so trainees practise
//! entering it; with `slip = "caller"` only what the caller said — name,
//! reading, phone, address and their own words — so trainees practise the
//! triage itself: work, damage, people, 要配慮 and priority are theirs to judge.

use serde::{Deserialize, Serialize};

use super::payload::Call;
use crate::needs::form::NeedForm;

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

/// The form the slip fills on the needs desk.
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

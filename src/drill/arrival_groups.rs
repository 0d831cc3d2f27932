//! Groups in a `volunteer_arrival` (会社・学校・団体・ボランティアバス): what
//! a group brings besides its head count. `groups_uninsured` groups come
//! without ボランティア活動保険 (the whole group enrols at the desk);
//! `group_minors` of each group are under 18 — a school group — and are
//! registered by name as the group's members, as the desk does with the
//! representative present, so the minors' rules (an adult leader, heavy
//! work) apply to them; `group_vehicles` are the groups' own vehicles.
//! The representative stands for the rest of the group, as before.

use chrono::{Datelike, NaiveDate};

use super::limits;
use super::payload::Arrival;
use crate::reception::form::RegistrationForm;
use crate::reception::{Insurance, VolunteerKind};

/// What the group fields get wrong: (field, Japanese, English).
pub fn problems(a: &Arrival) -> Vec<(&'static str, String, String)> {
    let mut found = Vec::new();
    let groups = i64::from(a.groups);
    if a.groups == 0 {
        for (field, set) in [
            ("groups_uninsured", a.groups_uninsured > 0),
            ("group_minors", a.group_minors > 0),
            ("group_vehicles", !a.group_vehicles.is_empty()),
        ] {
            if set {
                found.push((
                    field,
                    format!("{field} は groups（団体の数）を書いたときだけ使えます"),
                    format!("{field} needs groups"),
                ));
            }
        }
        return found;
    }
    if i64::from(a.groups_uninsured) > groups {
        found.push((
            "groups_uninsured",
            format!("groups_uninsured（{}組）が groups（{groups}組）を超えています", a.groups_uninsured),
            format!("groups_uninsured ({}) exceeds groups ({groups})", a.groups_uninsured),
        ));
    }
    // The representative is the adult who leads the group.
    let members = i64::from(a.group_size) - 1;
    if i64::from(a.group_minors) > members {
        found.push((
            "group_minors",
            format!(
                "group_minors（{}人）は各団体の代表者を除いた人数（{members}人）までです（代表者は引率の大人）",
                a.group_minors
            ),
            format!(
                "group_minors ({}) is at most each group's members less its representative ({members}); the representative is the adult leading them",
                a.group_minors
            ),
        ));
    }
    if a.group_vehicles.len() > limits::MAX_TRAIT_KINDS {
        let max = limits::MAX_TRAIT_KINDS;
        found.push((
            "group_vehicles",
            format!("group_vehicles は{max}種類までです（上限 {max}）"),
            format!("group_vehicles lists at most {max} kinds (at most {max})"),
        ));
    }
    let vehicles: i64 = a.group_vehicles.values().map(|n| i64::from(*n)).sum();
    if vehicles > groups {
        found.push((
            "group_vehicles",
            format!("group_vehicles（{vehicles}台）が groups（{groups}組）を超えています（1団体1台まで）"),
            format!("group_vehicles ({vehicles}) exceeds groups ({groups}); one vehicle a group"),
        ));
    }
    found
}

/// The `g`-th group's registration, dressed with what the scenario says of
/// its group: insurance (the first `groups_uninsured` have none) and vehicle.
pub fn dress(form: &mut RegistrationForm, g: usize, arrival: &Arrival) {
    if g < usize::try_from(arrival.groups_uninsured).unwrap_or(0) {
        form.insurance = Some(Insurance::None);
    }
    let vehicle = arrival.group_vehicles.iter().flat_map(|(name, n)| (0..*n).map(move |_| name)).nth(g);
    if let Some(vehicle) = vehicle {
        form.vehicle = Some(vehicle.clone());
    }
}

/// The named members under 18 of the `g`-th group, whose representative is
/// `representative` (`V-0003`): registered at the desk (a group's members
/// join it there), with their guardians' consent, insured as their group is.
pub fn minors(
    inject: u32,
    arrival: &Arrival,
    g: usize,
    representative: &str,
    insurance: Option<Insurance>,
    today: NaiveDate,
) -> Vec<RegistrationForm> {
    let count =
        usize::try_from(arrival.group_minors).unwrap_or(0).min(limits::GROUP_SIZE.end().unsigned_abs() as usize);
    let born = NaiveDate::from_ymd_opt(today.year() - 16, 5, 1).unwrap_or(today);
    (0..count)
        .map(|k| {
            let n = g * 100 + k;
            // Far from the individuals' numbers: other names, and a phone of their own.
            let mut form = super::people::person(inject, 50_000 + n, VolunteerKind::Individual, today);
            form.phone = format!("070-{:04}-{:04}", inject % 10_000, n % 10_000);
            form.birth_date = born.to_string();
            form.guardian_consent = true;
            form.guardian_name = Some(format!("{} 保護者", form.name));
            form.group_no = Some(representative.to_string());
            form.insurance = insurance;
            form.force_new = true;
            form
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drill::payload::Payload;
    use crate::drill::scenario::InjectKind;

    fn arrival(text: &str) -> Arrival {
        match Payload::parse(InjectKind::VolunteerArrival, &text.parse().unwrap()).unwrap() {
            Payload::VolunteerArrival(a) => a,
            _ => unreachable!(),
        }
    }

    fn fields(text: &str) -> Vec<String> {
        arrival(text).problems().into_iter().map(|(field, _, en)| format!("{field}: {en}")).collect()
    }

    #[test]
    fn a_school_group_can_be_minors_and_uninsured_and_bring_a_bus() {
        let school = "count = 25\ngroups = 1\ngroup_size = 25\ngroup_minors = 24\ngroups_uninsured = 1\ngroup_vehicles = { \"マイクロバス\" = 1 }";
        assert_eq!(fields(school), Vec::<String>::new());
        let a = arrival(school);
        let today = NaiveDate::from_ymd_opt(2026, 7, 12).unwrap();
        let forms = crate::drill::people::forms(3, &a, today);
        assert_eq!(forms.len(), 1, "one registration for the group");
        assert_eq!(forms[0].group_size, Some(25));
        assert_eq!((forms[0].insurance, forms[0].vehicle.as_deref()), (Some(Insurance::None), Some("マイクロバス")));
        let minors = minors(3, &a, 0, "V-0001", forms[0].insurance, today);
        assert_eq!(minors.len(), 24);
        assert!(minors.iter().all(|m| m.group_no.as_deref() == Some("V-0001") && m.guardian_consent));
        assert!(minors.iter().all(|m| m.birth_date == "2010-05-01"), "16 on the drill day");
        let phones: std::collections::HashSet<&str> = minors.iter().map(|m| m.phone.as_str()).collect();
        assert_eq!(phones.len(), 24);
    }

    #[test]
    fn group_fields_that_do_not_fit_are_named() {
        assert!(fields("count = 25\ngroups = 1\ngroup_size = 25\ngroup_minors = 25")[0].starts_with("group_minors"));
        assert!(fields("count = 10\ngroups = 2\ngroups_uninsured = 3")[0].starts_with("groups_uninsured"));
        assert!(fields("count = 10\ngroups = 2\ngroup_vehicles = { \"バス\" = 3 }")[0].starts_with("group_vehicles"));
        assert!(fields("count = 10\ngroup_minors = 3")[0].starts_with("group_minors: group_minors needs groups"));
        let told = fields("count = 25\ngroups = 1\ngroup_size = 25\nminors = 24");
        assert!(told[0].contains("group_minors"), "the old mistake is told where minors of a group go: {told:?}");
    }
}

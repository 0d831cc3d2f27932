//! People, not registrations: a group checks in once for all its members, so
//! the AAR's reception figures count each check-in's head count (a group of
//! 25 is 25 volunteers waiting 25 times as long in all), from the log alone.

use super::evaluate::{Log, Time, minutes};
use crate::events::Payload;
use crate::events::contract::reception::VolunteerCheckedIn;

/// Volunteer `id`'s first check-in from `from`: when, and how many people it brought.
pub(crate) fn check_in(log: &Log, from: Time, id: i64) -> Option<(Time, i64)> {
    log.entries.iter().find_map(|(t, _, p)| match p.get::<VolunteerCheckedIn>() {
        Some(c) if *t >= from && c.volunteer_id == id => Some((*t, c.headcount.max(0))),
        _ => None,
    })
}

/// Minutes from `fired_at` to each person's check-in: a registration's wait
/// once per person it brought.
pub(crate) fn waits(log: &Log, fired_at: Time, volunteer_ids: &[i64]) -> Vec<i64> {
    volunteer_ids
        .iter()
        .filter_map(|id| check_in(log, fired_at, *id))
        .flat_map(|(at, heads)| std::iter::repeat_n(minutes(fired_at, at), usize::try_from(heads).unwrap_or(0)))
        .collect()
}

/// Each volunteer number's head count at its latest check-in.
pub(crate) fn heads_by_number(log: &Log) -> std::collections::HashMap<String, i64> {
    log.entries
        .iter()
        .filter_map(|(_, _, p)| match p {
            Payload::VolunteerCheckedIn(c) => Some((c.volunteer_no.clone(), c.headcount.max(0))),
            _ => None,
        })
        .collect()
}

/// The people these volunteer numbers checked in as (1 each when the log has no check-in).
pub(crate) fn people_of(log: &Log, numbers: &[String]) -> i64 {
    let heads = heads_by_number(log);
    numbers.iter().map(|no| heads.get(no).copied().unwrap_or(1)).sum()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::drill::evaluate::tests::{Script, at};
    use crate::drill::scenario::InjectKind;
    use crate::events::EventPayload;

    /// A bus of 40 as one registration, and one person: 41 people.
    #[test]
    fn a_group_counts_its_members() {
        let mut s = Script::default();
        s.fire(0, 1, InjectKind::VolunteerArrival, json!({ "volunteer_ids": [7, 8], "headcount": 41 }))
            .add(12, VolunteerCheckedIn::KIND, json!({ "volunteer_id": 7, "volunteer_no": "V-0007", "headcount": 40 }))
            .check_in(20, 8);
        let log = Log::new(&s.0);
        let waits = waits(&log, at(0), &[7, 8]);
        assert_eq!(waits.len(), 41);
        assert_eq!(waits.iter().filter(|m| **m == 12).count(), 40, "the bus waited 12 minutes, 40 times");
        assert_eq!(people_of(&log, &["V-0007".into(), "V-0008".into(), "V-0009".into()]), 40 + 1 + 1);
    }
}

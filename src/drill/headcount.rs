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

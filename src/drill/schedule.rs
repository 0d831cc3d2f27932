//! When each inject is due, in drill time. Pure: the runner asks it what is
//! due now; the evaluator asks it what was scheduled.

use std::collections::HashMap;

use chrono::{DateTime, Duration, FixedOffset};

use super::check::{duration_minutes, offset_minutes};
use super::scenario::Scenario;

/// The drill's start and the end of its duration.
pub fn window(scenario: &Scenario) -> (DateTime<FixedOffset>, DateTime<FixedOffset>) {
    let start = DateTime::parse_from_rfc3339(scenario.sim_start.get_ref()).expect("checked scenario");
    let minutes = duration_minutes(scenario.duration.get_ref()).expect("checked scenario");
    (start, start + Duration::minutes(minutes))
}

/// When each inject is due: `at` injects from the start; `after` injects once
/// the inject they follow has fired (`None` until then). `fired` maps inject
/// ids to when they fired.
pub fn due_times(
    scenario: &Scenario,
    fired: &HashMap<u32, DateTime<FixedOffset>>,
) -> HashMap<u32, Option<DateTime<FixedOffset>>> {
    let (start, _) = window(scenario);
    scenario
        .injects
        .iter()
        .map(|inject| {
            let inject = inject.get_ref();
            let due = match (&inject.at, &inject.after) {
                (Some(at), _) => offset_minutes(at).map(|m| start + Duration::minutes(m)),
                (None, Some(after)) => fired
                    .get(&after.inject)
                    .map(|parent| *parent + Duration::minutes(duration_minutes(&after.delay).unwrap_or(0))),
                (None, None) => None,
            };
            (inject.id, due)
        })
        .collect()
}

/// The injects due by `now` that have neither fired nor been set aside
/// (skipped, or contingencies waiting for a miss), earliest first, then by id.
pub fn due_now(
    scenario: &Scenario,
    fired: &HashMap<u32, DateTime<FixedOffset>>,
    set_aside: &dyn Fn(u32) -> bool,
    now: DateTime<FixedOffset>,
) -> Vec<(u32, DateTime<FixedOffset>)> {
    let mut due: Vec<(u32, DateTime<FixedOffset>)> = due_times(scenario, fired)
        .into_iter()
        .filter_map(|(id, at)| at.map(|at| (id, at)))
        .filter(|(id, at)| *at <= now && !fired.contains_key(id) && !set_aside(*id))
        .collect();
    due.sort_by_key(|(id, at)| (*at, *id));
    due
}

/// Injects that only fire as another's `on_miss` contingency (they have no
/// time of their own: `after` pointing at nothing that fires is not enough —
/// a contingency is named by `on_miss.inject` and has no `at`).
pub fn contingencies(scenario: &Scenario) -> Vec<u32> {
    let named: Vec<u32> =
        scenario.injects.iter().filter_map(|i| i.get_ref().on_miss.as_ref().and_then(|m| m.inject)).collect();
    scenario
        .injects
        .iter()
        .map(|i| i.get_ref())
        .filter(|i| named.contains(&i.id) && i.at.is_none() && i.after.is_none())
        .map(|i| i.id)
        .collect()
}

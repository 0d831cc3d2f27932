//! The order the console lists injects in: by drill time — when it fired,
//! else when it is due, else when its `after` chain plans it — with the
//! file's order as the tiebreak; contingencies that have not fired come last.

use std::collections::HashMap;

use super::check::minutes_of;
use super::evaluate::{InjectResult, Time};
use super::scenario::Scenario;
use super::{schedule, times};

/// Minutes after the start each inject is planned for, following `after`
/// chains to an `at` (none for contingencies and what follows them).
pub fn planned(scenario: &Scenario) -> HashMap<u32, i64> {
    let (start, end) = schedule::window(scenario);
    let length = (end - start).num_minutes();
    let by_id: HashMap<u32, _> = scenario.injects.iter().map(|i| (i.get_ref().id, i.get_ref())).collect();
    let mut planned = HashMap::new();
    for inject in by_id.values() {
        let mut total = 0i64;
        let mut current = *inject;
        // At most one step per inject: a cycle (refused by the check) ends here too.
        for _ in 0..=by_id.len() {
            match (&current.at, &current.after) {
                (Some(at), _) => {
                    if let Ok(minutes) = times::resolve(at, start, length) {
                        planned.insert(inject.id, minutes.saturating_add(total));
                    }
                    break;
                }
                (None, Some(after)) => {
                    total = total.saturating_add(minutes_of(&after.delay).unwrap_or(0));
                    match by_id.get(&after.inject) {
                        Some(next) => current = next,
                        None => break,
                    }
                }
                (None, None) => break,
            }
        }
    }
    planned
}

/// The indices of `results` (in the scenario's order) in time order.
pub fn by_time(scenario: &Scenario, results: &[InjectResult]) -> Vec<usize> {
    let (start, _) = schedule::window(scenario);
    let planned = planned(scenario);
    let minutes = |t: Time| (t - start).num_minutes();
    let mut order: Vec<(Option<i64>, usize)> = results
        .iter()
        .enumerate()
        .map(|(k, r)| (r.fired_at.or(r.scheduled).map(minutes).or_else(|| planned.get(&r.id).copied()), k))
        .collect();
    // Known times first, earliest first; then the rest; the file's order within each.
    order.sort_by_key(|(at, k)| (at.is_none(), *at, *k));
    order.into_iter().map(|(_, k)| k).collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::drill::evaluate::InjectStatus;

    const SCENARIO: &str = r#"
id = "t"
title = "順序"
hazard = "大雨"
sim_start = "2026-07-12T08:00:00+09:00"
duration = "4h"

[[injects]]
id = 30
at = "10:00"
kind = "situation_update"

[[injects]]
id = 10
at = "+00:30"
kind = "weather_warning"
on_miss = { inject = 99 }

[[injects]]
id = 99
kind = "situation_update"

[[injects]]
id = 20
after = { inject = 10, delay = "1h" }
kind = "situation_update"

[[injects]]
id = 5
at = "09:30"
kind = "situation_update"
"#;

    #[test]
    fn injects_are_listed_by_time_with_the_files_order_on_a_tie_and_contingencies_last() {
        let scenario = crate::drill::check::check(SCENARIO, std::path::Path::new("t.toml")).unwrap();
        let planned = planned(&scenario);
        assert_eq!(planned, HashMap::from([(30, 120), (10, 30), (20, 90), (5, 90)]));
        let results: Vec<InjectResult> = scenario
            .injects
            .iter()
            .map(|i| InjectResult {
                id: i.get_ref().id,
                kind: i.get_ref().kind,
                to: i.get_ref().to,
                scheduled: None,
                fired_at: None,
                by: None,
                status: InjectStatus::Pending,
                deadline: None,
                detected_at: None,
                measured_minutes: None,
                mark: None,
                detected_status: None,
                done_by: None,
                not_credited: None,
                effect: None,
            })
            .collect();
        let ids = |order: Vec<usize>| order.into_iter().map(|k| results[k].id).collect::<Vec<_>>();
        assert_eq!(ids(by_time(&scenario, &results)), [10, 20, 5, 30, 99], "20 and 5 both at +01:30: file order");
        let mut fired = results.clone();
        fired[0].fired_at = Some(crate::drill::schedule::window(&scenario).0 + chrono::Duration::minutes(5));
        let order: Vec<u32> = by_time(&scenario, &fired).into_iter().map(|k| fired[k].id).collect();
        assert_eq!(order, [30, 10, 20, 5, 99], "fired early by the trainer: listed when it fired");
    }
}

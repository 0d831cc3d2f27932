//! When each inject is due, in drill time. Pure: the runner asks it what is
//! due now; the evaluator asks it what was scheduled.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};

use super::check::{duration_minutes, minutes_of};
use super::limits;
use super::scenario::Scenario;

/// The drill's start and the end of its duration.
pub fn window(scenario: &Scenario) -> (DateTime<FixedOffset>, DateTime<FixedOffset>) {
    try_window(scenario).unwrap_or_else(|_| {
        // Only a scenario that skipped `drill check` gets here (every run is
        // loaded through it): an empty window at the epoch, never a panic.
        let epoch = DateTime::UNIX_EPOCH.fixed_offset();
        (epoch, epoch)
    })
}

/// The drill's start and end, or why the scenario has none.
pub fn try_window(scenario: &Scenario) -> Result<(DateTime<FixedOffset>, DateTime<FixedOffset>), String> {
    let start = DateTime::parse_from_rfc3339(scenario.sim_start.get_ref())
        .map_err(|e| format!("sim_start: 開始日時が読めません / not a time: {e}"))?;
    let minutes = duration_minutes(scenario.duration.get_ref())
        .filter(|m| limits::DRILL_MINUTES.contains(m))
        .ok_or_else(|| "duration: 1分〜24時間です / duration is 1 min to 24 h".to_string())?;
    let end = limits::add_minutes(start, minutes)
        .ok_or_else(|| "duration: 訓練の終わりが時計の範囲外です / the drill ends beyond the clock".to_string())?;
    Ok((start, end))
}

/// When each inject is due: `at` injects from the start; `after` injects once
/// the inject they follow has fired (`None` until then). `fired` maps inject
/// ids to when they fired.
pub fn due_times(
    scenario: &Scenario,
    fired: &HashMap<u32, DateTime<FixedOffset>>,
) -> HashMap<u32, Option<DateTime<FixedOffset>>> {
    let (start, end) = window(scenario);
    let length = (end - start).num_minutes();
    scenario
        .injects
        .iter()
        .map(|inject| {
            let inject = inject.get_ref();
            let due = match (&inject.at, &inject.after) {
                (Some(at), _) => {
                    super::times::resolve(at, start, length).ok().and_then(|m| limits::add_minutes(start, m))
                }
                (None, Some(after)) => fired
                    .get(&after.inject)
                    .and_then(|parent| limits::add_minutes(*parent, minutes_of(&after.delay).unwrap_or(0))),
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

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use chrono::{Duration, Utc};

    use super::*;
    use crate::clock::VirtualTime;

    const SCENARIO: &str = r#"
id = "t"
title = "時計"
hazard = "大雨"
sim_start = "2026-07-12T08:00:00+09:00"
duration = "3h"
speed = 4

[[injects]]
id = 1
at = "+00:30"
kind = "situation_update"

[[injects]]
id = 2
at = "+00:10"
kind = "situation_update"

[[injects]]
id = 3
after = { inject = 1, delay = "20m" }
kind = "situation_update"

[[injects]]
id = 4
at = "+01:30"
kind = "situation_update"

[[injects]]
id = 5
kind = "situation_update"

[[injects]]
id = 6
at = "+00:50"
kind = "weather_warning"
on_miss = { inject = 5 }
"#;

    /// Real time advances a second per tick; the trainer pauses and changes
    /// speed; each tick fires what is due, as the server's ticker does.
    #[test]
    fn injects_fire_in_order_at_their_drill_times_under_speed_changes_and_pause() {
        let scenario = crate::drill::check::check(SCENARIO, std::path::Path::new("t.toml")).unwrap();
        let (start, _) = window(&scenario);
        let real = Instant::now();
        let second = std::time::Duration::from_secs(1);
        let mut time = VirtualTime::new(start.with_timezone(&Utc), 4, real);
        time.resume(real);
        let mut fired: HashMap<u32, DateTime<FixedOffset>> = HashMap::new();
        let mut order = Vec::new();
        let waiting = contingencies(&scenario);
        for tick in 1..=3600u32 {
            let now_real = real + second * tick;
            match tick {
                // 10 real minutes at 4× = 40 drill minutes; then a pause of 5 real minutes.
                600 => time.pause(now_real),
                900 => time.resume(now_real),
                // From here 30×: 2 s real = 1 drill minute.
                960 => time.set_speed(now_real, 30),
                _ => {}
            }
            let now = time.at(now_real).with_timezone(&start.timezone());
            for (id, due) in due_now(&scenario, &fired, &|id| waiting.contains(&id), now) {
                assert!(now - due < Duration::seconds(31), "inject {id} fired within a tick of {due}, at {now}");
                fired.insert(id, now);
                order.push(id);
            }
        }
        assert_eq!(order, vec![2, 1, 3, 6, 4], "in drill-time order, ties by number; the contingency waits");
        let minute = |id: u32| (fired[&id] - start).num_minutes();
        assert_eq!((minute(2), minute(1), minute(3), minute(6), minute(4)), (10, 30, 50, 50, 90));
    }
}

//! `drill check`'s warnings: a scenario that reads and runs but where the
//! check can tell in advance that an inject will do less than it says, or an
//! expected action can never be credited to the players. They do not stop the
//! drill; the console and the AAR would report the same at run time.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};

use super::check::{Problem, key_offset, line_of};
use super::payload::{Mode, Payload};
use super::scenario::{Detect, InjectKind, Scenario};
use super::schedule;
use crate::i18n::Text;

/// Everything worth a warning, in the file's order.
pub fn warnings(text: &str, scenario: &Scenario) -> Vec<Problem> {
    let planned = planned(scenario);
    let payloads: HashMap<u32, Payload> = scenario
        .injects
        .iter()
        .map(|i| i.get_ref())
        .filter_map(|i| Some((i.id, Payload::parse(i.kind, &i.payload).ok()?)))
        .collect();
    let at = |id: u32| planned.get(&id).copied();
    let kind_due_before = |kind: InjectKind, t: DateTime<FixedOffset>| {
        scenario.injects.iter().map(|i| i.get_ref()).any(|i| i.kind == kind && at(i.id).is_some_and(|a| a < t))
    };
    let mut stock: HashMap<String, i64> = if scenario.seed.items.is_empty() {
        crate::demo::item_stock().map(|(name, stock)| (name.to_string(), stock)).collect()
    } else {
        scenario.seed.items.iter().map(|i| (i.get_ref().name.clone(), i.get_ref().stock)).collect()
    };
    let mut warnings = Vec::new();
    let mut warn = |offset: usize, field: String, ja: String, en: String| {
        warnings.push(Problem { line: line_of(text, offset), field, message: Text::new(ja, en) });
    };

    // Stock moves in the order the injects are due (the file's order on a tie).
    let mut by_time: Vec<(usize, DateTime<FixedOffset>)> =
        scenario.injects.iter().enumerate().filter_map(|(n, i)| Some((n, at(i.get_ref().id)?))).collect();
    by_time.sort_by_key(|(n, t)| (*t, *n));
    let mut stock_short: HashMap<usize, (i64, i64)> = HashMap::new();
    for (n, _) in by_time {
        let inject = scenario.injects[n].get_ref();
        match payloads.get(&inject.id) {
            Some(Payload::EquipmentReturn(back)) => *stock.entry(back.item.clone()).or_default() += back.qty,
            Some(Payload::EquipmentShortage(short)) => {
                let held = stock.get(&short.item).copied().unwrap_or(0).max(0);
                if short.qty > held {
                    stock_short.insert(n, (short.qty, held));
                }
                stock.insert(short.item.clone(), held - short.qty.min(held));
            }
            _ => {}
        }
    }

    for (n, spanned) in scenario.injects.iter().enumerate() {
        let inject = spanned.get_ref();
        let start = spanned.span().start;
        let field = |name: &str| format!("injects[{n}].{name}");
        if let Some((asked, held)) = stock_short.get(&n) {
            warn(
                key_offset(text, start, "payload"),
                field("payload.qty"),
                format!(
                    "#{}：{asked} を廃棄しますが、その時点の在庫は多くて {held} です（できるのは {held} まで）",
                    inject.id
                ),
                format!(
                    "#{}: writes off {asked}, but at most {held} are in stock by then (only {held} can be)",
                    inject.id
                ),
            );
        }
        if let (Some(Payload::TeamReport(report)), Some(t)) = (payloads.get(&inject.id), at(inject.id)) {
            let request_due = report.request.map(|r| at(r).is_some_and(|a| a < t));
            let needs = !scenario.seed.needs.is_empty() || kind_due_before(InjectKind::HouseholdRequest, t);
            let no_team = match request_due {
                Some(due) => !due || !kind_due_before(InjectKind::VolunteerArrival, t),
                None => !needs || !kind_due_before(InjectKind::VolunteerArrival, t),
            };
            if no_team {
                warn(
                    key_offset(text, start, "at"),
                    field("at"),
                    format!(
                        "#{}：この時刻には出動中の班がありえません（それより前にボランティアの到着とニーズが必要です）",
                        inject.id
                    ),
                    format!(
                        "#{}: no team can be out at this time (volunteers and a need must come before it)",
                        inject.id
                    ),
                );
            }
        }
        let Some(detect) = inject.expect.as_ref().and_then(|e| e.detect.as_ref()) else { continue };
        let scripted = match detect {
            Detect::NeedReceived { inject: target } => {
                matches!(payloads.get(target), Some(p @ Payload::HouseholdRequest(_)) if p.mode() == Mode::Auto)
                    .then_some(*target)
            }
            Detect::TeamReturned { inject: target } => {
                matches!(payloads.get(target), Some(p @ Payload::TeamReport(_)) if p.mode() == Mode::Auto)
                    .then_some(*target)
            }
            _ => None,
        };
        if let Some(target) = scripted {
            warn(
                key_offset(text, start, "expect"),
                field("expect.detect"),
                format!(
                    "#{}：#{target} は mode = \"auto\" で、インジェクト自身が記録します。訓練生の行動としては数えないため、この期待行動は達成になりません",
                    inject.id
                ),
                format!(
                    "#{}: #{target} is mode = \"auto\" and records it itself; an inject's effect is never the trainees' action, so this expectation cannot be met",
                    inject.id
                ),
            );
        }
    }
    warnings
}

/// When each inject would fire if nothing is skipped: `at` injects at their
/// time, `after` injects after their parent (contingencies never).
fn planned(scenario: &Scenario) -> HashMap<u32, DateTime<FixedOffset>> {
    let mut fired = HashMap::new();
    loop {
        let before = fired.len();
        for (id, due) in schedule::due_times(scenario, &fired) {
            if let Some(due) = due {
                fired.entry(id).or_insert(due);
            }
        }
        if fired.len() == before {
            return fired;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn warnings_of(text: &str) -> Vec<(usize, String)> {
        let scenario = super::super::check::check(text, Path::new("t.toml")).expect("the scenario checks");
        warnings(text, &scenario).into_iter().map(|w| (w.line, w.field)).collect()
    }

    const HEAD: &str = r#"
id = "t"
title = "t"
hazard = "大雨"
sim_start = "2026-07-12T08:00:00+09:00"
duration = "4h"

[[seed.items]]
name = "一輪車"
stock = 2
"#;

    #[test]
    fn a_team_report_before_any_dispatch_and_a_write_off_beyond_the_stock_are_warned() {
        let text = format!(
            "{HEAD}{}",
            r#"
[[injects]]
id = 1
at = "+00:10"
kind = "team_report"

[[injects]]
id = 2
at = "+00:20"
kind = "volunteer_arrival"
payload = { count = 5 }

[[injects]]
id = 3
at = "+00:30"
kind = "household_request"
payload = { name = "中村", phone = "076-222-3333", address = "石川県金沢市此花町1-1", categories = ["mud"] }

[[injects]]
id = 4
at = "+02:00"
kind = "team_report"
payload = { mode = "auto", request = 3, injury = "手を切った", injured = 1, severity = "first_aid" }

[[injects]]
id = 5
at = "+01:00"
kind = "equipment_shortage"
payload = { item = "一輪車", qty = 4 }

[[injects]]
id = 6
at = "+02:30"
kind = "situation_update"
expect = { text = "班の報告を受ける", detect = { team_returned = { inject = 4 } } }
"#
        );
        let line = |needle: &str| text.lines().position(|l| l.starts_with(needle)).unwrap() + 1;
        assert_eq!(
            warnings_of(&text),
            [
                (line("at = \"+00:10\""), "injects[0].at".to_string()),
                (line("payload = { item"), "injects[4].payload.qty".to_string()),
                (line("expect ="), "injects[5].expect.detect".to_string()),
            ],
            "#4 comes after arrivals and its call: a team can be out"
        );
    }

    #[test]
    fn a_scenario_that_can_do_what_it_says_has_no_warnings() {
        let text = format!(
            "{HEAD}{}",
            r#"
[[injects]]
id = 1
at = "+00:10"
kind = "equipment_return"
payload = { item = "一輪車", qty = 2 }

[[injects]]
id = 2
after = { inject = 1, delay = "10m" }
kind = "equipment_shortage"
payload = { item = "一輪車", qty = 4 }
"#
        );
        assert_eq!(warnings_of(&text), [], "two in stock and two back: four can be written off");
    }
}

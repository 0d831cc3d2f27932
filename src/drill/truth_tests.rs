//! Issue 16 §2 on scripted logs (built as the evaluator's own tests build
//! them): who caused an event decides whether it meets an expectation, an
//! injected injury reaches the AAR, and an inject's shortfall is reported.

use serde_json::json;

use super::aar;
use super::evaluate::tests::{Script, at, scenario};
use super::evaluate::{InjectStatus, evaluate};
use super::log::{Fired, Started};
use super::scenario::InjectKind;
use crate::events::contract::dispatch::{CenterSuspended, IncidentReported, TeamDispatched, TeamReturned};
use crate::events::contract::inventory::{ItemReceived, ItemWrittenOff};
use crate::events::{Cause, EventPayload};
use crate::i18n::Lang;
use crate::pdf::testing::{compact, extract};

fn result(events: &[crate::events::Event], minute: i64, id: u32) -> super::evaluate::InjectResult {
    evaluate(&scenario(), events, at(minute)).injects.into_iter().find(|r| r.id == id).unwrap()
}

/// The test scenario's #3 (suspension), #4 (team returned) and #6 (stock
/// adjusted), each answered only by someone who earns no credit.
fn answered_by_nobody_who_counts() -> Script {
    let mut s = Script::default();
    s.add(0, Started::KIND, json!({}))
        .fire(120, 3, InjectKind::WeatherWarning, json!({}))
        .add(125, CenterSuspended::KIND, json!({ "reason": "訓練統制者が操作", "recall": [] }))
        .by(Cause::Trainer)
        .fire(140, 6, InjectKind::EquipmentShortage, json!({ "item": "一輪車" }))
        .add(145, ItemReceived::KIND, json!({ "item_id": 1, "name": "一輪車", "qty": 2, "stock": 2 }))
        .by(Cause::Inject)
        .fire(180, 4, InjectKind::TeamReport, json!({ "team_id": 7, "team_no": "T-007", "queued": false }))
        .add(180, TeamReturned::KIND, json!({ "team_id": 7, "team_no": "T-007" }))
        .by(Cause::Inject);
    s
}

#[test]
fn an_injects_effect_never_meets_a_player_expectation() {
    let s = answered_by_nobody_who_counts();
    for (id, who) in [(3, Cause::Trainer), (6, Cause::Inject), (4, Cause::Inject)] {
        let r = result(&s.0, 230, id);
        assert_eq!((r.status, r.done_by, r.not_credited), (InjectStatus::Missed, None, Some(who)), "#{id}");
    }
    let report = aar::build(&scenario(), &s.0, at(230), Vec::new());
    let row = report.injects.iter().find(|r| r.id == 4).unwrap();
    assert_eq!(row.credit_words(Lang::Ja), "（インジェクト自身の効果のみ・評価に含めず）");
    assert_eq!(row.credit_words(Lang::En), " (only the inject's own effect: not credited)");

    // The same return by a player, after the inject's: met, and theirs.
    let mut s = answered_by_nobody_who_counts();
    s.add(190, TeamReturned::KIND, json!({ "team_id": 7, "team_no": "T-007" }));
    let r = result(&s.0, 230, 4);
    assert_eq!((r.status, r.measured_minutes, r.done_by), (InjectStatus::Met, Some(10), Some(Cause::Player)));
}

#[test]
fn the_autopilot_earns_credit_only_in_its_own_run_and_is_marked_as_such() {
    let mut s = Script::default();
    s.add(0, Started::KIND, json!({}))
        .by(Cause::Autopilot)
        .fire(180, 4, InjectKind::TeamReport, json!({ "team_id": 7, "team_no": "T-007" }))
        .add(195, TeamReturned::KIND, json!({ "team_id": 7, "team_no": "T-007" }))
        .by(Cause::Autopilot);
    let r = result(&s.0, 230, 4);
    assert_eq!((r.status, r.done_by), (InjectStatus::Met, Some(Cause::Autopilot)));
    let report = aar::build(&scenario(), &s.0, at(230), Vec::new());
    let row = report.injects.iter().find(|r| r.id == 4).unwrap();
    assert_eq!(row.credit_words(Lang::Ja), "（自動操縦）");
    assert_eq!(row.credit_words(Lang::En), " (autopilot)");

    s.0[0].cause = Cause::Trainer; // a drill people play, started at the console
    let r = result(&s.0, 230, 4);
    assert_eq!((r.status, r.not_credited), (InjectStatus::Missed, Some(Cause::Autopilot)));
}

#[test]
fn an_injected_injury_reaches_the_incident_log_and_the_aar() {
    let mut s = Script::default();
    s.add(0, Started::KIND, json!({}))
        .add(180, TeamReturned::KIND, json!({ "team_id": 7, "team_no": "T-007", "injury": true }))
        .by(Cause::Inject)
        .add(
            180,
            IncidentReported::KIND,
            json!({ "team_id": 7, "team_no": "T-007", "need_no": "N-0001", "injured": 1, "severity": "ambulance" }),
        )
        .by(Cause::Inject)
        .fire(180, 4, InjectKind::TeamReport, json!({ "team_id": 7, "team_no": "T-007" }))
        .add(200, IncidentReported::KIND, json!({ "team_id": 8, "team_no": "T-008" }));
    let report = aar::build(&scenario(), &s.0, at(230), Vec::new());
    let rows: Vec<(&str, Cause, Option<u32>)> =
        report.incidents.iter().map(|i| (i.team_no.as_str(), i.cause, i.inject)).collect();
    assert_eq!(rows, [("T-007", Cause::Inject, Some(4)), ("T-008", Cause::Player, None)]);
    assert_eq!(
        report.incidents[0].words(Lang::Ja),
        "11:00 T-007（N-0001） けが人 1名・救急搬送 — インジェクト #4 による報告"
    );
    assert_eq!(
        report.incidents[0].words(Lang::En),
        "11:00 T-007 (N-0001), 1 hurt, taken by ambulance — reported by inject #4"
    );
    assert_eq!(report.incidents[1].words(Lang::Ja), "11:20 T-008 — 訓練生による報告");
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["incidents"][0]["severity"], "ambulance");
    let pdf = compact(&extract(&super::aar_pdf::render(&report, true)));
    assert!(pdf.contains("負傷・事故の記録") && pdf.contains("けが人1名・救急搬送—インジェクト#4による報告"), "{pdf}");
}

#[test]
fn a_partial_write_off_is_reported() {
    let mut s = Script::default();
    s.add(0, Started::KIND, json!({}))
        .add(140, ItemWrittenOff::KIND, json!({ "item_id": 1, "name": "一輪車", "qty": 2, "stock": 0 }))
        .by(Cause::Inject)
        .fire(
            140,
            6,
            InjectKind::EquipmentShortage,
            json!({ "item_id": 1, "item": "一輪車", "shortfall": { "asked": 4, "done": 2, "why": "stock_short" } }),
        );
    let evaluation = evaluate(&scenario(), &s.0, at(150));
    let effect = evaluation.injects.iter().find(|r| r.id == 6).unwrap().effect.clone().expect("the console's line");
    assert_eq!(effect.say(Lang::Ja), "一輪車：4 の廃棄のうち、在庫にあった 2 だけを処理しました（在庫不足）");
    assert_eq!(
        effect.say(Lang::En),
        "一輪車: only 2 of the 4 to write off were in stock and written off (stock short)"
    );
    let report = aar::build(&scenario(), &s.0, at(150), Vec::new());
    assert_eq!(report.shortfalls.len(), 1);
    assert_eq!(report.shortfalls[0].words(Lang::Ja), format!("#6 10:20 {}", effect.say(Lang::Ja)));
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["shortfalls"][0]["shortfall"], json!({ "asked": 4, "done": 2, "why": "stock_short" }));
    let pdf = compact(&extract(&super::aar_pdf::render(&report, true)));
    assert!(
        pdf.contains("指示どおりにできなかったインジェクト") && pdf.contains("在庫にあった2だけを処理しました"),
        "{pdf}"
    );

    // A firing that did all it said has no shortfall, and the AAR no such section.
    let mut whole = Script::default();
    whole.fire(140, 6, InjectKind::EquipmentShortage, json!({ "item": "一輪車" }));
    let report = aar::build(&scenario(), &whole.0, at(150), Vec::new());
    assert!(report.shortfalls.is_empty() && serde_json::to_value(&report).unwrap().get("shortfalls").is_none());
    assert!(whole.0[0].decode::<Fired>().unwrap().shortfall.is_none());
}

#[test]
fn a_team_already_out_counts_only_when_a_player_sent_it() {
    let scenario: super::scenario::Scenario = toml::from_str(
        r#"
id = "t"
title = "t"
hazard = "大雨"
sim_start = "2026-07-12T08:00:00+09:00"
duration = "6h"

[[injects]]
id = 1
at = "+00:00"
kind = "household_request"

[[injects]]
id = 2
at = "+01:00"
kind = "need_update"
expect = { text = "送り出す", within = "30m", detect = { need_dispatched = { inject = 1 } } }
"#,
    )
    .unwrap();
    let on_need = |team: i64| json!({ "team_id": team, "need_no": "N-0001", "members": [] });
    let mut s = Script::default();
    s.add(0, Started::KIND, json!({}))
        .fire(0, 1, InjectKind::HouseholdRequest, json!({ "need_id": 1, "need_no": "N-0001" }))
        .add(10, TeamDispatched::KIND, on_need(2))
        .by(Cause::Trainer)
        .add(20, TeamReturned::KIND, on_need(2))
        .add(30, TeamDispatched::KIND, on_need(1))
        .fire(60, 2, InjectKind::NeedUpdate, json!({ "need_id": 1, "need_no": "N-0001" }));
    let r = evaluate(&scenario, &s.0, at(70)).injects.into_iter().find(|r| r.id == 2).unwrap();
    assert_eq!((r.status, r.measured_minutes, r.done_by), (InjectStatus::Met, Some(0), Some(Cause::Player)));

    s.0[4].cause = Cause::Trainer; // the team still out was the controller's
    let r = evaluate(&scenario, &s.0, at(100)).injects.into_iter().find(|r| r.id == 2).unwrap();
    assert_eq!((r.status, r.not_credited), (InjectStatus::Missed, Some(Cause::Trainer)));
}

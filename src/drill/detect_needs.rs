//! Detects about need cards that the six first predicates do not cover: a
//! duplicate call linked as a duplicate, a cancellation handled, a survey
//! entered. Pure: they read the log ([`Log`]) and the injects' facts, like
//! [`super::evaluate`], and answer when the predicate first held.

use super::credit::Credit;
use super::evaluate::{Facts, Log, Time};
use crate::events::contract::dispatch::{TeamDispatched, TeamReturned};
use crate::events::contract::needs::{NeedStatus, NeedStatusChanged, NeedSurveyed, NeedUpdated};
use crate::events::{Cause, Payload};

/// The card of duplicate call `inject` carries `duplicate_of`: written up as a
/// linked duplicate (intake with `duplicate_of`), or linked by an edit later.
pub(crate) fn duplicate_linked(
    log: &Log,
    facts: &Facts,
    inject: u32,
    from: Time,
    credit: Credit,
) -> Option<(Time, Cause)> {
    let need_no = facts.need_no(inject)?;
    log.first_credited(credit, from, |p| p.need().is_some_and(|n| n.need_no == need_no && n.duplicate_of.is_some()))
}

/// The need of `need_cancel` inject `inject` is cancelled and no team is out
/// on it. A team sent to it afterwards undoes it (the cancelled need was
/// worked). A call never written up when the cancellation came has nothing
/// to work: handled as it fired, the players' doing. Credit goes to whoever
/// made the need handled (cancelled it, or brought its last team back), and
/// only if `credit` counts them.
pub(crate) fn cancellation_handled(
    log: &Log,
    facts: &Facts,
    inject: u32,
    from: Time,
    credit: Credit,
) -> Option<(Time, Cause)> {
    let Some(need_no) = facts.fired.get(&inject).and_then(|(_, f)| f.need_no.as_deref()) else {
        return facts.fired.contains_key(&inject).then_some((from, Cause::Player));
    };
    let mut need = NeedState::default();
    let mut handled: Option<(Time, Cause)> = None;
    let mut last_cause = Cause::Player;
    for (at, event, payload) in &log.entries {
        if handled.is_none() && *at >= from && need.handled() {
            handled = Some((from, last_cause));
        }
        if need.apply(payload, need_no) {
            last_cause = event.cause;
        }
        match handled {
            None if *at >= from && need.handled() => handled = Some((*at, event.cause)),
            Some(_) if need.out > 0 => return None,
            _ => {}
        }
    }
    handled.or_else(|| need.handled().then_some((from, last_cause))).filter(|(_, by)| credit.counts(*by))
}

/// One need as the log tells it: cancelled or not, and how many teams are out on it.
#[derive(Default)]
struct NeedState {
    cancelled: bool,
    out: i32,
}

impl NeedState {
    /// Whether `payload` was about this need.
    fn apply(&mut self, payload: &Payload, need_no: &str) -> bool {
        let on_need = |n: &Option<String>| n.as_deref() == Some(need_no);
        if let Some(need) = payload.need().filter(|n| n.need_no == need_no) {
            self.cancelled = need.status == NeedStatus::Cancelled;
        } else if payload.get::<TeamDispatched>().is_some_and(|d| on_need(&d.need_no)) {
            self.out += 1;
        } else if payload.get::<TeamReturned>().is_some_and(|r| on_need(&r.need_no)) {
            self.out = (self.out - 1).max(0);
        } else {
            return false;
        }
        true
    }

    fn handled(&self) -> bool {
        self.cancelled && self.out == 0
    }
}

/// The 現地調査 of `survey_result` inject `inject` is on its need card.
pub(crate) fn survey_entered(
    log: &Log,
    facts: &Facts,
    inject: u32,
    from: Time,
    credit: Credit,
) -> Option<(Time, Cause)> {
    let need_no = facts.fired.get(&inject).and_then(|(_, f)| f.need_no.as_deref())?;
    log.first_credited(credit, from, |p| {
        let on_need = |n: &str| n == need_no;
        p.get::<NeedSurveyed>().is_some_and(|e| on_need(&e.need.need_no))
            || p.get::<NeedUpdated>().is_some_and(|e| e.surveyed && on_need(&e.need.need_no))
            || p.get::<NeedStatusChanged>().is_some_and(|e| e.surveyed == Some(true) && on_need(&e.need.need_no))
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::drill::evaluate::tests::{Script, at};
    use crate::drill::evaluate::{InjectStatus, evaluate};
    use crate::drill::log::CallTaken;
    use crate::drill::scenario::{InjectKind, Scenario};
    use crate::events::EventPayload;
    use crate::events::contract::dispatch::{TeamDispatched, TeamReturned};
    use crate::events::contract::needs::{NeedReceived, NeedStatusChanged, NeedSurveyed, NeedUpdated};

    const SCENARIO: &str = r#"
id = "t-needs"
title = "t"
hazard = "大雨"
sim_start = "2026-07-12T08:00:00+09:00"
duration = "6h"

[[injects]]
id = 1
at = "+00:00"
kind = "household_request"
payload = { name = "池田 一郎", phone = "076-222-3333", address = "金沢市野町一丁目1-1", categories = ["泥出し"] }

[[injects]]
id = 2
at = "+00:30"
kind = "household_request"
message = "同じ住所からもう一度電話"
payload = { name = "池田 一郎", phone = "076-222-3333", address = "金沢市野町一丁目1-1", categories = ["泥出し"] }
expect = { text = "重複として紐づける", within = "20m", detect = { duplicate_linked = { inject = 2 } } }

[[injects]]
id = 3
at = "+01:00"
kind = "need_cancel"
payload = { request = 1, reason = "片付けが済んだ" }
expect = { text = "取消を処理し、班を戻す", within = "30m", detect = { cancellation_handled = { inject = 3 } } }

[[injects]]
id = 4
at = "+01:00"
kind = "survey_result"
payload = { request = 1, findings = "床上30cm" }
expect = { text = "調査結果を入力する", within = "15m", detect = { survey_entered = { inject = 4 } } }
"#;

    fn scenario() -> Scenario {
        toml::from_str(SCENARIO).expect("the scenario reads")
    }

    fn status(script: &Script, id: u32, now: i64) -> (InjectStatus, Option<i64>) {
        let evaluation = evaluate(&scenario(), &script.0, at(now));
        let result = evaluation.injects.iter().find(|i| i.id == id).unwrap();
        (result.status, result.measured_minutes)
    }

    fn need(no: &str, status: &str, duplicate_of: Option<&str>) -> serde_json::Value {
        json!({ "need_no": no, "status": status, "duplicate_of": duplicate_of })
    }

    #[test]
    fn a_duplicate_call_written_up_as_a_linked_duplicate_is_met() {
        let mut s = Script::default();
        s.fire(0, 1, InjectKind::HouseholdRequest, json!({ "need_id": 1, "need_no": "N-0001" }))
            .fire(30, 2, InjectKind::HouseholdRequest, json!({ "queued": true }))
            .add(40, NeedReceived::KIND, need("N-0002", "cancelled", Some("N-0001")))
            .add(40, CallTaken::KIND, json!({ "inject": 2, "need_id": 2, "need_no": "N-0002" }));
        assert_eq!(status(&s, 2, 60), (InjectStatus::Met, Some(10)));
    }

    #[test]
    fn a_duplicate_call_made_a_second_need_is_missed_until_it_is_linked() {
        let mut s = Script::default();
        s.fire(0, 1, InjectKind::HouseholdRequest, json!({ "need_id": 1, "need_no": "N-0001" }))
            .fire(30, 2, InjectKind::HouseholdRequest, json!({ "queued": true }))
            .add(35, NeedReceived::KIND, need("N-0002", "received", None))
            .add(35, CallTaken::KIND, json!({ "inject": 2, "need_id": 2, "need_no": "N-0002" }))
            .add(45, NeedReceived::KIND, need("N-0003", "cancelled", Some("N-0001")));
        assert_eq!(status(&s, 2, 60).0, InjectStatus::Missed, "a second need; another card's link is not this one");
        s.add(70, NeedStatusChanged::KIND, need("N-0002", "cancelled", Some("N-0001")));
        assert_eq!(status(&s, 2, 80), (InjectStatus::Late, Some(40)), "linked by an edit, after its 20 minutes");
    }

    #[test]
    fn a_cancellation_is_handled_once_the_team_is_back_and_the_need_cancelled() {
        let mut s = Script::default();
        s.fire(0, 1, InjectKind::HouseholdRequest, json!({ "need_id": 1, "need_no": "N-0001" }))
            .add(20, TeamDispatched::KIND, json!({ "team_id": 1, "need_no": "N-0001", "members": [] }))
            .fire(60, 3, InjectKind::NeedCancel, json!({ "need_id": 1, "need_no": "N-0001" }));
        assert_eq!(status(&s, 3, 70).0, InjectStatus::Fired, "the team is still out");
        s.add(75, TeamReturned::KIND, json!({ "team_id": 1, "need_no": "N-0001" }));
        assert_eq!(status(&s, 3, 80).0, InjectStatus::Fired, "back, but the need is not cancelled yet");
        s.add(80, NeedStatusChanged::KIND, need("N-0001", "cancelled", None));
        assert_eq!(status(&s, 3, 85), (InjectStatus::Met, Some(20)));
        s.add(100, TeamDispatched::KIND, json!({ "team_id": 2, "need_no": "N-0001", "members": [] }));
        assert_eq!(status(&s, 3, 110).0, InjectStatus::Missed, "a team sent to the cancelled need worked it");
    }

    #[test]
    fn a_cancellation_already_entered_as_it_fired_or_of_a_call_never_written_up_counts_at_once() {
        let mut entered = Script::default();
        entered
            .fire(0, 1, InjectKind::HouseholdRequest, json!({ "need_id": 1, "need_no": "N-0001" }))
            .add(60, NeedStatusChanged::KIND, need("N-0001", "cancelled", None))
            .fire(60, 3, InjectKind::NeedCancel, json!({ "need_id": 1, "need_no": "N-0001" }));
        assert_eq!(status(&entered, 3, 70), (InjectStatus::Met, Some(0)));
        let mut never = Script::default();
        never.fire(0, 1, InjectKind::HouseholdRequest, json!({ "queued": true })).fire(
            60,
            3,
            InjectKind::NeedCancel,
            json!({}),
        );
        assert_eq!(status(&never, 3, 70), (InjectStatus::Met, Some(0)), "nothing to work");
        let mut left_open = Script::default();
        left_open.fire(0, 1, InjectKind::HouseholdRequest, json!({ "need_id": 1, "need_no": "N-0001" })).fire(
            60,
            3,
            InjectKind::NeedCancel,
            json!({ "need_id": 1, "need_no": "N-0001" }),
        );
        assert_eq!(status(&left_open, 3, 95).0, InjectStatus::Missed, "the card stayed open");
    }

    #[test]
    fn a_survey_is_entered_by_a_survey_edit_of_its_need_only() {
        let mut s = Script::default();
        s.fire(0, 1, InjectKind::HouseholdRequest, json!({ "need_id": 1, "need_no": "N-0001" }))
            .add(30, NeedSurveyed::KIND, json!({ "need_no": "N-0001", "surveyed": true }))
            .fire(60, 4, InjectKind::SurveyResult, json!({ "need_id": 1, "need_no": "N-0001" }))
            .add(65, NeedUpdated::KIND, json!({ "need_no": "N-0001", "surveyed": false, "changed": ["notes"] }))
            .add(66, NeedSurveyed::KIND, json!({ "need_no": "N-0009", "surveyed": true }));
        assert_eq!(
            status(&s, 4, 80).0,
            InjectStatus::Missed,
            "a survey before it fired, an edit without one, another need's"
        );
        s.add(85, NeedUpdated::KIND, json!({ "need_no": "N-0001", "surveyed": true, "changed": ["people_needed"] }));
        assert_eq!(status(&s, 4, 90), (InjectStatus::Late, Some(25)));
    }

    #[test]
    fn drill_check_takes_the_new_detects_and_refuses_them_on_the_wrong_kind() {
        let path = std::path::Path::new("drills/t.toml");
        let problems = crate::drill::check::check(SCENARIO, path).err().unwrap_or_default();
        let problems: Vec<&str> = problems.iter().map(|p| p.message.en.as_ref()).collect();
        assert!(problems.is_empty(), "the four detects fit their injects: {problems:?}");
        let wrong = SCENARIO
            .replace("cancellation_handled = { inject = 3 }", "cancellation_handled = { inject = 4 }")
            .replace("survey_entered = { inject = 4 }", "survey_entered = { inject = 1 }")
            .replace("duplicate_linked = { inject = 2 }", "duplicate_linked = { inject = 9 }")
            .replace("id = 1\n", "id = 0\n");
        let problems = crate::drill::check::check(&wrong, path).err().unwrap_or_default();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        for field in ["injects[id=2].expect.detect", "injects[id=3].expect.detect", "injects[id=4].expect.detect", "id"]
        {
            assert!(fields.contains(&field), "{field} in {fields:?}");
        }
        let zero = problems.iter().find(|p| p.field == "id").unwrap();
        assert!(zero.message.ja.contains("統制官"), "{}", zero.message.ja);
    }
}

//! Evaluators' judgement as the log holds it: a mark on an expected action
//! (met / late / missed with a note; on a machine-checked action it overrides
//! the detected verdict, which is kept beside it) and findings per objective
//! (strengths, areas for improvement). Pure, like the rest of the evaluator.

use std::collections::HashMap;

use serde::Serialize;

use super::evaluate::{InjectResult, InjectStatus, Log, Time};
use super::log::{Aspect, ExpectMarked, Finding, Verdict};
use super::scenario::Scenario;

/// The latest mark on an expected action.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mark {
    pub verdict: Verdict,
    pub note: String,
    /// Who marked it (a username).
    pub by: String,
    pub at: Time,
}

/// A finding with when and by whom.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Noted {
    pub at: Time,
    pub by: String,
    pub finding: Finding,
}

pub fn status_of(verdict: Verdict) -> InjectStatus {
    match verdict {
        Verdict::Met => InjectStatus::Met,
        Verdict::Late => InjectStatus::Late,
        Verdict::Missed => InjectStatus::Missed,
    }
}

/// Lays each inject's latest mark over its result (in the scenario's order,
/// as [`super::evaluate::evaluate`] builds them). A mark counts only on an
/// expected action that has fired.
pub(crate) fn apply(scenario: &Scenario, log: &Log, mut injects: Vec<InjectResult>) -> Vec<InjectResult> {
    let mut latest: HashMap<u32, Mark> = HashMap::new();
    for (at, event, m) in log.of::<ExpectMarked>() {
        latest.insert(m.inject, Mark { verdict: m.verdict, note: m.note.clone(), by: event.actor.clone(), at });
    }
    for (result, inject) in injects.iter_mut().zip(&scenario.injects) {
        let inject = inject.get_ref();
        let (Some(expect), Some(mark)) = (&inject.expect, latest.remove(&result.id)) else { continue };
        if result.fired_at.is_none() {
            continue;
        }
        if expect.detect.is_some() {
            result.detected_status = Some(result.status);
        }
        result.status = status_of(mark.verdict);
        result.mark = Some(mark);
    }
    injects
}

pub(crate) fn findings(log: &Log) -> Vec<Noted> {
    log.of::<Finding>().map(|(at, e, f)| Noted { at, by: e.actor.clone(), finding: f.clone() }).collect()
}

/// The findings of one objective on one side.
pub fn of<'a>(findings: &'a [Noted], objective: &'a str, aspect: Aspect) -> impl Iterator<Item = &'a Noted> {
    findings.iter().filter(move |n| n.finding.objective == objective && n.finding.aspect == aspect)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::drill::evaluate::evaluate;
    use crate::drill::evaluate::tests::{Script, at, morning, scenario};
    use crate::events::EventPayload;

    fn result(events: &[crate::events::Event], id: u32) -> InjectResult {
        evaluate(&scenario(), events, at(150)).injects.into_iter().find(|i| i.id == id).unwrap()
    }

    #[test]
    fn a_mark_judges_an_action_without_detect_and_overrides_a_detected_one_keeping_both() {
        let mut s = Script(morning());
        s.add(146, ExpectMarked::KIND, json!({ "inject": 7, "verdict": "late", "note": "" }))
            .add(147, ExpectMarked::KIND, json!({ "inject": 7, "verdict": "met", "note": "本部に20分でつないだ" }))
            .add(
                148,
                ExpectMarked::KIND,
                json!({ "inject": 1, "verdict": "missed", "note": "列の外の2人を見落とした" }),
            )
            .add(149, ExpectMarked::KIND, json!({ "inject": 4, "verdict": "met", "note": "まだ出ていない" }));
        let seven = result(&s.0, 7);
        assert_eq!(seven.status, InjectStatus::Met, "the latest mark");
        assert_eq!(seven.detected_status, None, "nothing was detected: no detect");
        assert_eq!(seven.mark.as_ref().map(|m| m.note.as_str()), Some("本部に20分でつないだ"));
        let one = result(&s.0, 1);
        assert_eq!((one.status, one.detected_status), (InjectStatus::Missed, Some(InjectStatus::Met)));
        assert_eq!(one.measured_minutes, Some(20), "the measured time stays");
        assert_eq!(one.mark.unwrap().by, "trainee");
        let four = result(&s.0, 4);
        assert_eq!((four.status, four.mark), (InjectStatus::Pending, None), "not fired: a mark does not count");
    }

    #[test]
    fn findings_are_read_per_objective_and_side() {
        let mut s = Script(morning());
        s.add(140, Finding::KIND, json!({ "objective": "O1", "aspect": "strength", "text": "声かけが早い" }))
            .add(141, Finding::KIND, json!({ "objective": "O1", "aspect": "improvement", "text": "列の整理" }))
            .add(142, Finding::KIND, json!({ "objective": "O2", "aspect": "strength", "text": "b" }));
        let evaluation = evaluate(&scenario(), &s.0, at(150));
        let strengths: Vec<&str> =
            of(&evaluation.findings, "O1", Aspect::Strength).map(|n| n.finding.text.as_str()).collect();
        assert_eq!(strengths, ["声かけが早い"]);
        assert_eq!(of(&evaluation.findings, "O1", Aspect::Improvement).count(), 1);
    }
}

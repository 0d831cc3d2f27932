//! `inquiry_answered`: an `inquiry` inject was answered by a player
//! (`drill.inquiry_answered`, written by [`super::evaluator::answer`]).

use super::credit::Credit;
use super::evaluate::{Log, Time};
use super::log::InquiryAnswered;
use crate::events::Cause;

pub(crate) fn inquiry_answered(log: &Log, inject: u32, from: Time, credit: Credit) -> Option<(Time, Cause)> {
    log.first_credited(credit, from, |p| p.get::<InquiryAnswered>().is_some_and(|a| a.inject == inject))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::drill::evaluate::tests::{Script, at};
    use crate::drill::evaluate::{InjectStatus, evaluate};
    use crate::drill::log::InquiryAnswered;
    use crate::drill::scenario::{InjectKind, Scenario};
    use crate::events::EventPayload;

    #[test]
    fn an_inquiry_is_met_by_its_own_answer_only() {
        let scenario: Scenario = toml::from_str(
            r#"
id = "t"
title = "t"
hazard = "大雨"
sim_start = "2026-07-12T08:00:00+09:00"
duration = "6h"

[[injects]]
id = 5
at = "+01:00"
kind = "inquiry"
expect = { text = "報道対応をセンター長につなぐ", within = "15m", detect = { inquiry_answered = { inject = 5 } } }

[[injects]]
id = 6
at = "+00:30"
kind = "inquiry"
"#,
        )
        .unwrap();
        let mut s = Script::default();
        s.fire(30, 6, InjectKind::Inquiry, json!({})).fire(60, 5, InjectKind::Inquiry, json!({})).add(
            62,
            InquiryAnswered::KIND,
            json!({ "inject": 6, "answer": "別の問い合わせ" }),
        );
        let of = |s: &Script, now| evaluate(&scenario, &s.0, at(now)).injects[0].clone();
        assert_eq!(of(&s, 70).status, InjectStatus::Fired);
        assert_eq!(of(&s, 80).status, InjectStatus::Missed);
        s.add(72, InquiryAnswered::KIND, json!({ "inject": 5, "answer": "センター長から折り返します" }));
        let result = of(&s, 80);
        assert_eq!((result.status, result.measured_minutes), (InjectStatus::Met, Some(12)));
    }
}

//! The AAR's share of the evaluators' and the controller's work: objectives
//! grouped by capability, strengths and areas for improvement, marks worded
//! with the detected result they overrode, and the controller's actions
//! (「統制官による」). Words from `drill.evaluator.aar.*`.

use serde::Serialize;

use super::aar::{Aar, ExpectRow, InjectRow, Note, ObjectiveAnalysis, result_words};
use super::controller::{ActionKind, ControllerAction};
use super::evaluate::{Evaluation, InjectStatus};
use super::log::{Aspect, Verdict};
use super::marks::{self, Mark};
use crate::i18n::{Lang, word, word_with};

/// The objectives of one capability (none: objectives that name none).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapabilityGroup {
    pub capability: Option<String>,
    /// Objective ids, in the scenario's order.
    pub objectives: Vec<String>,
}

/// Groups in the order capabilities first appear; objectives without one last.
pub fn capability_groups(objectives: &[ObjectiveAnalysis]) -> Vec<CapabilityGroup> {
    let mut groups: Vec<CapabilityGroup> = Vec::new();
    let named = objectives.iter().filter(|o| o.capability.is_some());
    for o in named.chain(objectives.iter().filter(|o| o.capability.is_none())) {
        match groups.iter_mut().find(|g| g.capability == o.capability) {
            Some(group) => group.objectives.push(o.id.clone()),
            None => groups.push(CapabilityGroup { capability: o.capability.clone(), objectives: vec![o.id.clone()] }),
        }
    }
    groups
}

/// No group names a capability (the AAR's JSON then leaves the groups out).
pub fn unnamed(groups: &[CapabilityGroup]) -> bool {
    groups.iter().all(|g| g.capability.is_none())
}

pub(super) fn findings(evaluation: &Evaluation, objective: &str, aspect: Aspect) -> Vec<Note> {
    marks::of(&evaluation.findings, objective, aspect)
        .map(|n| Note { at: n.at, by: n.by.clone(), text: n.finding.text.clone() })
        .collect()
}

/// One capability's objectives, for the page and the paper.
pub struct ObjectiveGroup<'a> {
    pub capability: Option<&'a str>,
    pub objectives: Vec<&'a ObjectiveAnalysis>,
}

impl ObjectiveGroup<'_> {
    /// 「能力：受付」, or 「能力の指定なし」 when the objectives name none.
    pub fn heading(&self, lang: Lang) -> String {
        match self.capability {
            Some(name) => word_with(lang, "drill.evaluator.aar.capability", &[("name", name)]),
            None => word(lang, "drill.evaluator.aar.no_capability").into_owned(),
        }
    }
}

impl Aar {
    pub fn objective_groups(&self) -> Vec<ObjectiveGroup<'_>> {
        self.capabilities
            .iter()
            .map(|g| ObjectiveGroup {
                capability: g.capability.as_deref(),
                objectives: g.objectives.iter().filter_map(|id| self.objectives.iter().find(|o| &o.id == id)).collect(),
            })
            .collect()
    }

    /// Whether any objective names a capability (else the groups are not headed).
    pub fn has_capabilities(&self) -> bool {
        self.capabilities.iter().any(|g| g.capability.is_some())
    }
}

/// 「評価者 trainer 10:40：未達 — 列の外の2人を見落とした（自動判定：達成）」, or empty.
pub fn judgement(lang: Lang, mark: Option<&Mark>, detected: Option<InjectStatus>) -> String {
    let Some(mark) = mark else { return String::new() };
    let verdict = result_words(lang, marks::status_of(mark.verdict), false);
    let mut text = word_with(
        lang,
        "drill.evaluator.aar.marked",
        &[("by", &mark.by), ("at", &mark.at.format("%H:%M").to_string()), ("verdict", &verdict)],
    );
    if !mark.note.is_empty() {
        text.push_str(&word_with(lang, "drill.evaluator.aar.note", &[("note", &mark.note)]));
    }
    if let Some(detected) = detected {
        let detected = result_words(lang, detected, false);
        text.push_str(&word_with(lang, "drill.evaluator.aar.overrode", &[("detected", &detected)]));
    }
    text
}

impl ExpectRow {
    pub fn judgement(&self, lang: Lang) -> String {
        judgement(lang, self.mark.as_ref(), self.detected_status)
    }
}

impl InjectRow {
    pub fn judgement(&self, lang: Lang) -> String {
        judgement(lang, self.mark.as_ref(), self.detected_status)
    }
}

impl ControllerAction {
    pub fn at_hm(&self) -> String {
        self.at.format("%H:%M").to_string()
    }

    /// 「統制官による再発動：#3 …」
    pub fn words(&self, lang: Lang) -> String {
        let inject = self.inject.map(|i| i.to_string()).unwrap_or_default();
        let to = self.to.map(|t| word(lang, &format!("js.drill.section.{}", code(t))).into_owned()).unwrap_or_default();
        let key = match self.action {
            ActionKind::Unskip => "drill.evaluator.aar.unskip",
            ActionKind::Refire => "drill.evaluator.aar.refire",
            ActionKind::AdHoc => "drill.evaluator.aar.ad_hoc",
        };
        word_with(lang, key, &[("inject", &inject), ("to", &to), ("message", &self.message)])
    }
}

/// The verdict's words (met/late/missed).
pub fn verdict_words(lang: Lang, verdict: Verdict) -> String {
    result_words(lang, marks::status_of(verdict), false)
}

fn code(value: impl Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::drill::aar::build;
    use crate::drill::evaluate::tests::{SCENARIO, Script, at, morning};
    use crate::drill::log::{ExpectMarked, Finding};
    use crate::drill::scenario::Scenario;
    use crate::events::EventPayload;

    fn with_capabilities() -> Scenario {
        let text = SCENARIO.replace("target = \"30分\"", "target = \"30分\"\ncapability = \"受付\"").replace(
            "text = \"優先度1のニーズに30分以内に班を送る\"",
            "text = \"優先度1のニーズに30分以内に班を送る\"\ncapability = \"ニーズ把握\"",
        ) + "\n[[objectives]]\nid = \"O3\"\ntext = \"受付の列を整理する\"\ncapability = \"受付\"\n\n[[objectives]]\nid = \"O4\"\ntext = \"全体\"\n";
        toml::from_str(&text).expect("reads")
    }

    #[test]
    fn the_aar_groups_objectives_by_capability_in_first_appearance_order() {
        let aar = build(&with_capabilities(), &morning(), at(150), Vec::new());
        let groups: Vec<(Option<&str>, Vec<&str>)> = aar
            .objective_groups()
            .iter()
            .map(|g| (g.capability, g.objectives.iter().map(|o| o.id.as_str()).collect()))
            .collect();
        assert_eq!(groups, [(Some("受付"), vec!["O1", "O3"]), (Some("ニーズ把握"), vec!["O2"]), (None, vec!["O4"])]);
        assert!(aar.has_capabilities());
        assert_eq!(aar.objective_groups()[0].heading(Lang::Ja), "能力：受付");
        let json = serde_json::to_value(&aar).unwrap();
        assert_eq!(json["capabilities"][0]["objectives"], json!(["O1", "O3"]));
        assert_eq!(json["overview"]["objectives"][1]["capability"], "ニーズ把握");
    }

    #[test]
    fn an_override_shows_the_mark_its_reason_and_the_detected_result() {
        let mut s = Script(morning());
        s.add(148, ExpectMarked::KIND, json!({ "inject": 1, "verdict": "missed", "note": "2人を見落とした" })).add(
            149,
            Finding::KIND,
            json!({ "objective": "O1", "aspect": "improvement", "text": "列の整理" }),
        );
        let aar = build(&with_capabilities(), &s.0, at(150), Vec::new());
        let row = &aar.injects[0];
        assert_eq!(row.status, InjectStatus::Missed);
        assert_eq!(row.judgement(Lang::Ja), "評価者 trainee 10:28：未達 — 2人を見落とした（自動判定：達成）");
        assert_eq!(row.judgement(Lang::En), "Evaluator trainee 10:28: Missed — 2人を見落とした (detected: Met)");
        assert_eq!(aar.objectives[0].expects[0].judgement(Lang::Ja), row.judgement(Lang::Ja));
        assert_eq!(aar.objectives[0].improvements[0].text, "列の整理");
        assert_eq!(aar.injects[6].judgement(Lang::Ja), "", "not marked");
    }
}

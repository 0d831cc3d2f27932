//! What the injects did themselves, told apart from the players' work: where
//! an inject did less than it said (a shortfall: asked against done, and why),
//! and every injury the incident log holds, with who reported it. The console
//! and the AAR say both; the evaluator never credits them to anyone (see
//! [`super::credit`]).

use serde::Serialize;

use super::evaluate::Time;
use super::log::{Fired, Shortfall, ShortfallWhy};
use super::scenario::InjectKind;
use crate::events::contract::dispatch::IncidentReported;
use crate::events::{Cause, Event};
use crate::i18n::{Lang, Phrase, word, word_with};

/// An inject that could not do all it said.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShortfallRow {
    pub inject: u32,
    pub at: Time,
    pub kind: InjectKind,
    /// The item (equipment_shortage).
    pub item: Option<String>,
    pub shortfall: Shortfall,
    /// Why the system refused, in Japanese as logged (said on Japanese pages only).
    pub note: Option<String>,
}

/// An injury or accident in the incident log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentRow {
    pub at: Time,
    pub team_no: String,
    pub need_no: Option<String>,
    pub injured: Option<i64>,
    /// `first_aid`, `clinic`, `ambulance`, `no_injury`.
    pub severity: Option<String>,
    /// Who recorded the return that reported it.
    pub cause: Cause,
    /// The `team_report` inject that recorded it, when one did.
    pub inject: Option<u32>,
}

/// What `fired` could not do, as the console and the AAR say it.
pub fn phrase(fired_item: Option<&str>, shortfall: &Shortfall) -> Phrase {
    let (asked, done) = (shortfall.asked.to_string(), shortfall.done.to_string());
    match shortfall.why {
        ShortfallWhy::StockShort => Phrase::new(
            "js.drill.effect.stock_short",
            [("item", fired_item.unwrap_or_default().to_string()), ("asked", asked), ("done", done)],
        ),
        ShortfallWhy::NoTeamOut => Phrase::new("js.drill.effect.no_team_out", []),
        ShortfallWhy::Refused => Phrase::new("js.drill.effect.refused", [("asked", asked), ("done", done)]),
    }
}

/// Every firing that fell short, in log order.
pub fn shortfalls(entries: impl Iterator<Item = (Time, Fired)>) -> Vec<ShortfallRow> {
    entries
        .filter_map(|(at, fired)| {
            let shortfall = fired.shortfall?;
            Some(ShortfallRow {
                inject: fired.inject,
                at,
                kind: fired.kind,
                item: fired.item,
                shortfall,
                note: fired.note,
            })
        })
        .collect()
}

/// Every `incident.reported`, with the `team_report` inject that recorded it
/// (the firing about the same team that an inject's own return precedes).
pub fn incidents(events: &[Event]) -> Vec<IncidentRow> {
    let mut rows = Vec::new();
    for (i, event) in events.iter().enumerate() {
        let Some(incident) = crate::events::decoded::<IncidentReported>(event) else { continue };
        let Ok(at) = chrono::DateTime::parse_from_rfc3339(&event.at) else { continue };
        let inject = (event.cause == Cause::Inject)
            .then(|| {
                events[i..]
                    .iter()
                    .filter_map(crate::events::decoded::<Fired>)
                    .find(|f| f.kind == InjectKind::TeamReport && f.team_id == Some(incident.team_id))
            })
            .flatten()
            .map(|f| f.inject);
        rows.push(IncidentRow {
            at,
            team_no: incident.team_no,
            need_no: incident.need_no,
            injured: incident.injured,
            severity: incident.severity,
            cause: event.cause,
            inject,
        });
    }
    rows
}

impl ShortfallRow {
    /// 「#402 10:30 一輪車：4 のうち 2 だけ…」 in `lang`.
    pub fn words(&self, lang: Lang) -> String {
        let mut text = format!(
            "#{} {} {}",
            self.inject,
            self.at.format("%H:%M"),
            phrase(self.item.as_deref(), &self.shortfall).say(lang)
        );
        // The refusal was logged in Japanese; an English reader has the reason's words above.
        if let Some(note) = self.note.as_ref().filter(|_| lang == Lang::Ja) {
            text.push_str(&word_with(lang, "drill.aar.effects.because", &[("note", note)]));
        }
        text
    }
}

impl IncidentRow {
    /// 「11:55 T-003（N-0023）けが人 1名・救急搬送 — インジェクト #302 の報告」 in `lang`.
    pub fn words(&self, lang: Lang) -> String {
        let mut text = format!("{} {}", self.at.format("%H:%M"), self.team_no);
        if let Some(need) = &self.need_no {
            text.push_str(&word_with(lang, "drill.aar.effects.on_need", &[("need", need)]));
        }
        if let Some(n) = self.injured {
            text.push_str(&word_with(lang, "drill.aar.effects.injured", &[("n", &n.to_string())]));
        }
        if let Some(severity) = &self.severity {
            text.push_str(&word(lang, &format!("drill.aar.effects.severity.{severity}")));
        }
        let by = match (self.cause, self.inject) {
            (Cause::Inject, Some(inject)) => {
                word_with(lang, "drill.aar.effects.by_inject", &[("inject", &inject.to_string())])
            }
            (cause, _) => word(lang, &format!("drill.aar.effects.by.{}", cause.as_str())).into_owned(),
        };
        text.push_str(&by);
        text
    }
}

/// The mark a result carries for who did it: 「（自動操縦）」 for the autopilot,
/// and for an action done only by someone who earns no credit, who that was.
pub fn credit_words(lang: Lang, done_by: Option<Cause>, not_credited: Option<Cause>) -> String {
    match (done_by, not_credited) {
        (Some(Cause::Autopilot), _) => word(lang, "drill.aar.credit.autopilot").into_owned(),
        (None, Some(cause)) if cause != Cause::Player => {
            word(lang, &format!("drill.aar.credit.not_credited.{}", cause.as_str())).into_owned()
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_and_cause_has_its_words_in_both_languages() {
        for lang in [Lang::Ja, Lang::En] {
            for why in [ShortfallWhy::StockShort, ShortfallWhy::NoTeamOut, ShortfallWhy::Refused] {
                let said = phrase(Some("一輪車"), &Shortfall { asked: 4, done: 2, why }).say(lang);
                assert!(!said.contains("js.drill"), "{said}");
            }
            for cause in [Cause::Player, Cause::Inject, Cause::Autopilot, Cause::Trainer, Cause::System] {
                assert!(!word(lang, &format!("drill.aar.effects.by.{}", cause.as_str())).contains("drill.aar"));
                let mark = credit_words(lang, None, Some(cause));
                assert!(!mark.contains("drill.aar"), "{mark}");
            }
            for severity in ["first_aid", "clinic", "ambulance", "no_injury"] {
                assert!(!word(lang, &format!("drill.aar.effects.severity.{severity}")).contains("drill.aar"));
            }
        }
    }
}

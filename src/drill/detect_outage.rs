//! `late_entries_after_outage = { inject = N }`: the desks of outage N kept
//! paper, and the paper was entered once they were back. Met at the first
//! `drill.late_entry` whose paper time falls within the outage, entered at one
//! of its desks (or anywhere, if the entry names none) after it ended.

use chrono::{DateTime, FixedOffset};

use super::credit::Credit;
use super::desks::Desk;
use super::evaluate::Log;
use super::log::{LateEntry, OutageCut};
use super::outage::Window;

use crate::events::Cause;

type Time = DateTime<FixedOffset>;

pub(crate) fn papers_entered(
    log: &Log,
    inject: u32,
    fired_at: Time,
    cut: &OutageCut,
    credit: Credit,
) -> Option<(Time, Cause)> {
    let window = Window::read(inject, fired_at, cut)?;
    log.of::<LateEntry>()
        .filter(|(_, event, _)| credit.counts(event.cause))
        .find(|(entered, _, entry)| {
            let on_paper = DateTime::parse_from_rfc3339(&entry.paper_time).ok();
            let at_its_desk =
                entry.desk.as_deref().and_then(Desk::from_name).is_none_or(|desk| window.desks.contains(&desk));
            on_paper.is_some_and(|t| window.from <= t && t <= window.until) && at_its_desk && *entered >= window.until
        })
        .map(|(entered, event, _)| (entered, event.cause))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::Event;
    use crate::events::contract::drill::{Fired, InjectKind};

    fn event<P: serde::Serialize + crate::events::EventPayload>(seq: i64, at: &str, payload: &P) -> Event {
        Event {
            seq,
            at: at.into(),
            actor: "reception".into(),
            kind: P::KIND.into(),
            subject: None,
            data: serde_json::to_value(payload).unwrap(),
            drill: true,
            cause: Cause::Player,
            cause_recorded: true,
        }
    }

    fn entry(paper: &str, desk: &str) -> LateEntry {
        LateEntry {
            paper_time: paper.into(),
            desk: Some(desk.into()),
            events: vec![1],
            kinds: vec!["volunteer.checked_in".into()],
        }
    }

    #[test]
    fn paper_of_the_outage_entered_after_it_is_found() {
        let cut = OutageCut { desks: vec!["reception".into()], minutes: 15, until: "2026-07-12T10:15:00+09:00".into() };
        let fired = Fired { inject: 9, kind: InjectKind::IctOutage, outage: Some(cut.clone()), ..Fired::default() };
        let from: Time = "2026-07-12T10:00:00+09:00".parse().unwrap();
        let judge =
            |events: &[Event]| papers_entered(&Log::new(events), 9, from, &cut, Credit::Players).map(|(at, _)| at);
        let start = event(1, "2026-07-12T10:00:00+09:00", &fired);
        assert_eq!(judge(std::slice::from_ref(&start)), None);
        // Paper from before the outage, or entered at another desk, is not this outage's.
        let early = event(2, "2026-07-12T10:20:00+09:00", &entry("2026-07-12T09:50:00+09:00", "reception"));
        let elsewhere = event(3, "2026-07-12T10:21:00+09:00", &entry("2026-07-12T10:05:00+09:00", "needs"));
        assert_eq!(judge(&[start.clone(), early.clone(), elsewhere.clone()]), None);
        let entered = event(4, "2026-07-12T10:31:00+09:00", &entry("2026-07-12T10:07:00+09:00", "reception"));
        let found = judge(&[start, early, elsewhere, entered]);
        assert_eq!(found, Some("2026-07-12T10:31:00+09:00".parse().unwrap()));
    }
}

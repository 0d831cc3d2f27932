//! `ict_outage`: for its minutes, the named desks are offline. The firing
//! records what it cuts and until when (`Fired::outage`), so the log alone
//! says which desks were down: the drill's layer ([`super::outage_layer`])
//! refuses their pages, API calls and feed, the board's follower drops their
//! open feeds ([`BoardCuts`]), and the evaluator judges the paper fallback.

use std::sync::{Arc, LazyLock};

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;

use super::desks::Desk;
use super::payload::Payload;
use super::scenario::Inject;
use crate::clock::{Clock, stamp};
use crate::db::Db;
use crate::error::AppError;
use crate::events::contract::drill::{Fired, InjectKind, OutageCut};
use crate::events::contract::wire;
use crate::events::{self, EventPayload};

type Time = DateTime<FixedOffset>;

/// What an `ict_outage` firing at `now` cuts: its desks (or its section's)
/// until `now + minutes`. Other kinds, and an outage of 0 minutes, cut nothing.
pub fn cut(inject: &Inject, payload: &Payload, now: Time) -> Option<OutageCut> {
    let Payload::IctOutage(outage) = payload else { return None };
    let until = super::limits::add_minutes(now, i64::from(outage.minutes)).filter(|_| outage.minutes > 0)?;
    let mut desks = if outage.desks.is_empty() { Desk::of_section(inject.to) } else { outage.desks.clone() };
    desks.dedup();
    Some(OutageCut {
        desks: desks.into_iter().map(|d| d.name().to_string()).collect(),
        minutes: outage.minutes,
        until: stamp(until),
    })
}

/// One outage as the log tells it.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    pub inject: u32,
    pub from: Time,
    pub until: Time,
    pub desks: Vec<Desk>,
}

impl Window {
    pub fn read(inject: u32, from: Time, cut: &OutageCut) -> Option<Window> {
        let until = DateTime::parse_from_rfc3339(&cut.until).ok()?;
        let desks = cut.desks.iter().filter_map(|d| Desk::from_name(d)).collect();
        Some(Window { inject, from, until, desks })
    }

    pub fn cuts(&self, desk: Desk, now: Time) -> bool {
        self.from <= now && now < self.until && self.desks.contains(&desk)
    }
}

/// The outages of a drill's log, read as it grows (only the new rows each time).
pub struct Outages {
    db: Db,
    seen: tokio::sync::Mutex<Seen>,
}

#[derive(Default)]
struct Seen {
    after: i64,
    windows: Vec<Window>,
}

impl Outages {
    pub fn new(db: Db) -> Outages {
        Outages { db, seen: tokio::sync::Mutex::default() }
    }

    /// The end of the outage cutting `desk` at `now`, if one does (the latest, if several).
    pub async fn cutting(&self, desk: Desk, now: Time) -> Result<Option<Time>, AppError> {
        let mut seen = self.seen.lock().await;
        loop {
            let page = events::since(&self.db.read, seen.after, 500).await?;
            let Some(last) = page.last() else { break };
            seen.after = last.seq;
            for event in &page {
                if let Some(fired) = events::decoded::<Fired>(event)
                    && let Some(cut) = &fired.outage
                    && let Ok(from) = DateTime::parse_from_rfc3339(&event.at)
                    && let Some(window) = Window::read(fired.inject, from, cut)
                {
                    seen.windows.push(window);
                }
            }
        }
        Ok(seen.windows.iter().filter(|w| w.cuts(desk, now)).map(|w| w.until).max())
    }
}

/// What a published `ict_outage` firing contains: its kind, and the inject kind in its data.
static OUTAGE: LazyLock<[Vec<u8>; 2]> = LazyLock::new(|| {
    let needle = |value: &str| format!(r#""kind":"{value}""#).into_bytes();
    [needle(Fired::KIND), needle(&wire(&InjectKind::IctOutage))]
});

/// Whether a published event is an `ict_outage` inject firing. Looked for in
/// the bytes every board is sent, so nothing is parsed for the other events.
pub fn drops_boards(json: &[u8]) -> bool {
    OUTAGE.iter().all(|needle| contains(json, needle))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The drill's answer to the board's follower: an outage firing cuts a feed
/// when it names the desk of the page following it and is not over yet (so a
/// board catching up through an old outage is not dropped again), nor is the
/// drill (its clock stops at the end, mid-outage perhaps).
pub struct BoardCuts {
    clock: Clock,
    finished: Box<dyn Fn() -> bool + Send + Sync>,
}

impl BoardCuts {
    pub fn of(run: Arc<super::run::DrillRun>) -> Arc<dyn crate::board::ws::CutsBoards> {
        let clock = run.env.clock.clone();
        Arc::new(BoardCuts { clock, finished: Box::new(move || run.state() == super::run::RunState::Finished) })
    }
}

#[derive(Deserialize)]
struct FiredRow {
    at: String,
    data: Fired,
}

impl crate::board::ws::CutsBoards for BoardCuts {
    fn cuts(&self, event_json: &[u8], page: Option<&str>) -> bool {
        if !drops_boards(event_json) || (self.finished)() {
            return false;
        }
        let Ok(row) = serde_json::from_slice::<FiredRow>(event_json) else { return false };
        let (Some(cut), Ok(from)) = (row.data.outage, DateTime::parse_from_rfc3339(&row.at)) else { return false };
        let desk = Desk::of_request("/ws/board", page).unwrap_or(Desk::Board);
        Window::read(row.data.inject, from, &cut).is_some_and(|w| w.cuts(desk, self.clock.now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::board::ws::CutsBoards;

    #[test]
    fn only_an_outage_firing_drops_the_boards() {
        let outage = br#"{"seq":9,"kind":"drill.inject_fired","data":{"inject":5,"kind":"ict_outage"},"drill":true}"#;
        let other = br#"{"seq":9,"kind":"drill.inject_fired","data":{"inject":5,"kind":"inquiry"},"drill":true}"#;
        assert!(drops_boards(outage));
        assert!(!drops_boards(other));
        assert!(!drops_boards(br#"{"kind":"need.updated","data":{"notes":"ict_outage"}}"#));
    }

    fn fired(desks: &str) -> Vec<u8> {
        format!(
            r#"{{"seq":9,"at":"2026-07-12T10:00:00+09:00","actor":"drill","kind":"drill.inject_fired","subject":null,"drill":true,
            "data":{{"inject":5,"kind":"ict_outage","to":"reception","message":"","hidden":false,"scheduled":null,"by":"trainer",
            "queued":true,"need_id":null,"need_no":null,"team_id":null,"team_no":null,"item_id":null,"item":null,
            "outage":{{"desks":{desks},"minutes":15,"until":"2026-07-12T10:15:00+09:00"}}}}}}"#
        )
        .into_bytes()
    }

    #[test]
    fn a_feed_is_cut_while_its_desk_is_out_and_not_once_it_is_back() {
        let clock = Clock::manual("2026-07-12T10:00:00+09:00".parse().unwrap());
        let finished = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let over = finished.clone();
        let cuts = BoardCuts {
            clock: clock.clone(),
            finished: Box::new(move || over.load(std::sync::atomic::Ordering::Relaxed)),
        };
        let event = fired(r#"["board","matching"]"#);
        assert!(cuts.cuts(&event, None), "the board itself");
        assert!(cuts.cuts(&event, Some("/matching")));
        assert!(!cuts.cuts(&event, Some("/map")), "the needs desk is not named");
        clock.advance(chrono::Duration::minutes(14));
        assert!(cuts.cuts(&event, None));
        finished.store(true, std::sync::atomic::Ordering::Relaxed);
        assert!(!cuts.cuts(&event, None), "a drill that has ended cuts nothing");
        finished.store(false, std::sync::atomic::Ordering::Relaxed);
        clock.advance(chrono::Duration::minutes(1));
        assert!(!cuts.cuts(&event, None), "catching up through an outage that is over cuts nothing");
    }

    #[test]
    fn an_outage_names_known_desks_only() {
        let read = |text: &str| Payload::parse(InjectKind::IctOutage, &text.parse::<toml::Table>().unwrap());
        let Ok(Payload::IctOutage(outage)) = read("minutes = 15\ndesks = [\"reception\", \"dispatch\"]") else {
            panic!()
        };
        assert_eq!(outage.desks, vec![Desk::Reception, Desk::Matching]);
        let error = read("desks = [\"kitchen\"]").unwrap_err();
        assert!(error.contains("kitchen") && error.contains("board"), "{error}");
    }

    #[test]
    fn a_window_holds_from_the_firing_to_its_end() {
        let cut = OutageCut {
            desks: vec!["reception".into(), "nowhere".into()],
            minutes: 15,
            until: "2026-07-12T10:15:00+09:00".into(),
        };
        let from: Time = "2026-07-12T10:00:00+09:00".parse().unwrap();
        let w = Window::read(5, from, &cut).unwrap();
        assert_eq!(w.desks, vec![Desk::Reception]);
        assert!(w.cuts(Desk::Reception, from));
        assert!(w.cuts(Desk::Reception, "2026-07-12T10:14:59+09:00".parse().unwrap()));
        assert!(!w.cuts(Desk::Reception, "2026-07-12T10:15:00+09:00".parse().unwrap()));
        assert!(!w.cuts(Desk::Needs, from));
    }
}

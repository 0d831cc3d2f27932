//! The autopilot's paper: while an `ict_outage` cuts a desk, the autopilot
//! keeps doing that desk's work on paper (check-ins, teams formed, returns…),
//! and enters each sheet once the desk is back, as a late entry with the time
//! it was done on paper (`drill.late_entry`, judged by
//! `late_entries_after_outage`) — what a person does with `Paper-Time`.

use chrono::{DateTime, FixedOffset};

use super::desks::Desk;
use super::env::Env;
use super::late_entry;
use super::log::Fired;
use super::outage::Window;
use crate::error::AppError;
use crate::events::{self, Actor, Event};

type Time = DateTime<FixedOffset>;

/// Work done on paper at `paper_time`, at a desk that was cut off.
pub struct Sheet<W> {
    pub paper_time: Time,
    pub desk: Desk,
    pub work: W,
}

/// The outages seen so far and the sheets not yet entered.
pub struct Paper<W> {
    windows: Vec<Window>,
    held: Vec<Sheet<W>>,
}

impl<W> Default for Paper<W> {
    fn default() -> Self {
        Paper { windows: Vec::new(), held: Vec::new() }
    }
}

impl<W> Paper<W> {
    /// Notes the outage an inject firing starts, if it is one.
    pub fn saw(&mut self, event: &Event, fired: &Fired) {
        let (Some(cut), Ok(from)) = (&fired.outage, DateTime::parse_from_rfc3339(&event.at)) else { return };
        self.windows.extend(Window::read(fired.inject, from, cut));
    }

    /// The first of `desks` that is offline at `now`, if any.
    pub fn cut(&self, desks: &[Desk], now: Time) -> Option<Desk> {
        desks.iter().copied().find(|desk| self.windows.iter().any(|w| w.cuts(*desk, now)))
    }

    pub fn hold(&mut self, desk: Desk, paper_time: Time, work: W) {
        self.held.push(Sheet { paper_time, desk, work });
    }

    /// The work on paper not yet entered.
    pub fn held(&self) -> impl Iterator<Item = &W> {
        self.held.iter().map(|sheet| &sheet.work)
    }

    /// The sheets whose desk is back at `now`, in the order they were written.
    pub fn back(&mut self, now: Time) -> Vec<Sheet<W>> {
        let (back, still): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.held).into_iter().partition(|sheet| self.cut(&[sheet.desk], now).is_none());
        self.held = still;
        back
    }
}

/// Enters a sheet: does `work` and records the events it made as a late
/// entry at the sheet's desk with its paper time.
pub async fn enter<W>(
    env: &Env,
    actor: &Actor,
    sheet: &Sheet<W>,
    work: impl Future<Output = Result<(), AppError>>,
) -> Result<(), AppError> {
    let (done, made) = events::made::watch(work).await;
    done?;
    late_entry::record(&env.db, &env.clock, actor, sheet.desk, sheet.paper_time, &made).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::Cause;
    use crate::events::contract::drill::{InjectKind, OutageCut};

    fn t(hhmm: &str) -> Time {
        format!("2026-07-12T{hhmm}:00+09:00").parse().unwrap()
    }

    #[test]
    fn work_of_a_cut_desk_waits_on_paper_until_the_desk_is_back() {
        let cut = OutageCut { desks: vec!["reception".into()], minutes: 15, until: "2026-07-12T10:15:00+09:00".into() };
        let fired = Fired { inject: 9, kind: InjectKind::IctOutage, outage: Some(cut), ..Fired::default() };
        let event = Event {
            seq: 1,
            at: "2026-07-12T10:00:00+09:00".into(),
            actor: "drill".into(),
            kind: "drill.inject_fired".into(),
            subject: None,
            data: serde_json::Value::Null,
            drill: true,
            cause: Cause::Inject,
            cause_recorded: true,
        };
        let mut paper = Paper::default();
        assert_eq!(paper.cut(&[Desk::Reception], t("10:05")), None, "no outage seen yet");
        paper.saw(&event, &fired);
        assert_eq!(paper.cut(&[Desk::Needs, Desk::Reception], t("10:05")), Some(Desk::Reception));
        assert_eq!(paper.cut(&[Desk::Needs], t("10:05")), None);
        paper.hold(Desk::Reception, t("10:05"), "check-in 1");
        paper.hold(Desk::Reception, t("10:09"), "check-in 2");
        assert!(paper.back(t("10:14")).is_empty(), "still offline");
        assert_eq!(paper.held().count(), 2);
        let back = paper.back(t("10:15"));
        let entered: Vec<(Time, &str)> = back.iter().map(|s| (s.paper_time, s.work)).collect();
        assert_eq!(entered, vec![(t("10:05"), "check-in 1"), (t("10:09"), "check-in 2")]);
        assert_eq!(paper.held().count(), 0);
    }
}

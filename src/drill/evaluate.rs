//! The evaluator: reads a drill's event log and rates each expected action
//! met / late / missed with the measured drill time, and computes the drill's
//! metrics. Pure: scenario + events + now in, [`Evaluation`] out.
//!
//! Detection only looks at events at or after the inject fired: an earlier
//! check-in or suspension is not a response to it.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::check::duration_minutes;
use super::credit::Credit;
use super::log::{CallTaken, Fired, FiredBy, Observation, PlanItem, Rated, Started, Stopped};
use super::scenario::{Detect, Inject, InjectKind, Scenario, Section};
use super::schedule;
use crate::events::contract::dispatch::{CenterSuspended, TeamDispatched, TeamReturned};
use crate::events::contract::inventory::stock_figures;
use crate::events::contract::needs::{NeedReceived, NeedStatus};
use crate::events::contract::reception::VolunteerCheckedIn;
use crate::events::{Cause, Event, EventPayload, Payload};

pub use super::log::Rating;

/// A drill-time instant.
pub type Time = DateTime<FixedOffset>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InjectStatus {
    /// Not fired yet.
    Pending,
    /// Fired; its expected action (if any) is not yet due or cannot be machine-checked.
    Fired,
    /// The expected action was detected within its time.
    Met,
    /// Detected, after its time.
    Late,
    /// Its time passed (or the drill ended) without it.
    Missed,
    /// The trainer skipped it.
    Skipped,
}

impl InjectStatus {
    pub fn label_ja(self) -> &'static str {
        match self {
            InjectStatus::Pending => "未発出",
            InjectStatus::Fired => "発出済",
            InjectStatus::Met => "達成",
            InjectStatus::Late => "遅延",
            InjectStatus::Missed => "未達",
            InjectStatus::Skipped => "省略",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct InjectResult {
    pub id: u32,
    pub kind: InjectKind,
    pub to: Section,
    /// When it was (or is) due; `None` for an `after` inject whose parent has not fired,
    /// and for contingencies not called for.
    pub scheduled: Option<Time>,
    pub fired_at: Option<Time>,
    pub by: Option<FiredBy>,
    pub status: InjectStatus,
    /// `fired_at + within`.
    pub deadline: Option<Time>,
    pub detected_at: Option<Time>,
    /// Drill minutes from firing to detection.
    pub measured_minutes: Option<i64>,
    /// An evaluator's mark (the latest); `status` is its verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mark: Option<super::marks::Mark>,
    /// With a mark on a machine-checked action: what the log alone gave.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detected_status: Option<InjectStatus>,
    /// Who did the action that was detected (a player, or the autopilot in an autopilot run).
    pub done_by: Option<Cause>,
    /// Not detected, but done by someone whose action does not count (an
    /// inject's own effect, the trainer): who. See [`super::credit`].
    pub not_credited: Option<Cause>,
    /// What it could not do of what it said, as the console says it.
    pub effect: Option<crate::i18n::Phrase>,
}

/// Count, median and maximum of a set of durations in drill minutes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    pub count: usize,
    pub median_minutes: Option<f64>,
    pub max_minutes: Option<i64>,
}

impl Summary {
    pub fn of(mut minutes: Vec<i64>) -> Summary {
        minutes.sort_unstable();
        let n = minutes.len();
        let median = match n {
            0 => None,
            _ if n % 2 == 1 => Some(minutes[n / 2] as f64),
            _ => Some((minutes[n / 2 - 1] + minutes[n / 2]) as f64 / 2.0),
        };
        Summary { count: n, median_minutes: median, max_minutes: minutes.last().copied() }
    }
}

/// The volunteers of one `volunteer_arrival` inject at the desk.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArrivalWait {
    pub inject: u32,
    /// People (a group counts its members).
    pub volunteers: usize,
    /// People not checked in by `now`.
    pub not_checked_in: usize,
    /// Fired → checked in, for those checked in.
    pub wait: Summary,
}

/// One need from intake to its first team.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NeedDispatch {
    pub need_no: String,
    pub received_at: Time,
    pub dispatched_at: Option<Time>,
    pub minutes: Option<i64>,
}

/// How long an item had none in stock.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StockOut {
    pub item: String,
    pub minutes: i64,
    /// How many times it ran out.
    pub times: usize,
    /// Still none at `now`.
    pub still_out: bool,
}

/// A weather warning and the 活動中止 that followed it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WarningSuspension {
    pub inject: u32,
    pub fired_at: Time,
    pub suspended_at: Option<Time>,
    pub minutes: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Metrics {
    /// Each arriving person (a group's members each): inject fired → checked in.
    pub reception_wait: Summary,
    /// Arriving people not checked in by `now`.
    pub reception_not_checked_in: usize,
    pub reception_by_inject: Vec<ArrivalWait>,
    /// Check-in → first team that lists the volunteer (a group's members each).
    pub lead_time: Summary,
    /// `need.received` → its first team.
    pub intake_to_dispatch: Summary,
    pub needs: Vec<NeedDispatch>,
    /// Received, not closed (done or cancelled), never dispatched, by need number.
    pub unmatched_needs: Vec<String>,
    /// Checked in, never on a team, by volunteer number.
    pub never_dispatched: Vec<String>,
    /// The people they are (a group counts its members).
    pub never_dispatched_people: i64,
    /// Items that had none in stock, by name.
    pub out_of_stock: Vec<StockOut>,
    /// Each `weather_warning` fired → the next `center.suspended`.
    pub warning_to_suspension: Vec<WarningSuspension>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// In the scenario's order.
    pub injects: Vec<InjectResult>,
    pub metrics: Metrics,
    /// The latest rating per objective id.
    pub ratings: BTreeMap<String, Rating>,
    /// (when, who, what), oldest first.
    pub observations: Vec<(Time, String, Observation)>,
    /// The improvement plan, by row (the latest version of each row).
    pub plan: Vec<PlanItem>,
    /// Evaluators' strengths and areas for improvement, oldest first.
    pub findings: Vec<super::marks::Noted>,
    pub started: Option<Time>,
    pub stopped: Option<Time>,
}

/// The log read once: each event with its drill time and its data decoded
/// through the event contract, in `seq` order.
pub(crate) struct Log<'a> {
    pub entries: Vec<(Time, &'a Event, Payload)>,
}

impl<'a> Log<'a> {
    pub fn new(events: &'a [Event]) -> Log<'a> {
        let mut entries: Vec<(Time, &Event, Payload)> = events
            .iter()
            .filter_map(|e| {
                let at = DateTime::parse_from_rfc3339(&e.at).ok()?;
                // A row that does not fit its kind cannot count as evidence.
                let payload = e.payload().map_err(|error| tracing::warn!(seq = e.seq, %error, "left out")).ok()?;
                Some((at, e, payload))
            })
            .collect();
        entries.sort_by_key(|(_, e, _)| e.seq);
        Log { entries }
    }

    /// The events of `P`'s kind: when, the row, its data.
    pub fn of<P: EventPayload + 'static>(&self) -> impl Iterator<Item = (Time, &'a Event, &P)> + '_ {
        self.entries.iter().filter_map(|(t, e, p)| p.get::<P>().map(|p| (*t, *e, p)))
    }

    /// The first event at or after `from` that `matches`.
    pub fn first_from(&self, from: Time, matches: impl Fn(&Payload) -> bool) -> Option<Time> {
        self.entries.iter().find(|(t, _, p)| *t >= from && matches(p)).map(|(t, _, _)| *t)
    }

    /// The first event at or after `from` that `matches`, by a cause `credit`
    /// counts: when, and who caused it.
    pub fn first_credited(
        &self,
        credit: Credit,
        from: Time,
        matches: impl Fn(&Payload) -> bool,
    ) -> Option<(Time, Cause)> {
        self.entries
            .iter()
            .find(|(t, e, p)| *t >= from && credit.counts(e.cause) && matches(p))
            .map(|(t, e, _)| (*t, e.cause))
    }
}

pub(crate) fn minutes(from: Time, to: Time) -> i64 {
    (to - from).num_minutes()
}

/// What the drill's own entries say happened to the injects.
pub(crate) struct Facts {
    /// The first firing of each inject.
    pub fired: HashMap<u32, (Time, Fired)>,
    pub calls: HashMap<u32, (Time, CallTaken)>,
    pub skipped: HashSet<u32>,
}

impl Facts {
    pub fn read(log: &Log) -> Facts {
        let mut fired = HashMap::new();
        for (at, _, f) in log.of::<Fired>() {
            fired.entry(f.inject).or_insert((at, f.clone()));
        }
        let mut calls = HashMap::new();
        for (at, _, c) in log.of::<CallTaken>() {
            calls.entry(c.inject).or_insert((at, c.clone()));
        }
        Facts { fired, calls, skipped: super::controller::skipped(log) }
    }

    pub fn fired_times(&self) -> HashMap<u32, Time> {
        self.fired.iter().map(|(id, (at, _))| (*id, *at)).collect()
    }

    /// The need number of a household-request inject, once it is a need card.
    pub(crate) fn need_no(&self, inject: u32) -> Option<&str> {
        let fired = self.fired.get(&inject).and_then(|(_, f)| f.need_no.as_deref());
        fired.or_else(|| self.calls.get(&inject).map(|(_, c)| c.need_no.as_str()))
    }
}

pub fn evaluate(scenario: &Scenario, events: &[Event], now: Time) -> Evaluation {
    let log = Log::new(events);
    let facts = Facts::read(&log);
    let started = log.of::<Started>().map(|(t, _, _)| t).next();
    let stopped = log.of::<Stopped>().map(|(t, _, _)| t).last();
    let due = schedule::due_times(scenario, &facts.fired_times());
    let judge = Judge {
        log: &log,
        facts: &facts,
        now,
        end: schedule::window(scenario).1,
        stopped: stopped.is_some(),
        credit: Credit::of_run(events),
    };
    let injects = scenario
        .injects
        .iter()
        .map(|i| judge.inject(i.get_ref(), due.get(&i.get_ref().id).copied().flatten()))
        .collect();
    let injects = super::marks::apply(scenario, &log, injects);
    Evaluation {
        injects,
        metrics: metrics(&log, &facts, now),
        ratings: ratings(&log),
        observations: observations(&log),
        plan: plan(&log),
        findings: super::marks::findings(&log),
        started,
        stopped,
    }
}

/// Rates the injects against the log.
struct Judge<'l, 'a> {
    log: &'l Log<'a>,
    facts: &'l Facts,
    now: Time,
    /// The scenario's end: the deadline of an expectation without `within`.
    end: Time,
    stopped: bool,
    /// Whose actions count.
    credit: Credit,
}

impl Judge<'_, '_> {
    fn inject(&self, inject: &Inject, due: Option<Time>) -> InjectResult {
        let mut result = InjectResult {
            id: inject.id,
            kind: inject.kind,
            to: inject.to,
            scheduled: due,
            fired_at: None,
            by: None,
            status: InjectStatus::Pending,
            deadline: None,
            detected_at: None,
            measured_minutes: None,
            mark: None,
            detected_status: None,
            done_by: None,
            not_credited: None,
            effect: None,
        };
        let Some((fired_at, fired)) = self.facts.fired.get(&inject.id) else {
            if self.facts.skipped.contains(&inject.id) {
                result.status = InjectStatus::Skipped;
            }
            return result;
        };
        let fired_at = *fired_at;
        result.scheduled = fired.scheduled.as_deref().and_then(|s| DateTime::parse_from_rfc3339(s).ok()).or(due);
        result.fired_at = Some(fired_at);
        result.by = Some(fired.by);
        result.status = InjectStatus::Fired;
        result.effect = fired.shortfall.as_ref().map(|s| super::effects::phrase(fired.item.as_deref(), s));
        let Some(expect) = &inject.expect else { return result };
        let deadline = expect
            .within
            .as_deref()
            .and_then(duration_minutes)
            .and_then(|m| super::limits::add_minutes(fired_at, m))
            .unwrap_or(self.end);
        result.deadline = Some(deadline);
        // No predicate: the trainer judges it.
        let Some(detect) = &expect.detect else { return result };
        match self.detected(detect, fired_at, self.credit) {
            Some((at, by)) => {
                result.done_by = Some(by);
                result.detected_at = Some(at);
                result.measured_minutes = Some(minutes(fired_at, at));
                result.status = if at <= deadline { InjectStatus::Met } else { InjectStatus::Late };
            }
            None => {
                result.not_credited = self.detected(detect, fired_at, Credit::Anyone).map(|(_, by)| by);
                if self.now > deadline || self.stopped {
                    result.status = InjectStatus::Missed;
                }
            }
        }
        result
    }

    /// When the predicate first held by an action `credit` counts, looking
    /// from `from` (when the inject fired), and who did it.
    fn detected(&self, detect: &Detect, from: Time, credit: Credit) -> Option<(Time, Cause)> {
        let log = self.log;
        let first = |matches: &dyn Fn(&Payload) -> bool| log.first_credited(credit, from, matches);
        let target = |inject: &u32| self.facts.fired.get(inject);
        match detect {
            Detect::AllCheckedIn { inject } => {
                let (_, fired) = target(inject)?;
                // No volunteers came (see the inject's shortfall): nobody's action to credit.
                let mut last: Option<(Time, Cause)> = None;
                for id in &fired.volunteer_ids {
                    let found = first(&|p| checked_in(p, *id))?;
                    if last.is_none_or(|(at, _)| found.0 >= at) {
                        last = Some(found);
                    }
                }
                last
            }
            Detect::NeedReceived { inject } => {
                // Entered as it fired (`mode = "auto"`): the inject's own effect.
                let auto = target(inject).filter(|(_, f)| f.need_id.is_some()).map(|(at, _)| (*at, Cause::Inject));
                let taken = self.facts.calls.get(inject).map(|(at, c)| (*at, c.clone()));
                let taken = taken.and_then(|(at, call)| {
                    let by = log.of::<CallTaken>().find(|(_, _, c)| **c == call).map(|(_, e, _)| e.cause)?;
                    Some((at, by))
                });
                let (found, by) = auto.or(taken).filter(|(_, by)| credit.counts(*by))?;
                // Already there when this inject fired: it counts from the firing.
                Some((found.max(from), by))
            }
            Detect::NeedDispatched { inject } => {
                let need_no = self.facts.need_no(*inject)?;
                let on_need = |n: &Option<String>| n.as_deref() == Some(need_no);
                let left = |p: &Payload| p.get::<TeamDispatched>().is_some_and(|d| on_need(&d.need_no));
                let back = |p: &Payload| p.get::<TeamReturned>().is_some_and(|r| on_need(&r.need_no));
                // A team already on site when this inject fired (a later call about the
                // same need) is the action done: it counts from the firing.
                // Teams on it by a dispatch that counts, and who sent them.
                let mut out: Vec<(i64, Cause)> = Vec::new();
                for (_, event, payload) in log.entries.iter().take_while(|(t, _, _)| *t < from) {
                    if let Some(sent) = payload.get::<TeamDispatched>().filter(|_| left(payload)) {
                        if credit.counts(event.cause) {
                            out.push((sent.team_id, event.cause));
                        }
                    } else if let Some(returned) = payload.get::<TeamReturned>().filter(|_| back(payload)) {
                        out.retain(|(team, _)| *team != returned.team_id);
                    }
                }
                if let Some((_, by)) = out.last() {
                    return Some((from, *by));
                }
                first(&left)
            }
            Detect::TeamReturned { inject } => {
                let team_id = target(inject)?.1.team_id?;
                first(&|p| p.get::<TeamReturned>().is_some_and(|r| r.team_id == team_id))
            }
            Detect::LateEntriesAfterOutage { inject } => {
                let (fired_at, fired) = target(inject)?;
                super::detect_outage::papers_entered(log, *inject, *fired_at, fired.outage.as_ref()?, credit)
            }
            Detect::SuspensionStarted {} => first(&|p| p.get::<CenterSuspended>().is_some()),
            Detect::StockAdjusted { item } => first(&|p| match p {
                Payload::ItemReceived(r) => r.name == *item,
                Payload::ItemAdjusted(a) => a.name == *item,
                _ => false,
            }),
            Detect::DuplicateLinked { inject } => {
                super::detect_needs::duplicate_linked(log, self.facts, *inject, from, credit)
            }
            Detect::CancellationHandled { inject } => {
                super::detect_needs::cancellation_handled(log, self.facts, *inject, from, credit)
            }
            Detect::SurveyEntered { inject } => {
                super::detect_needs::survey_entered(log, self.facts, *inject, from, credit)
            }
            Detect::InquiryAnswered { inject } => super::detect_inquiry::inquiry_answered(log, *inject, from, credit),
        }
    }
}

fn ratings(log: &Log) -> BTreeMap<String, Rating> {
    log.of::<Rated>().map(|(_, _, r)| (r.objective.clone(), r.rating)).collect()
}

fn observations(log: &Log) -> Vec<(Time, String, Observation)> {
    log.of::<Observation>().map(|(at, e, o)| (at, e.actor.clone(), o.clone())).collect()
}

fn plan(log: &Log) -> Vec<PlanItem> {
    let rows: BTreeMap<u32, PlanItem> = log.of::<PlanItem>().map(|(_, _, p)| (p.row, p.clone())).collect();
    rows.into_values().collect()
}

fn metrics(log: &Log, facts: &Facts, now: Time) -> Metrics {
    let reception_by_inject = arrivals(log, facts);
    let all_waits = reception_by_inject.iter().flat_map(|a| waits(log, facts, a.inject)).collect();
    let (lead, never_dispatched) = lead_times(log);
    let needs = needs_to_dispatch(log);
    Metrics {
        reception_wait: Summary::of(all_waits),
        reception_not_checked_in: reception_by_inject.iter().map(|a| a.not_checked_in).sum(),
        reception_by_inject,
        lead_time: Summary::of(lead),
        intake_to_dispatch: Summary::of(needs.iter().filter_map(|n| n.minutes).collect()),
        unmatched_needs: unmatched(log, &needs),
        needs,
        never_dispatched_people: super::headcount::people_of(log, &never_dispatched),
        never_dispatched,
        out_of_stock: out_of_stock(log, now),
        warning_to_suspension: warnings(log, facts),
    }
}

/// The fired injects of `kind`, in firing order.
fn fired_of_kind(facts: &Facts, kind: InjectKind) -> Vec<(u32, Time)> {
    let mut found: Vec<(u32, Time)> =
        facts.fired.iter().filter(|(_, (_, f))| f.kind == kind).map(|(id, (at, _))| (*id, *at)).collect();
    found.sort_by_key(|(id, at)| (*at, *id));
    found
}

/// Minutes from the arrival inject firing to each of its people's check-in
/// (a group's once per member).
fn waits(log: &Log, facts: &Facts, inject: u32) -> Vec<i64> {
    let Some((fired_at, fired)) = facts.fired.get(&inject) else { return Vec::new() };
    super::headcount::waits(log, *fired_at, &fired.volunteer_ids)
}

fn arrivals(log: &Log, facts: &Facts) -> Vec<ArrivalWait> {
    fired_of_kind(facts, InjectKind::VolunteerArrival)
        .into_iter()
        .map(|(inject, _)| {
            let fired = &facts.fired[&inject].1;
            // People, as the inject brought them (a group counts its members).
            let volunteers = usize::try_from(fired.headcount).unwrap_or(0).max(fired.volunteer_ids.len());
            let wait = Summary::of(waits(log, facts, inject));
            ArrivalWait { inject, volunteers, not_checked_in: volunteers.saturating_sub(wait.count), wait }
        })
        .collect()
}

/// Check-in → first team listing the volunteer, and who was never on one.
fn lead_times(log: &Log) -> (Vec<i64>, Vec<String>) {
    // Each volunteer's check-in that still stands (a cancelled one does not count).
    let mut checked_in: BTreeMap<String, Time> = BTreeMap::new();
    for (at, _, p) in &log.entries {
        match p {
            Payload::VolunteerCheckedIn(c) => {
                checked_in.entry(c.volunteer_no.clone()).or_insert(*at);
            }
            Payload::VolunteerCheckInCancelled(c) => {
                checked_in.remove(&c.volunteer_no);
            }
            _ => {}
        }
    }
    let heads = super::headcount::heads_by_number(log);
    let mut lead = Vec::new();
    let mut never = Vec::new();
    for (no, since) in checked_in {
        let on_team = |p: &Payload| p.get::<TeamDispatched>().is_some_and(|d| d.members.contains(&no));
        // A group's lead time counts once per member.
        let people = usize::try_from(heads.get(&no).copied().unwrap_or(1)).unwrap_or(0);
        match log.first_from(since, on_team) {
            Some(at) => lead.extend(std::iter::repeat_n(minutes(since, at), people)),
            None => never.push(no),
        }
    }
    (lead, never)
}

/// A check-in of volunteer `id`.
fn checked_in(payload: &Payload, id: i64) -> bool {
    payload.get::<VolunteerCheckedIn>().is_some_and(|c| c.volunteer_id == id)
}

fn needs_to_dispatch(log: &Log) -> Vec<NeedDispatch> {
    log.of::<NeedReceived>()
        .map(|(received_at, _, received)| {
            let need_no = received.need.need_no.as_str();
            let dispatched_at = log.first_from(received_at, |p| {
                p.get::<TeamDispatched>().is_some_and(|d| d.need_no.as_deref() == Some(need_no))
            });
            NeedDispatch {
                need_no: need_no.to_string(),
                received_at,
                dispatched_at,
                minutes: dispatched_at.map(|d| minutes(received_at, d)),
            }
        })
        .collect()
}

/// The latest status of each need, from every `need.*` event.
pub(crate) fn need_statuses(entries: &[(Time, &Event, Payload)]) -> HashMap<String, NeedStatus> {
    let facts = entries.iter().filter_map(|(_, _, p)| p.need());
    facts.map(|need| (need.need_no.clone(), need.status)).collect()
}

fn unmatched(log: &Log, needs: &[NeedDispatch]) -> Vec<String> {
    let statuses = need_statuses(&log.entries);
    needs
        .iter()
        .filter(|n| n.dispatched_at.is_none())
        .filter(|n| !statuses.get(&n.need_no).is_some_and(|s| s.is_closed()))
        .map(|n| n.need_no.clone())
        .collect()
}

fn out_of_stock(log: &Log, now: Time) -> Vec<StockOut> {
    // Per item: when it ran out (if it is out now), minutes out so far, times it ran out.
    let mut items: BTreeMap<String, (Option<Time>, i64, usize)> = BTreeMap::new();
    for (at, _, p) in &log.entries {
        for (name, stock) in stock_figures(p) {
            let (since, total, times) = items.entry(name.to_string()).or_insert((None, 0, 0));
            match (*since, stock <= 0) {
                (None, true) => {
                    *since = Some(*at);
                    *times += 1;
                }
                (Some(from), false) => {
                    *total += minutes(from, *at);
                    *since = None;
                }
                _ => {}
            }
        }
    }
    items
        .into_iter()
        .filter(|(_, (_, _, times))| *times > 0)
        .map(|(item, (since, total, times))| StockOut {
            item,
            minutes: total + since.map_or(0, |from| minutes(from, now).max(0)),
            times,
            still_out: since.is_some(),
        })
        .collect()
}

fn warnings(log: &Log, facts: &Facts) -> Vec<WarningSuspension> {
    fired_of_kind(facts, InjectKind::WeatherWarning)
        .into_iter()
        .map(|(inject, fired_at)| {
            let suspended_at = log.first_from(fired_at, |p| p.get::<CenterSuspended>().is_some());
            WarningSuspension { inject, fired_at, suspended_at, minutes: suspended_at.map(|s| minutes(fired_at, s)) }
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use chrono::Duration;
    use serde_json::{Value, json};

    use super::*;
    use crate::drill::log::Skipped;
    use crate::events::Cause;
    use crate::events::contract::inventory::{ItemAdjusted, ItemReceived, ItemsLent};
    use crate::events::contract::needs::NeedStatusChanged;

    pub const SCENARIO: &str = r#"
id = "t-rain"
title = "大雨 発災3日後 — 評価の試験"
hazard = "大雨・浸水"
phase_label = "発災3日後"
narrative = "前夜からの大雨で市内の低地が浸水した。"
sim_start = "2026-07-12T08:00:00+09:00"
duration = "6h"
speed = 4

[[objectives]]
id = "O1"
text = "受付開始から30分以内に全員を受け付ける"
target = "30分"

[[objectives]]
id = "O2"
text = "優先度1のニーズに30分以内に班を送る"

[[injects]]
id = 1
at = "+00:00"
kind = "volunteer_arrival"
to = "reception"
payload = { count = 3 }
expect = { text = "全員の受付完了", within = "30m", objective = "O1", detect = { all_checked_in = { inject = 1 } } }

[[injects]]
id = 2
at = "+00:30"
kind = "household_request"
to = "needs"
expect = { text = "30分以内に班を送る", within = "30m", objective = "O2", detect = { need_dispatched = { inject = 2 } } }

[[injects]]
id = 3
at = "+02:00"
kind = "weather_warning"
message = "大雨警報が発表されました"
expect = { text = "活動中止・全班の帰還指示", within = "15m", detect = { suspension_started = {} } }

[[injects]]
id = 4
at = "+03:00"
kind = "team_report"
expect = { text = "班の報告を受ける", within = "20m", detect = { team_returned = { inject = 4 } } }

[[injects]]
id = 5
at = "+01:00"
kind = "situation_update"

[[injects]]
id = 6
at = "+02:20"
kind = "equipment_shortage"
to = "equipment"
expect = { text = "一輪車の在庫を確認する", within = "20m", detect = { stock_adjusted = { item = "一輪車" } } }

[[injects]]
id = 7
at = "+00:10"
kind = "inquiry"
expect = { text = "報道対応を本部につなぐ", objective = "O2" }

[[injects]]
id = 8
after = { inject = 5, delay = "10m" }
kind = "situation_update"

[[injects]]
id = 9
at = "+01:30"
kind = "volunteer_arrival"
to = "reception"
payload = { count = 1 }
"#;

    pub fn scenario() -> Scenario {
        toml::from_str(SCENARIO).expect("the test scenario reads")
    }

    /// Drill time `minute` minutes after 08:00 on the scenario's day.
    pub fn at(minute: i64) -> Time {
        DateTime::parse_from_rfc3339("2026-07-12T08:00:00+09:00").unwrap() + Duration::minutes(minute)
    }

    /// Builds a log one event at a time, with contiguous `seq`.
    #[derive(Default)]
    pub struct Script(pub Vec<Event>);

    impl Script {
        /// An event of `kind` whose data is `data` laid over the kind's blank
        /// payload (a script names only the fields that matter to it).
        pub fn add(&mut self, minute: i64, kind: &str, data: Value) -> &mut Script {
            let mut full = crate::events::contract::kind(kind).expect("a kind of the contract").blank();
            full.as_object_mut().unwrap().extend(data.as_object().unwrap().clone());
            let data = full;
            let seq = self.0.len() as i64 + 1;
            let at = at(minute).to_rfc3339();
            // A firing is the inject's; everything else a player's unless `by` says.
            let cause = if kind == Fired::KIND { Cause::Inject } else { Cause::Player };
            self.0.push(Event {
                seq,
                at,
                actor: "trainee".into(),
                kind: kind.into(),
                subject: None,
                data,
                drill: true,
                cause,
                cause_recorded: true,
            });
            self
        }

        /// The last event was caused by `cause`.
        pub fn by(&mut self, cause: Cause) -> &mut Script {
            self.0.last_mut().expect("an event to attribute").cause = cause;
            self
        }

        pub fn fire(&mut self, minute: i64, inject: u32, kind: InjectKind, extra: Value) -> &mut Script {
            let mut data = json!({
                "inject": inject, "kind": kind, "to": "all", "message": "", "hidden": false,
                "scheduled": at(minute).to_rfc3339(), "by": "schedule", "queued": false,
                "need_id": null, "need_no": null, "team_id": null, "team_no": null, "item_id": null, "item": null,
            });
            data.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            self.add(minute, Fired::KIND, data)
        }

        pub fn check_in(&mut self, minute: i64, id: i64) -> &mut Script {
            let no = format!("V-{id:04}");
            self.add(
                minute,
                VolunteerCheckedIn::KIND,
                json!({ "volunteer_id": id, "volunteer_no": no, "headcount": 1 }),
            )
        }

        pub fn need(&mut self, minute: i64, kind: &str, no: &str, status: &str) -> &mut Script {
            self.add(minute, kind, json!({ "need_no": no, "status": status }))
        }
    }

    /// The morning of the test scenario, up to 10:30 (`now` = minute 150).
    pub fn morning() -> Vec<Event> {
        let mut s = Script::default();
        s.add(0, Started::KIND, json!({}))
            .fire(0, 1, InjectKind::VolunteerArrival, json!({ "volunteer_ids": [101, 102], "headcount": 2 }))
            .fire(10, 7, InjectKind::Inquiry, json!({}))
            .check_in(10, 101)
            .check_in(20, 102)
            .fire(30, 2, InjectKind::HouseholdRequest, json!({ "queued": true }))
            .need(40, NeedReceived::KIND, "N-0001", "received")
            .add(40, CallTaken::KIND, json!({ "inject": 2, "need_id": 1, "need_no": "N-0001" }))
            .need(50, NeedReceived::KIND, "N-0002", "received")
            .need(55, NeedReceived::KIND, "N-0003", "received")
            .need(60, NeedStatusChanged::KIND, "N-0003", "cancelled")
            .add(60, Skipped::KIND, json!({ "inject": 5 }))
            .add(
                75,
                TeamDispatched::KIND,
                json!({ "team_id": 1, "team_no": "T-001", "need_no": "N-0001", "members": ["V-0101"] }),
            )
            .add(
                75,
                ItemsLent::KIND,
                json!({ "team_id": 1, "lines": [{ "item_id": 1, "name": "一輪車", "qty": 2, "stock": 0 }] }),
            )
            .need(75, NeedStatusChanged::KIND, "N-0001", "active")
            .fire(90, 9, InjectKind::VolunteerArrival, json!({ "volunteer_ids": [103], "headcount": 1 }))
            .add(100, ItemReceived::KIND, json!({ "item_id": 1, "name": "一輪車", "qty": 5, "stock": 5 }))
            .fire(120, 3, InjectKind::WeatherWarning, json!({}))
            .fire(140, 6, InjectKind::EquipmentShortage, json!({ "item": "一輪車" }))
            .add(140, ItemAdjusted::KIND, json!({ "item_id": 2, "name": "剣スコップ", "stock": 0 }))
            .add(141, Rated::KIND, json!({ "objective": "O1", "rating": "S" }))
            .add(142, Rated::KIND, json!({ "objective": "O1", "rating": "P" }))
            .add(143, Observation::KIND, json!({ "objective": "O1", "text": "受付の列が玄関の外まで伸びた" }))
            .add(144, PlanItem::KIND, json!({ "row": 2, "issue": "b", "action": "", "owner": "", "due": "" }))
            .add(145, PlanItem::KIND, json!({ "row": 1, "issue": "a", "action": "", "owner": "", "due": "" }))
            .add(146, PlanItem::KIND, json!({ "row": 2, "issue": "b2", "action": "", "owner": "", "due": "" }));
        s.0
    }

    fn status_of(evaluation: &Evaluation, id: u32) -> InjectStatus {
        evaluation.injects.iter().find(|i| i.id == id).unwrap().status
    }

    #[test]
    fn scripted_log_gives_met_late_missed_pending_and_skipped() {
        let evaluation = evaluate(&scenario(), &morning(), at(150));
        let statuses: Vec<(u32, InjectStatus)> = evaluation.injects.iter().map(|i| (i.id, i.status)).collect();
        use InjectStatus::*;
        assert_eq!(
            statuses,
            [
                (1, Met),
                (2, Late),
                (3, Missed),
                (4, Pending),
                (5, Skipped),
                (6, Fired),
                (7, Fired),
                (8, Pending),
                (9, Fired)
            ]
        );
        let first = &evaluation.injects[0];
        assert_eq!((first.detected_at, first.measured_minutes), (Some(at(20)), Some(20)), "the last of the two");
        let second = &evaluation.injects[1];
        assert_eq!(second.measured_minutes, Some(45), "called in at 08:30, team out at 09:15");
        assert_eq!(second.deadline, Some(at(60)));
        assert_eq!(evaluation.injects[3].scheduled, Some(at(180)), "pending: due from the schedule");
        assert_eq!(evaluation.injects[7].scheduled, None, "after a skipped inject: no time");
        assert_eq!(evaluation.started, Some(at(0)));
        assert_eq!(evaluation.stopped, None);
    }

    #[test]
    fn all_checked_in_waits_for_every_volunteer() {
        let mut events = morning();
        let fired = events.iter_mut().find(|e| e.kind == Fired::KIND && e.data["inject"] == 1).unwrap();
        fired.data["volunteer_ids"] = json!([101, 102, 104]);
        let evaluation = evaluate(&scenario(), &events, at(150));
        assert_eq!(status_of(&evaluation, 1), InjectStatus::Missed, "V-0104 never came to the desk");
        assert_eq!(evaluate(&scenario(), &events, at(25)).injects[0].status, InjectStatus::Fired, "not due yet");
    }

    #[test]
    fn a_stopped_drill_turns_what_is_still_open_into_missed() {
        let mut events = morning();
        let mut s = Script(std::mem::take(&mut events));
        s.add(148, Stopped::KIND, json!({ "reason": "trainer" }));
        let evaluation = evaluate(&scenario(), &s.0, at(150));
        assert_eq!(
            status_of(&evaluation, 6),
            InjectStatus::Missed,
            "its 20 minutes had not run out, but the drill ended"
        );
        assert_eq!(status_of(&evaluation, 7), InjectStatus::Fired, "no detect: the trainer judges it");
        assert_eq!(evaluation.stopped, Some(at(148)));
    }

    #[test]
    fn detection_after_the_deadline_is_late_and_before_it_met() {
        let mut s = Script(morning());
        s.add(150, ItemReceived::KIND, json!({ "name": "一輪車", "stock": 7 })).add(
            160,
            CenterSuspended::KIND,
            json!({ "reason": "大雨警報", "recall": [] }),
        );
        let evaluation = evaluate(&scenario(), &s.0, at(170));
        assert_eq!(status_of(&evaluation, 3), InjectStatus::Late);
        assert_eq!(evaluation.injects[2].measured_minutes, Some(40));
        assert_eq!(status_of(&evaluation, 6), InjectStatus::Met);
        assert_eq!(evaluation.injects[5].measured_minutes, Some(10));
        assert_eq!(evaluation.metrics.warning_to_suspension[0].minutes, Some(40));
    }

    #[test]
    fn need_received_in_auto_mode_is_the_injects_own_and_team_returned_follows_the_team() {
        let text = SCENARIO
            .replace("detect = { need_dispatched = { inject = 2 } }", "detect = { need_received = { inject = 2 } }");
        let scenario: Scenario = toml::from_str(&text).unwrap();
        let mut s = Script::default();
        s.fire(30, 2, InjectKind::HouseholdRequest, json!({ "need_id": 9, "need_no": "N-0009" }))
            .fire(180, 4, InjectKind::TeamReport, json!({ "team_id": 7, "team_no": "T-007" }))
            .add(185, TeamReturned::KIND, json!({ "team_id": 6, "team_no": "T-006" }))
            .add(195, TeamReturned::KIND, json!({ "team_id": 7, "team_no": "T-007" }));
        let evaluation = evaluate(&scenario, &s.0, at(200));
        let second = &evaluation.injects[1];
        // Issue 16 §2: the inject entered it itself, which is never the trainees' action.
        assert_eq!(
            (second.status, second.measured_minutes, second.not_credited),
            (InjectStatus::Missed, None, Some(Cause::Inject)),
            "entered as it fired, by the inject"
        );
        let fourth = &evaluation.injects[3];
        assert_eq!((fourth.status, fourth.measured_minutes), (InjectStatus::Met, Some(15)), "T-006 is another team");
    }

    #[test]
    fn metrics_of_the_scripted_morning() {
        let m = evaluate(&scenario(), &morning(), at(150)).metrics;
        assert_eq!(m.reception_wait, Summary { count: 2, median_minutes: Some(15.0), max_minutes: Some(20) });
        assert_eq!(m.reception_not_checked_in, 1, "V-0103 never came to the desk");
        let by_inject: Vec<(u32, usize, usize)> =
            m.reception_by_inject.iter().map(|a| (a.inject, a.volunteers, a.not_checked_in)).collect();
        assert_eq!(by_inject, [(1, 2, 0), (9, 1, 1)]);
        assert_eq!(m.lead_time, Summary { count: 1, median_minutes: Some(65.0), max_minutes: Some(65) });
        assert_eq!(m.never_dispatched, ["V-0102"]);
        assert_eq!(m.never_dispatched_people, 1);
        assert_eq!(m.intake_to_dispatch, Summary { count: 1, median_minutes: Some(35.0), max_minutes: Some(35) });
        assert_eq!(m.needs.len(), 3);
        assert_eq!(m.unmatched_needs, ["N-0002"], "N-0003 was cancelled");
        assert_eq!(
            m.out_of_stock,
            [
                StockOut { item: "一輪車".into(), minutes: 25, times: 1, still_out: false },
                StockOut { item: "剣スコップ".into(), minutes: 10, times: 1, still_out: true },
            ]
        );
        assert_eq!(m.warning_to_suspension.len(), 1);
        assert_eq!((m.warning_to_suspension[0].inject, m.warning_to_suspension[0].minutes), (3, None));
    }

    #[test]
    fn ratings_observations_and_plan_keep_the_latest() {
        let evaluation = evaluate(&scenario(), &morning(), at(150));
        assert_eq!(evaluation.ratings.get("O1"), Some(&Rating::P));
        assert_eq!(evaluation.observations.len(), 1);
        assert_eq!(evaluation.observations[0].1, "trainee");
        let rows: Vec<(u32, &str)> = evaluation.plan.iter().map(|p| (p.row, p.issue.as_str())).collect();
        assert_eq!(rows, [(1, "a"), (2, "b2")]);
    }

    #[test]
    fn summary_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(Summary::of(vec![30, 10, 20, 40]).median_minutes, Some(25.0));
        assert_eq!(Summary::of(vec![]), Summary::default());
    }

    #[test]
    fn a_team_already_out_on_the_need_meets_a_later_dispatch_expectation() {
        let scenario: Scenario = toml::from_str(
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
expect = { text = "優先度1で送り出す", within = "30m", detect = { need_dispatched = { inject = 1 } } }
"#,
        )
        .unwrap();
        let mut out = Script::default();
        out.fire(0, 1, InjectKind::HouseholdRequest, json!({ "need_id": 1, "need_no": "N-0001" }))
            .add(30, TeamDispatched::KIND, json!({ "team_id": 1, "need_no": "N-0001", "members": [] }))
            .fire(60, 2, InjectKind::NeedUpdate, json!({ "need_id": 1, "need_no": "N-0001" }));
        let result = &evaluate(&scenario, &out.0, at(70)).injects[1];
        assert_eq!((result.status, result.measured_minutes), (InjectStatus::Met, Some(0)));

        let mut back = Script::default();
        back.fire(0, 1, InjectKind::HouseholdRequest, json!({ "need_id": 1, "need_no": "N-0001" }))
            .add(30, TeamDispatched::KIND, json!({ "team_id": 1, "need_no": "N-0001", "members": [] }))
            .add(50, TeamReturned::KIND, json!({ "team_id": 1, "need_no": "N-0001" }))
            .fire(60, 2, InjectKind::NeedUpdate, json!({ "need_id": 1, "need_no": "N-0001" }));
        assert_eq!(evaluate(&scenario, &back.0, at(70)).injects[1].status, InjectStatus::Fired, "the team came back");
        assert_eq!(evaluate(&scenario, &back.0, at(95)).injects[1].status, InjectStatus::Missed);
    }
}

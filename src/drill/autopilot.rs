//! The autopilot plays the trainees for unattended runs: it checks arrivals in
//! at the desks' pace (enrolling the uninsured in 当日加入), writes up call
//! slips, forms teams from the suggestion function and sends them with
//! equipment, takes them back after their work, replaces broken stock, and
//! suspends activities some minutes after a warning. It acts through the same
//! domain commands as people, as the user `autopilot`, and keeps their rules:
//! a repeated call is linked as a duplicate (`autopilot_calls`), a cancelled
//! need gets no team and a team on it is called back (`autopilot_cancel`),
//! teams back from work rest and a hurt team stays in (`autopilot_rest`). It
//! answers inquiries with the expected action's words, and while an outage
//! cuts a desk it does that desk's work on paper, entered late once the desk
//! is back (`autopilot_paper`). How fast and how carefully it plays is its
//! skill (`autopilot_skill`).

use std::collections::{HashSet, VecDeque};

use chrono::{DateTime, Duration, FixedOffset};

use super::autopilot_paper::{self, Paper, Sheet};
use super::autopilot_skill::{Decision, Dice, Profile};
use super::desks::Desk;
use super::env::Env;
use super::inject;
use super::log::Fired;
use super::payload::{Mode, Payload};
use super::run::DrillRun;
use super::{autopilot_calls, autopilot_cancel, autopilot_rest};
use crate::clock::Clock;
use crate::dispatch::center::{self, SuspendForm};
use crate::dispatch::send_out::{TeamForm, send_out};
use crate::dispatch::{Outcome, TeamStatus};
use crate::error::{AppError, Class};
use crate::events::{Actor, Event};
use crate::inventory::Loan;
use crate::inventory::ledger::ReceiveForm;
use crate::needs::Category;
use crate::reception::check_in::{CheckInInput, check_in};
use crate::reception::{DayInsurance, Insurance};

/// How quickly the autopilot's trainees work, in drill time.
#[derive(Debug, Clone)]
pub struct Pace {
    /// Reception desks checking people in at once.
    pub desks: u32,
    /// Seconds one desk takes per registration (QR, health check, badge).
    pub check_in_seconds: u32,
    /// A call slip is written up this long after the call.
    pub intake: Duration,
    /// Messages (warnings, reports, shortages) are acted on this long after.
    pub reaction: Duration,
    /// Matching forms teams this often.
    pub matching_every: Duration,
    /// A team works this long, then comes back.
    pub work: Duration,
    /// While suspended, teams are back this long after the suspension.
    pub recall: Duration,
}

impl Default for Pace {
    fn default() -> Pace {
        Pace {
            desks: 4,
            check_in_seconds: 40,
            intake: Duration::minutes(4),
            reaction: Duration::minutes(8),
            matching_every: Duration::minutes(5),
            work: Duration::minutes(150),
            recall: Duration::minutes(30),
        }
    }
}

#[derive(Clone)]
enum Task {
    /// Write up a queued household call.
    TakeCall(u32),
    /// Act on a queued survey result or change.
    Apply(u32),
    /// Take a household's cancellation: call back a team on it, cancel the need.
    Cancel(u32),
    /// A team phoned in: record its return.
    TeamBack {
        team_id: i64,
        outcome: Outcome,
        report: String,
        injury: String,
        injured: Option<i64>,
        severity: Option<crate::dispatch::injury::Severity>,
    },
    Suspend(String),
    /// Borrow replacements for broken stock.
    Replace {
        item_id: i64,
        qty: i64,
    },
    /// Answer a phoned-in inquiry.
    Answer(u32),
}

impl Task {
    /// The desks (screens) the task is done at; none for a phone call or the center's decision.
    fn desks(&self) -> &'static [Desk] {
        match self {
            Task::TakeCall(_) | Task::Apply(_) => &[Desk::Needs],
            Task::Cancel(_) => &[Desk::Needs, Desk::Matching],
            Task::TeamBack { .. } => &[Desk::Matching],
            Task::Replace { .. } => &[Desk::Equipment],
            Task::Suspend(_) | Task::Answer(_) => &[],
        }
    }
}

/// A piece of desk work, as it may wait on paper during an outage.
enum Work {
    CheckIn(i64),
    Task(Task),
    Return { team_id: i64, outcome: Outcome, report: &'static str },
    Send(TeamForm),
}

pub struct Autopilot {
    profile: Profile,
    dice: Dice,
    actor: Actor,
    seen: i64,
    queue: VecDeque<i64>,
    /// Check-ins the desks can do by now (fractions carry over).
    desk_credit: f64,
    last_act: Option<DateTime<FixedOffset>>,
    last_matching: Option<DateTime<FixedOffset>>,
    tasks: Vec<(DateTime<FixedOffset>, Task)>,
    /// Calls whose cancellation came and is not yet taken: nobody is sent to them.
    cancelling: HashSet<u32>,
    /// Work done on paper while its desk was offline, entered once it is back.
    paper: Paper<Work>,
}

impl Autopilot {
    /// Plays `scenario_id` at `profile`'s skill; the same id plays the same way every run.
    pub fn new(profile: Profile, scenario_id: &str) -> Autopilot {
        Autopilot {
            profile,
            dice: Dice::for_scenario(scenario_id),
            actor: Actor::autopilot(),
            seen: 0,
            queue: VecDeque::new(),
            desk_credit: 0.0,
            last_act: None,
            last_matching: None,
            tasks: Vec::new(),
            cancelling: HashSet::new(),
            paper: Paper::default(),
        }
    }

    /// One turn: take in what happened, then do what is due by now.
    pub async fn act(&mut self, run: &DrillRun) -> Result<(), AppError> {
        let env = &run.env;
        let now = env.clock.now();
        let events = run.events_after(self.seen).await?;
        self.take_in(run, &events, now);
        self.enter_paper(run, now).await;
        self.check_in_arrivals(env, now).await?;
        self.do_tasks(run, now).await?;
        let suspended = crate::dispatch::center_state(&env.db.read).await?.suspended;
        self.bring_back(env, now, suspended).await?;
        if !suspended && self.last_matching.is_none_or(|t| now - t >= self.pace().matching_every) {
            self.last_matching = Some(now);
            self.match_teams(env).await?;
        }
        self.last_act = Some(now);
        Ok(())
    }

    fn take_in(&mut self, run: &DrillRun, events: &[Event], now: DateTime<FixedOffset>) {
        for event in events.iter().filter(|e| e.seq > self.seen) {
            let Some(fired) = crate::events::decoded::<Fired>(event) else { continue };
            self.paper.saw(event, &fired);
            let Some(payload) = run.payload(fired.inject) else { continue };
            let queued = payload.mode() == Mode::Queued;
            let (after, task) = match payload {
                Payload::VolunteerArrival(_) => {
                    self.queue.extend(&fired.volunteer_ids);
                    continue;
                }
                Payload::HouseholdRequest(_) if queued => (self.pace().intake, Task::TakeCall(fired.inject)),
                Payload::SurveyResult(_) | Payload::NeedUpdate(_) if queued => {
                    (self.pace().reaction, Task::Apply(fired.inject))
                }
                Payload::NeedCancel(cancel) if queued => {
                    if self.forgets(fired.inject) {
                        continue;
                    }
                    self.cancelling.insert(cancel.request);
                    (self.pace().reaction, Task::Cancel(fired.inject))
                }
                Payload::TeamReport(report) if queued => match fired.team_id {
                    Some(team_id) => (
                        self.pace().reaction,
                        Task::TeamBack {
                            team_id,
                            outcome: report.outcome,
                            report: report.report.clone(),
                            injury: report.injury.clone(),
                            injured: report.injured,
                            severity: report.severity,
                        },
                    ),
                    None => continue,
                },
                Payload::WeatherWarning(_) => (self.pace().reaction, Task::Suspend(fired.message.clone())),
                Payload::EquipmentShortage(shortage) => match fired.item_id {
                    Some(item_id) => (self.pace().reaction, Task::Replace { item_id, qty: shortage.qty }),
                    None => continue,
                },
                // A hidden inquiry is the controllers' material: it never reached the desks.
                Payload::Inquiry(_) if !fired.hidden => (self.pace().reaction, Task::Answer(fired.inject)),
                _ => continue,
            };
            // Call slips wait on the desk's list until written up and a team on the
            // phone is a conversation; a message on the screen can be missed (a
            // cancellation was weighed above, before it held its need back).
            let missable = !matches!(task, Task::TakeCall(_) | Task::Cancel(_) | Task::TeamBack { .. });
            if missable && self.forgets(fired.inject) {
                continue;
            }
            let after = self.dice.lagged(after, self.profile.slips.lag, fired.inject);
            self.tasks.push((now + after, task));
        }
        self.seen = events.last().map_or(self.seen, |e| e.seq);
    }

    fn pace(&self) -> &Pace {
        &self.profile.pace
    }

    /// Whether this skill's desk never acts on inject `id`'s message.
    fn forgets(&self, id: u32) -> bool {
        self.dice.slips(self.profile.slips.forgets, Decision::Forget, id)
    }

    async fn check_in_arrivals(&mut self, env: &Env, now: DateTime<FixedOffset>) -> Result<(), AppError> {
        let elapsed = self.last_act.map_or(0, |t| (now - t).num_seconds().max(0));
        if self.queue.is_empty() {
            self.desk_credit = 0.0;
            return Ok(());
        }
        self.desk_credit += elapsed as f64 * f64::from(self.pace().desks) / f64::from(self.pace().check_in_seconds);
        while self.desk_credit >= 1.0 {
            let Some(id) = self.queue.pop_front() else { break };
            self.desk_credit -= 1.0;
            match self.paper.cut(&[Desk::Reception], now) {
                Some(desk) => self.paper.hold(desk, now, Work::CheckIn(id)),
                None => self.check_in_one(env, id).await?,
            }
        }
        Ok(())
    }

    async fn check_in_one(&self, env: &Env, volunteer_id: i64) -> Result<(), AppError> {
        let mut conn = env.db.read.acquire().await?;
        let volunteer = crate::reception::volunteer(&mut *conn, volunteer_id, env.clock.activity_day()).await?;
        drop(conn);
        let uninsured = volunteer.as_ref().is_some_and(|v| v.insurance == Insurance::None);
        let input = CheckInInput {
            volunteer_id: Some(volunteer_id),
            health_ok: true,
            insurance: uninsured.then_some(DayInsurance::EnrolledAtDesk),
            insurance_plan: uninsured.then(|| "天災タイプ".to_string()),
            insurance_fee_yen: uninsured.then_some(500),
            ..CheckInInput::default()
        };
        match check_in(&env.db, &env.clock, &self.actor, input).await {
            // Already in (checked in by a trainee): nothing to do.
            Err(e) if e.status == Class::Conflict => Ok(()),
            other => other.map(|_| ()),
        }
    }

    async fn do_tasks(&mut self, run: &DrillRun, now: DateTime<FixedOffset>) -> Result<(), AppError> {
        let (due, later): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.tasks).into_iter().partition(|(at, _)| *at <= now);
        self.tasks = later;
        for (_, task) in due {
            if let Some(desk) = self.paper.cut(task.desks(), now) {
                self.paper.hold(desk, now, Work::Task(task));
                continue;
            }
            if let Err(error) = self.do_task(run, task).await {
                // A trainee would shrug and move on (the need was closed meanwhile…).
                tracing::debug!(error = %error.message.en, "autopilot task refused");
            }
        }
        Ok(())
    }

    async fn do_task(&self, run: &DrillRun, task: Task) -> Result<(), AppError> {
        let env = &run.env;
        match task {
            Task::TakeCall(id) => {
                let Some(Payload::HouseholdRequest(call)) = run.payload(id) else { return Ok(()) };
                let recognises = !self.dice.slips(self.profile.slips.misses_duplicate, Decision::Duplicate, id);
                autopilot_calls::take_call(env, &self.actor, id, call, recognises).await?;
            }
            Task::Cancel(id) => {
                let (Some(inject), Some(payload)) = (run.inject(id), run.payload(id)) else { return Ok(()) };
                autopilot_cancel::take_cancellation(env, &self.actor, inject, payload).await?;
            }
            Task::Apply(id) => {
                let (Some(inject), Some(payload)) = (run.inject(id), run.payload(id)) else { return Ok(()) };
                inject::apply(env, &self.actor, inject, payload).await?;
            }
            Task::TeamBack { team_id, outcome, report, injury, injured, severity } => {
                let hurt = inject::Hurt { injury: &injury, injured, severity };
                inject::return_team_hurt(env, &self.actor, team_id, outcome, &report, hurt).await?;
            }
            Task::Suspend(reason) => {
                let reason = if reason.is_empty() { "気象警報".to_string() } else { reason };
                center::suspend(&env.db, &env.clock, &self.actor, SuspendForm { reason }).await?;
            }
            Task::Replace { item_id, qty } => {
                let note = Some("近隣の社協から借用（自動操縦）".to_string());
                crate::inventory::ledger::receive(&env.db, &env.clock, &self.actor, item_id, ReceiveForm { qty, note })
                    .await?;
            }
            Task::Answer(id) => {
                // Answers the way the expected action describes, else as a desk without a script would.
                let expected = run.inject(id).and_then(|i| i.expect.as_ref()).map(|e| e.text.trim());
                let answer = expected.filter(|t| !t.is_empty()).unwrap_or("担当者から折り返すと伝えた（自動操縦）");
                run.answer(&self.actor, id, answer).await?;
            }
        }
        Ok(())
    }

    /// Enters the paper of the desks that are back, each sheet a late entry with its paper time.
    async fn enter_paper(&mut self, run: &DrillRun, now: DateTime<FixedOffset>) {
        for sheet in self.paper.back(now) {
            let work = self.do_work(run, &sheet);
            if let Err(error) = autopilot_paper::enter(&run.env, &self.actor, &sheet, work).await {
                tracing::debug!(error = %error.message.en, "autopilot paper not entered");
            }
        }
    }

    async fn do_work(&self, run: &DrillRun, sheet: &Sheet<Work>) -> Result<(), AppError> {
        let env = &run.env;
        match &sheet.work {
            Work::CheckIn(id) => self.check_in_one(env, *id).await,
            Work::Task(task) => self.do_task(run, task.clone()).await,
            Work::Return { team_id, outcome, report } => {
                inject::return_team(env, &self.actor, *team_id, *outcome, report, "").await.map(|_| ())
            }
            Work::Send(form) => {
                let zones = env.zones.current();
                send_out(&env.db, &env.clock, &zones, &self.actor, form.clone()).await.map(|_| ())
            }
        }
    }

    /// Teams come back after their work, or soon after a suspension.
    async fn bring_back(&mut self, env: &Env, now: DateTime<FixedOffset>, suspended: bool) -> Result<(), AppError> {
        let mut conn = env.db.read.acquire().await?;
        let out = crate::dispatch::list(&mut conn, Some(TeamStatus::Dispatched), None, now).await?;
        let since = crate::dispatch::center_state(&mut *conn).await?.since;
        drop(conn);
        let recalled_by = since.and_then(|s| DateTime::parse_from_rfc3339(&s).ok()).map(|s| s + self.pace().recall);
        for team in out {
            let Ok(left) = DateTime::parse_from_rfc3339(&team.departed_at) else { continue };
            let outcome = if suspended && recalled_by.is_some_and(|by| now >= by) {
                Outcome::Cancelled
            } else if now - left >= self.pace().work {
                Outcome::Done
            } else {
                continue;
            };
            let report =
                if outcome == Outcome::Done { "作業完了（自動操縦）" } else { "活動中止により帰着" };
            if let Some(desk) = self.paper.cut(&[Desk::Matching], now) {
                let on_paper =
                    self.paper.held().any(|w| matches!(w, Work::Return { team_id, .. } if *team_id == team.id));
                if !on_paper {
                    self.paper.hold(desk, now, Work::Return { team_id: team.id, outcome, report });
                }
                continue;
            }
            if let Err(error) = inject::return_team(env, &self.actor, team.id, outcome, report, "").await {
                tracing::debug!(error = %error.message.en, "autopilot return refused");
            }
        }
        Ok(())
    }

    /// Sends a team for each suggestion, with the tools its work needs while
    /// they last; nobody resting or hurt, and nobody to a need being cancelled.
    async fn match_teams(&mut self, env: &Env) -> Result<(), AppError> {
        let mut kept_in = autopilot_rest::kept_in(env).await?;
        let mut cancelling = autopilot_cancel::needs_of(env, &self.cancelling).await?;
        // Teams already formed on paper are nobody's to form again.
        for work in self.paper.held() {
            if let Work::Send(form) = work {
                kept_in.extend(form.leader_id.iter().chain(&form.member_ids));
                cancelling.extend(form.need_id);
            }
        }
        let mut conn = env.db.read.acquire().await?;
        let day = env.clock.activity_day();
        let suggestions =
            crate::dispatch::suggestions::for_today_leaving_out(&mut conn, day, &kept_in, &cancelling).await?;
        let mut stock: Vec<(i64, String, i64)> =
            crate::inventory::items(&mut *conn).await?.into_iter().map(|i| (i.id, i.name, i.stock)).collect();
        let mut needs = Vec::new();
        for s in &suggestions {
            needs.push(crate::needs::need(&mut *conn, s.need_id).await?);
        }
        drop(conn);
        let zones = env.zones.current();
        for (suggestion, need) in suggestions.into_iter().zip(needs) {
            if suggestion.headcount == 0 {
                continue;
            }
            let categories = need.map(|n| n.categories).unwrap_or_default();
            let loans = tools(&categories, suggestion.headcount, &mut stock);
            let form = TeamForm {
                need_id: Some(suggestion.need_id),
                leader_id: Some(suggestion.leader_id),
                member_ids: suggestion.member_ids,
                loans,
                // Plays the coordinator, who sends the suggested team as it is.
                confirm_minor_heavy_work: true,
                // The autopilot stands in for a coordinator who accepts a late or short dispatch.
                override_short_time: true,
                override_last_dispatch: true,
                ..TeamForm::default()
            };
            let now = env.clock.now();
            if let Some(desk) = self.paper.cut(&[Desk::Matching], now) {
                self.paper.hold(desk, now, Work::Send(form));
                continue;
            }
            if let Err(error) = send_out(&env.db, &env.clock, &zones, &self.actor, form).await {
                tracing::debug!(error = %error.message.en, "autopilot dispatch refused");
            }
        }
        Ok(())
    }
}

/// What a team of `people` takes for its work, from what is left in `stock`.
fn tools(categories: &[Category], people: i64, stock: &mut [(i64, String, i64)]) -> Vec<Loan> {
    let mut wanted: Vec<(&str, i64)> = vec![("軍手", people)];
    for category in categories {
        match category {
            Category::Mud | Category::UnderFloor => {
                wanted.extend([("剣スコップ", people.min(4)), ("一輪車", 1), ("土のう袋", 20), ("手箕", 2)])
            }
            Category::Belongings | Category::Debris => wanted.extend([("一輪車", 1), ("ブルーシート", 2)]),
            Category::Cleaning => wanted.extend([("デッキブラシ", 2), ("ほうき", 2)]),
            Category::Other => {}
        }
    }
    let mut loans: Vec<Loan> = Vec::new();
    for (name, qty) in wanted {
        let Some(item) = stock.iter_mut().find(|(_, n, _)| n == name) else { continue };
        let already = loans.iter().find(|l| l.item_id == item.0).map_or(0, |l| l.qty);
        let qty = qty.min(item.2) - already.min(qty);
        if qty <= 0 {
            continue;
        }
        item.2 -= qty;
        match loans.iter_mut().find(|l| l.item_id == item.0) {
            Some(line) => line.qty += qty,
            None => loans.push(Loan { item_id: item.0, qty }),
        }
    }
    loans
}

/// Runs a drill as fast as it goes: a drill minute at a time on a manual
/// clock, the run's step then the autopilot's turn, until the run ends.
/// `each_minute` hears the drill minutes done (for a progress bar).
pub async fn run_fast(
    run: &DrillRun,
    clock: &Clock,
    profile: Profile,
    mut each_minute: impl FnMut(i64),
) -> Result<(), AppError> {
    let mut pilot = Autopilot::new(profile, &run.scenario.id);
    let (start, _) = super::schedule::window(&run.scenario);
    run.start(&Actor::autopilot()).await?;
    loop {
        run.step().await?;
        if run.state() == super::run::RunState::Finished {
            return Ok(());
        }
        pilot.act(run).await?;
        clock.advance(Duration::minutes(1));
        each_minute((clock.now() - start).num_minutes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn teams_take_the_tools_their_work_needs_while_stock_lasts() {
        let mut stock =
            vec![(1, "剣スコップ".to_string(), 5), (2, "一輪車".to_string(), 1), (3, "軍手".to_string(), 100)];
        let first = tools(&[Category::Mud], 6, &mut stock);
        assert_eq!(first, vec![Loan { item_id: 3, qty: 6 }, Loan { item_id: 1, qty: 4 }, Loan { item_id: 2, qty: 1 }]);
        let second = tools(&[Category::Mud, Category::Debris], 3, &mut stock);
        assert_eq!(second, vec![Loan { item_id: 3, qty: 3 }, Loan { item_id: 1, qty: 1 }], "no wheelbarrow left");
    }
}

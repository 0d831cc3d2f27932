//! Firing an inject: it acts through the same domain commands people use
//! (volunteers pre-register and arrive, a household's need is entered, stock
//! is found broken, a team's return is recorded), or leaves a message or call
//! slip for trainees; then `drill.inject_fired` records what it did.

use chrono::{DateTime, FixedOffset};
use serde_json::json;

use super::env::Env;
use super::log::{Fired, FiredBy, Shortfall, ShortfallWhy};
use super::payload::{Call, Mode, Payload};
use super::scenario::Inject;
use super::{links, people};
use crate::clock::stamp;
use crate::dispatch::TeamStatus;
use crate::dispatch::injury::Severity;
use crate::dispatch::report::ReturnForm;
use crate::dispatch::send_out::TeamsOnNeeds;
use crate::error::AppError;
use crate::events::Actor;
use crate::i18n::{Lang, Phrase};
use crate::inventory::ReturnLine;
use crate::inventory::ledger::{ReceiveForm, WriteOffForm, WriteOffKind};
use crate::needs::edit::NeedPatch;
use crate::needs::intake::Intake;
use crate::needs::{Status, Survey};
use crate::reception::form::Channel;
use crate::reception::register::{Registered, register};

/// The actor of everything an inject does.
pub fn actor() -> Actor {
    Actor::inject()
}

pub async fn fire(
    env: &Env,
    inject: &Inject,
    payload: &Payload,
    by: FiredBy,
    scheduled: Option<DateTime<FixedOffset>>,
) -> Result<Fired, AppError> {
    let mut fired = blank(inject, payload, by, scheduled);
    fired.outage = super::outage::cut(inject, payload, env.clock.now());
    let auto = payload.mode() == Mode::Auto;
    if let Err(error) = act(env, &actor(), inject.id, payload, &mut fired, auto).await {
        // The inject still happened: the trainer sees why the system could not take it.
        tracing::warn!(inject = inject.id, error = %error.message.en, "inject could not act");
        fired.note = Some(error.message.ja.to_string());
        fired.shortfall.get_or_insert(Shortfall { asked: 1, done: 0, why: ShortfallWhy::Refused });
    }
    let mut tx = env.db.begin_write().await?;
    tx.append(&env.clock, &actor(), Some(format!("inject:{}", inject.id)), &fired).await?;
    tx.commit().await?;
    Ok(fired)
}

/// What an inject records before it acts.
fn blank(inject: &Inject, payload: &Payload, by: FiredBy, scheduled: Option<DateTime<FixedOffset>>) -> Fired {
    Fired {
        inject: inject.id,
        kind: inject.kind,
        to: inject.to,
        message: if inject.message.is_empty() {
            default_message(payload).say(Lang::Ja)
        } else {
            inject.message.clone()
        },
        hidden: inject.hidden,
        scheduled: scheduled.map(stamp),
        by,
        queued: payload.mode() == Mode::Queued,
        volunteer_ids: Vec::new(),
        headcount: 0,
        need_id: None,
        need_no: None,
        team_id: None,
        team_no: None,
        item_id: None,
        item: None,
        note: None,
        outage: None,
        shortfall: None,
    }
}

/// Does what a queued inject asks, as a trainee would (the autopilot).
pub async fn apply(env: &Env, by: &Actor, inject: &Inject, payload: &Payload) -> Result<(), AppError> {
    let mut fired = blank(inject, payload, FiredBy::Trainer, None);
    act(env, by, inject.id, payload, &mut fired, true).await
}

/// `auto`: enter it into the system; otherwise it is a message or call slip
/// (arrivals and equipment act either way).
async fn act(env: &Env, by: &Actor, id: u32, payload: &Payload, fired: &mut Fired, auto: bool) -> Result<(), AppError> {
    if let Some(request) = payload.request()
        && let Some((need_id, need_no)) = links::need_of(&env.db.read, request).await?
    {
        fired.need_id = Some(need_id);
        fired.need_no = Some(need_no);
    }
    match payload {
        Payload::VolunteerArrival(arrival) => {
            let today = env.clock.activity_day();
            let forms = people::forms(id, arrival, today);
            let asked: i64 = forms.iter().map(|f| f.group_size.unwrap_or(1)).sum();
            let mut group = 0;
            for form in forms {
                let headcount = form.group_size.unwrap_or(1);
                let insurance = form.insurance;
                let registered = register(&env.db, &env.clock, by, form, Channel::Public).await.inspect_err(|_| {
                    fired.shortfall = Some(Shortfall { asked, done: fired.headcount, why: ShortfallWhy::Refused });
                })?;
                let volunteer = match registered {
                    Registered::Created { volunteer, .. } | Registered::Existing(volunteer) => volunteer,
                };
                fired.volunteer_ids.push(volunteer.id);
                fired.headcount += headcount;
                if volunteer.kind == crate::reception::VolunteerKind::Group {
                    // Its minors by name, at the desk; the group's head count already holds them.
                    let no = &volunteer.volunteer_no;
                    for member in super::arrival_groups::minors(id, arrival, group, no, insurance, today) {
                        let member = match register(&env.db, &env.clock, by, member, Channel::WalkIn).await? {
                            Registered::Created { volunteer, .. } | Registered::Existing(volunteer) => volunteer,
                        };
                        fired.volunteer_ids.push(member.id);
                    }
                    group += 1;
                }
            }
        }
        Payload::HouseholdRequest(call) if auto => {
            let need = enter_call(env, by, call).await?;
            fired.need_id = Some(need.0);
            fired.need_no = Some(need.1);
        }
        Payload::SurveyResult(survey) if auto => {
            let findings = Survey {
                surveyor: survey.surveyor.clone(),
                surveyed_at: String::new(),
                findings: survey.findings.clone(),
                hazards: survey.hazards.clone(),
            };
            let mut patch = NeedPatch { survey: Some(findings), ..NeedPatch::default() };
            if let Some(people) = survey.people {
                patch.fields.insert("people_needed".into(), json!(people));
            }
            edit_need(env, by, fired.need_id, patch).await?;
        }
        Payload::NeedUpdate(change) if auto => {
            let mut patch = NeedPatch::default();
            for (field, value) in [
                ("priority", change.priority.map(|p| json!(p))),
                ("people_needed", change.people.map(|p| json!(p))),
                ("notes", change.notes.as_ref().map(|n| json!(n))),
            ] {
                if let Some(value) = value {
                    patch.fields.insert(field.into(), value);
                }
            }
            edit_need(env, by, fired.need_id, patch).await?;
        }
        Payload::NeedCancel(cancel) if auto => {
            let patch = NeedPatch {
                status: Some(Status::Cancelled),
                reason: Some(cancel.reason.clone()),
                ..NeedPatch::default()
            };
            edit_need(env, by, fired.need_id, patch).await?;
        }
        Payload::TeamReport(report) => {
            let team = match fired.need_id {
                Some(need) => links::team_on_need(&env.db.read, need).await?,
                None => None,
            };
            let team = match team {
                Some(team) => Some(team),
                None if report.request.is_none() => links::longest_out(&env.db.read).await?,
                None => None,
            };
            if let Some((team_id, team_no)) = team {
                fired.team_id = Some(team_id);
                fired.team_no = Some(team_no);
                if auto {
                    let hurt = Hurt { injury: &report.injury, injured: report.injured, severity: report.severity };
                    return_team_hurt(env, by, team_id, report.outcome, &report.report, hurt).await?;
                }
            } else {
                fired.shortfall = Some(Shortfall { asked: 1, done: 0, why: ShortfallWhy::NoTeamOut });
            }
        }
        Payload::EquipmentShortage(shortage) => {
            let item = links::item_named(&env.db.read, &shortage.item).await?;
            fired.item_id = Some(item.id);
            fired.item = Some(item.name.clone());
            let qty = shortage.qty.min(item.stock).max(0);
            if qty < shortage.qty {
                fired.shortfall = Some(Shortfall { asked: shortage.qty, done: qty, why: ShortfallWhy::StockShort });
            }
            if qty > 0 {
                let form = WriteOffForm { qty, kind: Some(WriteOffKind::Damaged), reason: shortage.reason.clone() };
                crate::inventory::ledger::write_off(&env.db, &env.clock, by, item.id, form).await?;
            }
        }
        Payload::EquipmentReturn(back) => {
            let item = links::item_named(&env.db.read, &back.item).await?;
            fired.item_id = Some(item.id);
            fired.item = Some(item.name.clone());
            let note = (!back.from.is_empty()).then(|| back.from.clone());
            crate::inventory::ledger::receive(&env.db, &env.clock, by, item.id, ReceiveForm { qty: back.qty, note })
                .await?;
        }
        _ => {}
    }
    Ok(())
}

/// A household's call written up as a need card. Returns (id, number).
pub async fn enter_call(env: &Env, by: &Actor, call: &Call) -> Result<(i64, String), AppError> {
    let zones = env.zones.current();
    match crate::needs::intake::receive(&env.db, &env.clock, &zones, by, &super::calls::CallSlips, call.to_form())
        .await?
    {
        Intake::Saved(need) => Ok((need.id, need.need_no)),
        Intake::LikelyDuplicates(_) => unreachable!("drill calls are entered with force_new"),
    }
}

async fn edit_need(env: &Env, by: &Actor, need: Option<i64>, mut patch: NeedPatch) -> Result<(), AppError> {
    let Some(need) = need else {
        return Err(AppError::conflict(crate::i18n::Text::new(
            "このニーズはまだ受け付けられていません。",
            "That need has not been entered yet.",
        )));
    };
    let current = crate::needs::need(&mut *env.db.read.acquire().await?, need).await?;
    patch.version = current.map(|n| n.version);
    let zones = env.zones.current();
    crate::needs::edit::edit(&env.db, &env.clock, &zones, by, &TeamsOnNeeds, need, patch).await?;
    Ok(())
}

/// Records a team's return with everything it took coming back.
pub async fn return_team(
    env: &Env,
    by: &Actor,
    team_id: i64,
    outcome: crate::dispatch::Outcome,
    report: &str,
    injury: &str,
) -> Result<(), AppError> {
    return_team_hurt(env, by, team_id, outcome, report, Hurt { injury, ..Hurt::default() }).await
}

/// The safety part of a return a scenario writes: what happened, how many, how bad.
#[derive(Debug, Default, Clone, Copy)]
pub struct Hurt<'a> {
    pub injury: &'a str,
    pub injured: Option<i64>,
    pub severity: Option<Severity>,
}

/// [`return_team`], with the injury as a real 活動報告 gives it: the team
/// keeps the description, the log an `incident.reported` with the count and severity.
pub async fn return_team_hurt(
    env: &Env,
    by: &Actor,
    team_id: i64,
    outcome: crate::dispatch::Outcome,
    report: &str,
    hurt: Hurt<'_>,
) -> Result<(), AppError> {
    let injury = hurt.injury;
    let mut conn = env.db.read.acquire().await?;
    let Some(team) = crate::dispatch::team(&mut conn, team_id, env.clock.now()).await? else {
        return Ok(());
    };
    if team.status != TeamStatus::Dispatched {
        return Ok(());
    }
    let out = crate::inventory::loans::outstanding(&mut *conn, team_id).await?;
    drop(conn);
    let returns =
        out.iter().map(|line| ReturnLine { item_id: line.item_id, returned: line.qty, lost: 0, damaged: 0 }).collect();
    let form = ReturnForm {
        version: Some(team.version),
        outcome: Some(outcome),
        report: report.to_string(),
        injury: injury.to_string(),
        // Hurt: not 「全員無事」, as the paper report would say; nothing said otherwise.
        all_safe: (!injury.trim().is_empty()).then_some(false),
        injured: hurt.injured.filter(|_| !injury.trim().is_empty()),
        severity: hurt.severity.filter(|_| !injury.trim().is_empty()),
        returns,
        ..ReturnForm::default()
    };
    let zones = env.zones.current();
    crate::dispatch::report::return_team(&env.db, &env.clock, &zones, by, team_id, form).await?;
    Ok(())
}

/// What trainees are told when the scenario gives no message, as a phrase the
/// reader's language says (the event log keeps it in Japanese).
pub fn default_message(payload: &Payload) -> Phrase {
    match payload {
        Payload::VolunteerArrival(a) if a.groups > 0 => Phrase::new(
            "js.drill.said.arrival_with_groups",
            [("count", a.count.to_string()), ("groups", a.groups.to_string())],
        ),
        Payload::VolunteerArrival(a) => Phrase::new("js.drill.said.arrival", [("count", a.count.to_string())]),
        Payload::HouseholdRequest(call) => match &call.zone {
            Some(zone) => Phrase::new("js.drill.said.call_from_zone", [("zone", zone.clone())]),
            None => Phrase::new("js.drill.said.call", []),
        },
        Payload::SurveyResult(_) => Phrase::new("js.drill.said.survey", []),
        Payload::NeedUpdate(_) => Phrase::new("js.drill.said.need_update", []),
        Payload::NeedCancel(c) => Phrase::new("js.drill.said.need_cancel", [("reason", c.reason.clone())]),
        Payload::TeamReport(r) if !r.injury.is_empty() => {
            Phrase::new("js.drill.said.team_injury", [("injury", r.injury.clone())])
        }
        Payload::TeamReport(_) => Phrase::new("js.drill.said.team_report", []),
        Payload::EquipmentShortage(s) => {
            Phrase::new("js.drill.said.shortage", [("item", s.item.clone()), ("qty", s.qty.to_string())])
        }
        Payload::EquipmentReturn(b) => {
            Phrase::new("js.drill.said.equipment_back", [("item", b.item.clone()), ("qty", b.qty.to_string())])
        }
        Payload::WeatherWarning(w) if !w.warning.is_empty() => {
            Phrase::new("js.drill.said.named_warning", [("warning", w.warning.clone())])
        }
        Payload::WeatherWarning(_) => Phrase::new("js.drill.said.warning", []),
        Payload::Inquiry(i) => {
            Phrase::new("js.drill.said.inquiry", [("caller", i.caller.clone()), ("question", i.question.clone())])
        }
        Payload::IctOutage(o) => Phrase::new("js.drill.said.ict_outage", [("device", o.device.clone())]),
        Payload::SituationUpdate(_) => Phrase::new("js.drill.said.situation", []),
    }
}

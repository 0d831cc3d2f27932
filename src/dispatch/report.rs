//! 帰着と活動報告: a team comes back. The leader's report, as the paper
//! 活動報告 has it (完了 / 継続 / 中止, 帰着人数 and 「全員無事」, 作業時間, what
//! was done, new needs found, any injury) and the equipment counted back
//! against what was lent — a durable tool not returned must be recorded as
//! lost or damaged first. The need moves on; members are free again. Fewer
//! back than left raises the board's alert (`headcount`).
//! Events `team.returned`, `team.headcount_short`, `incident.reported`, and
//! the need's and the ledger's.

use serde::Deserialize;
use serde_json::json;

use super::headcount;
use super::injury::{Safety, SafetyForm, Severity};
use super::model::{Outcome, Team, TeamStatus};
use super::store::{self, Returned};
use crate::clock::{Clock, stamp};
use crate::db::Db;
use crate::error::AppError;
use crate::events::Actor;
use crate::events::contract::dispatch::{IncidentReported, TeamReturned};
use crate::events::contract::wire;
use crate::fields::{invalid, optional_text};
use crate::i18n::Text;
use crate::inventory::{self as ledger, ReturnLine};
use crate::needs::form::NeedForm;
use crate::needs::intake::{Intake, receive_in};
use crate::needs::{ReceivedVia, Status};
use crate::zones::ZoneIndex;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReturnForm {
    /// The team's version, as read.
    #[schema(required = true, value_type = i64)]
    pub version: Option<i64>,
    /// `done` 完了, `continue` 継続, `cancelled` 中止
    #[schema(required = true, value_type = Outcome)]
    pub outcome: Option<Outcome>,
    /// 作業時間 in minutes (default: from departure until now).
    pub minutes: Option<i64>,
    /// 活動報告: what was done, what is left.
    pub report: String,
    /// 帰着人数: people back at the center (default: everyone who left). Fewer
    /// than left raises an alert on the board until a coordinator resolves it.
    #[schema(value_type = Option<i64>, minimum = 0)]
    pub back: Option<i64>,
    /// 「全員無事」: nobody hurt. `true` with an injury described, or `false`
    /// without one, is refused; the page always sends it.
    pub all_safe: Option<bool>,
    /// けが・事故: what happened, empty when none (stays on the team, never in the log).
    pub injury: String,
    /// けが・事故: people hurt (0 to the team's head count).
    #[schema(value_type = Option<i64>, minimum = 0)]
    pub injured: Option<i64>,
    /// けが・事故: how bad.
    pub severity: Option<Severity>,
    /// 新たなニーズ found on site: need cards (received via 訪問 unless said).
    pub new_needs: Vec<NeedForm>,
    /// 資機材の返却: per item lent, how many came back, lost and damaged.
    pub returns: Vec<ReturnLine>,
    /// The members go home now (退所) instead of back to the waiting pool.
    pub check_out: bool,
}

fn not_found() -> AppError {
    AppError::not_found(Text::new("該当する班が見つかりません。", "No such team."))
}

pub async fn return_team(
    db: &Db,
    clock: &Clock,
    zones: &ZoneIndex,
    actor: &Actor,
    team_id: i64,
    form: ReturnForm,
) -> Result<Team, AppError> {
    let version = form
        .version
        .ok_or_else(|| invalid("version", "版（version）が必要です。", "version is required: the version you read."))?;
    let outcome = form.outcome.ok_or_else(|| {
        invalid(
            "outcome",
            "活動結果（完了・継続・中止）を選んでください。",
            "outcome is required: done, continue or cancelled.",
        )
    })?;
    let report = optional_text("report", Some(&form.report), "活動報告", 2000)?.unwrap_or_default();
    let now = clock.now();
    let mut tx = db.begin_write().await?;
    let team = store::team(tx.conn(), team_id, now).await?.ok_or_else(not_found)?;
    if team.status == TeamStatus::Returned {
        return Err(AppError::conflict(Text::new(
            format!("{} はすでに帰着しています。", team.team_no),
            format!("{} has already returned.", team.team_no),
        ))
        .coded("already_returned"));
    }
    if team.version != version {
        return Err(AppError::conflict(Text::new(
            format!("{} は他の人が先に更新しました。読み込み直してください。", team.team_no),
            format!("{} was changed by somebody else. Reload it.", team.team_no),
        ))
        .coded("stale_version")
        .with_details(json!({ "current_version": team.version })));
    }
    let back = match form.back {
        None => team.headcount,
        Some(n) if (0..=team.headcount).contains(&n) => n,
        Some(_) => {
            return Err(invalid(
                "back",
                format!("帰着人数は0〜{}名（出発した人数まで）で入力してください。", team.headcount),
                format!("back is 0–{} (at most the people who left).", team.headcount),
            ));
        }
    };
    let safety = Safety::read(SafetyForm {
        injury: &form.injury,
        all_safe: form.all_safe,
        injured: form.injured,
        severity: form.severity,
        left: team.headcount,
    })?;
    let injury = safety.injury.as_str();
    let minutes = match form.minutes {
        Some(m) if (0..=24 * 60).contains(&m) => m,
        Some(_) => return Err(invalid("minutes", "作業時間は0〜1440分です。", "minutes is 0–1440.")),
        None => chrono::DateTime::parse_from_rfc3339(&team.departed_at)
            .map(|left| (now - left).num_minutes().max(0))
            .unwrap_or(0),
    };

    ledger::settle(&mut tx, clock, actor, team.id, &team.team_no, &form.returns).await?;
    let returned_at = stamp(now);
    let returned = Returned { outcome, returned_at: &returned_at, minutes, report: &report, injury };
    if !store::mark_returned(tx.conn(), team.id, version, &returned).await? {
        return Err(AppError::conflict(Text::new("班の状態が変わりました。", "The team changed meanwhile.")));
    }
    headcount::record_return(tx.conn(), team.id, back, &safety).await?;
    if let Some(need_id) = team.need_id {
        let to = match outcome {
            Outcome::Done => Status::Done,
            Outcome::Continue => Status::Continuing,
            Outcome::Cancelled => Status::Waiting,
        };
        crate::needs::progress::team_back(&mut tx, clock, actor, need_id, &team.team_no, to).await?;
    }
    if form.check_out {
        for member in &team.members {
            // Somebody who already left at the desk stays checked out.
            if store::checked_in_now(tx.conn(), member.volunteer_id).await? {
                crate::reception::check_in::check_out_in(&mut tx, clock, actor, member.volunteer_id).await?;
            }
        }
    }
    let mut found = Vec::new();
    for (i, mut need) in form.new_needs.into_iter().enumerate() {
        // Found on site: written as a visit, saved even when it looks like a known
        // one (the coordinator links duplicates later, from the needs page).
        need.received_via = need.received_via.or(Some(ReceivedVia::Visit));
        need.force_new = true;
        match receive_in(&mut tx, clock, zones, actor, need).await {
            Ok(Intake::Saved(saved)) => found.push(saved.need_no.clone()),
            Ok(Intake::LikelyDuplicates(_)) => unreachable!("forced"),
            Err(mut error) => {
                error.field = error.field.map(|f| format!("new_needs[{i}].{f}"));
                return Err(error);
            }
        }
    }
    let returned = TeamReturned {
        team_id: team.id,
        team_no: team.team_no.clone(),
        need_no: team.need_no.clone(),
        zone: team.zone.clone(),
        outcome: wire(&outcome),
        minutes,
        headcount: team.headcount,
        new_needs: found,
        injury: !injury.is_empty(),
        back: form.back.map(|_| back),
        all_safe: safety.all_safe,
    };
    tx.append(clock, actor, Some(team.team_no.clone()), &returned).await?;
    if back < team.headcount {
        headcount::raise(&mut tx, clock, actor, &team, back).await?;
    }
    if !injury.is_empty() {
        // The description stays on the team; the log says that it happened and where.
        let incident = IncidentReported {
            team_id: team.id,
            team_no: team.team_no.clone(),
            need_no: team.need_no.clone(),
            zone: team.zone.clone(),
            injured: safety.injured,
            severity: safety.severity.map(|s| wire(&s)),
        };
        tx.append(clock, actor, Some(team.team_no.clone()), &incident).await?;
    }
    let back = store::team(tx.conn(), team.id, now).await?.expect("exists");
    tx.commit().await?;
    Ok(back)
}

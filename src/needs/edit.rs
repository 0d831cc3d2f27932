//! Changing a need: its fields (a JSON merge onto the card as it stands), its
//! status (only the moves [`super::lifecycle`] allows), a 現地調査 result, or a
//! link to the need it duplicates. Needs the `version` read; a stale one is 409.
//! Events `need.updated`, `need.status_changed`, `need.reopened`, `need.surveyed`.

use futures_util::future::BoxFuture;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use sqlx::SqliteConnection;

use super::form::{NeedForm, validate};
use super::intake::{duplicate_reason, original};
use super::lifecycle::{self, Refused};
use super::model::{Need, Status, Survey, ZoneSource};
use super::store::{self, Revision};
use super::{need_facts, need_status, zone_of};
use crate::clock::{Clock, stamp};
use crate::db::Db;
use crate::error::AppError;
use crate::events::Actor;
use crate::events::contract::needs::{NeedReopened, NeedStatusChanged, NeedSurveyed, NeedUpdated};
use crate::fields::{invalid, merge_patch, optional_text, required, required_text};
use crate::i18n::Text;
use crate::zones::ZoneIndex;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NeedPatch {
    /// The version read; a stale one is refused with 409.
    #[schema(required = true, value_type = i64)]
    pub version: Option<i64>,
    /// Move to this status.
    pub status: Option<Status>,
    /// Why: required to cancel and to reopen.
    pub reason: Option<String>,
    /// Move a 完了 or 取消 need again (with `status` and `reason`).
    pub reopen: bool,
    /// Attach the 現地調査 result.
    pub survey: Option<Survey>,
    /// This need repeats that one (`N-0012`): it becomes 取消, linked to it.
    pub duplicate_of: Option<String>,
    /// Any field of the need card, to change it (`null` clears an optional one,
    /// e.g. `lat`/`lon` for the pin, `zone` to find it again from pin or address).
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub fields: Map<String, Value>,
}

fn not_found() -> AppError {
    AppError::not_found(Text::new("該当するニーズが見つかりません。", "No such need."))
}

fn stale(current: &Need) -> AppError {
    AppError::conflict(Text::new(
        format!(
            "{} は他の人が先に更新しました（版 {}）。読み込み直してから変更してください。",
            current.need_no, current.version
        ),
        format!(
            "{} was changed by somebody else (now version {}). Reload it, then change it.",
            current.need_no, current.version
        ),
    ))
    .coded("stale_version")
    .with_details(json!({ "current_version": current.version, "status": current.status }))
}

/// Whether a team is out on a need. Dispatch owns teams and registers the
/// answer at startup (`dispatch::send_out::TeamsOnNeeds`), so needs never reads them.
pub trait TeamOut: Send + Sync {
    /// The team's number (`T-003`), if one is out on the need.
    fn team_on<'a>(
        &'a self,
        conn: &'a mut SqliteConnection,
        need_id: i64,
    ) -> BoxFuture<'a, Result<Option<String>, sqlx::Error>>;
}

pub async fn edit(
    db: &Db,
    clock: &Clock,
    zones: &ZoneIndex,
    actor: &Actor,
    teams: &dyn TeamOut,
    id: i64,
    patch: NeedPatch,
) -> Result<Need, AppError> {
    let version = patch
        .version
        .ok_or_else(|| invalid("version", "版（version）が必要です。", "version is required: the version you read."))?;
    let mut tx = db.begin_write().await?;
    let need = store::need(tx.conn(), id).await?.ok_or_else(not_found)?;
    if need.version != version {
        return Err(stale(&need));
    }
    let now = clock.now();
    let (mut card, changed) = merged_card(&need, patch.fields, now)?;
    let window = crate::dates::Window::read(tx.conn(), clock).await?;
    if changed.iter().any(|f| f == "received_at") {
        window.past_time("received_at", "受付日時", card.received_at)?;
    }
    let zone_given = changed.iter().any(|f| f == "zone");
    let keep_chosen = !zone_given && need.zone_source == Some(ZoneSource::Chosen);
    let zone_source = zone_of(tx.conn(), zones, &mut card, zone_given || keep_chosen).await?;

    let mut reason = crate::fields::clean_text("reason", "理由", patch.reason.as_deref().unwrap_or_default())?;
    let mut status = patch.status.unwrap_or(need.status);
    let mut duplicate_of = None;
    if let Some(text) = patch.duplicate_of.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let (original_id, number) = original(&mut tx, text, Some(id)).await?;
        status = Status::Cancelled;
        reason = duplicate_reason(number);
        duplicate_of = Some(original_id);
    }
    if status != need.status || patch.reopen {
        if (patch.reopen || status == Status::Cancelled) && reason.is_empty() {
            return Err(invalid(
                "reason",
                "取消・再開には理由を入力してください。",
                "reason is required to cancel or reopen a need.",
            ));
        }
        lifecycle::check(need.status, status, patch.reopen, &reason)
            .map_err(|Refused(text)| AppError::conflict(text).coded("transition_refused").with_field("status"))?;
        // A team out on the need settles it when it returns: not a hand on the card.
        if need.status == Status::Active
            && let Some(team) = teams.team_on(tx.conn(), id).await?
        {
            return Err(AppError::conflict(Text::new(
                format!("{} は {team} が活動中です。班の帰着を記録すると状態が変わります。", need.need_no),
                format!("{team} is out on {}: record the team's return and the need moves on.", need.need_no),
            ))
            .coded("team_out")
            .with_field("status"));
        }
    }
    if reason.chars().count() > 200 {
        return Err(invalid("reason", "理由は200文字以内で入力してください。", "reason has at most 200 characters."));
    }
    let survey = match patch.survey {
        Some(survey) => Some(checked_survey(survey, &stamp(now), &window)?),
        None => need.survey.clone(),
    };
    let surveyed = survey != need.survey;
    if changed.is_empty() && status == need.status && !surveyed {
        return Ok(need);
    }
    let status_reason = if status != need.status { reason.as_str() } else { need.status_reason.as_str() };
    let kept_link = if status == Status::Cancelled && duplicate_of.is_none() {
        linked_id(&mut tx, &need).await?
    } else {
        duplicate_of
    };
    let revision =
        Revision { card: &card, zone_source, status, status_reason, survey: survey.as_ref(), duplicate_of: kept_link };
    if !store::update(tx.conn(), id, version, &revision, &stamp(now)).await? {
        return Err(stale(&need));
    }
    let updated = store::need(tx.conn(), id).await?.expect("just updated");
    // Field names only: the values of personal fields stay out of the log.
    let (facts, from) = (need_facts(&updated), need_status(need.status));
    let changed: Vec<String> = changed.iter().map(|field| field.to_string()).collect();
    let (subject, reason_given) = (Some(updated.need_no.clone()), !reason.is_empty());
    if patch.reopen {
        let reopened = NeedReopened { need: facts, from, changed, surveyed, reason_given };
        tx.append(clock, actor, subject, &reopened).await?;
    } else if status != need.status {
        let moved = NeedStatusChanged {
            need: facts,
            from,
            changed,
            surveyed: Some(surveyed),
            reason_given: Some(reason_given),
            team_no: None,
        };
        tx.append(clock, actor, subject, &moved).await?;
    } else if surveyed && changed.is_empty() {
        tx.append(clock, actor, subject, &NeedSurveyed { need: facts, from, changed, surveyed, reason_given }).await?;
    } else {
        tx.append(clock, actor, subject, &NeedUpdated { need: facts, from, changed, surveyed, reason_given }).await?;
    }
    tx.commit().await?;
    Ok(updated)
}

/// The card as stored with the patch's fields laid over it, checked again as a
/// whole; and the names of the fields whose value changed.
fn merged_card(
    need: &Need,
    fields: Map<String, Value>,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> Result<(super::form::NeedCard, Vec<String>), AppError> {
    let (form, changed) = merge_patch(&NeedForm::from_need(need), fields)?;
    let card = validate(form, now)?;
    Ok((card, changed))
}

fn checked_survey(survey: Survey, now: &str, window: &crate::dates::Window) -> Result<Survey, AppError> {
    let surveyor = required("survey.surveyor", &survey.surveyor, "調査者", 50)?;
    let findings = required_text("survey.findings", &survey.findings, "調査結果", 2000)?;
    let hazards = optional_text("survey.hazards", Some(&survey.hazards), "危険箇所", 1000)?.unwrap_or_default();
    let surveyed_at = match survey.surveyed_at.trim() {
        "" => now.to_string(),
        text => {
            let at = chrono::DateTime::parse_from_rfc3339(text).map_err(|_| {
                invalid("survey.surveyed_at", "調査日時の形式が正しくありません。", "survey.surveyed_at is RFC 3339.")
            })?;
            window.past_time("survey.surveyed_at", "調査日時", at)?;
            text.to_string()
        }
    };
    Ok(Survey { surveyor, surveyed_at, findings, hazards })
}

/// A cancelled need keeps the link it had.
async fn linked_id(tx: &mut crate::events::WriteTx, need: &Need) -> Result<Option<i64>, sqlx::Error> {
    match need.duplicate_of.as_deref().and_then(super::model::parse_need_no) {
        Some(number) => store::id_by_number(tx.conn(), number).await,
        None => Ok(None),
    }
}

//! 安全管理 on the day: staff enter the 暑さ指数 (WBGT) reading (hourly or when
//! it changes) and weather warnings (大雨・雷・余震). The reading's band (from
//! the settings) sets the rest cycle, caps the time out, and at a band with
//! `suspend_prompt` opens a prompt; a warning opens one too. The coordinator
//! answers it: 活動中止 (the center's suspension, in the same transaction) or
//! carry on, with a reason. Events `wbgt.recorded`, `alert.raised`, `alert.decided`.

use chrono::{DateTime, Duration, FixedOffset};
use serde::{Deserialize, Serialize};

use super::center::suspend_in;
use super::model::TeamStatus;
use super::safety_store::{self as store, Alert};
use crate::clock::{Clock, stamp};
use crate::db::Db;
use crate::error::AppError;
use crate::events::contract::safety::{AlertDecided, AlertRaised, WbgtRecorded};
use crate::events::contract::settings::HeatBand;
use crate::events::{Actor, WriteTx};
use crate::fields::{invalid, optional};
use crate::i18n::Text;
use crate::settings::Settings;

/// Kinds of weather warning staff may enter (`heat` comes from a reading).
pub const WARNINGS: [&str; 3] = ["heavy_rain", "thunder", "aftershock"];

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct WbgtForm {
    /// 暑さ指数 (WBGT, °C), e.g. 29.5.
    #[schema(required = true, example = 29.5)]
    pub wbgt: Option<f64>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AlertForm {
    /// `heavy_rain` (大雨), `thunder` (雷), `aftershock` (余震).
    #[schema(required = true, example = "heavy_rain")]
    pub kind: String,
    /// What was heard: 「大雨警報 金沢市」.
    pub note: String,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DecisionForm {
    /// `suspend` (活動中止) or `continue` (活動継続).
    #[schema(required = true, example = "continue")]
    pub decision: String,
    /// Why; required to carry on.
    pub reason: String,
}

/// The reading in force and its band.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Reading {
    pub wbgt: f64,
    pub at: String,
    pub band: Option<HeatBand>,
}

/// A team out and its rest cycle now.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RestReminder {
    pub team_no: String,
    /// Resting now: the board reminds the team (call it) until `rest_until`.
    pub resting: bool,
    /// The current or next rest, RFC 3339.
    pub rest_from: String,
    pub rest_until: String,
}

/// What the board shows of safety now.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = SafetyNow)]
pub struct SafetyNow {
    /// Today's latest reading; none before the first.
    pub wbgt: Option<Reading>,
    /// Prompts and warnings waiting for the coordinator's decision.
    pub alerts: Vec<Alert>,
    /// Teams out under the band's rest cycle.
    pub rest: Vec<RestReminder>,
}

pub async fn now(db: &Db, clock: &Clock) -> Result<SafetyNow, AppError> {
    let mut conn = db.read.acquire().await?;
    let settings = crate::settings::current(&mut conn).await?;
    let at = clock.now();
    let wbgt = reading_in_force(&mut conn, &settings, clock.activity_day().to_string().as_str(), at).await?;
    let alerts = store::open_alerts(&mut conn).await?;
    let cycle = wbgt.as_ref().and_then(|r| r.band.as_ref()).filter(|b| b.work_minutes > 0 && b.rest_minutes > 0);
    let rest = match cycle {
        Some(band) => super::store::list(&mut conn, Some(TeamStatus::Dispatched), None, at)
            .await?
            .into_iter()
            .filter_map(|team| {
                let departed = DateTime::parse_from_rfc3339(&team.departed_at).ok()?;
                Some(rest_now(&team.team_no, departed, band, at))
            })
            .collect(),
        None => Vec::new(),
    };
    Ok(SafetyNow { wbgt, alerts, rest })
}

/// The reading of `day` in force at `at`, with its band from `settings`.
pub(crate) async fn reading_in_force(
    conn: &mut sqlx::SqliteConnection,
    settings: &Settings,
    day: &str,
    at: DateTime<FixedOffset>,
) -> Result<Option<Reading>, sqlx::Error> {
    Ok(store::reading_at(conn, day, &stamp(at)).await?.map(|row| Reading {
        band: settings.heat_band(row.wbgt).cloned(),
        wbgt: row.wbgt,
        at: row.at,
    }))
}

/// Where a team leaving at `departed` stands in the cycle at `now`: work
/// `work_minutes`, rest `rest_minutes`, over again. Pure.
pub fn rest_now(
    team_no: &str,
    departed: DateTime<FixedOffset>,
    band: &HeatBand,
    now: DateTime<FixedOffset>,
) -> RestReminder {
    let (work, rest) = (i64::from(band.work_minutes), i64::from(band.rest_minutes));
    let elapsed = (now - departed).num_seconds().max(0);
    let cycle = (work + rest) * 60;
    let start = departed + Duration::seconds(elapsed / cycle * cycle);
    let rest_from = start + Duration::minutes(work);
    let resting = now >= rest_from;
    RestReminder {
        team_no: team_no.to_string(),
        resting,
        rest_from: stamp(rest_from),
        rest_until: stamp(rest_from + Duration::minutes(rest)),
    }
}

pub async fn record_wbgt(db: &Db, clock: &Clock, actor: &Actor, form: WbgtForm) -> Result<SafetyNow, AppError> {
    let wbgt = form.wbgt.filter(|w| w.is_finite() && (0.0..=45.0).contains(w)).ok_or_else(|| {
        invalid(
            "wbgt",
            "暑さ指数（WBGT）を 0〜45 の数で入力してください（例：29.5）。",
            "wbgt is a number from 0 to 45, such as 29.5.",
        )
    })?;
    let wbgt = (wbgt * 10.0).round() / 10.0;
    let mut tx = db.begin_write().await?;
    let settings = crate::settings::current(tx.conn()).await?;
    let (day, at) = (clock.activity_day(), stamp(clock.now()));
    store::insert_reading(tx.conn(), day, &at, wbgt).await?;
    let band = settings.heat_band(wbgt);
    let prompt = match band {
        Some(band) if band.suspend_prompt && !prompt_open(&mut tx).await? => {
            let note = format!("{wbgt}（{}）", band.name);
            Some(open_prompt(&mut tx, clock, actor, "heat", &note).await?)
        }
        _ => None,
    };
    let recorded = WbgtRecorded {
        wbgt,
        band: band.map(|b| b.name.clone()),
        work_minutes: band.map_or(0, |b| b.work_minutes),
        rest_minutes: band.map_or(0, |b| b.rest_minutes),
        max_out_minutes: band.map_or(0, |b| b.max_out_minutes),
        prompt,
    };
    tx.append(clock, actor, Some("wbgt".into()), &recorded).await?;
    tx.commit().await?;
    now(db, clock).await
}

/// A heat prompt is asked once until answered, and not while already suspended.
async fn prompt_open(tx: &mut WriteTx) -> Result<bool, AppError> {
    let open = store::open_alerts(tx.conn()).await?.iter().any(|a| a.kind == "heat");
    Ok(open || super::store::center_state(tx.conn()).await?.suspended)
}

async fn open_prompt(tx: &mut WriteTx, clock: &Clock, actor: &Actor, kind: &str, note: &str) -> Result<i64, AppError> {
    let id = store::insert_alert(tx.conn(), clock.activity_day(), &stamp(clock.now()), kind, note).await?;
    let raised = AlertRaised { alert_id: id, kind: kind.to_string(), note: note.to_string() };
    tx.append(clock, actor, Some(format!("alert-{id}")), &raised).await?;
    Ok(id)
}

pub async fn raise_alert(db: &Db, clock: &Clock, actor: &Actor, form: AlertForm) -> Result<Alert, AppError> {
    let kind = form.kind.trim();
    if !WARNINGS.contains(&kind) {
        return Err(invalid(
            "kind",
            "警報の種類を選んでください（大雨・雷・余震）。",
            "kind is heavy_rain, thunder or aftershock.",
        ));
    }
    let note = optional("note", Some(&form.note), "内容", 200)?.unwrap_or_default();
    let mut tx = db.begin_write().await?;
    let id = open_prompt(&mut tx, clock, actor, kind, &note).await?;
    let alert = store::alert(tx.conn(), id).await?.expect("just inserted");
    tx.commit().await?;
    Ok(alert)
}

/// The coordinator's answer: `suspend` (活動中止 now, unless already) or
/// `continue` with a reason.
pub async fn decide(db: &Db, clock: &Clock, actor: &Actor, id: i64, form: DecisionForm) -> Result<Alert, AppError> {
    let decision = match form.decision.trim() {
        d @ ("suspend" | "continue") => d,
        _ => {
            return Err(invalid(
                "decision",
                "活動中止か活動継続かを選んでください。",
                "decision is suspend or continue.",
            ));
        }
    };
    let reason = optional("reason", Some(&form.reason), "判断の理由", 200)?.unwrap_or_default();
    if decision == "continue" && reason.is_empty() {
        return Err(invalid("reason", "活動を続ける理由を入力してください。", "reason is required to carry on."));
    }
    let mut tx = db.begin_write().await?;
    let alert = store::alert(tx.conn(), id)
        .await?
        .ok_or_else(|| AppError::not_found(Text::new("該当する警報がありません。", "No such alert.")))?;
    if alert.decision.is_some() {
        return Err(AppError::conflict(Text::new(
            "この警報はすでに判断済みです。",
            "This alert has already been decided.",
        ))
        .coded("already_decided"));
    }
    store::decide(tx.conn(), id, decision, &reason, &stamp(clock.now())).await?;
    tx.append(
        clock,
        actor,
        Some(format!("alert-{id}")),
        &AlertDecided {
            alert_id: id,
            kind: alert.kind.clone(),
            decision: decision.to_string(),
            reason: reason.clone(),
        },
    )
    .await?;
    if decision == "suspend" && !super::store::center_state(tx.conn()).await?.suspended {
        suspend_in(&mut tx, clock, actor, suspension_reason(&alert, &reason)).await?;
    }
    let alert = store::alert(tx.conn(), id).await?.expect("exists");
    tx.commit().await?;
    Ok(alert)
}

/// 「暑さ指数 31.5（危険）」, 「大雨 大雨警報 金沢市」: what the lobby and recall list show.
fn suspension_reason(alert: &Alert, reason: &str) -> String {
    let kind = match alert.kind.as_str() {
        "heat" => "暑さ指数",
        "heavy_rain" => "大雨",
        "thunder" => "雷",
        "aftershock" => "余震",
        other => other,
    };
    [kind, alert.note.as_str(), reason].iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    #[test]
    fn a_team_rests_after_each_work_stretch() {
        let band = HeatBand { work_minutes: 20, rest_minutes: 10, ..HeatBand::default() };
        let left = at("2026-07-12T10:00:00+09:00");
        let working = rest_now("T-001", left, &band, at("2026-07-12T10:19:00+09:00"));
        assert!(!working.resting);
        assert_eq!(working.rest_from, "2026-07-12T10:20:00+09:00");
        let resting = rest_now("T-001", left, &band, at("2026-07-12T10:25:00+09:00"));
        assert!(resting.resting);
        assert_eq!(resting.rest_until, "2026-07-12T10:30:00+09:00");
        let second = rest_now("T-001", left, &band, at("2026-07-12T10:50:00+09:00"));
        assert_eq!((second.resting, second.rest_from.as_str()), (true, "2026-07-12T10:50:00+09:00"));
    }
}

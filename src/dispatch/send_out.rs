//! 送り出し: forming a team and sending it out, in one transaction — members
//! checked in, insured, on no other team; the need not taken; the center not
//! suspended; the loans in stock. Any refusal is a 409 naming the reason, and
//! nothing changes. Event `team.dispatched` (and the need's and the loans').

use serde::Deserialize;
use serde_json::json;

use super::daylight;
use super::deadline::{self, Limits, Overrides};
use super::model::{Team, team_no};
use super::store::{self, NewTeam};
use crate::clock::{Clock, stamp};
use crate::db::Db;
use crate::error::AppError;
use crate::events::contract::dispatch::TeamDispatched;
use crate::events::{Actor, WriteTx};
use crate::fields::{invalid, optional};
use crate::i18n::Text;
use crate::inventory::{self as ledger, Loan};
use crate::needs::parse_need_no;
use crate::reception::dispatch_block;
use crate::reception::{ADULT_AGE, age_on, volunteer_no};
use crate::zones::ZoneIndex;

#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TeamForm {
    /// The need the team goes to…
    pub need_id: Option<i64>,
    /// …or its number, as scanned from the printed need card (`N-0045`).
    pub need_no: Option<String>,
    /// 地区派遣: send the team to a zone instead of one need…
    pub zone: Option<String>,
    /// …asking for this many people.
    pub headcount: Option<i64>,
    /// リーダー (one of the members; added if missing).
    pub leader_id: Option<i64>,
    #[schema(required = true, min_items = 1)]
    pub member_ids: Vec<i64>,
    /// 車両 (軽トラ …)
    pub vehicle: Option<String>,
    /// 資機材 lent to the team.
    pub loans: Vec<Loan>,
    /// 帰着期限: `14:00` today, or RFC 3339. Default: the heat rule (settings).
    /// Either way capped by the last-return time, sunset less the margin and
    /// the WBGT band's longest time out.
    pub return_by: Option<String>,
    /// The coordinator saw that minors go to heavy work (settings' `heavy_work`) and sends them anyway.
    pub confirm_minor_heavy_work: bool,
    /// The coordinator sends the team although the deadline leaves less than
    /// the minimum working time (else 409 `short_working_time`).
    pub override_short_time: bool,
    /// The coordinator sends the team after the last dispatch time (else 409 `after_last_dispatch`).
    pub override_last_dispatch: bool,
}

/// Where a team goes.
enum Target {
    Need(i64),
    Zone { zone: String, headcount: i64 },
}

pub async fn send_out(
    db: &Db,
    clock: &Clock,
    zones: &ZoneIndex,
    actor: &Actor,
    form: TeamForm,
) -> Result<Team, AppError> {
    let now = clock.now();
    let day = clock.activity_day();
    let mut tx = db.begin_write().await?;
    let target = target(&mut tx, &form, &zones.names()).await?;
    let (leader, members) = members(&form)?;
    let vehicle = optional("vehicle", form.vehicle.as_deref(), "車両", 30)?.unwrap_or_default();
    let settings = crate::settings::current(tx.conn()).await?;
    let heat = super::safety::reading_in_force(tx.conn(), &settings, &day.to_string(), now).await?;
    let sunset = daylight::place(&settings, zones).and_then(|place| daylight::sunset(now.date_naive(), place, &now));
    let limits = Limits { settings: &settings, sunset, heat: heat.as_ref().and_then(|r| r.band.as_ref()) };
    let overrides =
        Overrides { short_time: form.override_short_time, after_last_dispatch: form.override_last_dispatch };
    let deadline = deadline::decide(form.return_by.as_deref(), now, &limits, overrides)?;
    let return_by = deadline.at;

    let center = store::center_state(tx.conn()).await?;
    if center.suspended {
        return Err(AppError::conflict(Text::new(
            format!("活動中止中のため送り出しできません（{}）。", center.reason),
            format!("Activities are suspended ({}): no team can be sent.", center.reason),
        ))
        .coded("suspended"));
    }
    let mut headcounts = Vec::with_capacity(members.len());
    for &id in &members {
        headcounts.push(member_ready(&mut tx, id, day).await?);
    }
    adult_leader(&mut tx, leader, day).await?;

    let number = store::next_number(tx.conn(), day).await?;
    let team_no = team_no(number);
    let need = match &target {
        Target::Need(id) => Some(leave_for(&mut tx, clock, actor, *id, &team_no).await?),
        Target::Zone { .. } => None,
    };
    let minors_on_heavy_work =
        super::minors::heavy_work(&mut tx, need.as_ref(), &members, day, form.confirm_minor_heavy_work).await?;
    let (zone, requested_headcount) = match &target {
        Target::Need(_) => (need.as_ref().and_then(|n| n.zone.clone()), None),
        Target::Zone { zone, headcount } => (Some(zone.clone()), Some(*headcount)),
    };
    let departed_at = stamp(now);
    let return_by = stamp(return_by);
    let new = NewTeam {
        day,
        number,
        need_id: need.as_ref().map(|n| n.id),
        zone: zone.as_deref(),
        requested_headcount,
        leader_id: leader,
        vehicle: &vehicle,
        departed_at: &departed_at,
        return_by: &return_by,
    };
    let id = store::insert(tx.conn(), &new).await?;
    let mut numbers = Vec::with_capacity(members.len());
    for (&member, &headcount) in members.iter().zip(&headcounts) {
        store::insert_member(tx.conn(), id, member, member == leader, headcount).await?;
        numbers.push(member_no(&mut tx, member).await?);
    }
    let dispatched = TeamDispatched {
        team_id: id,
        team_no: team_no.clone(),
        need_no: need.as_ref().map(|n| n.need_no.clone()),
        zone: zone.clone(),
        headcount: headcounts.iter().sum::<i64>(),
        leader: numbers[0].clone(),
        members: numbers,
        return_by: return_by.clone(),
        minors_on_heavy_work,
        limited_by: Some(deadline.limited_by.to_string()),
        overrides: deadline.overrides,
        wbgt: heat.as_ref().map(|r| r.wbgt),
        heat_band: heat.and_then(|r| r.band).map(|b| b.name),
    };
    tx.append(clock, actor, Some(team_no.clone()), &dispatched).await?;
    if !form.loans.is_empty() {
        ledger::lend(&mut tx, clock, actor, id, &team_no, &form.loans).await?;
    }
    let team = store::team(tx.conn(), id, now).await?.expect("just inserted");
    tx.commit().await?;
    Ok(team)
}

async fn target(tx: &mut WriteTx, form: &TeamForm, zone_names: &[String]) -> Result<Target, AppError> {
    let need_id = match (form.need_id, form.need_no.as_deref().map(str::trim).filter(|n| !n.is_empty())) {
        (Some(id), _) => Some(id),
        (None, Some(text)) => {
            let number = parse_need_no(text).ok_or_else(|| {
                invalid("need_no", "ニーズ番号は N-0045 のように入力してください。", "need_no looks like N-0045.")
            })?;
            let id = crate::needs::id_by_number(tx.conn(), number).await?;
            Some(id.ok_or_else(|| {
                AppError::not_found(Text::new(
                    format!("{text} は登録されていません。"),
                    format!("{text} does not exist."),
                ))
                .with_field("need_no")
            })?)
        }
        (None, None) => None,
    };
    let zone = form.zone.as_deref().map(str::trim).filter(|z| !z.is_empty());
    match (need_id, zone) {
        (Some(id), None) => Ok(Target::Need(id)),
        (None, Some(zone)) => {
            if !zone_names.iter().any(|z| z == zone) {
                return Err(invalid(
                    "zone",
                    format!("地区「{zone}」はありません。"),
                    format!("There is no zone {zone}."),
                ));
            }
            let headcount = form.headcount.ok_or_else(|| {
                invalid(
                    "headcount",
                    "地区派遣の必要人数を入力してください。",
                    "headcount is required for a zone dispatch.",
                )
            })?;
            if !(1..=500).contains(&headcount) {
                return Err(invalid("headcount", "必要人数は1〜500人です。", "headcount is 1–500."));
            }
            Ok(Target::Zone { zone: zone.to_string(), headcount })
        }
        (Some(_), Some(_)) => {
            Err(invalid("zone", "ニーズか地区のどちらか一方を選んでください。", "Give a need or a zone, not both."))
        }
        (None, None) => {
            Err(invalid("need_id", "送り先のニーズ（または地区）を選んでください。", "need_id (or zone) is required."))
        }
    }
}

/// The leader and the members (leader first, no repeats).
fn members(form: &TeamForm) -> Result<(i64, Vec<i64>), AppError> {
    let mut members = Vec::new();
    let leader = form.leader_id.or(form.member_ids.first().copied()).ok_or_else(|| {
        invalid("member_ids", "班のメンバーを1人以上選んでください。", "A team needs at least one member.")
    })?;
    members.push(leader);
    for &id in &form.member_ids {
        if !members.contains(&id) {
            members.push(id);
        }
    }
    if members.len() > 50 {
        return Err(invalid("member_ids", "1つの班は50人までです。", "A team has at most 50 members."));
    }
    Ok((leader, members))
}

/// A member may go: checked in today, still here, insured, on no team out.
/// Returns how many people they bring (a group's representative: the group).
async fn member_ready(tx: &mut WriteTx, id: i64, day: chrono::NaiveDate) -> Result<i64, AppError> {
    let number = member_no(tx, id).await?;
    if let Some(block) = dispatch_block(tx.conn(), id, day).await? {
        return Err(block
            .refusal(&number)
            .with_field("member_ids")
            .with_details(json!({ "volunteer_id": id, "volunteer_no": number })));
    }
    if let Some(team) = store::team_of(tx.conn(), id).await? {
        return Err(busy(&number, &team)
            .with_field("member_ids")
            .with_details(json!({ "volunteer_id": id, "volunteer_no": number, "team_no": team })));
    }
    Ok(store::headcount_today(tx.conn(), id, day).await?)
}

/// The need moves to 活動中 for the team; refused when another team is out on it.
async fn leave_for(
    tx: &mut WriteTx,
    clock: &Clock,
    actor: &Actor,
    need_id: i64,
    team_no: &str,
) -> Result<crate::needs::Need, AppError> {
    let need = crate::needs::progress::team_left(tx, clock, actor, need_id, team_no).await?;
    // Taken means a team is out on it; 活動中 set by hand (a whiteboard day) is not a team.
    if let Some(team) = store::team_on_need(tx.conn(), need_id).await? {
        return Err(AppError::conflict(Text::new(
            format!("{} は {team} が活動中です。", need.need_no),
            format!("{} is already taken by {team}.", need.need_no),
        ))
        .coded("need_taken")
        .with_field("need_id"));
    }
    Ok(need)
}

/// Whether a team is out on a need, for needs' edits (registered at startup:
/// needs asks through [`crate::needs::edit::TeamOut`] and never reads teams).
pub struct TeamsOnNeeds;

impl crate::needs::edit::TeamOut for TeamsOnNeeds {
    fn team_on<'a>(
        &'a self,
        conn: &'a mut sqlx::SqliteConnection,
        need_id: i64,
    ) -> futures_util::future::BoxFuture<'a, Result<Option<String>, sqlx::Error>> {
        Box::pin(store::team_on_need(conn, need_id))
    }
}

/// A volunteer already out with a team: the desk's scan and sending a team say the same.
pub fn busy(who: &str, team: &str) -> AppError {
    AppError::conflict(Text::new(format!("{who} さんは {team} で活動中です。"), format!("{who} is out with {team}.")))
        .coded("member_busy")
}

/// The leader answers for the team on site: 18 or older.
async fn adult_leader(tx: &mut WriteTx, leader: i64, day: chrono::NaiveDate) -> Result<(), AppError> {
    let born: Option<String> = sqlx::query_scalar("SELECT birth_date FROM volunteers WHERE id = ?")
        .bind(leader)
        .fetch_optional(tx.conn())
        .await?;
    let born = born.and_then(|b| chrono::NaiveDate::parse_from_str(&b, "%Y-%m-%d").ok());
    if born.is_some_and(|born| age_on(born, day) < ADULT_AGE) {
        let number = member_no(tx, leader).await?;
        return Err(AppError::conflict(Text::new(
            format!("{number} は18歳未満のためリーダーにできません。大人のメンバーをリーダーにしてください。"),
            format!("{number} is under 18 and cannot lead: choose an adult leader."),
        ))
        .coded("minor_leader")
        .with_field("leader_id"));
    }
    Ok(())
}

async fn member_no(tx: &mut WriteTx, id: i64) -> Result<String, AppError> {
    let number: Option<i64> =
        sqlx::query_scalar("SELECT number FROM volunteers WHERE id = ?").bind(id).fetch_optional(tx.conn()).await?;
    number.map(volunteer_no).ok_or_else(|| {
        AppError::validation(
            "member_ids",
            Text::new(format!("ボランティア（ID {id}）は登録されていません。"), format!("No volunteer with id {id}.")),
        )
    })
}

//! The `teams`, `team_members` and `center_state` tables. The waiting pool
//! reads reception's check-ins (read only) against the teams out.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use sqlx::{SqliteConnection, SqliteExecutor};

use super::model::{Member, Outcome, Team, TeamStatus, team_no};
use crate::needs::need_no;
use crate::reception::volunteer_no;

pub async fn next_number(conn: impl SqliteExecutor<'_>, day: NaiveDate) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(MAX(number), 0) + 1 FROM teams WHERE day = ?")
        .bind(day.to_string())
        .fetch_one(conn)
        .await
}

/// What a new team is written with.
pub struct NewTeam<'a> {
    pub day: NaiveDate,
    pub number: i64,
    pub need_id: Option<i64>,
    pub zone: Option<&'a str>,
    pub requested_headcount: Option<i64>,
    pub leader_id: i64,
    pub vehicle: &'a str,
    pub departed_at: &'a str,
    pub return_by: &'a str,
}

pub async fn insert(conn: &mut SqliteConnection, team: &NewTeam<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO teams (day, number, need_id, zone, requested_headcount, leader_id, vehicle, status,
                            departed_at, return_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'dispatched', ?, ?) RETURNING id",
    )
    .bind(team.day.to_string())
    .bind(team.number)
    .bind(team.need_id)
    .bind(team.zone)
    .bind(team.requested_headcount)
    .bind(team.leader_id)
    .bind(team.vehicle)
    .bind(team.departed_at)
    .bind(team.return_by)
    .fetch_one(conn)
    .await
}

pub async fn insert_member(
    conn: &mut SqliteConnection,
    team_id: i64,
    volunteer_id: i64,
    leader: bool,
    headcount: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO team_members (team_id, volunteer_id, is_leader, headcount) VALUES (?, ?, ?, ?)")
        .bind(team_id)
        .bind(volunteer_id)
        .bind(leader)
        .bind(headcount)
        .execute(conn)
        .await
        .map(|_| ())
}

/// The team a volunteer is out with, if any.
pub async fn team_of(conn: impl SqliteExecutor<'_>, volunteer_id: i64) -> Result<Option<String>, sqlx::Error> {
    let number: Option<i64> = sqlx::query_scalar(
        "SELECT t.number FROM team_members m JOIN teams t ON t.id = m.team_id WHERE m.volunteer_id = ? AND m.out = 1",
    )
    .bind(volunteer_id)
    .fetch_optional(conn)
    .await?;
    Ok(number.map(team_no))
}

/// Teams out (dispatched, not yet returned) per zone, by the zone recorded when they left.
pub async fn out_by_zone(conn: impl SqliteExecutor<'_>) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT zone, COUNT(*) FROM teams WHERE status = 'dispatched' AND zone IS NOT NULL GROUP BY zone")
        .fetch_all(conn)
        .await
}

/// The team out on a need, if any.
pub async fn team_on_need(conn: impl SqliteExecutor<'_>, need_id: i64) -> Result<Option<String>, sqlx::Error> {
    let number: Option<i64> =
        sqlx::query_scalar("SELECT number FROM teams WHERE need_id = ? AND status = 'dispatched'")
            .bind(need_id)
            .fetch_optional(conn)
            .await?;
    Ok(number.map(team_no))
}

/// How many people a volunteer brings today: a group's representative stands
/// for the group that arrived; anybody else is one.
pub async fn headcount_today(
    conn: impl SqliteExecutor<'_>,
    volunteer_id: i64,
    day: NaiveDate,
) -> Result<i64, sqlx::Error> {
    let count: Option<i64> = sqlx::query_scalar("SELECT headcount FROM checkins WHERE volunteer_id = ? AND day = ?")
        .bind(volunteer_id)
        .bind(day.to_string())
        .fetch_optional(conn)
        .await?;
    Ok(count.unwrap_or(1).max(1))
}

/// Checked in and not yet checked out (any day: a check-in left open overnight too).
pub async fn checked_in_now(conn: impl SqliteExecutor<'_>, volunteer_id: i64) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM checkins WHERE volunteer_id = ? AND checked_out_at IS NULL)")
        .bind(volunteer_id)
        .fetch_one(conn)
        .await
}

/// Marks a team back: members are free again.
pub struct Returned<'a> {
    pub outcome: Outcome,
    pub returned_at: &'a str,
    pub minutes: i64,
    pub report: &'a str,
    pub injury: &'a str,
}

pub async fn mark_returned(
    conn: &mut SqliteConnection,
    id: i64,
    version: i64,
    r: &Returned<'_>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE teams SET status = 'returned', returned_at = ?, outcome = ?, minutes = ?, report = ?, injury = ?,
                          version = version + 1
         WHERE id = ? AND version = ? AND status = 'dispatched'",
    )
    .bind(r.returned_at)
    .bind(r.outcome.as_str())
    .bind(r.minutes)
    .bind(r.report)
    .bind(r.injury)
    .bind(id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("UPDATE team_members SET out = 0 WHERE team_id = ?").bind(id).execute(&mut *conn).await?;
    Ok(true)
}

#[derive(sqlx::FromRow)]
struct TeamRow {
    id: i64,
    day: String,
    number: i64,
    need_id: Option<i64>,
    need_number: Option<i64>,
    zone: Option<String>,
    requested_headcount: Option<i64>,
    vehicle: String,
    status: String,
    departed_at: String,
    return_by: String,
    returned_at: Option<String>,
    outcome: Option<String>,
    minutes: Option<i64>,
    report: String,
    injury: String,
    version: i64,
}

const SELECT_TEAM: &str = "SELECT t.id, t.day, t.number, t.need_id, n.number AS need_number, t.zone,
        t.requested_headcount, t.vehicle, t.status, t.departed_at, t.return_by, t.returned_at, t.outcome, t.minutes,
        t.report, t.injury, t.version
    FROM teams t LEFT JOIN needs n ON n.id = t.need_id";

/// Whether a deadline has passed at `now`.
pub fn past(deadline: &str, now: DateTime<FixedOffset>) -> bool {
    DateTime::parse_from_rfc3339(deadline).is_ok_and(|d| d < now)
}

async fn members(conn: &mut SqliteConnection, team_id: i64) -> Result<Vec<Member>, sqlx::Error> {
    let rows: Vec<(i64, i64, String, String, i64, bool)> = sqlx::query_as(
        "SELECT v.id, v.number, v.name, v.furigana, m.headcount, m.is_leader
         FROM team_members m JOIN volunteers v ON v.id = m.volunteer_id
         WHERE m.team_id = ? ORDER BY m.is_leader DESC, v.number",
    )
    .bind(team_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(volunteer_id, number, name, furigana, headcount, leader)| Member {
            volunteer_id,
            volunteer_no: volunteer_no(number),
            name,
            furigana,
            headcount,
            leader,
        })
        .collect())
}

async fn with_members(
    conn: &mut SqliteConnection,
    row: TeamRow,
    now: DateTime<FixedOffset>,
) -> Result<Team, sqlx::Error> {
    let members = members(conn, row.id).await?;
    let status = TeamStatus::parse(&row.status).unwrap_or(TeamStatus::Dispatched);
    Ok(Team {
        id: row.id,
        team_no: team_no(row.number),
        day: row.day,
        need_id: row.need_id,
        need_no: row.need_number.map(need_no),
        zone: row.zone,
        requested_headcount: row.requested_headcount,
        headcount: members.iter().map(|m| m.headcount).sum(),
        members,
        vehicle: row.vehicle,
        status,
        overdue: status == TeamStatus::Dispatched && past(&row.return_by, now),
        departed_at: row.departed_at,
        return_by: row.return_by,
        returned_at: row.returned_at,
        outcome: row.outcome.as_deref().and_then(Outcome::parse),
        minutes: row.minutes,
        report: row.report,
        injury: row.injury,
        version: row.version,
    })
}

pub async fn team(
    conn: &mut SqliteConnection,
    id: i64,
    now: DateTime<FixedOffset>,
) -> Result<Option<Team>, sqlx::Error> {
    let sql = format!("{SELECT_TEAM} WHERE t.id = ?");
    let row: Option<TeamRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?;
    match row {
        Some(row) => Ok(Some(with_members(conn, row, now).await?)),
        None => Ok(None),
    }
}

/// Teams out (any day), or the teams of `day`; newest first.
pub async fn list(
    conn: &mut SqliteConnection,
    status: Option<TeamStatus>,
    day: Option<NaiveDate>,
    now: DateTime<FixedOffset>,
) -> Result<Vec<Team>, sqlx::Error> {
    let sql = format!(
        "{SELECT_TEAM} WHERE (?1 IS NULL OR t.status = ?1) AND (?2 IS NULL OR t.day = ?2) ORDER BY t.day DESC, t.number DESC"
    );
    let rows: Vec<TeamRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(status.map(TeamStatus::as_str))
        .bind(day.map(|d| d.to_string()))
        .fetch_all(&mut *conn)
        .await?;
    let mut teams = Vec::with_capacity(rows.len());
    for row in rows {
        teams.push(with_members(conn, row, now).await?);
    }
    Ok(teams)
}

/// Teams out past their deadline that have not been flagged yet: (id, number).
pub async fn overdue_unflagged(
    conn: impl SqliteExecutor<'_>,
    now: DateTime<FixedOffset>,
) -> Result<Vec<(i64, i64, String)>, sqlx::Error> {
    let rows: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT id, number, return_by FROM teams WHERE status = 'dispatched' AND overdue_flagged = 0 ORDER BY id",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().filter(|(_, _, by)| past(by, now)).collect())
}

pub async fn flag_overdue(conn: impl SqliteExecutor<'_>, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE teams SET overdue_flagged = 1 WHERE id = ?").bind(id).execute(conn).await.map(|_| ())
}

/// 活動中止, when set.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CenterState {
    pub suspended: bool,
    pub reason: String,
    pub since: Option<String>,
}

pub async fn center_state(conn: impl SqliteExecutor<'_>) -> Result<CenterState, sqlx::Error> {
    let (suspended, reason, since): (bool, String, Option<String>) =
        sqlx::query_as("SELECT suspended, reason, since FROM center_state WHERE id = 1").fetch_one(conn).await?;
    Ok(CenterState { suspended, reason, since })
}

pub async fn set_center_state(conn: impl SqliteExecutor<'_>, state: &CenterState) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE center_state SET suspended = ?, reason = ?, since = ? WHERE id = 1")
        .bind(state.suspended)
        .bind(&state.reason)
        .bind(&state.since)
        .execute(conn)
        .await
        .map(|_| ())
}

/// A volunteer checked in today, still here, and on no team out.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Waiting {
    pub volunteer_id: i64,
    pub volunteer_no: String,
    pub name: String,
    pub furigana: String,
    pub headcount: i64,
    /// Members of one group share it (the representative's id).
    pub group_id: Option<i64>,
    pub group_name: Option<String>,
    pub skills: Vec<String>,
    pub vehicle: Option<String>,
    /// False when today's insurance is 未加入: never dispatched.
    pub dispatchable: bool,
    pub checked_in_at: String,
    pub experience_count: i64,
    /// 18 or older today.
    pub adult: bool,
}

#[derive(sqlx::FromRow)]
struct WaitingRow {
    id: i64,
    number: i64,
    name: String,
    furigana: String,
    headcount: i64,
    kind: String,
    group_id: Option<i64>,
    group_name: Option<String>,
    skills: String,
    vehicle: Option<String>,
    insurance: String,
    checked_in_at: String,
    experience_count: i64,
    birth_date: String,
}

/// The waiting pool of `day`, earliest arrivals first.
pub async fn waiting(conn: impl SqliteExecutor<'_>, day: NaiveDate) -> Result<Vec<Waiting>, sqlx::Error> {
    let rows: Vec<WaitingRow> = sqlx::query_as(
        "SELECT v.id, v.number, v.name, v.furigana, c.headcount, v.kind, v.group_id,
                COALESCE(v.group_name, g.group_name) AS group_name, v.skills, v.vehicle, c.insurance,
                c.checked_in_at, v.experience_count, v.birth_date
         FROM checkins c JOIN volunteers v ON v.id = c.volunteer_id
         LEFT JOIN volunteers g ON g.id = v.group_id
         WHERE c.day = ? AND c.checked_out_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM team_members m WHERE m.volunteer_id = v.id AND m.out = 1)
         ORDER BY c.checked_in_at, v.number",
    )
    .bind(day.to_string())
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let born = NaiveDate::parse_from_str(&r.birth_date, "%Y-%m-%d").unwrap_or(day);
            Waiting {
                volunteer_id: r.id,
                volunteer_no: volunteer_no(r.number),
                name: r.name,
                furigana: r.furigana,
                headcount: r.headcount.max(1),
                group_id: if r.kind == "group" { Some(r.id) } else { r.group_id },
                group_name: r.group_name,
                skills: serde_json::from_str(&r.skills).unwrap_or_default(),
                vehicle: r.vehicle.filter(|v| !v.trim().is_empty()),
                dispatchable: r.insurance != "none",
                checked_in_at: r.checked_in_at,
                experience_count: r.experience_count,
                adult: crate::reception::age_on(born, day) >= crate::reception::ADULT_AGE,
            }
        })
        .collect())
}

/// Teams out, for boards: how many, how many people, and which are overdue.
#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct TeamsOut {
    pub out: i64,
    pub people_out: i64,
    /// Team numbers past their return deadline.
    pub overdue: Vec<String>,
}

pub async fn teams_out(conn: &mut SqliteConnection, now: DateTime<FixedOffset>) -> Result<TeamsOut, sqlx::Error> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT t.number, t.return_by, COALESCE(SUM(m.headcount), 0)
         FROM teams t LEFT JOIN team_members m ON m.team_id = t.id
         WHERE t.status = 'dispatched' GROUP BY t.id ORDER BY t.day, t.number",
    )
    .fetch_all(conn)
    .await?;
    Ok(TeamsOut {
        out: rows.len() as i64,
        people_out: rows.iter().map(|r| r.2).sum(),
        overdue: rows.iter().filter(|r| past(&r.1, now)).map(|r| team_no(r.0)).collect(),
    })
}

/// Teams sent out and teams back on `day`.
pub async fn teams_on(conn: impl SqliteExecutor<'_>, day: NaiveDate) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as("SELECT COUNT(*), COALESCE(SUM(status = 'returned'), 0) FROM teams WHERE day = ?")
        .bind(day.to_string())
        .fetch_one(conn)
        .await
}

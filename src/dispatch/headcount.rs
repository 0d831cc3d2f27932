//! 帰着人数: fewer back than left is an alert on the board (`team.headcount_short`)
//! that stays until a coordinator says what was found (`team.headcount_resolved`:
//! who and when are the event's). The `headcount_alerts` table, and the
//! return's own columns on `teams` (people back, 「全員無事」, the injury's details).

use serde::{Deserialize, Serialize};
use sqlx::{SqliteConnection, SqliteExecutor};

use super::injury::Safety;
use super::model::{Team, team_no};
use crate::clock::{Clock, stamp};
use crate::db::Db;
use crate::error::AppError;
use crate::events::Actor;
use crate::events::WriteTx;
use crate::events::contract::dispatch::{HeadcountResolved, HeadcountShort};
use crate::fields::required_text;
use crate::i18n::Text;
use crate::needs::need_no;

/// An alert as the board shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct HeadcountAlert {
    pub team_id: i64,
    /// `T-003`
    pub team_no: String,
    pub need_no: Option<String>,
    pub zone: Option<String>,
    /// People who left.
    pub left: i64,
    /// People back.
    pub back: i64,
    pub raised_at: String,
    /// Set once resolved, with who resolved it and what was found.
    pub resolved_at: Option<String>,
    pub resolved_by: Option<String>,
    pub finding: Option<String>,
}

/// The body of `POST /api/teams/{id}/headcount/resolve`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ResolveForm {
    /// What was found about the people missing (1–500 characters).
    #[schema(required = true, example = "直帰していた。電話で無事を確認")]
    pub finding: String,
}

pub const MAX_FINDING: usize = 500;

/// The return's own columns: people back, 「全員無事」, the injury's count and severity.
pub async fn record_return(
    conn: &mut SqliteConnection,
    team_id: i64,
    back: i64,
    safety: &Safety,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE teams SET back = ?, all_safe = ?, injured = ?, injury_severity = ? WHERE id = ?")
        .bind(back)
        .bind(safety.all_safe)
        .bind(safety.injured)
        .bind(safety.severity.map(|s| s.as_str()))
        .bind(team_id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Raises the alert for a team back short, in the return's transaction.
pub async fn raise(tx: &mut WriteTx, clock: &Clock, actor: &Actor, team: &Team, back: i64) -> Result<(), AppError> {
    sqlx::query("INSERT INTO headcount_alerts (team_id, left_count, back_count, raised_at) VALUES (?, ?, ?, ?)")
        .bind(team.id)
        .bind(team.headcount)
        .bind(back)
        .bind(stamp(clock.now()))
        .execute(tx.conn())
        .await?;
    let short = HeadcountShort {
        team_id: team.id,
        team_no: team.team_no.clone(),
        need_no: team.need_no.clone(),
        zone: team.zone.clone(),
        left: team.headcount,
        back,
    };
    tx.append(clock, actor, Some(team.team_no.clone()), &short).await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct AlertRow {
    team_id: i64,
    team_number: i64,
    need_number: Option<i64>,
    zone: Option<String>,
    left_count: i64,
    back_count: i64,
    raised_at: String,
    resolved_at: Option<String>,
    resolved_by: Option<String>,
    finding: Option<String>,
}

impl From<AlertRow> for HeadcountAlert {
    fn from(r: AlertRow) -> HeadcountAlert {
        HeadcountAlert {
            team_id: r.team_id,
            team_no: team_no(r.team_number),
            need_no: r.need_number.map(need_no),
            zone: r.zone,
            left: r.left_count,
            back: r.back_count,
            raised_at: r.raised_at,
            resolved_at: r.resolved_at,
            resolved_by: r.resolved_by,
            finding: r.finding,
        }
    }
}

const SELECT_ALERT: &str = "SELECT a.team_id, t.number AS team_number, n.number AS need_number, t.zone,
        a.left_count, a.back_count, a.raised_at, a.resolved_at, a.resolved_by, a.finding
    FROM headcount_alerts a JOIN teams t ON t.id = a.team_id LEFT JOIN needs n ON n.id = t.need_id";

/// Alerts not yet resolved, oldest first (the board's).
pub async fn open_alerts(conn: impl SqliteExecutor<'_>) -> Result<Vec<HeadcountAlert>, sqlx::Error> {
    let rows: Vec<AlertRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT_ALERT} WHERE a.resolved_at IS NULL ORDER BY a.raised_at, a.team_id"
    )))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(HeadcountAlert::from).collect())
}

async fn alert(conn: impl SqliteExecutor<'_>, team_id: i64) -> Result<Option<HeadcountAlert>, sqlx::Error> {
    let row: Option<AlertRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT_ALERT} WHERE a.team_id = ?")))
        .bind(team_id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(HeadcountAlert::from))
}

/// A coordinator accounts for the people missing: the alert leaves the board.
pub async fn resolve(
    db: &Db,
    clock: &Clock,
    actor: &Actor,
    team_id: i64,
    form: ResolveForm,
) -> Result<HeadcountAlert, AppError> {
    let finding = required_text("finding", &form.finding, "確認した内容", MAX_FINDING)?;
    let mut tx = db.begin_write().await?;
    let open = alert(tx.conn(), team_id).await?.ok_or_else(|| {
        AppError::not_found(Text::new("この班に帰着人数の警告はありません。", "This team has no headcount alert."))
    })?;
    if open.resolved_at.is_some() {
        return Err(AppError::conflict(Text::new(
            format!("{} の帰着人数の警告はすでに解除されています。", open.team_no),
            format!("{}'s headcount alert is already resolved.", open.team_no),
        ))
        .coded("already_resolved"));
    }
    sqlx::query("UPDATE headcount_alerts SET resolved_at = ?, resolved_by = ?, finding = ? WHERE team_id = ?")
        .bind(stamp(clock.now()))
        .bind(&actor.0)
        .bind(&finding)
        .bind(team_id)
        .execute(tx.conn())
        .await?;
    let resolved =
        HeadcountResolved { team_id, team_no: open.team_no.clone(), left: open.left, back: open.back, finding };
    tx.append(clock, actor, Some(open.team_no.clone()), &resolved).await?;
    let done = alert(tx.conn(), team_id).await?.expect("just updated");
    tx.commit().await?;
    Ok(done)
}

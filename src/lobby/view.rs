//! The lobby projection: what a screen in the waiting area may show.
//!
//! Everything here is public. The view is built only from row types that
//! select public columns (a team's number, day, departure and zone name; a
//! notice's words; counts), so a name, phone or address has no field to land
//! in: privacy is a property of the types, not a filter at the end.

use chrono::{DateTime, Duration, FixedOffset};
use serde::Serialize;
use sqlx::SqliteExecutor;
use sqlx::SqlitePool;

use crate::board::notices::{self, LobbyNotice};
use crate::clock::{Clock, stamp};
use crate::dispatch::team_no;
use crate::events;
use crate::i18n::{Lang, word};
use crate::settings;

/// A team stays on the screen this long after it was called.
pub const CALLED_FOR_MINUTES: i64 = 30;
/// At most this many called teams, newest first.
pub const MAX_CALLED: i64 = 12;
/// At most this many lobby notices, newest first.
pub const MAX_NOTICES: i64 = 5;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LobbyView {
    /// The last event this view includes.
    pub seq: i64,
    pub center_time: String,
    /// 活動日, `YYYY-MM-DD`.
    pub activity_day: String,
    pub drill: bool,
    pub state: CenterStatus,
    /// 活動中止の理由, when suspended.
    pub reason: Option<String>,
    /// 受付開始の時刻, `HH:MM` (the center's settings).
    pub opens_at: String,
    /// 受付終了の時刻, `HH:MM` (the center's settings).
    pub closes_at: String,
    /// People checked in and waiting to be called.
    pub waiting: i64,
    /// Teams called recently, newest first.
    pub called: Vec<CalledTeam>,
    /// Notices marked for the lobby, newest first.
    pub notices: Vec<LobbyNotice>,
}

/// 受付開始前 / 受付中 / 受付終了 / 活動中止.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CenterStatus {
    BeforeOpening,
    Open,
    Closed,
    Suspended,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CalledTeam {
    /// `T-014`.
    pub team_no: String,
    /// Where the team goes now.
    pub desk: String,
    /// The zone's name, when the team has one (never an address).
    pub zone: Option<String>,
    pub called_at: String,
}

impl LobbyView {
    /// The same screen, whatever the `seq` and the time stamp say.
    pub fn same_screen(&self, other: &LobbyView) -> bool {
        (
            self.state,
            &self.reason,
            self.waiting,
            &self.called,
            &self.notices,
            &self.activity_day,
            (&self.opens_at, &self.closes_at),
        ) == (
            other.state,
            &other.reason,
            other.waiting,
            &other.called,
            &other.notices,
            &other.activity_day,
            (&other.opens_at, &other.closes_at),
        )
    }
}

/// A team as the lobby may read it: no members, no need, no vehicle.
#[derive(sqlx::FromRow)]
struct CalledRow {
    number: i64,
    departed_at: String,
    zone: Option<String>,
}

/// The center-wide state, without who set it.
#[derive(sqlx::FromRow)]
struct StateRow {
    suspended: bool,
    reason: String,
}

/// Reads the view in one read transaction, so the counts and `seq` describe one moment.
pub async fn read(pool: &SqlitePool, clock: &Clock, drill: bool) -> Result<LobbyView, sqlx::Error> {
    let now = clock.now();
    let mut tx = pool.begin().await?;
    let seq = events::last_seq(&mut *tx).await?;
    let state: StateRow =
        sqlx::query_as("SELECT suspended, reason FROM center_state WHERE id = 1").fetch_one(&mut *tx).await?;
    let waiting = crate::reception::stats::for_day(&mut *tx, now.date_naive()).await?.waiting;
    let called = called(&mut *tx, now).await?;
    let notices = notices::for_lobby(&mut *tx, MAX_NOTICES).await?;
    let hours = settings::current(&mut tx).await?;
    tx.commit().await?;
    let (opens, closes) = (hours.reception_opens(), hours.reception_closes());
    let status = if state.suspended {
        CenterStatus::Suspended
    } else if now.time() < opens {
        CenterStatus::BeforeOpening
    } else if now.time() >= closes {
        CenterStatus::Closed
    } else {
        CenterStatus::Open
    };
    Ok(LobbyView {
        seq,
        center_time: stamp(now),
        activity_day: now.date_naive().to_string(),
        drill,
        state: status,
        reason: state.suspended.then_some(state.reason),
        opens_at: opens.format("%H:%M").to_string(),
        closes_at: closes.format("%H:%M").to_string(),
        waiting,
        called,
        notices,
    })
}

/// Where called teams go: the equipment desk hands out tools, then they leave.
/// The API names it in Japanese; the screen in its own language (`lobby.desk`).
fn desk() -> String {
    let lang = Lang::Ja;
    word(lang, "lobby.desk").into_owned()
}

async fn called(conn: impl SqliteExecutor<'_>, now: DateTime<FixedOffset>) -> Result<Vec<CalledTeam>, sqlx::Error> {
    let since = stamp(now - Duration::minutes(CALLED_FOR_MINUTES));
    let rows: Vec<CalledRow> = sqlx::query_as(
        "SELECT number, departed_at, zone FROM teams
         WHERE day = ? AND status = 'dispatched' AND departed_at >= ? AND departed_at <= ?
         ORDER BY departed_at DESC, number DESC LIMIT ?",
    )
    .bind(now.date_naive().to_string())
    .bind(since)
    .bind(stamp(now))
    .bind(MAX_CALLED)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| CalledTeam {
            team_no: team_no(row.number),
            desk: desk(),
            zone: row.zone,
            called_at: row.departed_at,
        })
        .collect())
}

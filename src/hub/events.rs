//! The hub's event log and its one way to write: [`HubTx`]. A command begins a
//! transaction, changes its tables, appends one event or more
//! ([`HubTx::append`], typed by the contract) and commits; a transaction with
//! no event is refused ([`HubCommitError::NoEvent`]), so every change is in the
//! log. The log's insert trigger NOTIFYs `hub_events` at commit, so every hub
//! process hears of it ([`crate::hub::notify`]).

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, Postgres, Transaction};

use super::contract::{HubDecodeError, HubEventPayload, HubPayload};
use super::db::HubDb;

/// Who made a change: `account:<id>`, `public` (no session), `system` (the
/// hub itself at start), `mail` (the outbox worker), `center:<id>` (a center's
/// sync, by its key).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HubActor(pub String);

impl HubActor {
    pub fn account(id: i64) -> HubActor {
        HubActor(format!("account:{id}"))
    }
    pub fn public() -> HubActor {
        HubActor("public".into())
    }
    pub fn system() -> HubActor {
        HubActor("system".into())
    }
    pub fn mail() -> HubActor {
        HubActor("mail".into())
    }
    pub fn center(id: i64) -> HubActor {
        HubActor(format!("center:{id}"))
    }
}

/// One write transaction of the hub.
pub struct HubTx {
    tx: Transaction<'static, Postgres>,
    appended: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum HubCommitError {
    #[error("a hub transaction appended no event; every change is an event")]
    NoEvent,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<HubCommitError> for crate::error::AppError {
    fn from(error: HubCommitError) -> Self {
        match error {
            HubCommitError::Database(error) => error.into(),
            HubCommitError::NoEvent => {
                tracing::error!("a hub transaction appended no event");
                crate::error::AppError::internal()
            }
        }
    }
}

impl HubTx {
    pub async fn begin(db: &HubDb) -> Result<HubTx, sqlx::Error> {
        Ok(HubTx { tx: db.pool.begin().await?, appended: 0 })
    }

    /// The transaction's connection, for the command's own SQL.
    pub fn conn(&mut self) -> &mut PgConnection {
        &mut self.tx
    }

    /// Appends one event in this transaction; its `seq`.
    pub async fn append<P: HubEventPayload>(
        &mut self,
        actor: &HubActor,
        subject: Option<String>,
        payload: &P,
    ) -> Result<i64, sqlx::Error> {
        let data = serde_json::to_value(payload).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        let seq: i64 = sqlx::query_scalar(
            "INSERT INTO hub_events (actor, kind, subject, data) VALUES ($1, $2, $3, $4) RETURNING seq",
        )
        .bind(&actor.0)
        .bind(P::KIND)
        .bind(subject)
        .bind(data)
        .fetch_one(&mut *self.tx)
        .await?;
        self.appended += 1;
        Ok(seq)
    }

    /// Commits, unless nothing was appended (then it rolls back and says so).
    pub async fn commit(self) -> Result<(), HubCommitError> {
        if self.appended == 0 {
            self.tx.rollback().await?;
            return Err(HubCommitError::NoEvent);
        }
        self.tx.commit().await?;
        Ok(())
    }
}

/// One row of the hub's log.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
#[schema(as = HubEvent)]
pub struct HubEvent {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub kind: String,
    pub subject: Option<String>,
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

impl HubEvent {
    pub fn payload(&self) -> Result<HubPayload, HubDecodeError> {
        HubPayload::decode(&self.kind, &self.data)
    }
}

/// Where a follower of the log stands: the last `(tx, seq)` it read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cursor {
    pub tx: i64,
    pub seq: i64,
}

/// Events after `cursor`, in an order that never changes once read: by
/// transaction id then `seq`, only of transactions older than every one still
/// running. (`seq` alone is not enough: two transactions take seqs in one
/// order and may commit in the other, and a follower by `seq` would skip the
/// later-committed one.)
pub async fn follow(db: &HubDb, cursor: Cursor, limit: i64) -> Result<Vec<(Cursor, HubEvent)>, sqlx::Error> {
    type Row = (i64, i64, DateTime<Utc>, String, String, Option<String>, serde_json::Value);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT tx::text::bigint, seq, at, actor, kind, subject, data FROM hub_events
          WHERE (tx, seq) > ($1::text::xid8, $2)
            AND tx < pg_snapshot_xmin(pg_current_snapshot())
          ORDER BY tx, seq LIMIT $3",
    )
    .bind(cursor.tx.to_string())
    .bind(cursor.seq)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(tx, seq, at, actor, kind, subject, data)| {
            (Cursor { tx, seq }, HubEvent { seq, at, actor, kind, subject, data })
        })
        .collect())
}

/// Every event of `P`'s kind, oldest first (tests, audits).
pub async fn all_of<P: HubEventPayload>(db: &HubDb) -> Result<Vec<HubEvent>, sqlx::Error> {
    sqlx::query_as("SELECT seq, at, actor, kind, subject, data FROM hub_events WHERE kind = $1 ORDER BY seq")
        .bind(P::KIND)
        .fetch_all(&db.pool)
        .await
}

//! The event log: the spine of borasen.
//!
//! Every change of state runs in a [`WriteTx`] and appends its event there with
//! [`WriteTx::append`]. [`WriteTx::commit`] commits the domain rows and the event
//! rows together, then publishes the events on the [`EventBus`], each serialised
//! once. A transaction dropped without commit rolls back and publishes nothing.
//! Live boards follow the bus; a client that connects late or falls behind is
//! replayed from the table with [`since`].

use std::sync::Arc;

use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;
use sqlx::{Sqlite, SqliteConnection, SqlitePool, Transaction};
use tokio::sync::{OwnedMutexGuard, broadcast};

use crate::clock::{Clock, stamp};

/// Who did it: a username, or one of the fixed non-human actors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor(pub String);

impl Actor {
    pub fn user(username: &str) -> Actor {
        Actor(username.to_string())
    }
    /// The server itself (first-start admin, scheduled jobs).
    pub fn system() -> Actor {
        Actor("system".into())
    }
    /// Somebody on a public page (pre-registration), not logged in.
    pub fn public() -> Actor {
        Actor("public".into())
    }
    /// Somebody at the laptop's terminal (`borasen users add`).
    pub fn cli() -> Actor {
        Actor("cli".into())
    }
}

/// One row of the log, as stored and as sent to boards.
#[derive(Clone, Debug, Serialize, PartialEq, sqlx::FromRow, utoipa::ToSchema)]
pub struct Event {
    pub seq: i64,
    /// RFC 3339 with the center's offset.
    pub at: String,
    pub actor: String,
    pub kind: String,
    pub subject: Option<String>,
    #[sqlx(json)]
    pub data: Value,
    pub drill: bool,
}

/// An event as published: its `seq` and its JSON, serialised once for every subscriber.
#[derive(Debug)]
pub struct Published {
    pub seq: i64,
    pub json: Bytes,
}

impl Event {
    pub fn to_json(&self) -> Bytes {
        Bytes::from(serde_json::to_vec(self).expect("an event always serialises"))
    }
}

/// The in-process broadcast of committed events.
#[derive(Clone)]
pub struct EventBus {
    sender: broadcast::Sender<Arc<Published>>,
}

impl EventBus {
    /// `buffer` events may queue per subscriber before it is told it lagged.
    pub fn new(buffer: usize) -> EventBus {
        EventBus { sender: broadcast::channel(buffer).0 }
    }

    /// Subscribe *before* reading a snapshot or replaying, so nothing falls between.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Published>> {
        self.sender.subscribe()
    }

    fn publish(&self, event: &Event) {
        let published = Arc::new(Published { seq: event.seq, json: event.to_json() });
        // No subscribers is fine: the table has it.
        let _ = self.sender.send(published);
    }
}

/// The one write transaction of its time. Domain commands take `&mut WriteTx`,
/// write their tables through [`WriteTx::conn`] and record what happened with
/// [`WriteTx::append`].
pub struct WriteTx {
    tx: Transaction<'static, Sqlite>,
    appended: Vec<Event>,
    bus: EventBus,
    drill: bool,
    _order: OwnedMutexGuard<()>,
}

#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// A write without its event would be invisible to boards, audit and reports.
    #[error("a write transaction was committed without appending an event")]
    NoEvent,
}

impl WriteTx {
    pub(crate) fn new(
        tx: Transaction<'static, Sqlite>,
        order: OwnedMutexGuard<()>,
        bus: EventBus,
        drill: bool,
    ) -> WriteTx {
        WriteTx { tx, appended: Vec::new(), bus, drill, _order: order }
    }

    /// The connection, for the domain's own SQL.
    pub fn conn(&mut self) -> &mut SqliteConnection {
        &mut self.tx
    }

    /// Appends one event to the log inside this transaction and returns it with its `seq`.
    pub async fn append(
        &mut self,
        clock: &Clock,
        actor: &Actor,
        kind: &str,
        subject: Option<String>,
        data: Value,
    ) -> Result<Event, sqlx::Error> {
        let at = stamp(clock.now());
        let seq: i64 = sqlx::query_scalar(
            "INSERT INTO events (at, actor, kind, subject, data, drill) VALUES (?, ?, ?, ?, ?, ?) RETURNING seq",
        )
        .bind(&at)
        .bind(&actor.0)
        .bind(kind)
        .bind(&subject)
        .bind(data.to_string())
        .bind(self.drill)
        .fetch_one(&mut *self.tx)
        .await?;
        let event = Event { seq, at, actor: actor.0.clone(), kind: kind.to_string(), subject, data, drill: self.drill };
        self.appended.push(event.clone());
        Ok(event)
    }

    /// Commits, then publishes the appended events in order. Refuses (and rolls
    /// back) a transaction that appended no event.
    ///
    /// Commit and publish run in their own task: a caller that is cancelled
    /// mid-commit (a client hung up) cannot leave a committed event unpublished.
    pub async fn commit(self) -> Result<Vec<Event>, CommitError> {
        if self.appended.is_empty() {
            return Err(CommitError::NoEvent);
        }
        let WriteTx { tx, appended, bus, _order: order, .. } = self;
        tokio::spawn(async move {
            tx.commit().await?;
            for event in &appended {
                bus.publish(event);
            }
            // The order guard goes only now, after publishing, so the next
            // writer's events cannot overtake these on the bus.
            drop(order);
            Ok(appended)
        })
        .await
        .expect("the commit task does not panic")
    }
}

/// Events after `seq`, oldest first, at most `limit` of them.
pub async fn since(pool: &SqlitePool, seq: i64, limit: i64) -> Result<Vec<Event>, sqlx::Error> {
    sqlx::query_as::<_, Event>(
        "SELECT seq, at, actor, kind, subject, data, drill FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
    )
    .bind(seq)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// The newest `seq`, 0 for an empty log.
pub async fn last_seq(conn: impl sqlx::SqliteExecutor<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM events").fetch_one(conn).await
}

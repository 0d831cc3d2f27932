//! The event log: the spine of borasen.
//!
//! Every change of state runs in a [`WriteTx`] and appends its event there with
//! [`WriteTx::append`]. [`WriteTx::commit`] makes the domain rows and the event
//! rows durable together, then publishes the events on the [`EventBus`], each
//! serialised once. A transaction dropped without commit rolls back and
//! publishes nothing. Live boards follow the bus; a client that connects late or
//! falls behind is replayed from the table with [`since`].

mod cause;
pub mod contract;
pub mod made;
pub mod once;
pub mod visibility;
pub(crate) mod write;

use std::sync::Arc;

use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;
use sqlx::SqlitePool;
use tokio::sync::broadcast;

pub use cause::Cause;
pub use contract::{DecodeError, EventPayload, Payload};
pub use write::{CommitError, WriteTx, Writer};

/// Who did it: a username or one of the fixed non-human actors (`.0`), and
/// why the event happened (`.1`, stored as the row's `cause`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor(pub String, pub Cause);

impl Actor {
    /// A person at a desk (in a drill: a player).
    pub fn user(username: &str) -> Actor {
        Actor(username.to_string(), Cause::Player)
    }
    /// A drill's trainer or evaluator at the console.
    pub fn controller(username: &str) -> Actor {
        Actor(username.to_string(), Cause::Trainer)
    }
    /// A drill's inject acting through the domain commands.
    pub fn inject() -> Actor {
        Actor("drill".into(), Cause::Inject)
    }
    /// A drill's autopilot playing the trainees.
    pub fn autopilot() -> Actor {
        Actor("autopilot".into(), Cause::Autopilot)
    }
    /// The server itself (first-start admin, scheduled jobs).
    pub fn system() -> Actor {
        Actor("system".into(), Cause::System)
    }
    /// Somebody on a public page (pre-registration), not logged in.
    pub fn public() -> Actor {
        Actor("public".into(), Cause::Player)
    }
    /// Somebody at the laptop's terminal (`borasen users add`).
    pub fn cli() -> Actor {
        Actor("cli".into(), Cause::System)
    }
    pub fn cause(&self) -> Cause {
        self.1
    }
}

/// One row of the log, as stored and as sent to boards.
#[derive(Clone, Debug, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Event {
    pub seq: i64,
    /// RFC 3339 with the center's offset.
    pub at: String,
    pub actor: String,
    pub kind: String,
    pub subject: Option<String>,
    pub data: Value,
    pub drill: bool,
    /// Who caused it (see [`Cause`]); rows from before it was recorded read it
    /// from their actor ([`Cause::of_row`]).
    pub cause: Cause,
    /// `false` for a row written before causes were recorded (migration 0020):
    /// its `cause` was read from its actor.
    #[serde(skip)]
    pub cause_recorded: bool,
}

impl<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> for Event {
    fn from_row(row: &'r sqlx::sqlite::SqliteRow) -> Result<Self, sqlx::Error> {
        use sqlx::Row;
        let actor: String = row.try_get("actor")?;
        let kind: String = row.try_get("kind")?;
        // A query that does not select `cause` reads it as an old row would.
        let stored: Option<String> = row.try_get("cause").unwrap_or(None);
        let sqlx::types::Json(data) = row.try_get::<sqlx::types::Json<Value>, _>("data")?;
        Ok(Event {
            seq: row.try_get("seq")?,
            at: row.try_get("at")?,
            cause: Cause::of_row(stored.as_deref(), &actor, &kind),
            cause_recorded: stored.is_some(),
            actor,
            kind,
            subject: row.try_get("subject")?,
            data,
            drill: row.try_get("drill")?,
        })
    }
}

/// An event as published: its `seq` and its JSON, serialised once for every subscriber.
#[derive(Debug)]
pub struct Published {
    pub seq: i64,
    pub json: Bytes,
    /// What a player sees of it ([`visibility::for_players`]), also made once:
    /// the same bytes, a redacted copy, or `None` when it is the controller's alone.
    pub player_json: Option<Bytes>,
}

impl Event {
    pub fn to_json(&self) -> Bytes {
        Bytes::from(serde_json::to_vec(self).expect("an event always serialises"))
    }

    /// Its `data` as `P`, when it is an event of `P`'s kind.
    pub fn decode<P: EventPayload>(&self) -> Result<P, DecodeError> {
        if self.kind != P::KIND {
            return Err(DecodeError::WrongKind { expected: P::KIND, found: self.kind.clone() });
        }
        contract::decode_data(&self.data)
    }

    /// Its `data` as the type of its kind, whatever that is.
    pub fn payload(&self) -> Result<Payload, DecodeError> {
        Payload::decode(&self.kind, &self.data)
    }

    /// Whether it is an event of `P`'s kind.
    pub fn is<P: EventPayload>(&self) -> bool {
        self.kind == P::KIND
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

    pub(crate) fn publish(&self, event: &Event) {
        let json = event.to_json();
        let player_json = visibility::Audience::Player.json_for(event, &json);
        let published = Arc::new(Published { seq: event.seq, json, player_json });
        // No subscribers is fine: the table has it.
        let _ = self.sender.send(published);
    }
}

/// Events after `seq`, oldest first, at most `limit` of them.
pub async fn since(pool: &SqlitePool, seq: i64, limit: i64) -> Result<Vec<Event>, sqlx::Error> {
    sqlx::query_as::<_, Event>(
        "SELECT seq, at, actor, kind, subject, data, drill, cause FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
    )
    .bind(seq)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// How many events of `P`'s kind were logged on `day` (center time).
pub async fn count_on<P: EventPayload>(
    conn: impl sqlx::SqliteExecutor<'_>,
    day: chrono::NaiveDate,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE kind = ? AND substr(at, 1, 10) = ?")
        .bind(P::KIND)
        .bind(day.to_string())
        .fetch_one(conn)
        .await
}

/// The newest `seq`, 0 for an empty log.
pub async fn last_seq(conn: impl sqlx::SqliteExecutor<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM events").fetch_one(conn).await
}

/// Every event of `P`'s kind with its data, oldest first. A row that does not
/// decode (the contract is additive, so none should) is logged and left out.
pub async fn all_of<P: EventPayload>(conn: impl sqlx::SqliteExecutor<'_>) -> Result<Vec<(Event, P)>, sqlx::Error> {
    let rows = sqlx::query_as::<_, Event>(
        "SELECT seq, at, actor, kind, subject, data, drill, cause FROM events WHERE kind = ? ORDER BY seq",
    )
    .bind(P::KIND)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().filter_map(|event| decoded(&event).map(|payload| (event, payload))).collect())
}

/// `event` as `P`, or `None` (and a warning) when its data does not fit.
pub fn decoded<P: EventPayload>(event: &Event) -> Option<P> {
    match event.decode::<P>() {
        Ok(payload) => Some(payload),
        Err(DecodeError::WrongKind { .. }) => None,
        Err(error) => {
            tracing::warn!(seq = event.seq, %error, "an event does not fit the contract; left out");
            None
        }
    }
}

/// Events of one kind after `seq`, oldest first, at most `limit`.
pub async fn of_kind_since(pool: &SqlitePool, kind: &str, seq: i64, limit: i64) -> Result<Vec<Event>, sqlx::Error> {
    sqlx::query_as::<_, Event>(
        "SELECT seq, at, actor, kind, subject, data, drill, cause FROM events WHERE kind = ? AND seq > ? ORDER BY seq LIMIT ?",
    )
    .bind(kind)
    .bind(seq)
    .bind(limit)
    .fetch_all(pool)
    .await
}

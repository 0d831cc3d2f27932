//! The one writer, with group commit.
//!
//! Every command runs inside a `SAVEPOINT` of an outer transaction on the one
//! writable connection, one command at a time. Committing a command releases
//! its savepoint into the current *batch*; the batch is made durable by one
//! `COMMIT` (one fsync with `synchronous=FULL`) for every command in it, and
//! only then are its events published and its commands answered. So a write
//! that returned is on disk, and a busy desk pays one fsync per batch rather
//! than one per check-in.
//!
//! Who commits a batch: every committing command, after releasing the writer,
//! queues for it once more (the lock is fair, first come first served) and
//! commits the batch unless a command ahead of it already has. Commands that
//! began meanwhile are ahead in the queue, so they join the batch first. A
//! command that is dropped without committing rolls back to its savepoint and
//! leaves the batch as it was.

use std::collections::VecDeque;
use std::sync::Arc;

use sqlx::SqliteConnection;
use tokio::sync::{Mutex, OwnedMutexGuard};

use super::{Actor, Event, EventBus, EventPayload};
use crate::clock::{Clock, stamp};

/// A batch this large is committed at once, to bound everybody's wait.
const MAX_BATCH: usize = 64;
/// Outcomes of recent batches, kept for commands still to collect theirs.
const RESULTS_KEPT: usize = 1024;

/// The writable connection and the batch not yet committed.
pub struct Writer {
    conn: SqliteConnection,
    /// An outer `BEGIN IMMEDIATE` is open.
    open: bool,
    /// The number of the batch being filled.
    batch: u64,
    /// Events of the commands released into the batch, in `seq` order.
    pending: Vec<Event>,
    /// Commands in the batch.
    members: usize,
    /// `(batch, outcome)` of committed or failed batches, newest last.
    results: VecDeque<(u64, Result<(), String>)>,
    /// A dropped command's savepoint still awaits its rollback (set in `drop`,
    /// synchronously, so the next holder of the writer undoes it even if the
    /// rollback task never ran).
    rollback_owed: bool,
    bus: EventBus,
    drill: bool,
}

impl Writer {
    pub fn new(conn: SqliteConnection, bus: EventBus, drill: bool) -> Writer {
        Writer {
            conn,
            open: false,
            batch: 0,
            pending: Vec::new(),
            members: 0,
            results: VecDeque::new(),
            rollback_owed: false,
            bus,
            drill,
        }
    }

    /// Starts a command: opens the outer transaction if needed, then its savepoint.
    /// Runs in its own task (see `Db::begin_write`): a caller cancelled midway
    /// cannot leave a `BEGIN` executed but unrecorded.
    pub async fn begin(mut writer: OwnedMutexGuard<Writer>) -> Result<WriteTx, sqlx::Error> {
        writer.settle().await;
        if !writer.open {
            if let Err(error) = sqlx::query("BEGIN IMMEDIATE").execute(&mut writer.conn).await {
                // A transaction the flag does not know of is empty (nothing is
                // committed outside a batch): drop it and start afresh once.
                let text = error.to_string();
                if !text.contains("within a transaction") {
                    return Err(error);
                }
                tracing::warn!("an unrecorded transaction was open on the writer; rolled back");
                let _ = sqlx::query("ROLLBACK").execute(&mut writer.conn).await;
                sqlx::query("BEGIN IMMEDIATE").execute(&mut writer.conn).await?;
            }
            writer.open = true;
        }
        if let Err(error) = sqlx::query("SAVEPOINT command").execute(&mut writer.conn).await {
            writer.close_if_idle().await;
            return Err(error);
        }
        Ok(WriteTx { writer: Some(writer), appended: Vec::new(), runtime: tokio::runtime::Handle::current() })
    }

    /// Undoes a dropped command whose rollback task did not get to run.
    async fn settle(&mut self) {
        if self.rollback_owed {
            rollback_command(self).await;
        }
    }

    /// Commits the batch, publishes its events in order, and records the outcome.
    async fn commit_batch(&mut self) {
        let outcome = match sqlx::query("COMMIT").execute(&mut self.conn).await {
            Ok(_) => {
                for event in &self.pending {
                    self.bus.publish(event);
                }
                Ok(())
            }
            Err(error) => {
                tracing::error!(%error, "group commit failed; the batch is rolled back");
                let _ = sqlx::query("ROLLBACK").execute(&mut self.conn).await;
                Err(error.to_string())
            }
        };
        self.open = false;
        self.pending.clear();
        self.members = 0;
        self.results.push_back((self.batch, outcome));
        if self.results.len() > RESULTS_KEPT {
            self.results.pop_front();
        }
        self.batch += 1;
    }

    /// Ends an outer transaction that holds nothing, so other processes
    /// (`borasen users add`) are not kept waiting for the write lock.
    async fn close_if_idle(&mut self) {
        if self.open && self.members == 0 {
            let _ = sqlx::query("ROLLBACK").execute(&mut self.conn).await;
            self.open = false;
        }
    }

    fn outcome(&self, batch: u64) -> Result<(), CommitError> {
        match self.results.iter().rev().find(|(b, _)| *b == batch) {
            Some((_, Ok(()))) => Ok(()),
            Some((_, Err(message))) => Err(CommitError::Batch(message.clone())),
            None => Err(CommitError::Batch("the batch's outcome was forgotten".into())),
        }
    }

    pub async fn stop_automatic_checkpoints(&mut self) -> Result<(), sqlx::Error> {
        sqlx::query("PRAGMA wal_autocheckpoint = 0").execute(&mut self.conn).await.map(|_| ())
    }

    /// Commits whatever is pending and ends the outer transaction; used at
    /// shutdown. The connection closes when the last `Db` clone goes.
    pub async fn shutdown(&mut self) {
        self.settle().await;
        if self.members > 0 {
            self.commit_batch().await;
        } else {
            self.close_if_idle().await;
        }
    }
}

/// One command's write transaction. Domain commands take `&mut WriteTx`, write
/// their tables through [`WriteTx::conn`] and record what happened with
/// [`WriteTx::append`]; then [`WriteTx::commit`].
pub struct WriteTx {
    /// `None` once committed or handed to the rollback task.
    writer: Option<OwnedMutexGuard<Writer>>,
    appended: Vec<Event>,
    /// Where `drop` sends the rollback, even from outside a runtime.
    runtime: tokio::runtime::Handle,
}

#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// A write without its event would be invisible to boards, audit and reports.
    #[error("a write transaction was committed without appending an event")]
    NoEvent,
    #[error("the batch this write belonged to failed to commit: {0}")]
    Batch(String),
}

impl WriteTx {
    fn writer(&mut self) -> &mut Writer {
        self.writer.as_mut().expect("a live write transaction holds the writer")
    }

    /// The connection, for the domain's own SQL.
    pub fn conn(&mut self) -> &mut SqliteConnection {
        &mut self.writer().conn
    }

    /// Appends one event to the log inside this transaction and returns it
    /// with its `seq`. Its kind is the payload's ([`EventPayload::KIND`]): only
    /// a type of the event contract can be appended.
    pub async fn append<P: EventPayload>(
        &mut self,
        clock: &Clock,
        actor: &Actor,
        subject: Option<String>,
        payload: &P,
    ) -> Result<Event, sqlx::Error> {
        // Kept as a JSON value: the row and the board's message carry the same
        // `data` as before the contract (keys in the same order).
        let data = serde_json::to_value(payload).expect("an event payload serialises");
        let kind = P::KIND;
        let at = stamp(clock.now());
        let drill = self.writer().drill;
        let seq: i64 = sqlx::query_scalar(
            "INSERT INTO events (at, actor, kind, subject, data, drill, cause) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING seq",
        )
        .bind(&at)
        .bind(&actor.0)
        .bind(kind)
        .bind(&subject)
        .bind(data.to_string())
        .bind(drill)
        .bind(actor.cause().as_str())
        .fetch_one(self.conn())
        .await?;
        let event = Event {
            seq,
            at,
            actor: actor.0.clone(),
            kind: kind.to_string(),
            subject,
            data,
            drill,
            cause: actor.cause(),
            cause_recorded: true,
        };
        self.appended.push(event.clone());
        Ok(event)
    }

    /// Makes the command durable with its batch, then returns its events once
    /// they are published. Refuses (and rolls back) a transaction that appended
    /// no event.
    ///
    /// The work runs in its own task: a caller cancelled mid-commit (a client
    /// hung up) cannot leave a committed event unpublished or a batch uncommitted.
    ///
    /// The request's `Idempotency-Key`, if it has one not yet claimed, is
    /// claimed in the same transaction (see [`super::once`]).
    pub async fn commit(mut self) -> Result<Vec<Event>, CommitError> {
        if self.appended.is_empty() {
            return Err(CommitError::NoEvent); // dropping `self` rolls back
        }
        let claim = super::once::unclaimed();
        let appended = std::mem::take(&mut self.appended);
        let events = self.release_into_batch(appended, claim.clone()).await?;
        if let Some(claim) = claim {
            claim.mark_claimed();
        }
        super::made::note(&events);
        Ok(events)
    }

    /// Commits a write that changes no state of the center and so has no
    /// event: only [`super::once`] storing the answer of a claimed key.
    pub(super) async fn commit_bookkeeping(mut self) -> Result<(), CommitError> {
        self.release_into_batch(Vec::new(), None).await.map(|_| ())
    }

    /// Releases the savepoint into the batch (claiming `claim` first) and
    /// returns `appended` once the batch is durable and published.
    async fn release_into_batch(
        &mut self,
        appended: Vec<Event>,
        claim: Option<Arc<super::once::Claim>>,
    ) -> Result<Vec<Event>, CommitError> {
        let mut writer = self.writer.take().expect("a live write transaction holds the writer");
        let task = self.runtime.spawn(async move {
            if let Some(claim) = &claim
                && let Err(error) = super::once::claim(&mut writer.conn, claim).await
            {
                rollback_command(&mut writer).await;
                return Err(CommitError::Database(error));
            }
            if let Err(error) = sqlx::query("RELEASE command").execute(&mut writer.conn).await {
                rollback_command(&mut writer).await;
                return Err(CommitError::Database(error));
            }
            writer.pending.extend(appended.iter().cloned());
            writer.members += 1;
            let batch = writer.batch;
            if writer.members >= MAX_BATCH {
                writer.commit_batch().await;
                return writer.outcome(batch).map(|()| appended);
            }
            // Let commands already waiting join the batch, then come back for it.
            let lock = OwnedMutexGuard::mutex(&writer).clone();
            drop(writer);
            let mut writer = lock.lock_owned().await;
            writer.settle().await;
            if writer.batch == batch {
                writer.commit_batch().await;
            }
            writer.outcome(batch).map(|()| appended)
        });
        task.await.unwrap_or_else(|error| Err(CommitError::Batch(format!("the commit task ended early: {error}"))))
    }
}

impl Drop for WriteTx {
    /// Not committed: undo this command's savepoint, keep the batch. Async work
    /// cannot run in `drop`, so a task takes the writer (and its lock) to do it.
    fn drop(&mut self) {
        if let Some(mut writer) = self.writer.take() {
            writer.rollback_owed = true;
            self.runtime.spawn(async move { writer.settle().await });
        }
    }
}

async fn rollback_command(writer: &mut Writer) {
    writer.rollback_owed = false;
    let undone = sqlx::query("ROLLBACK TO command").execute(&mut writer.conn).await;
    let released = sqlx::query("RELEASE command").execute(&mut writer.conn).await;
    if let Err(error) = undone.and(released) {
        // The connection is in an unknown state: give up the whole batch
        // rather than commit a half-undone command.
        tracing::error!(%error, "rolling back a command failed; the batch is rolled back");
        let _ = sqlx::query("ROLLBACK").execute(&mut writer.conn).await;
        writer.open = false;
        writer.pending.clear();
        writer.members = 0;
        let batch = writer.batch;
        writer.results.push_back((batch, Err(error.to_string())));
        writer.batch += 1;
        return;
    }
    writer.close_if_idle().await;
}

/// The lock around the writer, shared by every [`crate::db::Db`] clone.
pub type SharedWriter = Arc<Mutex<Writer>>;

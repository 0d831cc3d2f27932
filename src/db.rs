//! Opening the SQLite file. Durability settings live here and nowhere else:
//! WAL with `synchronous=FULL` makes a commit that returned survive kill -9 and
//! power loss. Writes go through the one writer ([`Db::begin_write`], with group
//! commit: see `events::write`); reads use a read-only pool.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, SqliteConnection, SqlitePool};
use tokio::sync::Mutex;

use crate::events::write::SharedWriter;
use crate::events::{EventBus, WriteTx, Writer};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// How often the background task checkpoints the WAL into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);
/// A WAL past this size is checkpointed with TRUNCATE: a burst of writes with
/// readers always active (boards, desks) otherwise keeps the log from being
/// reset, and it grows without bound (331 MB for a 14 MB database was seen).
pub const WAL_LIMIT_BYTES: u64 = 64 << 20;

#[derive(Clone)]
pub struct Db {
    /// Many connections, for reads only.
    pub read: SqlitePool,
    /// Exactly one writable connection: SQLite has one writer anyway, and one
    /// connection means no `SQLITE_BUSY` on lock upgrades.
    writer: SharedWriter,
    bus: EventBus,
    drill: bool,
    path: PathBuf,
    /// See [`WAL_LIMIT_BYTES`]; tests lower it.
    wal_limit: Arc<AtomicU64>,
}

impl Db {
    /// Opens (creating if needed) the database file and runs pending migrations.
    pub async fn open(path: &Path, bus: EventBus, drill: bool) -> Result<Db, sqlx::Error> {
        // Private before SQLite opens it: its -wal and -shm files take its mode.
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            crate::private_files::private_dir(folder)?;
        }
        crate::private_files::private_file(path)?;
        for companion in ["-wal", "-shm"] {
            let mut name = path.as_os_str().to_owned();
            name.push(companion);
            crate::private_files::restrict(Path::new(&name))?;
        }
        let options = connect_options(path)?.create_if_missing(true);
        let mut conn = SqliteConnection::connect_with(&options).await?;
        MIGRATOR.run(&mut conn).await?;
        let read = SqlitePoolOptions::new().max_connections(8).connect_with(options.read_only(true)).await?;
        let writer = Arc::new(Mutex::new(Writer::new(conn, bus.clone(), drill)));
        Ok(Db {
            read,
            writer,
            bus,
            drill,
            path: path.to_path_buf(),
            wal_limit: Arc::new(AtomicU64::new(WAL_LIMIT_BYTES)),
        })
    }

    /// Starts a command's write transaction; commands run one at a time.
    /// Every domain command runs inside one; see [`WriteTx`].
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        let writer = self.writer.clone();
        // Its own task: a caller cancelled midway gets its WriteTx dropped
        // (rolled back) instead of leaving the writer half-begun.
        tokio::spawn(async move { Writer::begin(writer.lock_owned().await).await }).await.unwrap_or_else(|error| {
            Err(sqlx::Error::WorkerCrashed).inspect_err(|_| tracing::error!(%error, "begin task failed"))
        })
    }

    /// Moves WAL checkpoints off the commit path: the writer stops doing them
    /// (each one would stall the batch that triggered it) and a task does a
    /// passive checkpoint every second on its own connection. For the server;
    /// short-lived commands keep SQLite's automatic checkpoints.
    pub async fn checkpoint_in_background(&self) -> Result<tokio::task::JoinHandle<()>, sqlx::Error> {
        // A TRUNCATE checkpoint holds the write lock while it waits for readers:
        // it gives up after 200 ms (and tries again a second later) rather than
        // stall the desks' writes for the whole busy timeout.
        let options = connect_options(&self.path)?.busy_timeout(Duration::from_millis(200));
        let mut conn = SqliteConnection::connect_with(&options).await?;
        self.writer.lock().await.stop_automatic_checkpoints().await?;
        let (wal, limit) = (self.wal_path(), self.wal_limit.clone());
        Ok(tokio::spawn(async move {
            let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
            loop {
                tick.tick().await;
                let size = std::fs::metadata(&wal).map_or(0, |m| m.len());
                let mode = if size > limit.load(Ordering::Relaxed) { "TRUNCATE" } else { "PASSIVE" };
                // TRUNCATE waits (busy timeout) for readers to leave the log, then empties it.
                let sql = format!("PRAGMA wal_checkpoint({mode})");
                if let Err(error) = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await {
                    tracing::warn!(%error, mode, "WAL checkpoint failed; will retry");
                }
            }
        }))
    }

    /// Lowers or raises the WAL size past which it is truncated (tests, benchmarks).
    pub fn set_wal_limit(&self, bytes: u64) {
        self.wal_limit.store(bytes, Ordering::Relaxed);
    }

    pub fn wal_path(&self) -> PathBuf {
        let mut name = self.path.as_os_str().to_owned();
        name.push("-wal");
        PathBuf::from(name)
    }

    pub fn bus(&self) -> &EventBus {
        &self.bus
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn is_drill(&self) -> bool {
        self.drill
    }

    /// Commits anything pending and closes both the writer and the readers.
    pub async fn close(&self) {
        // The writer first: a reader held elsewhere must not delay committing.
        self.writer.lock().await.shutdown().await;
        self.read.close().await;
    }
}

pub fn connect_options(path: &Path) -> Result<SqliteConnectOptions, sqlx::Error> {
    Ok(SqliteConnectOptions::new()
        .filename(path)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        // When the log is reset after a checkpoint, it is cut back to this size.
        .pragma("journal_size_limit", WAL_LIMIT_BYTES.to_string())
        .busy_timeout(Duration::from_secs(10)))
}

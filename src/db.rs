//! Opening the SQLite file. Durability settings live here and nowhere else:
//! WAL with `synchronous=FULL` makes a commit that returned survive kill -9 and
//! power loss. Writes go through the one writer ([`Db::begin_write`], with group
//! commit: see `events::write`); reads use a read-only pool.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, SqliteConnection, SqlitePool};
use tokio::sync::Mutex;

use crate::events::write::SharedWriter;
use crate::events::{EventBus, WriteTx, Writer};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Clone)]
pub struct Db {
    /// Many connections, for reads only.
    pub read: SqlitePool,
    /// Exactly one writable connection: SQLite has one writer anyway, and one
    /// connection means no `SQLITE_BUSY` on lock upgrades.
    writer: SharedWriter,
    bus: EventBus,
    drill: bool,
}

impl Db {
    /// Opens (creating if needed) the database file and runs pending migrations.
    pub async fn open(path: &Path, bus: EventBus, drill: bool) -> Result<Db, sqlx::Error> {
        let options = connect_options(path)?.create_if_missing(true);
        let mut conn = SqliteConnection::connect_with(&options).await?;
        MIGRATOR.run(&mut conn).await?;
        let read = SqlitePoolOptions::new().max_connections(8).connect_with(options.read_only(true)).await?;
        let writer = Arc::new(Mutex::new(Writer::new(conn, bus.clone(), drill)));
        Ok(Db { read, writer, bus, drill })
    }

    /// Starts a command's write transaction; commands run one at a time.
    /// Every domain command runs inside one; see [`WriteTx`].
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        Writer::begin(self.writer.clone().lock_owned().await).await
    }

    pub fn bus(&self) -> &EventBus {
        &self.bus
    }

    pub fn is_drill(&self) -> bool {
        self.drill
    }

    /// Commits anything pending and closes both the writer and the readers.
    pub async fn close(&self) {
        self.read.close().await;
        let mut writer = self.writer.lock().await;
        writer.shutdown().await;
    }
}

pub fn connect_options(path: &Path) -> Result<SqliteConnectOptions, sqlx::Error> {
    Ok(SqliteConnectOptions::new()
        .filename(path)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10)))
}

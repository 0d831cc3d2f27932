//! Opening the SQLite file. Durability settings live here and nowhere else:
//! WAL with `synchronous=FULL` makes a commit that returned survive kill -9 and
//! power loss. Writes are serialised through [`Db::begin_write`]; reads use a pool.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use tokio::sync::Mutex;

use crate::events::{EventBus, WriteTx};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Clone)]
pub struct Db {
    /// Many connections, for reads only.
    pub read: SqlitePool,
    /// Exactly one connection: SQLite has one writer anyway, and one connection
    /// means no `SQLITE_BUSY` on lock upgrades.
    writer: SqlitePool,
    /// Held from `BEGIN` until the commit's events are published, so events reach
    /// subscribers in `seq` order.
    write_order: Arc<Mutex<()>>,
    bus: EventBus,
    drill: bool,
}

impl Db {
    /// Opens (creating if needed) the database file and runs pending migrations.
    pub async fn open(path: &Path, bus: EventBus, drill: bool) -> Result<Db, sqlx::Error> {
        let options = connect_options(path)?.create_if_missing(true);
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options.clone())
            .await?;
        MIGRATOR.run(&writer).await?;
        let read = SqlitePoolOptions::new().max_connections(8).connect_with(options.read_only(true)).await?;
        Ok(Db { read, writer, write_order: Arc::new(Mutex::new(())), bus, drill })
    }

    /// Starts the one write transaction that may run at a time. Every domain
    /// command runs inside one; see [`WriteTx`].
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        let order = self.write_order.clone().lock_owned().await;
        let tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        Ok(WriteTx::new(tx, order, self.bus.clone(), self.drill))
    }

    pub fn bus(&self) -> &EventBus {
        &self.bus
    }

    pub fn is_drill(&self) -> bool {
        self.drill
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.writer.close().await;
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

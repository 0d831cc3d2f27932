//! The hub's PostgreSQL: a pool, and the hub's own migrations
//! (`migrations/hub/`, apart from the center's SQLite ones) run at start.
//! sqlx's migrator takes an advisory lock, so hub processes starting together
//! migrate once.

use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/hub");

/// The hub's database. Cloning shares the pool.
#[derive(Clone, Debug)]
pub struct HubDb {
    pub pool: PgPool,
}

#[derive(Debug, thiserror::Error)]
pub enum HubDbError {
    #[error("データベースのURLが読めません / the database URL does not parse: {0}")]
    Url(sqlx::Error),
    #[error("PostgreSQL に接続できません / cannot connect to PostgreSQL: {0}")]
    Connect(sqlx::Error),
    #[error("ハブのマイグレーションに失敗しました / the hub's migrations failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl HubDb {
    /// Connects (`postgres://…`; a Unix socket with `?host=/dir`) and migrates.
    pub async fn open(url: &str, max_connections: u32) -> Result<HubDb, HubDbError> {
        let options: PgConnectOptions = url.parse().map_err(HubDbError::Url)?;
        let options = options.application_name("borasen-hub");
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(HubDbError::Connect)?;
        MIGRATOR.run(&pool).await?;
        Ok(HubDb { pool })
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

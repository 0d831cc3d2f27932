//! Consistent copies of the database with `VACUUM INTO`, by hand
//! (`borasen backup`) and on a schedule while serving.
//!
//! A copy comes out in rollback-journal mode; opening it as the live file
//! (`borasen-data/borasen.sqlite`) switches it back to WAL.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::{Connection, SqliteConnection};

use crate::clock::Clock;
use crate::db::connect_options;

/// Writes `borasen-YYYYMMDD-HHMMSS.sqlite` into `dir` and returns its path.
pub async fn write(database: &Path, dir: &Path, clock: &Clock) -> Result<PathBuf, BackupError> {
    if !database.exists() {
        return Err(BackupError::NoDatabase(database.to_path_buf()));
    }
    crate::private_files::private_dir(dir).map_err(|e| BackupError::Io(dir.to_path_buf(), e))?;
    let target = free_name(dir, &clock.now().format("borasen-%Y%m%d-%H%M%S").to_string());
    // VACUUM INTO writes into an empty file it is given: a private one.
    crate::private_files::private_file(&target).map_err(|e| BackupError::Io(target.clone(), e))?;
    // Its own read-only connection: VACUUM INTO reads a consistent snapshot,
    // never holds the writer, and cannot change the live file.
    let mut conn = SqliteConnection::connect_with(&connect_options(database)?.read_only(true)).await?;
    sqlx::query("VACUUM INTO ?").bind(target.to_string_lossy().as_ref()).execute(&mut conn).await?;
    conn.close().await?;
    Ok(target)
}

/// `VACUUM INTO` refuses an existing file: add -2, -3 … within the same second.
fn free_name(dir: &Path, stem: &str) -> PathBuf {
    let mut candidate = dir.join(format!("{stem}.sqlite"));
    let mut n = 2;
    while candidate.exists() {
        candidate = dir.join(format!("{stem}-{n}.sqlite"));
        n += 1;
    }
    candidate
}

/// The scheduled backup; runs until aborted.
pub async fn every(database: PathBuf, dir: PathBuf, clock: Clock, period: Duration) {
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    loop {
        tick.tick().await;
        match write(&database, &dir, &clock).await {
            Ok(path) => tracing::info!(path = %path.display(), "scheduled backup written"),
            Err(error) => tracing::error!(%error, "scheduled backup failed"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("データベースがありません / no database at {0}")]
    NoDatabase(PathBuf),
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

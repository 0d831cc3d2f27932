//! Consistent copies of the database with `VACUUM INTO`, by hand
//! (`borasen backup`) and on a schedule while serving, each with a copy of
//! the local CA (`DATA/tls/`) beside it: a center restored on another laptop
//! keeps the certificate its tablets already trust.
//!
//! A copy comes out in rollback-journal mode; opening it as the live file
//! (`borasen-data/borasen.sqlite`) switches it back to WAL.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::{Connection, SqliteConnection};

use crate::clock::Clock;
use crate::db::connect_options;

/// What a center's backup copies.
#[derive(Clone, Debug)]
pub struct Sources {
    pub database: PathBuf,
    /// The local CA and the server's certificate; absent on a center without `--tls`.
    pub tls: PathBuf,
}

/// Writes the database's copy and, where the center has a CA, the folder
/// `borasen-YYYYMMDD-HHMMSS.tls/` beside it. Returns the database copy's path.
pub async fn write_center(sources: &Sources, dir: &Path, clock: &Clock) -> Result<PathBuf, BackupError> {
    let copy = write(&sources.database, dir, clock).await?;
    copy_tls(&sources.tls, &copy.with_extension("tls"))?;
    Ok(copy)
}

/// Copies the certificate files of `tls` into the private folder `to`
/// (nothing when the center has none). A half-written `.tmp` is left behind.
fn copy_tls(tls: &Path, to: &Path) -> Result<(), BackupError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |e| BackupError::Io(path, e)
    };
    if !tls.is_dir() {
        return Ok(());
    }
    crate::private_files::private_dir(to).map_err(io(to))?;
    for entry in std::fs::read_dir(tls).map_err(io(tls))? {
        let from = entry.map_err(io(tls))?.path();
        if !from.is_file() || from.extension().is_some_and(|e| e == "tmp") {
            continue;
        }
        let Some(name) = from.file_name() else { continue };
        let target = to.join(name);
        // Private before a byte is written, whatever the original's mode: the folder holds the CA's key.
        crate::private_files::private_file(&target).map_err(io(&target))?;
        let mut reader = std::fs::File::open(&from).map_err(io(&from))?;
        let mut writer = std::fs::OpenOptions::new().write(true).truncate(true).open(&target).map_err(io(&target))?;
        std::io::copy(&mut reader, &mut writer).map_err(io(&target))?;
        writer.sync_all().map_err(io(&target))?;
    }
    Ok(())
}

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
pub async fn every(sources: Sources, dir: PathBuf, clock: Clock, period: Duration) {
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    loop {
        tick.tick().await;
        match write_center(&sources, &dir, &clock).await {
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

//! The SQL of `hub_link` (one row: where, the key, the cursor) and `hub_reports`.

use sqlx::{SqliteConnection, SqliteExecutor};

#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct Stored {
    pub url: Option<String>,
    pub key: Option<String>,
    pub cursor: String,
}

pub async fn read(conn: impl SqliteExecutor<'_>) -> Result<Stored, sqlx::Error> {
    sqlx::query_as("SELECT url, key, cursor FROM hub_link WHERE id = 1").fetch_one(conn).await
}

/// A new hub (another address) starts its cursor over: its booking order is its own.
pub async fn set_config(
    conn: &mut SqliteConnection,
    url: Option<&str>,
    key: Option<&str>,
    same_hub: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE hub_link SET url = ?, key = ?, cursor = CASE WHEN ? THEN cursor ELSE '' END WHERE id = 1")
        .bind(url)
        .bind(key)
        .bind(same_hub)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_cursor(conn: &mut SqliteConnection, cursor: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE hub_link SET cursor = ? WHERE id = 1").bind(cursor).execute(conn).await?;
    Ok(())
}

/// The digest of the day's newest report, sent or not.
pub async fn last_digest(conn: impl SqliteExecutor<'_>, day: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT digest FROM hub_reports WHERE day = ? ORDER BY batch_seq DESC LIMIT 1")
        .bind(day)
        .fetch_optional(conn)
        .await
}

/// The next report's number: after every one made, sent or dropped.
pub async fn next_seq(conn: &mut SqliteConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(MAX(batch_seq), 0) + 1 FROM hub_reports").fetch_one(conn).await
}

pub struct NewReport<'a> {
    pub batch_seq: i64,
    pub batch_id: &'a str,
    pub day: &'a str,
    pub body: &'a str,
    pub digest: &'a str,
    pub made_at: &'a str,
}

/// Keeps a report; an older unsent one of the same day is dropped, since this
/// one says all it said (the hub keeps the highest `batch_seq` of a day).
pub async fn insert(conn: &mut SqliteConnection, report: &NewReport<'_>) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM hub_reports WHERE day = ? AND sent_at IS NULL")
        .bind(report.day)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO hub_reports (batch_seq, batch_id, day, body, digest, made_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(report.batch_seq)
        .bind(report.batch_id)
        .bind(report.day)
        .bind(report.body)
        .bind(report.digest)
        .bind(report.made_at)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Pending {
    pub batch_seq: i64,
    pub body: String,
}

pub async fn pending(conn: impl SqliteExecutor<'_>) -> Result<Vec<Pending>, sqlx::Error> {
    sqlx::query_as("SELECT batch_seq, body FROM hub_reports WHERE sent_at IS NULL ORDER BY batch_seq")
        .fetch_all(conn)
        .await
}

pub async fn pending_count(conn: impl SqliteExecutor<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM hub_reports WHERE sent_at IS NULL").fetch_one(conn).await
}

pub async fn mark_sent(conn: &mut SqliteConnection, batch_seq: i64, at: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE hub_reports SET sent_at = ? WHERE batch_seq = ?")
        .bind(at)
        .bind(batch_seq)
        .execute(conn)
        .await?;
    Ok(())
}

//! All SQL of `wbgt_readings` and `safety_alerts`.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::SqliteConnection;

/// A WBGT reading as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub(crate) struct ReadingRow {
    pub at: String,
    pub wbgt: f64,
}

/// A weather warning or heat prompt, open until the coordinator decides.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
#[schema(as = SafetyAlert)]
pub struct Alert {
    pub id: i64,
    /// Activity day, `YYYY-MM-DD`.
    pub day: String,
    pub at: String,
    /// `heat`, `heavy_rain`, `thunder`, `aftershock`.
    pub kind: String,
    pub note: String,
    /// `suspend` or `continue`; none while open.
    pub decision: Option<String>,
    pub reason: String,
    pub decided_at: Option<String>,
}

pub(crate) async fn insert_reading(
    conn: &mut SqliteConnection,
    day: NaiveDate,
    at: &str,
    wbgt: f64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO wbgt_readings (day, at, wbgt) VALUES (?, ?, ?)")
        .bind(day.to_string())
        .bind(at)
        .bind(wbgt)
        .execute(conn)
        .await
        .map(|_| ())
}

/// The latest reading of `day` taken at or before `at` (stamps of one offset sort as text).
pub(crate) async fn reading_at(
    conn: &mut SqliteConnection,
    day: &str,
    at: &str,
) -> Result<Option<ReadingRow>, sqlx::Error> {
    sqlx::query_as("SELECT at, wbgt FROM wbgt_readings WHERE day = ? AND at <= ? ORDER BY at DESC, id DESC LIMIT 1")
        .bind(day)
        .bind(at)
        .fetch_optional(conn)
        .await
}

pub(crate) async fn insert_alert(
    conn: &mut SqliteConnection,
    day: NaiveDate,
    at: &str,
    kind: &str,
    note: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("INSERT INTO safety_alerts (day, at, kind, note) VALUES (?, ?, ?, ?) RETURNING id")
        .bind(day.to_string())
        .bind(at)
        .bind(kind)
        .bind(note)
        .fetch_one(conn)
        .await
}

pub(crate) async fn alert(conn: &mut SqliteConnection, id: i64) -> Result<Option<Alert>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM safety_alerts WHERE id = ?").bind(id).fetch_optional(conn).await
}

/// Alerts not yet decided, oldest first.
pub(crate) async fn open_alerts(conn: &mut SqliteConnection) -> Result<Vec<Alert>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM safety_alerts WHERE decision IS NULL ORDER BY at, id").fetch_all(conn).await
}

pub(crate) async fn decide(
    conn: &mut SqliteConnection,
    id: i64,
    decision: &str,
    reason: &str,
    at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE safety_alerts SET decision = ?, reason = ?, decided_at = ? WHERE id = ? AND decision IS NULL")
        .bind(decision)
        .bind(reason)
        .bind(at)
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

//! The `zones` table: the current zone set, replaced whole on import.

use serde_json::json;
use sqlx::SqliteExecutor;

use super::file::{Zone, parse};
use crate::clock::Clock;
use crate::events::{Actor, WriteTx};

/// Replaces the whole zone set (one event, `zones.imported`).
pub async fn replace_all(
    tx: &mut WriteTx,
    clock: &Clock,
    actor: &Actor,
    zones: &[Zone],
    source: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM zones").execute(tx.conn()).await?;
    for zone in zones {
        sqlx::query("INSERT INTO zones (name, code, color, geometry) VALUES (?, ?, ?, ?)")
            .bind(&zone.name)
            .bind(&zone.code)
            .bind(&zone.color)
            .bind(zone.geometry.to_string())
            .execute(tx.conn())
            .await?;
    }
    let names: Vec<&str> = zones.iter().map(|z| z.name.as_str()).collect();
    tx.append(clock, actor, "zones.imported", None, json!({ "source": source, "count": zones.len(), "names": names }))
        .await?;
    Ok(())
}

pub async fn count(conn: impl SqliteExecutor<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM zones").fetch_one(conn).await
}

/// The stored zones, in import order. They were checked on the way in.
pub async fn list(conn: impl SqliteExecutor<'_>) -> Result<Vec<Zone>, sqlx::Error> {
    let rows: Vec<(String, Option<String>, Option<String>, String)> =
        sqlx::query_as("SELECT name, code, color, geometry FROM zones ORDER BY id").fetch_all(conn).await?;
    // Re-read through the same checks as a file, so a stored zone always has its shape.
    let features: Vec<serde_json::Value> = rows
        .into_iter()
        .map(|(name, code, color, geometry)| {
            let geometry: serde_json::Value = serde_json::from_str(&geometry).unwrap_or(serde_json::Value::Null);
            json!({ "type": "Feature", "properties": { "name": name, "code": code, "color": color }, "geometry": geometry })
        })
        .collect();
    let text = json!({ "type": "FeatureCollection", "features": features }).to_string();
    Ok(parse(&text).unwrap_or_else(|error| {
        tracing::error!(%error, "stored zones no longer parse");
        Vec::new()
    }))
}

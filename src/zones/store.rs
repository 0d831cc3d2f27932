//! The `zones` table: the current zone set, replaced whole on import.

use std::collections::HashSet;

use sqlx::{SqliteConnection, SqliteExecutor, SqlitePool};

use super::file::{Zone, from_stored};
use crate::clock::Clock;
use crate::events::contract::zones::ZonesImported;
use crate::events::{Actor, WriteTx};

/// Replaces the whole zone set (one event, `zones.imported`, which also names
/// the zones dropped: those of the old set the new one does not have).
pub async fn replace_all(
    tx: &mut WriteTx,
    clock: &Clock,
    actor: &Actor,
    zones: &[Zone],
    source: &str,
) -> Result<(), sqlx::Error> {
    let geometries: Vec<String> = zones.iter().map(|z| z.geometry.to_string()).collect();
    replace_all_serialized(tx, clock, actor, zones, &geometries, source).await
}

/// [`replace_all`] with each zone's geometry already serialised (`geometries[i]`
/// is `zones[i].geometry` as JSON): a large file's text is made on a blocking
/// thread, not on the async workers.
pub async fn replace_all_serialized(
    tx: &mut WriteTx,
    clock: &Clock,
    actor: &Actor,
    zones: &[Zone],
    geometries: &[String],
    source: &str,
) -> Result<(), sqlx::Error> {
    assert_eq!(zones.len(), geometries.len(), "one geometry text per zone");
    let dropped = dropped_by(tx.conn(), zones).await?;
    sqlx::query("DELETE FROM zones").execute(tx.conn()).await?;
    for (zone, geometry) in zones.iter().zip(geometries) {
        sqlx::query("INSERT INTO zones (name, code, color, geometry) VALUES (?, ?, ?, ?)")
            .bind(&zone.name)
            .bind(&zone.code)
            .bind(&zone.color)
            .bind(geometry)
            .execute(tx.conn())
            .await?;
    }
    let names = zones.iter().map(|z| z.name.clone()).collect();
    let imported = ZonesImported { source: source.to_string(), count: zones.len(), names, dropped };
    tx.append(clock, actor, None, &imported).await?;
    Ok(())
}

pub async fn count(conn: impl SqliteExecutor<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM zones").fetch_one(conn).await
}

/// The stored zones, in import order. They were checked on the way in.
pub async fn list(conn: impl SqliteExecutor<'_>) -> Result<Vec<Zone>, sqlx::Error> {
    let rows: Vec<(String, Option<String>, Option<String>, String)> =
        sqlx::query_as("SELECT name, code, color, geometry FROM zones ORDER BY id").fetch_all(conn).await?;
    Ok(from_stored(rows))
}

/// The stored zones that `zones` does not have (by name), in stored order.
pub async fn dropped_by(conn: impl SqliteExecutor<'_>, zones: &[Zone]) -> Result<Vec<String>, sqlx::Error> {
    let kept: HashSet<&str> = zones.iter().map(|z| z.name.as_str()).collect();
    let stored: Vec<String> = sqlx::query_scalar("SELECT name FROM zones ORDER BY id").fetch_all(conn).await?;
    Ok(stored.into_iter().filter(|name| !kept.contains(name.as_str())).collect())
}

/// The roads of the zone set (a GeoJSON document), if an import gave any.
pub(crate) async fn roads(pool: &SqlitePool) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT body FROM zone_roads WHERE id = 1").fetch_optional(pool).await
}

/// Replaces the roads with the import's, in its transaction.
pub(crate) async fn replace_roads(conn: &mut SqliteConnection, geojson: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO zone_roads (id, body) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body")
        .bind(geojson)
        .execute(conn)
        .await?;
    Ok(())
}

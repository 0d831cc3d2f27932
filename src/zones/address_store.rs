//! The address tables: `address_points` (位置参照情報, a position per block)
//! and `address_towns` (町丁目 → zone). Both are replaced whole by an import
//! (see [`super::address::import`]) and read straight from SQLite: a prefix
//! match is a range scan on an index, so no copy is kept in memory.

use std::collections::HashSet;
use std::sync::Arc;

use sqlx::{SqliteConnection, SqliteExecutor};

use super::address::{AddressPoint, TownZone, normalize};

/// Rows per INSERT statement: one prepared statement (cached by the
/// connection) writes this many rows, so a prefecture of some hundred thousand
/// blocks is a few thousand statements. 6 columns × 150 rows stays far below
/// SQLite's 32766 parameters.
const ROWS_PER_INSERT: usize = 150;

fn insert_points_sql(rows: usize) -> String {
    let mut sql = String::from("INSERT INTO address_points (key, city_key, town_key, address, lat, lon) VALUES ");
    for i in 0..rows {
        sql.push_str(if i == 0 { "(?, ?, ?, ?, ?, ?)" } else { ", (?, ?, ?, ?, ?, ?)" });
    }
    sql
}

/// Replaces every address point. Runs inside the caller's write transaction.
pub async fn replace_points(conn: &mut SqliteConnection, points: &[AddressPoint]) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM address_points").execute(&mut *conn).await?;
    // Built from placeholders only: no data is ever part of the SQL text.
    let full: Arc<str> = insert_points_sql(ROWS_PER_INSERT).into();
    for chunk in points.chunks(ROWS_PER_INSERT) {
        let sql = if chunk.len() == ROWS_PER_INSERT { full.clone() } else { insert_points_sql(chunk.len()).into() };
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for p in chunk {
            query = query.bind(&p.key).bind(&p.city_key).bind(&p.town_key).bind(&p.address).bind(p.lat).bind(p.lon);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Replaces the whole town→zone table. Runs inside the caller's write transaction.
pub async fn replace_towns(conn: &mut SqliteConnection, towns: &[TownZone]) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM address_towns").execute(&mut *conn).await?;
    for town in towns {
        sqlx::query("INSERT INTO address_towns (key, town, zone) VALUES (?, ?, ?)")
            .bind(&town.key)
            .bind(&town.town)
            .bind(&town.zone)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The names of the current zone set, to check a towns file against.
pub async fn zone_names(conn: impl SqliteExecutor<'_>) -> Result<HashSet<String>, sqlx::Error> {
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM zones").fetch_all(conn).await?;
    Ok(names.into_iter().collect())
}

/// How many rows each table holds, so the UI can say whether one is loaded.
pub async fn counts(conn: impl SqliteExecutor<'_>) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as("SELECT (SELECT COUNT(*) FROM address_points), (SELECT COUNT(*) FROM address_towns)")
        .fetch_one(conn)
        .await
}

/// Prefix match on each of the three keys, each an index range scan that
/// stops after `limit` rows; `?2` is the prefix followed by the last code
/// point, so `key >= ?1 AND key < ?2` is exactly "starts with ?1" (UTF-8
/// byte order is code point order).
pub const PREFIX_SQL: &str = "
    SELECT id, address, key, lat, lon FROM
        (SELECT id, address, key, lat, lon FROM address_points WHERE key >= ?1 AND key < ?2 ORDER BY key LIMIT ?3)
    UNION
    SELECT id, address, key, lat, lon FROM
        (SELECT id, address, key, lat, lon FROM address_points WHERE city_key >= ?1 AND city_key < ?2 ORDER BY city_key LIMIT ?3)
    UNION
    SELECT id, address, key, lat, lon FROM
        (SELECT id, address, key, lat, lon FROM address_points WHERE town_key >= ?1 AND town_key < ?2 ORDER BY town_key LIMIT ?3)
    ORDER BY key, id
    LIMIT ?3";

/// A stored block.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredPoint {
    pub id: i64,
    pub address: String,
    pub key: String,
    pub lat: f64,
    pub lon: f64,
}

/// Up to `limit` blocks whose normalised address, from the prefecture, the
/// city or the town on, starts with `prefix` (already normalised), in address order.
pub async fn points_with_prefix(
    conn: impl SqliteExecutor<'_>,
    prefix: &str,
    limit: usize,
) -> Result<Vec<StoredPoint>, sqlx::Error> {
    sqlx::query_as(PREFIX_SQL)
        .bind(prefix)
        .bind(format!("{prefix}\u{10FFFF}"))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(conn)
        .await
}

/// The zone of an address from the town table: the zone of the longest town
/// whose normalised name is in the normalised address (`広坂1` is in
/// `石川県金沢市広坂1-2-3`, but not in `…広坂12-3`). Only zones of the
/// current zone set count. For need intake.
pub async fn zone_for_address(conn: impl SqliteExecutor<'_>, address: &str) -> Result<Option<String>, sqlx::Error> {
    let key = normalize(address);
    if key.is_empty() {
        return Ok(None);
    }
    let candidates: Vec<(String, String)> = sqlx::query_as(
        "SELECT t.key, t.zone FROM address_towns t JOIN zones z ON z.name = t.zone
         WHERE instr(?, t.key) > 0 ORDER BY length(t.key) DESC, t.key",
    )
    .bind(&key)
    .fetch_all(conn)
    .await?;
    Ok(candidates.into_iter().find(|(town, _)| contains_town(&key, town)).map(|(_, zone)| zone))
}

/// `town` occurs in `key` and, if it ends in a number, not as the start of a
/// longer number (`広坂1` is not in `広坂12`).
fn contains_town(key: &str, town: &str) -> bool {
    let ends_in_digit = town.ends_with(|c: char| c.is_ascii_digit());
    key.match_indices(town)
        .any(|(at, _)| !ends_in_digit || !key[at + town.len()..].starts_with(|c: char| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use sqlx::Connection;

    use super::*;
    use crate::zones::address::{read_mlit_csv, read_town_zones};

    async fn database() -> SqliteConnection {
        let mut conn = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        sqlx::migrate!("./migrations").run(&mut conn).await.unwrap();
        sqlx::query("INSERT INTO zones (name, geometry) VALUES ('香林坊', '{}'), ('片町', '{}'), ('本多町', '{}')")
            .execute(&mut conn)
            .await
            .unwrap();
        conn
    }

    const POINTS: &str = "都道府県名,市区町村名,大字・丁目名,街区符号・地番,緯度,経度
石川県,金沢市,広坂一丁目,1,36.5621,136.6578
石川県,金沢市,広坂一丁目,2,36.5619,136.6582
石川県,金沢市,広坂一丁目,20,36.5618,136.6583
石川県,金沢市,広坂二丁目,1,36.5605,136.6599
石川県,金沢市,香林坊一丁目,1,36.5633,136.6544
";

    #[tokio::test]
    async fn prefixes_match_from_the_prefecture_the_city_or_the_town() {
        let mut conn = database().await;
        replace_points(&mut conn, &read_mlit_csv(POINTS).0).await.unwrap();
        let addresses = |points: Vec<StoredPoint>| points.into_iter().map(|p| p.address).collect::<Vec<_>>();
        for typed in ["石川県金沢市広坂１丁目２", "金沢市広坂一丁目2", "広坂1-2", "広坂一丁目２番"]
        {
            let hits = points_with_prefix(&mut conn, &normalize(typed), 10).await.unwrap();
            assert_eq!(addresses(hits), ["石川県金沢市広坂一丁目2", "石川県金沢市広坂一丁目20"], "{typed}");
        }
        assert_eq!(points_with_prefix(&mut conn, &normalize("広坂"), 10).await.unwrap().len(), 4);
        assert_eq!(points_with_prefix(&mut conn, &normalize("広坂"), 2).await.unwrap().len(), 2, "limited");
        assert!(points_with_prefix(&mut conn, &normalize("富山県"), 10).await.unwrap().is_empty());
        assert_eq!(counts(&mut conn).await.unwrap(), (5, 0));
    }

    #[tokio::test]
    async fn a_prefix_match_is_a_range_scan_on_each_index() {
        let mut conn = database().await;
        // `EXPLAIN QUERY PLAN` answers (id, parent, notused, detail).
        let rows: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {PREFIX_SQL}")))
                .bind("広坂")
                .bind("広坂\u{10FFFF}")
                .bind(8)
                .fetch_all(&mut conn)
                .await
                .unwrap();
        let plan: Vec<String> = rows.into_iter().map(|r| r.3).collect();
        let plan = plan.join("\n");
        for (index, column) in [
            ("address_points_key", "key"),
            ("address_points_city_key", "city_key"),
            ("address_points_town_key", "town_key"),
        ] {
            let scan = format!("SEARCH address_points USING INDEX {index} ({column}>? AND {column}<?)");
            assert!(plan.contains(&scan), "{scan} in\n{plan}");
        }
        assert!(!plan.contains("SCAN address_points"), "no full scan:\n{plan}");
    }

    #[tokio::test]
    async fn the_zone_of_an_address_is_the_zone_of_its_longest_known_town() {
        let mut conn = database().await;
        let towns = "広坂,本多町\n広坂一丁目,香林坊\n広坂十二丁目,片町\n香林坊,香林坊\n古い町,無くなった地区\n";
        replace_towns(&mut conn, &read_town_zones(towns).0).await.unwrap();
        for (address, zone) in [
            ("石川県金沢市広坂１丁目２番３号", Some("香林坊")),
            ("金沢市広坂一丁目", Some("香林坊")),
            ("広坂12-3", Some("片町")),
            ("広坂二丁目5", Some("本多町")),
            ("広坂13-1", Some("本多町")),
            ("金沢市香林坊2-1", Some("香林坊")),
            ("古い町1", None),
            ("金沢市此花町", None),
            ("", None),
        ] {
            assert_eq!(zone_for_address(&mut conn, address).await.unwrap().as_deref(), zone, "{address}");
        }
    }

    #[test]
    fn a_town_ending_in_a_number_does_not_match_a_longer_number() {
        assert!(contains_town("広坂1-2", "広坂1"));
        assert!(contains_town("広坂1", "広坂1"));
        assert!(!contains_town("広坂12-3", "広坂1"));
        assert!(contains_town("広坂12-3", "広坂"));
    }
}

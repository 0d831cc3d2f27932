//! Map zones (地区). For now: storing a zone set and counting it. The full
//! GeoJSON validation, point-in-zone lookup and the map come with the zones issue.

use serde_json::{Value, json};
use sqlx::SqliteExecutor;

use crate::clock::Clock;
use crate::events::{Actor, WriteTx};

/// One zone as it is stored: its name, optional code and colour, and its
/// GeoJSON geometry (Polygon or MultiPolygon).
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    pub name: String,
    pub code: Option<String>,
    pub color: Option<String>,
    pub geometry: Value,
}

/// What is wrong with a zone file, and where.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ZoneFileError {
    #[error("JSON として読めません / not JSON: {0}")]
    NotJson(String),
    #[error("FeatureCollection ではありません / not a FeatureCollection")]
    NotFeatureCollection,
    #[error("地物 {index}: {reason}")]
    Feature { index: usize, reason: &'static str },
}

/// Reads the zones of a GeoJSON FeatureCollection (structure only).
pub fn parse(text: &str) -> Result<Vec<Zone>, ZoneFileError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| ZoneFileError::NotJson(e.to_string()))?;
    if doc["type"] != "FeatureCollection" {
        return Err(ZoneFileError::NotFeatureCollection);
    }
    let features = doc["features"].as_array().ok_or(ZoneFileError::NotFeatureCollection)?;
    features
        .iter()
        .enumerate()
        .map(|(index, feature)| {
            let fault = |reason| ZoneFileError::Feature { index, reason };
            let props = &feature["properties"];
            let name =
                props["name"].as_str().filter(|n| !n.trim().is_empty()).ok_or(fault("name がありません / no name"))?;
            let geometry = &feature["geometry"];
            if !matches!(geometry["type"].as_str(), Some("Polygon" | "MultiPolygon")) {
                return Err(fault("Polygon / MultiPolygon ではありません / not a polygon"));
            }
            Ok(Zone {
                name: name.trim().to_string(),
                code: props["code"].as_str().map(str::to_string),
                color: props["color"].as_str().map(str::to_string),
                geometry: geometry.clone(),
            })
        })
        .collect()
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_map_parses_into_a_dozen_named_zones() {
        let zones = parse(include_str!("../../maps/demo-kanazawa.geojson")).unwrap();
        assert_eq!(zones.len(), 12);
        assert!(zones.iter().any(|z| z.name == "香林坊"));
    }

    #[test]
    fn faults_name_the_feature() {
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[]}}]}"#;
        assert!(matches!(parse(text), Err(ZoneFileError::Feature { index: 0, .. })));
        assert_eq!(parse(r#"{"type":"Feature"}"#), Err(ZoneFileError::NotFeatureCollection));
        assert!(matches!(parse("{"), Err(ZoneFileError::NotJson(_))));
    }
}

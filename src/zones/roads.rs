//! Roads a zone file may carry, so the map reads without a base map: a
//! LineString or MultiLineString feature with a `road` property is a road, not a
//! zone. `road` is the label drawn along it (`"国道157号"`), or `true` for an
//! unlabelled line. Roads are checked with the zones (positions, vertex caps,
//! label characters) and replaced with them on every import.
//!
//! They are stored with the zones (`zone_roads`, one GeoJSON document written
//! in the zone import's transaction), so a backup and a restart keep them.

use geo::{Coord, LineString, MultiLineString};
use serde_json::{Value, json};

use super::file::{Problem, coord_of, first_forbidden, name_of};

/// Positions one road feature may hold (they count toward the file's cap too).
const MAX_VERTICES_PER_ROAD: usize = super::file::MAX_VERTICES_PER_FEATURE;

/// One road as read from a zone file.
#[derive(Debug, Clone, PartialEq)]
pub struct Road {
    /// What the map writes along it; `None` for `"road": true`.
    pub label: Option<String>,
    pub shape: MultiLineString<f64>,
}

/// A line feature whose `road` property is set (not null, not `false`).
pub fn is_road(feature: &Value) -> bool {
    let road = &feature["properties"]["road"];
    let marked = !(road.is_null() || *road == Value::Bool(false));
    marked && matches!(feature["geometry"]["type"].as_str(), Some("LineString" | "MultiLineString"))
}

/// The road's label: its `road` property when that is a name.
pub fn label_of(feature: &Value) -> Option<String> {
    match &feature["properties"]["road"] {
        Value::Bool(_) => None,
        value => name_of(value),
    }
}

/// Checks a road feature ([`is_road`]) and builds it.
pub fn road_of(feature: &Value, label: Option<String>) -> Result<Road, Problem> {
    if let Some(c) = label.as_deref().and_then(first_forbidden) {
        return Err(Problem::NameCharacter(c));
    }
    let geometry = &feature["geometry"];
    let coordinates = &geometry["coordinates"];
    let lines: Vec<&Value> = match geometry["type"].as_str() {
        Some("LineString") => vec![coordinates],
        _ => coordinates.as_array().ok_or(Problem::BadCoordinate)?.iter().collect(),
    };
    let count: usize = lines.iter().map(|line| line.as_array().map_or(0, Vec::len)).sum();
    if count > MAX_VERTICES_PER_ROAD {
        return Err(Problem::TooManyVertices { count, limit: MAX_VERTICES_PER_ROAD });
    }
    let mut shape = Vec::new();
    for (index, line) in lines.into_iter().enumerate() {
        let positions = line.as_array().ok_or(Problem::BadCoordinate)?;
        let coords = positions.iter().map(coord_of).collect::<Result<Vec<Coord<f64>>, _>>()?;
        if coords.len() < 2 {
            return Err(Problem::TooFewPoints(index));
        }
        shape.push(LineString::new(coords));
    }
    if shape.is_empty() {
        return Err(Problem::TooFewPoints(0));
    }
    Ok(Road { label, shape: MultiLineString::new(shape) })
}

/// Roads as stored: read back from [`to_geojson`]. A document that no longer
/// reads is logged and left out: the map is drawn without it.
pub fn from_geojson(text: &str) -> Vec<Road> {
    let features: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let roads: Result<Vec<Road>, Problem> = features["features"]
        .as_array()
        .map(|features| features.iter().map(|f| road_of(f, label_of(f))).collect())
        .unwrap_or(Err(Problem::BadCoordinate));
    roads.unwrap_or_else(|problem| {
        tracing::error!(problem = %problem.text().en, "the stored roads do not read; the map is drawn without roads");
        Vec::new()
    })
}

/// Roads as one GeoJSON FeatureCollection, as stored.
pub fn to_geojson(roads: &[Road]) -> Value {
    let features: Vec<Value> = roads
        .iter()
        .map(|road| {
            let lines: Vec<Vec<[f64; 2]>> =
                road.shape.iter().map(|line| line.coords().map(|c| [c.x, c.y]).collect()).collect();
            json!({
                "type": "Feature",
                "properties": { "road": road.label.as_ref().map_or(Value::Bool(true), |label| json!(label)) },
                "geometry": { "type": "MultiLineString", "coordinates": lines },
            })
        })
        .collect();
    json!({ "type": "FeatureCollection", "features": features })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(road: Value, coordinates: Value) -> Value {
        json!({ "type": "Feature", "properties": { "road": road }, "geometry": { "type": "LineString", "coordinates": coordinates } })
    }

    #[test]
    fn a_marked_line_is_a_road_with_its_label() {
        let road = line(json!("国道157号"), json!([[136.65, 36.56], [136.66, 36.57]]));
        assert!(is_road(&road));
        let built = road_of(&road, label_of(&road)).unwrap();
        assert_eq!(built.label.as_deref(), Some("国道157号"));
        assert_eq!(built.shape.0[0].0.len(), 2);
        let unlabelled = line(json!(true), json!([[136.65, 36.56], [136.66, 36.57]]));
        assert_eq!(label_of(&unlabelled), None);
        assert!(!is_road(&line(json!(false), json!([[136.65, 36.56], [136.66, 36.57]]))));
        let polygon = json!({ "properties": { "road": "x" }, "geometry": { "type": "Polygon" } });
        assert!(!is_road(&polygon), "a polygon is a zone whatever its properties");
    }

    #[test]
    fn a_road_of_one_point_or_a_bad_position_is_refused() {
        let short = line(json!("x"), json!([[136.65, 36.56]]));
        assert_eq!(road_of(&short, None), Err(Problem::TooFewPoints(0)));
        let far = line(json!("x"), json!([[136.65, 36.56], [236.0, 36.0]]));
        assert_eq!(road_of(&far, None), Err(Problem::OutOfRange { lon: 236.0, lat: 36.0 }));
    }

    #[test]
    fn roads_are_stored_as_geojson_and_read_back() {
        let road = line(json!("国道8号"), json!([[136.65, 36.56], [136.66, 36.57], [136.67, 36.57]]));
        let roads = vec![road_of(&road, label_of(&road)).unwrap()];
        assert_eq!(from_geojson(&to_geojson(&roads).to_string()), roads);
        assert!(from_geojson("not json").is_empty(), "a broken document draws no roads");
    }
}

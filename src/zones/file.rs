//! Reading a zone file: a GeoJSON FeatureCollection (RFC 7946) of Polygon or
//! MultiPolygon features with a `name` (and optional `code`, `color`). Every
//! problem is reported with the feature's index and name; a file with any
//! problem changes nothing.

use geo::{Coord, LineString, MultiPolygon, Polygon, Validation};
use serde_json::Value;

use crate::i18n::Text;

/// One zone as read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    pub name: String,
    pub code: Option<String>,
    pub color: Option<String>,
    /// The GeoJSON geometry object as given (stored as is).
    pub geometry: Value,
    /// The same, as `geo` shapes for lookups.
    pub shape: MultiPolygon<f64>,
}

/// What is wrong with a zone file, and where.
#[derive(Debug, Clone, PartialEq)]
pub enum ZoneFileError {
    NotJson(String),
    NotFeatureCollection,
    /// Problems of single features, all of them.
    Features(Vec<FeatureProblem>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct FeatureProblem {
    /// 0-based position in `features`.
    pub index: usize,
    pub name: Option<String>,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    NoGeometry,
    NoName,
    NotAPolygon(String),
    EmptyPolygon,
    /// Ring number (0 = outer) that does not end where it starts.
    UnclosedRing(usize),
    TooFewPositions(usize),
    BadCoordinate,
    OutOfRange {
        lon: f64,
        lat: f64,
    },
    SelfIntersecting(String),
    DuplicateName,
}

impl Problem {
    pub fn text(&self) -> Text {
        match self {
            Problem::NoGeometry => Text::new("geometry がありません", "no geometry"),
            Problem::NoName => Text::new("properties.name（地区名）がありません", "no properties.name"),
            Problem::NotAPolygon(kind) => Text::new(
                format!("Polygon / MultiPolygon ではありません（{kind}）"),
                format!("not a Polygon or MultiPolygon ({kind})"),
            ),
            Problem::EmptyPolygon => Text::new("ポリゴンが空です", "the polygon is empty"),
            Problem::UnclosedRing(ring) => Text::new(
                format!("リング {ring} が閉じていません（最初と最後の座標が違います）"),
                format!("ring {ring} is not closed (its first and last positions differ)"),
            ),
            Problem::TooFewPositions(ring) => Text::new(
                format!("リング {ring} の座標が4点未満です"),
                format!("ring {ring} has fewer than 4 positions"),
            ),
            Problem::BadCoordinate => {
                Text::new("座標が [経度, 緯度] の数値ではありません", "a position is not [longitude, latitude]")
            }
            Problem::OutOfRange { lon, lat } => Text::new(
                format!("座標が範囲外です（経度 {lon}, 緯度 {lat}）"),
                format!("a position is out of range (lon {lon}, lat {lat})"),
            ),
            Problem::SelfIntersecting(detail) => Text::new(
                format!("ポリゴンが自己交差しています（{detail}）"),
                format!("the polygon is invalid: {detail}"),
            ),
            Problem::DuplicateName => Text::new("地区名が重複しています", "the name is used by another feature"),
        }
    }
}

impl FeatureProblem {
    /// `地物 3（香林坊）: …`
    pub fn text(&self) -> Text {
        let problem = self.problem.text();
        let (ja_at, en_at) = match &self.name {
            Some(name) => (format!("地物 {}（{name}）", self.index), format!("feature {} ({name})", self.index)),
            None => (format!("地物 {}", self.index), format!("feature {}", self.index)),
        };
        Text::new(format!("{ja_at}: {}", problem.ja), format!("{en_at}: {}", problem.en))
    }
}

impl ZoneFileError {
    pub fn text(&self) -> Text {
        match self {
            ZoneFileError::NotJson(detail) => {
                Text::new(format!("JSON として読めません（{detail}）"), format!("not JSON: {detail}"))
            }
            ZoneFileError::NotFeatureCollection => {
                Text::new("GeoJSON の FeatureCollection ではありません", "not a GeoJSON FeatureCollection")
            }
            ZoneFileError::Features(problems) => {
                let ja: Vec<String> = problems.iter().map(|p| p.text().ja.into_owned()).collect();
                let en: Vec<String> = problems.iter().map(|p| p.text().en.into_owned()).collect();
                Text::new(ja.join("\n"), en.join("\n"))
            }
        }
    }
}

impl std::fmt::Display for ZoneFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = self.text();
        write!(f, "{}", text.ja)
    }
}

impl std::error::Error for ZoneFileError {}

/// Reads and checks a whole zone file.
pub fn parse(text: &str) -> Result<Vec<Zone>, ZoneFileError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| ZoneFileError::NotJson(e.to_string()))?;
    if doc["type"] != "FeatureCollection" {
        return Err(ZoneFileError::NotFeatureCollection);
    }
    let features = doc["features"].as_array().ok_or(ZoneFileError::NotFeatureCollection)?;
    let mut zones = Vec::new();
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (index, feature) in features.iter().enumerate() {
        let name = feature["properties"]["name"].as_str().map(str::trim).filter(|n| !n.is_empty()).map(str::to_string);
        let mut report = |problem| problems.push(FeatureProblem { index, name: name.clone(), problem });
        let Some(name) = name.clone() else {
            report(Problem::NoName);
            continue;
        };
        if !seen.insert(name.clone()) {
            report(Problem::DuplicateName);
            continue;
        }
        match shape_of(&feature["geometry"]) {
            Ok(shape) => zones.push(Zone {
                name,
                code: feature["properties"]["code"].as_str().map(str::to_string),
                color: feature["properties"]["color"].as_str().map(str::to_string),
                geometry: feature["geometry"].clone(),
                shape,
            }),
            Err(problem) => report(problem),
        }
    }
    if problems.is_empty() { Ok(zones) } else { Err(ZoneFileError::Features(problems)) }
}

fn shape_of(geometry: &Value) -> Result<MultiPolygon<f64>, Problem> {
    if geometry.is_null() {
        return Err(Problem::NoGeometry);
    }
    let coordinates = &geometry["coordinates"];
    let polygons: Vec<&Value> = match geometry["type"].as_str() {
        Some("Polygon") => vec![coordinates],
        Some("MultiPolygon") => coordinates.as_array().ok_or(Problem::BadCoordinate)?.iter().collect(),
        other => return Err(Problem::NotAPolygon(other.unwrap_or("型なし").to_string())),
    };
    if polygons.is_empty() {
        return Err(Problem::EmptyPolygon);
    }
    let polygons = polygons.into_iter().map(polygon_of).collect::<Result<Vec<_>, _>>()?;
    let shape = MultiPolygon::new(polygons);
    if let Err(invalid) = shape.check_validation() {
        return Err(Problem::SelfIntersecting(invalid.to_string()));
    }
    Ok(shape)
}

fn polygon_of(rings: &Value) -> Result<Polygon<f64>, Problem> {
    let rings = rings.as_array().ok_or(Problem::BadCoordinate)?;
    if rings.is_empty() {
        return Err(Problem::EmptyPolygon);
    }
    let mut lines = Vec::new();
    for (ring_index, ring) in rings.iter().enumerate() {
        let positions = ring.as_array().ok_or(Problem::BadCoordinate)?;
        let coords = positions.iter().map(coord_of).collect::<Result<Vec<_>, _>>()?;
        if coords.is_empty() && ring_index == 0 {
            return Err(Problem::EmptyPolygon);
        }
        if coords.len() < 4 {
            return Err(Problem::TooFewPositions(ring_index));
        }
        // geo would close the ring silently; RFC 7946 says it must already be closed.
        if coords.first() != coords.last() {
            return Err(Problem::UnclosedRing(ring_index));
        }
        lines.push(LineString::new(coords));
    }
    let outer = lines.remove(0);
    Ok(Polygon::new(outer, lines))
}

fn coord_of(position: &Value) -> Result<Coord<f64>, Problem> {
    let pair = position.as_array().filter(|p| p.len() >= 2).ok_or(Problem::BadCoordinate)?;
    let (Some(lon), Some(lat)) = (pair[0].as_f64(), pair[1].as_f64()) else {
        return Err(Problem::BadCoordinate);
    };
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        return Err(Problem::OutOfRange { lon, lat });
    }
    Ok(Coord { x: lon, y: lat })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collection(features: &str) -> String {
        format!(r#"{{"type":"FeatureCollection","features":[{features}]}}"#)
    }

    fn feature(name: &str, geometry: &str) -> String {
        format!(r#"{{"type":"Feature","properties":{{"name":"{name}"}},"geometry":{geometry}}}"#)
    }

    const SQUARE: &str =
        r#"{"type":"Polygon","coordinates":[[[136.6,36.5],[136.7,36.5],[136.7,36.6],[136.6,36.6],[136.6,36.5]]]}"#;

    fn problem_of(text: &str) -> Problem {
        match parse(text) {
            Err(ZoneFileError::Features(problems)) => problems[0].problem.clone(),
            other => panic!("expected a feature problem, got {other:?}"),
        }
    }

    #[test]
    fn the_demo_map_parses_into_a_dozen_named_zones() {
        let zones = parse(include_str!("../../maps/demo-kanazawa.geojson")).unwrap();
        assert_eq!(zones.len(), 12);
        assert!(zones.iter().any(|z| z.name == "香林坊"));
    }

    #[test]
    fn each_kind_of_bad_file_has_its_own_error() {
        assert!(matches!(parse("{"), Err(ZoneFileError::NotJson(_))));
        assert_eq!(parse(r#"{"type":"Feature"}"#), Err(ZoneFileError::NotFeatureCollection));
        assert_eq!(problem_of(&collection(&feature("a", "null"))), Problem::NoGeometry);
        assert_eq!(problem_of(&collection(r#"{"type":"Feature","properties":{},"geometry":null}"#)), Problem::NoName);
        assert_eq!(
            problem_of(&collection(&feature("a", r#"{"type":"Point","coordinates":[136.6,36.5]}"#))),
            Problem::NotAPolygon("Point".into())
        );
        assert_eq!(
            problem_of(&collection(&feature("a", r#"{"type":"Polygon","coordinates":[]}"#))),
            Problem::EmptyPolygon
        );
        assert_eq!(
            problem_of(&collection(&feature(
                "a",
                r#"{"type":"Polygon","coordinates":[[[136.6,36.5],[136.7,36.5],[136.7,36.6],[136.6,36.6]]]}"#
            ))),
            Problem::UnclosedRing(0)
        );
        // A bow-tie: its edges cross.
        assert!(matches!(
            problem_of(&collection(&feature(
                "a",
                r#"{"type":"Polygon","coordinates":[[[136.6,36.5],[136.7,36.6],[136.7,36.5],[136.6,36.6],[136.6,36.5]]]}"#
            ))),
            Problem::SelfIntersecting(_)
        ));
        assert_eq!(
            problem_of(&collection(&feature(
                "a",
                r#"{"type":"Polygon","coordinates":[[[236.6,36.5],[136.7,36.5],[136.7,36.6],[136.6,36.5]]]}"#
            ))),
            Problem::OutOfRange { lon: 236.6, lat: 36.5 }
        );
        let twins = collection(&format!("{},{}", feature("香林坊", SQUARE), feature("香林坊", SQUARE)));
        match parse(&twins) {
            Err(ZoneFileError::Features(problems)) => {
                assert_eq!(problems.len(), 1);
                assert_eq!((problems[0].index, problems[0].problem.clone()), (1, Problem::DuplicateName));
                assert_eq!(problems[0].text().ja, "地物 1（香林坊）: 地区名が重複しています");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_problem_of_a_file_is_reported_not_just_the_first() {
        let text = collection(&format!("{},{},{}", feature("a", "null"), feature("b", SQUARE), feature("c", "null")));
        match parse(&text) {
            Err(ZoneFileError::Features(problems)) => {
                assert_eq!(problems.iter().map(|p| p.index).collect::<Vec<_>>(), [0, 2]);
            }
            other => panic!("{other:?}"),
        }
    }
}

//! Reading a zone file: a GeoJSON FeatureCollection (RFC 7946) of Polygon or
//! MultiPolygon features with a `name` (or another property the caller names:
//! real boundary files say `S_NAME`, `N03_004`, `ward_ja`…; optional `code`,
//! `color`), and optionally LineString roads to draw (see [`super::roads`]).
//! Every problem is reported with the feature's index and name; a file with any
//! problem changes nothing. A file in which *no* zone has the name property is
//! one problem, listing the properties the file has, not one line per feature. A file without a feature is refused (importing it
//! would remove every zone), and so is one with more than
//! [`MAX_VERTICES_PER_FILE`] positions, or a feature with more than
//! [`MAX_VERTICES_PER_FEATURE`]. Names are NFC-normalised and may not hold
//! control, bidirectional-override or zero-width characters.

use geo::{Coord, LineString, MultiPolygon, Polygon};
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

use crate::i18n::Text;

/// Positions (closing ones included) a zone file may hold in all. Checking is
/// about n log n, but every zone is also drawn, served as GeoJSON and searched.
pub const MAX_VERTICES_PER_FILE: usize = 200_000;
/// Positions one feature may hold.
pub const MAX_VERTICES_PER_FEATURE: usize = 100_000;
/// The property that holds a zone's name unless the caller says otherwise.
pub const DEFAULT_NAME_PROPERTY: &str = "name";
/// At most this many property keys are listed when no feature has the name.
const KEYS_LISTED: usize = 40;

/// A whole zone file: its zones, and the roads it carries for the map.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ZoneFile {
    pub zones: Vec<Zone>,
    pub roads: Vec<super::roads::Road>,
}

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
    /// `features` is empty: importing it would remove every zone.
    Empty,
    /// More than [`MAX_VERTICES_PER_FILE`] positions; the largest features first.
    TooManyVertices {
        total: usize,
        limit: usize,
        largest: Vec<FeatureSize>,
    },
    /// No zone has the name property at all: said once, with the property
    /// keys the file does have (each once, in alphabetical order).
    NoNames {
        property: String,
        keys: Vec<String>,
    },
    /// Problems of single features, all of them.
    Features(Vec<FeatureProblem>),
}

/// A feature and how many positions it has.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureSize {
    pub index: usize,
    pub name: Option<String>,
    pub vertices: usize,
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
    /// The name property (named) is missing or blank.
    NoName(String),
    NotAPolygon(String),
    EmptyPolygon,
    /// Ring number (0 = outer) that does not end where it starts.
    UnclosedRing(usize),
    TooFewPositions(usize),
    /// Line number (of a road) with fewer than 2 positions.
    TooFewPoints(usize),
    BadCoordinate,
    OutOfRange {
        lon: f64,
        lat: f64,
    },
    SelfIntersecting(String),
    DuplicateName,
    /// More than [`MAX_VERTICES_PER_FEATURE`] positions.
    TooManyVertices {
        count: usize,
        limit: usize,
    },
    /// The name holds a control, bidi-override or zero-width character.
    NameCharacter(char),
}

impl Problem {
    pub fn text(&self) -> Text {
        match self {
            Problem::NoGeometry => Text::new("geometry がありません", "no geometry"),
            Problem::NoName(property) => {
                Text::new(format!("properties.{property}（地区名）がありません"), format!("no properties.{property}"))
            }
            Problem::NotAPolygon(kind) => Text::new(
                format!(
                    "Polygon / MultiPolygon ではありません（{kind}。道路として描くなら properties.road を付けてください）"
                ),
                format!("not a Polygon or MultiPolygon ({kind}; to draw it as a road, give it properties.road)"),
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
            Problem::TooFewPoints(line) => {
                Text::new(format!("線 {line} の座標が2点未満です"), format!("line {line} has fewer than 2 positions"))
            }
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
            Problem::TooManyVertices { count, limit } => Text::new(
                format!("頂点が多すぎます（{count} 点。1 地物の上限は {limit} 点です。簡略化してください）"),
                format!("too many vertices ({count}; a feature may have at most {limit}: simplify it)"),
            ),
            Problem::NameCharacter(c) => {
                let (ja, en) = match forbidden_in_name(*c) {
                    Some(Forbidden::Bidi) => ("双方向テキストの制御文字", "a bidirectional control character"),
                    Some(Forbidden::ZeroWidth) => ("幅のない文字", "a zero-width character"),
                    _ => ("制御文字", "a control character"),
                };
                let code = format!("U+{:04X}", *c as u32);
                Text::new(
                    format!("地区名に使えない文字（{ja} {code}）が含まれています"),
                    format!("the name contains {en} ({code})"),
                )
            }
        }
    }
}

impl FeatureProblem {
    /// `地物 3（香林坊）: …`
    pub fn text(&self) -> Text {
        let problem = self.problem.text();
        let at = feature_label(self.index, self.name.as_deref());
        Text::new(format!("{}: {}", at.ja, problem.ja), format!("{}: {}", at.en, problem.en))
    }
}

/// `地物 3（香林坊）` / `feature 3 (香林坊)`.
fn feature_label(index: usize, name: Option<&str>) -> Text {
    match name {
        Some(name) => Text::new(format!("地物 {index}（{name}）"), format!("feature {index} ({name})")),
        None => Text::new(format!("地物 {index}"), format!("feature {index}")),
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
            ZoneFileError::Empty => Text::new(
                "地区が 1 件もありません（取り込むとすべての地区が消えます）",
                "the file has no zone (importing it would remove every zone)",
            ),
            ZoneFileError::TooManyVertices { total, limit, largest } => {
                let labels: Vec<(Text, usize)> =
                    largest.iter().map(|f| (feature_label(f.index, f.name.as_deref()), f.vertices)).collect();
                let ja: Vec<String> = labels.iter().map(|(at, n)| format!("{} {n} 点", at.ja)).collect();
                let en: Vec<String> = labels.iter().map(|(at, n)| format!("{} {n}", at.en)).collect();
                Text::new(
                    format!(
                        "頂点が多すぎます（ファイル全体で {total} 点。上限は {limit} 点です）。大きい地物: {}",
                        ja.join("、")
                    ),
                    format!(
                        "too many vertices ({total} in the file; the limit is {limit}). Largest: {}",
                        en.join(", ")
                    ),
                )
            }
            ZoneFileError::NoNames { property, keys } => {
                let listed = if keys.is_empty() { "（なし）".to_string() } else { keys.join(", ") };
                let listed_en = if keys.is_empty() { "(none)".to_string() } else { keys.join(", ") };
                Text::new(
                    format!(
                        "どの地物にも properties.{property}（地区名）がありません。このファイルのプロパティ: {listed}。地区名の入ったプロパティを指定してください（CLI: --name-property キー、API: ?name_property=キー）"
                    ),
                    format!(
                        "no feature has properties.{property} (the zone's name). The file's properties: {listed_en}. Say which one holds the name (CLI: --name-property KEY, API: ?name_property=KEY)"
                    ),
                )
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

/// Reads and checks a whole zone file, names in `properties.name`; its zones.
/// CPU-bound (a large file takes a noticeable fraction of a second): async
/// callers run it off the async workers.
pub fn parse(text: &str) -> Result<Vec<Zone>, ZoneFileError> {
    parse_named(text, DEFAULT_NAME_PROPERTY).map(|file| file.zones)
}

/// Reads and checks a whole zone file whose zone names are in
/// `properties.<name_property>`: its zones and roads.
pub fn parse_named(text: &str, name_property: &str) -> Result<ZoneFile, ZoneFileError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| ZoneFileError::NotJson(e.to_string()))?;
    if doc["type"] != "FeatureCollection" {
        return Err(ZoneFileError::NotFeatureCollection);
    }
    let features = doc["features"].as_array().ok_or(ZoneFileError::NotFeatureCollection)?;
    if features.is_empty() {
        return Err(ZoneFileError::Empty);
    }
    let is_road: Vec<bool> = features.iter().map(super::roads::is_road).collect();
    let names: Vec<Option<String>> = features
        .iter()
        .zip(&is_road)
        .map(|(f, &road)| if road { super::roads::label_of(f) } else { name_of(&f["properties"][name_property]) })
        .collect();
    let sizes: Vec<usize> = features.iter().map(|f| vertices_in(&f["geometry"])).collect();
    let total: usize = sizes.iter().sum();
    if total > MAX_VERTICES_PER_FILE {
        let mut largest: Vec<FeatureSize> = sizes
            .iter()
            .enumerate()
            .map(|(index, &vertices)| FeatureSize { index, name: names[index].as_deref().map(shown), vertices })
            .collect();
        largest.sort_by(|a, b| b.vertices.cmp(&a.vertices).then(a.index.cmp(&b.index)));
        largest.truncate(3);
        return Err(ZoneFileError::TooManyVertices { total, limit: MAX_VERTICES_PER_FILE, largest });
    }
    let zone_features = || features.iter().zip(&is_road).filter(|(_, road)| !**road).map(|(f, _)| f);
    if zone_features().next().is_none() {
        return Err(ZoneFileError::Empty);
    }
    if names.iter().zip(&is_road).all(|(name, road)| *road || name.is_none()) {
        return Err(ZoneFileError::NoNames {
            property: name_property.to_string(),
            keys: property_keys(zone_features()),
        });
    }
    let mut zones = Vec::new();
    let mut roads = Vec::new();
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (index, feature) in features.iter().enumerate() {
        let name = names[index].clone();
        let mut report = |problem| problems.push(FeatureProblem { index, name: name.as_deref().map(shown), problem });
        if is_road[index] {
            match super::roads::road_of(feature, names[index].clone()) {
                Ok(road) => roads.push(road),
                Err(problem) => report(problem),
            }
            continue;
        }
        // A line without `road` is most likely a road left unmarked: say that, not "no name".
        if let Some(kind @ ("LineString" | "MultiLineString")) = feature["geometry"]["type"].as_str() {
            report(Problem::NotAPolygon(kind.to_string()));
            continue;
        }
        let Some(name) = name.clone() else {
            report(Problem::NoName(name_property.to_string()));
            continue;
        };
        if let Some(c) = name.chars().find(|&c| forbidden_in_name(c).is_some()) {
            report(Problem::NameCharacter(c));
            continue;
        }
        if !seen.insert(name.clone()) {
            report(Problem::DuplicateName);
            continue;
        }
        if sizes[index] > MAX_VERTICES_PER_FEATURE {
            report(Problem::TooManyVertices { count: sizes[index], limit: MAX_VERTICES_PER_FEATURE });
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
    if problems.is_empty() { Ok(ZoneFile { zones, roads }) } else { Err(ZoneFileError::Features(problems)) }
}

/// The property keys of `features`, each once (serde_json's maps keep them sorted).
fn property_keys<'a>(features: impl Iterator<Item = &'a Value>) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for key in features.filter_map(|f| f["properties"].as_object()).flat_map(|p| p.keys()) {
        let key = shown(key);
        if keys.contains(&key) {
            continue;
        }
        if keys.len() == KEYS_LISTED {
            keys.push("…".to_string());
            break;
        }
        keys.push(key);
    }
    keys
}

/// Zones as stored (`name`, `code`, `color`, geometry JSON), back into shapes.
/// They were checked on the way in; the name rules are not applied again (a zone
/// stored before a rule existed stays), and a row that no longer reads is
/// logged and left out rather than taking the whole set with it.
pub fn from_stored(rows: Vec<(String, Option<String>, Option<String>, String)>) -> Vec<Zone> {
    rows.into_iter()
        .filter_map(|(name, code, color, geometry)| {
            let geometry: Value = serde_json::from_str(&geometry).unwrap_or(Value::Null);
            match shape_of(&geometry) {
                Ok(shape) => Some(Zone { name, code, color, geometry, shape }),
                Err(problem) => {
                    tracing::error!(zone = %name, problem = %problem.text().en, "a stored zone no longer reads");
                    None
                }
            }
        })
        .collect()
}

/// A name property: NFC, trimmed; `None` when missing or blank. A number (a
/// code used as the name) is taken as written.
pub(super) fn name_of(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(text) => text.clone(),
        Value::Number(number) => number.to_string(),
        _ => return None,
    };
    let name: String = text.nfc().collect();
    // Trimming would also drop a trailing control character (U+000A, U+0085 are
    // white space): only ordinary spaces are trimmed, the rest is refused.
    let trimmed = name.trim_matches(|c: char| c.is_whitespace() && forbidden_in_name(c).is_none());
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

enum Forbidden {
    Control,
    Bidi,
    ZeroWidth,
}

/// C0 and C1 controls (and DEL); bidi embeddings, overrides and isolates, and
/// the bidi marks LRM, RLM, ALM; zero-width space, joiners, word joiner and BOM.
/// Each can make a name look like another or reorder the text around it.
fn forbidden_in_name(c: char) -> Option<Forbidden> {
    match c {
        c if c.is_control() => Some(Forbidden::Control),
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}' => {
            Some(Forbidden::Bidi)
        }
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => Some(Forbidden::ZeroWidth),
        _ => None,
    }
}

/// The first character of `name` that a name may not hold.
pub(super) fn first_forbidden(name: &str) -> Option<char> {
    name.chars().find(|&c| forbidden_in_name(c).is_some())
}

/// A name as it may be shown in a message: forbidden characters as `\u{202E}`.
pub(super) fn shown(name: &str) -> String {
    name.chars()
        .map(|c| if forbidden_in_name(c).is_some() { format!("\\u{{{:04X}}}", c as u32) } else { c.to_string() })
        .collect()
}

/// Positions in a Polygon or MultiPolygon geometry, counted before anything is
/// built (whatever is not an array counts 0; the checks report it).
fn vertices_in(geometry: &Value) -> usize {
    let in_polygon = |rings: &Value| -> usize {
        rings.as_array().map_or(0, |rings| rings.iter().map(|r| r.as_array().map_or(0, Vec::len)).sum())
    };
    let coordinates = &geometry["coordinates"];
    match geometry["type"].as_str() {
        Some("Polygon") => in_polygon(coordinates),
        Some("MultiPolygon") => coordinates.as_array().map_or(0, |polygons| polygons.iter().map(in_polygon).sum()),
        Some("LineString") => coordinates.as_array().map_or(0, Vec::len),
        Some("MultiLineString") => in_polygon(coordinates),
        _ => 0,
    }
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
    if let Err(invalid) = super::valid::check(&shape) {
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

pub(super) fn coord_of(position: &Value) -> Result<Coord<f64>, Problem> {
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
        let unnamed = r#"{"type":"Feature","properties":{},"geometry":null}"#;
        assert_eq!(
            problem_of(&collection(&format!("{},{unnamed}", feature("a", SQUARE)))),
            Problem::NoName("name".into())
        );
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
    fn names_come_from_the_property_named_and_a_file_without_it_is_one_problem_listing_its_keys() {
        let ward = |name: &str| {
            format!(
                r#"{{"type":"Feature","properties":{{"ward_ja":"{name}","ward_en":"x","pop":1}},"geometry":{SQUARE}}}"#
            )
        };
        let road = r#"{"type":"Feature","properties":{"road":"国道8号"},"geometry":{"type":"LineString","coordinates":[[136.6,36.5],[136.7,36.6]]}}"#;
        let text = collection(&format!(
            "{},{},{road}",
            ward("中央区"),
            ward("北区").replace(SQUARE, &SQUARE.replace("136.6", "136.5"))
        ));
        let error = parse(&text).unwrap_err();
        assert_eq!(
            error,
            ZoneFileError::NoNames {
                property: "name".into(),
                keys: vec!["pop".into(), "ward_en".into(), "ward_ja".into()]
            }
        );
        let ja = error.text().ja;
        assert_eq!(ja.lines().count(), 1, "said once: {ja}");
        assert!(
            ja.contains("properties.name") && ja.contains("pop, ward_en, ward_ja") && ja.contains("--name-property"),
            "{ja}"
        );
        let file = parse_named(&text, "ward_ja").unwrap();
        assert_eq!(file.zones.iter().map(|z| z.name.as_str()).collect::<Vec<_>>(), ["中央区", "北区"]);
        assert_eq!(file.roads.len(), 1);
        assert_eq!(file.roads[0].label.as_deref(), Some("国道8号"));
        // Missing in only some features: each of them is named.
        let partial = collection(&format!("{},{}", ward("中央区"), feature("北区", SQUARE)));
        match parse_named(&partial, "ward_ja") {
            Err(ZoneFileError::Features(problems)) => {
                assert_eq!(problems.len(), 1);
                assert_eq!(problems[0].text().ja, "地物 1: properties.ward_ja（地区名）がありません");
            }
            other => panic!("{other:?}"),
        }
        // A line without `road` is still refused, saying how to make it a road.
        let line = r#"{"type":"Feature","properties":{"name":"線"},"geometry":{"type":"LineString","coordinates":[[136.6,36.5],[136.7,36.6]]}}"#;
        let error = parse(&collection(&format!("{},{line}", feature("a", SQUARE)))).unwrap_err();
        assert!(error.text().ja.contains("properties.road"), "{}", error.text().ja);
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

    fn named(name: &str) -> String {
        let name = serde_json::to_string(name).unwrap();
        format!(r#"{{"type":"Feature","properties":{{"name":{name}}},"geometry":{SQUARE}}}"#)
    }

    /// A closed ring of `n` positions (n - 1 distinct) on a circle, as GeoJSON.
    fn circle(n: usize, centre: (f64, f64), radius: f64) -> String {
        let positions: Vec<String> = (0..n)
            .map(|i| {
                let angle = (i % (n - 1)) as f64 / (n - 1) as f64 * std::f64::consts::TAU;
                format!("[{},{}]", centre.0 + radius * angle.cos(), centre.1 + radius * angle.sin())
            })
            .collect();
        format!(r#"{{"type":"Polygon","coordinates":[[{}]]}}"#, positions.join(","))
    }

    #[test]
    fn an_empty_file_is_refused_because_importing_it_would_remove_every_zone() {
        let error = parse(r#"{"type":"FeatureCollection","features":[]}"#).unwrap_err();
        assert_eq!(error, ZoneFileError::Empty);
        assert!(error.text().ja.contains("地区が 1 件もありません"), "{}", error.text().ja);
        assert!(error.text().en.contains("no zone"));
    }

    #[test]
    fn a_feature_or_a_file_over_the_vertex_cap_is_refused_naming_the_feature() {
        let big = circle(MAX_VERTICES_PER_FEATURE + 1, (136.6, 36.5), 0.1);
        let text = collection(&format!("{},{}", feature("小", SQUARE), feature("大きい町", &big)));
        match parse(&text) {
            Err(ZoneFileError::Features(problems)) => {
                assert_eq!(problems.len(), 1);
                assert_eq!(
                    problems[0].problem,
                    Problem::TooManyVertices { count: MAX_VERTICES_PER_FEATURE + 1, limit: MAX_VERTICES_PER_FEATURE }
                );
                let text = problems[0].text();
                assert!(text.ja.starts_with("地物 1（大きい町）: 頂点が多すぎます（100001 点"), "{}", text.ja);
                assert!(text.en.starts_with("feature 1 (大きい町): too many vertices (100001;"), "{}", text.en);
            }
            other => panic!("{other:?}"),
        }
        // Three features of 70,001 positions: each is allowed, the file is not.
        let part = circle(70_001, (136.6, 36.5), 0.1);
        let text = collection(&format!("{},{},{}", feature("一", &part), feature("二", &part), feature("三", &part)));
        let error = parse(&text).unwrap_err();
        match &error {
            ZoneFileError::TooManyVertices { total, limit, largest } => {
                assert_eq!((*total, *limit), (210_003, MAX_VERTICES_PER_FILE));
                assert_eq!(largest.iter().map(|f| f.name.as_deref().unwrap()).collect::<Vec<_>>(), ["一", "二", "三"]);
            }
            other => panic!("{other:?}"),
        }
        let text = error.text();
        assert!(text.ja.contains("ファイル全体で 210003 点。上限は 200000 点"), "{}", text.ja);
        assert!(text.ja.contains("地物 0（一） 70001 点"), "{}", text.ja);
        assert!(text.en.contains("210003 in the file; the limit is 200000"), "{}", text.en);
    }

    #[test]
    fn names_with_control_bidi_or_zero_width_characters_are_refused_and_shown_escaped() {
        for (name, c, kind) in [
            ("香林\u{0}坊", '\u{0}', "制御文字"),
            ("香林坊\n", '\n', "制御文字"),
            ("香林\u{85}坊", '\u{85}', "制御文字"),
            ("香林\u{202E}坊", '\u{202E}', "双方向テキストの制御文字"),
            ("\u{2066}香林坊\u{2069}", '\u{2066}', "双方向テキストの制御文字"),
            ("香林\u{200B}坊", '\u{200B}', "幅のない文字"),
            ("\u{FEFF}香林坊", '\u{FEFF}', "幅のない文字"),
            ("香林\u{2060}坊", '\u{2060}', "幅のない文字"),
        ] {
            match parse(&collection(&named(name))) {
                Err(ZoneFileError::Features(problems)) => {
                    assert_eq!(problems[0].problem, Problem::NameCharacter(c), "{name:?}");
                    let text = problems[0].text().ja;
                    assert!(text.contains(kind) && text.contains(&format!("U+{:04X}", c as u32)), "{text}");
                    assert!(!text.contains(c), "the message shows the character escaped: {text:?}");
                    assert!(text.starts_with("地物 0（"), "{text}");
                }
                other => panic!("{name:?}: {other:?}"),
            }
        }
        let nul = parse(&collection(&named("香林\u{0}坊"))).unwrap_err();
        assert_eq!(nul.text().ja, "地物 0（香林\\u{0000}坊）: 地区名に使えない文字（制御文字 U+0000）が含まれています");
    }

    #[test]
    fn names_are_nfc_and_ordinary_spaces_trimmed() {
        // ガ as カ + combining dakuten.
        let zones = parse(&collection(&named("\u{30AB}\u{3099}ラ町\u{3000} "))).unwrap();
        assert_eq!(zones[0].name, "ガラ町");
        let twins = collection(&format!("{},{}", named("ガラ町"), named("\u{30AB}\u{3099}ラ町")));
        match parse(&twins) {
            Err(ZoneFileError::Features(problems)) => assert_eq!(problems[0].problem, Problem::DuplicateName),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_fifty_thousand_vertex_polygon_checks_in_seconds() {
        let text = collection(&feature("大きい町", &circle(50_000, (136.6, 36.5), 0.1)));
        let started = std::time::Instant::now();
        let zones = parse(&text).unwrap();
        let elapsed = started.elapsed();
        assert_eq!(zones.len(), 1);
        assert!(elapsed < std::time::Duration::from_secs(20), "{elapsed:?} (the all-pairs check took minutes)");
    }

    #[test]
    fn stored_zones_read_back_without_the_name_rules() {
        let rows = vec![
            ("古い\u{200B}地区".to_string(), None, None, SQUARE.to_string()),
            ("壊れた".to_string(), None, None, "null".to_string()),
        ];
        let zones = from_stored(rows);
        assert_eq!(zones.iter().map(|z| z.name.as_str()).collect::<Vec<_>>(), ["古い\u{200B}地区"]);
    }
}

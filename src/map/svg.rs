//! The zone map as one SVG, drawn on the server from the zone set and the
//! needs, so no map library is needed anywhere.
//!
//! # Coordinate space
//! Every coordinate in the SVG is a Web Mercator *world pixel* (EPSG:3857 as
//! the XYZ tile scheme uses it): the whole world is a square of
//! [`WORLD_SIZE`] = 256·2¹⁶ units, x growing east from longitude −180°, y
//! growing south from latitude +85.0511°. One unit is one pixel of a zoom-16
//! tile, so raster tile `(z, x, y)` covers exactly
//! `x·S/2^z … (x+1)·S/2^z` by `y·S/2^z … (y+1)·S/2^z` with `S = WORLD_SIZE`,
//! and the page can lay `/tiles/{z}/{x}/{y}.png` images under the zones
//! without any reprojection. (Browsers keep SVG coordinates as 32-bit floats:
//! near Japan that is about half a unit, 1 m on the ground — fine for a pin.)
//!
//! The root `<svg>` carries `data-world-size` and the longitude/latitude
//! bounds of its `viewBox` (`data-west`, `data-south`, `data-east`,
//! `data-north`), so a script can turn a screen point into a longitude and
//! latitude with [`lon_lat`]'s formula.
//!
//! # Layers, bottom to top
//! `#tiles` (empty; the map page fills it), `#zones` (one `path.zone` per
//! zone), `#roads` (one `path.road` per road the zone file carried), `#labels`
//! (zone names, road names), `#needs` (one `.need-pin` per pin), `#teams`
//! (empty until teams have positions), `#legend`, `#scale`.
//!
//! Without a base map the zones, their names, the roads and the scale are what
//! make the map readable. The scale bar is drawn in world units at the bottom
//! left of the initial view, so it stays true at any zoom (it is a ruler laid
//! on the map, not a screen overlay).
//!
//! Sizes that should stay the same on screen (pin radius, label size) are
//! written for a 1,000-pixel-wide view of the initial `viewBox`; the map page
//! overrides them from CSS as it zooms. Outlines use `non-scaling-stroke`.

use std::collections::HashMap;
use std::f64::consts::PI;
use std::fmt::Write;

use geo::{BoundingRect, Euclidean, InteriorPoint, InterpolatableLine, LineString, MultiLineString};

use crate::i18n::Lang;
use crate::needs::MapPin;
use crate::needs::{MapState, Status};
use crate::zones::{Road, Zone};

/// The zoom level whose tile pixels are the SVG's units.
pub const WORLD_ZOOM: u32 = 16;
/// Side of the Web Mercator world square, in SVG units: 256·2^[`WORLD_ZOOM`].
pub const WORLD_SIZE: f64 = (256u64 << WORLD_ZOOM) as f64;
/// Web Mercator stops here; beyond it y is infinite.
const MAX_LAT: f64 = 85.051_128_78;

/// What to draw when there is nothing to frame: most of Japan.
const DEFAULT_AREA: ((f64, f64), (f64, f64)) = ((129.0, 31.0), (146.0, 45.5));
/// The smallest area framed (world units, about 1 km near Japan), so a single
/// small zone or pin is not blown up to fill the screen.
const MIN_SPAN: f64 = 512.0;
/// The nominal on-screen width the fixed-size marks are written for.
const NOMINAL_WIDTH_PX: f64 = 1000.0;
/// Metres on the ground per world unit at the equator (Web Mercator, zoom 16).
const METRES_PER_UNIT_AT_EQUATOR: f64 = 40_075_016.686 / WORLD_SIZE;

/// Longitude, latitude (degrees) → world pixel (x east, y south).
pub fn world_px(lon: f64, lat: f64) -> (f64, f64) {
    let x = (lon + 180.0) / 360.0 * WORLD_SIZE;
    let sin = lat.clamp(-MAX_LAT, MAX_LAT).to_radians().sin();
    let y = (0.5 - ((1.0 + sin) / (1.0 - sin)).ln() / (4.0 * PI)) * WORLD_SIZE;
    (x, y)
}

/// World pixel → longitude, latitude (degrees); the inverse of [`world_px`].
pub fn lon_lat(x: f64, y: f64) -> (f64, f64) {
    let lon = x / WORLD_SIZE * 360.0 - 180.0;
    let lat = (PI * (1.0 - 2.0 * y / WORLD_SIZE)).sinh().atan().to_degrees();
    (lon, lat)
}

/// Everything the map shows.
pub struct MapData<'a> {
    pub zones: &'a [Zone],
    /// Roads the zone file carried, drawn under the labels.
    pub roads: &'a [Road],
    /// Open needs per zone name (zones without one may be absent).
    pub open_by_zone: &'a [(String, i64)],
    /// Need pins; `None` when the viewer may not see where needs are (exact
    /// locations are personal data: coordinators and admins only).
    pub pins: Option<&'a [MapPin]>,
    /// Language of the legend.
    pub lang: Lang,
}

/// The fill ramp for zones by open needs: (fewest open needs for this shade, colour).
const OPEN_RAMP: [(i64, &str); 4] = [(1, "#fcc2d7"), (2, "#f783ac"), (4, "#e64980"), (7, "#a61e4d")];
const NEUTRAL_ZONE: &str = "#adb5bd";

/// A viewBox in world pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Frame {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

/// Renders the map. Pure: the caller reads the zones and needs.
pub fn render(data: &MapData) -> String {
    let frame = frame_of(data);
    // World units per screen pixel at the nominal width.
    let unit = frame.w / NOMINAL_WIDTH_PX;
    let open: HashMap<&str, i64> = data.open_by_zone.iter().map(|(zone, n)| (zone.as_str(), *n)).collect();
    let (west, north) = lon_lat(frame.x, frame.y);
    let (east, south) = lon_lat(frame.x + frame.w, frame.y + frame.h);

    let mut svg = String::with_capacity(4096 + data.zones.len() * 512);
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="borasen-map" viewBox="{} {} {} {}" preserveAspectRatio="xMidYMid meet" data-world-size="{}" data-world-zoom="{WORLD_ZOOM}" data-west="{west:.6}" data-south="{south:.6}" data-east="{east:.6}" data-north="{north:.6}" data-pins="{}" font-family="sans-serif">"##,
        num(frame.x),
        num(frame.y),
        num(frame.w),
        num(frame.h),
        WORLD_SIZE as u64,
        if data.pins.is_some() { "shown" } else { "hidden" },
    );
    let _ = write!(
        svg,
        r##"<rect id="background" x="{}" y="{}" width="{}" height="{}" fill="#eef1ee"/><g id="tiles"/>"##,
        num(frame.x - frame.w),
        num(frame.y - frame.h),
        num(frame.w * 3.0),
        num(frame.h * 3.0)
    );

    svg.push_str(r#"<g id="zones">"#);
    for zone in data.zones {
        let n = open.get(zone.name.as_str()).copied().unwrap_or(0);
        let (fill, opacity) = match ramp(n) {
            Some(colour) => (colour, 0.55),
            None => (zone.color.as_deref().filter(|c| is_safe_colour(c)).unwrap_or(NEUTRAL_ZONE), 0.18),
        };
        let _ = write!(
            svg,
            r##"<path class="zone" data-zone="{}" data-open="{n}" fill="{}" fill-opacity="{opacity}" fill-rule="evenodd" stroke="#495057" stroke-width="1.5" vector-effect="non-scaling-stroke" d="{}"><title>{}</title></path>"##,
            esc(&zone.name),
            esc(fill),
            path_data(zone),
            esc(&zone_title(&zone.name, n, data.lang)),
        );
    }
    svg.push_str("</g>");

    svg.push_str(r#"<g id="roads">"#);
    for road in data.roads {
        let d = line_data(&road.shape);
        let label = road.label.as_deref().unwrap_or("");
        // A white casing under the line keeps it visible over any zone fill.
        let _ = write!(
            svg,
            r##"<g class="road" data-road="{}"><path d="{d}" fill="none" stroke="#ffffff" stroke-width="6" stroke-linecap="round" stroke-linejoin="round" vector-effect="non-scaling-stroke"/><path d="{d}" fill="none" stroke="#e8590c" stroke-width="3" stroke-linecap="round" stroke-linejoin="round" vector-effect="non-scaling-stroke"/></g>"##,
            esc(label),
        );
    }
    svg.push_str("</g>");

    svg.push_str(r#"<g id="labels">"#);
    for (label, (x, y)) in road_labels(data.roads) {
        let _ = write!(
            svg,
            r##"<text class="road-label" data-road="{}" x="{}" y="{}" font-size="{}" stroke-width="{}" text-anchor="middle" dominant-baseline="middle" fill="#a33e00" stroke="#ffffff" paint-order="stroke">{}</text>"##,
            esc(label),
            num(x),
            num(y),
            num(11.0 * unit),
            num(3.0 * unit),
            esc(label),
        );
    }
    for zone in data.zones {
        let Some(point) = zone.shape.interior_point() else { continue };
        let (x, y) = world_px(point.x(), point.y());
        let n = open.get(zone.name.as_str()).copied().unwrap_or(0);
        let _ = write!(
            svg,
            r##"<text class="zone-label" data-zone="{}" x="{}" y="{}" font-size="{}" stroke-width="{}" text-anchor="middle" dominant-baseline="middle" fill="#212529" stroke="#ffffff" paint-order="stroke">{}"##,
            esc(&zone.name),
            num(x),
            num(y),
            num(13.0 * unit),
            num(3.0 * unit),
            esc(&zone.name),
        );
        if n > 0 {
            let _ = write!(svg, r#"<tspan class="open-count" font-weight="bold"> {n}</tspan>"#);
        }
        svg.push_str("</text>");
    }
    svg.push_str("</g>");

    svg.push_str(r#"<g id="needs">"#);
    for pin in data.pins.unwrap_or_default() {
        // Cancelled needs are not on the map (the store leaves them out too).
        let Some(state) = pin.status.map_state() else { continue };
        let (x, y) = world_px(pin.lon, pin.lat);
        let (class, ring, ring_width) = match (pin.status.is_open(), pin.priority == 1) {
            (true, true) => ("need-pin open urgent", "#5c0011", 3),
            (true, false) => ("need-pin open", "#ffffff", 2),
            (false, _) => ("need-pin done", "#ffffff", 2),
        };
        let _ = write!(
            svg,
            r#"<circle class="{class}" data-need="{}" data-status="{}" data-priority="{}" cx="{}" cy="{}" r="{}" fill="{}" stroke="{ring}" stroke-width="{ring_width}" vector-effect="non-scaling-stroke"><title>{}</title></circle>"#,
            esc(&pin.need_no),
            pin.status.as_str(),
            pin.priority,
            num(x),
            num(y),
            num(7.0 * unit),
            state.colour(),
            esc(&format!("{} {}", pin.need_no, status_label(pin.status, data.lang))),
        );
    }
    svg.push_str(r#"</g><g id="teams"/>"#);

    legend(&mut svg, frame, unit, data);
    scale_bar(&mut svg, frame, unit, data.lang);
    svg.push_str("</svg>");
    svg
}

/// The area to show: every zone and pin, with a margin; a default area when empty.
fn frame_of(data: &MapData) -> Frame {
    let mut bounds: Option<(f64, f64, f64, f64)> = None;
    let mut add = |lon: f64, lat: f64| {
        let (x, y) = world_px(lon, lat);
        bounds = Some(match bounds {
            None => (x, y, x, y),
            Some((x0, y0, x1, y1)) => (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
        });
    };
    for zone in data.zones {
        if let Some(rect) = zone.shape.bounding_rect() {
            add(rect.min().x, rect.min().y);
            add(rect.max().x, rect.max().y);
        }
    }
    for pin in data.pins.unwrap_or_default() {
        add(pin.lon, pin.lat);
    }
    let (x0, y0, x1, y1) = bounds.unwrap_or_else(|| {
        let ((west, south), (east, north)) = DEFAULT_AREA;
        let (x0, y1) = world_px(west, south);
        let (x1, y0) = world_px(east, north);
        (x0, y0, x1, y1)
    });
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let w = ((x1 - x0) * 1.1).max(MIN_SPAN);
    let h = ((y1 - y0) * 1.1).max(MIN_SPAN);
    Frame { x: cx - w / 2.0, y: cy - h / 2.0, w, h }
}

/// One path for the whole zone: a subpath per ring of every polygon; holes
/// are cut out by the `evenodd` fill rule.
fn path_data(zone: &Zone) -> String {
    let mut d = String::new();
    for polygon in &zone.shape {
        ring(&mut d, polygon.exterior());
        for hole in polygon.interiors() {
            ring(&mut d, hole);
        }
    }
    d
}

fn ring(d: &mut String, line: &LineString<f64>) {
    // The last position repeats the first; `Z` closes the ring instead.
    let n = line.0.len().saturating_sub(1);
    for (i, c) in line.0.iter().take(n).enumerate() {
        let (x, y) = world_px(c.x, c.y);
        let _ = write!(d, "{}{} {}", if i == 0 { "M" } else { "L" }, num(x), num(y));
    }
    if n > 0 {
        d.push('Z');
    }
}

/// One path for a road: a subpath per line.
fn line_data(shape: &MultiLineString<f64>) -> String {
    let mut d = String::new();
    for line in shape {
        for (i, c) in line.0.iter().enumerate() {
            let (x, y) = world_px(c.x, c.y);
            let _ = write!(d, "{}{} {}", if i == 0 { "M" } else { "L" }, num(x), num(y));
        }
    }
    d
}

/// Each road name once (a road may come in many pieces), halfway along its
/// longest line, in the order the names first appear.
fn road_labels(roads: &[Road]) -> Vec<(&str, (f64, f64))> {
    let mut best: Vec<(&str, &LineString<f64>)> = Vec::new();
    for road in roads {
        let Some(label) = road.label.as_deref() else { continue };
        let Some(longest) = road.shape.iter().max_by_key(|line| line.0.len()) else { continue };
        match best.iter_mut().find(|(seen, _)| *seen == label) {
            Some(entry) if entry.1.0.len() < longest.0.len() => entry.1 = longest,
            Some(_) => {}
            None => best.push((label, longest)),
        }
    }
    best.into_iter()
        .filter_map(|(label, line)| {
            line.point_at_ratio_from_start(&Euclidean, 0.5).map(|p| (label, world_px(p.x(), p.y())))
        })
        .collect()
}

/// A scale bar at the bottom left of the view: a round ground length (1, 2 or
/// 5 × 10ⁿ m) near a fifth of the view's width, in world units so it stays
/// true as the page zooms.
fn scale_bar(svg: &mut String, frame: Frame, unit: f64, lang: Lang) {
    let (_, lat) = lon_lat(frame.x + frame.w / 2.0, frame.y + frame.h / 2.0);
    let metres_per_unit = METRES_PER_UNIT_AT_EQUATOR * lat.to_radians().cos();
    let metres = round_length(frame.w / 5.0 * metres_per_unit);
    let length = metres / metres_per_unit;
    let (x, y) = (frame.x + 16.0 * unit, frame.y + frame.h - 16.0 * unit);
    let tick = 6.0 * unit;
    let text = if metres >= 1000.0 { format!("{} km", num(metres / 1000.0)) } else { format!("{} m", num(metres)) };
    let title = match lang {
        Lang::Ja => format!("縮尺（この線が {text}）"),
        Lang::En => format!("scale (this bar is {text})"),
    };
    let _ = write!(
        svg,
        r##"<g id="scale" data-metres="{}" data-length="{}"><title>{}</title><path d="M{} {}V{}H{}V{}" fill="none" stroke="#ffffff" stroke-width="6" vector-effect="non-scaling-stroke"/><path class="scale-bar" d="M{} {}V{}H{}V{}" fill="none" stroke="#212529" stroke-width="2" vector-effect="non-scaling-stroke"/><text class="scale-label" x="{}" y="{}" font-size="{}" stroke-width="{}" fill="#212529" stroke="#ffffff" paint-order="stroke">{}</text></g>"##,
        num(metres),
        num(length),
        esc(&title),
        num(x),
        num(y - tick),
        num(y),
        num(x + length),
        num(y - tick),
        num(x),
        num(y - tick),
        num(y),
        num(x + length),
        num(y - tick),
        num(x + length + 6.0 * unit),
        num(y),
        num(12.0 * unit),
        num(3.0 * unit),
        esc(&text),
    );
}

/// The largest 1, 2 or 5 × 10ⁿ not above `metres` (at least 1 m).
fn round_length(metres: f64) -> f64 {
    if metres.is_nan() || metres < 1.0 {
        return 1.0;
    }
    let power = 10f64.powf(metres.log10().floor());
    [5.0, 2.0, 1.0].into_iter().map(|step| step * power).find(|length| *length <= metres).unwrap_or(power)
}

fn ramp(open: i64) -> Option<&'static str> {
    OPEN_RAMP.iter().rev().find(|(from, _)| open >= *from).map(|(_, colour)| *colour)
}

/// A zone file's `color`: a hex colour or a plain colour name, nothing else.
fn is_safe_colour(colour: &str) -> bool {
    match colour.strip_prefix('#') {
        Some(hex) => matches!(hex.len(), 3 | 4 | 6 | 8) && hex.bytes().all(|b| b.is_ascii_hexdigit()),
        None => !colour.is_empty() && colour.len() <= 30 && colour.bytes().all(|b| b.is_ascii_alphabetic()),
    }
}

fn zone_title(name: &str, open: i64, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("{name}（未完了のニーズ {open} 件）"),
        Lang::En => format!("{name} ({open} open needs)"),
    }
}

fn status_label(status: Status, lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => status.label_ja(),
        Lang::En => status.label_en(),
    }
}

/// A key in the top-left corner, drawn in screen pixels and scaled into the
/// view; the page keeps it in the corner as it pans and zooms.
fn legend(svg: &mut String, frame: Frame, unit: f64, data: &MapData) {
    let ja = data.lang == Lang::Ja;
    let mut rows: Vec<(String, &str, bool)> = Vec::new();
    if data.pins.is_some() {
        for (state, ja_label, en_label) in [
            (MapState::Pending, "未対応", "pending"),
            (MapState::InProgress, "対応中", "in progress"),
            (MapState::Done, "完了", "done"),
        ] {
            rows.push(((if ja { ja_label } else { en_label }).to_string(), state.colour(), true));
        }
    }
    for (i, (from, colour)) in OPEN_RAMP.iter().enumerate() {
        let upto = OPEN_RAMP.get(i + 1).map(|(next, _)| next - 1);
        let range = match upto {
            Some(upto) if upto == *from => format!("{from}"),
            Some(upto) => format!("{from}–{upto}"),
            None => format!("{from}+"),
        };
        let label = if ja { format!("未完了 {range} 件") } else { format!("{range} open") };
        rows.push((label, colour, false));
    }
    let height = 16 + rows.len() * 20;
    let _ = write!(
        svg,
        r##"<g id="legend" transform="translate({} {}) scale({})" font-size="12"><rect x="8" y="8" width="128" height="{height}" rx="6" fill="#ffffff" fill-opacity="0.9" stroke="#adb5bd"/>"##,
        num(frame.x),
        num(frame.y),
        num(unit),
    );
    for (i, (label, colour, is_pin)) in rows.iter().enumerate() {
        let y = 26 + i * 20;
        if *is_pin {
            let _ = write!(
                svg,
                r##"<circle cx="24" cy="{y}" r="6" fill="{colour}" stroke="#ffffff" stroke-width="1.5"/>"##
            );
        } else {
            let _ = write!(
                svg,
                r##"<rect x="17" y="{}" width="14" height="12" fill="{colour}" fill-opacity="0.55" stroke="#495057"/>"##,
                y - 6
            );
        }
        let _ = write!(svg, r##"<text x="38" y="{}" fill="#212529">{}</text>"##, y + 4, esc(label));
    }
    svg.push_str("</g>");
}

/// A coordinate with 0.1-unit (about 20 cm) precision, without trailing zeros.
fn num(value: f64) -> String {
    let text = format!("{value:.1}");
    text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
}

/// Escapes text for XML content and attribute values alike.
fn esc(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['<', '>', '&', '"', '\'']) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for ch in text.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(ch),
        }
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zones::parse;

    const DEMO: &str = include_str!("../../maps/demo-kanazawa.geojson");

    fn pin(number: i64, lon: f64, lat: f64, status: Status, priority: i64) -> MapPin {
        MapPin { need_no: crate::needs::need_no(number), lat, lon, status, priority }
    }

    fn draw(zones: &[Zone], open: &[(String, i64)], pins: Option<&[MapPin]>) -> String {
        render(&MapData { zones, roads: &[], open_by_zone: open, pins, lang: Lang::Ja })
    }

    fn by_id<'a>(doc: &'a roxmltree::Document, id: &str) -> roxmltree::Node<'a, 'a> {
        doc.descendants().find(|n| n.attribute("id") == Some(id)).unwrap_or_else(|| panic!("#{id}"))
    }

    fn with_class<'a>(node: roxmltree::Node<'a, 'a>, class: &str) -> Vec<roxmltree::Node<'a, 'a>> {
        node.descendants().filter(|n| n.attribute("class").is_some_and(|c| c.split(' ').any(|c| c == class))).collect()
    }

    #[test]
    fn the_demo_map_has_one_path_per_zone_in_layer_order_and_one_marker_per_pin() {
        let zones = parse(DEMO).unwrap();
        let open = vec![("香林坊".to_string(), 3), ("野町".to_string(), 8)];
        let pins = [
            pin(1, 136.652, 36.567, Status::Received, 1),
            pin(2, 136.653, 36.566, Status::Active, 3),
            pin(3, 136.644, 36.556, Status::Done, 2),
        ];
        let svg = draw(&zones, &open, Some(&pins));
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("data-world-size"), Some("16777216"));
        assert_eq!(root.attribute("data-pins"), Some("shown"));
        let layers: Vec<&str> = root.children().filter_map(|n| n.attribute("id")).collect();
        // Issue 15 adds the roads (under the labels) and the scale bar.
        assert_eq!(layers, ["background", "tiles", "zones", "roads", "labels", "needs", "teams", "legend", "scale"]);

        let paths = with_class(by_id(&doc, "zones"), "zone");
        assert_eq!(paths.len(), 12);
        assert!(paths.iter().all(|p| p.tag_name().name() == "path"));
        let kourinbou = paths.iter().find(|p| p.attribute("data-zone") == Some("香林坊")).unwrap();
        assert_eq!(kourinbou.attribute("data-open"), Some("3"));
        assert_eq!(kourinbou.attribute("fill"), Some("#f783ac"));
        let nomachi = paths.iter().find(|p| p.attribute("data-zone") == Some("野町")).unwrap();
        assert_eq!(nomachi.attribute("fill"), Some("#a61e4d"), "many open needs: the strongest pink");
        let quiet = paths.iter().find(|p| p.attribute("data-open") == Some("0")).unwrap();
        assert_eq!(quiet.attribute("fill-opacity"), Some("0.18"), "no open needs: pale, in the zone's own colour");
        assert_eq!(with_class(by_id(&doc, "labels"), "zone-label").len(), 12);

        let markers = with_class(by_id(&doc, "needs"), "need-pin");
        assert_eq!(markers.len(), 3);
        let of = |no: &str| *markers.iter().find(|m| m.attribute("data-need") == Some(no)).unwrap();
        assert_eq!(of("N-0001").attribute("fill"), Some(MapState::Pending.colour()));
        assert!(of("N-0001").attribute("class").unwrap().contains("open"));
        assert!(of("N-0001").attribute("class").unwrap().contains("urgent"));
        assert_eq!(of("N-0002").attribute("fill"), Some(MapState::InProgress.colour()));
        assert_eq!(of("N-0002").attribute("data-status"), Some("active"));
        assert_eq!(of("N-0003").attribute("class"), Some("need-pin done"));
        assert_eq!(of("N-0003").attribute("fill"), Some(MapState::Done.colour()));
    }

    #[test]
    fn without_leave_to_see_pins_the_zones_keep_their_counts_but_no_marker_is_drawn() {
        let zones = parse(DEMO).unwrap();
        let open = vec![("香林坊".to_string(), 3)];
        let svg = draw(&zones, &open, None);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        assert_eq!(doc.root_element().attribute("data-pins"), Some("hidden"));
        assert_eq!(by_id(&doc, "needs").children().count(), 0);
        assert!(doc.descendants().any(|n| n.attribute("data-open") == Some("3")));
        assert!(!svg.contains("未対応"), "not even the pins' legend");
    }

    #[test]
    fn zone_names_are_escaped_in_attributes_and_text() {
        let nasty = r#"<b>&"'"#;
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"name":{},"color":"red\" onload=\"x"}},"geometry":{{"type":"Polygon","coordinates":[[[136.6,36.5],[136.7,36.5],[136.7,36.6],[136.6,36.6],[136.6,36.5]]]}}}}]}}"#,
            serde_json::to_string(nasty).unwrap()
        );
        let zones = parse(&text).unwrap();
        let open = vec![(nasty.to_string(), 2)];
        let svg = draw(&zones, &open, Some(&[]));
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let path = with_class(by_id(&doc, "zones"), "zone")[0];
        assert_eq!(path.attribute("data-zone"), Some(nasty));
        let label = with_class(by_id(&doc, "labels"), "zone-label")[0];
        assert_eq!(label.first_child().unwrap().text(), Some(nasty));
        assert!(!svg.contains("onload"), "a zone colour that is not a colour is dropped");
        let plain = draw(&zones, &[], Some(&[]));
        let doc = roxmltree::Document::parse(&plain).unwrap();
        assert_eq!(with_class(by_id(&doc, "zones"), "zone")[0].attribute("fill"), Some(NEUTRAL_ZONE));
    }

    #[test]
    fn a_multipolygon_with_a_hole_is_one_path_with_three_rings() {
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"島と湖"},"geometry":{"type":"MultiPolygon","coordinates":[
            [[[136.60,36.50],[136.70,36.50],[136.70,36.60],[136.60,36.60],[136.60,36.50]],
             [[136.62,36.52],[136.62,36.58],[136.68,36.58],[136.68,36.52],[136.62,36.52]]],
            [[[136.80,36.50],[136.90,36.50],[136.90,36.60],[136.80,36.50]]]]}}]}"#;
        let zones = parse(text).unwrap();
        let svg = draw(&zones, &[], None);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let paths = with_class(by_id(&doc, "zones"), "zone");
        assert_eq!(paths.len(), 1);
        let d = paths[0].attribute("d").unwrap();
        assert_eq!(d.matches('M').count(), 3, "{d}");
        assert_eq!(d.matches('Z').count(), 3, "{d}");
        assert_eq!(d.matches('L').count(), 3 + 3 + 2, "the closing position is left to Z: {d}");
        assert_eq!(paths[0].attribute("fill-rule"), Some("evenodd"));
        // The frame holds both parts: the west edge of one and the east edge of the other.
        let view: Vec<f64> =
            doc.root_element().attribute("viewBox").unwrap().split(' ').map(|v| v.parse().unwrap()).collect();
        let (west, _) = world_px(136.60, 36.5);
        let (east, _) = world_px(136.90, 36.5);
        assert!(view[0] < west && view[0] + view[2] > east, "{view:?}");
    }

    #[test]
    fn world_pixels_line_up_with_the_xyz_tiles() {
        let s = WORLD_SIZE;
        assert_eq!(world_px(0.0, 0.0), (s / 2.0, s / 2.0));
        let (x, y) = world_px(-180.0, MAX_LAT);
        assert!(x.abs() < 1e-6 && y.abs() < 1e-3, "({x}, {y})");
        // 香林坊 on the OpenStreetMap tile grid: zoom 10 tile 900/400, zoom 16 tile 57644/25607
        // (the usual tan + sec formula, computed independently).
        let (x, y) = world_px(136.652, 36.567);
        for (z, tx, ty) in [(10u32, 900.0, 400.0), (16, 57644.0, 25607.0)] {
            let tile = s / f64::from(1u32 << z);
            assert_eq!(((x / tile).floor(), (y / tile).floor()), (tx, ty), "zoom {z}");
        }
        // And back, to well under a metre.
        let (lon, lat) = lon_lat(x, y);
        assert!((lon - 136.652).abs() < 1e-9 && (lat - 36.567).abs() < 1e-9, "{lon} {lat}");
    }

    #[test]
    fn an_empty_center_shows_a_default_area_with_its_bounds_on_the_root() {
        let svg = draw(&[], &[], Some(&[]));
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let root = doc.root_element();
        let west: f64 = root.attribute("data-west").unwrap().parse().unwrap();
        let north: f64 = root.attribute("data-north").unwrap().parse().unwrap();
        assert!((120.0..130.0).contains(&west) && (45.0..50.0).contains(&north), "{west} {north}");
        assert_eq!(with_class(by_id(&doc, "zones"), "zone").len(), 0);
        // One pin alone is framed, not blown up to a point.
        let pins = [pin(1, 136.652, 36.567, Status::Waiting, 2)];
        let svg = draw(&[], &[], Some(&pins));
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let view: Vec<f64> =
            doc.root_element().attribute("viewBox").unwrap().split(' ').map(|v| v.parse().unwrap()).collect();
        assert_eq!((view[2], view[3]), (MIN_SPAN, MIN_SPAN));
    }

    /// Great-circle distance in metres (haversine, mean Earth radius).
    fn ground_metres((lon1, lat1): (f64, f64), (lon2, lat2): (f64, f64)) -> f64 {
        let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
        let (dp, dl) = ((lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * 6_371_008.8 * a.sqrt().asin()
    }

    #[test]
    fn the_scale_bar_is_a_round_length_as_long_on_the_ground_as_it_says() {
        let zones = parse(DEMO).unwrap();
        let svg = draw(&zones, &[], None);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let scale = by_id(&doc, "scale");
        let metres: f64 = scale.attribute("data-metres").unwrap().parse().unwrap();
        assert!([200.0, 500.0, 1000.0].contains(&metres), "the demo map is ~3 km wide: {metres}");
        let bar = with_class(scale, "scale-bar")[0].attribute("d").unwrap();
        // "M{x} {y0}V{y}H{x1}V{y0}": the bar runs from x to x1 at y.
        let numbers: Vec<f64> = bar
            .split(|c: char| c.is_ascii_alphabetic() || c == ' ')
            .filter(|t| !t.is_empty())
            .map(|t| t.parse().unwrap())
            .collect();
        let (x0, y, x1) = (numbers[0], numbers[2], numbers[3]);
        let measured = ground_metres(lon_lat(x0, y), lon_lat(x1, y));
        assert!((measured - metres).abs() / metres < 0.01, "the bar measures {measured} m, says {metres} m");
        let label = with_class(scale, "scale-label")[0].text().unwrap();
        assert_eq!(label, if metres >= 1000.0 { format!("{} km", metres / 1000.0) } else { format!("{metres} m") });
        assert_eq!(round_length(7_300.0), 5_000.0);
        assert_eq!(round_length(2_000.0), 2_000.0);
        assert_eq!(round_length(0.2), 1.0);
    }

    #[test]
    fn roads_are_drawn_under_the_labels_with_their_names() {
        let zones = parse(DEMO).unwrap();
        let road = |label: Option<&str>| Road {
            label: label.map(str::to_string),
            shape: MultiLineString::new(vec![LineString::from(vec![
                (136.645, 36.560),
                (136.655, 36.568),
                (136.665, 36.575),
            ])]),
        };
        let roads = [road(Some("国道157号")), road(None), road(Some("国道157号"))];
        let svg = render(&MapData { zones: &zones, roads: &roads, open_by_zone: &[], pins: None, lang: Lang::Ja });
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let drawn = with_class(by_id(&doc, "roads"), "road");
        assert_eq!(drawn.len(), 3);
        assert_eq!(drawn[0].attribute("data-road"), Some("国道157号"));
        let (x, y) = world_px(136.645, 36.560);
        let d = drawn[0].children().find(|n| n.has_tag_name("path")).unwrap().attribute("d").unwrap();
        assert!(d.starts_with(&format!("M{} {}L", num(x), num(y))), "{d}");
        let labels = with_class(by_id(&doc, "labels"), "road-label");
        assert_eq!(labels.len(), 1, "a road in two pieces is named once, an unlabelled one not at all");
        assert_eq!(labels[0].text(), Some("国道157号"));
    }
}

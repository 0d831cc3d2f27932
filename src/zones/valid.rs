//! Polygon validity for zone files, in about n log n.
//!
//! This is `geo`'s `MultiPolygon::check_validation` (0.33) step for step — the same
//! checks in the same order, so the same first finding and the same message — with
//! the two quadratic parts replaced:
//! - a ring's self-intersection test compared every segment with every other
//!   (45,000 vertices: 10 s). Here an R-tree of segment bounding boxes proposes the
//!   pairs whose boxes meet, and each is decided by exactly the old predicate (see
//!   [`ring_self_intersects`]). Two segments that meet have boxes that meet, so no
//!   pair the old loop would flag is skipped.
//! - every polygon of a MultiPolygon was related to every later one, and every hole
//!   to every later hole. Pairs whose bounding boxes do not meet cannot overlap or
//!   touch, so only the others are related (polygons through an R-tree of boxes).

use geo::algorithm::validation::{CoordIndex, GeometryIndex, InvalidMultiPolygon, InvalidPolygon, RingRole};
use geo::coordinate_position::CoordPos;
use geo::dimensions::Dimensions;
use geo::{BoundingRect, Intersects, Line, LineString, MultiPolygon, Polygon, PreparedGeometry, Rect, Relate};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

type Boxed = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Below this many segments a ring is checked pair by pair: building a tree costs more.
const SMALL_RING: usize = 64;

/// The first problem of `shape`, as `geo`'s `check_validation` would report it.
pub fn check(shape: &MultiPolygon<f64>) -> Result<(), InvalidMultiPolygon> {
    let polygons = &shape.0;
    let boxes: Vec<Option<Rect<f64>>> = polygons.iter().map(|p| p.bounding_rect()).collect();
    let tree = (polygons.len() > 1).then(|| {
        RTree::bulk_load(
            boxes.iter().enumerate().filter_map(|(i, rect)| rect.map(|r| GeomWithData::new(rectangle(r), i))).collect(),
        )
    });
    for (i, polygon) in polygons.iter().enumerate() {
        check_polygon(polygon).map_err(|invalid| InvalidMultiPolygon::InvalidPolygon(GeometryIndex(i), invalid))?;
        let (Some(tree), Some(rect)) = (&tree, boxes[i]) else { continue };
        let mut later: Vec<usize> =
            tree.locate_in_envelope_intersecting(&envelope(rect)).map(|e| e.data).filter(|&j| j > i).collect();
        later.sort_unstable();
        for j in later {
            let im = polygon.relate(&polygons[j]);
            if im.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
                return Err(InvalidMultiPolygon::ElementsOverlaps(GeometryIndex(i), GeometryIndex(j)));
            }
            if im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
                return Err(InvalidMultiPolygon::ElementsTouchOnALine(GeometryIndex(i), GeometryIndex(j)));
            }
        }
    }
    Ok(())
}

/// `geo`'s `Polygon` validation, first finding only.
fn check_polygon(polygon: &Polygon<f64>) -> Result<(), InvalidPolygon> {
    use geo::HasDimensions;
    if polygon.is_empty() {
        return Ok(());
    }
    for (ring_idx, ring) in std::iter::once(polygon.exterior()).chain(polygon.interiors()).enumerate() {
        if ring.0.is_empty() {
            continue;
        }
        let role = if ring_idx == 0 { RingRole::Exterior } else { RingRole::Interior(ring_idx - 1) };
        if too_few_points(ring) {
            return Err(InvalidPolygon::TooFewPointsInRing(role));
        }
        if ring_self_intersects(ring) {
            return Err(InvalidPolygon::SelfIntersection(role));
        }
        if let Some(at) = ring.0.iter().position(|c| !(c.x.is_finite() && c.y.is_finite())) {
            return Err(InvalidPolygon::NonFiniteCoord(role, CoordIndex(at)));
        }
    }
    if !polygon.interiors().iter().any(|ring| !ring.0.is_empty()) {
        return Ok(());
    }
    let exterior = Polygon::new(polygon.exterior().clone(), vec![]);
    let prepared_exterior = PreparedGeometry::from(&exterior);
    let holes: Vec<(usize, Polygon<f64>, Option<Rect<f64>>)> = polygon
        .interiors()
        .iter()
        .enumerate()
        .filter(|(_, ring)| !ring.0.is_empty())
        .map(|(i, ring)| (i, Polygon::new(ring.clone(), vec![]), ring.bounding_rect()))
        .collect();
    for (n, (i, hole, hole_box)) in holes.iter().enumerate() {
        let role = RingRole::Interior(*i);
        let prepared_hole = PreparedGeometry::from(hole);
        let exterior_vs_hole = prepared_exterior.relate(&prepared_hole);
        if !exterior_vs_hole.is_contains() {
            return Err(InvalidPolygon::InteriorRingNotContainedInExteriorRing(role));
        }
        if exterior_vs_hole.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
            return Err(InvalidPolygon::IntersectingRingsOnALine(RingRole::Exterior, role));
        }
        for (j, other, other_box) in &holes[n + 1..] {
            if !boxes_meet(*hole_box, *other_box) {
                continue;
            }
            let im = prepared_hole.relate(other);
            if im.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
                return Err(InvalidPolygon::IntersectingRingsOnAnArea(role, RingRole::Interior(*j)));
            }
            if im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
                return Err(InvalidPolygon::IntersectingRingsOnALine(role, RingRole::Interior(*j)));
            }
        }
    }
    Ok(())
}

/// Fewer than 4 positions once consecutive repeats are dropped.
fn too_few_points(ring: &LineString<f64>) -> bool {
    let mut distinct = 0;
    let mut last = None;
    for coord in &ring.0 {
        if last != Some(coord) {
            distinct += 1;
            last = Some(coord);
        }
    }
    distinct < 4
}

/// Whether two segments of the ring that are not joined end to start meet —
/// `geo` 0.33's test exactly: segments `a` and `b` (any two, by position) count when
/// `a.intersects(b)` and neither `a.start == b.end` nor `a.end == b.start`. So two
/// segments in a row never count (they share a vertex), nor the closing segment
/// with the first, nor a spike that turns straight back; an X, a touch of a vertex
/// on another segment, or collinear overlap of segments apart does.
pub fn ring_self_intersects(ring: &LineString<f64>) -> bool {
    let lines: Vec<Line<f64>> = ring.lines().collect();
    if lines.len() <= SMALL_RING {
        return (0..lines.len()).any(|i| (i + 1..lines.len()).any(|j| counts(&lines[i], &lines[j])));
    }
    let tree = RTree::bulk_load(
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| GeomWithData::new(Rectangle::from_corners([l.start.x, l.start.y], [l.end.x, l.end.y]), i))
            .collect::<Vec<Boxed>>(),
    );
    lines.iter().enumerate().any(|(i, line)| {
        let probe = AABB::from_corners([line.start.x, line.start.y], [line.end.x, line.end.y]);
        tree.locate_in_envelope_intersecting(&probe).any(|e| e.data > i && counts(line, &lines[e.data]))
    })
}

fn counts(a: &Line<f64>, b: &Line<f64>) -> bool {
    a.start != b.end && a.end != b.start && a.intersects(b)
}

fn rectangle(rect: Rect<f64>) -> Rectangle<[f64; 2]> {
    Rectangle::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y])
}

fn envelope(rect: Rect<f64>) -> AABB<[f64; 2]> {
    AABB::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y])
}

/// Closed boxes: touching at an edge or a corner counts as meeting.
fn boxes_meet(a: Option<Rect<f64>>, b: Option<Rect<f64>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            a.min().x <= b.max().x && b.min().x <= a.max().x && a.min().y <= b.max().y && b.min().y <= a.max().y
        }
        // No box (no coordinates): relate as before.
        _ => true,
    }
}

/// The old test, every pair of segments: the oracle of the tests and the "before"
/// of `benches/zone_check.rs`.
#[doc(hidden)]
pub fn ring_self_intersects_all_pairs(ring: &LineString<f64>) -> bool {
    for (i, line) in ring.lines().enumerate() {
        for (j, other) in ring.lines().enumerate() {
            if i != j && line.intersects(&other) && line.start != other.end && line.end != other.start {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use geo::algorithm::Validation;
    use geo::{Coord, LineString, MultiPolygon, Polygon};
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    use super::*;

    fn ring(points: &[(f64, f64)]) -> LineString<f64> {
        let mut coords: Vec<Coord<f64>> = points.iter().map(|&(x, y)| Coord { x, y }).collect();
        if coords.first() != coords.last() {
            coords.push(coords[0]);
        }
        LineString::new(coords)
    }

    fn polygon(shell: &[(f64, f64)], holes: &[&[(f64, f64)]]) -> Polygon<f64> {
        Polygon::new(ring(shell), holes.iter().map(|h| ring(h)).collect())
    }

    /// The fast ring test agrees with the all-pairs one, and the whole check with
    /// `geo`'s own `check_validation` (same first finding, same message).
    fn agree(shape: &MultiPolygon<f64>) {
        for polygon in &shape.0 {
            for r in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                assert_eq!(ring_self_intersects(r), ring_self_intersects_all_pairs(r), "ring {:?}", r.0);
            }
        }
        let fast = check(shape);
        let old = shape.check_validation();
        assert_eq!(fast, old, "shape {shape:?}");
        assert_eq!(fast.map_err(|e| e.to_string()), old.map_err(|e| e.to_string()));
    }

    fn one(shell: &[(f64, f64)], holes: &[&[(f64, f64)]]) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![polygon(shell, holes)])
    }

    const SQUARE: [(f64, f64); 4] = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0)];

    #[test]
    fn hand_made_shapes_get_the_same_findings_as_before() {
        let cases: Vec<(&str, MultiPolygon<f64>, bool)> = vec![
            ("square", one(&SQUARE, &[]), true),
            ("bow-tie", one(&[(0.0, 0.0), (2.0, 2.0), (2.0, 0.0), (0.0, 2.0)], &[]), false),
            // A spike that turns straight back: out and back share their vertices, but
            // the edge before it ends where the way back ends, so it is found.
            ("spike back", one(&[(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (6.0, 6.0), (4.0, 4.0), (0.0, 4.0)], &[]), false),
            // A spike whose tip lies on an earlier edge.
            (
                "spike onto an edge",
                one(&[(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (2.0, 0.0), (2.0, 4.0), (0.0, 4.0)], &[]),
                false,
            ),
            // Figure eight through one repeated vertex.
            (
                "figure eight",
                one(&[(0.0, 0.0), (2.0, 2.0), (4.0, 0.0), (4.0, 4.0), (2.0, 2.0), (0.0, 4.0)], &[]),
                false,
            ),
            // Collinear overlap of two segments that are not neighbours.
            (
                "collinear overlap",
                one(
                    &[(0.0, 0.0), (4.0, 0.0), (4.0, 2.0), (1.0, 2.0), (1.0, 0.0), (3.0, 0.0), (3.0, -2.0), (0.0, -2.0)],
                    &[],
                ),
                false,
            ),
            // Collinear neighbours (a vertex in the middle of a straight edge) are fine.
            ("collinear neighbours", one(&[(0.0, 0.0), (2.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0)], &[]), true),
            // Repeated consecutive positions: a zero-length segment.
            ("repeated position", one(&[(0.0, 0.0), (4.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0)], &[]), true),
            ("too few distinct", one(&[(0.0, 0.0), (4.0, 0.0), (4.0, 0.0), (0.0, 0.0)], &[]), false),
            ("hole inside", one(&SQUARE, &[&[(1.0, 1.0), (2.0, 1.0), (2.0, 2.0), (1.0, 2.0)]]), true),
            (
                "hole touching the shell at a point",
                one(&SQUARE, &[&[(0.0, 2.0), (2.0, 1.0), (3.0, 2.0), (2.0, 3.0)]]),
                true,
            ),
            (
                "hole touching the shell on a line",
                one(&SQUARE, &[&[(0.0, 1.0), (2.0, 1.0), (2.0, 2.0), (0.0, 2.0)]]),
                false,
            ),
            ("hole outside", one(&SQUARE, &[&[(5.0, 5.0), (6.0, 5.0), (6.0, 6.0), (5.0, 6.0)]]), false),
            ("hole crossing the shell", one(&SQUARE, &[&[(3.0, 1.0), (5.0, 1.0), (5.0, 2.0), (3.0, 2.0)]]), false),
            (
                "holes touching at a point",
                one(
                    &SQUARE,
                    &[
                        &[(1.0, 2.0), (2.0, 1.0), (3.0, 2.0), (2.0, 3.0)],
                        &[(3.0, 2.0), (3.5, 1.0), (3.75, 2.0), (3.5, 3.0)],
                    ],
                ),
                true,
            ),
            (
                "holes touching on a line",
                one(
                    &SQUARE,
                    &[
                        &[(1.0, 2.0), (2.0, 1.0), (3.0, 2.0), (2.0, 3.0)],
                        &[(3.0, 2.0), (2.0, 1.0), (3.5, 1.0), (3.75, 2.0), (3.5, 3.0)],
                    ],
                ),
                false,
            ),
            (
                "holes overlapping",
                one(
                    &SQUARE,
                    &[
                        &[(1.0, 1.0), (2.5, 1.0), (2.5, 2.5), (1.0, 2.5)],
                        &[(2.0, 2.0), (3.0, 2.0), (3.0, 3.0), (2.0, 3.0)],
                    ],
                ),
                false,
            ),
            ("bow-tie hole", one(&SQUARE, &[&[(1.0, 1.0), (3.0, 3.0), (3.0, 1.0), (1.0, 3.0)]]), false),
            (
                "two parts apart",
                MultiPolygon::new(vec![polygon(&SQUARE, &[]), polygon(&[(5.0, 0.0), (6.0, 0.0), (6.0, 1.0)], &[])]),
                true,
            ),
            (
                "two parts touching at a corner",
                MultiPolygon::new(vec![polygon(&SQUARE, &[]), polygon(&[(4.0, 4.0), (6.0, 4.0), (6.0, 6.0)], &[])]),
                true,
            ),
            (
                "two parts sharing an edge",
                MultiPolygon::new(vec![
                    polygon(&SQUARE, &[]),
                    polygon(&[(4.0, 0.0), (6.0, 0.0), (6.0, 4.0), (4.0, 4.0)], &[]),
                ]),
                false,
            ),
            (
                "two parts overlapping",
                MultiPolygon::new(vec![
                    polygon(&SQUARE, &[]),
                    polygon(&[(3.0, 3.0), (6.0, 3.0), (6.0, 6.0), (3.0, 6.0)], &[]),
                ]),
                false,
            ),
            (
                // Boxes meet, shapes do not: related, and found fine.
                "two parts with meeting boxes only",
                MultiPolygon::new(vec![
                    polygon(&[(0.0, 0.0), (4.0, 0.0), (0.0, 4.0)], &[]),
                    polygon(&[(4.0, 4.0), (1.0, 4.0), (4.0, 1.0)], &[]),
                ]),
                true,
            ),
            (
                "a part inside a hole of another",
                MultiPolygon::new(vec![
                    polygon(&SQUARE, &[&[(1.0, 1.0), (3.0, 1.0), (3.0, 3.0), (1.0, 3.0)]]),
                    polygon(&[(1.5, 1.5), (2.5, 1.5), (2.5, 2.5), (1.5, 2.5)], &[]),
                ]),
                true,
            ),
            (
                "an invalid third part after two good ones",
                MultiPolygon::new(vec![
                    polygon(&SQUARE, &[]),
                    polygon(&[(10.0, 0.0), (11.0, 0.0), (11.0, 1.0)], &[]),
                    polygon(&[(20.0, 0.0), (22.0, 2.0), (22.0, 0.0), (20.0, 2.0)], &[]),
                ]),
                false,
            ),
        ];
        for (name, shape, valid) in cases {
            assert_eq!(check(&shape).is_ok(), valid, "{name}: {:?}", check(&shape));
            agree(&shape);
        }
    }

    #[test]
    fn the_bow_tie_message_is_the_one_geo_gives() {
        let bow_tie = one(&[(0.0, 0.0), (2.0, 2.0), (2.0, 0.0), (0.0, 2.0)], &[]);
        assert_eq!(
            check(&bow_tie).unwrap_err().to_string(),
            "polygon at index 0 is invalid: exterior ring has a self-intersection"
        );
    }

    /// Points on a small integer grid: many shared vertices, collinear runs and touches.
    fn random_ring(rng: &mut StdRng, n: usize, grid: i32, at: (f64, f64)) -> Vec<(f64, f64)> {
        (0..n).map(|_| (at.0 + rng.random_range(0..grid) as f64, at.1 + rng.random_range(0..grid) as f64)).collect()
    }

    /// A star-shaped ring (simple) around `centre`, radii on a coarse grid so
    /// neighbours are often collinear; `wobble` moves some vertices off to make crossings.
    fn star(rng: &mut StdRng, n: usize, centre: (f64, f64), radius: f64, wobble: f64) -> Vec<(f64, f64)> {
        (0..n)
            .map(|i| {
                let angle = i as f64 / n as f64 * std::f64::consts::TAU;
                let r = radius * (0.5 + (rng.random_range(0..4) as f64) / 8.0);
                let jump = if rng.random_bool(wobble) { rng.random_range(-radius..radius) } else { 0.0 };
                ((centre.0 + r * angle.cos() + jump).round(), (centre.1 + r * angle.sin()).round())
            })
            .collect()
    }

    #[test]
    fn random_rings_on_a_grid_agree_with_the_all_pairs_test() {
        let mut rng = StdRng::seed_from_u64(13);
        let (mut simple, mut crossing) = (0, 0);
        for round in 0..3000 {
            let n = [4, 5, 6, 8, 12, 20, 70, 150][round % 8];
            let grid = [3, 4, 6, 10, 50][round % 5];
            let points = random_ring(&mut rng, n, grid, (0.0, 0.0));
            let r = ring(&points);
            let fast = ring_self_intersects(&r);
            assert_eq!(fast, ring_self_intersects_all_pairs(&r), "{points:?}");
            if fast { crossing += 1 } else { simple += 1 }
        }
        for round in 0..400 {
            let n = [10, 40, 65, 100, 200, 400][round % 6];
            let wobble = [0.0, 0.0, 0.002, 0.01, 0.05][round % 5];
            let points = star(&mut rng, n, (0.0, 0.0), n as f64, wobble);
            let r = ring(&points);
            let fast = ring_self_intersects(&r);
            assert_eq!(fast, ring_self_intersects_all_pairs(&r), "{points:?}");
            if fast { crossing += 1 } else { simple += 1 }
        }
        eprintln!("{simple} simple, {crossing} crossing");
        assert!(simple > 300 && crossing > 300, "both kinds were tried: {simple} simple, {crossing} crossing");
    }

    #[test]
    fn random_polygons_with_holes_and_parts_get_the_same_first_finding() {
        let mut rng = StdRng::seed_from_u64(7);
        let mut kinds = std::collections::BTreeMap::new();
        for round in 0..600 {
            let parts = 1 + round % 3;
            let mut polygons = Vec::new();
            for part in 0..parts {
                // Parts sometimes apart, sometimes overlapping or touching.
                let at = (rng.random_range(0..3) as f64 * 20.0 * part as f64, 0.0);
                let shell = if rng.random_bool(0.7) {
                    star(&mut rng, 12 + round % 90, (at.0 + 20.0, at.1 + 20.0), 20.0, 0.01)
                } else {
                    random_ring(&mut rng, 5, 8, at)
                };
                let holes: Vec<Vec<(f64, f64)>> = (0..round % 4)
                    .map(|_| {
                        let c = (at.0 + rng.random_range(8..32) as f64, at.1 + rng.random_range(8..32) as f64);
                        let radius = rng.random_range(2..8) as f64;
                        star(&mut rng, 5 + round % 70, c, radius, 0.0)
                    })
                    .collect();
                let holes: Vec<&[(f64, f64)]> = holes.iter().map(Vec::as_slice).collect();
                polygons.push(polygon(&shell, &holes));
            }
            let shape = MultiPolygon::new(polygons);
            agree(&shape);
            let kind = match check(&shape) {
                Ok(()) => "valid".to_string(),
                Err(e) => e.to_string().split(" is invalid: ").last().unwrap().replace(char::is_numeric, "#"),
            };
            *kinds.entry(kind).or_insert(0) += 1;
        }
        eprintln!("{kinds:?}");
        assert!(kinds.len() >= 5, "a spread of findings was compared: {kinds:?}");
    }

    #[test]
    fn fifty_thousand_vertices_are_checked_quickly_and_a_crossing_is_still_found() {
        let n = 50_000;
        let circle: Vec<(f64, f64)> = (0..n)
            .map(|i| {
                let angle = i as f64 / n as f64 * std::f64::consts::TAU;
                (136.6 + 0.1 * angle.cos(), 36.5 + 0.1 * angle.sin())
            })
            .collect();
        let started = std::time::Instant::now();
        assert!(check(&one(&circle, &[])).is_ok());
        let mut crossed = circle.clone();
        crossed.swap(10_000, 30_000);
        assert!(ring_self_intersects(&ring(&crossed)));
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
    }
}

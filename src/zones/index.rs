//! Which zone a point is in: zone bounding boxes in an R-tree narrow the
//! candidates, `geo`'s `Contains` decides. Stays fast with thousands of zones.

use geo::{BoundingRect, Contains, Point};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use super::file::Zone;
use super::roads::Road;

type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

#[derive(Default)]
pub struct ZoneIndex {
    zones: Vec<Zone>,
    tree: RTree<Entry>,
    /// Roads the zone file carried, for the map only.
    roads: Vec<Road>,
}

impl ZoneIndex {
    /// The index of `zones`, with the roads drawn with them.
    pub fn with_roads(zones: Vec<Zone>, roads: Vec<Road>) -> ZoneIndex {
        ZoneIndex { roads, ..ZoneIndex::new(zones) }
    }

    pub fn new(zones: Vec<Zone>) -> ZoneIndex {
        let entries = zones
            .iter()
            .enumerate()
            .filter_map(|(i, zone)| {
                let rect = zone.shape.bounding_rect()?;
                let corners = Rectangle::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y]);
                Some(GeomWithData::new(corners, i))
            })
            .collect();
        ZoneIndex { zones, tree: RTree::bulk_load(entries), roads: Vec::new() }
    }

    /// The zone containing (`lon`, `lat`), or `None`: "zone unknown", not an error.
    /// On a shared border the first zone in file order wins.
    pub fn locate(&self, lon: f64, lat: f64) -> Option<&Zone> {
        let point = Point::new(lon, lat);
        let probe = AABB::from_point([lon, lat]);
        self.tree
            .locate_in_envelope_intersecting(&probe)
            .map(|entry| entry.data)
            .filter(|i| self.zones[*i].shape.contains(&point) || touches_boundary(&self.zones[*i], point))
            .min()
            .map(|i| &self.zones[i])
    }

    pub fn zones(&self) -> &[Zone] {
        &self.zones
    }

    pub fn roads(&self) -> &[Road] {
        &self.roads
    }

    /// The middle of the area the zones cover (lat, lon): the centre of their
    /// bounding box, where a center with no location set reckons its sunset.
    pub fn middle(&self) -> Option<(f64, f64)> {
        let envelope = self.tree.root().envelope();
        (!self.zones.is_empty()).then(|| {
            let (low, high) = (envelope.lower(), envelope.upper());
            ((low[1] + high[1]) / 2.0, (low[0] + high[0]) / 2.0)
        })
    }

    /// The zones' names, in file order.
    pub fn names(&self) -> Vec<String> {
        self.zones.iter().map(|z| z.name.clone()).collect()
    }
}

/// `Contains` excludes the boundary; a pin exactly on a border still belongs somewhere.
fn touches_boundary(zone: &Zone, point: Point<f64>) -> bool {
    use geo::Intersects;
    zone.shape.intersects(&point)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zones::parse;

    #[test]
    fn demo_points_fall_in_their_zones_and_outside_is_unknown() {
        let index = ZoneIndex::new(parse(include_str!("../../maps/demo-kanazawa.geojson")).unwrap());
        // Near the centre of each demo grid cell (the grid spans 136.640–136.672, 36.552–36.582).
        assert_eq!(index.locate(136.644, 36.556).map(|z| z.name.as_str()), Some("野町"));
        assert_eq!(index.locate(136.668, 36.578).map(|z| z.name.as_str()), Some("東山"));
        assert_eq!(index.locate(136.652, 36.567).map(|z| z.name.as_str()), Some("香林坊"));
        assert!(index.locate(136.600, 36.560).is_none(), "west of the map");
        assert!(index.locate(139.767, 35.681).is_none(), "Tokyo station");
    }

    #[test]
    fn two_thousand_zones_are_looked_up_correctly() {
        // A 40 × 50 grid of 0.01° squares.
        let mut features = Vec::new();
        for col in 0..40 {
            for row in 0..50 {
                let (x, y) = (136.0 + col as f64 * 0.01, 36.0 + row as f64 * 0.01);
                features.push(format!(
                    r#"{{"type":"Feature","properties":{{"name":"z{col}-{row}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]]}}}}"#,
                    x + 0.01,
                    x + 0.01,
                    y + 0.01,
                    y + 0.01
                ));
            }
        }
        let text = format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","));
        let index = ZoneIndex::new(parse(&text).unwrap());
        assert_eq!(index.zones().len(), 2000);
        for (col, row) in [(0, 0), (17, 23), (39, 49), (25, 3)] {
            let (lon, lat) = (136.005 + col as f64 * 0.01, 36.005 + row as f64 * 0.01);
            assert_eq!(index.locate(lon, lat).unwrap().name, format!("z{col}-{row}"));
        }
        assert!(index.locate(135.99, 36.2).is_none());
    }
}

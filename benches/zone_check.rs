//! How long a zone file takes to check: one polygon of 20,000, 45,000 and 50,000
//! vertices (a municipal boundary), a file at the 200,000-vertex cap, and a
//! 町丁目-like file of 2,000 features × 50 vertices. Each is timed with today's
//! check (`borasen::zones::valid::check`, and the whole `parse` with the JSON)
//! and with the old one, `geo`'s all-pairs `check_validation`, run once on the
//! same shapes with a time cap. `cargo bench --bench zone_check`.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use borasen::zones::{parse, valid};
use geo::algorithm::Validation;
use geo::{Coord, LineString, MultiPolygon, Polygon};

/// The old check gets this long per input; past it, it is reported as "more than".
const OLD_CAP: Duration = Duration::from_secs(120);

/// A star-shaped ring (so simple) with a wiggly radius, like a surveyed boundary.
fn boundary(n: usize, centre: (f64, f64), radius: f64, seed: &mut u64) -> Vec<(f64, f64)> {
    let mut points: Vec<(f64, f64)> = (0..n - 1)
        .map(|i| {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            let wiggle = 1.0 + 0.03 * ((*seed % 1000) as f64 / 1000.0 - 0.5);
            let angle = i as f64 / (n - 1) as f64 * std::f64::consts::TAU;
            (centre.0 + radius * wiggle * angle.cos(), centre.1 + radius * 0.8 * wiggle * angle.sin())
        })
        .collect();
    points.push(points[0]);
    points
}

fn geojson(features: &[(String, Vec<(f64, f64)>)]) -> String {
    let features: Vec<String> = features
        .iter()
        .map(|(name, ring)| {
            let positions: Vec<String> = ring.iter().map(|(x, y)| format!("[{x:.7},{y:.7}]")).collect();
            format!(
                r#"{{"type":"Feature","properties":{{"name":"{name}"}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}"#,
                positions.join(",")
            )
        })
        .collect();
    format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","))
}

fn shapes(features: &[(String, Vec<(f64, f64)>)]) -> Vec<MultiPolygon<f64>> {
    features
        .iter()
        .map(|(_, ring)| {
            let coords = ring.iter().map(|&(x, y)| Coord { x, y }).collect();
            MultiPolygon::new(vec![Polygon::new(LineString::new(coords), vec![])])
        })
        .collect()
}

/// The old check on every shape, on its own thread; `None` when it passed the cap.
fn old_check(shapes: Vec<MultiPolygon<f64>>) -> Option<Duration> {
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let started = Instant::now();
        let valid = shapes.iter().all(|s| s.check_validation().is_ok());
        let _ = done.send((started.elapsed(), valid));
    });
    match finished.recv_timeout(OLD_CAP) {
        Ok((elapsed, valid)) => {
            assert!(valid, "the old check agrees: valid");
            Some(elapsed)
        }
        Err(_) => None,
    }
}

fn run(label: &str, features: Vec<(String, Vec<(f64, f64)>)>) {
    let vertices: usize = features.iter().map(|(_, r)| r.len()).sum();
    let text = geojson(&features);
    let shapes = shapes(&features);

    let started = Instant::now();
    assert!(shapes.iter().all(|s| valid::check(s).is_ok()), "generated shapes are valid");
    let new_check = started.elapsed();
    let started = Instant::now();
    let zones = parse(&text).expect("the generated file is valid");
    let new_parse = started.elapsed();
    assert_eq!(zones.len(), features.len());
    let old = old_check(shapes);

    let old = match old {
        Some(elapsed) => format!("{:>9.3} s", elapsed.as_secs_f64()),
        None => format!("> {:.0} s (stopped)", OLD_CAP.as_secs_f64()),
    };
    println!(
        "{label:<34} {vertices:>7} vertices, {:>5.1} MB: old check {old}   new check {:>7.3} s   new parse (JSON + check) {:>7.3} s",
        text.len() as f64 / 1e6,
        new_check.as_secs_f64(),
        new_parse.as_secs_f64(),
    );
}

fn main() {
    let mut seed = 0x2545F4914F6CDD1Du64;
    for n in [20_000, 45_000, 50_000] {
        run(&format!("1 polygon × {n}"), vec![("市".into(), boundary(n, (136.65, 36.56), 0.1, &mut seed))]);
    }
    // A 40 × 50 grid of 町丁目, each a 50-vertex ring in its 0.01° cell.
    let mut towns = Vec::new();
    for col in 0..40 {
        for row in 0..50 {
            let centre = (136.0 + col as f64 * 0.01, 36.0 + row as f64 * 0.01);
            towns.push((format!("町{col}-{row}"), boundary(50, centre, 0.0045, &mut seed)));
        }
    }
    run("2,000 features × 50 (町丁目)", towns);
    // At the file cap: 2 features of 100,000 (the feature cap).
    let cap: Vec<(String, Vec<(f64, f64)>)> =
        (0..2).map(|i| (format!("市{i}"), boundary(100_000, (136.0 + i as f64 * 0.3, 36.5), 0.1, &mut seed))).collect();
    run("2 polygons × 100,000 (the caps)", cap);
    // The old check may still be running on a thread past its cap.
    std::process::exit(0);
}

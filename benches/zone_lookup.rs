//! Point-in-zone lookups per second with 1,000 zones (a 40 × 25 grid of
//! irregular quadrilaterals), as intake places pins. `cargo bench --bench zone_lookup`.

use std::hint::black_box;
use std::time::Instant;

use borasen::zones::{ZoneIndex, parse};

fn main() {
    let (cols, rows, step) = (40, 25, 0.01);
    let mut features = Vec::new();
    for col in 0..cols {
        for row in 0..rows {
            let (x, y) = (136.0 + col as f64 * step, 36.0 + row as f64 * step);
            // A slanted top edge, so the polygon test does real work, not a box test.
            let coords = format!(
                "[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]",
                x + step,
                x + step,
                y + step * 1.0,
                y + step * 0.9,
            );
            features.push(format!(
                r#"{{"type":"Feature","properties":{{"name":"z{col}-{row}"}},"geometry":{{"type":"Polygon","coordinates":[{coords}]}}}}"#
            ));
        }
    }
    let text = format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","));
    let started = Instant::now();
    let index = ZoneIndex::new(parse(&text).expect("generated zones are valid"));
    let built = started.elapsed();

    // A fixed pseudo-random walk over the area and a margin around it.
    let lookups = 1_000_000u64;
    let mut state = 0x2545F4914F6CDD1Du64;
    let mut found = 0u64;
    let started = Instant::now();
    for _ in 0..lookups {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let lon = 135.99 + (state % 10_000) as f64 / 10_000.0 * (cols as f64 * step + 0.02);
        let lat = 35.99 + ((state >> 20) % 10_000) as f64 / 10_000.0 * (rows as f64 * step + 0.02);
        if black_box(index.locate(lon, lat)).is_some() {
            found += 1;
        }
    }
    let elapsed = started.elapsed();
    println!("zones: {}  index built in {:.1} ms", index.zones().len(), built.as_secs_f64() * 1000.0);
    println!(
        "lookups: {lookups}  in {:.2} s  = {:.0} lookups/s  ({:.2} µs each; {found} inside a zone)",
        elapsed.as_secs_f64(),
        lookups as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e6 / lookups as f64
    );
}

//! Zones over HTTP and the CLI: a bad file changes nothing, a good one replaces
//! the set in one event, and pins are placed in their zones. An empty file is
//! refused; dropping zones with work on them needs a confirmation; a large file
//! is checked off the async workers, so the lobby keeps answering.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::dispatch::{center, need, volunteer};
use crate::helpers::{Session, spawn_app_with};

const DEMO: &str = include_str!("../../maps/demo-kanazawa.geojson");

fn square(name: &str, x: f64, y: f64) -> String {
    format!(
        r#"{{"type":"Feature","properties":{{"name":"{name}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]]}}}}"#,
        x + 0.01,
        x + 0.01,
        y + 0.01,
        y + 0.01
    )
}

/// A demo center: its map of twelve zones, equipment and users.
async fn demo_app() -> crate::helpers::TestApp {
    spawn_app_with(|c| {
        c.demo = true;
        c.demo_password = Some("demo-pass-2026".into());
    })
    .await
}

#[tokio::test]
async fn a_bad_zone_file_is_refused_with_every_problem_and_changes_nothing() {
    let app = demo_app().await;
    let admin = app.admin().await;
    let before = app.last_seq().await;
    let bad = format!(
        r#"{{"type":"FeatureCollection","features":[{},{},{}]}}"#,
        square("一丁目", 136.0, 36.0),
        r#"{"type":"Feature","properties":{"name":"二丁目"},"geometry":{"type":"Polygon","coordinates":[[[136.1,36.1],[136.2,36.1],[136.2,36.2],[136.1,36.2]]]}}"#,
        square("一丁目", 136.3, 36.3)
    );
    let response = import(&admin, "", bad).await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_zone_file");
    let problems = body["error"]["details"]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 2);
    assert_eq!(problems[0]["index"], 1);
    assert!(problems[0]["message"].as_str().unwrap().contains("閉じていません"));
    assert_eq!(problems[1]["name"], "一丁目");
    assert!(problems[1]["message"].as_str().unwrap().contains("重複"));

    for not_zones in ["not json", r#"{"type":"Feature"}"#] {
        let response = admin.post_body("/api/zones/import", not_zones).await;
        assert_eq!(response.status(), 422, "{not_zones}");
    }
    assert_eq!(app.last_seq().await, before, "nothing written");
    let zones: Value = admin.get("/api/zones").await.json().await.unwrap();
    assert_eq!(zones["features"].as_array().unwrap().len(), 12, "the demo zones are untouched");
}

#[tokio::test]
async fn a_good_file_replaces_the_set_in_one_event_and_pins_find_their_zone() {
    let app = demo_app().await;
    let coordinator = app.client_for("coordinator", "demo-pass-2026").await;
    let located: Value = coordinator.get("/api/zones/locate?lat=36.567&lon=136.652").await.json().await.unwrap();
    assert_eq!(located["zone"], "香林坊");
    let outside: Value = coordinator.get("/api/zones/locate?lat=35.681&lon=139.767").await.json().await.unwrap();
    assert!(outside["zone"].is_null(), "outside every zone is 'zone unknown', not an error");

    let admin = app.admin().await;
    let before = app.last_seq().await;
    let file = format!(
        r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
        square("北", 136.65, 36.57),
        square("南", 136.65, 36.56)
    );
    let response = admin.post_body("/api/zones/import", file).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap()["imported"], 2);
    let kinds: Vec<String> = sqlx::query_scalar("SELECT kind FROM events WHERE seq > ?")
        .bind(before)
        .fetch_all(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(kinds, ["zones.imported"]);
    let located: Value = coordinator.get("/api/zones/locate?lat=36.575&lon=136.655").await.json().await.unwrap();
    assert_eq!(located["zone"], "北", "the live index follows the import");
    assert_eq!(coordinator.post_body("/api/zones/import", DEMO).await.status(), 403);
}

#[test]
fn zones_check_reports_problems_by_feature_and_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.geojson");
    std::fs::write(&good, DEMO).unwrap();
    let output =
        std::process::Command::new(env!("CARGO_BIN_EXE_borasen")).args(["zones", "check"]).arg(&good).output().unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("地区 12 件"));

    let bad = dir.path().join("bad.geojson");
    std::fs::write(&bad, DEMO.replace("\"name\": \"片町\"", "\"name\": \"野町\"")).unwrap();
    let output =
        std::process::Command::new(env!("CARGO_BIN_EXE_borasen")).args(["zones", "check"]).arg(&bad).output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("地物 1（野町）: 地区名が重複しています"), "{stderr}");

    let data = dir.path().join("data");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_borasen"))
        .args(["zones", "import"])
        .arg(&bad)
        .arg("--data")
        .arg(&data)
        .output()
        .unwrap();
    assert!(!output.status.success(), "a bad file is not imported");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_borasen"))
        .args(["zones", "import"])
        .arg(&good)
        .arg("--data")
        .arg(&data)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("地区 12 件を取り込みました"));
}

#[tokio::test]
async fn tiles_come_from_an_mbtiles_file_with_the_row_flipped() {
    let dir = tempfile::tempdir().unwrap();
    // Zoom 2 has rows 0..=3: XYZ row 1 is TMS row 2.
    let path = crate::helpers::mbtiles(dir.path(), &[(2, 1, 2, b"\x89PNG tile 2/1/1")]).await;

    let app = spawn_app_with(|c| c.tiles = Some(path.clone())).await;
    let tile = reqwest::get(app.url("/tiles/2/1/1.png")).await.unwrap();
    assert_eq!(tile.status(), 200);
    assert_eq!(tile.headers()["content-type"], "image/png");
    assert_eq!(&tile.bytes().await.unwrap()[..], b"\x89PNG tile 2/1/1");
    assert_eq!(reqwest::get(app.url("/tiles/2/1/2.png")).await.unwrap().status(), 404, "TMS row 1 holds nothing");
    assert_eq!(reqwest::get(app.url("/tiles/2/1/9.png")).await.unwrap().status(), 404, "off the map");

    let without = spawn_app_with(|_| {}).await;
    assert_eq!(reqwest::get(without.url("/tiles/2/1/1.png")).await.unwrap().status(), 404);
}

const EMPTY: &str = r#"{"type":"FeatureCollection","features":[]}"#;

async fn import(admin: &Session, query: &str, body: String) -> reqwest::Response {
    admin.speaking("ja").post_body(&format!("/api/zones/import{query}"), body).await
}

async fn zone_names(admin: &Session) -> Vec<String> {
    let zones: Value = admin.get("/api/zones").await.json().await.unwrap();
    zones["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["name"].as_str().unwrap().to_string())
        .collect()
}

/// The demo map without the zones named.
fn demo_without(names: &[&str]) -> String {
    let mut demo: Value = serde_json::from_str(DEMO).unwrap();
    demo["features"].as_array_mut().unwrap().retain(|f| !names.contains(&f["properties"]["name"].as_str().unwrap()));
    demo.to_string()
}

#[tokio::test]
async fn an_empty_zone_file_is_refused_and_every_zone_stays() {
    let app = demo_app().await;
    let admin = app.admin().await;
    let before = app.last_seq().await;
    for query in ["", "?confirm=true"] {
        let response = import(&admin, query, EMPTY.to_string()).await;
        assert_eq!(response.status(), 422, "{query}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid_zone_file");
        assert!(body["error"]["message"].as_str().unwrap().contains("地区が 1 件もありません"), "{body}");
    }
    assert_eq!(app.last_seq().await, before, "nothing written");
    assert_eq!(zone_names(&admin).await.len(), 12);
}

#[tokio::test]
async fn dropping_zones_with_open_needs_or_teams_out_needs_a_confirmation() {
    let c = center().await;
    let app = &c.app;
    let admin = app.admin().await;
    need(&c, 1).await; // in 香林坊
    let (a, b) = (volunteer(&c, 0, "enrolled", true).await, volunteer(&c, 1, "enrolled", true).await);
    let team = c.coordinator.post("/api/teams", &json!({ "zone": "東山", "headcount": 4, "member_ids": [a, b] })).await;
    assert_eq!(team.status(), 201, "{}", team.text().await.unwrap());

    // Dropping idle zones needs nothing.
    let response = import(&admin, "", demo_without(&["野町"])).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    assert_eq!(zone_names(&admin).await.len(), 11);

    let before = app.last_seq().await;
    let small = format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, square("北", 136.65, 36.57));
    let response = import(&admin, "", small.clone()).await;
    assert_eq!(response.status(), 409);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "zones_in_use");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("香林坊（未完了のニーズ 1 件・活動中の班 0 班）"), "{message}");
    assert!(message.contains("東山（未完了のニーズ 0 件・活動中の班 1 班）"), "{message}");
    assert!(message.contains("confirm=true"), "{message}");
    let mut busy: Vec<(String, i64, i64)> = body["error"]["details"]["zones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| {
            (
                z["name"].as_str().unwrap().to_string(),
                z["open_needs"].as_i64().unwrap(),
                z["teams_out"].as_i64().unwrap(),
            )
        })
        .collect();
    busy.sort();
    assert_eq!(busy, [("東山".to_string(), 0, 1), ("香林坊".to_string(), 1, 0)], "only the busy zones are named");
    assert_eq!(app.last_seq().await, before, "nothing written");
    assert_eq!(zone_names(&admin).await.len(), 11, "the zones stay");

    // English too.
    let english = admin.speaking("en").post_body("/api/zones/import", small.clone()).await;
    let body: Value = english.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("香林坊 (1 open needs, 0 teams out)"), "{body}");

    // Keeping the busy zones needs no confirmation; dropping them, an explicit one.
    let response = import(&admin, "?confirm=false", small.clone()).await;
    assert_eq!(response.status(), 409);
    let response = import(&admin, "?confirm=true", small).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    assert_eq!(zone_names(&admin).await, ["北"]);
    let payload: String = sqlx::query_scalar("SELECT data FROM events WHERE kind = 'zones.imported' ORDER BY seq DESC")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    let payload: Value = serde_json::from_str(&payload).unwrap();
    assert_eq!(payload["dropped"].as_array().unwrap().len(), 11, "the event names the zones dropped: {payload}");
}

/// A closed ring of `n` positions on a circle, as a feature named `name`.
fn circle_feature(name: &str, n: usize) -> String {
    let positions: Vec<String> = (0..n)
        .map(|i| {
            let angle = (i % (n - 1)) as f64 / (n - 1) as f64 * std::f64::consts::TAU;
            format!("[{:.7},{:.7}]", 136.66 + 0.05 * angle.cos(), 36.57 + 0.04 * angle.sin())
        })
        .collect();
    format!(
        r#"{{"type":"Feature","properties":{{"name":"{name}"}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}"#,
        positions.join(",")
    )
}

#[tokio::test]
async fn a_file_over_the_vertex_cap_is_refused_naming_the_feature_and_changes_nothing() {
    let app = demo_app().await;
    let admin = app.admin().await;
    let before = app.last_seq().await;
    let n = borasen::zones::MAX_VERTICES_PER_FEATURE + 1;
    let file = format!(
        r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
        square("小", 136.0, 36.0),
        circle_feature("大きい町", n)
    );
    assert!(file.len() > 2 * 1024 * 1024, "larger than axum's default body limit: {} bytes", file.len());
    let response = import(&admin, "?confirm=true", file).await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    let problems = body["error"]["details"]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!((problems[0]["index"].as_i64(), problems[0]["name"].as_str()), (Some(1), Some("大きい町")));
    assert!(problems[0]["message"].as_str().unwrap().contains("頂点が多すぎます（100001 点"), "{body}");
    assert_eq!(app.last_seq().await, before, "nothing written");
    assert_eq!(zone_names(&admin).await.len(), 12);
}

#[tokio::test]
async fn the_lobby_keeps_answering_while_large_zone_files_are_checked() {
    let app = demo_app().await;
    let admin = app.admin().await;
    let large = format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, circle_feature("金沢市", 50_000));
    assert!(large.len() > 1_000_000, "{} bytes", large.len());
    let lobby = reqwest::Client::new();
    assert_eq!(lobby.get(app.url("/api/lobby")).send().await.unwrap().status(), 200);

    // Three uploads at once, as in the report that found the stall.
    let started = Instant::now();
    let uploads: Vec<_> = (0..3)
        .map(|_| {
            let (http, url, cookie, body) =
                (admin.http.clone(), app.url("/api/zones/import?confirm=true"), admin.cookie(), large.clone());
            tokio::spawn(
                async move { http.post(url).header("cookie", cookie).body(body).send().await.unwrap().status() },
            )
        })
        .collect();
    let mut latencies = Vec::new();
    while uploads.iter().any(|u| !u.is_finished()) {
        let asked = Instant::now();
        let response = lobby.get(app.url("/api/lobby")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        response.bytes().await.unwrap();
        latencies.push(asked.elapsed());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let imported = started.elapsed();
    for upload in uploads {
        assert_eq!(upload.await.unwrap(), 200);
    }
    let max = latencies.iter().max().copied().unwrap_or_default();
    eprintln!(
        "3 imports of 50,000 vertices: {imported:?}; {} lobby requests meanwhile, slowest {max:?}",
        latencies.len()
    );
    assert!(latencies.len() >= 5, "the lobby was asked while the imports ran: {latencies:?} in {imported:?}");
    // Relative to the imports, so a busy machine slows both alike: a lobby that
    // waited on an import would take about as long as the import.
    assert!(max * 4 < imported, "the slowest lobby answer took {max:?} of the imports' {imported:?}: {latencies:?}");
    assert_eq!(zone_names(&admin).await, ["金沢市"]);
}

#[tokio::test]
async fn the_cli_refuses_an_empty_file_and_busy_zones_without_replace() {
    let c = center().await;
    need(&c, 1).await; // in 香林坊
    let data = c.app.dir.path();
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.geojson");
    std::fs::write(&empty, EMPTY).unwrap();
    let cli = |args: &[&str], file: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_borasen"))
            .args(args)
            .arg(file)
            .arg("--data")
            .arg(data)
            .output()
            .unwrap()
    };
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_borasen"))
        .args(["zones", "check"])
        .arg(&empty)
        .output()
        .unwrap();
    assert!(!check.status.success(), "check refuses it too");
    assert!(String::from_utf8_lossy(&check.stderr).contains("地区が 1 件もありません"));
    for args in [&["zones", "import"][..], &["zones", "import", "--replace"][..]] {
        let output = cli(args, &empty);
        assert!(!output.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("地区が 1 件もありません") && stderr.contains("no zone"), "{stderr}");
    }
    let count = || async { borasen::zones::count(&c.app.state.db.read).await.unwrap() };
    assert_eq!(count().await, 12, "the zones stay");

    let small = dir.path().join("small.geojson");
    std::fs::write(&small, format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, square("北", 136.65, 36.57)))
        .unwrap();
    let output = cli(&["zones", "import"], &small);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("香林坊（未完了のニーズ 1 件・活動中の班 0 班）") && stderr.contains("--replace"),
        "{stderr}"
    );
    assert_eq!(count().await, 12, "the zones stay");
    let output = cli(&["zones", "import", "--replace"], &small);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(count().await, 1);
}

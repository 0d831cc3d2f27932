//! Zones over HTTP and the CLI: a bad file changes nothing, a good one replaces
//! the set in one event, and pins are placed in their zones.

use serde_json::Value;

use crate::helpers::spawn_app_with;

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

#[tokio::test]
async fn a_bad_zone_file_is_refused_with_every_problem_and_changes_nothing() {
    let app = spawn_app_with(|c| {
        c.demo = true;
        c.demo_password = Some("demo-pass-2026".into());
    })
    .await;
    let admin = app.admin().await;
    let before = app.last_seq().await;
    let bad = format!(
        r#"{{"type":"FeatureCollection","features":[{},{},{}]}}"#,
        square("一丁目", 136.0, 36.0),
        r#"{"type":"Feature","properties":{"name":"二丁目"},"geometry":{"type":"Polygon","coordinates":[[[136.1,36.1],[136.2,36.1],[136.2,36.2],[136.1,36.2]]]}}"#,
        square("一丁目", 136.3, 36.3)
    );
    let response = admin
        .http
        .post(app.url("/api/zones/import"))
        .header("cookie", admin.cookie())
        .header("accept-language", "ja")
        .body(bad)
        .send()
        .await
        .unwrap();
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
        let response = admin
            .http
            .post(app.url("/api/zones/import"))
            .header("cookie", admin.cookie())
            .body(not_zones)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "{not_zones}");
    }
    assert_eq!(app.last_seq().await, before, "nothing written");
    let zones: Value = admin.get("/api/zones").await.json().await.unwrap();
    assert_eq!(zones["features"].as_array().unwrap().len(), 12, "the demo zones are untouched");
}

#[tokio::test]
async fn a_good_file_replaces_the_set_in_one_event_and_pins_find_their_zone() {
    let app = spawn_app_with(|c| {
        c.demo = true;
        c.demo_password = Some("demo-pass-2026".into());
    })
    .await;
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
    let response =
        admin.http.post(app.url("/api/zones/import")).header("cookie", admin.cookie()).body(file).send().await.unwrap();
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
    assert_eq!(
        coordinator
            .http
            .post(app.url("/api/zones/import"))
            .header("cookie", coordinator.cookie())
            .body(DEMO)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
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

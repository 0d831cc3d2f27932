//! Real boundary files through the CLI and the API: names in another property
//! (`--name-property`, `?name_property=`), one clear error listing the file's
//! keys when the name is missing everywhere, and the roads a zone file carries
//! drawn on the map (with the scale bar) after a restart too.

use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app_in, spawn_app_with};

/// A city's 59 wards as a municipal open-data portal ships them: names in
/// `ward_ja`, no `name`; every fifth ward a MultiPolygon (an island with it);
/// and two major roads as LineStrings marked `road`.
fn municipal_file() -> String {
    let mut features = Vec::new();
    for i in 0..59 {
        let (x, y) = (136.60 + (i % 10) as f64 * 0.01, 36.50 + (i / 10) as f64 * 0.01);
        let ring =
            |x: f64, y: f64, side: f64| json!([[[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]]]);
        let geometry = if i % 5 == 0 {
            let island = ring(x + 0.004, y + 0.004, 0.002);
            json!({ "type": "MultiPolygon", "coordinates": [ring(x, y, 0.003), island] })
        } else {
            json!({ "type": "Polygon", "coordinates": ring(x, y, 0.009) })
        };
        features.push(json!({
            "type": "Feature",
            "properties": { "ward_ja": format!("第{}区", i + 1), "ward_en": format!("Ward {}", i + 1), "pop_2020": 1000 + i },
            "geometry": geometry,
        }));
    }
    for (road, coordinates) in [
        ("国道8号", json!([[136.60, 36.505], [136.65, 36.52], [136.70, 36.53]])),
        ("県道10号", json!([[136.62, 36.50], [136.63, 36.56]])),
    ] {
        features.push(json!({
            "type": "Feature", "properties": { "road": road }, "geometry": { "type": "LineString", "coordinates": coordinates },
        }));
    }
    json!({ "type": "FeatureCollection", "features": features }).to_string()
}

fn borasen(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_borasen")).args(args).output().unwrap()
}

fn names(zones: &Value) -> Vec<String> {
    zones["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["name"].as_str().unwrap().to_string())
        .collect()
}

/// The map as the server draws it: its road names, road count, and the scale's metres.
async fn map_of(app: &TestApp) -> (Vec<String>, usize, f64) {
    let admin = app.admin().await;
    let svg = admin.get("/api/map.svg").await.text().await.unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let labels = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("road-label"))
        .map(|n| n.text().unwrap().to_string())
        .collect();
    let roads = doc.descendants().filter(|n| n.attribute("class") == Some("road")).count();
    let scale = doc.descendants().find(|n| n.attribute("id") == Some("scale")).expect("a scale bar");
    (labels, roads, scale.attribute("data-metres").unwrap().parse().unwrap())
}

#[tokio::test]
async fn the_cli_says_once_which_keys_a_file_has_and_imports_it_by_the_property_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("wards.geojson");
    std::fs::write(&file, municipal_file()).unwrap();
    let path = file.to_str().unwrap();

    let refused = borasen(&["zones", "check", path]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(stderr.matches("properties.name").count(), 2, "once in Japanese, once in English: {stderr}");
    assert!(stderr.contains("pop_2020, ward_en, ward_ja"), "the file's keys: {stderr}");
    assert!(stderr.contains("--name-property"), "{stderr}");
    assert!(!stderr.contains("地物 "), "no line per feature: {stderr}");
    assert!(stderr.lines().count() <= 4, "{stderr}");

    let checked = borasen(&["zones", "check", path, "--name-property", "ward_ja"]);
    assert!(checked.status.success(), "{}", String::from_utf8_lossy(&checked.stderr));
    let stdout = String::from_utf8_lossy(&checked.stdout);
    assert!(stdout.contains("地区 59 件、道路 2 本") && stdout.contains("59 zones, 2 roads"), "{stdout}");

    let data = tempfile::tempdir().unwrap();
    let data_path = data.path().to_str().unwrap();
    let wrong = borasen(&["zones", "import", path, "--name-property", "ward", "--data", data_path]);
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("properties.ward（地区名）"), "the property it was told");
    let imported = borasen(&["zones", "import", path, "--name-property", "ward_ja", "--data", data_path]);
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));

    let app = spawn_app_in(data.path(), "127.0.0.1:0".parse().unwrap()).await;
    let zones: Value = app.admin().await.get("/api/zones").await.json().await.unwrap();
    let zone_names = names(&zones);
    assert_eq!(zone_names.len(), 59);
    assert_eq!((zone_names[0].as_str(), zone_names[58].as_str()), ("第1区", "第59区"));
    let (labels, roads, _) = map_of(&app).await;
    assert_eq!((labels, roads), (vec!["国道8号".to_string(), "県道10号".to_string()], 2));
}

#[tokio::test]
async fn the_api_imports_by_name_property_and_the_map_keeps_the_roads_across_a_restart() {
    let mut app = spawn_app_with(|_| {}).await;
    let admin = app.admin().await;
    let import = |query: &'static str| {
        admin
            .http
            .post(app.url(&format!("/api/zones/import{query}")))
            .header("cookie", admin.cookie())
            .header("accept-language", "ja")
            .body(municipal_file())
            .send()
    };
    let before = app.last_seq().await;
    let refused = import("").await.unwrap();
    assert_eq!(refused.status(), 422);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_zone_file");
    assert_eq!(body["error"]["details"]["property"], "name");
    assert_eq!(body["error"]["details"]["keys"], json!(["pop_2020", "ward_en", "ward_ja"]));
    assert_eq!(body["error"]["details"]["problems"], json!([]), "not one problem per feature");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.starts_with("どの地物にも properties.name（地区名）がありません"), "{message}");
    assert_eq!(app.last_seq().await, before, "nothing written");

    let imported = import("?name_property=ward_ja").await.unwrap();
    assert_eq!(imported.status(), 200, "{}", imported.text().await.unwrap());
    assert_eq!(imported.json::<Value>().await.unwrap()["imported"], 59);
    let (labels, roads, metres) = map_of(&app).await;
    assert_eq!(roads, 2);
    assert_eq!(labels, ["国道8号", "県道10号"]);
    assert!([500.0, 1000.0, 2000.0].contains(&metres), "the wards span ~9 km: a bar of {metres} m");

    // The roads are in the database: a restart draws them again, and so does a
    // center restored from the database file alone (what a backup holds).
    let data = app.dir.path().to_path_buf();
    app.stop().await;
    let restored = tempfile::tempdir().unwrap();
    for file in ["borasen.sqlite", "borasen.sqlite-wal"] {
        if data.join(file).exists() {
            std::fs::copy(data.join(file), restored.path().join(file)).unwrap();
        }
    }
    let from_backup = spawn_app_in(restored.path(), "127.0.0.1:0".parse().unwrap()).await;
    assert_eq!(map_of(&from_backup).await.1, 2, "roads in a restored database file");
    let again = spawn_app_in(&data, "127.0.0.1:0".parse().unwrap()).await;
    assert_eq!(map_of(&again).await.1, 2, "roads after a restart");
    // A zone file without roads replaces them.
    let plain = municipal_file().replace(r#""road":"#, r#""road_name":"#);
    let response = again
        .admin()
        .await
        .http
        .post(again.url("/api/zones/import?name_property=ward_ja"))
        .header("cookie", again.admin().await.cookie())
        .body(plain)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422, "lines without `road` are not zones and say how to mark them");
    let body: Value = response.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("properties.road"), "{body}");
    let without_roads = {
        let mut file: Value = serde_json::from_str(&municipal_file()).unwrap();
        file["features"].as_array_mut().unwrap().truncate(59);
        file.to_string()
    };
    let admin = again.admin().await;
    let response = admin
        .http
        .post(again.url("/api/zones/import?name_property=ward_ja"))
        .header("cookie", admin.cookie())
        .body(without_roads)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(map_of(&again).await.1, 0, "the new zone file has no roads");
}

#[tokio::test]
async fn without_tiles_the_map_page_shows_zone_names_roads_and_a_scale_in_the_view() {
    let Some(mut browser) = crate::browser::Browser::launch().await else { return };
    let app = spawn_app_with(|_| {}).await;
    let admin = app.admin().await;
    let imported = admin
        .http
        .post(app.url("/api/zones/import?name_property=ward_ja"))
        .header("cookie", admin.cookie())
        .body(municipal_file())
        .send()
        .await
        .unwrap();
    assert_eq!(imported.status(), 200);
    browser.log_in(&app, "admin", crate::helpers::ADMIN_PASSWORD).await;
    browser.goto(&app.url("/map")).await;
    browser.wait_for("document.querySelectorAll('#map svg path.zone').length === 59").await;
    assert_eq!(browser.eval("document.querySelectorAll('#map svg .zone-label').length").await, json!(59));
    let roads =
        browser.eval("Array.from(document.querySelectorAll('#map svg .road-label')).map(t => t.textContent)").await;
    assert_eq!(roads, json!(["国道8号", "県道10号"]));
    assert_eq!(browser.eval("document.querySelectorAll('#map svg g.road').length").await, json!(2));
    // The scale: inside the map as first shown, its words at a readable screen size.
    let scale = browser
        .eval(
            "(() => { const m = document.getElementById('map').getBoundingClientRect(); \
               const s = document.querySelector('#map svg #scale').getBoundingClientRect(); \
               const t = document.querySelector('#map svg .scale-label'); \
               return { inside: s.left >= m.left && s.right <= m.right && s.top >= m.top && s.bottom <= m.bottom, \
                        text: t.textContent, height: t.getBoundingClientRect().height }; })()",
        )
        .await;
    assert_eq!(scale["inside"], json!(true), "{scale}");
    assert!(
        scale["text"].as_str().unwrap().ends_with(" km") || scale["text"].as_str().unwrap().ends_with(" m"),
        "{scale}"
    );
    let height = scale["height"].as_f64().unwrap();
    assert!((10.0..24.0).contains(&height), "the scale's words keep a screen size: {scale}");
    browser.screenshot("map-without-tiles.png").await;
}

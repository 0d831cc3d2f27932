//! The map over HTTP: `/api/map.svg` is well-formed SVG with a path per zone,
//! need pins only for those allowed to see where needs are, and the map page.

use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app, spawn_app_with};

const DEMO_PASSWORD: &str = "demo-pass-2026";

async fn demo_app() -> TestApp {
    spawn_app_with(|c| {
        c.demo = true;
        c.demo_password = Some(DEMO_PASSWORD.into());
    })
    .await
}

/// A need taken in through `POST /api/needs` and moved along its lifecycle to
/// `status`; it must get `number` and fall in `zone`.
pub async fn insert_need(app: &TestApp, number: i64, status: &str, lat: f64, lon: f64, zone: &str) {
    let coordinator = app.client_for("coordinator", DEMO_PASSWORD).await;
    let body = json!({
        "received_via": "phone", "requester_name": "金沢 花子", "phone": format!("090-0000-{number:04}"),
        "address": format!("石川県金沢市香林坊1-{number}"), "categories": ["mud"], "people_needed": 3,
        "priority": if status == "received" { 1 } else { 2 }, "lat": lat, "lon": lon, "force_new": true,
    });
    let response = coordinator.post("/api/needs", &body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let mut need: Value = response.json().await.unwrap();
    assert_eq!(need["need_no"], format!("N-{number:04}"));
    assert_eq!(need["zone"], zone);
    let path: &[&str] = match status {
        "received" => &[],
        "waiting" => &["waiting"],
        "active" => &["waiting", "active"],
        "done" => &["waiting", "active", "done"],
        "cancelled" => &["cancelled"],
        other => panic!("no path to {other}"),
    };
    for to in path {
        let response = coordinator
            .patch(
                &format!("/api/needs/{}", need["id"]),
                &json!({ "version": need["version"], "status": to, "reason": "テスト" }),
            )
            .await;
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
        need = response.json().await.unwrap();
    }
}

fn classes<'a>(doc: &'a roxmltree::Document, class: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants().filter(|n| n.attribute("class").is_some_and(|c| c.split(' ').any(|c| c == class))).collect()
}

#[tokio::test]
async fn the_map_is_svg_with_one_path_per_zone_and_a_pin_per_need_for_a_coordinator() {
    let app = demo_app().await;
    insert_need(&app, 1, "received", 36.567, 136.652, "香林坊").await;
    insert_need(&app, 2, "done", 36.556, 136.644, "野町").await;
    insert_need(&app, 3, "cancelled", 36.578, 136.668, "東山").await;
    let coordinator = app.client_for("coordinator", DEMO_PASSWORD).await;

    let response = coordinator.get("/api/map.svg").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let text = response.text().await.unwrap();
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");

    let zones: Value = coordinator.get("/api/zones").await.json().await.unwrap();
    let names: Vec<&str> =
        zones["features"].as_array().unwrap().iter().map(|f| f["properties"]["name"].as_str().unwrap()).collect();
    let paths = classes(&doc, "zone");
    assert_eq!(paths.len(), names.len());
    assert!(paths.iter().all(|p| p.tag_name().name() == "path"));
    let drawn: Vec<&str> = paths.iter().map(|p| p.attribute("data-zone").unwrap()).collect();
    assert_eq!(drawn, names, "one path per zone, in the zone set's order");
    let open =
        |zone: &str| paths.iter().find(|p| p.attribute("data-zone") == Some(zone)).unwrap().attribute("data-open");
    assert_eq!(open("香林坊"), Some("1"));
    assert_eq!(open("野町"), Some("0"), "a done need is not open");

    let pins: Vec<(&str, &str)> = classes(&doc, "need-pin")
        .iter()
        .map(|p| (p.attribute("data-need").unwrap(), p.attribute("data-status").unwrap()))
        .collect();
    assert_eq!(pins, [("N-0001", "received"), ("N-0002", "done")], "cancelled needs are off the map");
    assert!(!text.contains("金沢 花子") && !text.contains("香林坊1-1"), "no requester details in the map");
}

#[tokio::test]
async fn reception_sees_the_zones_and_counts_but_not_where_needs_are_and_strangers_nothing() {
    let app = demo_app().await;
    insert_need(&app, 1, "waiting", 36.567, 136.652, "香林坊").await;
    let reception = app.client_for("reception", DEMO_PASSWORD).await;
    let response = reception.get("/api/map.svg").await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    assert_eq!(classes(&doc, "zone").len(), 12);
    assert!(classes(&doc, "need-pin").is_empty(), "exact locations are for coordinators");
    assert!(!text.contains("N-0001"));
    assert_eq!(doc.root_element().attribute("data-pins"), Some("hidden"));
    let kourinbou = classes(&doc, "zone").into_iter().find(|p| p.attribute("data-zone") == Some("香林坊")).unwrap();
    assert_eq!(kourinbou.attribute("data-open"), Some("1"), "the zone's count is not personal");

    let trainer = app.user_with_role("kunren", "trainer").await;
    let text = trainer.get("/api/map.svg").await.text().await.unwrap();
    assert!(classes(&roxmltree::Document::parse(&text).unwrap(), "need-pin").is_empty());

    let anonymous = reqwest::get(app.url("/api/map.svg")).await.unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn the_map_page_is_for_coordinators_and_sends_strangers_to_the_login() {
    let app = demo_app().await;
    let coordinator = app.client_for("coordinator", DEMO_PASSWORD).await;
    let page = coordinator.get("/map").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"id="map""#) && html.contains("/assets/map.js") && html.contains("/assets/map.css"));
    assert!(html.contains(r#"data-tiles="off""#), "no base map configured");
    assert!(html.contains("地図"));

    let reception = app.client_for("reception", DEMO_PASSWORD).await;
    assert_eq!(reception.get("/map").await.status(), 403);

    let no_redirects = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let anonymous = no_redirects.get(app.url("/map")).send().await.unwrap();
    assert_eq!(anonymous.status(), 303);
    assert_eq!(anonymous.headers()["location"], "/login");

    for asset in ["/assets/map.js", "/assets/map.css"] {
        assert_eq!(reqwest::get(app.url(asset)).await.unwrap().status(), 200, "{asset}");
    }
}

#[tokio::test]
async fn with_a_base_map_the_page_says_tiles_are_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::helpers::mbtiles(dir.path(), &[]).await;

    let app = spawn_app_with(|c| c.tiles = Some(path.clone())).await;
    let admin = app.admin().await;
    let html = admin.get("/map").await.text().await.unwrap();
    assert!(html.contains(r#"data-tiles="on""#));

    // Without zones the map still draws: a default area, no zone paths.
    let text = admin.get("/api/map.svg").await.text().await.unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    assert!(classes(&doc, "zone").is_empty());
    assert!(doc.descendants().any(|n| n.attribute("id") == Some("tiles")));

    let plain = spawn_app().await;
    assert!(plain.admin().await.get("/map").await.text().await.unwrap().contains(r#"data-tiles="off""#));
}

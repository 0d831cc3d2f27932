//! Offline addresses: MLIT 位置参照情報 and town→zone tables imported over HTTP
//! and the CLI (UTF-8 or Shift_JIS, bad rows by line), then suggestions of a
//! pin and a zone as an address is typed.

use reqwest::header::COOKIE;
use serde_json::Value;

use crate::helpers::{Session, TestApp, spawn_app_in, spawn_app_with};

const SAMPLE: &str = include_str!("../../maps/demo-kanazawa-addresses.csv");
const DEMO_TOWNS: &str = include_str!("../../maps/demo-kanazawa-towns.csv");
const DEMO_PASSWORD: &str = "demo-pass-2026";

const HEADER: &str = "都道府県名,市区町村名,大字・丁目名,小字・通称名,街区符号・地番,座標系番号,Ｘ座標,Ｙ座標,緯度,経度,住居表示フラグ,代表フラグ,更新前履歴フラグ,更新後履歴フラグ";

fn mlit(rows: &[&str]) -> String {
    let mut text = format!("{HEADER}\n");
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text
}

/// 広坂一丁目2 lies in the demo zone 兼六町; 片町二丁目 in 片町.
const HIROSAKA_2: &str = "石川県,金沢市,広坂一丁目,,2,7,0,0,36.564031,136.658158,1,1,0,0";
const KATAMACHI_3: &str = "石川県,金沢市,片町二丁目,,3,7,0,0,36.557500,136.652500,1,1,0,0";

async fn demo_app() -> TestApp {
    spawn_app_with(|c| {
        c.demo = true;
        c.demo_password = Some(DEMO_PASSWORD.into());
    })
    .await
}

async fn import(session: &Session, query: &str, body: impl Into<reqwest::Body>) -> reqwest::Response {
    session.speaking("ja").post_body(&format!("/api/addresses/import?{query}"), body).await
}

async fn suggest(session: &Session, typed: &str) -> Value {
    let url = format!("{}/api/addresses/suggest", session.base());
    let url = reqwest::Url::parse_with_params(&url, &[("q", typed)]).unwrap();
    let response = session.http.get(url).header(COOKIE, session.cookie()).send().await.unwrap();
    assert_eq!(response.status(), 200, "suggest {typed}");
    response.json().await.unwrap()
}

async fn events_since(app: &TestApp, seq: i64) -> Vec<(String, String, Value)> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT kind, actor, data FROM events WHERE seq > ? ORDER BY seq")
            .bind(seq)
            .fetch_all(&app.state.db.read)
            .await
            .unwrap();
    rows.into_iter().map(|(kind, actor, data)| (kind, actor, serde_json::from_str(&data).unwrap())).collect()
}

#[tokio::test]
async fn addresses_mlit_in_utf8_or_shift_jis_is_imported_in_one_event_and_typed_variants_find_pin_and_zone() {
    let app = demo_app().await;
    let admin = app.admin().await;
    let coordinator = app.client_for("coordinator", DEMO_PASSWORD).await;
    let before = app.last_seq().await;
    let response = import(&admin, "kind=mlit", SAMPLE).await;
    assert_eq!(response.status(), 200);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["imported"], 40);
    assert_eq!(answer["skipped"].as_array().unwrap().len(), 0);
    let events = events_since(&app, before).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].0, "addresses.imported");
    assert_eq!(events[0].1, "admin");
    assert_eq!(events[0].2["kind"], "mlit");
    assert_eq!(events[0].2["count"], 40);

    for typed in ["広坂１丁目２", "広坂一丁目2番", "広坂1-2", "石川県金沢市広坂一丁目２", "金沢市 広坂1－2"]
    {
        let hits = suggest(&coordinator, typed).await;
        let hits = hits.as_array().unwrap();
        assert_eq!(hits.len(), 1, "{typed}: {hits:?}");
        assert_eq!(hits[0]["address"], "石川県金沢市広坂一丁目2");
        assert_eq!(hits[0]["zone"], "兼六町", "{typed}: the zone comes from the app's zone set");
        assert_eq!(hits[0]["zone_source"], "pin");
        let (lat, lon) = (hits[0]["lat"].as_f64().unwrap(), hits[0]["lon"].as_f64().unwrap());
        assert_eq!(app.state.zones.current().locate(lon, lat).unwrap().name, "兼六町");
    }
    // Every block of the sample lies in a demo zone.
    let index = app.state.zones.current();
    let (points, _) = borasen::zones::address::read_mlit_csv(SAMPLE);
    for point in &points {
        assert!(index.locate(point.lon, point.lat).is_some(), "{} is in no demo zone", point.address);
    }
    let all = suggest(&coordinator, "金沢市").await;
    assert_eq!(all.as_array().unwrap().len(), 8, "default limit");
    let many: Value = coordinator.get("/api/addresses/suggest?q=%E9%87%91&limit=500").await.json().await.unwrap();
    assert_eq!(many.as_array().unwrap().len(), 40, "石川県… from the town 金… is none; the city 金沢市 is all 40");
    assert_eq!(suggest(&coordinator, "").await.as_array().unwrap().len(), 0);

    // The official downloads are Shift_JIS: read as they are; the table is replaced whole.
    let text = mlit(&[KATAMACHI_3]);
    let (sjis, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&sjis).is_err(), "really not UTF-8");
    let response = import(&admin, "kind=mlit&skip_bad_rows=", sjis.into_owned()).await;
    assert_eq!(response.status(), 200);
    let hits = suggest(&coordinator, "片町２丁目３").await;
    assert_eq!(hits[0]["address"], "石川県金沢市片町二丁目3");
    assert_eq!(hits[0]["zone"], "片町");
    let hirosaka = suggest(&coordinator, "広坂1-2").await;
    assert!(hirosaka.as_array().unwrap().iter().all(|hit| hit["lat"].is_null()), "replaced whole: {hirosaka}");
    let counts: Value = coordinator.get("/api/addresses").await.json().await.unwrap();
    assert_eq!(
        counts,
        serde_json::json!({ "points": 1, "towns": DEMO_TOWNS.lines().count() - 1 }),
        "the demo's towns stay"
    );
}

#[tokio::test]
async fn addresses_a_bad_row_is_refused_by_line_and_changes_nothing_unless_skipped() {
    let app = demo_app().await;
    let admin = app.admin().await;
    assert_eq!(import(&admin, "kind=mlit", mlit(&[HIROSAKA_2])).await.status(), 200);
    let before = app.last_seq().await;

    let bad = mlit(&[
        KATAMACHI_3,
        "石川県,金沢市,片町一丁目,,1,7,0,0,北緯,東経,1,1,0,0",
        "石川県,金沢市,,,1,7,0,0,36.55,136.65,1,1,0,0",
    ]);
    let response = import(&admin, "kind=mlit", bad.clone()).await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_address_file");
    assert!(body["error"]["message"].as_str().unwrap().starts_with("2 行に問題があります"), "{body}");
    let problems = body["error"]["details"]["problems"].as_array().unwrap();
    assert_eq!(problems.iter().map(|p| p["line"].as_u64().unwrap()).collect::<Vec<_>>(), [3, 4]);
    assert!(problems[0]["message"].as_str().unwrap().starts_with("3行目: 緯度・経度が数値ではありません"));
    assert_eq!(body["error"]["details"]["total"], 2);
    assert_eq!(app.last_seq().await, before, "no event");
    let hits = suggest(&admin, "広坂1-2").await;
    assert_eq!(hits[0]["address"], "石川県金沢市広坂一丁目2", "the old table still answers");
    let katamachi = suggest(&admin, "片町2").await;
    assert!(
        katamachi.as_array().unwrap().iter().all(|hit| hit["lat"].is_null()),
        "no block, only the town: {katamachi}"
    );

    let response = import(&admin, "kind=mlit&skip_bad_rows=true", bad).await;
    assert_eq!(response.status(), 200);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["imported"], 1);
    let skipped = answer["skipped"].as_array().unwrap();
    assert_eq!(skipped.iter().map(|p| p["line"].as_u64().unwrap()).collect::<Vec<_>>(), [3, 4]);
    assert!(skipped[1]["message_en"].as_str().unwrap().starts_with("line 4: no town"));
    assert_eq!(suggest(&admin, "片町2").await[0]["zone"], "片町");
    let events = events_since(&app, before).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].2["skipped_lines"], serde_json::json!([3, 4]));

    // Nothing good at all is refused, flag or not; so are a wrong kind and bytes neither encoding reads.
    let before = app.last_seq().await;
    let nothing = mlit(&["石川県,金沢市,片町一丁目,,1,7,0,0,北緯,東経,1,1,0,0"]);
    assert_eq!(import(&admin, "kind=mlit&skip_bad_rows=true", nothing).await.status(), 422);
    assert_eq!(import(&admin, "kind=mlit&skip_bad_rows=true", "a,b\n1,2\n").await.status(), 422);
    let response = import(&admin, "kind=zip", mlit(&[HIROSAKA_2])).await;
    assert_eq!(response.status(), 422);
    assert_eq!(response.json::<Value>().await.unwrap()["error"]["field"], "kind");
    let mut broken = mlit(&[KATAMACHI_3, HIROSAKA_2]).into_bytes();
    broken.extend_from_slice(b"\x81\x20\xff\n");
    let response = import(&admin, "kind=mlit&skip_bad_rows=true", broken).await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["details"]["problems"][0]["line"], 4, "{body}");
    assert_eq!(app.last_seq().await, before, "no event");
    assert_eq!(suggest(&admin, "片町2").await.as_array().unwrap().len(), 1);

    // A prefecture is tens of megabytes: more than the default body limit gets read.
    let junk = "石川県,金沢市,片町一丁目,,1,7,0,0,北緯,東経,1,1,0,0";
    let large = mlit(&vec![junk; 3 * 1024 * 1024 / junk.len()]);
    let response = import(&admin, "kind=mlit", large).await;
    assert_eq!(response.status(), 422, "read, not refused as too large");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["details"]["problems"].as_array().unwrap().len(), 100, "listed: the first 100");
    assert!(body["error"]["details"]["total"].as_u64().unwrap() > 40_000);
}

#[tokio::test]
async fn addresses_towns_name_zones_of_the_zone_set_and_place_addresses_without_a_block() {
    let app = demo_app().await;
    let admin = app.admin().await;
    let before = app.last_seq().await;
    let towns = "町丁目,地区\n広坂一丁目,兼六町\n金沢市此花町,此花町\n広坂二丁目,存在しない地区\n";
    let response = import(&admin, "kind=towns", towns).await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    let problems = body["error"]["details"]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0]["line"], 4);
    assert!(problems[0]["message"].as_str().unwrap().contains("地区「存在しない地区」は登録されていません"));
    assert_eq!(app.last_seq().await, before);

    let response = import(&admin, "kind=towns&skip_bad_rows=true", towns).await;
    assert_eq!(response.status(), 200);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["imported"], 2);
    assert_eq!(answer["skipped"][0]["line"], 4);
    let events = events_since(&app, before).await;
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].0.as_str(), &events[0].2["kind"]), ("addresses.imported", &Value::from("towns")));

    // No block table: a known town still gives the zone, without a pin.
    let hits = suggest(&admin, "金沢市広坂１丁目５番３号").await;
    assert_eq!(
        hits,
        serde_json::json!([{ "address": "金沢市広坂１丁目５番３号", "lat": null, "lon": null, "zone": "兼六町", "zone_source": "address" }])
    );
    assert!(suggest(&admin, "金沢市広坂12-1").await.as_array().unwrap().is_empty(), "広坂1 is not 広坂12");

    // A block outside every zone takes its town's zone; unknown stays null.
    let outside = mlit(&[
        "石川県,金沢市,此花町,,9,7,0,0,36.600000,136.700000,1,1,0,0",
        "石川県,金沢市,東山三丁目,,1,7,0,0,36.600000,136.710000,1,1,0,0",
    ]);
    assert_eq!(import(&admin, "kind=mlit", outside).await.status(), 200);
    let hits = suggest(&admin, "此花町9").await;
    assert_eq!((hits[0]["zone"].as_str(), hits[0]["zone_source"].as_str()), (Some("此花町"), Some("address")));
    let hits = suggest(&admin, "東山3").await;
    assert!(hits[0]["zone"].is_null() && hits[0]["zone_source"].is_null(), "{hits}");

    // What need intake calls.
    let zone_for = |address: &'static str| {
        let pool = app.state.db.read.clone();
        async move { borasen::zones::zone_for_address(&pool, address).await.unwrap() }
    };
    assert_eq!(zone_for("石川県金沢市広坂一丁目2-3").await.as_deref(), Some("兼六町"));
    assert_eq!(zone_for("金沢市此花町3-1").await.as_deref(), Some("此花町"));
    assert_eq!(zone_for("金沢市片町1-1").await, None);
    let counts: Value = admin.get("/api/addresses").await.json().await.unwrap();
    assert_eq!(counts, serde_json::json!({ "points": 2, "towns": 2 }));
}

#[tokio::test]
async fn addresses_import_is_for_admins_and_suggest_for_coordinators() {
    let app = demo_app().await;
    let reception = app.client_for("reception", DEMO_PASSWORD).await;
    let coordinator = app.client_for("coordinator", DEMO_PASSWORD).await;
    assert_eq!(import(&reception, "kind=mlit", SAMPLE).await.status(), 403);
    assert_eq!(import(&coordinator, "kind=mlit", SAMPLE).await.status(), 403);
    assert_eq!(reception.get("/api/addresses/suggest?q=1").await.status(), 403);
    assert_eq!(reception.get("/api/addresses").await.status(), 403);
    let anonymous = reqwest::Client::new();
    for path in ["/api/addresses/suggest?q=1", "/api/addresses"] {
        assert_eq!(anonymous.get(app.url(path)).send().await.unwrap().status(), 401, "{path}");
    }
    let response = anonymous.post(app.url("/api/addresses/import?kind=mlit")).body(SAMPLE).send().await.unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(
        coordinator.get("/api/addresses").await.json::<Value>().await.unwrap()["points"],
        40,
        "the demo's, unchanged"
    );
}

#[tokio::test]
async fn addresses_cli_checks_by_line_and_imports_into_a_data_folder_a_running_server_reads() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let app = spawn_app_in(&data, "127.0.0.1:0".parse().unwrap()).await;
    let admin = app.admin().await;
    let before = app.last_seq().await;

    let bad = dir.path().join("bad.csv");
    let text = mlit(&[HIROSAKA_2, "石川県,金沢市,片町一丁目,,1,7,0,0,北緯,東経,1,1,0,0"]);
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
    std::fs::write(&bad, &sjis).unwrap();
    let run = |args: Vec<std::ffi::OsString>| {
        tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_borasen")).args(args).output().unwrap()
        })
    };
    let os =
        |parts: &[&dyn AsRef<std::ffi::OsStr>]| parts.iter().map(|p| p.as_ref().to_os_string()).collect::<Vec<_>>();

    let output = run(os(&[&"addresses", &"check", &bad, &"--kind", &"mlit"])).await.unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("3行目: 緯度・経度が数値ではありません"), "{stderr}");

    let output = run(os(&[&"addresses", &"import", &bad, &"--kind", &"mlit", &"--data", &data])).await.unwrap();
    assert!(!output.status.success(), "a bad row refuses the file");
    assert_eq!(app.last_seq().await, before, "nothing changed");

    let output = run(os(&[&"addresses", &"import", &bad, &"--kind", &"mlit", &"--skip-bad-rows", &"--data", &data]))
        .await
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("街区 1 件を取り込みました（飛ばした行 1 行）"), "{stdout}");
    assert!(stdout.contains("3行目"), "{stdout}");

    let events = events_since(&app, before).await;
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].0.as_str(), events[0].1.as_str()), ("addresses.imported", "cli"));
    let hits = suggest(&admin, "広坂1-2").await;
    assert_eq!(hits[0]["address"], "石川県金沢市広坂一丁目2", "the running server reads the new table");
    assert!(hits[0]["zone"].is_null(), "no zones in this center: zone unknown");

    // Towns are checked against the center's zones (it has none).
    let towns = dir.path().join("towns.csv");
    std::fs::write(&towns, "広坂一丁目,兼六町\n").unwrap();
    let output = run(os(&[&"addresses", &"check", &towns, &"--kind", &"towns", &"--data", &data])).await.unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("1行目: 地区「兼六町」は登録されていません"));
    let output = run(os(&[&"addresses", &"check", &towns, &"--kind", &"towns"])).await.unwrap();
    assert!(output.status.success(), "without --data the zone names are not checked");
}

//! Household needs over HTTP: intake and validation, the lifecycle, stale
//! versions, duplicates, lists and filters, privacy, CSV, and the board.

use std::time::Duration;

use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::helpers::{Session, TestApp, connect_board, next_event, spawn_app_at};

const MORNING: &str = "2026-07-12T08:00:00+09:00";
const DEMO_PASSWORD: &str = "demo-pass-2026";

/// A pin inside the demo zone 香林坊, and one in 東山.
const KORINBO: (f64, f64) = (36.567, 136.652);
const HIGASHIYAMA: (f64, f64) = (36.575, 136.668);

async fn demo_app() -> (TestApp, Session) {
    let app = spawn_app_at(MORNING, |c| {
        c.demo = true;
        c.demo_password = Some(DEMO_PASSWORD.into());
    })
    .await;
    let coordinator = app.client_for("coordinator", DEMO_PASSWORD).await;
    (app, coordinator)
}

fn card(name: &str, phone: &str, address: &str, pin: Option<(f64, f64)>) -> Value {
    let mut card = json!({
        "received_via": "phone",
        "requester_name": name,
        "requester_furigana": "ヤマダ ハナコ",
        "phone": phone,
        "address": address,
        "town": "広坂一丁目",
        "needs_care": true,
        "household_notes": "高齢の夫婦のみ",
        "damage": ["above_floor"],
        "categories": ["mud", "belongings"],
        "people_needed": 5,
        "days_estimated": 2,
        "equipment": ["剣スコップ", "一輪車"],
        "parking": "no",
        "photos_allowed": true,
        "priority": 2,
        "notes": "午前中希望",
    });
    if let Some((lat, lon)) = pin {
        card["lat"] = json!(lat);
        card["lon"] = json!(lon);
    }
    card
}

async fn receive(coordinator: &Session, body: &Value) -> Value {
    let response = coordinator.post("/api/needs", body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

async fn patch(coordinator: &Session, need: &Value, body: Value) -> reqwest::Response {
    coordinator.patch(&format!("/api/needs/{}", need["id"]), &body).await
}

async fn move_to(coordinator: &Session, need: &Value, status: &str) -> Value {
    let response = patch(coordinator, need, json!({ "version": need["version"], "status": status })).await;
    assert_eq!(response.status(), 200, "to {status}: {}", response.text().await.unwrap());
    response.json().await.unwrap()
}

async fn need_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM needs").fetch_one(&app.state.db.read).await.unwrap()
}

#[tokio::test]
async fn a_need_card_is_numbered_zoned_from_its_pin_and_logged_without_personal_data() {
    let (app, coordinator) = demo_app().await;
    let before = app.last_seq().await;
    let first = receive(&coordinator, &card("山田 花子", "076-220-2111", "金沢市広坂1-2-3", Some(KORINBO))).await;
    assert_eq!(first["need_no"], "N-0001");
    assert_eq!(first["status"], "received");
    assert_eq!(first["zone"], "香林坊");
    assert_eq!(first["zone_source"], "pin");
    assert_eq!(first["version"], 1);
    assert_eq!(first["received_at"], MORNING);
    assert_eq!(first["categories"], json!(["mud", "belongings"]));
    let second = receive(&coordinator, &card("佐藤 一郎", "090-1111-2222", "金沢市東山1-1-1", None)).await;
    assert_eq!(second["need_no"], "N-0002");
    assert_eq!(
        (second["zone"].as_str(), second["zone_source"].as_str()),
        (Some("東山"), Some("address")),
        "no pin: the zone of the town in the address (the demo's town table has 東山一丁目)"
    );
    let mut nowhere = card("高橋 三郎", "090-2222-3333", "白山市鶴来本町1-1", None);
    nowhere["town"] = json!("");
    let nowhere = receive(&coordinator, &nowhere).await;
    assert!(nowhere["zone"].is_null() && nowhere["zone_source"].is_null(), "unknown everywhere: zone unknown");
    let mut body = card("鈴木 次郎", "090-3333-4444", "金沢市東山2-2-2", None);
    body["zone"] = json!("東山");
    let third = receive(&coordinator, &body).await;
    assert_eq!(third["need_no"], "N-0004");
    assert_eq!((third["zone"].as_str(), third["zone_source"].as_str()), (Some("東山"), Some("chosen")));

    let events = borasen::events::since(&app.state.db.read, before, 100).await.unwrap();
    let received: Vec<&borasen::events::Event> = events.iter().filter(|e| e.kind == "need.received").collect();
    assert_eq!(received.len(), 4);
    assert_eq!(received[0].subject.as_deref(), Some("N-0001"));
    let logged = serde_json::to_string(&received.iter().map(|e| &e.data).collect::<Vec<_>>()).unwrap();
    for personal in ["山田", "花子", "076", "2202111", "広坂", "午前中", "高齢"] {
        assert!(!logged.contains(personal), "the event log carries {personal}: {logged}");
    }
}

#[tokio::test]
async fn a_bad_card_is_a_422_naming_the_field_and_saves_nothing() {
    let (app, coordinator) = demo_app().await;
    let good = card("山田 花子", "076-220-2111", "金沢市広坂1-2-3", None);
    let mut cases: Vec<(Value, &str)> = Vec::new();
    for (field, bad) in [
        ("received_via", json!("fax")),
        ("requester_name", json!("")),
        ("phone", json!("12")),
        ("address", json!(" ")),
        ("categories", json!([])),
        ("categories", json!(["gardening"])),
        ("people_needed", json!(0)),
        ("priority", json!(5)),
        ("lat", json!(123.0)),
        ("zone", json!("存在しない地区")),
    ] {
        let mut body = good.clone();
        body[field] = bad;
        if field == "lat" {
            body["lon"] = json!(36.0);
        }
        cases.push((body, field));
    }
    let mut no_count = good.clone();
    no_count.as_object_mut().unwrap().remove("people_needed");
    cases.push((no_count, "people_needed"));
    for (body, field) in cases {
        let response = coordinator.post("/api/needs", &body).await;
        assert_eq!(response.status(), 422, "{field}");
        let error: Value = response.json().await.unwrap();
        assert!(error["error"]["field"].as_str().unwrap().starts_with(field), "{field}: {error}");
    }
    let response = coordinator.speaking("ja").post("/api/needs", &json!({ "received_via": "phone" })).await;
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"]["field"], "requester_name");
    assert!(error["error"]["message"].as_str().unwrap().contains("依頼者の氏名"), "{error}");
    assert_eq!(need_count(&app).await, 0);
}

#[tokio::test]
async fn intake_is_for_coordinators_and_reception_sees_no_personal_data() {
    let (app, coordinator) = demo_app().await;
    let reception = app.client_for("reception", DEMO_PASSWORD).await;
    let body = card("山田 花子", "076-220-2111", "金沢市広坂1-2-3", Some(KORINBO));
    assert_eq!(reception.post("/api/needs", &body).await.status(), 403);
    let anonymous = reqwest::Client::new().get(app.url("/api/needs")).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);

    // The coordinator board and its websocket are not reception's.
    assert_eq!(reception.get("/api/board").await.status(), 403);
    let mut request = format!("ws://{}/ws/board?since=0", app.addr).into_client_request().unwrap();
    request.headers_mut().insert("cookie", reception.cookie().parse().unwrap());
    assert!(tokio_tungstenite::connect_async(request).await.is_err(), "reception cannot follow the board");

    // Need events are published to every board: they carry no personal data.
    let mut socket = connect_board(&app, &coordinator, app.last_seq().await).await;
    let need = receive(&coordinator, &body).await;
    let need = move_to(&coordinator, &need, "surveying").await;
    let edited =
        patch(&coordinator, &need, json!({ "version": 2, "phone": "090-5555-6666", "notes": "山田さん宅" })).await;
    assert_eq!(edited.status(), 200);
    let mut seen = Vec::new();
    for _ in 0..3 {
        let event = next_event(&mut socket, Duration::from_secs(5)).await.expect("need events reach the board");
        assert!(event["kind"].as_str().unwrap().starts_with("need."));
        seen.push(event.to_string());
    }
    assert!(
        seen[2].contains("\"changed\":[\"notes\",\"phone\"]"),
        "which fields changed, not their values: {}",
        seen[2]
    );

    let list = reception.get("/api/needs").await;
    assert_eq!(list.status(), 200);
    let list = list.text().await.unwrap();
    let search = reception.get("/api/needs?q=山田").await.text().await.unwrap();
    seen.push(list.clone());
    seen.push(reception.get(&format!("/api/needs/{}", need["id"])).await.text().await.unwrap());
    seen.push(search.clone());
    seen.push(coordinator.get("/api/board").await.text().await.unwrap());
    for text in &seen {
        for personal in
            ["山田", "花子", "ハナコ", "076-220-2111", "0762202111", "090-5555-6666", "広坂1-2-3", "高齢の夫婦"]
        {
            assert!(!text.contains(personal), "{personal} leaks: {text}");
        }
    }
    assert!(list.contains("N-0001") && list.contains("香林坊"), "but the number and zone: {list}");
    assert_eq!(serde_json::from_str::<Value>(&search).unwrap().as_array().unwrap().len(), 1, "q is ignored");

    let full: Value = coordinator.get(&format!("/api/needs/{}", need["id"])).await.json().await.unwrap();
    assert_eq!(full["requester_name"], "山田 花子");
    assert_eq!(full["phone"], "090-5555-6666");
}

#[tokio::test]
async fn the_lifecycle_allows_the_field_path_and_refuses_shortcuts() {
    let (app, coordinator) = demo_app().await;
    let need = receive(&coordinator, &card("山田 花子", "076-220-2111", "金沢市広坂1-2-3", None)).await;
    let refused = patch(&coordinator, &need, json!({ "version": 1, "status": "done" })).await;
    assert_eq!(refused.status(), 409);
    let error: Value = refused.json().await.unwrap();
    assert_eq!(error["error"]["code"], "transition_refused");

    let mut need = need;
    for status in ["surveying", "waiting", "active", "continuing", "active", "done"] {
        need = move_to(&coordinator, &need, status).await;
        assert_eq!(need["status"], status);
    }
    assert_eq!(need["version"], 7);
    let back = patch(&coordinator, &need, json!({ "version": 7, "status": "active" })).await;
    assert_eq!(back.status(), 409, "完了 does not go back to 活動中");
    let no_reason = patch(&coordinator, &need, json!({ "version": 7, "status": "waiting", "reopen": true })).await;
    assert_eq!(no_reason.status(), 422);
    assert_eq!(no_reason.json::<Value>().await.unwrap()["error"]["field"], "reason");
    let reopened = patch(
        &coordinator,
        &need,
        json!({ "version": 7, "status": "waiting", "reopen": true, "reason": "泥が再流入" }),
    )
    .await;
    assert_eq!(reopened.status(), 200);
    let reopened: Value = reopened.json().await.unwrap();
    assert_eq!(
        (reopened["status"].as_str(), reopened["status_reason"].as_str()),
        (Some("waiting"), Some("泥が再流入"))
    );

    let cancel = patch(&coordinator, &reopened, json!({ "version": 8, "status": "cancelled" })).await;
    assert_eq!(cancel.status(), 422, "cancelling needs a reason");
    let cancelled =
        patch(&coordinator, &reopened, json!({ "version": 8, "status": "cancelled", "reason": "業者に依頼" })).await;
    assert_eq!(cancelled.status(), 200);

    let kinds: Vec<String> = borasen::events::since(&app.state.db.read, 0, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind.starts_with("need."))
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds.len(), 9, "every change is an event: {kinds:?}");
    assert_eq!(kinds.iter().filter(|k| *k == "need.reopened").count(), 1);
}

#[tokio::test]
async fn a_stale_version_is_409_and_changes_nothing() {
    let (app, coordinator) = demo_app().await;
    let need = receive(&coordinator, &card("山田 花子", "076-220-2111", "金沢市広坂1-2-3", None)).await;
    let first = patch(&coordinator, &need, json!({ "version": 1, "people_needed": 8, "priority": 1 })).await;
    assert_eq!(first.status(), 200);
    let first: Value = first.json().await.unwrap();
    assert_eq!(
        (first["people_needed"].as_i64(), first["priority"].as_i64(), first["version"].as_i64()),
        (Some(8), Some(1), Some(2))
    );
    assert_eq!(first["requester_name"], "山田 花子", "fields not sent stay");

    let before = app.last_seq().await;
    let stale = patch(&coordinator, &need, json!({ "version": 1, "people_needed": 3 })).await;
    assert_eq!(stale.status(), 409);
    let error: Value = stale.json().await.unwrap();
    assert_eq!(error["error"]["code"], "stale_version");
    assert_eq!(error["error"]["details"]["current_version"], 2);
    let missing = patch(&coordinator, &need, json!({ "people_needed": 3 })).await;
    assert_eq!(missing.status(), 422);
    let unknown = patch(&coordinator, &need, json!({ "version": 2, "favourite_colour": "red" })).await;
    assert_eq!(unknown.status(), 422);
    assert_eq!(unknown.json::<Value>().await.unwrap()["error"]["field"], "favourite_colour");
    let wrong_type = patch(&coordinator, &need, json!({ "version": 2, "people_needed": "many" })).await;
    assert_eq!(wrong_type.status(), 422);
    assert_eq!(app.last_seq().await, before, "nothing was written");
    let now: Value = coordinator.get(&format!("/api/needs/{}", need["id"])).await.json().await.unwrap();
    assert_eq!(now["people_needed"], 8);

    // Moving the pin moves the zone; a chosen zone stays until changed.
    let moved = patch(&coordinator, &now, json!({ "version": 2, "lat": HIGASHIYAMA.0, "lon": HIGASHIYAMA.1 })).await;
    let moved: Value = moved.json().await.unwrap();
    assert_eq!((moved["zone"].as_str(), moved["zone_source"].as_str()), (Some("東山"), Some("pin")));
    let cleared = patch(&coordinator, &moved, json!({ "version": 3, "lat": null, "lon": null })).await;
    let cleared: Value = cleared.json().await.unwrap();
    assert!(cleared["lat"].is_null(), "{cleared}");
    assert_eq!(
        (cleared["zone"].as_str(), cleared["zone_source"].as_str()),
        (Some("兼六町"), Some("address")),
        "without a pin the zone comes from the address again"
    );
}

#[tokio::test]
async fn a_survey_result_is_attached_as_an_event() {
    let (app, coordinator) = demo_app().await;
    let need = receive(&coordinator, &card("山田 花子", "076-220-2111", "金沢市広坂1-2-3", None)).await;
    let need = move_to(&coordinator, &need, "surveying").await;
    let bad = patch(&coordinator, &need, json!({ "version": 2, "survey": { "surveyor": "", "findings": "x" } })).await;
    assert_eq!(bad.status(), 422);
    assert_eq!(bad.json::<Value>().await.unwrap()["error"]["field"], "survey.surveyor");
    let surveyed = patch(
        &coordinator,
        &need,
        json!({ "version": 2, "survey": { "surveyor": "調査 班長", "findings": "床下に泥10cm、畳6枚", "hazards": "床板の腐食" } }),
    )
    .await;
    assert_eq!(surveyed.status(), 200);
    let surveyed: Value = surveyed.json().await.unwrap();
    assert_eq!(surveyed["survey"]["findings"], "床下に泥10cm、畳6枚");
    assert_eq!(surveyed["survey"]["surveyed_at"], MORNING);
    let last = borasen::events::since(&app.state.db.read, app.last_seq().await - 1, 10).await.unwrap();
    assert_eq!(last[0].kind, "need.surveyed");
    assert!(!last[0].data.to_string().contains("床下に泥"), "findings stay out of the log");
}

#[tokio::test]
async fn likely_duplicates_by_phone_address_and_distance_are_shown_before_saving() {
    let (app, coordinator) = demo_app().await;
    let original =
        receive(&coordinator, &card("山田 花子", "076-220-2111", "金沢市広坂1丁目2番3号", Some(KORINBO))).await;

    // Same phone written differently.
    let by_phone = card("山田 太郎", "０７６（２２０）２１１１", "金沢市片町2-2-2", None);
    // Same address written differently.
    let by_address = card("山田", "090-9999-0000", "金沢市広坂一丁目2-3", None);
    // 20 m north of the first pin: a neighbour, or the same house mapped twice.
    let by_distance = card("田中", "090-8888-0000", "金沢市広坂1-9-9", Some((KORINBO.0 + 0.00018, KORINBO.1)));
    for (body, reason) in [(&by_phone, "phone"), (&by_address, "address"), (&by_distance, "distance")] {
        let response = coordinator.post("/api/needs", body).await;
        assert_eq!(response.status(), 409, "{reason}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["code"], "possible_duplicate");
        let candidates = error["error"]["details"]["candidates"].as_array().unwrap();
        assert_eq!(candidates.len(), 1, "{reason}: {error}");
        assert_eq!(candidates[0]["need_no"], "N-0001");
        assert!(candidates[0]["reasons"].as_array().unwrap().contains(&json!(reason)), "{reason}: {error}");
        assert_eq!(candidates[0]["requester_name"], "山田 花子", "enough to recognise it");
    }
    assert_eq!(need_count(&app).await, 1, "nothing saved while duplicates are shown");
    let distance = coordinator.post("/api/needs", &by_distance).await.json::<Value>().await.unwrap();
    let metres = distance["error"]["details"]["candidates"][0]["distance_m"].as_f64().unwrap();
    assert!((15.0..=25.0).contains(&metres), "{metres} m");

    // 100 m away is not a duplicate.
    let far = card("遠藤", "090-7777-0000", "金沢市広坂1-20-1", Some((KORINBO.0 + 0.0009, KORINBO.1)));
    let far = receive(&coordinator, &far).await;
    assert_eq!(far["need_no"], "N-0002");

    // The coordinator proceeds anyway, or links the call to the original.
    let mut proceed = by_distance.clone();
    proceed["force_new"] = json!(true);
    assert_eq!(receive(&coordinator, &proceed).await["status"], "received");
    let mut link = by_phone.clone();
    link["duplicate_of"] = json!("N-0001");
    let linked = receive(&coordinator, &link).await;
    assert_eq!(linked["status"], "cancelled");
    assert_eq!(linked["duplicate_of"], "N-0001");
    assert!(linked["status_reason"].as_str().unwrap().contains("duplicate of N-0001"));

    // An existing need linked afterwards.
    let by_address = {
        let mut body = by_address.clone();
        body["force_new"] = json!(true);
        receive(&coordinator, &body).await
    };
    let linked = patch(&coordinator, &by_address, json!({ "version": 1, "duplicate_of": "N-0001" })).await;
    assert_eq!(linked.status(), 200);
    let linked: Value = linked.json().await.unwrap();
    assert_eq!((linked["status"].as_str(), linked["duplicate_of"].as_str()), (Some("cancelled"), Some("N-0001")));
    let to_itself = patch(&coordinator, &original, json!({ "version": 1, "duplicate_of": "N-0001" })).await;
    assert_eq!(to_itself.status(), 422);

    // A done need's pin is no longer a duplicate by distance.
    let mut o = original;
    for status in ["waiting", "active", "done"] {
        o = move_to(&coordinator, &o, status).await;
    }
    // 17 m from the done original, 37 m from the open N-0003.
    let next_door = card("隣人", "090-6666-0000", "金沢市広坂1-8-8", Some((KORINBO.0 - 0.00015, KORINBO.1)));
    let response = coordinator.post("/api/needs", &next_door).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
}

#[tokio::test]
async fn the_list_filters_and_sorts_by_priority_then_age() {
    let (app, coordinator) = demo_app().await;
    let mut numbers = Vec::new();
    for (i, (priority, pin, category)) in
        [(3, KORINBO, "mud"), (1, HIGASHIYAMA, "debris"), (3, HIGASHIYAMA, "mud"), (1, KORINBO, "cleaning")]
            .into_iter()
            .enumerate()
    {
        let mut body = card(&format!("依頼者{i}"), &format!("090-0000-000{i}"), &format!("金沢市某所{i}"), Some(pin));
        body["priority"] = json!(priority);
        body["categories"] = json!([category]);
        body["received_at"] = json!(format!("2026-07-12T07:0{i}:00+09:00"));
        // The pins repeat on purpose: these are different households in the same block.
        body["force_new"] = json!(true);
        numbers.push(receive(&coordinator, &body).await);
    }
    let order = |list: &Value| -> Vec<String> {
        list.as_array().unwrap().iter().map(|n| n["need_no"].as_str().unwrap().to_string()).collect()
    };
    let all = coordinator.get("/api/needs").await;
    assert_eq!(all.headers()["x-total-count"], "4");
    assert_eq!(order(&all.json().await.unwrap()), ["N-0002", "N-0004", "N-0001", "N-0003"]);
    let zone: Value = coordinator.get("/api/needs?zone=東山").await.json().await.unwrap();
    assert_eq!(order(&zone), ["N-0002", "N-0003"]);
    let urgent: Value = coordinator.get("/api/needs?priority=1&category=cleaning").await.json().await.unwrap();
    assert_eq!(order(&urgent), ["N-0004"]);
    move_to(&coordinator, &numbers[0], "waiting").await;
    let waiting: Value = coordinator.get("/api/needs?status=waiting").await.json().await.unwrap();
    assert_eq!(order(&waiting), ["N-0001"]);
    let open: Value = coordinator.get("/api/needs?status=open&limit=2").await.json().await.unwrap();
    assert_eq!(order(&open), ["N-0002", "N-0004"]);
    let by_phone: Value = coordinator.get("/api/needs?q=090-0000-0003").await.json().await.unwrap();
    assert_eq!(order(&by_phone), ["N-0004"]);
    let by_name: Value = coordinator.get("/api/needs?q=依頼者2").await.json().await.unwrap();
    assert_eq!(order(&by_name), ["N-0003"]);
    let bad = coordinator.get("/api/needs?status=sleeping").await;
    assert_eq!(bad.status(), 422);

    let board: Value = coordinator.get("/api/board").await.json().await.unwrap();
    assert_eq!(board["needs"]["open"], 4);
    assert_eq!(board["needs"]["by_status"]["waiting"], 1);
    let zones = board["needs"]["by_zone"].as_array().unwrap();
    let higashiyama = zones.iter().find(|z| z["zone"] == "東山").unwrap();
    assert_eq!(higashiyama["open"], 2);
    let _ = app;
}

#[tokio::test]
async fn the_csv_export_is_excel_ready_and_says_it_holds_personal_data() {
    let (app, coordinator) = demo_app().await;
    receive(&coordinator, &card("=山田 花子", "076-220-2111", "金沢市広坂1-2-3", Some(KORINBO))).await;
    let reception = app.client_for("reception", DEMO_PASSWORD).await;
    assert_eq!(reception.get("/api/needs.csv").await.status(), 403);
    let response = coordinator.get("/api/needs.csv").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "BOM for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // Issue 15: the personal-data mark is the first column, not a line above the header.
    assert_eq!((&rows[0][0], &rows[0][1]), ("【個人情報】", "番号"));
    assert_eq!((&rows[1][0], &rows[1][1]), ("持出禁止", "N-0001"));
    assert_eq!(&rows[1][5], "'=山田 花子", "a formula-like cell is defused");
    assert_eq!(&rows[1][12], "香林坊");
    assert_eq!(&rows[1][17], "泥出し、家財搬出");
}

#[tokio::test]
async fn the_needs_page_lists_open_needs_for_coordinators_only() {
    let (app, coordinator) = demo_app().await;
    let mut urgent = card("山田 花子", "076-220-2111", "金沢市広坂1-2-3", Some(KORINBO));
    urgent["priority"] = json!(1);
    receive(&coordinator, &urgent).await;
    let mut done =
        receive(&coordinator, &card("佐藤 一郎", "090-1111-2222", "金沢市東山1-1-1", Some(HIGASHIYAMA))).await;
    for status in ["waiting", "active", "done"] {
        done = move_to(&coordinator, &done, status).await;
    }
    let page = coordinator.get("/needs").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("N-0001") && html.contains("山田 花子"), "open needs are listed with the requester");
    assert!(!html.contains("N-0002"), "a done need is not in the default (open) list");
    assert!(html.contains("class=\"prio p1\""), "priority 1 is marked");
    let all = coordinator.get("/needs?status=all&zone=%E6%9D%B1%E5%B1%B1").await.text().await.unwrap();
    assert!(all.contains("N-0002") && !all.contains("N-0001"), "filters by zone, all statuses");

    let reception = app.client_for("reception", DEMO_PASSWORD).await;
    assert_eq!(reception.get("/needs").await.status(), 403);
    let anonymous = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let response = anonymous.get(app.url("/needs")).send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/login");
}

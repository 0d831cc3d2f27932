//! Teams over HTTP: sending one out (and every refusal, with nothing changed),
//! two coordinators racing for one volunteer, the return and its report, the
//! center-wide suspension, and the overdue flag on the center's clock.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, connect_board, next_event, spawn_app_at};

const MORNING: &str = "2026-07-12T09:00:00+09:00";
const DEMO_PASSWORD: &str = "demo-pass-2026";

pub struct Center {
    pub app: TestApp,
    pub coordinator: Session,
    pub desk: Session,
}

pub async fn center() -> Center {
    let app = spawn_app_at(MORNING, |c| {
        c.demo = true;
        c.demo_password = Some(DEMO_PASSWORD.into());
    })
    .await;
    let coordinator = app.client_for("coordinator", DEMO_PASSWORD).await;
    let desk = app.client_for("reception", DEMO_PASSWORD).await;
    Center { app, coordinator, desk }
}

/// A walk-in registered at the desk; checked in unless `check_in` is false.
pub async fn volunteer(c: &Center, i: usize, insurance: &str, check_in: bool) -> i64 {
    let body = json!({
        "name": format!("ボランティア {i}"), "furigana": "ボランティア", "birth_date": "1985-04-01",
        "phone": format!("090-{:04}-{:04}", 1000 + i / 10_000, i % 10_000), "address": "石川県金沢市",
        "emergency_name": "家族", "emergency_phone": "076-220-2111", "insurance": insurance,
    });
    let response = c.desk.post("/api/volunteers", &body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let id = response.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    if check_in {
        let response = c.desk.post("/api/checkins", &json!({ "volunteer_id": id, "health_ok": true })).await;
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    }
    id
}

/// Walk-ins 0..`n`, insured and checked in; their ids.
pub async fn checked_in(c: &Center, n: usize) -> Vec<i64> {
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        ids.push(volunteer(c, i, "enrolled", true).await);
    }
    ids
}

pub async fn need(c: &Center, i: usize) -> Value {
    let body = json!({
        "received_via": "phone", "requester_name": format!("依頼者 {i}"), "phone": format!("076-200-{:04}", i),
        "address": format!("金沢市香林坊2-{i}"), "categories": ["mud"], "people_needed": 4,
        "lat": 36.567 + i as f64 * 0.001, "lon": 136.652, "force_new": true,
    });
    let response = c.coordinator.post("/api/needs", &body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

async fn send(c: &Center, body: Value) -> reqwest::Response {
    c.coordinator.post("/api/teams", &body).await
}

async fn waiting_ids(c: &Center) -> Vec<i64> {
    let pool: Value = c.coordinator.get("/api/waiting").await.json().await.unwrap();
    pool.as_array().unwrap().iter().map(|w| w["volunteer_id"].as_i64().unwrap()).collect()
}

async fn need_status(c: &Center, need: &Value) -> String {
    let now: Value = c.coordinator.get(&format!("/api/needs/{}", need["id"])).await.json().await.unwrap();
    now["status"].as_str().unwrap().to_string()
}

async fn team_count(c: &Center) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM teams").fetch_one(&c.app.state.db.read).await.unwrap()
}

#[tokio::test]
async fn a_team_goes_out_for_a_need_and_comes_back_with_its_report() {
    let c = center().await;
    let ids = checked_in(&c, 5).await;
    let n = need(&c, 1).await;
    let before = c.app.last_seq().await;
    let mut board = connect_board(&c.app, &c.coordinator, before).await;
    let response = send(&c, json!({ "need_no": "N-0001", "leader_id": ids[1], "member_ids": [ids[0], ids[2], ids[3]], "vehicle": "軽トラ" })).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let team: Value = response.json().await.unwrap();
    assert_eq!(team["team_no"], "T-001");
    assert_eq!(team["need_no"], "N-0001");
    assert_eq!(team["zone"], "香林坊");
    assert_eq!(team["headcount"], 4);
    assert_eq!(team["members"][0]["volunteer_id"], ids[1], "the leader first");
    assert_eq!(team["members"][0]["leader"], true);
    assert_eq!(team["departed_at"], MORNING);
    assert_eq!(team["return_by"], "2026-07-12T12:00:00+09:00", "the heat rule: three hours");
    assert_eq!(team["overdue"], false);
    assert_eq!(need_status(&c, &n).await, "active");
    assert_eq!(waiting_ids(&c).await, [ids[4]], "the team is out of the waiting pool");
    let desk: Value = c.desk.get("/api/reception/today").await.json().await.unwrap();
    assert_eq!((desk["waiting"].as_i64(), desk["on_teams"].as_i64()), (Some(1), Some(4)), "{desk}");

    let mut kinds = Vec::new();
    while let Some(event) = next_event(&mut board, Duration::from_secs(2)).await {
        kinds.push(event["kind"].as_str().unwrap().to_string());
        if kinds.len() == 2 {
            break;
        }
    }
    assert_eq!(kinds, ["need.status_changed", "team.dispatched"]);

    // 90 minutes later the leader reports: done, one more need next door, a small cut.
    c.app.state.clock.advance(chrono::Duration::minutes(90));
    let bad = c.coordinator.post(&format!("/api/teams/{}/return", team["id"]), &json!({ "version": 1 })).await;
    assert_eq!(bad.status(), 422);
    assert_eq!(bad.json::<Value>().await.unwrap()["error"]["field"], "outcome");
    let report = json!({
        "version": 1, "outcome": "done", "report": "泥出し完了、畳6枚搬出", "injury": "軍手の上から切り傷（軽傷）",
        "new_needs": [{ "requester_name": "隣家 住人", "address": "金沢市香林坊2-9", "categories": ["belongings"], "people_needed": 3 }],
    });
    let back = c.coordinator.post(&format!("/api/teams/{}/return", team["id"]), &report).await;
    assert_eq!(back.status(), 200, "{}", back.text().await.unwrap());
    let back: Value = back.json().await.unwrap();
    assert_eq!(back["status"], "returned");
    assert_eq!(back["outcome"], "done");
    assert_eq!(back["minutes"], 90);
    assert_eq!(need_status(&c, &n).await, "done");
    assert_eq!(waiting_ids(&c).await.len(), 5, "members are back in the pool");
    let found: Value = c.coordinator.get("/api/needs?q=N-0002").await.json().await.unwrap();
    assert_eq!(found[0]["received_via"], "visit");
    let again = c.coordinator.post(&format!("/api/teams/{}/return", team["id"]), &report).await;
    assert_eq!(again.status(), 409, "a team returns once");

    let kinds: Vec<String> =
        borasen::events::since(&c.app.state.db.read, before, 100).await.unwrap().into_iter().map(|e| e.kind).collect();
    for kind in ["team.dispatched", "team.returned", "incident.reported", "need.received"] {
        assert!(kinds.contains(&kind.to_string()), "{kind} in {kinds:?}");
    }
    let logged =
        serde_json::to_string(&borasen::events::since(&c.app.state.db.read, before, 100).await.unwrap()).unwrap();
    assert!(!logged.contains("ボランティア 1") && !logged.contains("切り傷"), "no names or injury details in the log");
}

#[tokio::test]
async fn every_refusal_is_a_409_with_its_reason_and_changes_nothing() {
    let c = center().await;
    let ready = volunteer(&c, 0, "enrolled", true).await;
    let other = volunteer(&c, 1, "enrolled", true).await;
    let absent = volunteer(&c, 2, "enrolled", false).await;
    let uninsured = volunteer(&c, 3, "none", true).await;
    let leaving = volunteer(&c, 4, "enrolled", true).await;
    assert_eq!(c.desk.post("/api/checkouts", &json!({ "volunteer_id": leaving })).await.status(), 200);
    let first = need(&c, 1).await;
    let second = need(&c, 2).await;
    let out = send(&c, json!({ "need_id": first["id"], "member_ids": [ready] })).await;
    assert_eq!(out.status(), 201);

    let teams = team_count(&c).await;
    let seq = c.app.last_seq().await;
    let pool = waiting_ids(&c).await;
    for (body, code, who) in [
        (json!({ "need_id": second["id"], "member_ids": [other, ready] }), "member_busy", "T-001"),
        (json!({ "need_id": second["id"], "member_ids": [other, absent] }), "not_checked_in", "V-0003"),
        (json!({ "need_id": second["id"], "member_ids": [uninsured, other] }), "uninsured", "V-0004"),
        (json!({ "need_id": second["id"], "member_ids": [other, leaving] }), "checked_out", "V-0005"),
        (json!({ "need_id": first["id"], "member_ids": [other] }), "need_taken", "N-0001"),
    ] {
        let response = send(&c, body).await;
        assert_eq!(response.status(), 409, "{code}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["code"], code, "{error}");
        assert!(error["error"]["message"].as_str().unwrap().contains(who), "{code} names {who}: {error}");
    }
    assert_eq!(team_count(&c).await, teams, "no team was written");
    assert_eq!(c.app.last_seq().await, seq, "no event");
    assert_eq!(waiting_ids(&c).await, pool, "nobody left the pool");
    assert_eq!(need_status(&c, &second).await, "received", "the need did not move");

    let missing = send(&c, json!({ "member_ids": [other] })).await;
    assert_eq!(missing.status(), 422);
    assert_eq!(missing.json::<Value>().await.unwrap()["error"]["field"], "need_id");
    let reception = send_as(&c.desk, json!({ "need_id": second["id"], "member_ids": [other] })).await;
    assert_eq!(reception.status(), 403);
}

async fn send_as(session: &Session, body: Value) -> reqwest::Response {
    session.post("/api/teams", &body).await
}

#[tokio::test]
async fn twenty_coordinators_racing_for_one_volunteer_put_them_on_exactly_one_team() {
    let c = center().await;
    let wanted = volunteer(&c, 0, "enrolled", true).await;
    let mut needs = Vec::new();
    for i in 0..20 {
        needs.push(need(&c, i + 1).await);
    }
    let sends = needs.iter().map(|n| {
        let body = json!({ "need_id": n["id"], "member_ids": [wanted] });
        let coordinator = &c.coordinator;
        async move { coordinator.post("/api/teams", &body).await.status().as_u16() }
    });
    let statuses = futures_join_all(sends).await;
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 19, "{statuses:?}");
    assert_eq!(team_count(&c).await, 1);
    let active: Value = c.coordinator.get("/api/needs?status=active").await.json().await.unwrap();
    assert_eq!(active.as_array().unwrap().len(), 1, "only the winner's need moved");
}

/// Runs the futures at once (tokio tasks would need 'static).
async fn futures_join_all<F: std::future::Future<Output = u16>>(futures: impl IntoIterator<Item = F>) -> Vec<u16> {
    let futures: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut out = Vec::new();
    let mut pending: Vec<_> = futures.into_iter().map(Some).collect();
    std::future::poll_fn(|cx| {
        let mut all_done = true;
        for slot in pending.iter_mut() {
            if let Some(future) = slot {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(status) => {
                        out.push(status);
                        *slot = None;
                    }
                    std::task::Poll::Pending => all_done = false,
                }
            }
        }
        if all_done { std::task::Poll::Ready(()) } else { std::task::Poll::Pending }
    })
    .await;
    out
}

#[tokio::test]
async fn a_suspension_stops_dispatch_lists_the_teams_to_recall_and_resuming_allows_it_again() {
    let c = center().await;
    let a = volunteer(&c, 0, "enrolled", true).await;
    let b = volunteer(&c, 1, "enrolled", true).await;
    let first = need(&c, 1).await;
    let second = need(&c, 2).await;
    assert_eq!(send(&c, json!({ "need_id": first["id"], "member_ids": [a] })).await.status(), 201);
    assert_eq!(c.coordinator.post("/api/center/suspend", &json!({ "reason": "" })).await.status(), 422);
    let suspended = c.coordinator.post("/api/center/suspend", &json!({ "reason": "大雨警報" })).await;
    assert_eq!(suspended.status(), 200);
    let suspended: Value = suspended.json().await.unwrap();
    assert_eq!(suspended["suspended"], true);
    assert_eq!(suspended["recall"][0]["team_no"], "T-001");
    let refused = send(&c, json!({ "need_id": second["id"], "member_ids": [b] })).await;
    assert_eq!(refused.status(), 409);
    let error: Value = refused.json().await.unwrap();
    assert_eq!(error["error"]["code"], "suspended");
    assert!(error["error"]["message"].as_str().unwrap().contains("大雨警報"));
    let board: Value = c.coordinator.get("/api/board").await.json().await.unwrap();
    assert_eq!(board["center"]["suspended"], true);

    let team: Value = c.coordinator.get("/api/teams?status=dispatched").await.json().await.unwrap();
    let back = c
        .coordinator
        .post(
            &format!("/api/teams/{}/return", team[0]["id"]),
            &json!({ "version": 1, "outcome": "cancelled", "check_out": true }),
        )
        .await;
    assert_eq!(back.status(), 200);
    assert!(!waiting_ids(&c).await.contains(&a), "sent home by the heavy rain: checked out, not waiting");
    let desk: Value = c.desk.get("/api/reception/today").await.json().await.unwrap();
    assert_eq!(desk["checked_out"], 1);
    assert_eq!(need_status(&c, &first).await, "waiting", "abandoned work waits for a team again");
    let center: Value = c.coordinator.get("/api/center").await.json().await.unwrap();
    assert_eq!(center["recall"].as_array().unwrap().len(), 0, "everybody is back");

    assert_eq!(c.coordinator.post("/api/center/resume", &json!({})).await.status(), 200);
    assert_eq!(send(&c, json!({ "need_id": second["id"], "member_ids": [b] })).await.status(), 201);
    assert_eq!(c.coordinator.post("/api/center/resume", &json!({})).await.status(), 409);
}

#[tokio::test]
async fn a_team_past_its_deadline_is_flagged_on_the_board_and_logged_once() {
    let c = center().await;
    let a = volunteer(&c, 0, "enrolled", true).await;
    need(&c, 1).await;
    let team: Value =
        send(&c, json!({ "need_no": "N-0001", "member_ids": [a], "return_by": "11:30" })).await.json().await.unwrap();
    assert_eq!(team["return_by"], "2026-07-12T11:30:00+09:00");
    let board: Value = c.coordinator.get("/api/board").await.json().await.unwrap();
    assert_eq!(board["teams"]["overdue"].as_array().unwrap().len(), 0);
    assert_eq!(borasen::dispatch::overdue::sweep(&c.app.state.db, &c.app.state.clock).await.unwrap(), 0);

    c.app.state.clock.advance(chrono::Duration::minutes(151));
    let late: Value = c.coordinator.get(&format!("/api/teams/{}", team["id"])).await.json().await.unwrap();
    assert_eq!(late["overdue"], true);
    let board: Value = c.coordinator.get("/api/board").await.json().await.unwrap();
    assert_eq!(board["teams"]["overdue"], json!(["T-001"]));
    assert_eq!(board["teams"]["out"], 1);
    assert_eq!(borasen::dispatch::overdue::sweep(&c.app.state.db, &c.app.state.clock).await.unwrap(), 1);
    assert_eq!(borasen::dispatch::overdue::sweep(&c.app.state.db, &c.app.state.clock).await.unwrap(), 0, "once");
    let last = borasen::events::since(&c.app.state.db.read, c.app.last_seq().await - 1, 5).await.unwrap();
    assert_eq!((last[0].kind.as_str(), last[0].subject.as_deref()), ("team.overdue", Some("T-001")));
}

#[tokio::test]
async fn a_zone_dispatch_sends_a_team_to_a_zone_without_a_need() {
    let c = center().await;
    let a = volunteer(&c, 0, "enrolled", true).await;
    let b = volunteer(&c, 1, "enrolled", true).await;
    let response = send(&c, json!({ "zone": "東山", "headcount": 10, "member_ids": [a, b] })).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let team: Value = response.json().await.unwrap();
    assert_eq!((team["zone"].as_str(), team["requested_headcount"].as_i64()), (Some("東山"), Some(10)));
    assert!(team["need_no"].is_null());
    let unknown = send(&c, json!({ "zone": "どこか", "headcount": 3, "member_ids": [a] })).await;
    assert_eq!(unknown.status(), 422);
}

#[tokio::test]
async fn the_dispatch_sheet_names_the_team_the_need_and_every_member() {
    let c = center().await;
    let ids = checked_in(&c, 3).await;
    need(&c, 1).await;
    let team: Value =
        send(&c, json!({ "need_no": "N-0001", "leader_id": ids[2], "member_ids": ids, "vehicle": "軽トラ" }))
            .await
            .json()
            .await
            .unwrap();
    let response = c.coordinator.get(&format!("/api/teams/{}/sheet.pdf", team["id"])).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let bytes = response.bytes().await.unwrap();
    let text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
    let flat: String = text.split_whitespace().collect();
    for expected in [
        "T-001",
        "N-0001",
        "ボランティア0",
        "ボランティア1",
        "ボランティア2",
        "リーダー",
        "依頼者1",
        "活動報告",
        "12:00",
    ] {
        assert!(flat.contains(expected), "{expected} in the sheet: {text}");
    }
    assert_eq!(c.desk.get(&format!("/api/teams/{}/sheet.pdf", team["id"])).await.status(), 403, "personal data");
    assert_eq!(c.coordinator.get("/api/teams/999/sheet.pdf").await.status(), 404);
}

#[tokio::test]
async fn the_activity_certificate_comes_from_the_record_after_check_out() {
    let c = center().await;
    let id = volunteer(&c, 7, "enrolled", true).await;
    need(&c, 1).await;
    let team: Value = send(&c, json!({ "need_no": "N-0001", "member_ids": [id] })).await.json().await.unwrap();
    let path = format!("/api/volunteers/{id}/certificate.pdf");
    let early = c.desk.get(&path).await;
    assert_eq!(early.status(), 409, "not before check-out");
    c.app.state.clock.advance(chrono::Duration::hours(3));
    let back = c
        .coordinator
        .post(&format!("/api/teams/{}/return", team["id"]), &json!({ "version": 1, "outcome": "done" }))
        .await;
    assert_eq!(back.status(), 200);
    assert_eq!(c.desk.post("/api/checkouts", &json!({ "volunteer_id": id })).await.status(), 200);
    let response = c.desk.get(&path).await;
    assert_eq!(response.status(), 200);
    let text = pdf_extract::extract_text_from_mem(&response.bytes().await.unwrap()).unwrap();
    let flat: String = text.split_whitespace().collect();
    for expected in ["活動証明書", "ボランティア7", "V-0001", "T-001", "香林坊", "泥出し", "証明します"]
    {
        assert!(flat.contains(expected), "{expected} in the certificate: {text}");
    }
    assert!(!flat.contains("依頼者"), "no household on a certificate");
}

async fn item_id(c: &Center, name: &str) -> (i64, i64) {
    let items: Value = c.coordinator.get("/api/items").await.json().await.unwrap();
    let item = items.as_array().unwrap().iter().find(|i| i["name"] == name).unwrap_or_else(|| panic!("{name}"));
    (item["id"].as_i64().unwrap(), item["stock"].as_i64().unwrap())
}

#[tokio::test]
async fn loans_go_out_with_the_team_and_a_short_stock_refuses_the_whole_dispatch() {
    let c = center().await;
    let a = volunteer(&c, 0, "enrolled", true).await;
    let b = volunteer(&c, 1, "enrolled", true).await;
    need(&c, 1).await;
    let (barrow, barrows) = item_id(&c, "一輪車").await;
    let (shovel, shovels) = item_id(&c, "剣スコップ").await;
    let (bags, _) = item_id(&c, "土のう袋").await;

    let seq = c.app.last_seq().await;
    let greedy = send(
        &c,
        json!({ "need_no": "N-0001", "member_ids": [a, b], "loans": [
        { "item_id": shovel, "qty": 2 }, { "item_id": barrow, "qty": barrows + 1 } ] }),
    )
    .await;
    assert_eq!(greedy.status(), 409);
    let error: Value = greedy.json().await.unwrap();
    assert_eq!(error["error"]["code"], "short_stock");
    assert!(error["error"]["message"].as_str().unwrap().contains("一輪車"), "{error}");
    assert_eq!(c.app.last_seq().await, seq, "nothing written");
    assert_eq!(item_id(&c, "剣スコップ").await.1, shovels, "not even the shovels");
    assert_eq!(team_count(&c).await, 0);
    let needs: Value = c.coordinator.get("/api/needs?q=N-0001").await.json().await.unwrap();
    let status = needs[0]["status"].as_str().unwrap();
    assert_eq!(status, "received", "the need did not move");

    let team: Value = send(
        &c,
        json!({ "need_no": "N-0001", "member_ids": [a, b], "loans": [
        { "item_id": shovel, "qty": 2 }, { "item_id": barrow, "qty": 1 }, { "item_id": bags, "qty": 50 } ] }),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(item_id(&c, "剣スコップ").await.1, shovels - 2);
    let out: Value = c.coordinator.get(&format!("/api/teams/{}/equipment", team["id"])).await.json().await.unwrap();
    assert_eq!(out.as_array().unwrap().len(), 3);

    // Back with one shovel missing: refused until it is recorded as lost.
    let path = format!("/api/teams/{}/return", team["id"]);
    let short = json!({ "version": 1, "outcome": "continue", "returns": [
        { "item_id": shovel, "returned": 1 }, { "item_id": barrow, "returned": 1 }, { "item_id": bags, "returned": 10 } ] });
    let refused = c.coordinator.post(&path, &short).await;
    assert_eq!(refused.status(), 409);
    let error: Value = refused.json().await.unwrap();
    assert_eq!(error["error"]["code"], "equipment_shortfall");
    assert_eq!(team_count_out(&c).await, 1, "still out");
    let counted = json!({ "version": 1, "outcome": "continue", "returns": [
        { "item_id": shovel, "returned": 1, "lost": 1 }, { "item_id": barrow, "returned": 1 }, { "item_id": bags, "returned": 10 } ] });
    let back = c.coordinator.post(&path, &counted).await;
    assert_eq!(back.status(), 200, "{}", back.text().await.unwrap());
    assert_eq!(item_id(&c, "剣スコップ").await.1, shovels - 1, "one lost for good");
    assert_eq!(item_id(&c, "一輪車").await.1, barrows);
    let n: Value = c.coordinator.get("/api/needs?q=N-0001").await.json().await.unwrap();
    assert_eq!(n[0]["status"], "continuing", "継続: back in the queue");
    let sheet_items: Value =
        c.coordinator.get(&format!("/api/teams/{}/equipment", team["id"])).await.json().await.unwrap();
    assert_eq!(sheet_items.as_array().unwrap().len(), 0, "nothing out any more");
}

async fn team_count_out(c: &Center) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM teams WHERE status = 'dispatched'")
        .fetch_one(&c.app.state.db.read)
        .await
        .unwrap()
}

#[tokio::test]
async fn suggestions_propose_teams_from_the_waiting_pool_for_the_waiting_needs() {
    let c = center().await;
    let plain = volunteer(&c, 0, "enrolled", true).await;
    let uninsured = volunteer(&c, 1, "none", true).await;
    let body = json!({
        "name": "チェーンソー 使い", "furigana": "チェーンソー", "birth_date": "1980-01-01", "phone": "090-7777-0001",
        "address": "石川県金沢市", "emergency_name": "家族", "emergency_phone": "076-220-2111", "insurance": "enrolled",
        "skills": ["チェーンソー"], "experience_count": 12,
    });
    let sawyer = c.desk.post("/api/volunteers", &body).await.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    assert_eq!(c.desk.post("/api/checkins", &json!({ "volunteer_id": sawyer, "health_ok": true })).await.status(), 201);
    let mut fallen_tree = json!({
        "received_via": "phone", "requester_name": "倒木 宅", "phone": "076-200-9999", "address": "金沢市東山1-2-3",
        "categories": ["other"], "people_needed": 2, "priority": 1, "equipment": ["チェーンソー"],
    });
    fallen_tree["force_new"] = json!(true);
    let urgent: Value = c.coordinator.post("/api/needs", &fallen_tree).await.json().await.unwrap();
    need(&c, 2).await;

    let suggestions: Value = c.coordinator.get("/api/teams/suggestions").await.json().await.unwrap();
    let first = &suggestions[0];
    assert_eq!(first["need_id"], urgent["id"], "priority 1 first: {suggestions}");
    assert_eq!(first["leader_id"], sawyer, "the chainsaw holder, the most experienced, leads");
    assert!(first["reasons"].to_string().contains("チェーンソー"), "{first}");
    let members: Vec<i64> = suggestions
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["member_ids"].as_array().unwrap().iter().map(|m| m.as_i64().unwrap()))
        .collect();
    assert!(!members.contains(&uninsured), "never the uninsured");
    assert!(members.contains(&plain));
    assert_eq!(c.desk.get("/api/teams/suggestions").await.status(), 403);
}

#[tokio::test]
async fn a_need_with_a_team_out_moves_only_by_the_teams_return_and_hand_set_states_do_not_block_dispatch() {
    let c = center().await;
    let a = volunteer(&c, 0, "enrolled", true).await;
    let b = volunteer(&c, 1, "enrolled", true).await;
    let first = need(&c, 1).await;
    let team: Value = send(&c, json!({ "need_id": first["id"], "member_ids": [a] })).await.json().await.unwrap();
    let now: Value = c.coordinator.get(&format!("/api/needs/{}", first["id"])).await.json().await.unwrap();
    let by_hand = c
        .coordinator
        .patch(&format!("/api/needs/{}", first["id"]), &json!({ "version": now["version"], "status": "waiting" }))
        .await;
    assert_eq!(by_hand.status(), 409);
    let error: Value = by_hand.json().await.unwrap();
    assert_eq!(error["error"]["code"], "team_out");
    assert!(error["error"]["message"].as_str().unwrap().contains("T-001"));
    let second = send(&c, json!({ "need_id": first["id"], "member_ids": [b] })).await;
    assert_eq!(second.status(), 409);
    assert!(second.json::<Value>().await.unwrap()["error"]["message"].as_str().unwrap().contains("T-001"));
    let back = c
        .coordinator
        .post(&format!("/api/teams/{}/return", team["id"]), &json!({ "version": 1, "outcome": "done" }))
        .await;
    assert_eq!(back.status(), 200);
    assert_eq!(need_status(&c, &first).await, "done", "the team's report is applied");

    // 活動中 set by hand on a whiteboard day is not a team: a team may still go.
    let other = need(&c, 2).await;
    let waiting = c
        .coordinator
        .patch(&format!("/api/needs/{}", other["id"]), &json!({ "version": 1, "status": "waiting" }))
        .await;
    let waiting: Value = waiting.json().await.unwrap();
    let active = c
        .coordinator
        .patch(&format!("/api/needs/{}", other["id"]), &json!({ "version": waiting["version"], "status": "active" }))
        .await;
    assert_eq!(active.status(), 200);
    assert_eq!(send(&c, json!({ "need_id": other["id"], "member_ids": [b] })).await.status(), 201);
}

#[tokio::test]
async fn a_deadline_stays_within_the_day_in_center_time_and_a_minor_cannot_lead() {
    let c = center().await;
    let a = volunteer(&c, 0, "enrolled", true).await;
    need(&c, 1).await;
    for far in ["2027-07-12T05:00:00Z", "2026-07-13T09:30:00+09:00"] {
        let response = send(&c, json!({ "need_no": "N-0001", "member_ids": [a], "return_by": far })).await;
        assert_eq!(response.status(), 422, "{far}");
        assert_eq!(response.json::<Value>().await.unwrap()["error"]["field"], "return_by");
    }
    let utc = send(&c, json!({ "need_no": "N-0001", "member_ids": [a], "return_by": "2026-07-12T03:00:00Z" })).await;
    assert_eq!(utc.status(), 201);
    assert_eq!(utc.json::<Value>().await.unwrap()["return_by"], "2026-07-12T12:00:00+09:00", "kept in center time");

    let body = json!({
        "name": "高校 生", "furigana": "コウコウ セイ", "birth_date": "2010-05-05", "phone": "090-5555-0001",
        "address": "石川県金沢市", "emergency_name": "保護者", "emergency_phone": "076-220-2111", "insurance": "enrolled",
        "guardian_consent": true, "guardian_name": "保護者 名",
    });
    let minor = c.desk.post("/api/volunteers", &body).await.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let checked = c.desk.post("/api/checkins", &json!({ "volunteer_id": minor, "health_ok": true })).await;
    assert_eq!(checked.status(), 201, "{}", checked.text().await.unwrap());
    let adult = volunteer(&c, 1, "enrolled", true).await;
    need(&c, 2).await;
    let led_by_minor = send(&c, json!({ "need_no": "N-0002", "leader_id": minor, "member_ids": [minor, adult] })).await;
    assert_eq!(led_by_minor.status(), 409);
    assert_eq!(led_by_minor.json::<Value>().await.unwrap()["error"]["code"], "minor_leader");
    assert_eq!(
        send(&c, json!({ "need_no": "N-0002", "leader_id": adult, "member_ids": [minor, adult] })).await.status(),
        201
    );
}

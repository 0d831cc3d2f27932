//! Safety rules over HTTP on a manual clock: the return deadline capped by
//! sunset, the last-return time and the WBGT band; a short or late dispatch
//! needs the coordinator's override (in the log); WBGT readings and weather
//! warnings prompt a decision (活動中止 or carry on, with a reason); rest
//! reminders turn with the clock; the sheet and the 日報 carry it all.

use std::time::Duration;

use serde_json::{Value, json};

use crate::dispatch::{Center, need, volunteer};
use crate::helpers::{Session, connect_board, next_event, spawn_app_at};

const DEMO_PASSWORD: &str = "demo-pass-2026";
const SUMMER_MORNING: &str = "2026-07-12T09:00:00+09:00";
/// T-001 of the issue: sent at 15:34 in November, after the last dispatch and an hour before dark.
const NOVEMBER_AFTERNOON: &str = "2026-11-30T15:34:00+09:00";

async fn center_at(start: &str) -> Center {
    let app = spawn_app_at(start, |c| {
        c.demo = true;
        c.demo_password = Some(DEMO_PASSWORD.into());
    })
    .await;
    let coordinator = app.client_for("coordinator", DEMO_PASSWORD).await;
    let desk = app.client_for("reception", DEMO_PASSWORD).await;
    Center { app, coordinator, desk }
}

async fn body(response: reqwest::Response) -> Value {
    response.json().await.unwrap()
}

async fn send(c: &Center, form: Value) -> reqwest::Response {
    c.coordinator.post("/api/teams", &form).await
}

async fn team_count(c: &Center) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM teams").fetch_one(&c.app.state.db.read).await.unwrap()
}

async fn refused(response: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status(), status);
    let body = body(response).await;
    assert_eq!(body["error"]["code"], code, "{body}");
    body
}

/// The last `team.dispatched` event's data.
async fn dispatched(c: &Center) -> Value {
    let data: String =
        sqlx::query_scalar("SELECT data FROM events WHERE kind = 'team.dispatched' ORDER BY seq DESC LIMIT 1")
            .fetch_one(&c.app.state.db.read)
            .await
            .unwrap();
    serde_json::from_str(&data).unwrap()
}

async fn change_settings(c: &Center, change: Value) {
    let admin = c.app.admin().await;
    let current = body(admin.get("/api/settings").await).await;
    let mut patch = change;
    patch["version"] = current["version"].clone();
    let response = admin.put("/api/settings", &patch).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
}

async fn record_wbgt(session: &Session, wbgt: f64) -> Value {
    let response = session.post("/api/safety/wbgt", &json!({ "wbgt": wbgt })).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    body(response).await
}

#[tokio::test]
async fn a_late_november_dispatch_needs_overrides_and_never_passes_sunset() {
    let c = center_at(NOVEMBER_AFTERNOON).await;
    let id = volunteer(&c, 1, "enrolled", true).await;
    need(&c, 1).await;
    let form = json!({ "need_no": "N-0001", "member_ids": [id] });

    let late = refused(send(&c, form.clone()).await, 409, "after_last_dispatch").await;
    assert_eq!(late["error"]["field"], "override_last_dispatch");
    assert!(late["error"]["message"].as_str().unwrap().contains("14:00"), "{late}");

    // Past the last dispatch by decision; sunset in Kanazawa (the demo zones' middle) is
    // about 16:40, so the deadline is ~16:10: less than the 60 minutes' minimum.
    let late_ok = json!({ "need_no": "N-0001", "member_ids": [id], "override_last_dispatch": true });
    let short = refused(send(&c, late_ok).await, 409, "short_working_time").await;
    assert_eq!(short["error"]["field"], "override_short_time");
    assert_eq!(short["error"]["details"]["limited_by"], "sunset", "{short}");
    assert_eq!(team_count(&c).await, 0, "a refusal changes nothing");

    let both =
        json!({ "need_no": "N-0001", "member_ids": [id], "override_last_dispatch": true, "override_short_time": true });
    let response = send(&c, both).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let team = body(response).await;
    let deadline = chrono::DateTime::parse_from_rfc3339(team["return_by"].as_str().unwrap()).unwrap();
    let time = deadline.format("%H:%M").to_string();
    assert!(("16:00".."16:20").contains(&time.as_str()), "sunset less 30 minutes, not 18:34: {time}");
    let event = dispatched(&c).await;
    assert_eq!(event["limited_by"], "sunset");
    assert_eq!(event["overrides"], json!(["after_last_dispatch", "short_time"]));

    // After sunset less the margin no override sends a team.
    c.app.state.clock.advance(chrono::Duration::minutes(50));
    let other = volunteer(&c, 2, "enrolled", true).await;
    need(&c, 2).await;
    let after_dark = json!({ "need_no": "N-0002", "member_ids": [other], "override_last_dispatch": true, "override_short_time": true });
    let dark = refused(send(&c, after_dark).await, 409, "no_time_left").await;
    assert_eq!(dark["error"]["details"]["limited_by"], "sunset");
    assert_eq!(team_count(&c).await, 1);

    // A center working under lights turns the rule off: the last-return time still holds.
    change_settings(&c, json!({ "end_before_sunset": false })).await;
    let lit = json!({ "need_no": "N-0002", "member_ids": [other], "override_last_dispatch": true });
    let team = body(send(&c, lit).await).await;
    assert_eq!(team["return_by"], "2026-11-30T18:00:00+09:00", "{team}");
    assert_eq!(dispatched(&c).await["limited_by"], "last_return");
}

#[tokio::test]
async fn the_last_return_time_caps_the_deadline_and_a_short_day_needs_an_override() {
    let c = center_at(SUMMER_MORNING).await;
    change_settings(&c, json!({ "last_return": "11:30" })).await;
    let ids = [volunteer(&c, 1, "enrolled", true).await, volunteer(&c, 2, "enrolled", true).await];
    need(&c, 1).await;
    need(&c, 2).await;

    let team = body(send(&c, json!({ "need_no": "N-0001", "member_ids": [ids[0]] })).await).await;
    assert_eq!(team["return_by"], "2026-07-12T11:30:00+09:00", "not the heat rule's 12:00");
    assert_eq!(dispatched(&c).await["limited_by"], "last_return");
    assert_eq!(dispatched(&c).await.get("overrides"), None, "no override used");

    // A deadline given by hand is capped too.
    c.app.state.clock.advance(chrono::Duration::minutes(105));
    let near = json!({ "need_no": "N-0002", "member_ids": [ids[1]], "return_by": "13:00" });
    let short = refused(send(&c, near).await, 409, "short_working_time").await;
    assert_eq!(short["error"]["details"]["limited_by"], "last_return");
    assert_eq!(short["error"]["details"]["minutes"], 45);
    let overridden =
        json!({ "need_no": "N-0002", "member_ids": [ids[1]], "return_by": "13:00", "override_short_time": true });
    let team = body(send(&c, overridden).await).await;
    assert_eq!(team["return_by"], "2026-07-12T11:30:00+09:00");
    assert_eq!(dispatched(&c).await["overrides"], json!(["short_time"]));
}

#[tokio::test]
async fn each_wbgt_band_shortens_the_time_out() {
    let c = center_at(SUMMER_MORNING).await;
    let mut deadlines = Vec::new();
    for (i, wbgt) in [24.0, 26.0, 29.0, 31.5].into_iter().enumerate() {
        record_wbgt(&c.coordinator, wbgt).await;
        let id = volunteer(&c, i, "enrolled", true).await;
        need(&c, i + 1).await;
        let response = send(&c, json!({ "need_no": format!("N-{:04}", i + 1), "member_ids": [id] })).await;
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
        let team = body(response).await;
        let event = dispatched(&c).await;
        deadlines.push((
            team["return_by"].as_str().unwrap()[11..16].to_string(),
            event["limited_by"].clone(),
            event["heat_band"].clone(),
        ));
    }
    assert_eq!(
        deadlines,
        [
            ("12:00".to_string(), json!("heat_rule"), Value::Null),
            ("12:00".to_string(), json!("heat_rule"), json!("警戒")),
            ("11:00".to_string(), json!("heat_band"), json!("厳重警戒")),
            ("10:00".to_string(), json!("heat_band"), json!("危険")),
        ]
    );
    // 危険 leaves 60 minutes: the minimum. A band whose longest time out is shorter needs the override.
    change_settings(&c, json!({ "min_working_minutes": 90 })).await;
    let id = volunteer(&c, 9, "enrolled", true).await;
    need(&c, 9).await;
    let short =
        refused(send(&c, json!({ "need_no": "N-0005", "member_ids": [id] })).await, 409, "short_working_time").await;
    assert_eq!(short["error"]["details"]["limited_by"], "heat_band");
}

#[tokio::test]
async fn a_dangerous_reading_prompts_a_suspension_the_coordinator_declines_or_confirms() {
    let c = center_at(SUMMER_MORNING).await;
    let mut board = connect_board(&c.app, &c.coordinator, c.app.last_seq().await).await;
    let bad = c.coordinator.post("/api/safety/wbgt", &json!({ "wbgt": "暑い" })).await;
    assert_eq!(bad.status(), 422);
    let bad = c.coordinator.post("/api/safety/wbgt", &json!({ "wbgt": 80 })).await;
    assert_eq!(body(bad).await["error"]["field"], "wbgt");
    assert_eq!(c.desk.post("/api/safety/wbgt", &json!({ "wbgt": 30 })).await.status(), 403, "coordinators enter it");

    let now = record_wbgt(&c.coordinator, 31.5).await;
    assert_eq!(now["wbgt"]["band"]["name"], "危険");
    let alerts = now["alerts"].as_array().unwrap();
    assert_eq!(alerts.len(), 1, "{now}");
    assert_eq!((alerts[0]["kind"].as_str(), alerts[0]["note"].as_str()), (Some("heat"), Some("31.5（危険）")));
    let mut kinds = Vec::new();
    while let Some(event) = next_event(&mut board, Duration::from_secs(2)).await {
        kinds.push(event["kind"].as_str().unwrap().to_string());
        if kinds.len() == 2 {
            break;
        }
    }
    assert_eq!(kinds, ["alert.raised", "wbgt.recorded"]);
    // One prompt at a time: a second reading in the band asks nothing more.
    assert_eq!(record_wbgt(&c.coordinator, 32.0).await["alerts"].as_array().unwrap().len(), 1);

    // Carrying on needs a reason.
    let decide = format!("/api/safety/alerts/{}/decision", alerts[0]["id"]);
    let no_reason = c.coordinator.post(&decide, &json!({ "decision": "continue" })).await;
    assert_eq!(no_reason.status(), 422);
    assert_eq!(body(no_reason).await["error"]["field"], "reason");
    let declined =
        c.coordinator.post(&decide, &json!({ "decision": "continue", "reason": "日陰の屋内作業のみ" })).await;
    assert_eq!(declined.status(), 200);
    assert_eq!(body(declined).await["decision"], "continue");
    assert_eq!(body(c.coordinator.get("/api/center").await).await["suspended"], false);
    refused(c.coordinator.post(&decide, &json!({ "decision": "suspend" })).await, 409, "already_decided").await;

    // A thunder warning asks again; this time the coordinator suspends.
    let bad_kind = c.coordinator.post("/api/safety/alerts", &json!({ "kind": "snow" })).await;
    assert_eq!(body(bad_kind).await["error"]["field"], "kind");
    let raised = c.coordinator.post("/api/safety/alerts", &json!({ "kind": "thunder", "note": "雷注意報" })).await;
    assert_eq!(raised.status(), 201);
    let thunder = body(raised).await;
    let confirmed = c
        .coordinator
        .post(&format!("/api/safety/alerts/{}/decision", thunder["id"]), &json!({ "decision": "suspend" }))
        .await;
    assert_eq!(confirmed.status(), 200);
    let center = body(c.coordinator.get("/api/center").await).await;
    assert_eq!(center["suspended"], true);
    assert_eq!(center["reason"], "雷 雷注意報");
    let decisions: Vec<(String, String)> = sqlx::query_as(
        "SELECT kind, json_extract(data, '$.decision') FROM events WHERE kind IN ('alert.decided', 'center.suspended') ORDER BY seq",
    )
    .fetch_all(&c.app.state.db.read)
    .await
    .unwrap()
    .into_iter()
    .map(|(kind, decision): (String, Option<String>)| (kind, decision.unwrap_or_default()))
    .collect();
    assert_eq!(
        decisions,
        [
            ("alert.decided".to_string(), "continue".to_string()),
            ("alert.decided".to_string(), "suspend".to_string()),
            ("center.suspended".to_string(), String::new()),
        ]
    );
    assert!(body(c.coordinator.get("/api/safety").await).await["alerts"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_team_out_is_reminded_to_rest_at_each_cycle() {
    let c = center_at(SUMMER_MORNING).await;
    record_wbgt(&c.coordinator, 29.0).await; // 厳重警戒: 20 min work, 10 min rest
    let id = volunteer(&c, 1, "enrolled", true).await;
    need(&c, 1).await;
    assert_eq!(send(&c, json!({ "need_no": "N-0001", "member_ids": [id] })).await.status(), 201);
    let mut seen = Vec::new();
    for minutes in [0, 20, 10, 15, 5] {
        c.app.state.clock.advance(chrono::Duration::minutes(minutes));
        let now = body(c.coordinator.get("/api/safety").await).await;
        let rest = &now["rest"][0];
        assert_eq!(rest["team_no"], "T-001", "{now}");
        seen.push((rest["resting"].as_bool().unwrap(), rest["rest_from"].as_str().unwrap()[11..16].to_string()));
    }
    let expected = [(false, "09:20"), (true, "09:20"), (false, "09:50"), (false, "09:50"), (true, "09:50")];
    assert_eq!(seen, expected.map(|(resting, from)| (resting, from.to_string())));
}

#[tokio::test]
async fn the_sheet_prints_the_rest_cycle_and_the_centers_phone() {
    let c = center_at(SUMMER_MORNING).await;
    change_settings(&c, json!({ "center_name": "輪島市災害ボランティアセンター", "center_phone": "0768-22-0000" }))
        .await;
    record_wbgt(&c.coordinator, 28.4).await;
    let id = volunteer(&c, 1, "enrolled", true).await;
    need(&c, 1).await;
    let team = body(send(&c, json!({ "need_no": "N-0001", "member_ids": [id] })).await).await;
    // A later reading does not change the paper the team took.
    c.app.state.clock.advance(chrono::Duration::minutes(1));
    record_wbgt(&c.coordinator, 33.0).await;
    let response = c.coordinator.get(&format!("/api/teams/{}/sheet.pdf", team["id"])).await;
    assert_eq!(response.status(), 200);
    let text = pdf_extract::extract_text_from_mem(&response.bytes().await.unwrap()).unwrap();
    let flat: String = text.split_whitespace().collect();
    for expected in [
        "輪島市災害ボランティアセンター",
        "0768-22-0000",
        "暑さ指数28.4（厳重警戒）：作業20分ごとに休憩10分",
        "作業20分・休憩10分と水分補給",
        "帰着期限11:00",
    ] {
        assert!(flat.contains(expected), "{expected:?} not in {flat}");
    }
    assert!(!flat.contains("33.0"), "{flat}");
}

#[tokio::test]
async fn the_daily_report_lists_readings_warnings_and_decisions() {
    let c = center_at(SUMMER_MORNING).await;
    record_wbgt(&c.coordinator, 27.2).await;
    c.app.state.clock.advance(chrono::Duration::minutes(60));
    let now = record_wbgt(&c.coordinator, 31.2).await;
    let prompt = &now["alerts"][0]["id"];
    c.app.state.clock.advance(chrono::Duration::minutes(5));
    let decided = c
        .coordinator
        .post(
            &format!("/api/safety/alerts/{prompt}/decision"),
            &json!({ "decision": "suspend", "reason": "熱中症の恐れ" }),
        )
        .await;
    assert_eq!(decided.status(), 200);
    let raised = c.coordinator.post("/api/safety/alerts", &json!({ "kind": "heavy_rain", "note": "大雨警報" })).await;
    let rain = body(raised).await;
    let declined = c
        .coordinator
        .post(
            &format!("/api/safety/alerts/{}/decision", rain["id"]),
            &json!({ "decision": "continue", "reason": "すでに中止中" }),
        )
        .await;
    assert_eq!(declined.status(), 200);

    let report = body(c.coordinator.get("/api/reports/daily?date=2026-07-12").await).await;
    let safety = &report["safety"];
    assert_eq!((safety["readings"].as_i64(), safety["highest_wbgt"].as_f64()), (Some(2), Some(31.2)), "{safety}");
    assert_eq!((safety["alerts"].as_i64(), safety["suspensions"].as_i64()), (Some(2), Some(1)));
    let entries: Vec<String> = safety["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{} {}", e["at"].as_str().unwrap(), e["text"].as_str().unwrap()))
        .collect();
    assert_eq!(
        entries,
        [
            "09:00 暑さ指数 27.2（警戒）",
            "10:00 警報：暑さ指数 31.2（危険）",
            "10:00 暑さ指数 31.2（危険）",
            "10:05 判断：活動中止（暑さ指数）熱中症の恐れ",
            "10:05 警報：大雨 大雨警報",
            "10:05 判断：活動継続（大雨）理由：すでに中止中",
        ]
    );
    let pdf = c.coordinator.get("/api/reports/daily.pdf?date=2026-07-12").await;
    assert_eq!(pdf.status(), 200);
    let text = pdf_extract::extract_text_from_mem(&pdf.bytes().await.unwrap()).unwrap();
    let flat: String = text.split_whitespace().collect();
    for expected in
        ["安全管理（暑さ指数・警報と判断）", "暑さ指数27.2（警戒）", "判断：活動継続（大雨）理由：すでに中止中"]
    {
        assert!(flat.contains(expected), "{expected:?} not in {flat}");
    }
    let csv = c.coordinator.get("/api/reports/daily.csv?date=2026-07-12").await.text().await.unwrap();
    assert!(csv.contains("安全管理（暑さ指数・警報）,暑さ指数の最高,31.2,"), "{csv}");
    assert!(csv.contains("10:05 判断：活動中止（暑さ指数）熱中症の恐れ"), "{csv}");
    // A day without any keeps the report as it was.
    let other = body(c.coordinator.get("/api/reports/daily?date=2026-07-11").await).await;
    assert_eq!(other.get("safety"), None);
}

#[tokio::test]
async fn the_board_takes_a_reading_asks_to_suspend_and_reminds_a_team_to_rest() {
    let Some(mut browser) = crate::browser::Browser::launch().await else { return };
    let c = center_at(SUMMER_MORNING).await;
    let id = volunteer(&c, 1, "enrolled", true).await;
    need(&c, 1).await;
    browser.log_in(&c.app, "coordinator", DEMO_PASSWORD).await;
    browser.goto(&c.app.url("/board")).await;
    browser.wait_for("document.getElementById('wbgt-now').textContent.includes('未入力')").await;

    // A reading typed on the board: out of range first, then 31.5 (危険) opens a prompt.
    let enter = |value: &str| {
        format!(
            "(() => {{ const f = document.getElementById('wbgt-form'); f.elements.wbgt.value = '{value}'; f.requestSubmit(); return true; }})()"
        )
    };
    browser.eval(&enter("50")).await;
    browser.wait_for("!document.getElementById('safety-error').hidden && document.getElementById('safety-error').textContent.includes('0〜45')").await;
    browser.eval(&enter("31.5")).await;
    browser.wait_for("document.getElementById('wbgt-now').textContent.includes('31.5（危険')").await;
    browser.wait_for("document.getElementById('wbgt-now').textContent.includes('作業15分・休憩15分')").await;
    browser.wait_for("document.querySelector('#safety-prompts li[data-alert]') !== null").await;

    // Carrying on without a reason is refused on the page; with one the prompt closes.
    browser.eval("document.querySelector('#safety-prompts button[data-decision=continue]').click()").await;
    browser.wait_for("document.getElementById('safety-error').textContent.includes('理由')").await;
    browser
        .eval("(() => { document.querySelector('#safety-prompts input[name=reason]').value = '屋内作業のみ'; document.querySelector('#safety-prompts button[data-decision=continue]').click(); return true; })()")
        .await;
    browser.wait_for("document.querySelector('#safety-prompts li') === null").await;
    browser.wait_for("document.getElementById('feed').textContent.includes('屋内作業のみ')").await;

    // A team out: its rest comes round with the clock.
    assert_eq!(send(&c, json!({ "need_no": "N-0001", "member_ids": [id] })).await.status(), 201);
    browser.wait_for("document.querySelector('#rest-reminders li[data-team=\"T-001\"]') !== null").await;
    c.app.state.clock.advance(chrono::Duration::minutes(16));
    c.app.state.clock.advance(chrono::Duration::seconds(1));
    // The next team event makes the panel read again (it also does every 30 s).
    c.coordinator.post("/api/safety/alerts", &json!({ "kind": "thunder", "note": "雷注意報" })).await;
    browser.wait_for("document.querySelector('#rest-reminders li.rest-now') !== null").await;
    browser.wait_for("document.getElementById('rest-reminders').textContent.includes('T-001 休憩の時間です')").await;

    // The warning's prompt, confirmed on the board: 活動中止.
    browser.wait_for("document.querySelector('#safety-prompts button[data-decision=suspend]') !== null").await;
    browser.eval("document.querySelector('#safety-prompts button[data-decision=suspend]').click()").await;
    browser.wait_for("!document.getElementById('suspended').hidden").await;
    browser.wait_for("document.getElementById('suspended-reason').textContent.includes('雷注意報')").await;
    browser.screenshot("board-safety.png").await;
}

#[tokio::test]
async fn the_matching_desk_asks_before_a_late_dispatch_and_sends_it_on_the_coordinators_word() {
    let Some(mut browser) = crate::browser::Browser::launch().await else { return };
    let c = center_at(NOVEMBER_AFTERNOON).await;
    volunteer(&c, 1, "enrolled", true).await;
    need(&c, 1).await;
    browser.log_in(&c.app, "coordinator", DEMO_PASSWORD).await;
    browser.goto(&c.app.url("/matching")).await;
    browser.wait_for("document.querySelectorAll('#pool button').length === 1").await;
    let scanned = "(code => { const i = document.getElementById('scan'); i.value = code; i.form.requestSubmit(); })";

    // The coordinator says no: nothing is sent, the reason stays on the page.
    browser.eval("window.asked = []; window.confirm = m => { window.asked.push(m); return false; }").await;
    // Each scan is answered by the server before the next is typed, as at a real desk.
    browser.eval(&format!("{scanned}({})", json!("N-0001"))).await;
    browser
        .wait_for("document.querySelector('#needs button[data-need=\"N-0001\"]').classList.contains('chosen')")
        .await;
    browser.eval(&format!("{scanned}({})", json!("V-0001"))).await;
    browser.wait_for("document.getElementById('scan-result').textContent.includes('V-0001')").await;
    browser.eval(&format!("{scanned}({})", json!(""))).await;
    browser.wait_for("!document.getElementById('team-error').hidden").await;
    let asked = browser.eval("window.asked.join('|')").await;
    let shown = browser.eval("document.getElementById('team-error').textContent").await;
    assert!(asked.as_str().unwrap().contains("最終送り出し時刻（14:00）"), "{asked} {shown}");
    assert!(
        browser.eval("document.getElementById('team-error').textContent").await.as_str().unwrap().contains("14:00")
    );
    assert_eq!(team_count(&c).await, 0);

    // Then yes, twice (past the last dispatch; less than the minimum before dark): sent, and logged.
    browser.eval("window.asked = []; window.confirm = m => { window.asked.push(m); return true; }").await;
    browser.eval("document.getElementById('dispatch').click()").await;
    browser.wait_for("!document.getElementById('dispatched').hidden").await;
    assert_eq!(browser.eval("window.asked.length").await, 2);
    assert_eq!(dispatched(&c).await["overrides"], json!(["after_last_dispatch", "short_time"]));
}

//! Issue 16 §1: the script never reaches a player. On a live drill server whose
//! scenario has a hidden inject, an expected action with an `on_miss` hint, an
//! objective with a target, an inject still to come and a comment only the file
//! holds, every GET route of the served OpenAPI document, the drill's commands
//! and `/ws/board?since=0` are walked as each player role (admin, coordinator,
//! reception) before anything fires and again after the hidden inject fired, the
//! expectation was missed, and the trainer rated and observed. Not one byte of
//! the controller's material may come back; the trainer and the evaluator do get
//! it (so the walk can fail), and the players still get their own messages.
//! Also §7: the drill clock in the players' banner.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::browser::Browser;
use crate::helpers::{ADMIN_PASSWORD, Session, TestApp, spawn_app_at};

const PASSWORD: &str = "leak-pass-2026";
const START: &str = "2026-07-12T08:00:00+09:00";

/// Each marker sits in one piece of the controller's material, and nowhere else.
const COMMENT: &str = "LEAK-COMMENT-K1";
const OBJECTIVE: &str = "LEAK-OBJECTIVE-K2";
const TARGET: &str = "LEAK-TARGET-K3";
const EXPECTED: &str = "LEAK-EXPECT-K4";
const HINT: &str = "LEAK-HINT-K5";
const HIDDEN: &str = "LEAK-HIDDEN-K6";
const FUTURE: &str = "LEAK-FUTURE-K7";
const FUTURE_PAYLOAD: &str = "LEAK-FUTURE-K8";
const OBSERVATION: &str = "LEAK-OBSERVATION-K9";
const PLAN: &str = "LEAK-PLAN-K10";

const SCENARIO: &str = r#"
# LEAK-COMMENT-K1: a note for the controller, in the file only
id = "leak-drill"
title = "漏えい確認訓練"
hazard = "大雨"
phase_label = "発災2日後"
narrative = "参加者に最初に伝える状況：朝から晴れ。"
sim_start = "2026-07-12T08:00:00+09:00"
duration = "3h"
speed = 4

[seed]
items = [{ name = "一輪車", stock = 4 }]

[[objectives]]
id = "O1"
text = "LEAK-OBJECTIVE-K2 到着したボランティアを受け付ける"
target = "LEAK-TARGET-K3 10分以内に全員"

[[injects]]
id = 1
at = "+00:05"
kind = "volunteer_arrival"
to = "reception"
message = "ボランティア6人が到着しました"
expect = { text = "LEAK-EXPECT-K4 全員を受け付ける", within = "10m", objective = "O1", detect = { all_checked_in = { inject = 1 } } }
on_miss = { hint = "LEAK-HINT-K5 受付班に列の整理を促してください", inject = 901 }
payload = { count = 6 }

[[injects]]
id = 2
at = "+00:10"
kind = "situation_update"
to = "all"
hidden = true
message = "LEAK-HIDDEN-K6 コントローラーへ：11:30 に大雨警報を出す"

[[injects]]
id = 3
at = "+02:30"
kind = "inquiry"
to = "all"
message = "LEAK-FUTURE-K7 報道からの問い合わせ"
payload = { caller = "報道", question = "LEAK-FUTURE-K8 取材したい" }

[[injects]]
id = 901
kind = "situation_update"
to = "reception"
message = "本部から：受付の列が長くなっています"
"#;

struct Drill {
    app: TestApp,
    trainer: Session,
    evaluator: Session,
    players: Vec<(&'static str, Session)>,
    _scenario: tempfile::TempDir,
}

async fn drill() -> Drill {
    let scenario = tempfile::tempdir().unwrap();
    let file = scenario.path().join("leak-drill.toml");
    std::fs::write(&file, SCENARIO).unwrap();
    let app = spawn_app_at(START, move |c| {
        c.drill = Some(file);
        c.demo_password = Some(PASSWORD.into());
    })
    .await;
    let trainer = app.client_for("trainer", PASSWORD).await;
    let evaluator = app.client_for("evaluator", PASSWORD).await;
    let players = vec![
        ("admin", app.client_for("admin", ADMIN_PASSWORD).await),
        ("coordinator", app.client_for("coordinator", PASSWORD).await),
        ("reception", app.client_for("reception", PASSWORD).await),
    ];
    Drill { app, trainer, evaluator, players, _scenario: scenario }
}

impl Drill {
    async fn advance(&self, minutes: i64) {
        self.app.state.clock.advance(chrono::Duration::minutes(minutes));
        self.app.state.drill.as_ref().unwrap().step().await.unwrap();
    }
}

/// The markers of material a player must not see yet (`fired`: the hidden
/// inject fired and the expectation was missed, so those are in the log now).
fn secrets() -> Vec<&'static str> {
    vec![
        COMMENT,
        OBJECTIVE,
        TARGET,
        EXPECTED,
        HINT,
        HIDDEN,
        FUTURE,
        FUTURE_PAYLOAD,
        OBSERVATION,
        PLAN,
        "\"rating\":\"M\"",
    ]
}

fn leaks(text: &str) -> Vec<&'static str> {
    secrets().into_iter().filter(|s| text.contains(s)).collect()
}

/// Every GET route of the served document, its path parameters filled with
/// values that name something in this drill where they can.
fn get_routes(doc: &Value) -> Vec<String> {
    let mut routes = Vec::new();
    for (template, item) in doc["paths"].as_object().unwrap() {
        if item.get("get").is_none() {
            continue;
        }
        let filled: Vec<String> = template
            .split('/')
            .map(|segment| match segment {
                "{day}" | "{date}" => "2026-07-12".to_string(),
                "{token}" => "no-such-token".to_string(),
                s if s.starts_with('{') => "1".to_string(),
                s => s.to_string(),
            })
            .collect();
        routes.push(filled.join("/"));
    }
    // Query forms that answer more than the bare route.
    routes.extend(["/api/drill/inbox?since=0".to_string(), "/api/needs?status=received".to_string()]);
    routes
}

/// The body as text: a PDF's text extracted (its streams are compressed), else the bytes.
async fn body_text(response: reqwest::Response) -> String {
    let pdf =
        response.headers().get("content-type").is_some_and(|t| t.to_str().unwrap().starts_with("application/pdf"));
    let bytes = response.bytes().await.unwrap();
    if pdf {
        let text = pdf_extract::extract_text_from_mem(&bytes).unwrap_or_default();
        return text.chars().filter(|c| !c.is_whitespace()).collect();
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Everything `/ws/board?since=0` sends this session until it falls quiet;
/// `None` when the socket is refused.
async fn board_stream(app: &TestApp, session: &Session) -> Option<String> {
    let mut request = format!("ws://{}/ws/board?since=0", app.addr).into_client_request().unwrap();
    request.headers_mut().insert("cookie", session.cookie().parse().unwrap());
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.ok()?;
    let mut all = String::new();
    while let Some(event) = crate::helpers::next_event(&mut socket, Duration::from_millis(1500)).await {
        all.push_str(&event.to_string());
        all.push('\n');
    }
    Some(all)
}

/// Walks every route as every player; returns how many answers were read.
async fn walk_as_players(d: &Drill, when: &str) -> usize {
    let doc: Value = d.trainer.get("/api/openapi.json").await.json().await.unwrap();
    let routes = get_routes(&doc);
    assert!(routes.len() > 40, "the document lists the API: {}", routes.len());
    let mut read = 0;
    for (role, session) in &d.players {
        for route in &routes {
            let response = session.get(route).await;
            let status = response.status();
            let text = body_text(response).await;
            assert!(leaks(&text).is_empty(), "{when}: {role} GET {route} ({status}) shows {:?}", leaks(&text));
            read += 1;
        }
        for command in ["start", "pause", "resume", "speed", "injects/2/fire", "injects/3/skip", "ratings", "plan"] {
            let response = session.post(&format!("/api/drill/{command}"), &json!({})).await;
            let status = response.status();
            let text = body_text(response).await;
            assert!(
                leaks(&text).is_empty(),
                "{when}: {role} POST /api/drill/{command} ({status}) shows {:?}",
                leaks(&text)
            );
            assert!(status.is_client_error(), "{when}: {role} may not steer the drill: {command} {status}");
        }
        for page in ["/drill", "/drill/aar"] {
            let response = session.get(page).await;
            let status = response.status();
            assert!(leaks(&body_text(response).await).is_empty(), "{when}: {role} {page}");
            assert_eq!(status, StatusCode::FORBIDDEN, "{when}: {role} {page} is the controller's page");
        }
        match board_stream(&d.app, session).await {
            Some(stream) => {
                assert!(stream.contains("\"seq\""), "{when}: {role} follows the board");
                assert!(leaks(&stream).is_empty(), "{when}: {role} /ws/board?since=0 shows {:?}", leaks(&stream));
            }
            None => assert_eq!(*role, "reception", "only the desk has no board"),
        }
    }
    read
}

#[tokio::test]
async fn no_player_role_sees_a_byte_of_the_controllers_material_on_any_route() {
    let d = drill().await;
    assert_eq!(d.trainer.post("/api/drill/start", &json!({})).await.status(), 200);
    assert!(walk_as_players(&d, "started").await > 100);

    // The arrival (+5), the hidden inject (+10), the expectation missed at +15:
    // its hint is logged and the contingency 901 goes to reception.
    d.advance(6).await;
    d.advance(5).await;
    d.advance(6).await;
    d.trainer
        .post("/api/drill/observations", &json!({ "objective": "O1", "text": format!("{OBSERVATION} 列が長い") }))
        .await;
    d.trainer.post("/api/drill/ratings", &json!({ "objective": "O1", "rating": "M" })).await;
    let plan =
        json!({ "issue": format!("{PLAN} 受付の滞留"), "action": "窓口を増やす", "owner": "受付班長", "due": "次回" });
    assert_eq!(d.trainer.post("/api/drill/plan", &plan).await.status(), 200);

    // The material is in the log (what the board follows), and the controllers see it.
    let log: String =
        d.app.state.drill.as_ref().unwrap().events().await.unwrap().iter().map(|e| e.data.to_string()).collect();
    for marker in [COMMENT, HIDDEN, HINT, OBSERVATION] {
        assert!(log.contains(marker), "the log holds {marker}");
    }
    for (who, controller) in [("trainer", &d.trainer), ("evaluator", &d.evaluator)] {
        let console = controller.get("/api/drill").await.text().await.unwrap();
        for marker in [OBJECTIVE, TARGET, EXPECTED, HINT, HIDDEN, FUTURE, OBSERVATION, PLAN, "\"rating\":\"M\""] {
            assert!(console.contains(marker), "{who} sees {marker} on the console");
        }
    }
    let aar = d.evaluator.get("/api/drill/aar.json").await;
    assert_eq!(aar.status(), 200, "the evaluator reads the AAR");
    let aar = aar.text().await.unwrap();
    assert!(aar.contains(EXPECTED) && aar.contains(OBSERVATION), "{aar}");

    // The players get what reaches them in reality: the messages addressed to them, once fired.
    let desk: Value = d.players[2].1.get("/api/drill/inbox?since=0").await.json().await.unwrap();
    let said: Vec<&str> = desk["messages"].as_array().unwrap().iter().map(|m| m["message"].as_str().unwrap()).collect();
    assert_eq!(said, ["ボランティア6人が到着しました", "本部から：受付の列が長くなっています"], "{desk}");
    let board = board_stream(&d.app, &d.players[1].1).await.unwrap();
    let events: Vec<Value> = board.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let started = events.iter().find(|e| e["kind"] == "drill.started").expect("the start reaches the board");
    assert_eq!(
        (started["data"]["title"].as_str(), started["data"]["scenario"].as_str()),
        (Some("漏えい確認訓練"), Some(""))
    );
    let fired: Vec<u64> = events
        .iter()
        .filter(|e| e["kind"] == "drill.inject_fired")
        .map(|e| e["data"]["inject"].as_u64().unwrap())
        .collect();
    assert_eq!(fired, [1, 901], "the arrival and the contingency; the hidden inject withheld");
    assert!(events.iter().all(|e| e["kind"] != "drill.expect_missed" && e["kind"] != "drill.rated"));
    let player = d.players[1].1.get("/api/drill").await.json::<Value>().await.unwrap();
    assert_eq!((player["injects"].clone(), player["objectives"].clone()), (json!([]), json!([])));
    assert_eq!(player["now"], "2026-07-12T08:17:00+09:00", "players keep the clock");

    walk_as_players(&d, "after the hidden inject and the miss").await;
}

/// §7: the drill's time in the players' banner, rendered with the page and
/// moved on by the page's script; none on a live server.
#[tokio::test]
async fn the_players_banner_shows_the_drill_clock_on_every_desk() {
    let d = drill().await;
    d.trainer.post("/api/drill/start", &json!({})).await;
    d.advance(35).await;
    let coordinator = &d.players[1].1;
    for page in ["/board", "/needs", "/matching", "/inventory", "/reception", "/"] {
        let html = coordinator.get(page).await.text().await.unwrap();
        assert!(
            html.contains(
                "<time id=\"drill-banner-clock\" datetime=\"2026-07-12T08:35:00+09:00\" data-speed=\"0\">08:35</time>"
            ),
            "{page}: {html}"
        );
        assert!(html.contains("訓練時刻"), "{page}");
    }
    let desk = d.players[2].1.get("/reception").await.text().await.unwrap();
    assert!(desk.contains(">08:35</time>"), "reception's desk");

    let live = crate::helpers::spawn_app().await;
    let html = live.admin().await.get("/board").await.text().await.unwrap();
    assert!(!html.contains("drill-banner-clock"), "no drill, no drill clock");

    let Some(mut browser) = Browser::launch().await else { return };
    browser.log_in(&d.app, "coordinator", PASSWORD).await;
    for page in ["/board", "/needs", "/matching"] {
        browser.goto(&d.app.url(page)).await;
        browser.wait_for("document.getElementById('drill-banner-clock').textContent === '08:35'").await;
        let shown = browser.eval("getComputedStyle(document.getElementById('drill-banner-clock')).display").await;
        assert_ne!(shown, "none", "{page}: the clock is visible");
    }
    // The drill moves on: the open page follows it from GET /api/drill (it looks every 10 s).
    d.advance(20).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(25);
    while browser.eval("document.getElementById('drill-banner-clock').textContent").await != "08:55" {
        assert!(std::time::Instant::now() < deadline, "the banner follows the drill clock");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    browser.screenshot("drill-banner-clock.png").await;
}

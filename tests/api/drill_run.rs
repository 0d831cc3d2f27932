//! A drill server (`serve --drill`): its own database file, the trainer's
//! controls, the trainees' inbox and call slips, and the live file untouched.

use std::path::{Path, PathBuf};

use chrono::Duration;
use serde_json::{Value, json};

use futures_util::StreamExt;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::helpers::{Session, TestApp, next_event, spawn_app_at, spawn_app_with};

pub const PASSWORD: &str = "drill-pass-2026";
const START: &str = "2026-07-12T08:00:00+09:00";

pub const SCENARIO: &str = r#"
id = "test-drill"
title = "テスト訓練 — 受付と電話"
hazard = "大雨"
phase_label = "発災3日後"
sim_start = "2026-07-12T08:00:00+09:00"
duration = "2h"
speed = 4

[seed]
items = [{ name = "一輪車", stock = 4 }, { name = "剣スコップ", stock = 20 }]

[[objectives]]
id = "O1"
text = "到着したボランティアを30分以内に受け付ける"

[[injects]]
id = 1
at = "+00:05"
kind = "volunteer_arrival"
to = "reception"
payload = { count = 6, uninsured = 1 }
expect = { text = "全員受付", within = "30m", objective = "O1", detect = { all_checked_in = { inject = 1 } } }

[[injects]]
id = 2
at = "+00:10"
kind = "household_request"
to = "needs"
payload = { name = "山田 花子", furigana = "ヤマダ ハナコ", phone = "076-222-3333", address = "金沢市片町1-1", zone = "片町", categories = ["泥出し"], people = 3 }
expect = { text = "ニーズ受付票の作成", within = "15m", detect = { need_received = { inject = 2 } } }

[[injects]]
id = 3
at = "+00:20"
kind = "inquiry"
to = "all"
hidden = true
message = "統制官メモ: 報道から取材の申し込み"
payload = { caller = "報道", question = "取材したい" }

[[injects]]
id = 4
after = { inject = 2, delay = "15m" }
kind = "situation_update"
to = "all"
message = "雨が弱まってきました"

[[injects]]
id = 5
at = "+01:00"
kind = "ict_outage"
to = "reception"
payload = { device = "受付タブレット2", minutes = 5 }
"#;

pub struct Drill {
    pub app: TestApp,
    pub trainer: Session,
    pub coordinator: Session,
    pub reception: Session,
    _scenario: tempfile::TempDir,
}

fn scenario_file(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("test-drill.toml");
    std::fs::write(&file, text).unwrap();
    (dir, file)
}

pub async fn drill_in(data: Option<&Path>) -> Drill {
    let (scenario, file) = scenario_file(SCENARIO);
    let data = data.map(Path::to_path_buf);
    let app = spawn_app_at(START, move |c| {
        c.drill = Some(file);
        c.demo_password = Some(PASSWORD.into());
        if let Some(data) = data {
            c.data_dir = data;
        }
    })
    .await;
    let trainer = app.client_for("trainer", PASSWORD).await;
    let coordinator = app.client_for("coordinator", PASSWORD).await;
    let reception = app.client_for("reception", PASSWORD).await;
    Drill { app, trainer, coordinator, reception, _scenario: scenario }
}

impl Drill {
    /// Moves drill time on and lets the run take its step (as its ticker would).
    async fn advance(&self, minutes: i64) {
        self.app.state.clock.advance(Duration::minutes(minutes));
        self.app.state.drill.as_ref().unwrap().step().await.unwrap();
    }

    pub async fn status(&self, who: &Session) -> Value {
        let response = who.get("/api/drill").await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }
}

fn inject(status: &Value, id: u64) -> &Value {
    status["injects"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap()
}

async fn post(who: &Session, path: &str, body: Value) -> (u16, Value) {
    let response = who.post(path, &body).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let meta = std::fs::metadata(&path).unwrap();
            found.push((path.clone(), std::fs::read(&path).unwrap(), meta.modified().unwrap()));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

#[tokio::test]
async fn a_drill_runs_on_its_own_database_file_and_never_writes_the_live_one() {
    // A live center that has data, then shut down.
    let mut live = spawn_app_with(|c| c.demo = true).await;
    live.admin().await;
    live.stop().await;
    let data = live.dir.path().to_path_buf();
    let before = files_under(&data);
    assert!(before.iter().any(|(p, bytes, _)| p.ends_with("borasen.sqlite") && !bytes.is_empty()));

    let mut drill = drill_in(Some(&data)).await;
    let (code, _) = post(&drill.trainer, "/api/drill/start", json!({})).await;
    assert_eq!(code, 200);
    drill.advance(6).await;
    let id = drill
        .app
        .state
        .drill
        .as_ref()
        .unwrap()
        .events()
        .await
        .unwrap()
        .iter()
        .find_map(|e| (e.kind == "drill.inject_fired").then(|| e.data["volunteer_ids"][0].as_i64()).flatten());
    let (code, _) =
        post(&drill.reception, "/api/checkins", json!({ "volunteer_id": id.unwrap(), "health_ok": true })).await;
    assert_eq!(code, 201);
    let (code, _) = post(&drill.trainer, "/api/drill/stop", json!({})).await;
    assert_eq!(code, 200);
    drill.app.stop().await;

    assert_eq!(files_under(&data), before, "the live folder's files: same bytes, same modification times");
    let drill_files: Vec<PathBuf> = std::fs::read_dir(data.join("drills"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "sqlite"))
        .collect();
    assert_eq!(drill_files.len(), 1, "{drill_files:?}");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", drill_files[0].display())).await.unwrap();
    let (all, drill_marked): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), COALESCE(SUM(drill), 0) FROM events").fetch_one(&pool).await.unwrap();
    assert!(all > 20, "seeding, the arrival, the check-in: {all}");
    assert_eq!(all, drill_marked, "every event of a drill carries drill = 1");
    let checked_in: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE kind = 'volunteer.checked_in'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(checked_in, 1);
}

#[tokio::test]
async fn the_trainer_steers_the_drill_and_trainees_see_only_the_clock() {
    let d = drill_in(None).await;
    let status = d.status(&d.trainer).await;
    assert_eq!(status["drill"], true);
    assert_eq!(status["state"], "ready");
    assert_eq!(status["scenario"]["title"], "テスト訓練 — 受付と電話");
    assert_eq!(status["injects"].as_array().unwrap().len(), 5);
    assert_eq!(inject(&status, 4)["when"], "#2 の15分後");
    let trainee = d.status(&d.reception).await;
    assert_eq!(trainee["injects"], json!([]), "the inject list would give the exercise away");
    assert_eq!(post(&d.reception, "/api/drill/start", json!({})).await.0, 403);

    assert_eq!(post(&d.trainer, "/api/drill/injects/1/fire", json!({})).await.0, 409, "not before the start");
    assert_eq!(post(&d.trainer, "/api/drill/start", json!({})).await.0, 200);
    assert_eq!(post(&d.trainer, "/api/drill/start", json!({})).await.0, 409);
    let (code, body) = post(&d.trainer, "/api/drill/speed", json!({ "speed": 0 })).await;
    assert_eq!((code, body["error"]["field"].as_str()), (422, Some("speed")));
    let (code, status) = post(&d.trainer, "/api/drill/speed", json!({ "speed": 30 })).await;
    assert_eq!((code, status["speed"].as_u64()), (200, Some(4)), "a manual test clock keeps its pace");

    // The hidden inject fired by hand; then it cannot fire again.
    let (code, status) = post(&d.trainer, "/api/drill/injects/3/fire", json!({})).await;
    assert_eq!(code, 200);
    assert_eq!(inject(&status, 3)["status"], "fired");
    assert_eq!(post(&d.trainer, "/api/drill/injects/3/fire", json!({})).await.0, 409);
    let (code, status) = post(&d.trainer, "/api/drill/injects/4/skip", json!({})).await;
    assert_eq!((code, inject(&status, 4)["status"].as_str()), (200, Some("skipped")));

    d.advance(6).await;
    let status = d.status(&d.trainer).await;
    assert_eq!(inject(&status, 1)["status"], "fired", "arrived, nobody checked in yet");
    assert_eq!(inject(&status, 1)["scheduled"], "2026-07-12T08:05:00+09:00");
    let inbox: Value = d.reception.get("/api/drill/inbox?since=0").await.json().await.unwrap();
    let messages = inbox["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 1, "the hidden inquiry is for the controller only: {inbox}");
    assert_eq!(messages[0]["to"], "reception");
    assert!(messages[0]["message"].as_str().unwrap().contains("6 人"), "{inbox}");
    let later: Value = d.reception.get(&format!("/api/drill/inbox?since={}", inbox["seq"])).await.json().await.unwrap();
    assert_eq!(later["messages"], json!([]));

    // Missed: nobody checks the six in within 30 drill minutes.
    d.advance(31).await;
    let status = d.status(&d.trainer).await;
    assert_eq!(inject(&status, 1)["status"], "missed", "{}", inject(&status, 1));

    let (code, _) = post(&d.trainer, "/api/drill/observations", json!({ "objective": "O9", "text": "x" })).await;
    assert_eq!(code, 422, "no such objective");
    post(&d.trainer, "/api/drill/observations", json!({ "objective": "O1", "text": "受付の列が外まで伸びた" })).await;
    post(&d.trainer, "/api/drill/observations", json!({ "text": "全体に声かけが少ない" })).await;
    post(&d.trainer, "/api/drill/ratings", json!({ "objective": "O1", "rating": "M" })).await;
    let (_, status) = post(
        &d.trainer,
        "/api/drill/plan",
        json!({ "issue": "受付の滞留", "action": "窓口を2つ増やす", "owner": "受付班長", "due": "次回訓練まで" }),
    )
    .await;
    let objective = &status["objectives"][0];
    assert_eq!(objective["rating"], "M");
    assert_eq!(objective["observations"][0]["text"], "受付の列が外まで伸びた");
    assert_eq!(status["observations"][0]["text"], "全体に声かけが少ない");
    assert_eq!(status["plan"][0]["row"], 1);
    assert_eq!(status["plan"][0]["owner"], "受付班長");

    let (code, status) = post(&d.trainer, "/api/drill/pause", json!({})).await;
    assert_eq!((code, status["state"].as_str()), (200, Some("paused")));
    assert_eq!(post(&d.trainer, "/api/drill/pause", json!({})).await.0, 409);
    assert_eq!(post(&d.trainer, "/api/drill/resume", json!({})).await.0, 200);
    let (code, status) = post(&d.trainer, "/api/drill/stop", json!({})).await;
    assert_eq!((code, status["state"].as_str()), (200, Some("finished")));
}

#[tokio::test]
async fn a_call_slip_is_written_up_once_and_linked_to_its_call() {
    let d = drill_in(None).await;
    post(&d.trainer, "/api/drill/start", json!({})).await;
    d.advance(10).await;
    let inbox: Value = d.coordinator.get("/api/drill/inbox").await.json().await.unwrap();
    let slips = inbox["messages"].as_array().unwrap();
    assert_eq!(slips.len(), 1, "only the waiting call slip when opened afresh: {inbox}");
    let mut card = slips[0]["call"].clone();
    assert_eq!(card["requester_name"], "山田 花子");
    let desk: Value = d.reception.get("/api/drill/inbox?since=0").await.json().await.unwrap();
    assert!(
        desk["messages"].as_array().unwrap().iter().all(|m| m["call"].is_null()),
        "no household data for reception"
    );

    d.advance(3).await;
    card["drill_call"] = json!(2);
    card["force_new"] = json!(true);
    let (code, need) = post(&d.coordinator, "/api/needs", card.clone()).await;
    assert_eq!(code, 201, "{need}");
    let (code, body) = post(&d.coordinator, "/api/needs", card.clone()).await;
    assert_eq!((code, body["error"]["code"].as_str()), (409, Some("call_taken")));
    card["drill_call"] = json!(3);
    let (code, body) = post(&d.coordinator, "/api/needs", card).await;
    assert_eq!((code, body["error"]["field"].as_str()), (422, Some("drill_call")), "inject 3 is no call slip");

    d.advance(1).await;
    let status = d.status(&d.trainer).await;
    let two = inject(&status, 2);
    assert_eq!(two["status"], "met", "{two}");
    assert_eq!(two["expect"]["measured_minutes"], 3, "written up 3 drill minutes after the call");
    let inbox: Value = d.coordinator.get("/api/drill/inbox").await.json().await.unwrap();
    assert_eq!(inbox["messages"], json!([]), "the slip is gone once written up");
}

#[tokio::test]
async fn a_live_center_has_no_drill() {
    let app = spawn_app_with(|_| {}).await;
    let admin = app.admin().await;
    let status: Value = admin.get("/api/drill").await.json().await.unwrap();
    assert_eq!(status, json!({ "drill": false }));
    assert_eq!(admin.post("/api/drill/start", &json!({})).await.status(), 404);
    assert_eq!(admin.get("/api/drill/inbox").await.status(), 404);
    let card = json!({ "received_via": "phone", "requester_name": "山田", "phone": "076-222-3333",
        "address": "金沢市片町1-1", "categories": ["mud"], "drill_call": 2 });
    let response = admin.post("/api/needs", &card).await;
    assert_eq!(response.status(), 422, "drill_call outside a drill");
}

#[tokio::test]
async fn a_network_outage_drops_the_live_boards_which_resync_from_their_seq() {
    let d = drill_in(None).await;
    post(&d.trainer, "/api/drill/start", json!({})).await;
    let since = d.app.last_seq().await;
    // A coordinator's feed on the reception page: the desk inject 5 takes offline for 5 minutes.
    let at_reception = |since: i64| {
        let mut request =
            format!("ws://{}/ws/board?since={since}&page=/reception", d.app.addr).into_client_request().unwrap();
        request.headers_mut().insert("cookie", d.coordinator.cookie().parse().unwrap());
        tokio_tungstenite::connect_async(request)
    };
    let mut board = at_reception(since).await.expect("the feed connects").0;
    assert_eq!(post(&d.trainer, "/api/drill/injects/5/fire", json!({})).await.0, 200);
    let fired = next_event(&mut board, std::time::Duration::from_secs(5)).await.expect("the outage itself arrives");
    assert_eq!((fired["kind"].as_str(), fired["drill"].as_bool()), (Some("drill.inject_fired"), Some(true)));
    assert_eq!(fired["data"]["kind"], "ict_outage");
    let closed = tokio::time::timeout(std::time::Duration::from_secs(5), board.next()).await.unwrap();
    match closed {
        Some(Ok(Message::Close(Some(frame)))) => assert_eq!(u16::from(frame.code), 4002),
        other => panic!("the board is dropped: {other:?}"),
    }
    // While it was away, a message went out; once the desk is back, reconnecting from its seq replays it.
    post(&d.trainer, "/api/drill/injects/4/fire", json!({})).await;
    assert!(at_reception(fired["seq"].as_i64().unwrap()).await.is_err(), "refused for the outage's 5 minutes");
    d.advance(5).await;
    let mut back = at_reception(fired["seq"].as_i64().unwrap()).await.expect("back after 5 minutes").0;
    let replayed = next_event(&mut back, std::time::Duration::from_secs(5)).await.unwrap();
    assert_eq!(replayed["data"]["inject"], 4);
}

/// From the trainer's page, a new drill: the server starts over on a fresh
/// drill database with the chosen scenario, on the same address, and the
/// trainer stays logged in.
#[tokio::test]
async fn a_trainer_starts_another_drill_and_stays_logged_in() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let data = tempfile::tempdir().unwrap();
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("drills/sketch-rain-day3.toml");
    let mut server = Command::new(env!("CARGO_BIN_EXE_borasen"))
        .args(["serve", "--addr", "127.0.0.1:0", "--drill"])
        .arg(&scenario)
        .arg("--data")
        .arg(data.path())
        .env("BORASEN_DEMO_PASSWORD", PASSWORD)
        .env("BORASEN_ADMIN_PASSWORD", "admin-pass-2026")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (lines, listening) = std::sync::mpsc::channel::<String>();
    let stdout = server.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(url) = line.strip_prefix("borasen: listening on ") {
                let _ = lines.send(url.to_string());
            }
        }
    });
    let wait = || listening.recv_timeout(std::time::Duration::from_secs(60)).expect("the server listens");
    let base = wait();
    // No kept-alive connections: the old server closes them as it starts over.
    let client = reqwest::Client::builder().cookie_store(true).pool_max_idle_per_host(0).build().unwrap();
    let login =
        client.post(format!("{base}/api/session")).json(&json!({ "username": "trainer", "password": PASSWORD }));
    assert_eq!(login.send().await.unwrap().status(), 200);
    let get = |path: &str| client.get(format!("{base}{path}")).send();
    let listed: Value = get("/api/drill/scenarios").await.unwrap().json().await.unwrap();
    assert!(
        listed.as_array().unwrap().iter().any(|s| s["file"] == "earthquake-day1.toml" && s["problems"] == 0),
        "{listed}"
    );
    let new = |file: &str| client.post(format!("{base}/api/drill/new")).json(&json!({ "file": file })).send();
    assert_eq!(new("../Cargo.toml").await.unwrap().status(), 422, "nothing outside the scenario folder");
    assert_eq!(new("earthquake-day1.toml").await.unwrap().status(), 202);

    assert_eq!(wait(), base, "back on the same address");
    let status: Value = get("/api/drill").await.unwrap().json().await.unwrap();
    assert_eq!(status["scenario"]["id"], "quake-day1", "the same session, the new drill: {status}");
    assert_eq!(status["state"], "ready");
    let files = std::fs::read_dir(data.path().join("drills"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "sqlite"));
    assert_eq!(files.count(), 2, "each drill its own database file");
    assert!(!data.path().join("borasen.sqlite").exists(), "the live file was never made");

    Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    assert!(server.wait().unwrap().success());
}

//! An outage is an outage: for its drill minutes, an `ict_outage` takes the
//! desks it names offline for the players (pages, API, the board's feed), the
//! controllers keep working, and paper entered once the desk is back is a late
//! entry with its paper time. A board that comes back catches up through the
//! outage without being dropped again.

use std::time::Duration as Wait;

use chrono::Duration;
use futures_util::StreamExt;
use reqwest::Method;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::drill_run::PASSWORD;
use crate::helpers::{Session, Socket, TestApp, next_event, spawn_app_at};

const SCENARIO: &str = r#"
id = "outage-drill"
title = "停電の訓練"
hazard = "大雨"
sim_start = "2026-07-12T08:00:00+09:00"
duration = "2h"
speed = 4

[[injects]]
id = 1
at = "+00:05"
kind = "volunteer_arrival"
to = "reception"
payload = { count = 3 }

[[injects]]
id = 2
at = "+00:30"
kind = "ict_outage"
to = "reception"
message = "受付タブレットの電源が落ちました。約15分。紙の受付票で続けてください。"
payload = { device = "受付タブレット", minutes = 15, desks = ["reception", "board"] }
expect = { text = "紙で受け付け、復旧後に紙の時刻をつけて入力する", within = "30m", detect = { late_entries_after_outage = { inject = 2 } } }

[[injects]]
id = 3
at = "+01:30"
kind = "situation_update"
to = "all"
message = "雨が弱まってきました"
"#;

struct Outage {
    app: TestApp,
    trainer: Session,
    evaluator: Session,
    coordinator: Session,
    reception: Session,
    _dir: tempfile::TempDir,
}

async fn outage_drill() -> Outage {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("outage-drill.toml");
    std::fs::write(&file, SCENARIO).unwrap();
    let app = spawn_app_at("2026-07-12T08:00:00+09:00", move |c| {
        c.drill = Some(file);
        c.demo_password = Some(PASSWORD.into());
    })
    .await;
    let trainer = app.client_for("trainer", PASSWORD).await;
    let evaluator = app.client_for("evaluator", PASSWORD).await;
    let coordinator = app.client_for("coordinator", PASSWORD).await;
    let reception = app.client_for("reception", PASSWORD).await;
    assert_eq!(trainer.post("/api/drill/start", &json!({})).await.status(), 200);
    Outage { app, trainer, evaluator, coordinator, reception, _dir: dir }
}

impl Outage {
    /// Drill time moves on and the run takes its step, as its ticker would.
    async fn advance(&self, minutes: i64) {
        self.app.state.clock.advance(Duration::minutes(minutes));
        self.app.state.drill.as_ref().unwrap().step().await.unwrap();
    }

    async fn log(&self) -> Vec<borasen::events::Event> {
        self.app.state.drill.as_ref().unwrap().events().await.unwrap()
    }

    async fn arrived(&self) -> Vec<i64> {
        let log = self.log().await;
        let fired = log.iter().find(|e| e.kind == "drill.inject_fired" && e.data["inject"] == 1).unwrap();
        fired.data["volunteer_ids"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect()
    }

    async fn status(&self) -> Value {
        self.trainer.get("/api/drill").await.json().await.unwrap()
    }
}

async fn check_in(who: &Session, volunteer: i64, paper_time: Option<&str>) -> (u16, Value) {
    let mut request =
        who.request(Method::POST, "/api/checkins").json(&json!({ "volunteer_id": volunteer, "health_ok": true }));
    if let Some(at) = paper_time {
        request = request.header("Paper-Time", at);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
}

async fn open_board(app: &TestApp, who: &Session, since: i64, page: Option<&str>) -> Result<Socket, u16> {
    let page = page.map(|p| format!("&page={p}")).unwrap_or_default();
    let mut request = format!("ws://{}/ws/board?since={since}{page}", app.addr).into_client_request().unwrap();
    request.headers_mut().insert("cookie", who.cookie().parse().unwrap());
    match tokio_tungstenite::connect_async(request).await {
        Ok((socket, _)) => Ok(socket),
        Err(tokio_tungstenite::tungstenite::Error::Http(answer)) => Err(answer.status().as_u16()),
        Err(other) => panic!("the board neither connects nor is refused: {other}"),
    }
}

/// The next firing of `inject` on the feed (other events skipped).
async fn fired_on(socket: &mut Socket, inject: u64) -> Option<Value> {
    loop {
        let event = next_event(socket, Wait::from_secs(5)).await?;
        if event["kind"] == "drill.inject_fired" && event["data"]["inject"] == inject {
            return Some(event);
        }
    }
}

fn inject(status: &Value, id: u64) -> &Value {
    status["injects"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap()
}

async fn closed_with(socket: &mut Socket) -> Option<u16> {
    loop {
        match tokio::time::timeout(Wait::from_secs(5), socket.next()).await {
            Ok(Some(Ok(Message::Close(frame)))) => return frame.map(|f| u16::from(f.code)),
            Ok(Some(Ok(Message::Text(_) | Message::Ping(_) | Message::Pong(_)))) => continue,
            _ => return None,
        }
    }
}

#[tokio::test]
async fn an_outage_of_15_drill_minutes_refuses_the_named_desks_for_that_long_and_papers_entered_after_are_late_entries()
{
    let d = outage_drill().await;
    d.advance(5).await;
    let arrived = d.arrived().await;
    assert_eq!(arrived.len(), 3);
    assert_eq!(check_in(&d.reception, arrived[0], None).await.0, 201, "before the outage the desk works");
    let since = d.app.last_seq().await;
    let mut board = open_board(&d.app, &d.coordinator, since, None).await.expect("the board follows");
    let mut needs_map = open_board(&d.app, &d.coordinator, since, Some("/map")).await.expect("the map follows");

    d.advance(25).await; // 08:30: the outage fires on schedule
    assert_eq!(closed_with(&mut board).await, Some(4002), "the board's feed is cut");
    let fired = fired_on(&mut needs_map, 2).await.expect("the map's feed stays");
    assert_eq!(fired["data"]["outage"]["until"], "2026-07-12T08:45:00+09:00");

    // The reception desk: its API, in the player's language, with until when.
    let (code, body) = check_in(&d.reception.speaking("ja"), arrived[1], None).await;
    assert_eq!((code, body["error"]["code"].as_str()), (503, Some("drill_outage")), "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.starts_with("訓練：停電中") && message.contains("08:45"), "{message}");
    assert_eq!(body["error"]["details"], json!({ "desk": "reception", "until": "2026-07-12T08:45:00+09:00" }));
    let refused = d.reception.get("/api/volunteers").await;
    assert_eq!(refused.status(), 503);
    let retry: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert_eq!(retry, 15 * 60 / 4, "15 drill minutes at 4× are 225 real seconds");
    let (code, body) = check_in(&d.reception.speaking("en"), arrived[1], None).await;
    assert_eq!(code, 503);
    assert!(body["error"]["message"].as_str().unwrap().starts_with("Drill: power outage"), "{body}");
    // Its page, and a coordinator helping at that desk: the desk is out, whoever holds it.
    let page = d.reception.speaking("ja").get("/reception").await;
    assert_eq!(page.status(), 503);
    assert!(page.text().await.unwrap().contains("訓練：停電中"));
    assert_eq!(d.coordinator.get("/api/volunteers").await.status(), 503);
    // The board's feed is refused on reconnecting, its snapshot too; the map's is not.
    assert_eq!(open_board(&d.app, &d.coordinator, since, None).await.err(), Some(503));
    assert_eq!(d.coordinator.get("/api/board").await.status(), 503);
    assert_eq!(d.coordinator.get("/api/board?page=/matching").await.status(), 200);
    // Other desks keep working; the controllers are never cut off.
    assert_eq!(d.coordinator.get("/api/needs").await.status(), 200);
    assert_eq!(d.coordinator.get("/api/teams").await.status(), 200);
    assert_eq!(d.coordinator.get("/matching").await.status(), 200);
    for controller in [&d.trainer, &d.evaluator] {
        let answer: Value =
            controller.request(Method::GET, "/api/volunteers").send().await.unwrap().json().await.unwrap();
        assert_eq!(answer["error"]["code"], "forbidden", "the route's own answer (their role), never the outage's");
    }
    assert_eq!(d.reception.get("/api/drill/inbox").await.status(), 200, "the controller's messages still arrive");

    d.advance(14).await; // 08:44: still out
    assert_eq!(check_in(&d.reception, arrived[1], None).await.0, 503);
    assert_eq!(open_board(&d.app, &d.coordinator, since, None).await.err(), Some(503));
    assert_eq!(inject(&d.status().await, 2)["status"], "fired", "no paper entered yet");

    d.advance(1).await; // 08:45: back, not a minute longer
    // A paper time that cannot be, refused by name, and nothing is written.
    for bad in ["08:99", "08:46", "07:30"] {
        let (code, body) = check_in(&d.reception.speaking("ja"), arrived[1], Some(bad)).await;
        assert_eq!((code, body["error"]["field"].as_str()), (422, Some("paper-time")), "{bad}: {body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("紙の時刻"), "{body}");
    }
    assert_eq!(check_in(&d.reception, arrived[1], Some("08:35")).await.0, 201, "the paper from 08:35");
    assert_eq!(check_in(&d.reception, arrived[2], None).await.0, 201, "a check-in of now");
    let mut back = open_board(&d.app, &d.coordinator, since, None).await.expect("the board is back");
    let replayed = next_event(&mut back, Wait::from_secs(5)).await.unwrap();
    assert!(replayed["seq"].as_i64().unwrap() > since);

    let log = d.log().await;
    let entries: Vec<_> = log.iter().filter(|e| e.kind == "drill.late_entry").collect();
    assert_eq!(entries.len(), 1, "only the write that gave a paper time");
    let entry = entries[0];
    assert_eq!(entry.data["paper_time"], "2026-07-12T08:35:00+09:00");
    assert_eq!(entry.at, "2026-07-12T08:45:00+09:00", "entered when the desk was back");
    assert_eq!(entry.data["desk"], "reception");
    assert_eq!(entry.actor, "reception");
    let checked_in = log.iter().find(|e| json!(e.seq) == entry.data["events"][0]).unwrap();
    assert_eq!(checked_in.kind, "volunteer.checked_in");
    assert_eq!(checked_in.subject, entry.subject);

    let status = d.status().await;
    let outage = inject(&status, 2);
    assert_eq!(outage["status"], "met", "{outage}");
    assert_eq!(outage["expect"]["measured_minutes"], 15, "{outage}");
}

/// §7: a board that reconnects with a `since` before the outage, once the
/// outage is over, replays it and stays connected.
#[tokio::test]
async fn a_board_catching_up_through_an_outage_that_is_over_is_not_dropped_again() {
    let d = outage_drill().await;
    let since = d.app.last_seq().await;
    let mut board = open_board(&d.app, &d.coordinator, since, None).await.unwrap();
    assert_eq!(d.trainer.post("/api/drill/injects/2/fire", &json!({})).await.status(), 200);
    let fired = fired_on(&mut board, 2).await.expect("the outage itself arrives");
    assert_eq!(fired["data"]["kind"], "ict_outage");
    assert_eq!(closed_with(&mut board).await, Some(4002));
    assert_eq!(open_board(&d.app, &d.coordinator, since, None).await.err(), Some(503), "refused while it lasts");

    d.advance(15).await;
    let mut back = open_board(&d.app, &d.coordinator, since, None).await.expect("back once it is over");
    let replayed = fired_on(&mut back, 2).await.expect("the outage is replayed");
    assert_eq!(replayed["seq"], fired["seq"]);
    // Still connected: what happens next arrives live.
    assert_eq!(d.trainer.post("/api/drill/injects/3/fire", &json!({})).await.status(), 200);
    fired_on(&mut back, 3).await.expect("not dropped while catching up");
}

/// On the reception page: the desk's call during the outage covers the screen
/// with 「訓練：停電中」, and once it is back the paper-time control makes the
/// next write a late entry with the time on the paper.
#[tokio::test]
async fn the_desk_page_goes_dark_during_the_outage_and_its_paper_time_makes_a_late_entry() {
    let Some(mut browser) = crate::browser::Browser::launch().await else { return };
    let d = outage_drill().await;
    d.advance(5).await;
    let arrived = d.arrived().await;
    browser.log_in(&d.app, "reception", PASSWORD).await;
    browser.goto(&d.app.url("/reception")).await;
    browser.wait_for("document.getElementById('drill-paper-time')").await;

    d.advance(25).await; // 08:30: the outage
    browser.eval("Borasen.api('GET', '/api/volunteers?q=x'); true").await;
    browser.wait_for("document.getElementById('drill-outage')").await;
    let cover = browser.eval("document.getElementById('drill-outage').innerText").await;
    let cover = cover.as_str().unwrap();
    assert!(cover.contains("訓練：停電中") && cover.contains("08:45") && cover.contains("紙"), "{cover}");
    browser.screenshot("drill-outage-reception.png").await;

    d.advance(15).await; // 08:45: back
    browser
        .eval(
            "(() => { const i = document.getElementById('drill-paper-time'); i.value = '08:40'; \
             i.dispatchEvent(new Event('change')); return true; })()",
        )
        .await;
    let status = browser
        .eval(&format!(
            "Borasen.api('POST', '/api/checkins', {{ volunteer_id: {}, health_ok: true }}).then(a => a.status)",
            arrived[0]
        ))
        .await;
    assert_eq!(status, 201);
    let log = d.log().await;
    let entry = log.iter().find(|e| e.kind == "drill.late_entry").expect("a late entry");
    assert_eq!(entry.data["paper_time"], "2026-07-12T08:40:00+09:00");
    assert_eq!(entry.data["kinds"], json!(["volunteer.checked_in"]));
    assert_eq!(inject(&d.status().await, 2)["status"], "met");
}

/// A drill stopped in the middle of an outage: its clock stops, but nothing is
/// cut any more, and a board catching up through the outage stays.
#[tokio::test]
async fn a_drill_stopped_during_an_outage_cuts_nothing_more() {
    let d = outage_drill().await;
    let since = d.app.last_seq().await;
    assert_eq!(d.trainer.post("/api/drill/injects/2/fire", &json!({})).await.status(), 200);
    assert_eq!(d.reception.get("/api/volunteers").await.status(), 503);
    d.advance(5).await;
    assert_eq!(d.trainer.post("/api/drill/stop", &json!({})).await.status(), 200);
    assert_eq!(d.reception.get("/api/volunteers").await.status(), 200);
    let mut board = open_board(&d.app, &d.coordinator, since, None).await.expect("connects after the end");
    fired_on(&mut board, 2).await.expect("replays the outage");
    // What comes after it in the log reaches the feed: it stayed.
    let posted = d.coordinator.post("/api/board/notices", &json!({ "text": "おつかれさまでした" })).await;
    assert_eq!(posted.status(), 201);
    let mut kinds = Vec::new();
    while let Some(event) = next_event(&mut board, Wait::from_secs(2)).await {
        kinds.push(event["kind"].as_str().unwrap().to_string());
        if kinds.last().is_some_and(|k| k.starts_with("board.notice")) {
            break;
        }
    }
    assert!(kinds.last().is_some_and(|k| k.starts_with("board.notice")), "{kinds:?}");
}

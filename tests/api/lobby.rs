//! The lobby board: public, and built from a type with no personal fields.
//! A scripted morning drives it over HTTP while an anonymous screen follows
//! `/ws/lobby`; neither the snapshot nor any message carries a name, phone or
//! address used in the script.

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::dispatch::{Center, center, need, volunteer};
use crate::helpers::{Socket, TestApp, next_event};

/// Every personal string the script below writes (volunteers, needs), and the
/// staff's user names.
const PERSONAL: [&str; 11] = [
    "ボランティア",
    "090-1000-",
    "石川県金沢市",
    "家族",
    "076-220-2111",
    "1985-04-01",
    "依頼者",
    "076-200-",
    "金沢市香林坊2-",
    "coordinator",
    "reception",
];

/// A lobby screen on another device: the connection comes from `127.0.0.<device>`.
pub async fn connect_lobby_from(app: &TestApp, device: u8) -> Socket {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(std::net::SocketAddr::from(([127, 0, 0, device], 0))).unwrap();
    let stream = socket.connect(app.addr).await.unwrap();
    let stream = tokio_tungstenite::MaybeTlsStream::Plain(stream);
    let (socket, _) = tokio_tungstenite::client_async(format!("ws://{}/ws/lobby", app.addr), stream)
        .await
        .expect("lobby websocket connects");
    socket
}

async fn connect_lobby(app: &TestApp) -> Socket {
    let (socket, _) = tokio_tungstenite::connect_async(format!("ws://{}/ws/lobby", app.addr))
        .await
        .expect("lobby websocket connects");
    socket
}

async fn lobby(app: &TestApp) -> Value {
    let response = reqwest::get(app.url("/api/lobby")).await.unwrap();
    assert_eq!(response.status(), 200, "anonymous");
    response.json().await.unwrap()
}

fn assert_public(what: &str, json: &str) {
    for personal in PERSONAL {
        assert!(!json.contains(personal), "{what} carries {personal:?}: {json}");
    }
}

/// Reads lobby views until one satisfies `done` (pings skipped); all views read are kept.
async fn views_until(socket: &mut Socket, seen: &mut Vec<Value>, done: impl Fn(&Value) -> bool) -> Value {
    loop {
        let view = next_event(socket, Duration::from_secs(5)).await.expect("a lobby view within 5 s");
        seen.push(view.clone());
        if done(&view) {
            return view;
        }
    }
}

async fn send_team(c: &Center, need_id: &Value, leader: i64, members: &[i64]) -> Value {
    let body = json!({ "need_id": need_id, "leader_id": leader, "member_ids": members });
    let response = c.coordinator.post("/api/teams", &body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_scripted_morning_shows_called_teams_waiting_and_the_suspension_and_nothing_personal() {
    let c = center().await;
    let mut screen = connect_lobby(&c.app).await;
    let mut seen = Vec::new();
    let first = views_until(&mut screen, &mut seen, |_| true).await;
    assert_eq!(first["state"], "open");
    assert_eq!(first["waiting"], 0);
    assert_eq!(first["called"], json!([]));
    assert_eq!(first["drill"], false);

    // Six registered, five checked in; two needs; two teams of two and one.
    let mut ids = Vec::new();
    for i in 0..6 {
        ids.push(volunteer(&c, i, "enrolled", i < 5).await);
    }
    views_until(&mut screen, &mut seen, |v| v["waiting"] == 5).await;
    let first_need = need(&c, 1).await;
    let second_need = need(&c, 2).await;
    let t1 = send_team(&c, &first_need["id"], ids[0], &[ids[0], ids[1]]).await;
    assert_eq!(t1["team_no"], "T-001");
    views_until(&mut screen, &mut seen, |v| v["called"].as_array().unwrap().len() == 1).await;
    c.app.state.clock.advance(chrono::Duration::minutes(10));
    let t2 = send_team(&c, &second_need["id"], ids[2], &[ids[2]]).await;
    assert_eq!(t2["team_no"], "T-002");

    let heat = "熱中症に注意。こまめに水分をとってください";
    let posted = c.coordinator.post("/api/board/notices", &json!({ "text": heat, "lobby": true })).await;
    assert_eq!(posted.status(), 201);
    assert_eq!(posted.json::<Value>().await.unwrap()["lobby"], true);
    let staff_only = "本部ミーティングは12時から";
    let posted = c.coordinator.post("/api/board/notices", &json!({ "text": staff_only })).await;
    assert_eq!(posted.status(), 201);
    assert_eq!(posted.json::<Value>().await.unwrap()["lobby"], false, "not for the lobby unless asked");

    let suspended = c.coordinator.post("/api/center/suspend", &json!({ "reason": "大雨警報" })).await;
    assert_eq!(suspended.status(), 200);
    let last = views_until(&mut screen, &mut seen, |v| v["state"] == "suspended").await;

    let view = lobby(&c.app).await;
    assert_eq!(view["state"], "suspended");
    assert_eq!(view["reason"], "大雨警報");
    assert_eq!(view["waiting"], 2, "five checked in, three out on teams");
    let called: Vec<(&str, &str, &str)> = view["called"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["team_no"].as_str().unwrap(), t["desk"].as_str().unwrap(), t["called_at"].as_str().unwrap()))
        .collect();
    assert_eq!(
        called,
        [("T-002", "資機材受付", "2026-07-12T09:10:00+09:00"), ("T-001", "資機材受付", "2026-07-12T09:00:00+09:00")],
        "newest first"
    );
    let notices: Vec<&str> = view["notices"].as_array().unwrap().iter().map(|n| n["text"].as_str().unwrap()).collect();
    assert_eq!(notices, [heat], "the lobby notice, not the staff one");
    assert_eq!(view["activity_day"], "2026-07-12");
    assert_eq!(view["drill"], false);
    for (key, value) in last.as_object().unwrap() {
        if key != "seq" {
            assert_eq!(&view[key], value, "the last websocket view says what /api/lobby says: {key}");
        }
    }

    assert!(seen.len() >= 4, "a new view after the changes: {}", seen.len());
    assert_public("/api/lobby", &view.to_string());
    for message in &seen {
        assert_public("a /ws/lobby message", &message.to_string());
        assert!(message.get("kind").is_none(), "views, never raw events: {message}");
    }

    // Back on site: resumed and the teams return; a called team leaves the screen after 30 minutes.
    assert_eq!(c.coordinator.post("/api/center/resume", &json!({})).await.status(), 200);
    c.app.state.clock.advance(chrono::Duration::minutes(25));
    let view = lobby(&c.app).await;
    assert_eq!(view["state"], "open");
    assert_eq!(view["reason"], Value::Null);
    let called: Vec<&str> = view["called"].as_array().unwrap().iter().map(|t| t["team_no"].as_str().unwrap()).collect();
    assert_eq!(called, ["T-002"], "T-001 was called 35 minutes ago");
}

#[tokio::test]
async fn reception_closes_at_three_and_everything_is_public() {
    let c = center().await;
    let page = reqwest::get(c.app.url("/lobby")).await.unwrap();
    assert_eq!(page.status(), 200, "no login");
    let html = page.text().await.unwrap();
    assert!(html.contains("お呼び出し") && html.contains("/assets/lobby.js"), "{html}");
    assert!(!html.contains("/logout"), "no staff navigation");
    for asset in ["/assets/lobby.js", "/assets/lobby.css"] {
        assert_eq!(reqwest::get(c.app.url(asset)).await.unwrap().status(), 200, "{asset}");
    }

    let mut screen = connect_lobby(&c.app).await;
    let first = next_event(&mut screen, Duration::from_secs(5)).await.expect("the view on connect, anonymous");
    assert_eq!(first["state"], "open");
    assert_eq!(first["closes_at"], "15:00");

    c.app.state.clock.advance(chrono::Duration::hours(6));
    let view = lobby(&c.app).await;
    assert_eq!(view["state"], "closed", "15:00: 受付終了");
    assert_eq!(view["reason"], Value::Null);

    // The screen closes when the server shuts down.
    let mut app = c.app;
    app.stop().await;
    let closed = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match screen.next().await {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => continue,
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "the lobby socket ends on shutdown");
}

#[tokio::test]
async fn two_hundred_screens_share_one_projection_and_all_see_a_new_notice() {
    let c = center().await;
    let mut screens = Vec::new();
    // Four screens per device (the lobby's share per address), on fifty devices.
    for i in 0..200 {
        let mut screen = connect_lobby_from(&c.app, 10 + (i / 4) as u8).await;
        next_event(&mut screen, Duration::from_secs(10)).await.expect("the view on connect");
        screens.push(screen);
    }
    let text = "暑さ指数が危険です。屋外活動は休止します";
    let posted = c.coordinator.post("/api/board/notices", &json!({ "text": text, "lobby": true })).await;
    assert_eq!(posted.status(), 201);
    let reads = screens.iter_mut().map(|screen| async move {
        let view = next_event(screen, Duration::from_secs(10)).await.expect("every screen gets the new view");
        view["notices"][0]["text"].as_str().map(str::to_string)
    });
    let got = futures_util::future::join_all(reads).await;
    assert!(
        got.iter().all(|t| t.as_deref() == Some(text)),
        "{:?}",
        got.iter().filter(|t| t.as_deref() != Some(text)).count()
    );
}

//! `/ws/board`: replay from any `seq`, then live, never missing an event.

use std::sync::atomic::Ordering;
use std::time::Duration;

use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::helpers::{connect_board, next_event, spawn_app, spawn_app_with};

const QUIET: Duration = Duration::from_millis(300);
const WAIT: Duration = Duration::from_secs(10);

#[tokio::test]
async fn the_snapshot_carries_its_seq_and_counts() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.post_notices(3, "お知らせ").await;
    let snapshot: Value = admin.get("/api/board").await.json().await.unwrap();
    assert_eq!(snapshot["seq"], app.last_seq().await);
    assert_eq!(snapshot["counts"]["events"], app.last_seq().await);
    assert_eq!(snapshot["counts"]["users"], 1);
    assert_eq!(snapshot["notices"].as_array().unwrap().len(), 3);
    assert_eq!(snapshot["notices"][0]["text"], "お知らせ 2", "newest first");
    assert_eq!(snapshot["drill"], false);
}

#[tokio::test]
async fn replays_from_since_then_resumes_after_a_disconnect_with_exactly_the_missing_events() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let base = app.last_seq().await;
    app.post_notices(50, "朝").await;

    let mut socket = connect_board(&app, &admin, base).await;
    let mut last = base;
    for _ in 0..50 {
        let event = next_event(&mut socket, WAIT).await.expect("replayed event");
        assert_eq!(event["seq"].as_i64().unwrap(), last + 1, "in order, no gap");
        assert_eq!(event["kind"], "board.notice_posted");
        for field in ["seq", "kind", "at", "data", "drill"] {
            assert!(event.get(field).is_some(), "{field} present");
        }
        last += 1;
    }
    assert!(next_event(&mut socket, QUIET).await.is_none(), "nothing more than the 50");
    socket.close(None).await.unwrap();

    app.post_notices(30, "昼").await;
    let mut socket = connect_board(&app, &admin, last).await;
    let mut texts = Vec::new();
    for _ in 0..30 {
        let event = next_event(&mut socket, WAIT).await.expect("missed event");
        assert_eq!(event["seq"].as_i64().unwrap(), last + 1);
        last += 1;
        texts.push(event["data"]["text"].as_str().unwrap().to_string());
    }
    assert_eq!(texts.first().unwrap(), "昼 0");
    assert_eq!(texts.last().unwrap(), "昼 29");
    assert!(next_event(&mut socket, QUIET).await.is_none(), "exactly the 30 missing ones");

    // And then it is live.
    admin.post("/api/board/notices", &json!({ "text": "夕方" })).await;
    let live = next_event(&mut socket, WAIT).await.unwrap();
    assert_eq!(live["seq"].as_i64().unwrap(), last + 1);
    assert_eq!(live["data"]["text"], "夕方");
}

#[tokio::test]
async fn a_slow_client_gets_all_5000_events_in_order_through_the_lagged_path() {
    // A tiny bus buffer and large events make the subscriber lag for sure.
    let app = spawn_app_with(|c| {
        c.event_buffer = 8;
        // This client reads nothing until all 5,000 exist, however long a busy
        // machine takes to write them; it is slow, not gone.
        c.ws_write_timeout = Duration::from_secs(300);
    })
    .await;
    let admin = app.admin().await;
    let base = app.last_seq().await;
    // A small receive window: the server's writes block once the kernel's buffers fill.
    let tcp = tokio::net::TcpSocket::new_v4().unwrap();
    tcp.set_recv_buffer_size(4096).unwrap();
    let stream = tcp.connect(app.addr).await.unwrap();
    let mut request = format!("ws://{}/ws/board?since={base}", app.addr).into_client_request().unwrap();
    request.headers_mut().insert("cookie", admin.cookie().parse().unwrap());
    let (mut socket, _) =
        tokio_tungstenite::client_async(request, tokio_tungstenite::MaybeTlsStream::Plain(stream)).await.unwrap();

    let long_text = "泥出し・家財搬出の班は受付前に集合してください。".repeat(19);
    let producer = {
        let state = app.state.clone();
        let text = long_text.clone();
        tokio::spawn(async move {
            let actor = borasen::events::Actor::system();
            for i in 0..5000 {
                let new = borasen::board::notices::NewNotice { text: format!("{i} {text}") };
                borasen::board::notices::post(&state.db, &state.clock, &actor, new).await.unwrap();
            }
        })
    };
    // Deliberately slow: read nothing until every event is produced, then read in sips.
    let producer_done = producer.await;
    producer_done.unwrap();
    let mut expected = base + 1;
    while expected <= base + 5000 {
        let event = next_event(&mut socket, WAIT).await.unwrap_or_else(|| panic!("stalled before seq {expected}"));
        assert_eq!(event["seq"].as_i64().unwrap(), expected, "no gap, no repeat");
        if expected % 250 == 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        expected += 1;
    }
    assert!(next_event(&mut socket, QUIET).await.is_none());
    assert!(app.state.stats.ws_lag_recoveries.load(Ordering::Relaxed) > 0, "the lagged path was exercised");
}

#[tokio::test]
async fn without_since_the_socket_starts_from_now() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.post_notices(5, "過去").await;
    let mut request = format!("ws://{}/ws/board", app.addr).into_client_request().unwrap();
    request.headers_mut().insert("cookie", admin.cookie().parse().unwrap());
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    assert!(next_event(&mut socket, QUIET).await.is_none());
    app.post_notices(1, "今").await;
    assert_eq!(next_event(&mut socket, WAIT).await.unwrap()["data"]["text"], "今 0");
}

#[tokio::test]
async fn the_socket_needs_a_coordinator_and_a_same_origin_browser() {
    let app = spawn_app().await;
    let anonymous = format!("ws://{}/ws/board?since=0", app.addr);
    assert!(tokio_tungstenite::connect_async(anonymous).await.is_err(), "no session, no upgrade");

    let reception = app.user_with_role("yamada", "reception").await;
    let mut request = format!("ws://{}/ws/board?since=0", app.addr).into_client_request().unwrap();
    request.headers_mut().insert("cookie", reception.cookie().parse().unwrap());
    assert!(tokio_tungstenite::connect_async(request).await.is_err(), "wrong role, no upgrade");

    let admin = app.admin().await;
    let mut request = format!("ws://{}/ws/board?since=0", app.addr).into_client_request().unwrap();
    request.headers_mut().insert("cookie", admin.cookie().parse().unwrap());
    request.headers_mut().insert("origin", "http://evil.example".parse().unwrap());
    assert!(tokio_tungstenite::connect_async(request).await.is_err(), "cross-site websocket hijacking refused");
}

#[tokio::test]
async fn the_server_pings_and_closes_a_socket_that_stops_answering() {
    let app = spawn_app_with(|c| c.ws_ping_interval = Duration::from_millis(100)).await;
    let admin = app.admin().await;
    let mut socket = connect_board(&app, &admin, app.last_seq().await).await;
    // Reading answers pings (tungstenite replies with pongs as it reads).
    let first = tokio::time::timeout(WAIT, socket.next()).await.unwrap().unwrap().unwrap();
    assert!(matches!(first, Message::Ping(_)), "{first:?}");
    // Now play dead: read nothing, so no pongs go back.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let closed = tokio::time::timeout(WAIT, async {
        while let Some(message) = socket.next().await {
            match message {
                Ok(Message::Close(_)) | Err(_) => return true,
                Ok(_) => continue,
            }
        }
        true
    })
    .await
    .expect("the server closed the dead socket");
    assert!(closed);
}

#[tokio::test]
async fn shutdown_closes_open_sockets_and_finishes() {
    let mut app = spawn_app().await;
    let admin = app.admin().await;
    let mut socket = connect_board(&app, &admin, app.last_seq().await).await;
    app.stop().await;
    let ended = tokio::time::timeout(WAIT, async {
        loop {
            match socket.next().await {
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return,
                Some(Ok(_)) => continue,
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the socket was closed by the shutdown");
}

async fn close_code(socket: &mut crate::helpers::Socket) -> Option<u16> {
    let wait = tokio::time::timeout(WAIT, async {
        while let Some(message) = socket.next().await {
            match message {
                Ok(Message::Close(frame)) => return frame.map(|f| u16::from(f.code)),
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
        None
    });
    wait.await.expect("the server closed the socket")
}

#[tokio::test]
async fn a_since_ahead_of_the_log_is_told_to_resync() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mut socket = connect_board(&app, &admin, app.last_seq().await + 100).await;
    assert_eq!(close_code(&mut socket).await, Some(borasen::board::ws::CLOSE_RESYNC));
}

#[tokio::test]
async fn a_socket_closes_when_its_session_ends() {
    let app = spawn_app_with(|c| c.ws_ping_interval = Duration::from_millis(100)).await;
    let admin = app.admin().await;
    let mut socket = connect_board(&app, &admin, app.last_seq().await).await;
    assert_eq!(admin.delete("/api/session").await.status(), 204);
    // The logout event itself may arrive first; then the close.
    assert_eq!(close_code(&mut socket).await, Some(borasen::board::ws::CLOSE_SESSION_ENDED));
}

#[tokio::test]
async fn events_written_by_another_process_reach_the_socket() {
    let app = spawn_app_with(|c| c.ws_ping_interval = Duration::from_millis(200)).await;
    let admin = app.admin().await;
    let mut socket = connect_board(&app, &admin, app.last_seq().await).await;
    // The CLI runs beside the socket, which keeps reading (and so answering the
    // server's pings) while it waits; a blocked test thread would look gone.
    let data = app.dir.path().to_path_buf();
    let cli = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_borasen"))
            .args(["users", "add", "takahashi", "--role", "reception", "--data"])
            .arg(data)
            .output()
            .unwrap()
    });
    let event = next_event(&mut socket, Duration::from_secs(30)).await.expect("the CLI's event arrives");
    let output = cli.await.unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(event["kind"], "user.created");
    assert_eq!(event["actor"], "cli");
}

#[tokio::test]
async fn a_board_that_drops_mid_day_and_resumes_from_its_seq_ends_with_the_same_events_as_one_that_stayed() {
    let c = crate::dispatch::center().await;
    let since = c.app.last_seq().await;
    let mut steady = connect_board(&c.app, &c.coordinator, since).await;
    let mut flaky = connect_board(&c.app, &c.coordinator, since).await;
    let mut seen_steady = Vec::new();
    let mut seen_flaky = Vec::new();

    let a = crate::dispatch::volunteer(&c, 0, "enrolled", true).await;
    crate::dispatch::need(&c, 1).await;
    // The tablet sleeps after taking what had arrived.
    while let Some(event) = next_event(&mut flaky, QUIET).await {
        seen_flaky.push(event);
    }
    let last = seen_flaky.last().expect("events before the sleep")["seq"].as_i64().unwrap();
    flaky.close(None).await.unwrap();

    crate::dispatch::volunteer(&c, 1, "enrolled", true).await;
    let team = c.coordinator.post("/api/teams", &json!({ "need_no": "N-0001", "member_ids": [a] })).await;
    assert_eq!(team.status(), 201);
    c.coordinator.post("/api/center/suspend", &json!({ "reason": "雷注意報" })).await;

    let mut flaky = connect_board(&c.app, &c.coordinator, last).await;
    let end = c.app.last_seq().await;
    for (socket, seen) in [(&mut steady, &mut seen_steady), (&mut flaky, &mut seen_flaky)] {
        while seen.last().map_or(since, |e: &serde_json::Value| e["seq"].as_i64().unwrap()) < end {
            seen.push(next_event(socket, WAIT).await.expect("every event arrives"));
        }
    }
    assert_eq!(seen_flaky, seen_steady, "the same events, in the same order, each once");
    let kinds: Vec<&str> = seen_steady.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    for kind in ["volunteer.checked_in", "need.received", "team.dispatched", "center.suspended"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
}

#[tokio::test]
async fn the_board_snapshot_after_a_scripted_morning_has_the_exact_counts() {
    let c = crate::dispatch::center().await;
    let mut ids = Vec::new();
    for i in 0..4 {
        ids.push(crate::dispatch::volunteer(&c, i, if i == 3 { "none" } else { "enrolled" }, true).await);
    }
    crate::dispatch::volunteer(&c, 9, "enrolled", false).await; // registered, never came
    let first = crate::dispatch::need(&c, 1).await;
    crate::dispatch::need(&c, 2).await;
    crate::dispatch::need(&c, 3).await;
    let out =
        c.coordinator.post("/api/teams", &json!({ "need_id": first["id"], "member_ids": [ids[0], ids[1]] })).await;
    assert_eq!(out.status(), 201);
    let second = c.coordinator.post("/api/teams", &json!({ "need_no": "N-0002", "member_ids": [ids[2]] })).await;
    let second: serde_json::Value = second.json().await.unwrap();
    c.app.state.clock.advance(chrono::Duration::hours(1));
    let back = c
        .coordinator
        .post(
            &format!("/api/teams/{}/return", second["id"]),
            &json!({ "version": 1, "outcome": "done", "injury": "擦り傷" }),
        )
        .await;
    assert_eq!(back.status(), 200);
    c.coordinator.post("/api/center/suspend", &json!({ "reason": "雷注意報" })).await;

    let board: serde_json::Value = c.coordinator.get("/api/board").await.json().await.unwrap();
    let r = &board["reception"];
    assert_eq!((r["checked_in"].as_i64(), r["waiting"].as_i64(), r["on_teams"].as_i64()), (Some(4), Some(2), Some(2)));
    assert_eq!(r["insurance_none"], 1);
    let n = &board["needs"];
    assert_eq!(
        (n["open"].as_i64(), n["by_status"]["active"].as_i64(), n["by_status"]["done"].as_i64()),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!(n["by_status"]["received"], 1);
    assert_eq!(board["teams"]["out"], 1);
    assert_eq!(board["teams"]["people_out"], 2);
    assert_eq!(board["today"]["teams_dispatched"], 2);
    assert_eq!(board["today"]["teams_returned"], 1);
    assert_eq!(board["today"]["injuries"], 1);
    assert_eq!(board["center"]["suspended"], true);
    assert_eq!(board["center"]["reason"], "雷注意報");
}

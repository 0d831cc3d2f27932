//! The center's pages for its link to the hub: the status line on the desk,
//! the board and the settings, the sync button, the desk's 予約あり and its
//! answer to another day's booking (with 当日受付として受付), the settings'
//! ハブ連携 form. The hub here is a stub answering the sync contract's types
//! (`borasen::sync`) on 127.0.0.1: `tests/api` has no PostgreSQL. The real hub
//! and the center are tested together end to end in `tests/hub/`.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use borasen::sync::{
    BookedVolunteer, BookingChange, BookingState, BookingsPage, DayReport, DayReportAnswer, Meeting, VERSION,
};
use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::browser::Browser;
use crate::helpers::{ADMIN_PASSWORD, Session, TestApp, spawn_app};

const KEY: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const TODAY_TOKEN: &str = "0A1B2C3D4E5F60718293A4B5C6D7E8F9";
const OTHER_DAY_TOKEN: &str = "F9E8D7C6B5A4938271605F4E3D2C1B0A";

struct StubHub {
    url: String,
    server: tokio::task::JoinHandle<()>,
    state: Arc<Stub>,
}

struct Stub {
    bookings: Vec<BookingChange>,
    reports: std::sync::Mutex<Vec<DayReport>>,
}

fn person(name: &str, furigana: &str, phone: &str) -> BookedVolunteer {
    BookedVolunteer {
        name: name.into(),
        furigana: furigana.into(),
        birth_date: NaiveDate::from_ymd_opt(1990, 4, 1).unwrap(),
        gender: Some("male".into()),
        phone: phone.into(),
        email: None,
        address: "石川県輪島市河井町1-1".into(),
        emergency_name: "山田花子".into(),
        emergency_phone: "090-8765-4321".into(),
        kind: "individual".into(),
        group_name: None,
        group_size: None,
        skills: vec![],
        vehicle: None,
        insurance: "enrolled".into(),
        experience_count: 0,
        guardian_consent: false,
        guardian_name: None,
    }
}

fn booking(id: i64, number: &str, day: NaiveDate, seats: i64, token: &str, who: BookedVolunteer) -> BookingChange {
    BookingChange {
        booking_id: id,
        number: number.into(),
        day,
        state: BookingState::Booked,
        seats,
        qr_token: Some(token.into()),
        meeting: Some(Meeting {
            title: "河井町の泥出し".into(),
            meeting_point: "輪島市文化会館 駐車場".into(),
            meeting_time: "09:00".into(),
            bring: "長靴・ゴム手袋".into(),
        }),
        volunteer: Some(who),
    }
}

/// The hub's two sync calls: the bookings once (a first pull), then nothing
/// new; each day report acknowledged as applied.
async fn spawn_stub_hub(today: NaiveDate) -> StubHub {
    let state = Arc::new(Stub {
        bookings: vec![
            booking(1, "H-00012", today, 2, TODAY_TOKEN, person("山田太郎", "ヤマダタロウ", "090-1234-5678")),
            booking(
                2,
                "H-00013",
                today + chrono::Duration::days(2),
                1,
                OTHER_DAY_TOKEN,
                person("佐藤一郎", "サトウイチロウ", "090-2345-6789"),
            ),
        ],
        reports: Default::default(),
    });
    fn authorized(headers: &HeaderMap) -> bool {
        headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {KEY}"))
    }
    async fn bookings(
        State(stub): State<Arc<Stub>>,
        headers: HeaderMap,
        axum::extract::Query(query): axum::extract::Query<Vec<(String, String)>>,
    ) -> Result<Json<BookingsPage>, StatusCode> {
        if !authorized(&headers) {
            return Err(StatusCode::UNAUTHORIZED);
        }
        let cursor = query.iter().find(|(k, _)| k == "cursor").map(|(_, v)| v.as_str()).unwrap_or("");
        let bookings = if cursor.is_empty() { stub.bookings.clone() } else { vec![] };
        Ok(Json(BookingsPage { version: VERSION, center_id: 1, cursor: "2".into(), more: false, bookings }))
    }
    async fn days(
        State(stub): State<Arc<Stub>>,
        headers: HeaderMap,
        Json(report): Json<DayReport>,
    ) -> Result<Json<DayReportAnswer>, StatusCode> {
        if !authorized(&headers) {
            return Err(StatusCode::UNAUTHORIZED);
        }
        let answer =
            DayReportAnswer { version: VERSION, batch_id: report.batch_id.clone(), applied: true, current: true };
        stub.reports.lock().unwrap().push(report);
        Ok(Json(answer))
    }
    let router = Router::new()
        .route("/api/sync/bookings", get(bookings))
        .route("/api/sync/days", post(days))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    StubHub { url, server, state }
}

async fn status_of(session: &Session) -> Value {
    let response = session.get("/api/hub/status").await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Polls the status until `done` holds (15 s at most).
async fn wait_status(session: &Session, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let status = status_of(session).await;
        if done(&status) {
            return status;
        }
        assert!(tokio::time::Instant::now() < deadline, "the link's status never came: {status}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Links the center to the stub hub and waits for a first sync.
async fn linked(app: &TestApp, hub: &StubHub) -> (Session, Value) {
    let admin = app.admin().await;
    let response = admin.put("/api/hub/link", &json!({ "url": hub.url, "key": KEY })).await;
    assert_eq!(response.status(), 200);
    let link: Value = response.json().await.unwrap();
    assert_eq!((link["url"].as_str(), link["key_set"].as_bool()), (Some(hub.url.as_str()), Some(true)));
    let response = admin.post("/api/hub/sync", &json!({})).await;
    assert_eq!(response.status(), 202);
    let status = wait_status(&admin, |s| s["last_ok_at"].is_string()).await;
    assert_eq!(status["configured"], true);
    assert_eq!(status["error"], Value::Null);
    (admin, status)
}

#[tokio::test]
async fn without_a_hub_the_status_says_so_and_the_sync_button_is_refused() {
    let app = spawn_app().await;
    let desk = app.user_with_role("desk", "reception").await;
    let status = status_of(&desk).await;
    assert_eq!(status["configured"], false);
    assert_eq!(status["drill"], false);
    assert_eq!(status["last_ok_at"], Value::Null);
    assert!(status["now"].as_str().unwrap().len() >= 20, "the center's time: {status}");
    let response = desk.post("/api/hub/sync", &json!({})).await;
    assert_eq!(response.status(), 409);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "hub_not_configured");
}

#[tokio::test]
async fn a_drill_server_says_it_never_syncs() {
    let d = crate::drill_run::drill_in(None).await;
    let status = status_of(&d.reception).await;
    assert_eq!((status["drill"].as_bool(), status["last_attempt_at"].is_null()), (Some(true), true));
    let response = d.reception.post("/api/hub/sync", &json!({})).await;
    assert_eq!(response.status(), 409);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "drill_no_sync");
    // The desk's line says so, with no button (the words come from the catalogue, through the page).
    let Some(mut browser) = Browser::launch().await else { return };
    browser.log_in(&d.app, "reception", crate::drill_run::PASSWORD).await;
    browser.goto(&d.app.url("/reception")).await;
    browser.wait_for("!document.getElementById('hub-status').hidden").await;
    let line = browser.eval("document.querySelector('#hub-status .hub-status-line').textContent").await;
    assert_eq!(line, "訓練中は同期しません");
    assert_eq!(browser.eval("document.querySelector('#hub-status .hub-sync').hidden").await, json!(true));
}

#[tokio::test]
async fn the_desk_the_board_and_the_settings_show_the_link_and_the_desk_knows_the_bookings() {
    let Some(mut browser) = Browser::launch().await else { return };
    let app = spawn_app().await;
    let today = app.state.clock.activity_day();
    let hub = spawn_stub_hub(today).await;
    let (admin, status) = linked(&app, &hub).await;
    let synced_at = status["last_ok_at"].as_str().unwrap()[11..16].to_string();
    // A reception user may press the button too.
    let desk = app.user_with_role("desk", "reception").await;
    assert_eq!(desk.post("/api/hub/sync", &json!({})).await.status(), 202);

    // The desk: the status line, with the center's time of the last sync.
    browser.log_in(&app, "admin", ADMIN_PASSWORD).await;
    browser.goto(&app.url("/reception")).await;
    browser.wait_for("!document.getElementById('hub-status').hidden").await;
    let line = browser.eval("document.querySelector('#hub-status .hub-status-line').textContent").await;
    let line = line.as_str().unwrap().to_string();
    assert!(line.starts_with(&format!("ハブ同期 {synced_at}（")), "{line}");
    assert!(line.ends_with("分前）") || line.ends_with("たった今）"), "{line}");
    assert_eq!(browser.eval("document.querySelector('#hub-status .hub-sync').hidden").await, json!(false));

    // Today's booking, scanned: 予約あり with where they meet.
    browser.eval("document.getElementById('health-ok').checked = true").await;
    browser
        .eval(&format!(
            "{{ const i = document.getElementById('scan-input'); i.value = {}; i.form.requestSubmit(); }}",
            json!(TODAY_TOKEN)
        ))
        .await;
    browser
        .wait_for("document.getElementById('booking') && document.getElementById('result').className.includes('ok')")
        .await;
    let booked = browser.eval("document.getElementById('booking').innerText").await;
    let booked = booked.as_str().unwrap();
    for part in [
        "予約あり H-00012",
        "河井町の泥出し",
        "集合場所：輪島市文化会館 駐車場",
        "集合時刻：09:00",
        "持ち物：長靴・ゴム手袋",
        "人数：2名",
    ] {
        assert!(booked.contains(part), "{part} in {booked}");
    }
    assert!(browser.eval("document.getElementById('result').textContent").await.as_str().unwrap().contains("山田太郎"));

    // Another day's booking: the clear answer, then 当日受付として受付.
    browser.eval("document.getElementById('health-ok').checked = true").await;
    browser
        .eval(&format!(
            "{{ const i = document.getElementById('scan-input'); i.value = {}; i.form.requestSubmit(); }}",
            json!(OTHER_DAY_TOKEN)
        ))
        .await;
    browser.wait_for("document.getElementById('walk-in-booked')").await;
    let answer = browser.eval("document.getElementById('result').innerText").await;
    let answer = answer.as_str().unwrap();
    let other_day = today + chrono::Duration::days(2);
    let day = format!("{}月{}日", chrono::Datelike::month(&other_day), chrono::Datelike::day(&other_day));
    assert!(answer.contains("佐藤一郎さんの予約（H-00013）"), "{answer}");
    assert!(answer.contains(&format!("予約 H-00013（{day}）")), "{answer}");
    assert_eq!(count_checked_in(&admin).await, 1, "not checked in before the button");
    browser.eval("document.getElementById('walk-in-booked').click()").await;
    browser.wait_for("document.getElementById('result').className.includes('ok')").await;
    let done = browser.eval("document.getElementById('result').textContent").await;
    assert!(done.as_str().unwrap().contains("佐藤一郎"), "{done}");
    assert_eq!(count_checked_in(&admin).await, 2);
    browser.screenshot("hub-link-desk.png").await;

    // The board shows the same line.
    browser.goto(&app.url("/board")).await;
    browser.wait_for("!document.getElementById('hub-status').hidden").await;
    let line = browser.eval("document.querySelector('#hub-status .hub-status-line').textContent").await;
    assert!(line.as_str().unwrap().starts_with("ハブ同期 "), "{line}");

    // The settings: the link as set (never the key), a bad key refused at its field.
    browser.goto(&app.url("/settings")).await;
    assert_eq!(browser.eval("document.querySelector('#hub-link-form [name=url]').value").await, json!(hub.url));
    assert_eq!(browser.eval("document.getElementById('hub-key-set').hidden").await, json!(false));
    assert_eq!(browser.eval("document.getElementById('hub-key-set').textContent").await, json!("キー設定済み"));
    browser.wait_for("!document.getElementById('hub-status').hidden").await;
    browser
        .eval(
            "{ const f = document.getElementById('hub-link-form'); f.elements.key.value = 'abc'; f.requestSubmit(); }",
        )
        .await;
    browser.wait_for("document.querySelector('#hub-link-form .field-error[data-for=key]').textContent !== ''").await;
    let said = browser.eval("document.querySelector('#hub-link-form .field-error[data-for=key]').textContent").await;
    assert!(said.as_str().unwrap().contains("64文字"), "{said}");
    let link: Value = admin.get("/api/hub/link").await.json().await.unwrap();
    assert_eq!(link, json!({ "url": hub.url, "key_set": true }), "nothing changed");
    // A blank key keeps the one held.
    browser
        .eval("{ const f = document.getElementById('hub-link-form'); f.elements.key.value = ''; f.requestSubmit(); }")
        .await;
    browser.wait_for("!document.getElementById('hub-link-saved').hidden").await;
    let link: Value = admin.get("/api/hub/link").await.json().await.unwrap();
    assert_eq!(link, json!({ "url": hub.url, "key_set": true }));

    // The hub goes away: 今すぐ同期 on the board, and the line says since when it is out of reach.
    // The day went back to the hub: the booking that came, and the walk-in.
    admin.post("/api/hub/sync", &json!({})).await;
    let report = wait_report(&hub, |r| r.day == today && r.figures.checked_in == 2).await;
    assert_eq!(report.arrivals.iter().map(|a| a.booking_id).collect::<Vec<_>>(), [1]);
    assert_eq!((report.figures.booked_came, report.figures.walk_ins), (1, 1));
    hub.server.abort();
    let _ = hub.server.await;
    browser.goto(&app.url("/board")).await;
    browser.wait_for("!document.querySelector('#hub-status .hub-sync').hidden").await;
    browser.eval("document.querySelector('#hub-status .hub-sync').click()").await;
    browser.wait_for("document.getElementById('hub-status').classList.contains('failed')").await;
    let line = browser.eval("document.querySelector('#hub-status .hub-status-line').textContent").await;
    let last_ok = status_of(&admin).await["last_ok_at"].as_str().unwrap()[11..16].to_string();
    assert_eq!(line, json!(format!("ハブに接続できません（最終同期 {last_ok}）")));
    let reason = browser.eval("document.querySelector('#hub-status .hub-status-reason').textContent").await;
    assert!(reason.as_str().unwrap().contains("ハブに接続できません（"), "the error's reason: {reason}");
    assert_eq!(browser.eval("document.getElementById('hub-status').title").await, reason);
    browser.screenshot("hub-link-board-failed.png").await;
    // In English too.
    browser.eval("document.querySelector('a[hreflang=en]').click()").await;
    browser.wait_for("document.documentElement.lang === 'en' && document.getElementById('hub-status').classList.contains('failed')").await;
    let line = browser.eval("document.querySelector('#hub-status .hub-status-line').textContent").await;
    assert_eq!(line, json!(format!("Cannot reach the hub (last sync {last_ok})")));
    assert_eq!(browser.eval("document.querySelector('#hub-status .hub-sync').textContent").await, "Sync now");
}

/// Waits for a day report the stub hub received (15 s at most).
async fn wait_report(hub: &StubHub, wanted: impl Fn(&DayReport) -> bool) -> DayReport {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(report) = hub.state.reports.lock().unwrap().iter().rev().find(|r| wanted(r)) {
            return report.clone();
        }
        assert!(tokio::time::Instant::now() < deadline, "no such day report reached the stub hub");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn count_checked_in(session: &Session) -> i64 {
    let today: Value = session.get("/api/reception/today").await.json().await.unwrap();
    today["checked_in"].as_i64().unwrap()
}

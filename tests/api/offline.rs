//! The desks offline, in headless Chromium: writes wait in the IndexedDB queue
//! (with their Idempotency-Key), survive a reload served by the service worker,
//! and are sent in order, once each, when the link returns; a write the server
//! refuses on replay waits in a visible list until the desk resolves it.
//!
//! "Offline" is DevTools' network emulation on the page *and* on the service
//! worker (a separate DevTools target that the page's emulation does not
//! cover), through a second DevTools connection of the test's own; each test
//! checks that neither can reach the server while offline.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::bodies::registration;
use crate::browser::{Browser, DevTools};
use crate::helpers::{Session, TestApp, spawn_app_at};

/// 2026-07-12 is a Sunday, 08:00 at the center.
const MORNING: &str = "2026-07-12T08:00:00+09:00";
const TODAY: &str = "2026-07-12";

/// The session of the first target `wanted` picks, attached on `cdp`.
async fn attach_first(cdp: &mut DevTools, what: &str, wanted: impl Fn(&Value) -> bool) -> String {
    let targets = cdp.call(None, "Target.getTargets", json!({})).await;
    let target = targets["targetInfos"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| wanted(t))
        .unwrap_or_else(|| panic!("{what}: {targets}"))
        .clone();
    cdp.attach(target["targetId"].as_str().unwrap()).await
}

/// Attaches to this origin's service worker and returns the session.
async fn attach_service_worker(cdp: &mut DevTools, app: &TestApp) -> String {
    let script = json!(app.url("/sw.js"));
    let session =
        attach_first(cdp, "a service worker target", |t| t["type"] == "service_worker" && t["url"] == script).await;
    cdp.call(Some(&session), "Network.enable", json!({})).await;
    session
}

/// Attaches to the page at `url` (for `Fetch`: the test's own interception).
async fn attach_page(cdp: &mut DevTools, url: &str) -> String {
    attach_first(cdp, &format!("the page {url}"), |t| t["type"] == "page" && t["url"] == json!(url)).await
}

fn conditions(offline: bool) -> Value {
    json!({ "offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 })
}

const CAN_FETCH: &str = "fetch('/healthz', { cache: 'no-store' }).then(() => 'online', () => 'offline')";

/// The page and its service worker lose (or get back) the network, and each
/// says whether it can reach the server.
async fn set_offline(browser: &mut Browser, cdp: &mut DevTools, worker: &str, offline: bool) {
    browser.command("Network.emulateNetworkConditions", conditions(offline), true).await;
    cdp.call(Some(worker), "Network.emulateNetworkConditions", conditions(offline)).await;
    let expected = if offline { "offline" } else { "online" };
    assert_eq!(cdp.eval(worker, CAN_FETCH).await, expected, "the service worker's network");
    assert_eq!(browser.eval(CAN_FETCH).await, expected, "the page's network");
    browser.wait_for(&format!("navigator.onLine === {}", !offline)).await;
}

/// A DevTools port nobody uses (the test's second connection needs to know it).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Chromium with a known DevTools port; None where Chromium is missing (see `Browser::launch`).
async fn launch() -> Option<(Browser, u16)> {
    let port = free_port();
    let browser = Browser::launch_with(&[format!("--remote-debugging-port={port}")]).await?;
    Some((browser, port))
}

fn person(i: usize) -> Value {
    registration(&format!("事前 {i:02}"), "ジゼン", &format!("090-{:04}-{:04}", 1000 + i, 2000 + i), TODAY)
}

/// Pre-registers `n` volunteers on the public form's API; returns their QR tokens.
async fn pre_register(app: &TestApp, n: usize) -> Vec<String> {
    let client = reqwest::Client::new();
    let mut tokens = Vec::new();
    for i in 1..=n {
        let response = client.post(app.url("/api/public/registrations")).json(&person(i)).send().await.unwrap();
        assert_eq!(response.status(), 201);
        let receipt: Value = response.json().await.unwrap();
        tokens.push(receipt["qr_token"].as_str().unwrap().to_string());
    }
    tokens
}

async fn scalar(app: &TestApp, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.state.db.read).await.unwrap()
}

/// Logs the desk in on /reception and waits until the service worker controls
/// the page and holds its HTML.
async fn open_desk(browser: &mut Browser, app: &TestApp) -> Session {
    let desk = app.user_with_role("uketsuke", "reception").await;
    browser.log_in(app, "uketsuke", "uketsuke-password").await;
    browser.goto(&app.url("/reception")).await;
    browser.wait_for("navigator.serviceWorker && navigator.serviceWorker.controller !== null").await;
    wait_long(browser, "caches.match('/reception').then(page => page !== undefined)", 10).await;
    browser.eval("document.getElementById('health-ok').checked = true").await;
    desk
}

/// Polls `condition` (a promise may be awaited) for up to `seconds`.
async fn wait_long(browser: &mut Browser, condition: &str, seconds: u64) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let probe =
        format!("(async () => {{ try {{ return !!(await ({condition})); }} catch (e) {{ return false; }} }})()");
    loop {
        if browser.eval(&probe).await == json!(true) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for: {condition}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

const PENDING: &str = "document.getElementById('offline-badge').dataset.pending";
const BADGE: &str = "document.getElementById('offline-badge').textContent";

/// The desk asks each person about their health (the tick clears after each
/// check-in), then scans their badge.
async fn scan(browser: &mut Browser, code: &str) {
    browser
        .eval(&format!(
            "{{ document.getElementById('health-ok').checked = true;
               const i = document.getElementById('scan-input'); i.value = {}; i.form.requestSubmit(); }}",
            json!(code)
        ))
        .await;
}

/// A walk-in's form, and their health asked at the desk.
async fn fill_walk_in(browser: &mut Browser) {
    browser
        .eval(
            "{ const f = document.getElementById('registration');
               f.elements.name.value = '山田 太郎'; f.elements.furigana.value = 'ヤマダ タロウ';
               f.elements.birth_date.value = '1988-10-10'; f.elements.phone.value = '090-7777-8888';
               f.elements.address.value = '石川県金沢市'; f.elements.emergency_name.value = '家族 連絡';
               f.elements.emergency_phone.value = '076-220-2111';
               f.querySelector('input[name=insurance][value=enrolled]').checked = true;
               document.getElementById('health-ok').checked = true; }",
        )
        .await;
}

#[tokio::test]
async fn offline_the_desk_queues_check_ins_and_a_walk_in_keeps_them_over_a_reload_and_sends_each_once() {
    let Some((mut browser, port)) = launch().await else { return };
    let app = spawn_app_at(MORNING, |_| {}).await;
    let tokens = pre_register(&app, 3).await;
    open_desk(&mut browser, &app).await;
    assert_eq!(browser.eval("document.getElementById('offline-badge').hidden").await, true, "nothing waits");

    let mut cdp = DevTools::connect_to_port(port).await;
    let worker = attach_service_worker(&mut cdp, &app).await;
    browser.command("Network.enable", json!({}), true).await;
    set_offline(&mut browser, &mut cdp, &worker, true).await;
    browser.wait_for("!document.getElementById('offline-link').hidden").await;

    // Three badges scanned and one walk-in registered, all while offline.
    for (i, token) in tokens.iter().enumerate() {
        scan(&mut browser, token).await;
        browser.wait_for(&format!("{PENDING} === '{}'", i + 1)).await;
    }
    assert!(browser.eval("document.getElementById('result').textContent").await.as_str().unwrap().contains("未送信"));
    fill_walk_in(&mut browser).await;
    browser.eval("document.getElementById('registration').requestSubmit()").await;
    browser.wait_for(&format!("{PENDING} === '4'")).await;
    assert_eq!(browser.eval(BADGE).await, "未送信 4件");
    let result = browser.eval("document.getElementById('result').textContent").await;
    assert!(result.as_str().unwrap().contains("未送信：通信が戻ったら送ります"), "{result}");
    assert!(result.as_str().unwrap().contains("当日受付 山田 太郎"), "{result}");
    browser.eval("document.getElementById('offline-badge').click()").await;
    let listed =
        browser.eval("[...document.querySelectorAll('#offline-pending li span')].map(s => s.textContent)").await;
    assert_eq!(listed.as_array().unwrap().len(), 4, "{listed}");
    assert_eq!(listed[3], "当日受付 山田 太郎");
    browser.screenshot("offline-queue.png").await;
    // Every queued write has its key; the walk-in carries its check-in.
    let items = browser.eval("Borasen.offline.items()").await;
    let items = items.as_array().unwrap().clone();
    assert_eq!(items.len(), 4);
    for item in &items {
        let key = item["key"].as_str().unwrap();
        assert!(
            (8..=100).contains(&key.len()) && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "{key}"
        );
    }
    assert_eq!(items[3]["path"], "/api/volunteers");
    assert_eq!(items[3]["then"], json!({ "path": "/api/checkins", "body": { "health_ok": true } }));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM checkins").await, 0, "nothing reached the server");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM volunteers").await, 3, "nothing reached the server");

    // The tablet reloads while still offline: the page comes from the service
    // worker's cache and the queue from IndexedDB.
    browser.eval("window.beforeReload = true").await;
    browser.goto(&app.url("/reception")).await;
    browser.wait_for("window.beforeReload === undefined && document.getElementById('scan-input') !== null").await;
    browser.wait_for(&format!("{PENDING} === '4'")).await;
    assert_eq!(browser.eval(BADGE).await, "未送信 4件");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM checkins").await, 0, "nothing reached the server");
    browser.screenshot("offline-reloaded.png").await;

    // The link returns: everything is sent, in order, once.
    set_offline(&mut browser, &mut cdp, &worker, false).await;
    wait_long(&mut browser, "Borasen.offline.idle()", 20).await;
    browser.wait_for(&format!("{PENDING} === '0' && document.getElementById('offline-badge').hidden")).await;
    browser.wait_for("document.getElementById('count-checked-in').textContent === '4'").await;
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM volunteers").await, 4, "the walk-in registered once");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM volunteers WHERE name = '山田 太郎'").await, 1);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM checkins").await, 4);
    assert_eq!(scalar(&app, "SELECT COUNT(DISTINCT volunteer_id) FROM checkins").await, 4, "each checked in once");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM events WHERE kind = 'volunteer.checked_in'").await, 4);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM events WHERE kind = 'volunteer.registered'").await, 4);
    // Sent in the order they were made: the three badges, then the walk-in.
    let order: Vec<i64> =
        sqlx::query_scalar("SELECT v.number FROM checkins c JOIN volunteers v ON v.id = c.volunteer_id ORDER BY c.id")
            .fetch_all(&app.state.db.read)
            .await
            .unwrap();
    assert_eq!(order, vec![1, 2, 3, 4]);
    assert_eq!(browser.eval("document.getElementById('offline-refused-badge').hidden").await, true);
    // The walk-in, now registered and checked in, gets the badge button a walk-in gets online.
    browser.wait_for("document.getElementById('walk-in-badge') !== null").await;
    assert_eq!(
        browser.eval("document.getElementById('walk-in-badge').href").await,
        app.url("/api/volunteers/4/badge.pdf")
    );
}

#[tokio::test]
async fn offline_a_check_in_refused_on_replay_waits_in_a_visible_list_until_the_desk_resolves_it() {
    let Some((mut browser, port)) = launch().await else { return };
    let app = spawn_app_at(MORNING, |_| {}).await;
    pre_register(&app, 2).await;
    let desk = open_desk(&mut browser, &app).await;
    let mut cdp = DevTools::connect_to_port(port).await;
    let worker = attach_service_worker(&mut cdp, &app).await;
    browser.command("Network.enable", json!({}), true).await;
    set_offline(&mut browser, &mut cdp, &worker, true).await;

    scan(&mut browser, "V-0001").await;
    browser.wait_for(&format!("{PENDING} === '1'")).await;
    scan(&mut browser, "V-0002").await;
    browser.wait_for(&format!("{PENDING} === '2'")).await;
    // Meanwhile another desk checks V-0001 in.
    let other = desk.post("/api/checkins", &json!({ "volunteer_no": "V-0001", "health_ok": true })).await;
    assert_eq!(other.status(), 201);

    set_offline(&mut browser, &mut cdp, &worker, false).await;
    wait_long(&mut browser, "Borasen.offline.idle()", 20).await;
    browser.wait_for("document.getElementById('offline-refused-badge').dataset.refused === '1'").await;
    assert_eq!(
        browser.eval("document.getElementById('offline-refused-badge').textContent").await,
        "送信できなかった操作 1件"
    );
    assert_eq!(
        browser.eval("document.getElementById('offline-panel').hidden").await,
        false,
        "the panel opens by itself"
    );
    let refused = browser.eval("document.querySelector('#offline-refused li').textContent").await;
    let refused = refused.as_str().unwrap();
    assert!(refused.contains("受付 V-0001"), "{refused}");
    assert!(refused.contains("（V-0001）は本日 08:00 に受付済みです"), "the server's Japanese message: {refused}");
    assert_eq!(
        browser.eval("document.querySelector('#offline-refused li .offline-resend')").await,
        Value::Null,
        "sending it again cannot help"
    );
    browser.screenshot("offline-refused.png").await;
    // The item behind it went through; V-0001 was checked in once (by the other desk).
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM checkins").await, 2);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM events WHERE kind = 'volunteer.checked_in'").await, 2);

    // Resolved: gone from the list and from IndexedDB, also after a reload.
    browser.eval("document.querySelector('#offline-refused li .offline-resolve').click()").await;
    browser.wait_for("document.getElementById('offline-refused-badge').hidden").await;
    browser.wait_for("document.getElementById('offline-refused') === null").await;
    browser.goto(&app.url("/reception")).await;
    assert_eq!(browser.eval("Borasen.offline.items().then(i => i.length)").await, 0);
}

#[tokio::test]
async fn offline_fifty_queued_check_ins_are_replayed_once_each_and_the_time_is_printed() {
    let Some((mut browser, port)) = launch().await else { return };
    let app = spawn_app_at(MORNING, |_| {}).await;
    pre_register(&app, 50).await;
    open_desk(&mut browser, &app).await;
    let mut cdp = DevTools::connect_to_port(port).await;
    let worker = attach_service_worker(&mut cdp, &app).await;
    browser.command("Network.enable", json!({}), true).await;
    set_offline(&mut browser, &mut cdp, &worker, true).await;

    // The desk's own check-in function, as a scanner would call it.
    for i in 1..=50 {
        // Each person's health is asked (the tick clears after each check-in).
        browser
            .eval(&format!(
                "document.getElementById('health-ok').checked = true; window.borasenCheckIn({{ volunteer_no: 'V-{i:04}' }})"
            ))
            .await;
    }
    browser.wait_for(&format!("{PENDING} === '50'")).await;
    assert_eq!(browser.eval(BADGE).await, "未送信 50件");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM checkins").await, 0, "nothing reached the server");

    let started = Instant::now();
    set_offline(&mut browser, &mut cdp, &worker, false).await;
    wait_long(&mut browser, "Borasen.offline.idle()", 60).await;
    let took = started.elapsed();
    eprintln!("offline queue: 50 check-ins replayed in {took:?} after the link returned (goal < 5 s)");

    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM checkins").await, 50);
    assert_eq!(scalar(&app, "SELECT COUNT(DISTINCT volunteer_id) FROM checkins").await, 50, "no duplicates");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM events WHERE kind = 'volunteer.checked_in'").await, 50);
    browser.wait_for("document.getElementById('offline-refused-badge').hidden").await;
    browser.wait_for("document.getElementById('count-checked-in').textContent === '50'").await;
}

/// Runs `act` in the page and makes the server's answer to its first request
/// to `pattern` get lost on the way back: the server has written, the page sees
/// a network error (Wi-Fi dropping at the worst moment).
/// Returns the request's Idempotency-Key.
async fn lose_the_answer(browser: &mut Browser, cdp: &mut DevTools, page: &str, pattern: &str, act: &str) -> String {
    let patterns = json!({ "patterns": [{ "urlPattern": pattern, "requestStage": "Response" }] });
    cdp.call(Some(page), "Fetch.enable", patterns).await;
    browser.eval(&format!("void setTimeout(() => {{ {act}; }}, 0)")).await; // not awaited: its answer is held
    let paused = cdp.next_event("Fetch.requestPaused").await;
    assert!(paused["responseStatusCode"].as_i64().unwrap() < 300, "the server wrote: {paused}");
    cdp.call(
        Some(page),
        "Fetch.failRequest",
        json!({ "requestId": paused["requestId"], "errorReason": "ConnectionReset" }),
    )
    .await;
    cdp.call(Some(page), "Fetch.disable", json!({})).await;
    paused["request"]["headers"]["Idempotency-Key"].as_str().expect("the write carried a key").to_string()
}

/// Waits for the server's Idempotency-Key store (the lead's branch): before it,
/// the second send of each write is refused (already checked in; a duplicate).
#[tokio::test]
async fn offline_a_write_whose_answer_was_lost_is_sent_again_with_its_key_and_applied_once() {
    let Some((mut browser, port)) = launch().await else { return };
    let app = spawn_app_at(MORNING, |_| {}).await;
    pre_register(&app, 1).await;
    open_desk(&mut browser, &app).await;
    let mut cdp = DevTools::connect_to_port(port).await;
    let page = attach_page(&mut cdp, &app.url("/reception")).await;
    browser
        .eval(
            "window.sent = []; window.tried = [];
             document.addEventListener('borasen:offline-sent', e => { window.tried.push(e.detail.item.key);
               window.sent.push([e.detail.item.label, e.detail.answer.status, e.detail.answer.replayed]); });
             document.addEventListener('borasen:offline-refused', e => window.tried.push(e.detail.item.key));",
        )
        .await;

    // A check-in: written, answer lost; the queue sends it again with the same key.
    let key = lose_the_answer(
        &mut browser,
        &mut cdp,
        &page,
        "*/api/checkins",
        "window.borasenCheckIn({ volunteer_no: 'V-0001' })",
    )
    .await;
    wait_long(&mut browser, "Borasen.offline.idle()", 20).await;
    browser.wait_for("window.tried.length === 1").await;
    assert_eq!(browser.eval("window.tried[0]").await, json!(key), "sent again with the same key");
    // The server's part:
    assert_eq!(browser.eval("window.sent").await, json!([["受付 V-0001", 201, true]]), "answered from the store");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM events WHERE kind = 'volunteer.checked_in'").await, 1);

    // A walk-in: registered, answer lost; sent again as one item (registration by
    // its key, then the check-in by `<key>-checkin`).
    fill_walk_in(&mut browser).await;
    let key = lose_the_answer(
        &mut browser,
        &mut cdp,
        &page,
        "*/api/volunteers",
        "document.getElementById('registration').requestSubmit()",
    )
    .await;
    wait_long(&mut browser, "Borasen.offline.idle()", 20).await;
    browser.wait_for("window.tried.length === 2").await;
    assert_eq!(browser.eval("window.tried[1]").await, json!(key), "sent again with the same key");
    browser.wait_for("window.sent.length === 2").await;
    assert_eq!(browser.eval("window.sent[1].slice(0, 2)").await, json!(["当日受付 V-0002 山田 太郎", 201]));
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM events WHERE kind = 'volunteer.registered'").await,
        2,
        "registered once"
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM events WHERE kind = 'volunteer.checked_in'").await, 2);
    assert_eq!(browser.eval("document.getElementById('offline-refused-badge').hidden").await, true, "nothing refused");
}

//! The desks as tablets use them: equipment codes on the matching desk, the
//! home page's way to `/setup`, and (ignored, run by hand) `/reception` over a
//! weak Wi-Fi, measured in headless Chromium:
//! `cargo test --test api tablet -- --ignored --nocapture`.

use std::collections::HashSet;
use std::time::Duration;

use serde_json::{Value, json};

use crate::browser::Browser;
use crate::helpers::{TestApp, spawn_app};

/// Puts `code` in the matching desk's scan field and presses Enter, as a reader does.
async fn scan(browser: &mut Browser, code: &str) {
    browser
        .eval(&format!(
            "{{ const i = document.getElementById('scan'); i.value = {}; i.form.requestSubmit(); }}",
            json!(code)
        ))
        .await;
}

/// The matching desk's answer to the last scan, once it says `part`.
async fn scan_says(browser: &mut Browser, part: &str) -> String {
    browser.wait_for(&format!("document.getElementById('scan-result').textContent.includes({})", json!(part))).await;
    browser.eval("document.getElementById('scan-result').className + ' ' + document.getElementById('scan-result').textContent")
        .await
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn the_matching_desk_lends_an_item_whose_printed_code_is_scanned() {
    let Some(mut browser) = Browser::launch().await else { return };
    let c = crate::dispatch::center().await;
    for i in 0..2 {
        crate::dispatch::volunteer(&c, i, "enrolled", true).await;
    }
    crate::dispatch::need(&c, 1).await;
    browser.log_in(&c.app, "coordinator", "demo-pass-2026").await;
    browser.goto(&c.app.url("/matching")).await;
    browser.wait_for("document.querySelectorAll('#pool button').length === 2").await;
    // The demo's 14 items, each with its printed code (剣スコップ E-01, 高圧洗浄機 E-05: 3 in stock).
    browser.wait_for("document.querySelectorAll('#loan-item option').length === 14").await;

    scan(&mut browser, "N-0001").await;
    scan(&mut browser, "V-0001").await;
    scan(&mut browser, "V-0002").await;
    browser.wait_for("document.querySelectorAll('#members li').length === 2").await;

    // The printed code, then the same code as a reader on a Japanese keyboard types it.
    scan(&mut browser, "E-01").await;
    let said = scan_says(&mut browser, "剣スコップ を貸出に加えました（1本）").await;
    assert!(said.starts_with("result ok"), "confirmed as other scans are: {said}");
    assert_eq!(browser.eval("document.querySelector('#loans li').textContent").await, "剣スコップ × 1×");
    scan(&mut browser, "ｅ－０１").await;
    scan_says(&mut browser, "剣スコップ を貸出に加えました（2本）").await;
    assert_eq!(browser.eval("document.querySelectorAll('#loans li').length").await, 1, "one line, two of them");
    // Three in stock: a fourth is refused on the desk, before the server would.
    for n in 1..=3 {
        scan(&mut browser, "E-05").await;
        scan_says(&mut browser, &format!("高圧洗浄機 を貸出に加えました（{n}台）")).await;
    }
    scan(&mut browser, "E-05").await;
    let said = scan_says(&mut browser, "高圧洗浄機 は在庫が足りません（在庫 3台）").await;
    assert!(said.starts_with("result err"), "{said}");
    // An unknown code says so.
    scan(&mut browser, "EQ-0099").await;
    let said = scan_says(&mut browser, "「EQ-0099」は名札・ニーズ票・資機材のどのコードにも当たりません。").await;
    assert!(said.starts_with("result err"), "{said}");
    // An item registered after the page loaded its list is found too.
    let body = json!({ "name": "水中ポンプ", "unit": "台", "kind": "durable", "source": "purchased", "code": "EQ-0010",
                       "low_stock_threshold": 0, "initial_stock": 4 });
    let response = c.app.admin().await.post("/api/items", &body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    scan(&mut browser, "eq-0010").await;
    scan_says(&mut browser, "水中ポンプ を貸出に加えました（1台）").await;
    assert_eq!(browser.eval("document.querySelectorAll('#loans li').length").await, 3);
    assert_eq!(browser.eval("document.activeElement.id").await, "scan", "ready for the next scan");
    browser.screenshot("matching-equipment.png").await;

    // Enter on the empty field sends the team with its loans.
    scan(&mut browser, "").await;
    browser.wait_for("!document.getElementById('dispatched').hidden").await;
    let teams: Value = c.coordinator.get("/api/teams?status=dispatched").await.json().await.unwrap();
    let id = teams[0]["id"].as_i64().unwrap();
    let lent: Value = c.coordinator.get(&format!("/api/teams/{id}/equipment")).await.json().await.unwrap();
    let mut lines: Vec<(String, i64)> = lent
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["name"].as_str().unwrap().to_string(), l["qty"].as_i64().unwrap()))
        .collect();
    lines.sort();
    assert_eq!(
        lines,
        vec![("剣スコップ".to_string(), 2), ("水中ポンプ".to_string(), 1), ("高圧洗浄機".to_string(), 3)]
    );
}

#[tokio::test]
async fn the_home_page_links_staff_to_the_tablet_setup_in_both_languages() {
    let app = spawn_app().await;
    let desk = app.user_with_role("uketsuke", "reception").await;
    let home = desk.get("/").await.text().await.unwrap();
    assert!(home.contains(r#"<a href="/setup">タブレットの設定（証明書）</a>"#), "{home}");
    let english = desk.speaking("en").get("/").await.text().await.unwrap();
    assert!(english.contains(r#"<a href="/setup">Set up tablets (certificate)</a>"#), "{english}");
    assert_eq!(reqwest::get(app.url("/setup")).await.unwrap().status(), 200, "the link leads somewhere");
}

// ---- /reception under a weak Wi-Fi ----

/// 1.5 Mbit/s each way, 300 ms round trip: a center's Wi-Fi at the far end of a gym.
fn weak_wifi() -> Value {
    json!({ "offline": false, "latency": 300, "downloadThroughput": 1.5e6 / 8.0, "uploadThroughput": 1.5e6 / 8.0 })
}

struct Visit {
    /// Bytes received for every request of the page (and of its service worker):
    /// `Network.loadingFinished.encodedDataLength`, headers included.
    wire: i64,
    /// The same, as the page's Resource Timing says (`transferSize`).
    transfer: i64,
    /// Response bodies as sent and as decoded (`encodedBodySize`, `decodedBodySize`).
    encoded: i64,
    decoded: i64,
    /// `domContentLoadedEventEnd`: the deferred scripts (desk.js) have run and
    /// the scan field has its listeners.
    dcl_ms: f64,
    requests: usize,
    /// Of those, made by the service worker (on its own DevTools session).
    by_worker: usize,
}

/// One visit of `/reception` from about:blank; figures once the page has settled.
async fn visit(browser: &mut Browser, app: &TestApp) -> Visit {
    let page = browser.page_session().to_string();
    browser.goto("about:blank").await;
    browser.take_events().await;
    browser.goto(&app.url("/reception")).await;
    browser.wait_for("document.activeElement && document.activeElement.id === 'scan-input'").await;
    // The desk's first API reads and the websocket come after DCL: let them land.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let events = browser.take_events().await;
    // A response the service worker gave the page came over no wire (the
    // worker's own fetches, recorded on its session, did).
    let key = |e: &Value| (e["sessionId"].to_string(), e["params"]["requestId"].to_string());
    let from_worker: HashSet<(String, String)> = events
        .iter()
        .filter(|e| e["method"] == "Network.responseReceived" && e["params"]["response"]["fromServiceWorker"] == true)
        .map(key)
        .collect();
    let finished: Vec<&Value> =
        events.iter().filter(|e| e["method"] == "Network.loadingFinished" && !from_worker.contains(&key(e))).collect();
    let wire = finished.iter().map(|e| e["params"]["encodedDataLength"].as_f64().unwrap_or(0.0) as i64).sum();
    let timing = browser
        .eval(
            "(() => { const n = performance.getEntriesByType('navigation')[0];
                      const all = [n].concat(performance.getEntriesByType('resource'));
                      const sum = k => all.reduce((s, e) => s + (e[k] || 0), 0);
                      return { dcl: n.domContentLoadedEventEnd, transfer: sum('transferSize'),
                               encoded: sum('encodedBodySize'), decoded: sum('decodedBodySize') }; })()",
        )
        .await;
    Visit {
        wire,
        transfer: timing["transfer"].as_i64().unwrap_or(0),
        encoded: timing["encoded"].as_i64().unwrap_or(0),
        decoded: timing["decoded"].as_i64().unwrap_or(0),
        dcl_ms: timing["dcl"].as_f64().unwrap(),
        requests: finished.len(),
        by_worker: finished.iter().filter(|e| e["sessionId"] != json!(page)).count(),
    }
}

/// This origin's service worker target, once it runs.
async fn service_worker(browser: &mut Browser, app: &TestApp) -> String {
    let url = json!(app.url("/sw.js"));
    for _ in 0..100 {
        let targets = browser.command("Target.getTargets", json!({}), false).await;
        if let Some(worker) =
            targets["targetInfos"].as_array().unwrap().iter().find(|t| t["type"] == "service_worker" && t["url"] == url)
        {
            return worker["targetId"].as_str().unwrap().to_string();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no service worker for {url}");
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.partial_cmp(b).unwrap());
    values[values.len() / 2]
}

#[tokio::test]
#[ignore = "a benchmark: cargo test --test api tablet -- --ignored --nocapture"]
async fn tablet_reception_under_weak_wifi_bytes_and_time_to_the_scan_field() {
    const RUNS: usize = 3;
    let Some(mut browser) = Browser::launch().await else { return };
    let app = spawn_app().await;
    app.user_with_role("uketsuke", "reception").await;
    browser.log_in(&app, "uketsuke", "uketsuke-password").await;
    let page = browser.page_session().to_string();
    browser.command("Network.enable", json!({}), true).await;
    browser.record_events();

    let variants = [
        ("cold, no compression (before)", true, true, false),
        ("cold, br/gzip (after)", true, false, false),
        ("warm, HTTP cache, no SW", false, false, false),
        ("warm, service worker", false, false, true),
    ];
    let mut rows = Vec::new();
    for (name, cold, identity, worker) in variants {
        browser.command("Network.setCacheDisabled", json!({ "cacheDisabled": cold }), true).await;
        browser.command("Network.setBypassServiceWorker", json!({ "bypass": !worker }), true).await;
        let headers = if identity { json!({ "Accept-Encoding": "identity" }) } else { json!({}) };
        browser.command("Network.setExtraHTTPHeaders", json!({ "headers": headers }), true).await;
        if worker {
            // Installed and in control: its own fetches (network first) on the same weak link.
            browser
                .command(
                    "Network.emulateNetworkConditions",
                    json!({ "offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 }),
                    true,
                )
                .await;
            browser.goto(&app.url("/reception")).await;
            browser.wait_for("navigator.serviceWorker.controller !== null").await;
            let target = service_worker(&mut browser, &app).await;
            let session = browser.attach(&target).await;
            browser.command_in(Some(&session), "Network.enable", json!({})).await;
            browser.command_in(Some(&session), "Network.emulateNetworkConditions", weak_wifi()).await;
        } else if !cold {
            // The first visit fills the HTTP cache.
            browser.command("Network.emulateNetworkConditions", weak_wifi(), true).await;
            visit(&mut browser, &app).await;
        }
        browser.command_in(Some(&page), "Network.emulateNetworkConditions", weak_wifi()).await;
        let mut visits = Vec::new();
        for _ in 0..RUNS {
            visits.push(visit(&mut browser, &app).await);
        }
        // Correctness only: the desk is usable, and compression is what the variant says.
        assert_eq!(browser.eval("document.getElementById('scan-input') === document.activeElement").await, true);
        if identity {
            assert!(visits.iter().all(|v| v.encoded == v.decoded), "{name}: sent uncompressed");
        }
        if cold && !identity {
            assert!(visits.iter().all(|v| v.encoded < v.decoded), "{name}: sent compressed");
        }
        rows.push((name, visits));
    }

    println!(
        "\n/reception under weak Wi-Fi (1.5 Mbit/s, 300 ms RTT; headless Chromium {RUNS} runs each; debug server):"
    );
    println!(
        "| variant | bytes on the wire (median) | transferSize | body sent / decoded | requests (by the SW) | DCL ms median | min | max |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (name, visits) in &rows {
        let dcl: Vec<f64> = visits.iter().map(|v| v.dcl_ms).collect();
        let wire = median(visits.iter().map(|v| v.wire as f64).collect());
        let transfer = median(visits.iter().map(|v| v.transfer as f64).collect());
        let encoded = median(visits.iter().map(|v| v.encoded as f64).collect());
        let decoded = median(visits.iter().map(|v| v.decoded as f64).collect());
        println!(
            "| {name} | {wire:.0} | {transfer:.0} | {encoded:.0} / {decoded:.0} | {} ({}) | {:.0} | {:.0} | {:.0} |",
            visits[0].requests,
            visits[0].by_worker,
            median(dcl.clone()),
            dcl.iter().cloned().fold(f64::INFINITY, f64::min),
            dcl.iter().cloned().fold(0.0, f64::max),
        );
    }
}

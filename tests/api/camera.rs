//! Camera scanning in headless Chromium through the vendored decoder: a fake
//! camera plays a still picture of a QR code (a `.y4m` file) and the page's
//! `BarcodeDetector` is deleted before any script runs, so `camera.js` must load
//! barcode-detector + zxing-wasm from `/assets/vendor/`. Every host but the
//! test server is unresolvable, so a CDN fetch would fail the scan.
//! Also: the vendored files are served as committed, with the right types.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::browser::Browser;
use crate::helpers::{TestApp, spawn_app};

/// Where the browser opens the pages: the one place to change when the tests
/// move to HTTPS with the center's local CA.
fn page(app: &TestApp, path: &str) -> String {
    app.url(path)
}

/// A fake camera showing `text` as a QR code: YUV4MPEG2, 640×480, a few
/// identical frames (Chromium loops the file). Modules are 6 px with a white
/// quiet zone, as a badge held up to a tablet would be.
fn qr_video(dir: &Path, text: &str) -> PathBuf {
    const W: usize = 640;
    const H: usize = 480;
    const MODULE: usize = 6;
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).expect("QR encodes");
    let colors = code.to_colors();
    let width = code.width();
    let side = width * MODULE;
    assert!(side + 8 * MODULE <= H, "the code fits the frame with its quiet zone");
    let (left, top) = ((W - side) / 2, (H - side) / 2);
    let mut luma = vec![235u8; W * H]; // light grey paper, white enough for any reader
    for y in 0..side {
        for x in 0..side {
            if colors[(y / MODULE) * width + x / MODULE] == qrcode::Color::Dark {
                luma[(top + y) * W + left + x] = 16;
            }
        }
    }
    let chroma = vec![128u8; (W / 2) * (H / 2)];
    let mut file = format!("YUV4MPEG2 W{W} H{H} F10:1 Ip A1:1 C420jpeg\n").into_bytes();
    for _ in 0..5 {
        file.extend_from_slice(b"FRAME\n");
        file.extend_from_slice(&luma);
        file.extend_from_slice(&chroma);
        file.extend_from_slice(&chroma);
    }
    let path = dir.join("camera.y4m");
    std::fs::write(&path, file).unwrap();
    path
}

/// A name for the test server that is not a secure context (plain HTTP off
/// 127.0.0.1), as a tablet on the center's Wi-Fi sees the laptop today.
const PLAIN_HOST: &str = "desk.borasen.test";

/// Chromium with the fake camera, the permission granted, and no name
/// resolution but for the test server (no CDN can be reached).
async fn browser_with_camera(video: &Path) -> Option<Browser> {
    let flags = [
        "--use-fake-device-for-media-stream".to_string(),
        "--use-fake-ui-for-media-stream".to_string(),
        format!("--use-file-for-fake-video-capture={}", video.display()),
        format!("--host-resolver-rules=MAP {PLAIN_HOST} 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
    ];
    let mut browser = Browser::launch_with(&flags).await?;
    // Before any page script: no native BarcodeDetector (as on iPad Safari,
    // Firefox, Chrome on Windows), and every POST /api/checkins counted.
    let before_pages = "delete window.BarcodeDetector;
        window.__checkinPosts = 0;
        const borasenFetch = window.fetch;
        window.fetch = function (url, init) {
          if (String(url).indexOf('/api/checkins') >= 0 && init && init.method === 'POST') window.__checkinPosts += 1;
          return borasenFetch.apply(this, arguments);
        };";
    browser.command("Page.enable", json!({}), true).await;
    browser.command("Page.addScriptToEvaluateOnNewDocument", json!({ "source": before_pages }), true).await;
    Some(browser)
}

fn person(name: &str, furigana: &str, phone: &str) -> Value {
    json!({
        "name": name, "furigana": furigana, "birth_date": "1988-10-10", "phone": phone,
        "address": "石川県金沢市", "emergency_name": "家族 連絡", "emergency_phone": "076-220-2111",
        "insurance": "enrolled", "skills": ["チェーンソー"],
    })
}

/// The camera of the reception desk reads a pre-registered volunteer's QR code
/// (the one on the phone and the badge) and checks them in: once, though the
/// code stays in front of the camera for longer than the 3 s repeat guard.
#[tokio::test]
async fn the_desk_camera_checks_in_a_qr_code_through_the_vendored_decoder_once() {
    let app = spawn_app().await;
    let days: Value = reqwest::get(app.url("/api/public/days?days=1")).await.unwrap().json().await.unwrap();
    let mut volunteer = person("佐藤 一郎", "サトウ イチロウ", "070-5555-6666");
    volunteer["preferred_dates"] = json!([days[0]["day"]]);
    let receipt: Value = reqwest::Client::new()
        .post(app.url("/api/public/registrations"))
        .json(&volunteer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = receipt["qr_token"].as_str().unwrap_or_else(|| panic!("a QR token: {receipt}")).to_ascii_uppercase();
    let dir = tempfile::tempdir().unwrap();
    let video = qr_video(dir.path(), &token);
    let Some(mut browser) = browser_with_camera(&video).await else { return };

    let desk = app.user_with_role("uketsuke", "reception").await;
    browser.log_in(&app, "uketsuke", "uketsuke-password").await;
    browser.goto(&page(&app, "/reception")).await;
    assert_eq!(browser.eval("typeof window.BarcodeDetector").await, "undefined");
    assert_eq!(browser.eval("window.__checkinPosts").await, 0, "the script before the page ran");
    assert_eq!(browser.eval("document.getElementById('camera').hidden").await, false, "the button is always shown");
    assert_eq!(
        browser.eval("performance.getEntriesByType('resource').some(e => e.name.includes('/vendor/'))").await,
        false,
        "the decoder is loaded only when a camera starts"
    );
    browser.eval("document.getElementById('health-ok').checked = true").await;
    // Times in the page: the press, the stream live, the answer on screen.
    browser
        .eval(
            "{ const result = document.getElementById('result');
               new MutationObserver(() => {
                 if (!window.__answeredAt && result.textContent.includes('受付しました')) window.__answeredAt = performance.now();
               }).observe(result, { childList: true, subtree: true, characterData: true });
               window.__pressedAt = performance.now();
               document.getElementById('camera').click(); }",
        )
        .await;
    let pressed = Instant::now();
    browser.wait_for("document.getElementById('result').textContent.includes('受付しました')").await;
    let wall = pressed.elapsed();
    let result = browser.eval("document.getElementById('result').textContent").await;
    assert!(result.as_str().unwrap().contains("V-0001 佐藤 一郎"), "{result}");
    let times = browser
        .eval(
            "(() => { const v = document.getElementById('camera-view').dataset;
                      const wasm = performance.getEntriesByType('resource').find(e => e.name.endsWith('.wasm'));
                      return { press: window.__answeredAt - window.__pressedAt,
                               live: window.__answeredAt - Number(v.liveAt),
                               ready: window.__answeredAt - Math.max(Number(v.liveAt), Number(v.readyAt)),
                               wasm: wasm ? wasm.duration : -1, bytes: wasm ? wasm.encodedBodySize : -1 }; })()",
        )
        .await;
    let ms = |key: &str| times[key].as_f64().unwrap_or(-1.0);
    eprintln!(
        "camera QR → check-in answer on screen (zxing-wasm fallback, headless Chromium, debug server): \
         {:.0} ms from the press (camera start and decoder load included), {:.0} ms from the stream being live, \
         {:.0} ms from stream and decoder both ready; the .wasm took {:.0} ms ({:.0} bytes on the wire); \
         {wall:?} as the test saw it",
        ms("press"),
        ms("live"),
        ms("ready"),
        ms("wasm"),
        ms("bytes"),
    );
    assert_eq!(
        browser.eval("document.getElementById('camera-view').dataset.decoder").await,
        "zxing-wasm",
        "read by the vendored decoder"
    );
    let wasm = browser
        .eval("performance.getEntriesByType('resource').filter(e => e.name.endsWith('.wasm')).map(e => e.name)")
        .await;
    assert_eq!(wasm, json!([page(&app, "/assets/vendor/zxing-wasm-3.1.3/zxing_reader.wasm")]), "from our origin");
    assert!(
        browser.eval("document.querySelector('.camera-status').textContent").await.as_str().unwrap().contains(&token),
        "the code read is shown"
    );

    // The check-in row exists.
    let found: Value = desk.get("/api/volunteers?q=V-0001").await.json().await.unwrap();
    let id = found[0]["id"].as_i64().unwrap();
    let volunteer: Value = desk.get(&format!("/api/volunteers/{id}")).await.json().await.unwrap();
    assert_eq!(volunteer["today"]["method"], "qr", "{volunteer}");

    // The code stays in view past the 3 s guard: still read, never sent again.
    let reads = "Number(document.getElementById('camera-view').dataset.reads)";
    let reads_before = browser.eval(reads).await.as_i64().unwrap();
    tokio::time::sleep(Duration::from_millis(3500)).await;
    assert!(browser.eval(reads).await.as_i64().unwrap() > reads_before + 5, "the camera keeps reading the code");
    assert_eq!(browser.eval("window.__checkinPosts").await, 1, "one check-in request for one code in view");
    let result = browser.eval("document.getElementById('result').textContent").await;
    assert!(result.as_str().unwrap().contains("受付しました"), "no 409 shown over the answer: {result}");
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM checkins WHERE volunteer_id = ?")
        .bind(id)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(rows, 1);
    browser.screenshot("camera-desk.png").await;

    // Stop gives the camera back.
    browser.eval("document.querySelector('.camera-stop').click()").await;
    assert_eq!(browser.eval("document.getElementById('camera-view').srcObject === null").await, true);
    assert_eq!(browser.eval("document.querySelector('.camera-box').hidden").await, true);
    assert_eq!(browser.eval("document.getElementById('camera').getAttribute('aria-pressed')").await, "false");
}

/// On the equipment page the camera reads an item's printed code, opens the
/// item and stops.
#[tokio::test]
async fn the_inventory_camera_opens_the_item_whose_printed_code_it_reads() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for (name, code) in [("スコップ", "EQ-0007"), ("一輪車", "EQ-0008")] {
        let body = json!({ "name": name, "unit": "本", "kind": "durable", "source": "purchased", "code": code,
                           "low_stock_threshold": 0, "initial_stock": 10 });
        let response = admin.post("/api/items", &body).await;
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    }
    let dir = tempfile::tempdir().unwrap();
    let video = qr_video(dir.path(), "EQ-0008");
    let Some(mut browser) = browser_with_camera(&video).await else { return };
    browser.log_in(&app, "admin", crate::helpers::ADMIN_PASSWORD).await;
    browser.goto(&page(&app, "/inventory")).await;

    browser.eval("document.getElementById('camera').click()").await;
    browser.wait_for("!document.getElementById('detail').hidden").await;
    assert!(
        browser.eval("document.getElementById('detail-title').textContent").await.as_str().unwrap().contains("一輪車")
    );
    assert_eq!(browser.eval("document.getElementById('camera-view').dataset.decoder").await, "zxing-wasm");
    assert_eq!(browser.eval("document.querySelector('tr.camera-found').dataset.code").await, "EQ-0008");
    browser.wait_for("document.getElementById('camera-view').srcObject === null").await;
    assert_eq!(browser.eval("document.querySelector('.camera-box').hidden").await, true, "one code, then it stops");

    // A reader typing full-width into the field finds it too; an unknown code is offered to the new-item form.
    browser
        .eval("{ const i = document.getElementById('item-scan-input'); i.value = 'ｅｑ－０００７'; i.form.requestSubmit(); }")
        .await;
    browser.wait_for("document.getElementById('detail-title').textContent.includes('スコップ')").await;
    browser
        .eval("{ const i = document.getElementById('item-scan-input'); i.value = 'EQ-0099'; i.form.requestSubmit(); }")
        .await;
    browser.wait_for("document.getElementById('item-scan-result').textContent.includes('登録されていません')").await;
    browser.eval("document.querySelector('#item-scan-result button').click()").await;
    assert_eq!(browser.eval("document.getElementById('new-item-form').elements.code.value").await, "EQ-0099");

    // Camera permission refused (the browser's answer stubbed: the fake-UI flag
    // grants everything): how to allow it, in Japanese, beside the button.
    browser
        .eval(
            "navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'))",
        )
        .await;
    browser.eval("document.getElementById('camera').click()").await;
    browser.wait_for("document.querySelector('.camera-help').dataset.reason === 'denied'").await;
    let help = browser.eval("document.querySelector('.camera-help').textContent").await;
    assert!(help.as_str().unwrap().contains("カメラの使用が許可されていません"), "{help}");
    assert_eq!(browser.eval("document.querySelector('.camera-help').previousElementSibling.id").await, "item-scan");
    browser.screenshot("camera-denied.png").await;

    // Plain HTTP on the LAN is no secure context: the page says so and links to /setup.
    let plain = format!("http://{PLAIN_HOST}:{}", app.addr.port());
    browser.goto(&format!("{plain}/login")).await;
    browser
        .eval(&format!(
            "document.querySelector('input[name=username]').value = 'admin'; \
             document.querySelector('input[name=password]').value = {}; \
             document.querySelector('form[action=\"/login\"]').submit();",
            json!(crate::helpers::ADMIN_PASSWORD)
        ))
        .await;
    browser.wait_for(&format!("location.href === '{plain}/'")).await;
    browser.goto(&format!("{plain}/inventory")).await;
    assert_eq!(browser.eval("window.isSecureContext").await, false);
    assert_eq!(browser.eval("document.getElementById('camera').hidden").await, false, "shown, to say why");
    browser.eval("document.getElementById('camera').click()").await;
    browser.wait_for("document.querySelector('.camera-help').dataset.reason === 'insecure'").await;
    assert_eq!(browser.eval("document.querySelector('.camera-help a').getAttribute('href')").await, "/setup");
    let help = browser.eval("document.querySelector('.camera-help').textContent").await;
    assert!(help.as_str().unwrap().contains("https://"), "{help}");
    browser.screenshot("camera-insecure.png").await;
}

/// The matching desk keeps its camera on: a need card's code, read, picks the need.
#[tokio::test]
async fn the_matching_camera_reads_a_need_card_and_keeps_scanning() {
    let c = crate::dispatch::center().await;
    crate::dispatch::volunteer(&c, 0, "enrolled", true).await;
    crate::dispatch::need(&c, 1).await;
    let dir = tempfile::tempdir().unwrap();
    let video = qr_video(dir.path(), "N-0001");
    let Some(mut browser) = browser_with_camera(&video).await else { return };
    browser.log_in(&c.app, "coordinator", "demo-pass-2026").await;
    browser.goto(&page(&c.app, "/matching")).await;
    browser.wait_for("document.querySelectorAll('#needs button').length === 1").await;
    browser.eval("document.getElementById('camera').click()").await;
    browser.wait_for("document.getElementById('scan-result').textContent.includes('N-0001 を選びました')").await;
    assert_eq!(browser.eval("document.getElementById('camera-view').dataset.decoder").await, "zxing-wasm");
    assert_eq!(browser.eval("document.querySelector('.camera-box').hidden").await, false, "continuous: still on");
    assert!(
        browser.eval("document.querySelector('.camera-status').textContent").await.as_str().unwrap().contains("N-0001")
    );
    browser.screenshot("camera-matching.png").await;
    // The light shows only where the track has one; the switch only with two cameras or more.
    assert_eq!(browser.eval("document.querySelector('.camera-torch').hidden").await, true, "no torch on a fake camera");
    assert_eq!(browser.eval("document.querySelector('.camera-switch').hidden").await, true, "one fake camera");
    // A second camera (listed, but gone when asked for): the switch falls back to a camera that opens, and reads on.
    browser
        .eval(
            "{ const list = navigator.mediaDevices.enumerateDevices.bind(navigator.mediaDevices);
               navigator.mediaDevices.enumerateDevices = async () =>
                 (await list()).concat([{ kind: 'videoinput', deviceId: 'unplugged', label: '背面カメラ', groupId: '' }]); }",
        )
        .await;
    browser.eval("document.getElementById('camera').click(); document.getElementById('camera').click();").await;
    browser.wait_for("!document.querySelector('.camera-switch').hidden").await;
    let reads = "Number(document.getElementById('camera-view').dataset.reads)";
    let before = browser.eval(reads).await.as_i64().unwrap();
    browser.eval("document.querySelector('.camera-switch').click()").await;
    browser.wait_for(&format!("{reads} > {before} + 3")).await;
    assert_eq!(browser.eval("document.querySelector('.camera-help').hidden").await, true);
    assert_eq!(browser.eval("document.querySelector('.camera-box').hidden").await, false);
    browser.eval("document.getElementById('camera').click()").await;
    assert_eq!(
        browser.eval("document.getElementById('camera-view').srcObject === null").await,
        true,
        "the button stops it"
    );
}

/// The scan fields take a Bluetooth scanner's keystrokes as they come: no
/// Japanese IME, no capitals, no corrections.
#[tokio::test]
async fn scan_fields_keep_the_ime_and_corrections_out_and_the_decoder_is_served_as_committed() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for (path, field) in [("/reception", "scan-input"), ("/matching", "scan"), ("/inventory", "item-scan-input")] {
        let html = admin.get(path).await.text().await.unwrap();
        let start = html.find(&format!("id=\"{field}\"")).unwrap_or_else(|| panic!("{path} has #{field}"));
        let tag = &html[html[..start].rfind('<').unwrap()..start + html[start..].find('>').unwrap()];
        for attribute in [
            "inputmode=\"url\"",
            "autocapitalize=\"off\"",
            "autocomplete=\"off\"",
            "autocorrect=\"off\"",
            "spellcheck=\"false\"",
            "enterkeyhint=",
        ] {
            assert!(tag.contains(attribute), "{path} #{field} lacks {attribute}: {tag}");
        }
        assert!(html.contains("/assets/camera.js"), "{path} loads the camera");
        assert!(!html.contains("/assets/vendor/"), "{path} does not load the decoder up front");
    }

    // Every vendored file is served byte for byte as pinned in assets/vendor/SHA256SUMS.
    let sums = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/vendor/SHA256SUMS")).unwrap();
    let mut served = 0;
    for line in sums.lines() {
        let (sum, file) = line.split_once("  ").unwrap();
        let response = reqwest::get(app.url(&format!("/assets/vendor/{file}"))).await.unwrap();
        assert_eq!(response.status(), 200, "{file}");
        let kind = response.headers()["content-type"].to_str().unwrap().to_string();
        let body = response.bytes().await.unwrap();
        assert_eq!(borasen::hex::encode(&Sha256::digest(&body)), sum, "{file} as pinned");
        if file.ends_with(".wasm") {
            assert_eq!(kind, "application/wasm", "WebAssembly.instantiateStreaming needs the type");
        }
        if file.ends_with(".js") {
            assert!(kind.starts_with("text/javascript") || kind.starts_with("application/javascript"), "{kind}");
        }
        served += 1;
    }
    assert!(served >= 3);
    // camera.js names no other origin.
    let camera = reqwest::get(app.url("/assets/camera.js")).await.unwrap().text().await.unwrap();
    let hosts: Vec<&str> = camera
        .match_indices("://")
        .map(|(at, _)| &camera[at + 3..])
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_alphanumeric()))
        .collect();
    assert!(hosts.is_empty(), "camera.js fetches from this server only: {hosts:?}");
}

//! Camera scanning in headless Chromium through the vendored decoder: a fake
//! camera plays a still picture of a QR code (a `.y4m` file) and the page's
//! `BarcodeDetector` is deleted before any script runs, so `camera.js` must load
//! barcode-detector + zxing-wasm from `/assets/vendor/`. Every host but the
//! test server is unresolvable, so a CDN fetch would fail the scan.
//!
//! The pages are opened over HTTPS, as a tablet opens them: the server runs
//! with its local CA (`serve --tls`) and the pages are at `https://localhost:PORT`,
//! a secure context by its scheme (not by the loopback exception).
//! Also: the vendored files are served as committed, with the right types.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use borasen::config::{Config, TlsSettings};
use borasen::state::AppState;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::sync::oneshot;

use crate::browser::Browser;
use crate::helpers::{ADMIN_PASSWORD, spawn_app, test_config};

const DEMO_PASSWORD: &str = "demo-pass-2026";

/// A center serving HTTPS with its own local CA, as `serve --tls` does (the
/// plain port beside it only redirects). Dropping it stops the server.
struct SecureApp {
    addr: SocketAddr,
    state: AppState,
    dir: tempfile::TempDir,
    _stop: oneshot::Sender<()>,
}

/// What came back over HTTPS.
struct Answer {
    status: u16,
    json: Value,
    set_cookie: Option<String>,
    leaf: Vec<u8>,
}

/// `demo`: the demo staff (coordinator, reception) with [`DEMO_PASSWORD`];
/// `at`: the center's clock stands still there (RFC 3339), else the system clock.
async fn spawn_secure(demo: bool, at: Option<&str>) -> SecureApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config: Config = test_config(&dir);
    config.tls = Some(TlsSettings::new(SocketAddr::from(([127, 0, 0, 1], 0))));
    if demo {
        config.demo = true;
        config.demo_password = Some(DEMO_PASSWORD.into());
    }
    let clock = match at {
        Some(start) => borasen::clock::Clock::manual(chrono::DateTime::parse_from_rfc3339(start).unwrap()),
        None => borasen::clock::Clock::system(config.utc_offset),
    };
    let app = borasen::startup::Application::build_with_clock(config, clock).await.expect("server builds");
    let addr = app.local_addr();
    let state = app.state().clone();
    assert!(state.reach.https, "serving HTTPS");
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));
    SecureApp { addr, state, dir, _stop: stop }
}

impl SecureApp {
    fn url(&self, path: &str) -> String {
        format!("https://localhost:{}{path}", self.addr.port())
    }

    /// One request over TLS to `localhost`, trusting only the center's CA (as
    /// tests/api/tls.rs does): the answer and the certificate the server presented.
    async fn send(&self, method: &str, path: &str, body: Option<&Value>, cookie: Option<&str>) -> Answer {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(CertificateDer::from_pem_file(self.dir.path().join("tls/ca.pem")).unwrap()).unwrap();
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
        let tcp = tokio::net::TcpStream::connect(self.addr).await.unwrap();
        let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
            .connect(ServerName::try_from("localhost").unwrap(), tcp)
            .await
            .expect("the center's certificate, trusted through its CA");
        let leaf = tls.get_ref().1.peer_certificates().unwrap()[0].to_vec();
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(tls)).await.unwrap();
        tokio::spawn(connection);
        let mut request = hyper::Request::builder()
            .method(method)
            .uri(path)
            .header("host", format!("localhost:{}", self.addr.port()));
        if body.is_some() {
            request = request.header("content-type", "application/json");
        }
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let payload = Full::new(Bytes::from(body.map(Value::to_string).unwrap_or_default()));
        let response = sender.send_request(request.body(payload).unwrap()).await.unwrap();
        let status = response.status().as_u16();
        let set_cookie = response.headers().get("set-cookie").map(|v| v.to_str().unwrap().to_string());
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Answer { status, json: serde_json::from_slice(&bytes).unwrap_or(Value::Null), set_cookie, leaf }
    }

    /// A request that must answer `expected`; its JSON.
    async fn expect(
        &self,
        expected: u16,
        method: &str,
        path: &str,
        body: Option<&Value>,
        cookie: Option<&str>,
    ) -> Value {
        let answer = self.send(method, path, body, cookie).await;
        assert_eq!(answer.status, expected, "{method} {path}: {}", answer.json);
        answer.json
    }

    /// Logs in over HTTPS; the `Cookie` header value of the session.
    async fn log_in(&self, username: &str, password: &str) -> String {
        let body = json!({ "username": username, "password": password });
        let answer = self.send("POST", "/api/session", Some(&body), None).await;
        assert_eq!(answer.status, 200, "login of {username}: {}", answer.json);
        answer.set_cookie.expect("a session cookie").split(';').next().unwrap().to_string()
    }

    /// The flag that makes Chromium take this server's certificate: the base64
    /// SHA-256 of the SubjectPublicKeyInfo of the **leaf** it presents. Chromium
    /// compares the list with the certificates the server *sends* (the leaf and
    /// any intermediates), never with a root it does not have. Our server sends
    /// the leaf alone (the CA is on the tablets already), so the CA's hash does
    /// not do (tried with Chromium 156: the page does not load; it does once the
    /// server also sends the CA). Each test has its own CA and leaf.
    async fn trust_flag(&self) -> String {
        let leaf = self.send("GET", "/healthz", None, None).await.leaf;
        format!("--ignore-certificate-errors-spki-list={}", spki_sha256(&leaf))
    }
}

/// The base64 SHA-256 of a certificate's SubjectPublicKeyInfo (what
/// `--ignore-certificate-errors-spki-list` and HPKP pins name).
fn spki_sha256(der: &[u8]) -> String {
    use base64::Engine;
    use x509_parser::prelude::{FromDer, X509Certificate};
    let (_, cert) = X509Certificate::from_der(der).unwrap();
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(cert.tbs_certificate.subject_pki.raw))
}

/// Where the browser opens the pages: `https://localhost:PORT`, through the
/// center's own certificate.
fn page(app: &SecureApp, path: &str) -> String {
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

/// Chromium with the fake camera, the permission granted, no name resolution
/// but for the test server (no CDN can be reached), and trusting `secure`'s
/// certificate when given.
async fn browser_with_camera(video: &Path, secure: Option<&SecureApp>) -> Option<Browser> {
    let mut flags = vec![
        "--use-fake-device-for-media-stream".to_string(),
        "--use-fake-ui-for-media-stream".to_string(),
        format!("--use-file-for-fake-video-capture={}", video.display()),
        format!(
            "--host-resolver-rules=MAP {PLAIN_HOST} 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"
        ),
    ];
    if let Some(app) = secure {
        flags.push(app.trust_flag().await);
    }
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
    let app = spawn_secure(false, None).await;
    let days = app.expect(200, "GET", "/api/public/days?days=1", None, None).await;
    let mut volunteer = person("佐藤 一郎", "サトウ イチロウ", "070-5555-6666");
    volunteer["preferred_dates"] = json!([days[0]["day"]]);
    let receipt = app.expect(201, "POST", "/api/public/registrations", Some(&volunteer), None).await;
    let token = receipt["qr_token"].as_str().unwrap_or_else(|| panic!("a QR token: {receipt}")).to_ascii_uppercase();
    let dir = tempfile::tempdir().unwrap();
    let video = qr_video(dir.path(), &token);
    let Some(mut browser) = browser_with_camera(&video, Some(&app)).await else { return };

    let admin = app.log_in("admin", ADMIN_PASSWORD).await;
    let user = json!({ "username": "uketsuke", "role": "reception", "password": "uketsuke-password" });
    app.expect(201, "POST", "/api/users", Some(&user), Some(&admin)).await;
    let desk = app.log_in("uketsuke", "uketsuke-password").await;
    browser.log_in_at(&page(&app, ""), "uketsuke", "uketsuke-password").await;
    browser.goto(&page(&app, "/reception")).await;
    assert_eq!(browser.eval("location.protocol").await, "https:");
    assert_eq!(browser.eval("window.isSecureContext").await, true, "a secure context by https");
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
        "camera QR → check-in answer on screen (zxing-wasm fallback, headless Chromium over HTTPS, debug server): \
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
    let found = app.expect(200, "GET", "/api/volunteers?q=V-0001", None, Some(&desk)).await;
    let id = found[0]["id"].as_i64().unwrap();
    let volunteer = app.expect(200, "GET", &format!("/api/volunteers/{id}"), None, Some(&desk)).await;
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
    let app = spawn_secure(false, None).await;
    let admin = app.log_in("admin", ADMIN_PASSWORD).await;
    for (name, code) in [("スコップ", "EQ-0007"), ("一輪車", "EQ-0008")] {
        let body = json!({ "name": name, "unit": "本", "kind": "durable", "source": "purchased", "code": code,
                           "low_stock_threshold": 0, "initial_stock": 10 });
        app.expect(201, "POST", "/api/items", Some(&body), Some(&admin)).await;
    }
    let dir = tempfile::tempdir().unwrap();
    let video = qr_video(dir.path(), "EQ-0008");
    let Some(mut browser) = browser_with_camera(&video, Some(&app)).await else { return };
    browser.log_in_at(&page(&app, ""), "admin", ADMIN_PASSWORD).await;
    browser.goto(&page(&app, "/inventory")).await;
    assert_eq!(browser.eval("isSecureContext && location.protocol === 'https:'").await, true);

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
    // (A center without --tls: with it, the plain port only redirects to HTTPS.)
    let app = spawn_app().await;
    let plain = format!("http://{PLAIN_HOST}:{}", app.addr.port());
    browser.goto(&format!("{plain}/login")).await;
    browser
        .eval(&format!(
            "document.querySelector('input[name=username]').value = 'admin'; \
             document.querySelector('input[name=password]').value = {}; \
             document.querySelector('form[action=\"/login\"]').submit();",
            json!(ADMIN_PASSWORD)
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
    let app = spawn_secure(true, Some("2026-07-12T09:00:00+09:00")).await;
    let desk = app.log_in("reception", DEMO_PASSWORD).await;
    let coordinator = app.log_in("coordinator", DEMO_PASSWORD).await;
    let walk_in = json!({
        "name": "ボランティア 0", "furigana": "ボランティア", "birth_date": "1985-04-01", "phone": "090-1000-0000",
        "address": "石川県金沢市", "emergency_name": "家族", "emergency_phone": "076-220-2111", "insurance": "enrolled",
    });
    let id = app.expect(201, "POST", "/api/volunteers", Some(&walk_in), Some(&desk)).await["id"].clone();
    let check_in = json!({ "volunteer_id": id, "health_ok": true });
    app.expect(201, "POST", "/api/checkins", Some(&check_in), Some(&desk)).await;
    let need = json!({
        "received_via": "phone", "requester_name": "依頼者 1", "phone": "076-200-0001", "address": "金沢市香林坊2-1",
        "categories": ["mud"], "people_needed": 4, "lat": 36.568, "lon": 136.652, "force_new": true,
    });
    app.expect(201, "POST", "/api/needs", Some(&need), Some(&coordinator)).await;
    let dir = tempfile::tempdir().unwrap();
    let video = qr_video(dir.path(), "N-0001");
    let Some(mut browser) = browser_with_camera(&video, Some(&app)).await else { return };
    browser.log_in_at(&page(&app, ""), "coordinator", DEMO_PASSWORD).await;
    browser.goto(&page(&app, "/matching")).await;
    assert_eq!(browser.eval("isSecureContext && location.protocol === 'https:'").await, true);
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

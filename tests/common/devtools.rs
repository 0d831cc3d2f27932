//! Headless Chromium driven over the DevTools protocol with our own websocket
//! client, shared by the test binaries (`tests/api` and `tests/hub` include it
//! with `#[path]`). Where Chromium is missing, `Browser::launch` skips with a
//! loud notice — except under CI (`CI` set), where a missing browser fails.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

const CHROMIUM_PATHS: [&str; 3] = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/// One DevTools connection: numbered commands and their answers, on a
/// session or to the browser itself.
pub struct DevTools {
    socket: Socket,
    next_id: u64,
    /// Events seen while waiting for answers, kept only while recording.
    events: Vec<Value>,
    recording: bool,
}

impl DevTools {
    pub async fn connect(url: &str) -> DevTools {
        let (socket, _) = tokio_tungstenite::connect_async(url).await.expect("DevTools connects");
        DevTools { socket, next_id: 0, events: Vec::new(), recording: false }
    }

    /// A further connection to the browser whose DevTools listen on `port`.
    pub async fn connect_to_port(port: u16) -> DevTools {
        let version: Value =
            reqwest::get(format!("http://127.0.0.1:{port}/json/version")).await.unwrap().json().await.unwrap();
        DevTools::connect(version["webSocketDebuggerUrl"].as_str().expect("the browser's DevTools address")).await
    }

    /// One command on `session` (a page's, a service worker's), or to the browser itself with `None`.
    pub async fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        self.socket.send(Message::text(message.to_string())).await.unwrap();
        loop {
            let value = self.next_message(Duration::from_secs(30), || format!("{method} answered")).await;
            if value["id"] == id {
                assert!(value.get("error").is_none(), "{method}: {}", value["error"]);
                return value["result"].clone();
            }
            if self.recording && value.get("method").is_some() {
                self.events.push(value);
            }
        }
    }

    /// The next event `method` (other messages skipped), 10 s at most.
    pub async fn next_event(&mut self, method: &str) -> Value {
        loop {
            let value = self.next_message(Duration::from_secs(10), || format!("no {method} event")).await;
            if value["method"] == method {
                return value["params"].clone();
            }
        }
    }

    async fn next_message(&mut self, wait: Duration, missing: impl Fn() -> String) -> Value {
        loop {
            let message = tokio::time::timeout(wait, self.socket.next())
                .await
                .unwrap_or_else(|_| panic!("{}", missing()))
                .unwrap()
                .unwrap();
            if let Message::Text(text) = message {
                return serde_json::from_str(&text).unwrap();
            }
        }
    }

    /// Attaches to a target (a page, a service worker); its session.
    pub async fn attach(&mut self, target_id: &str) -> String {
        let attached =
            self.call(None, "Target.attachToTarget", json!({ "targetId": target_id, "flatten": true })).await;
        attached["sessionId"].as_str().unwrap().to_string()
    }

    /// Evaluates JavaScript on `session` and returns its value.
    pub async fn eval(&mut self, session: &str, expression: &str) -> Value {
        let result = self
            .call(
                Some(session),
                "Runtime.evaluate",
                json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
            )
            .await;
        result["result"]["value"].clone()
    }
}

/// A headless Chromium with one page, and the DevTools session attached to it.
pub struct Browser {
    process: Child,
    devtools: DevTools,
    session: String,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

impl Browser {
    /// None (after a loud notice) where no Chromium is installed and `CI` is unset.
    pub async fn launch() -> Option<Browser> {
        Browser::launch_with(&[]).await
    }

    /// As [`Browser::launch`], with more command-line flags (a fake camera, a
    /// trusted certificate key).
    pub async fn launch_with(extra: &[String]) -> Option<Browser> {
        Browser::launch_with_env(extra, &[]).await
    }

    /// As [`Browser::launch_with`], with environment variables for Chromium
    /// alone (`FONTCONFIG_FILE` for the fonts a tablet has).
    pub async fn launch_with_env(extra: &[String], env: &[(String, String)]) -> Option<Browser> {
        let Some(binary) = CHROMIUM_PATHS.iter().find(|p| std::path::Path::new(p).exists()) else {
            if std::env::var_os("CI").is_some() {
                panic!("CI is set but Chromium is missing: .ci/run must install the `chromium` package");
            }
            eprintln!(
                "\n!!! SKIPPED browser test: Chromium not found (apt-get install chromium). CI never skips. !!!\n"
            );
            return None;
        };
        let profile = tempfile::tempdir().unwrap();
        let mut process = Command::new(binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
                "--window-size=1280,900",
            ])
            .args(extra)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("chromium starts");
        let stderr = BufReader::new(process.stderr.take().unwrap());
        let (found, endpoint) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("DevTools listening on ") {
                    let _ = found.send(url.trim().to_string());
                }
            }
        });
        let endpoint = endpoint.recv_timeout(Duration::from_secs(30)).expect("chromium prints its DevTools address");
        let devtools = DevTools::connect(&endpoint).await;
        let mut browser = Browser { process, devtools, session: String::new(), _profile: profile };
        let target = browser.command("Target.createTarget", json!({ "url": "about:blank" }), false).await;
        browser.session = browser.devtools.attach(target["targetId"].as_str().unwrap()).await;
        Some(browser)
    }

    /// One DevTools command: on the page's session, or to the browser itself.
    pub async fn command(&mut self, method: &str, params: Value, on_page: bool) -> Value {
        let session = if on_page { Some(self.session.as_str()) } else { None };
        self.devtools.call(session, method, params).await
    }

    /// One DevTools command on any attached session (a service worker's, see
    /// [`Browser::attach`]), or to the browser itself with `None`.
    pub async fn command_in(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.devtools.call(session, method, params).await
    }

    /// Attaches to another target (a service worker) on this connection; its session.
    pub async fn attach(&mut self, target_id: &str) -> String {
        self.devtools.attach(target_id).await
    }

    /// The page's own DevTools session.
    pub fn page_session(&self) -> &str {
        &self.session
    }

    /// From now on, keeps the DevTools events (of every attached session) for
    /// [`Browser::take_events`]; the domains must be enabled (`Network.enable`).
    pub fn record_events(&mut self) {
        self.devtools.recording = true;
    }

    /// The events recorded since the last call, up to now (a round trip to the
    /// browser first, so everything it sent before is in).
    pub async fn take_events(&mut self) -> Vec<Value> {
        self.command("Browser.getVersion", json!({}), false).await;
        std::mem::take(&mut self.devtools.events)
    }

    /// Evaluates JavaScript in the page and returns its value.
    pub async fn eval(&mut self, expression: &str) -> Value {
        self.devtools.eval(&self.session, expression).await
    }

    pub async fn goto(&mut self, url: &str) {
        self.command("Page.navigate", json!({ "url": url }), true).await;
        self.wait_for(&format!("location.href === {} && document.readyState === 'complete'", json!(url))).await;
    }

    /// Polls a JavaScript condition until it is true (10 s at most).
    pub async fn wait_for(&mut self, condition: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if self
                .eval(&format!("(() => {{ try {{ return !!({condition}); }} catch (e) {{ return false; }} }})()"))
                .await
                == json!(true)
            {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting for: {condition}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Saves a PNG of the page under `target/tmp/artefacts/`, kept for people
    /// to look at what the test saw.
    pub async fn screenshot(&mut self, name: &str) {
        use base64::Engine;
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("artefacts");
        std::fs::create_dir_all(&dir).unwrap();
        let shot = self
            .command("Page.captureScreenshot", json!({ "format": "png", "captureBeyondViewport": true }), true)
            .await;
        let png = base64::engine::general_purpose::STANDARD.decode(shot["data"].as_str().unwrap()).unwrap();
        std::fs::write(dir.join(name), png).unwrap();
    }
}

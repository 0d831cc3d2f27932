//! `spawn_app()`: a fresh center in a temp dir, served on 127.0.0.1:0.

use std::net::SocketAddr;
use std::time::Duration;

use borasen::config::Config;
use borasen::startup::Application;
use borasen::state::AppState;
use futures_util::StreamExt;
use reqwest::Method;
use reqwest::header::{ACCEPT_LANGUAGE, COOKIE, SET_COOKIE};
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::contract::checked;

pub const ADMIN_PASSWORD: &str = "admin-pass-2026";

pub struct TestApp {
    pub addr: SocketAddr,
    pub state: AppState,
    pub dir: TempDir,
    stop: Option<oneshot::Sender<()>>,
    pub server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

pub fn test_config(dir: &TempDir) -> Config {
    let mut config = Config::new(dir.path());
    config.addr = SocketAddr::from(([127, 0, 0, 1], 0));
    config.admin_password = Some(ADMIN_PASSWORD.into());
    config.backup_every = None;
    // Tests register many volunteers from 127.0.0.1; the limit has its own test.
    config.public_rate_limit = 100_000;
    config
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = test_config(&dir);
    adjust(&mut config);
    start(config, dir).await
}

/// A server on an existing data folder and a fixed address (a restart).
/// The returned app does not own the folder.
pub async fn spawn_app_in(data: &std::path::Path, addr: SocketAddr) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = test_config(&dir);
    config.data_dir = data.to_path_buf();
    config.addr = addr;
    start(config, dir).await
}

/// A server whose clock stands still at `start` until the test moves it.
pub async fn spawn_app_at(start: &str, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = test_config(&dir);
    adjust(&mut config);
    let clock = borasen::clock::Clock::manual(chrono::DateTime::parse_from_rfc3339(start).expect("RFC 3339 start"));
    start_on(config, dir, clock).await
}

async fn start(config: Config, dir: TempDir) -> TestApp {
    let clock = daytime_clock(config.utc_offset);
    start_on(config, dir, clock).await
}

/// The center's clock for tests that do not set one: today at 10:00 at the
/// center, running at real speed. The center's time-of-day rules (last
/// dispatch, last return, sunset) then hold whatever the hour the tests run at.
fn daytime_clock(offset: chrono::FixedOffset) -> borasen::clock::Clock {
    let today = chrono::Utc::now().with_timezone(&offset).date_naive();
    let ten = today.and_hms_opt(10, 0, 0).and_then(|t| t.and_local_timezone(offset).single()).expect("10:00 today");
    let clock = borasen::clock::Clock::drill(ten, 1);
    clock.steer(|time, real| time.resume(real));
    clock
}

/// reqwest's TLS provider for the tests' own clients: the crate carries
/// `rustls-no-provider` for the center's hub link (which brings its own ring
/// provider), so a plain `reqwest::Client::new()` needs a process default.
pub fn tls_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

async fn start_on(config: Config, dir: TempDir, clock: borasen::clock::Clock) -> TestApp {
    tls_provider();
    let app = Application::build_with_clock(config, clock).await.expect("server builds");
    let addr = app.local_addr();
    let state = app.state().clone();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));
    TestApp { addr, state, dir, stop: Some(stop), server: Some(server) }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Asks the server to shut down and waits for it.
    pub async fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            tokio::time::timeout(Duration::from_secs(10), server)
                .await
                .expect("server stops within 10 s")
                .expect("server task")
                .expect("server result");
        }
    }

    /// Logs in and returns the raw session token.
    pub async fn login_token(&self, username: &str, password: &str) -> String {
        let response = reqwest::Client::new()
            .post(self.url("/api/session"))
            .json(&json!({ "username": username, "password": password }))
            .send()
            .await
            .unwrap();
        let response = checked(&self.url(""), "POST", "/api/session", response).await;
        assert_eq!(response.status(), 200, "login of {username}");
        let cookie = response.headers().get(SET_COOKIE).unwrap().to_str().unwrap().to_string();
        cookie.split(';').next().unwrap().split_once('=').unwrap().1.to_string()
    }

    /// A client that sends the session cookie of `username`.
    pub async fn client_for(&self, username: &str, password: &str) -> Session {
        Session {
            token: self.login_token(username, password).await,
            http: reqwest::Client::new(),
            base: self.url(""),
            language: None,
        }
    }

    pub async fn admin(&self) -> Session {
        self.client_for("admin", ADMIN_PASSWORD).await
    }

    /// Creates a user of `role` through the API and logs them in.
    pub async fn user_with_role(&self, username: &str, role: &str) -> Session {
        let password = format!("{username}-password");
        let response = self
            .admin()
            .await
            .post("/api/users", &json!({ "username": username, "role": role, "password": password }))
            .await;
        assert_eq!(response.status(), 201);
        self.client_for(username, &password).await
    }

    pub async fn last_seq(&self) -> i64 {
        borasen::events::last_seq(&self.state.db.read).await.unwrap()
    }

    /// Posts `n` notices in-process, through the same domain command the API uses.
    pub async fn post_notices(&self, n: usize, text: &str) {
        let actor = borasen::events::Actor::user("admin");
        for i in 0..n {
            let new = borasen::board::notices::NewNotice { text: format!("{text} {i}") };
            borasen::board::notices::post(&self.state.db, &self.state.clock, &actor, new).await.unwrap();
        }
    }
}

pub struct Session {
    pub token: String,
    pub http: reqwest::Client,
    base: String,
    /// The language the user chose: sent as `Accept-Language` (the API answers
    /// in English without one) and as the pages' `borasen_lang` cookie.
    language: Option<&'static str>,
}

impl Session {
    pub fn cookie(&self) -> String {
        format!("borasen_session={}", self.token)
    }

    /// The same login, asking for answers in `language` (`ja`, `en`).
    pub fn speaking(&self, language: &'static str) -> Session {
        Session {
            token: self.token.clone(),
            http: self.http.clone(),
            base: self.base.clone(),
            language: Some(language),
        }
    }

    /// A request with this session's cookie (and language) for the test to
    /// finish with headers or a body of its own; its answer is NOT checked
    /// against the OpenAPI document (for requests the server must refuse
    /// before any operation sees them).
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let request = self.http.request(method, format!("{}{path}", self.base));
        match self.language {
            Some(language) => request
                .header(COOKIE, format!("{}; borasen_lang={language}", self.cookie()))
                .header(ACCEPT_LANGUAGE, language),
            None => request.header(COOKIE, self.cookie()),
        }
    }

    // Every answer below is checked against the OpenAPI document (see `contract`).

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> reqwest::Response {
        self.send(Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> reqwest::Response {
        self.send(Method::PATCH, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> reqwest::Response {
        self.send(Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> reqwest::Response {
        self.send(Method::DELETE, path, None).await
    }

    /// POSTs `body` as it is, not as JSON (a file).
    pub async fn post_body(&self, path: &str, body: impl Into<reqwest::Body>) -> reqwest::Response {
        let request = self.request(Method::POST, path).body(body);
        checked(&self.base, "POST", path, request.send().await.unwrap()).await
    }

    async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> reqwest::Response {
        let mut request = self.request(method.clone(), path);
        if let Some(body) = body {
            request = request.json(body);
        }
        checked(&self.base, method.as_str(), path, request.send().await.unwrap()).await
    }

    /// `http://address`, without a trailing slash.
    pub fn base(&self) -> &str {
        &self.base
    }
}

pub type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens `/ws/board?since=…` with the session's cookie.
pub async fn connect_board(app: &TestApp, session: &Session, since: i64) -> Socket {
    let mut request = format!("ws://{}/ws/board?since={since}", app.addr).into_client_request().unwrap();
    request.headers_mut().insert("cookie", session.cookie().parse().unwrap());
    let (socket, _) = tokio_tungstenite::connect_async(request).await.expect("websocket connects");
    socket
}

/// The next event message (pings and pongs skipped), or None on close or after `wait`.
pub async fn next_event(socket: &mut Socket, wait: Duration) -> Option<Value> {
    loop {
        match tokio::time::timeout(wait, socket.next()).await {
            Ok(Some(Ok(Message::Text(text)))) => return Some(serde_json::from_str(&text).unwrap()),
            Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => continue,
            _ => return None,
        }
    }
}

/// An MBTiles file (it is just SQLite) in `dir` holding `tiles` as
/// (zoom, column, TMS row, bytes).
pub async fn mbtiles(dir: &std::path::Path, tiles: &[(u32, u32, u32, &[u8])]) -> std::path::PathBuf {
    let path = dir.join("base.mbtiles");
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&path).create_if_missing(true);
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect_with(&options).await.unwrap();
    sqlx::query("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
        .execute(&mut conn)
        .await
        .unwrap();
    for (zoom, column, row, data) in tiles {
        sqlx::query("INSERT INTO tiles VALUES (?, ?, ?, ?)")
            .bind(zoom)
            .bind(column)
            .bind(row)
            .bind(data.to_vec())
            .execute(&mut conn)
            .await
            .unwrap();
    }
    <sqlx::SqliteConnection as sqlx::Connection>::close(conn).await.unwrap();
    path
}

/// Sends a request made outside a [`Session`] and reads its answer as JSON.
pub async fn json_answer(request: reqwest::RequestBuilder) -> Value {
    request.send().await.unwrap().json().await.unwrap()
}

//! What the load generators share: realistic volunteers, logged-in clients,
//! settings from the environment, percentiles.

#![allow(dead_code)] // each bench uses its own part

use std::net::SocketAddr;
use std::time::Duration;

use borasen::config::Config;
use borasen::startup::Application;
use borasen::state::AppState;
use tokio::sync::oneshot;

use borasen::reception::Insurance;
use borasen::reception::form::RegistrationForm;
use reqwest::header::{COOKIE, HeaderMap, HeaderValue, SET_COOKIE};
use serde_json::json;

pub fn env_or(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(text) => match text.trim().parse() {
            Ok(value) if value > 0 => value,
            _ => panic!("{name} must be a positive whole number, not {text:?}"),
        },
        Err(_) => default,
    }
}

/// A valid individual pre-registration, unique by name, furigana and phone.
pub fn volunteer_form(i: usize, today: chrono::NaiveDate) -> RegistrationForm {
    const FAMILIES: [(&str, &str); 8] = [
        ("山田", "ヤマダ"),
        ("佐藤", "サトウ"),
        ("鈴木", "スズキ"),
        ("高橋", "タカハシ"),
        ("田中", "タナカ"),
        ("伊藤", "イトウ"),
        ("中村", "ナカムラ"),
        ("小林", "コバヤシ"),
    ];
    const GIVEN: [(&str, &str); 5] =
        [("太郎", "タロウ"), ("花子", "ハナコ"), ("健", "ケン"), ("美咲", "ミサキ"), ("翔", "ショウ")];
    // The index spelt in katakana keeps the furigana unique and still katakana.
    const DIGITS: [char; 10] = ['ア', 'イ', 'ウ', 'エ', 'オ', 'カ', 'キ', 'ク', 'ケ', 'コ'];
    let (family, family_kana) = FAMILIES[i % FAMILIES.len()];
    let (given, given_kana) = GIVEN[(i / FAMILIES.len()) % GIVEN.len()];
    let suffix: String = i.to_string().bytes().map(|d| DIGITS[usize::from(d - b'0')]).collect();
    RegistrationForm {
        name: format!("{family} {given}{i}"),
        furigana: format!("{family_kana} {given_kana}{suffix}"),
        birth_date: "1985-04-01".into(),
        phone: format!("090-{:04}-{:04}", i / 10_000 % 10_000, i % 10_000),
        address: "石川県輪島市".into(),
        emergency_name: "緊急 連絡".into(),
        emergency_phone: "076-220-2111".into(),
        insurance: Some(Insurance::Enrolled),
        preferred_dates: vec![today.to_string()],
        skills: vec!["チェーンソー".into()],
        ..RegistrationForm::default()
    }
}

/// Logs `username` in and returns a client that sends that session's cookie.
pub async fn logged_in_client(addr: SocketAddr, username: &str, password: &str) -> reqwest::Client {
    let response = reqwest::Client::new()
        .post(format!("http://{addr}/api/session"))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .expect("login request");
    assert_eq!(response.status(), 200, "login of {username}");
    let set_cookie = response.headers().get(SET_COOKIE).expect("session cookie").to_str().expect("ASCII cookie");
    let pair = set_cookie.split(';').next().expect("cookie pair");
    let mut headers = HeaderMap::new();
    headers.insert(COOKIE, HeaderValue::from_str(pair).expect("cookie header"));
    reqwest::Client::builder().default_headers(headers).build().expect("http client")
}

/// Runs the bench's async body on a multi-threaded runtime, as the server runs.
pub fn block_on<F: std::future::Future>(bench: F) -> F::Output {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    runtime.block_on(bench)
}

/// Nearest-rank percentile of sorted samples; `p` = 1.0 is the maximum.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// A center served on a free local port from a temp folder.
pub struct BenchServer {
    pub dir: tempfile::TempDir,
    pub addr: SocketAddr,
    pub state: AppState,
    stop: oneshot::Sender<()>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// The demo center, with `demo_password` for its coordinator and reception users.
pub async fn demo_server(demo_password: &str) -> BenchServer {
    server_with(|config| {
        config.demo = true;
        config.demo_password = Some(demo_password.into());
    })
    .await
}

/// An empty center but for its admin; `adjust` sets what the bench needs.
pub async fn server_with(adjust: impl FnOnce(&mut Config)) -> BenchServer {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config::new(dir.path());
    config.addr = SocketAddr::from(([127, 0, 0, 1], 0));
    config.admin_password = Some("admin-password-2026".into());
    // A backup in the middle of a run would be measured as latency.
    config.backup_every = None;
    adjust(&mut config);
    let app = Application::build(config).await.expect("server builds");
    let addr = app.local_addr();
    let state = app.state().clone();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));
    BenchServer { dir, addr, state, stop, server }
}

impl BenchServer {
    pub async fn stop(self) -> tempfile::TempDir {
        let _ = self.stop.send(());
        self.server.await.expect("server task").expect("server stops cleanly");
        self.dir
    }
}

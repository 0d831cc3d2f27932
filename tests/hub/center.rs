//! A real center (`borasen serve`, the built binary, on its own SQLite in a
//! temp dir) linked to a hub, and its staff's calls over HTTP.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// What `serve` prints once it accepts connections.
const LISTENING: &str = "borasen: listening on ";
pub const ADMIN_PASSWORD: &str = "center-admin-password-1";

pub struct Center {
    child: Child,
    pub base: String,
    pub data: PathBuf,
    http: reqwest::Client,
    cookie: String,
}

impl Center {
    /// `serve` on `data`, linked to `hub` with `key`, syncing every second.
    pub async fn start(data: &Path, hub: &str, key: &str) -> Center {
        let mut child = Command::new(env!("CARGO_BIN_EXE_borasen"))
            .args(["serve", "--addr", "127.0.0.1:0", "--data"])
            .arg(data)
            .args(["--hub", hub, "--hub-key", key])
            .env("BORASEN_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("BORASEN_BACKUP_MINUTES", "0")
            .env("BORASEN_LOG", "warn")
            .env("BORASEN_HUB_SYNC_SECONDS", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("borasen serve starts");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout is piped")).lines();
        let base = loop {
            let line = lines.next().expect("serve prints its address").unwrap();
            if let Some(base) = line.strip_prefix(LISTENING) {
                break base.trim().to_string();
            }
        };
        std::thread::spawn(move || for _ in lines {});
        let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
        let login = http
            .post(format!("{base}/api/session"))
            .json(&json!({ "username": "admin", "password": ADMIN_PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(login.status(), 200, "the center's admin logs in");
        let cookie = login.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
        Center { child, base, data: data.to_path_buf(), http, cookie }
    }

    pub async fn get(&self, path: &str) -> Value {
        let answer = self.http.get(format!("{}{path}", self.base)).header("cookie", &self.cookie).send().await.unwrap();
        assert_eq!(answer.status(), 200, "GET {path}");
        answer.json().await.unwrap()
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let answer = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = answer.status().as_u16();
        (status, answer.json().await.unwrap_or(Value::Null))
    }

    /// 受付 by the token in the booking mail's QR code; the answer and how long it took.
    pub async fn check_in(&self, token: &str) -> (u16, Value, Duration) {
        let started = Instant::now();
        let (status, body) = self.post("/api/checkins", json!({ "qr_token": token, "health_ok": true })).await;
        (status, body, started.elapsed())
    }

    /// People the desk expects on `day` (the capacity's booked count).
    pub async fn expected(&self, day: &str) -> i64 {
        let days = self.get(&format!("/api/capacity?from={day}&to={day}")).await;
        days.as_array().and_then(|d| d.first()).map_or(0, |d| d["booked"].as_i64().unwrap_or(0))
    }

    /// Presses 今すぐ同期 and waits for a sync that began after the press to finish well.
    pub async fn sync(&self) -> Value {
        let before = self.get("/api/hub/status").await["last_ok_at"].clone();
        let (status, body) = self.post("/api/hub/sync", json!({})).await;
        assert_eq!(status, 202, "{body}");
        self.settled(|status| status["last_ok_at"] != before && status["pending_reports"] == 0).await
    }

    /// Waits (up to a minute) for the link's status to satisfy `done`.
    pub async fn settled(&self, done: impl Fn(&Value) -> bool) -> Value {
        for _ in 0..600 {
            let status = self.get("/api/hub/status").await;
            if done(&status) {
                return status;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the link never settled: {}", self.get("/api/hub/status").await);
    }

    /// A count read from the center's own database file (read-only), as an
    /// operator would look: what the center holds, not what its API says.
    pub async fn count(&self, sql: &'static str) -> i64 {
        let url = format!("sqlite://{}?mode=ro", self.data.join("borasen.sqlite").display());
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let n = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
        pool.close().await;
        n
    }

    /// SIGKILL: no shutdown, no drain.
    pub fn kill9(mut self) {
        self.child.kill().expect("kill -9");
        self.child.wait().expect("the killed center is reaped");
    }
}

impl Drop for Center {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

//! Real `borasen hub` processes (the built binary) against a test cluster.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// What `borasen hub` prints once it accepts connections (`hub::LISTENING`).
const LISTENING: &str = "borasen hub: listening on ";

pub const ADMIN_EMAIL: &str = "admin@hub.example.jp";
pub const ADMIN_PASSWORD: &str = "hub-admin-password-1";

/// Where a hub process sends its mail.
#[derive(Clone, Debug)]
pub enum MailTo {
    Dir(PathBuf),
    /// A plain SMTP listener on loopback (`crate::smtp::SmtpListener`).
    Smtp(u16),
}

pub struct Hub {
    child: Child,
    pub base: String,
    /// Every line printed up to the listening line.
    pub printed: Vec<String>,
}

impl Hub {
    pub fn start(database: &str, mail: &MailTo) -> Hub {
        Hub::start_with(database, mail, &[])
    }

    pub fn start_with(database: &str, mail: &MailTo, extra: &[&str]) -> Hub {
        let mut command = Command::new(env!("CARGO_BIN_EXE_borasen"));
        command
            .args(["hub", "--database", database, "--addr", "127.0.0.1:0", "--first-admin", ADMIN_EMAIL])
            .args(["--mail-from", "borasen hub <noreply@hub.example.jp>", "--mail-retry-seconds", "1"])
            .env("BORASEN_HUB_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("BORASEN_LOG", "warn")
            .env("BORASEN_HUB_JOB_SECONDS", "1")
            .env_remove("BORASEN_DATABASE_URL")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        match mail {
            MailTo::Dir(dir) => command.arg("--mail-dir").arg(dir),
            MailTo::Smtp(port) => command
                .args(["--smtp-host", "127.0.0.1", "--smtp-security", "none", "--smtp-port"])
                .arg(port.to_string()),
        };
        command.args(extra);
        let mut child = command.spawn().expect("borasen hub starts");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout is piped")).lines();
        let mut printed = Vec::new();
        let base = loop {
            let Some(line) = lines.next() else {
                let status = child.wait().expect("the hub ended");
                panic!("borasen hub ended ({status}) before listening; it printed {printed:?}");
            };
            let line = line.unwrap();
            let base = line.strip_prefix(LISTENING).map(|url| url.trim().to_string());
            printed.push(line);
            if let Some(base) = base {
                break base;
            }
        };
        std::thread::spawn(move || for _ in lines {});
        Hub { child, base, printed }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// SIGKILL: no shutdown, no drain.
    pub fn kill9(mut self) {
        self.child.kill().expect("kill -9");
        self.child.wait().expect("the killed hub is reaped");
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client with its own cookie jar.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).build().unwrap()
}

/// A client logged in at `hub` as `email`.
pub async fn logged_in(hub: &Hub, email: &str, password: &str) -> reqwest::Client {
    let http = client();
    let answer = http
        .post(hub.url("/api/session"))
        .json(&serde_json::json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200, "login of {email}: {}", answer.text().await.unwrap());
    http
}

/// The `.eml` files in a mail dir, by name.
pub fn eml_files(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read_to_string(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

/// Registers center `id` at `hub` as `admin` (a hub admin's client); its sync key.
pub async fn register_center(admin: &reqwest::Client, hub: &Hub, id: i64) -> String {
    let body = serde_json::json!({ "id": id, "name": format!("センター {id}") });
    let made = admin.post(hub.url("/api/centers")).json(&body).send().await.unwrap();
    assert_eq!(made.status(), 201, "center {id}: {}", made.text().await.unwrap());
    let issued: serde_json::Value = made.json().await.unwrap();
    issued["key"].as_str().expect("the key, once").to_string()
}

/// Registers center `id` unless it already is: openings and center staff name
/// registered centers only.
pub async fn ensure_center(admin: &reqwest::Client, hub: &Hub, id: i64) {
    let body = serde_json::json!({ "id": id, "name": format!("センター {id}") });
    let made = admin.post(hub.url("/api/centers")).json(&body).send().await.unwrap();
    let status = made.status().as_u16();
    assert!(status == 201 || status == 409, "center {id}: {status} {}", made.text().await.unwrap());
}

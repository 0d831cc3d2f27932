//! A write that returned 2xx survives kill -9: the server runs as a child
//! process, clients write as fast as they can, the test SIGKILLs the server
//! mid-stream, restarts it on the same file and finds every acknowledged write.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::Rng;
use serde_json::{Value, json};

use crate::binary::{login_cookie, wait_until_listening};
use crate::helpers::ADMIN_PASSWORD;

pub struct ServerProcess {
    pub child: Child,
    pub base: String,
}

/// Starts `borasen serve` on an ephemeral port and waits for its "listening" line.
pub fn start_server(data: &Path) -> ServerProcess {
    start_server_with(data, &[])
}

/// As [`start_server`], with more flags for `serve`.
pub fn start_server_with(data: &Path, flags: &[&str]) -> ServerProcess {
    let mut child = Command::new(env!("CARGO_BIN_EXE_borasen"))
        .args(["serve", "--addr", "127.0.0.1:0", "--data"])
        .arg(data)
        .args(flags)
        .env("BORASEN_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("BORASEN_BACKUP_MINUTES", "0")
        .env("BORASEN_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("borasen binary starts");
    let base = wait_until_listening(&mut child).base;
    ServerProcess { child, base }
}

async fn login(base: &str) -> String {
    login_cookie(&reqwest::Client::new(), base, "admin", ADMIN_PASSWORD).await
}

#[tokio::test]
async fn every_acknowledged_write_survives_ten_sigkills() {
    let dir = tempfile::tempdir().unwrap();
    let acknowledged: Arc<Mutex<Vec<(i64, String)>>> = Arc::default();
    let http = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().unwrap();

    for round in 0..10 {
        let mut server = start_server(dir.path());
        let cookie = login(&server.base).await;
        let writers: Vec<_> = (0..3)
            .map(|writer| {
                let (http, base, cookie, acknowledged) =
                    (http.clone(), server.base.clone(), cookie.clone(), acknowledged.clone());
                tokio::spawn(async move {
                    for i in 0.. {
                        let text = format!("round {round} writer {writer} #{i}");
                        let sent = http
                            .post(format!("{base}/api/board/notices"))
                            .header("cookie", &cookie)
                            .json(&json!({ "text": text }))
                            .send()
                            .await;
                        let Ok(response) = sent else { break };
                        if response.status() != 201 {
                            break;
                        }
                        let Ok(body) = response.json::<Value>().await else { break };
                        acknowledged.lock().unwrap().push((body["id"].as_i64().unwrap(), text));
                    }
                })
            })
            .collect();
        let pause = rand::rng().random_range(100..400);
        tokio::time::sleep(Duration::from_millis(pause)).await;
        server.child.kill().expect("SIGKILL"); // std's kill is SIGKILL on Unix
        server.child.wait().unwrap();
        for writer in writers {
            writer.await.unwrap();
        }
    }

    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= 30, "the clients did write: {}", acknowledged.len());
    let mut server = start_server(dir.path());
    let cookie = login(&server.base).await;
    for (id, text) in &acknowledged {
        let response =
            http.get(format!("{}/api/board/notices/{id}", server.base)).header("cookie", &cookie).send().await.unwrap();
        assert_eq!(response.status(), 200, "acknowledged notice {id} lost");
        let notice: Value = response.json().await.unwrap();
        assert_eq!(notice["text"], text.as_str());
    }
    server.child.kill().unwrap();
    server.child.wait().unwrap();

    // Each acknowledged notice has its own event, too.
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(dir.path().join("borasen.sqlite")).read_only(true);
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect_with(&options).await.unwrap();
    let subjects: std::collections::HashSet<String> =
        sqlx::query_scalar("SELECT subject FROM events WHERE kind = 'board.notice_posted'")
            .fetch_all(&mut conn)
            .await
            .unwrap()
            .into_iter()
            .collect();
    for (id, _) in &acknowledged {
        assert!(subjects.contains(&format!("notice:{id}")), "event of notice {id}");
    }
}

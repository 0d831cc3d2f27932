//! Live boards at scale: 500 websocket clients on `/ws/board` (and, where the
//! server has it, 200 on `/ws/lobby`) while the server takes 100 changes a
//! second. The server runs as its own process (`borasen serve`), so its CPU and
//! memory are its own. Reports the time from sending a change to each board
//! receiving it (an upper bound of commit → receipt), and checks that every
//! board client got every event, in order, once.
//!
//! `cargo bench --bench board_fanout`; BORASEN_BENCH_BOARDS, BORASEN_BENCH_LOBBIES,
//! BORASEN_BENCH_RATE, BORASEN_BENCH_SECONDS override 500, 200, 100 and 10.

mod common;

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{block_on, env_or, percentile};
use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio::sync::Mutex;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

const PASSWORD: &str = "bench-password-2026";
const GOAL_P99_MS: f64 = 50.0;

/// What one board client received: each seq and when.
type Arrivals = Vec<(i64, Instant)>;

fn main() {
    let boards = env_or("BORASEN_BENCH_BOARDS", 500);
    let lobbies = env_or("BORASEN_BENCH_LOBBIES", 200);
    let rate = env_or("BORASEN_BENCH_RATE", 100);
    let seconds = env_or("BORASEN_BENCH_SECONDS", 10);
    block_on(run(boards, lobbies, rate, seconds));
}

struct Server {
    child: Child,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().unwrap().port()
}

/// (user + system CPU seconds, resident memory in MiB) of a process, from /proc.
fn usage(pid: u32) -> (f64, f64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    let cpu = (ticks(11) + ticks(12)) / 100.0;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let rss_kib = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0);
    (cpu, rss_kib / 1024.0)
}

async fn run(boards: usize, lobbies: usize, rate: usize, seconds: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_borasen"))
        .args(["serve", "--demo", "--addr", &format!("127.0.0.1:{port}"), "--data"])
        .arg(dir.path())
        .env("BORASEN_ADMIN_PASSWORD", PASSWORD)
        .env("BORASEN_DEMO_PASSWORD", PASSWORD)
        .env("BORASEN_BACKUP_MINUTES", "0")
        .env("BORASEN_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("borasen serve starts");
    let pid = child.id();
    let server = Server { child, _dir: dir };
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let mut ready = false;
    for _ in 0..200 {
        if http.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(ready, "the server answers /healthz");
    let login = http
        .post(format!("{base}/api/session"))
        .json(&json!({ "username": "coordinator", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let cookie = login.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let snapshot: Value = http.get(format!("{base}/api/board")).send().await.unwrap().json().await.unwrap();
    let since = snapshot["seq"].as_i64().unwrap();
    let lobby_exists = reqwest::get(format!("{base}/api/lobby")).await.is_ok_and(|r| r.status().is_success());

    // Every client: the arrival time of each seq it receives (boards), or the count of messages (lobbies).
    let total = rate * seconds;
    let arrivals: Arc<Mutex<Vec<Arrivals>>> = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for _ in 0..boards {
        let mut request = format!("ws://127.0.0.1:{port}/ws/board?since={since}").into_client_request().unwrap();
        request.headers_mut().insert("cookie", cookie.parse().unwrap());
        let (mut socket, _) = tokio_tungstenite::connect_async(request).await.expect("board connects");
        let arrivals = arrivals.clone();
        tasks.push(tokio::spawn(async move {
            let mut seen = Vec::with_capacity(total);
            while seen.len() < total {
                match tokio::time::timeout(Duration::from_secs(30), socket.next()).await {
                    Ok(Some(Ok(Message::Text(text)))) => {
                        let event: Value = serde_json::from_str(&text).unwrap();
                        seen.push((event["seq"].as_i64().unwrap(), Instant::now()));
                    }
                    Ok(Some(Ok(_))) => continue,
                    _ => break,
                }
            }
            arrivals.lock().await.push(seen);
        }));
    }
    let lobby_messages = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut lobby_sockets = 0;
    if lobby_exists {
        for _ in 0..lobbies {
            let url = format!("ws://127.0.0.1:{port}/ws/lobby");
            let (mut socket, _) = tokio_tungstenite::connect_async(url).await.expect("lobby connects");
            lobby_sockets += 1;
            let count = lobby_messages.clone();
            tokio::spawn(async move {
                while let Some(Ok(message)) = socket.next().await {
                    if matches!(message, Message::Text(_)) {
                        count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            });
        }
    }
    let (cpu_before, rss_before) = usage(pid);

    // The changes: notices posted over HTTP at `rate` per second.
    let mut sent: HashMap<i64, Instant> = HashMap::with_capacity(total);
    let started = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / rate as f64));
    for i in 0..total {
        tick.tick().await;
        let at = Instant::now();
        let response = http
            .post(format!("{base}/api/board/notices"))
            // Every tenth also goes to the lobby, so its screens have views to follow.
            .json(&json!({ "text": format!("負荷試験 {i}"), "lobby": i % 10 == 0 }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        sent.insert(since + 1 + i as i64, at);
    }
    let writing = started.elapsed();
    for task in tasks {
        task.await.expect("board client");
    }
    let (cpu_after, rss_after) = usage(pid);
    drop(server);

    let arrivals = arrivals.lock().await;
    let mut latencies = Vec::with_capacity(boards * total);
    let mut complete = 0;
    for seen in arrivals.iter() {
        let seqs: Vec<i64> = seen.iter().map(|(s, _)| *s).collect();
        let expected: Vec<i64> = (since + 1..=since + total as i64).collect();
        if seqs == expected {
            complete += 1;
        }
        for (seq, at) in seen {
            if let Some(sent_at) = sent.get(seq) {
                latencies.push(at.saturating_duration_since(*sent_at));
            }
        }
    }
    latencies.sort();
    let ms = |p: f64| percentile(&latencies, p).as_secs_f64() * 1e3;
    println!();
    println!(
        "borasen board fan-out: {boards} /ws/board clients, {lobby_sockets} /ws/lobby clients, {total} changes at {rate}/s ({:.1} s)",
        writing.as_secs_f64()
    );
    println!("send → receipt ms: p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}", ms(0.5), ms(0.9), ms(0.99), ms(1.0));
    println!("board clients with every event in order, once: {complete} of {boards}");
    if lobby_sockets > 0 {
        let views = lobby_messages.load(std::sync::atomic::Ordering::Relaxed);
        println!(
            "lobby views received: {views} ({:.1} per screen; the view is re-read at most every 250 ms)",
            views as f64 / lobby_sockets as f64
        );
    }
    println!(
        "server process: CPU {:.1} s over the run ({:.0}% of one core), RSS {:.1} → {:.1} MiB",
        cpu_after - cpu_before,
        (cpu_after - cpu_before) / writing.as_secs_f64() * 100.0,
        rss_before,
        rss_after
    );
    println!("goal: p99 < {GOAL_P99_MS} ms — {}", if ms(0.99) < GOAL_P99_MS { "met" } else { "NOT met" });
    assert_eq!(complete, boards, "every board client got every event");
}

//! Load on the reception desk: N pre-registered volunteers checked in by C desk
//! clients at once, over HTTP against the real server, measured against how many
//! durable SQLite commits this machine manages at all.
//!
//! `cargo bench --bench reception_load`; BORASEN_BENCH_N and BORASEN_BENCH_CLIENTS
//! override the volunteer count (5000) and the number of desk clients (20).
//! Board readers keep read transactions open throughout (as live boards do),
//! and the WAL's size is sampled: its peak shows the WAL bound at work
//! (BORASEN_BENCH_WAL_MB sets the bound, default the server's 64 MB).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use borasen::auth::Role;
use borasen::auth::users::{self, NewUser};
use borasen::events::Actor;
use borasen::reception::form::Channel;
use borasen::reception::register::{Registered, register};
use serde_json::json;
use sqlx::Connection;

mod common;

use common::{block_on, env_or, logged_in_client, percentile, server_with, volunteer_form};

const DESK_USER: &str = "desk";
const DESK_PASSWORD: &str = "desk-password-2026";
/// Goals: the server's check-in rate against raw commits, and the desk's worst felt wait.
const GOAL_RATIO: f64 = 0.5;
const GOAL_P99_MS: f64 = 20.0;

fn main() {
    let n = env_or("BORASEN_BENCH_N", 5_000);
    let clients = env_or("BORASEN_BENCH_CLIENTS", 20);
    block_on(run(n, clients));
}

async fn run(n: usize, clients: usize) {
    let server = server_with(|config| config.public_rate_limit = usize::MAX / 2).await;
    let (addr, state) = (server.addr, server.state.clone());
    let wal_limit = env_or("BORASEN_BENCH_WAL_MB", (borasen::db::WAL_LIMIT_BYTES >> 20) as usize) as u64;
    state.db.set_wal_limit(wal_limit << 20);
    let wal_peak = Arc::new(AtomicU64::new(0));
    let sampler = tokio::spawn(sample_wal(state.db.wal_path(), wal_peak.clone()));
    let readers: Vec<_> = (0..4).map(|_| tokio::spawn(board_reader(state.clone()))).collect();

    // Pre-registration runs in-process: the same write path as the public form, minus HTTP.
    let started = Instant::now();
    let mut tokens = Vec::with_capacity(n);
    for i in 0..n {
        let form = volunteer_form(i, state.clock.activity_day());
        match register(&state.db, &state.clock, &Actor::public(), form, Channel::Public).await {
            Ok(Registered::Created { qr_token, .. }) => tokens.push(qr_token),
            Ok(Registered::Existing(v)) => panic!("volunteer {i} taken for a twin of {}", v.volunteer_no),
            Err(e) => panic!("registering volunteer {i}: {e:?}"),
        }
    }
    let registering = started.elapsed();

    let desk = NewUser {
        username: DESK_USER.into(),
        display_name: Some("受付".into()),
        role: Role::Reception,
        password: DESK_PASSWORD.into(),
    };
    users::create(&state.db, &state.clock, &Actor::system(), desk).await.expect("desk user");
    // One session per client, as at a real desk. Logins go one at a time: the
    // throttle admits only a few concurrent attempts per username.
    let mut http = Vec::with_capacity(clients);
    for _ in 0..clients {
        http.push(logged_in_client(addr, DESK_USER, DESK_PASSWORD).await);
    }

    let url = format!("http://{addr}/api/checkins");
    let tokens = Arc::new(tokens);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = http
        .into_iter()
        .map(|client| tokio::spawn(desk_client(client, url.clone(), tokens.clone(), next.clone())))
        .collect();
    let mut latencies = Vec::with_capacity(n);
    let mut failures = Vec::new();
    for task in tasks {
        let (lat, failed) = task.await.expect("client task");
        latencies.extend(lat);
        failures.extend(failed);
    }
    let checking_in = started.elapsed();

    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM checkins").fetch_one(&state.db.read).await.expect("count check-ins");
    for reader in readers {
        reader.abort();
    }
    sampler.abort();
    let database_mb = std::fs::metadata(state.db.path()).map_or(0.0, |m| m.len() as f64 / 1048576.0);
    drop(state);
    let dir = server.stop().await;

    let raw = raw_inserts(n).await;

    // Report.
    latencies.sort();
    let ms = |p: f64| percentile(&latencies, p).as_secs_f64() * 1e3;
    let registrations_per_s = n as f64 / registering.as_secs_f64();
    let checkins_per_s = latencies.len() as f64 / checking_in.as_secs_f64();
    let inserts_per_s = n as f64 / raw.as_secs_f64();
    let ratio = checkins_per_s / inserts_per_s;
    let p99 = ms(0.99);
    let met = |ok: bool| if ok { "met" } else { "NOT met" };

    println!();
    println!("borasen reception load: {n} volunteers, {clients} desk clients, data in {}", dir.path().display());
    println!("{:<34} {:>7} {:>9} {:>9}", "phase", "count", "wall s", "per s");
    println!(
        "{:<34} {:>7} {:>9.2} {:>9.1}",
        "pre-registration (in-process)",
        n,
        registering.as_secs_f64(),
        registrations_per_s
    );
    println!(
        "{:<34} {:>7} {:>9.2} {:>9.1}",
        "check-in (POST /api/checkins)",
        latencies.len(),
        checking_in.as_secs_f64(),
        checkins_per_s
    );
    println!("{:<34} {:>7} {:>9.2} {:>9.1}", "raw SQLite insert + commit", n, raw.as_secs_f64(), inserts_per_s);
    let mean = latencies.iter().sum::<Duration>().as_secs_f64() * 1e3 / latencies.len().max(1) as f64;
    println!(
        "check-in latency ms: mean {mean:.2}  p50 {:.2}  p90 {:.2}  p99 {p99:.2}  max {:.2}",
        ms(0.50),
        ms(0.90),
        ms(1.0)
    );
    println!("failed check-ins: {}   check-in rows stored: {stored}", failures.len());
    let peak_mb = wal_peak.load(Ordering::Relaxed) as f64 / 1048576.0;
    println!("WAL peak {peak_mb:.1} MB with 4 board readers (bound {wal_limit} MB); database {database_mb:.1} MB");
    println!("ratio check-ins/s / raw inserts/s: {ratio:.2}  (goal >= {GOAL_RATIO}: {})", met(ratio >= GOAL_RATIO));
    println!("p99 latency: {p99:.2} ms  (goal < {GOAL_P99_MS} ms: {})", met(p99 < GOAL_P99_MS));

    // Timing goals are only reported; a wrong answer is a bug and fails the run.
    if let Some(first) = failures.first() {
        panic!("{} of {n} check-ins failed; the first: {first}", failures.len());
    }
    assert_eq!(stored, n as i64, "every check-in stored once");
}

/// The WAL file's largest size seen, every 10 ms.
async fn sample_wal(wal: std::path::PathBuf, peak: Arc<AtomicU64>) {
    loop {
        if let Ok(meta) = std::fs::metadata(&wal) {
            peak.fetch_max(meta.len(), Ordering::Relaxed);
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A live board: reads the snapshot over and over, so a read transaction is
/// nearly always open on the WAL.
async fn board_reader(state: borasen::state::AppState) {
    loop {
        let _ = borasen::board::snapshot::read(&state.db.read, &state.clock, false).await;
        tokio::task::yield_now().await;
    }
}

/// One desk: scans the next badge from the shared queue until it is empty.
/// Returns each request's latency and a line for each failure.
async fn desk_client(
    client: reqwest::Client,
    url: String,
    tokens: Arc<Vec<String>>,
    next: Arc<AtomicUsize>,
) -> (Vec<Duration>, Vec<String>) {
    let mut latencies = Vec::new();
    let mut failures = Vec::new();
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(token) = tokens.get(i) else { break };
        let body = json!({ "qr_token": token, "health_ok": true });
        // Send to the last byte of the body: what the desk waits for.
        let sent = Instant::now();
        let outcome = match client.post(&url).json(&body).send().await {
            Ok(response) => {
                let status = response.status();
                response.bytes().await.map(|body| (status, body))
            }
            Err(e) => Err(e),
        };
        latencies.push(sent.elapsed());
        match outcome {
            Ok((status, _)) if status == 201 => {}
            Ok((status, body)) => failures.push(format!("volunteer {i}: {status} {}", String::from_utf8_lossy(&body))),
            Err(e) => failures.push(format!("volunteer {i}: {e}")),
        }
    }
    (latencies, failures)
}

/// The yardstick: `n` one-row transactions, one after another, on a single
/// connection with the server's own durability settings (WAL, synchronous=FULL).
async fn raw_inserts(n: usize) -> Duration {
    let dir = tempfile::tempdir().expect("temp dir");
    let options =
        borasen::db::connect_options(&dir.path().join("raw.sqlite")).expect("connect options").create_if_missing(true);
    let mut conn = sqlx::SqliteConnection::connect_with(&options).await.expect("raw connection");
    sqlx::query("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER)")
        .execute(&mut conn)
        .await
        .expect("create table");
    let started = Instant::now();
    for i in 0..n {
        let mut tx = conn.begin().await.expect("begin");
        sqlx::query("INSERT INTO t (a, b) VALUES (?, ?)")
            .bind(format!("row {i}"))
            .bind(i as i64)
            .execute(&mut *tx)
            .await
            .expect("insert");
        tx.commit().await.expect("commit");
    }
    let elapsed = started.elapsed();
    conn.close().await.expect("close");
    elapsed
}

//! Needs at scale: intake of N needs (default 50,000) through the real intake
//! command (duplicate check included) from concurrent coordinators, then the
//! time of the needs list and of the board snapshot at that size, in-process
//! and over HTTP. Goal: the board snapshot under 50 ms at 50,000 needs.
//!
//! `cargo bench --bench needs_load`; BORASEN_BENCH_N overrides the need count.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use borasen::events::Actor;
use borasen::needs::Status;
use borasen::needs::form::NeedForm;
use borasen::needs::intake::{Intake, receive};
use borasen::needs::{self, Filter};
use borasen::needs::{Category, ReceivedVia};
use common::{block_on, demo_server, env_or};

const DEMO_PASSWORD: &str = "demo-password-2026";
const GOAL_SNAPSHOT_MS: f64 = 50.0;
/// Coordinators typing needs at once.
const WRITERS: usize = 8;
const RUNS: usize = 30;

fn main() {
    block_on(run(env_or("BORASEN_BENCH_N", 50_000)));
}

/// Need `i`: its own phone and address, a pin spread over the demo area
/// (central Kanazawa), so the duplicate check finds little and does real work.
fn need_form(i: usize) -> NeedForm {
    let (row, col) = (i / 300, i % 300);
    NeedForm {
        received_via: Some(ReceivedVia::Phone),
        requester_name: format!("依頼者 {i}"),
        phone: format!("090-{:04}-{:04}", i / 10_000, i % 10_000),
        address: format!("金沢市テスト町{}番{}号", i / 100, i % 100),
        lat: Some(36.552 + (row % 170) as f64 * 0.00018),
        lon: Some(136.640 + col as f64 * 0.000107),
        categories: vec![Category::ALL[i % 6]],
        people_needed: Some(1 + (i % 10) as i64),
        priority: Some(1 + (i % 3) as i64),
        force_new: i.is_multiple_of(2), // half skip the check, as a coordinator who has seen it would
        ..NeedForm::default()
    }
}

async fn run(n: usize) {
    let server = demo_server(DEMO_PASSWORD).await;
    let (addr, state) = (server.addr, server.state.clone());

    let started = Instant::now();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut writers = Vec::new();
    for _ in 0..WRITERS {
        let (state, next) = (state.clone(), next.clone());
        writers.push(tokio::spawn(async move {
            let actor = Actor::user("coordinator");
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= n {
                    return latencies;
                }
                let zones = state.zones.current();
                let t = Instant::now();
                match receive(&state.db, &state.clock, &zones, &actor, &*state.intake, need_form(i)).await {
                    Ok(Intake::Saved(_)) => latencies.push(t.elapsed()),
                    // Shown likely duplicates, the coordinator looks and saves it as new.
                    Ok(Intake::LikelyDuplicates(_)) => {
                        let again = NeedForm { force_new: true, ..need_form(i) };
                        match receive(&state.db, &state.clock, &zones, &actor, &*state.intake, again).await {
                            Ok(Intake::Saved(_)) => latencies.push(t.elapsed()),
                            other => panic!("need {i} forced: {:?}", other.err()),
                        }
                    }
                    Err(e) => panic!("need {i}: {e:?}"),
                }
            }
        }));
    }
    let mut intake = Vec::with_capacity(n);
    for writer in writers {
        intake.extend(writer.await.expect("writer"));
    }
    let intake_wall = started.elapsed();
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM needs").fetch_one(&state.db.read).await.unwrap();

    let open =
        Filter { statuses: Status::ALL.into_iter().filter(|s| s.is_open()).collect(), limit: 500, ..Filter::default() };
    let zone = Filter { zone: Some(Some("香林坊".into())), category: Some(Category::Mud), ..open.clone() };
    let search = Filter { text: Some("090-0004".into()), ..open.clone() };
    let mut list_default = Vec::new();
    let mut list_zone = Vec::new();
    let mut list_search = Vec::new();
    let mut snapshot = Vec::new();
    for _ in 0..RUNS {
        let mut conn = state.db.read.acquire().await.unwrap();
        list_default.push(timed(needs::list(&mut conn, &open)).await);
        list_zone.push(timed(needs::list(&mut conn, &zone)).await);
        list_search.push(timed(needs::list(&mut conn, &search)).await);
        drop(conn);
        snapshot.push(timed(borasen::board::snapshot::read(&state.db.read, &state.clock, false)).await);
    }

    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let login = client
        .post(format!("http://{addr}/api/session"))
        .json(&serde_json::json!({ "username": "coordinator", "password": DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let mut http_list = Vec::new();
    let mut http_board = Vec::new();
    for _ in 0..RUNS {
        http_list.push(timed_get(&client, &format!("http://{addr}/api/needs?status=open")).await);
        http_board.push(timed_get(&client, &format!("http://{addr}/api/board")).await);
    }
    let dir = server.stop().await;

    intake.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!();
    println!(
        "borasen needs load: {n} needs ({stored} stored), {WRITERS} concurrent writers, data in {}",
        dir.path().display()
    );
    println!(
        "intake (in-process; half checked for duplicates, then saved)  {:.1} s  = {:.0} needs/s   p50 {:.2} ms  p99 {:.2} ms",
        intake_wall.as_secs_f64(),
        n as f64 / intake_wall.as_secs_f64(),
        ms(intake[intake.len() / 2]),
        ms(intake[intake.len() * 99 / 100]),
    );
    println!("{:<46} {:>9} {:>9}", "query (30 runs)", "p50 ms", "max ms");
    for (label, times) in [
        ("list: open, first 500 (store)", &mut list_default),
        ("list: zone + category (store)", &mut list_zone),
        ("list: phone search (store)", &mut list_search),
        ("board snapshot (store)", &mut snapshot),
        ("GET /api/needs?status=open (500 cards)", &mut http_list),
        ("GET /api/board", &mut http_board),
    ] {
        times.sort();
        println!("{label:<46} {:>9.2} {:>9.2}", ms(times[times.len() / 2]), ms(times[times.len() - 1]));
    }
    let worst = ms(*http_board.last().unwrap());
    println!(
        "goal: board snapshot < {GOAL_SNAPSHOT_MS} ms at {n} needs — {} (worst over HTTP {worst:.2} ms)",
        if worst < GOAL_SNAPSHOT_MS { "met" } else { "NOT met" }
    );
}

async fn timed<T, E: std::fmt::Debug>(query: impl std::future::Future<Output = Result<T, E>>) -> Duration {
    let t = Instant::now();
    query.await.expect("query");
    t.elapsed()
}

async fn timed_get(client: &reqwest::Client, url: &str) -> Duration {
    let t = Instant::now();
    let response = client.get(url).send().await.unwrap();
    assert_eq!(response.status(), 200, "{url}");
    response.bytes().await.unwrap();
    t.elapsed()
}

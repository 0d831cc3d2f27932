//! The link's benchmarks (ignored: run them on purpose, in release):
//! `cargo test --release --test hub link_bench:: -- --ignored --nocapture --test-threads 1`
//!
//! - Pull of 3,000 bookings into a center: wall time, and the desk's check-in
//!   latency (p50/p99/max) while the pull runs (goal: p99 under 50 ms).
//! - Push of a full day (3,000 check-ins): wall time until the hub has it.
//! - Sync over a bad link (a proxy adding 500 ms and dropping 20 % of
//!   connections): time until both ends agree.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use serde_json::json;
use sqlx::PgPool;

use crate::bulk::{self, Profile};
use crate::center::Center;
use crate::database_or_skip;
use crate::link::{book_all, day_in, expect_at_desk, hub_with_center, mailed_tokens, opening};
use crate::proxy::Proxy;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn came(pool: &PgPool, opening: i64) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM hub_bookings WHERE opening_id = $1 AND checked_in_at IS NOT NULL")
        .bind(opening)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Walk-ins registered at the desk (no hub involved); their volunteer ids.
async fn walk_ins(center: &Center, count: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for n in 0..count {
        let form = json!({ "name": format!("当日 {n}"), "furigana": "トウジツ", "birth_date": "1985-05-05",
            "phone": format!("080-{:04}-{:04}", n / 10000, n % 10000 + 1000), "address": "石川県七尾市",
            "emergency_name": "家族", "emergency_phone": "090-1111-2222", "insurance": "enrolled" });
        let (status, body) = center.post("/api/volunteers", form).await;
        assert_eq!(status, 201, "{body}");
        ids.push(body["id"].as_i64().unwrap());
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "benchmark: run with --release --ignored --nocapture"]
async fn pull_3000_and_push_a_full_day_of_3000() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let (hub, admin, key) = hub_with_center(&url, mail.path()).await;
    let pool = PgPool::connect(&url).await.unwrap();
    let today = day_in(0);
    let id = opening(&admin, &hub, &today, 3000).await;
    let people = bulk::make(&pool, "bench", 3000, Profile::default()).await;
    book_all(&hub, id, &people).await;
    let tokens = mailed_tokens(mail.path(), 3000).await;

    let proxy = Proxy::start(&hub.base).await;
    proxy.cut();
    let data = tempfile::tempdir().unwrap();
    let center = Center::start(data.path(), &proxy.base, &key).await;
    let desk = walk_ins(&center, 300).await;

    // Pull, while the desk checks walk-ins in one after another.
    proxy.point_at(&hub.base);
    let started = Instant::now();
    center.post("/api/hub/sync", json!({})).await;
    let mut latencies = Vec::new();
    for volunteer in &desk {
        if center.expected(&today).await >= 3000 {
            break;
        }
        let sent = Instant::now();
        let (status, body) =
            center.post("/api/checkins", json!({ "volunteer_id": volunteer, "health_ok": true })).await;
        latencies.push(sent.elapsed());
        assert_eq!(status, 201, "{body}");
    }
    expect_at_desk(&center, &today, 3000).await;
    let pull_wall = started.elapsed();
    latencies.sort();
    println!(
        "pull of 3000 bookings: wall {pull_wall:?}; desk check-ins during it: {} — p50 {:?}, p99 {:?}, max {:?}",
        latencies.len(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().unwrap()
    );

    // A full day: the 3,000 check in with the hub away, then one push.
    proxy.cut();
    let (http_center, tokens) = (&center, &tokens);
    for group in people.chunks(8) {
        let calls = group.iter().map(|who| async move {
            let token = tokens.iter().find(|(to, _)| to.contains(&who.email)).unwrap().1;
            let (status, body, _) = http_center.check_in(token).await;
            assert_eq!(status, 201, "{body}");
        });
        futures_util::future::join_all(calls).await;
    }
    proxy.point_at(&hub.base);
    let started = Instant::now();
    center.sync().await;
    let push_wall = started.elapsed();
    assert_eq!(came(&pool, id).await, 3000);
    println!("push of a full day (3000 check-ins): one sync {push_wall:?} until the hub has all 3000");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "benchmark: run with --release --ignored --nocapture"]
async fn sync_over_a_slow_lossy_link_until_both_ends_agree() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let (hub, admin, key) = hub_with_center(&url, mail.path()).await;
    let pool = PgPool::connect(&url).await.unwrap();
    let today = day_in(0);
    let id = opening(&admin, &hub, &today, 300).await;
    let people = bulk::make(&pool, "lossy", 300, Profile::default()).await;
    book_all(&hub, id, &people).await;
    let tokens = mailed_tokens(mail.path(), 300).await;

    let proxy = Proxy::start(&hub.base).await;
    proxy.faults.delay_ms.store(500, Ordering::Relaxed);
    proxy.faults.drop_percent.store(20, Ordering::Relaxed);
    let data = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let center = Center::start(data.path(), &proxy.base, &key).await;
    expect_at_desk(&center, &today, 300).await;
    let pulled = started.elapsed();
    // Ten rounds: 25 more check in, then the time until the hub has them all.
    let mut rounds = Vec::new();
    for (round, group) in people[..250].chunks(25).enumerate() {
        for who in group {
            let token = tokens.iter().find(|(to, _)| to.contains(&who.email)).unwrap().1;
            assert_eq!(center.check_in(token).await.0, 201);
        }
        let started = Instant::now();
        while came(&pool, id).await < 25 * (round as i64 + 1) {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        rounds.push(started.elapsed());
    }
    rounds.sort();
    println!(
        "bad link (+500 ms a connection, 20 % dropped, sync every 1 s): 300 bookings at the desk after {pulled:?}; \
         10 rounds of 25 check-ins until the hub has them: min {:?}, median {:?}, max {:?}; connections {}, dropped {}",
        rounds[0],
        rounds[5],
        rounds[9],
        proxy.connections.load(Ordering::Relaxed),
        proxy.faults.dropped.load(Ordering::Relaxed)
    );
}

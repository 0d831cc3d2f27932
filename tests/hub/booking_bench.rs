//! The booking benchmark (ignored: run it on purpose, in release):
//! `cargo test --release --test hub booking_bench:: -- --ignored --nocapture`
//!
//! Booking surge: 5,000 volunteers book an opening of 300 at the same moment,
//! half through each of 2 hub processes on one PostgreSQL: confirmed (must be
//! 300), p50/p99 latency, 5xx (must be 0), wall time. (Registration's rate is
//! `bench::registration_rate_against_raw_inserts`.)

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sqlx::PgPool;

use crate::bulk::{self, Profile};
use crate::database_or_skip;
use crate::process::{ADMIN_EMAIL, ADMIN_PASSWORD, Hub, MailTo, logged_in};

/// Requests in flight per process: under its per-address connection budget (256).
const IN_FLIGHT: usize = 200;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "benchmark: run with --release --ignored --nocapture"]
async fn booking_surge_5000_for_300_over_two_processes() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let mail_to = MailTo::Dir(mail.path().to_path_buf());
    let hubs = Arc::new([Hub::start(&url, &mail_to), Hub::start(&url, &mail_to)]);
    let pool = PgPool::connect(&url).await.unwrap();
    let admin = logged_in(&hubs[0], ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let day = (chrono::Utc::now() + chrono::Duration::days(20)).date_naive().to_string();
    crate::process::ensure_center(&admin, &hubs[0], 1).await;
    let made = admin
        .post(hubs[0].url("/api/openings"))
        .json(&json!({ "center_id": 1, "day": day, "title": "surge", "quota": 300,
                       "meeting_point": "駅前", "meeting_time": "08:30" }))
        .send()
        .await
        .unwrap();
    let id = made.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    admin.post(hubs[0].url(&format!("/api/openings/{id}/publish"))).send().await.unwrap();
    let people = bulk::make(&pool, "surge", 5000, Profile::default()).await;

    let http = reqwest::Client::builder().pool_max_idle_per_host(IN_FLIGHT).build().unwrap();
    let gates = Arc::new([tokio::sync::Semaphore::new(IN_FLIGHT), tokio::sync::Semaphore::new(IN_FLIGHT)]);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (i, who) in people.into_iter().enumerate() {
        let (http, hubs, gates) = (http.clone(), hubs.clone(), gates.clone());
        tasks.push(tokio::spawn(async move {
            let _slot = gates[i % 2].acquire().await.unwrap();
            let sent = Instant::now();
            let answer = http
                .post(hubs[i % 2].url(&format!("/api/openings/{id}/bookings")))
                .header("cookie", &who.cookie)
                .send()
                .await;
            let status = answer.as_ref().map(|a| a.status().as_u16()).unwrap_or(599);
            let body: Value = match answer {
                Ok(a) => a.json().await.unwrap_or(Value::Null),
                Err(_) => Value::Null,
            };
            (sent.elapsed(), status, body["status"].as_str().unwrap_or("").to_string())
        }));
    }
    let mut latencies = Vec::new();
    let (mut server_errors, mut confirmed, mut waitlisted) = (0, 0, 0);
    for task in tasks {
        let (took, status, outcome) = task.await.unwrap();
        latencies.push(took);
        server_errors += usize::from(status >= 500);
        confirmed += usize::from(outcome == "booked");
        waitlisted += usize::from(outcome == "waitlisted");
    }
    let wall = start.elapsed();
    latencies.sort();
    let in_db: i64 =
        sqlx::query_scalar("SELECT count(*) FROM hub_bookings WHERE opening_id = $1 AND status = 'booked'")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    println!(
        "booking surge: 5000 volunteers, quota 300, 2 processes: confirmed {confirmed} (in the database {in_db}), \
         waitlisted {waitlisted}, 5xx {server_errors}, p50 {:?}, p99 {:?}, max {:?}, wall {:?}",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().unwrap(),
        wall
    );
    assert_eq!((confirmed, in_db, server_errors), (300, 300, 0));
}

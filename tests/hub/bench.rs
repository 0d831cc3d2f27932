//! Figures for the note, not checks: `cargo test --test hub bench:: -- --ignored --nocapture`.

use std::time::Instant;

use futures_util::StreamExt;
use futures_util::stream;
use sqlx::PgPool;

use crate::database_or_skip;
use crate::process::{Hub, MailTo};
use crate::volunteers::{profile, register};

/// Accounts created per second through two hub processes (argon2 on), against
/// PostgreSQL's raw insert rate of the same rows in the same run.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "a benchmark"]
async fn registration_rate_against_raw_inserts() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let hubs = [
        Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf())),
        Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf())),
    ];
    const N: usize = 400;
    let started = Instant::now();
    let statuses: Vec<u16> = stream::iter(0..N)
        .map(|i| {
            let hub = &hubs[i % 2];
            async move { register(hub, &format!("bench{i}@example.jp"), profile()).await.status().as_u16() }
        })
        .buffer_unordered(32)
        .collect()
        .await;
    let through_hub = started.elapsed();
    assert!(
        statuses.iter().all(|s| *s == 201),
        "{:?}",
        statuses.iter().filter(|s| **s != 201).take(3).collect::<Vec<_>>()
    );

    let pool = PgPool::connect(&url).await.unwrap();
    sqlx::query("CREATE TABLE bench_raw (id bigint GENERATED ALWAYS AS IDENTITY, email text UNIQUE, profile jsonb)")
        .execute(&pool)
        .await
        .unwrap();
    let started = Instant::now();
    stream::iter(0..N)
        .map(|i| {
            let pool = pool.clone();
            async move {
                sqlx::query("INSERT INTO bench_raw (email, profile) VALUES ($1, $2)")
                    .bind(format!("raw{i}@example.jp"))
                    .bind(profile())
                    .execute(&pool)
                    .await
                    .unwrap();
            }
        })
        .buffer_unordered(32)
        .collect::<Vec<()>>()
        .await;
    let raw = started.elapsed();
    println!(
        "registrations: {N} in {:.2} s = {:.0}/s through 2 hub processes (argon2); raw inserts: {N} in {:.3} s = {:.0}/s",
        through_hub.as_secs_f64(),
        N as f64 / through_hub.as_secs_f64(),
        raw.as_secs_f64(),
        N as f64 / raw.as_secs_f64()
    );
}

//! Dispatch at scale: 1,000 teams of 4 sent out over HTTP by 10 coordinators at
//! once, from 4,000 volunteers checked in, each team to its own need. Reports
//! teams per second and the coordinators' latency.
//!
//! `cargo bench --bench dispatch_load`; BORASEN_BENCH_TEAMS and BORASEN_BENCH_CLIENTS
//! override the team count (1000) and the number of coordinators (10).

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use borasen::events::Actor;
use borasen::needs::form::NeedForm;
use borasen::needs::intake::{Intake, receive};
use borasen::needs::{Category, ReceivedVia};
use borasen::reception::check_in::{CheckInInput, check_in};
use borasen::reception::form::Channel;
use borasen::reception::register::{Registered, register};
use common::{block_on, demo_server, env_or, logged_in_client, percentile, volunteer_form};
use serde_json::json;

const DEMO_PASSWORD: &str = "demo-password-2026";
const TEAM_SIZE: usize = 4;

fn main() {
    let teams = env_or("BORASEN_BENCH_TEAMS", 1_000);
    let clients = env_or("BORASEN_BENCH_CLIENTS", 10);
    block_on(run(teams, clients));
}

async fn run(teams: usize, clients: usize) {
    let server = demo_server(DEMO_PASSWORD).await;
    let (addr, state) = (server.addr, server.state.clone());

    // The morning: volunteers registered and checked in, needs waiting (in-process).
    let started = Instant::now();
    let desk = Actor::user("reception");
    let mut ids = Vec::with_capacity(teams * TEAM_SIZE);
    for i in 0..teams * TEAM_SIZE {
        let form = volunteer_form(i, state.clock.activity_day());
        let Ok(Registered::Created { volunteer, .. }) =
            register(&state.db, &state.clock, &desk, form, Channel::WalkIn).await
        else {
            panic!("volunteer {i} not registered")
        };
        let input = CheckInInput { volunteer_id: Some(volunteer.id), health_ok: true, ..CheckInInput::default() };
        check_in(&state.db, &state.clock, &desk, input).await.expect("check-in");
        ids.push(volunteer.id);
    }
    let zones = state.zones.current();
    let mut needs = Vec::with_capacity(teams);
    for i in 0..teams {
        let form = NeedForm {
            received_via: Some(ReceivedVia::Phone),
            requester_name: format!("依頼者 {i}"),
            phone: format!("076-{:03}-{:04}", 200 + i / 10_000, i % 10_000),
            address: format!("金沢市テスト町{i}"),
            categories: vec![Category::Mud],
            people_needed: Some(TEAM_SIZE as i64),
            force_new: true,
            ..NeedForm::default()
        };
        match receive(&state.db, &state.clock, &zones, &Actor::user("coordinator"), &*state.intake, form).await {
            Ok(Intake::Saved(need)) => needs.push(need.id),
            _ => panic!("need {i} not saved"),
        }
    }
    let morning = started.elapsed();

    let mut sessions = Vec::with_capacity(clients);
    for _ in 0..clients {
        sessions.push(logged_in_client(addr, "coordinator", DEMO_PASSWORD).await);
    }
    let url = format!("http://{addr}/api/teams");
    let work = Arc::new((ids, needs));
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = sessions
        .into_iter()
        .map(|client| {
            let (url, work, next) = (url.clone(), work.clone(), next.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let t = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&need_id) = work.1.get(t) else { return latencies };
                    let members = &work.0[t * TEAM_SIZE..(t + 1) * TEAM_SIZE];
                    let body = json!({ "need_id": need_id, "leader_id": members[0], "member_ids": members });
                    let sent = Instant::now();
                    let response = client.post(&url).json(&body).send().await.expect("request");
                    let status = response.status();
                    response.bytes().await.expect("body");
                    assert_eq!(status, 201, "team {t}");
                    latencies.push(sent.elapsed());
                }
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(teams);
    for task in tasks {
        latencies.extend(task.await.expect("coordinator"));
    }
    let dispatching = started.elapsed();
    let out: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM teams WHERE status = 'dispatched'")
        .fetch_one(&state.db.read)
        .await
        .unwrap();
    let dir = server.stop().await;

    latencies.sort();
    let ms = |p: f64| percentile(&latencies, p).as_secs_f64() * 1e3;
    println!();
    println!(
        "borasen dispatch load: {teams} teams of {TEAM_SIZE}, {clients} coordinators, data in {}",
        dir.path().display()
    );
    println!(
        "morning (in-process): {} volunteers registered + checked in, {teams} needs, {:.1} s",
        teams * TEAM_SIZE,
        morning.as_secs_f64()
    );
    println!(
        "dispatch (POST /api/teams): {} teams in {:.2} s = {:.0} teams/s",
        latencies.len(),
        dispatching.as_secs_f64(),
        latencies.len() as f64 / dispatching.as_secs_f64()
    );
    println!("latency ms: p50 {:.2}  p90 {:.2}  p99 {:.2}  max {:.2}", ms(0.5), ms(0.9), ms(0.99), ms(1.0));
    assert_eq!(out, teams as i64, "every team out once");
}

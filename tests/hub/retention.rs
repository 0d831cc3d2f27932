//! The retention sweeper, called with an injected `now` against the real
//! database: a notice at 11 months of inactivity, erasure at 12 months when
//! told at least 30 days before, nothing for anyone active, once with two
//! sweepers at the same time.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use borasen::hub::accounts::retention::{Swept, sweep};
use borasen::hub::config::{MailConfig, MailTransport};
use borasen::hub::{HubApp, HubConfig};
use chrono::{Days, Months, Utc};
use sqlx::PgPool;

use crate::bulk::{self, Profile};
use crate::database_or_skip;

async fn log_in(app: &HubApp, pool: &PgPool, account_id: i64, email: &str) {
    let password = "retention-password-1";
    sqlx::query("UPDATE hub_accounts SET password_hash = $2 WHERE id = $1")
        .bind(account_id)
        .bind(borasen::auth::password::hash(password))
        .execute(pool)
        .await
        .unwrap();
    let local = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let ttl = Duration::from_secs(3600);
    borasen::hub::sessions::login(&app.state().db, ttl, email, password, local).await.expect("logs in");
}

#[tokio::test]
async fn inactive_volunteers_are_told_then_erased_and_active_ones_are_left_alone() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let mut config = HubConfig::new(
        url.clone(),
        MailConfig::new("borasen hub <noreply@hub.example.jp>".into(), MailTransport::Dir(mail.path().into())),
    );
    config.addr = "127.0.0.1:0".parse().unwrap();
    let app = HubApp::build(config).await.unwrap();
    let state = app.state().clone();
    let pool = PgPool::connect(&url).await.unwrap();
    let now = Utc::now();

    // a: silent 13 months; b: as old, but logged in now; c: as old, booked a day a month ago; d: silent 11½ months.
    let people = bulk::make(&pool, "kept", 4, Profile::default()).await;
    let (a, b, c, d) = (&people[0], &people[1], &people[2], &people[3]);
    let thirteen_months_ago = now - Months::new(13);
    for who in [a, b, c] {
        sqlx::query("UPDATE hub_accounts SET created_at = $2 WHERE id = $1")
            .bind(who.account_id)
            .bind(thirteen_months_ago)
            .execute(&pool)
            .await
            .unwrap();
    }
    sqlx::query("UPDATE hub_accounts SET created_at = $2 WHERE id = $1")
        .bind(d.account_id)
        .bind(now - Months::new(11) - Days::new(15))
        .execute(&pool)
        .await
        .unwrap();
    log_in(&app, &pool, b.account_id, &b.email).await;
    let a_month_ago = (now - Days::new(30)).date_naive();
    sqlx::query("INSERT INTO hub_centers (id, name, key_hash) VALUES (1, 'センター 1', 'unusable:retention')")
        .execute(&pool)
        .await
        .unwrap();
    let opening: i64 = sqlx::query_scalar(
        "INSERT INTO hub_openings (center_id, day, title, quota, meeting_point, meeting_time, mode, state)
         VALUES (1, $1, '泥出し', 5, '七尾駅', '08:30', 'first_come', 'closed') RETURNING id",
    )
    .bind(a_month_ago)
    .fetch_one(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO hub_bookings (opening_id, account_id, day, status, qr_token)
         VALUES ($1, $2, $3, 'booked', '0123456789ABCDEF0123456789ABCDEF')",
    )
    .bind(opening)
    .bind(c.account_id)
    .bind(a_month_ago)
    .execute(&pool)
    .await
    .unwrap();

    // Two sweepers at once, as two processes would: each notice once.
    let (first, second) = tokio::join!(sweep(&state, now), sweep(&state, now));
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_eq!(first.noticed + second.noticed, 2, "{first:?} {second:?}");
    assert_eq!(first.erased + second.erased, 0);
    let told: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT account_id, to_addr, body_text FROM hub_outbox WHERE kind = 'retention_notice' ORDER BY account_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let told_ids: Vec<i64> = told.iter().map(|(id, _, _)| *id).collect();
    assert_eq!(told_ids, [a.account_id, d.account_id]);
    assert_eq!(told[0].1, a.email);
    let erase_day = (now + Days::new(30)).with_timezone(&chrono::FixedOffset::east_opt(9 * 3600).unwrap());
    assert!(told[0].2.contains(&erase_day.format("%Y年%-m月%-d日").to_string()), "{}", told[0].2);
    assert_eq!(sweep(&state, now).await.unwrap(), Swept::default(), "told once");

    // d logs in after the notice: it no longer counts, and d is active again.
    log_in(&app, &pool, d.account_id, &d.email).await;

    // 29 days after the notice a is not erased yet; 31 days after, it is.
    assert_eq!(sweep(&state, now + Days::new(29)).await.unwrap(), Swept::default());
    assert_eq!(sweep(&state, now + Days::new(31)).await.unwrap(), Swept { noticed: 0, erased: 1 });
    let left: Vec<(i64, bool, bool)> = sqlx::query_as(
        "SELECT a.id, a.deleted_at IS NOT NULL, v.account_id IS NOT NULL
           FROM hub_accounts a LEFT JOIN hub_volunteers v ON v.account_id = a.id
          WHERE a.role = 'volunteer' ORDER BY a.id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        left,
        [
            (a.account_id, true, false),
            (b.account_id, false, true),
            (c.account_id, false, true),
            (d.account_id, false, true),
        ]
    );
    let email: Option<String> = sqlx::query_scalar("SELECT email FROM hub_accounts WHERE id = $1")
        .bind(a.account_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(email, None);
    let erased_by: Vec<String> = sqlx::query_scalar("SELECT actor FROM hub_events WHERE kind = 'account.deleted'")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(erased_by, ["system"]);
    let noticed: i64 = sqlx::query_scalar("SELECT count(*) FROM hub_events WHERE kind = 'account.retention_noticed'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(noticed, 2);
}

//! Mail through a real SMTP listener on loopback: sent once per Message-ID,
//! retried after a transient refusal, and sent after a crash mid-send.

use std::time::Duration;

use sqlx::PgPool;

use crate::database_or_skip;
use crate::process::{Hub, MailTo};
use crate::smtp::SmtpListener;
use crate::volunteers::{mail_text, profile, register, token_in};

#[tokio::test]
async fn a_hub_killed_mid_send_sends_the_mail_after_restart_once_per_message_id() {
    let (_cluster, url) = database_or_skip!("hub");
    let smtp = SmtpListener::start().await;
    smtp.stall(true);
    let first = Hub::start(&url, &MailTo::Smtp(smtp.port));
    assert_eq!(register(&first, "crash@example.jp", profile()).await.status(), 201);
    // The change committed; its mail is on the wire but never acknowledged.
    let until = tokio::time::Instant::now() + Duration::from_secs(20);
    while smtp.seen() == 0 && tokio::time::Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(smtp.seen(), 1, "the hub was sending");
    first.kill9();
    assert!(smtp.received().is_empty());

    smtp.stall(false);
    let second = Hub::start(&url, &MailTo::Smtp(smtp.port));
    let got = smtp.wait_for(1, Duration::from_secs(30)).await;
    assert_eq!(got.len(), 1, "the mail went after the restart");
    // Nothing more comes: the row is marked sent.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let got = smtp.received();
    assert_eq!(got.len(), 1, "once: {:?}", got.iter().map(|m| m.message_id()).collect::<Vec<_>>());
    assert_eq!(got[0].to, ["<crash@example.jp>"]);
    assert!(!token_in(&mail_text(&got[0].data)).is_empty(), "the verification link is in it");

    let pool = PgPool::connect(&url).await.unwrap();
    let (message_id, sent): (String, bool) =
        sqlx::query_as("SELECT message_id, sent_at IS NOT NULL FROM hub_outbox").fetch_one(&pool).await.unwrap();
    assert!(sent);
    assert_eq!(got[0].message_id().unwrap(), format!("<{message_id}>"));
    let sent_events: i64 =
        sqlx::query_scalar("SELECT count(*) FROM hub_events WHERE kind = 'mail.sent'").fetch_one(&pool).await.unwrap();
    assert_eq!(sent_events, 1);
    drop(second);
}

#[tokio::test]
async fn a_refused_mail_is_retried_with_backoff_and_sent_once() {
    let (_cluster, url) = database_or_skip!("hub");
    let smtp = SmtpListener::start().await;
    smtp.refuse_next(2);
    let hub = Hub::start(&url, &MailTo::Smtp(smtp.port));
    assert_eq!(register(&hub, "retry@example.jp", profile()).await.status(), 201);
    let got = smtp.wait_for(1, Duration::from_secs(30)).await;
    assert_eq!(got.len(), 1);
    assert_eq!(smtp.seen(), 3, "two refusals, then the one that went");
    let pool = PgPool::connect(&url).await.unwrap();
    let kinds: Vec<String> = sqlx::query_scalar("SELECT kind FROM hub_events WHERE kind LIKE 'mail.%' ORDER BY seq")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(kinds, ["mail.deferred", "mail.deferred", "mail.sent"]);
    let attempts: i32 = sqlx::query_scalar("SELECT attempts FROM hub_outbox").fetch_one(&pool).await.unwrap();
    assert_eq!(attempts, 3);
    // The logged errors carry no address.
    let logged: i64 = sqlx::query_scalar("SELECT count(*) FROM hub_events WHERE data::text LIKE '%retry@%'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(logged, 0);
}

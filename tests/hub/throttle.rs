//! Login throttling on the hub: failures are counted in PostgreSQL, so every
//! hub process sees the same count; by address and client, as at the center.

use std::net::IpAddr;

use serde_json::{Value, json};
use sqlx::PgPool;

use crate::database_or_skip;
use crate::process::{ADMIN_EMAIL, ADMIN_PASSWORD, Hub, MailTo};

/// A client whose connections come from `from` (any 127.0.0.0/8 address on Linux).
fn client_from(from: &str) -> reqwest::Client {
    let from: IpAddr = from.parse().unwrap();
    reqwest::Client::builder().cookie_store(true).local_address(from).build().unwrap()
}

async fn try_login(http: &reqwest::Client, hub: &Hub, email: &str, password: &str) -> reqwest::Response {
    http.post(hub.url("/api/session"))
        .header("Accept-Language", "ja")
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn five_failures_across_two_processes_refuse_the_address_even_with_the_right_password() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let a = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let b = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let here = client_from("127.0.0.1");

    // Five wrong passwords, alternating between the two processes.
    for i in 0..5 {
        let hub = if i % 2 == 0 { &a } else { &b };
        let answer = try_login(&here, hub, ADMIN_EMAIL, "wrong-password-0").await;
        assert_eq!(answer.status(), 401, "failure {i}");
    }
    // The sixth, with the right password, on either process: refused.
    for hub in [&a, &b] {
        let refused = try_login(&here, hub, &ADMIN_EMAIL.to_uppercase(), ADMIN_PASSWORD).await;
        assert_eq!(refused.status(), 429);
        let retry: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((800..=900).contains(&retry), "until the 15-minute window passes: {retry}");
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["error"]["code"], "too_many_attempts");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains("15分ほど待って"), "{message}");
    }
    let english = here
        .post(a.url("/api/session"))
        .header("Accept-Language", "en")
        .json(&json!({ "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD }))
        .send()
        .await
        .unwrap();
    let body: Value = english.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("Try again in about 15 minutes"), "{body}");

    // Another device that has not been failing still gets in (nobody locks an account from afar).
    assert_eq!(try_login(&client_from("127.0.0.2"), &b, ADMIN_EMAIL, ADMIN_PASSWORD).await.status(), 200);
    // …which lifts no lockout of the client that was failing.
    assert_eq!(try_login(&here, &b, ADMIN_EMAIL, ADMIN_PASSWORD).await.status(), 429);

    // No address is stored, only its hash; the lockout is logged once, without the address.
    let pool = PgPool::connect(&url).await.unwrap();
    let stored: i64 =
        sqlx::query_scalar("SELECT count(*) FROM hub_login_failures t WHERE t::text LIKE '%hub.example.jp%'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(stored, 0);
    let locked: Vec<Value> =
        sqlx::query_scalar("SELECT data FROM hub_events WHERE kind = 'account.login_locked' ORDER BY seq")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(locked.len(), 1, "{locked:?}");
    assert_eq!((locked[0]["scope"].as_str(), locked[0]["minutes"].as_u64()), (Some("account_from_source"), Some(15)));

    // Once the window has passed (the failures made older here), the right password works.
    sqlx::query("UPDATE hub_login_failures SET at = at - interval '16 minutes'").execute(&pool).await.unwrap();
    assert_eq!(try_login(&here, &a, ADMIN_EMAIL, ADMIN_PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn a_success_resets_the_count_and_spraying_from_one_client_is_refused() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let a = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let b = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let desk = client_from("127.0.0.3");
    for _ in 0..4 {
        assert_eq!(try_login(&desk, &a, ADMIN_EMAIL, "wrong-password-0").await.status(), 401);
    }
    assert_eq!(try_login(&desk, &b, ADMIN_EMAIL, ADMIN_PASSWORD).await.status(), 200, "a success");
    for _ in 0..4 {
        assert_eq!(try_login(&desk, &b, ADMIN_EMAIL, "wrong-password-0").await.status(), 401);
    }
    assert_eq!(try_login(&desk, &a, ADMIN_EMAIL, ADMIN_PASSWORD).await.status(), 200, "the count started again");

    // Twenty failures from one client over many addresses (none of which exist) refuse that client.
    let sprayer = client_from("127.0.0.4");
    for i in 0..20 {
        let hub = if i % 2 == 0 { &a } else { &b };
        let answer = try_login(&sprayer, hub, &format!("user{}@example.jp", i % 10), "guess-password-0").await;
        assert_eq!(answer.status(), 401, "failure {i}");
    }
    let refused = try_login(&sprayer, &a, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(refused.status(), 429, "the client is refused for every address");
    assert_eq!(try_login(&desk, &b, ADMIN_EMAIL, ADMIN_PASSWORD).await.status(), 200, "others are not");
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_client_is_counted_not_the_proxy() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let hub = Hub::start_with(&url, &MailTo::Dir(mail.path().to_path_buf()), &["--trusted-proxy", "127.0.0.1"]);
    let proxy = client_from("127.0.0.1");
    let from = |client: &'static str, password: &'static str| {
        proxy
            .post(hub.url("/api/session"))
            .header("X-Forwarded-For", client)
            .json(&json!({ "email": ADMIN_EMAIL, "password": password }))
            .send()
    };
    for _ in 0..5 {
        assert_eq!(from("203.0.113.5", "wrong-password-0").await.unwrap().status(), 401);
    }
    assert_eq!(from("203.0.113.5", ADMIN_PASSWORD).await.unwrap().status(), 429);
    // Another client through the same proxy is not refused; nor is a client that claims to be one on the left.
    assert_eq!(from("203.0.113.6", ADMIN_PASSWORD).await.unwrap().status(), 200);
    assert_eq!(from("203.0.113.6, 203.0.113.5", "wrong-password-0").await.unwrap().status(), 429);
    assert_eq!(from("203.0.113.5, 203.0.113.7", ADMIN_PASSWORD).await.unwrap().status(), 200);
    // A peer that is not trusted is itself the client, whatever it forwards.
    let direct = client_from("127.0.0.9")
        .post(hub.url("/api/session"))
        .header("X-Forwarded-For", "203.0.113.5")
        .json(&json!({ "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(direct.status(), 200);
}

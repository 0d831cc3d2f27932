use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_PASSWORD, spawn_app, spawn_app_with};

async fn try_login(app: &crate::helpers::TestApp, username: &str, password: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/api/session"))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn right_password_gives_a_strict_httponly_cookie_that_works() {
    let app = spawn_app().await;
    let response = try_login(&app, "admin", ADMIN_PASSWORD).await;
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("borasen_session="));
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(cookie.contains("Max-Age=43200"), "12 h by default: {cookie}");

    let admin = app.admin().await;
    let me: Value = admin.get("/api/session").await.json().await.unwrap();
    assert_eq!(me["username"], "admin");
    assert_eq!(me["role"], "admin");
    assert!(me.get("password_hash").is_none());
}

#[tokio::test]
async fn wrong_password_is_401_and_the_sixth_attempt_is_429_even_with_the_right_one() {
    let app = spawn_app().await;
    let other = app.user_with_role("kato", "reception").await;
    for attempt in 1..=5 {
        let response = try_login(&app, "admin", "wrong-password").await;
        assert_eq!(response.status(), 401, "attempt {attempt}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "bad_credentials");
    }
    let locked = try_login(&app, "admin", ADMIN_PASSWORD).await;
    assert_eq!(locked.status(), 429);
    let retry_after: u64 = locked.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=300).contains(&retry_after), "{retry_after}");
    // Another user is not locked out by admin's failures.
    assert_eq!(other.get("/api/session").await.status(), 200);
    let kato_again = try_login(&app, "kato", "kato-password").await;
    assert_eq!(kato_again.status(), 200);
}

#[tokio::test]
async fn unknown_users_get_the_same_401_as_wrong_passwords() {
    let app = spawn_app().await;
    let response = try_login(&app, "nobody", "whatever-password").await;
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_credentials");
}

#[tokio::test]
async fn no_session_is_401_and_a_wrong_role_is_403() {
    let app = spawn_app().await;
    let anonymous = reqwest::get(app.url("/api/board")).await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let body: Value = anonymous.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthenticated");

    let reception = app.user_with_role("suzuki", "reception").await;
    assert_eq!(reception.get("/api/board").await.status(), 403);
    assert_eq!(reception.get("/api/users").await.status(), 403);
    let coordinator = app.user_with_role("tanaka", "coordinator").await;
    assert_eq!(coordinator.get("/api/board").await.status(), 200);
    assert_eq!(coordinator.get("/api/users").await.status(), 403);
    let trainer = app.user_with_role("ito", "trainer").await;
    assert_eq!(trainer.get("/api/board").await.status(), 403);
}

#[tokio::test]
async fn a_forged_or_stale_cookie_is_401() {
    let app = spawn_app().await;
    let response = reqwest::Client::new()
        .get(app.url("/api/session"))
        .header("cookie", "borasen_session=00112233445566778899aabbccddeeff")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn logout_ends_the_session_at_once() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let response = admin.delete("/api/session").await;
    assert_eq!(response.status(), 204);
    assert!(response.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    assert_eq!(admin.get("/api/session").await.status(), 401);
}

#[tokio::test]
async fn sessions_expire() {
    let app = spawn_app_with(|c| c.session_ttl = std::time::Duration::from_secs(1)).await;
    let admin = app.admin().await;
    assert_eq!(admin.get("/api/session").await.status(), 200);
    // Expiry follows the wall clock in whole seconds; a busy machine may take a
    // while to answer, so the session must be gone within a few seconds, not at
    // an exact instant.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let status = admin.get("/api/session").await.status();
        if status == 401 {
            break;
        }
        assert_eq!(status, 200, "a live session answers 200 until it expires");
        assert!(std::time::Instant::now() < deadline, "a 1 s session still works after 15 s");
    }
}

#[tokio::test]
async fn cross_origin_browser_writes_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let before = app.last_seq().await;
    let response = admin
        .request(Method::POST, "/api/board/notices")
        .header("origin", "http://evil.example")
        .json(&json!({ "text": "偽のお知らせ" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "cross_origin");
    assert_eq!(app.last_seq().await, before);

    let same_origin = admin
        .request(Method::POST, "/api/board/notices")
        .header("origin", format!("http://{}", app.addr))
        .json(&json!({ "text": "本物のお知らせ" }))
        .send()
        .await
        .unwrap();
    assert_eq!(same_origin.status(), 201);
}

#[tokio::test]
async fn admins_create_users_with_valid_names_and_passwords_only() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let weak = admin.post("/api/users", &json!({ "username": "sato", "role": "reception", "password": "short" })).await;
    assert_eq!(weak.status(), 422);
    let body: Value = weak.json().await.unwrap();
    assert_eq!(body["error"]["field"], "password");

    let bad_role =
        admin.post("/api/users", &json!({ "username": "sato", "role": "chief", "password": "long-enough" })).await;
    assert_eq!(bad_role.status(), 422);
    let body: Value = bad_role.json().await.unwrap();
    assert_eq!(body["error"]["field"], "role");

    let ok =
        admin.post("/api/users", &json!({ "username": "sato", "role": "reception", "password": "long-enough" })).await;
    assert_eq!(ok.status(), 201);
    let twin =
        admin.post("/api/users", &json!({ "username": "SATO", "role": "trainer", "password": "long-enough" })).await;
    assert_eq!(twin.status(), 409, "usernames are case-insensitive");
    let evaluator =
        admin.post("/api/users", &json!({ "username": "hyoka", "role": "evaluator", "password": "long-enough" })).await;
    assert_eq!(evaluator.status(), 201, "drills have an evaluator role");
    let users: Value = admin.get("/api/users").await.json().await.unwrap();
    assert_eq!(users.as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn parallel_guesses_get_no_more_than_five_password_checks() {
    let app = spawn_app().await;
    let guesses: Vec<_> = (0..20)
        .map(|i| {
            let url = app.url("/api/session");
            tokio::spawn(async move {
                reqwest::Client::new()
                    .post(url)
                    .json(&json!({ "username": "admin", "password": format!("guess-{i}") }))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for guess in guesses {
        statuses.push(guess.await.unwrap());
    }
    let checked = statuses.iter().filter(|s| **s == 401).count();
    assert!(checked <= 5, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 401 || *s == 429), "{statuses:?}");
    assert_eq!(try_login(&app, "admin", ADMIN_PASSWORD).await.status(), 429, "locked after five failures");
}

#[tokio::test]
async fn a_wrong_password_storm_from_one_device_does_not_lock_out_the_right_password_from_another() {
    let app = spawn_app().await;
    // The attacker's device: another loopback address (127.0.0.2) on the same machine.
    let attacker = reqwest::Client::builder().local_address(std::net::IpAddr::from([127, 0, 0, 2])).build().unwrap();
    let mut statuses = Vec::new();
    for i in 0..30 {
        let answer = attacker
            .post(app.url("/api/session"))
            .json(&json!({ "username": "admin", "password": format!("storm-{i}") }))
            .send()
            .await
            .unwrap();
        statuses.push(answer.status().as_u16());
    }
    assert_eq!(statuses.iter().filter(|s| **s == 401).count(), 5, "{statuses:?}");
    assert!(statuses[5..].iter().all(|s| *s == 429), "{statuses:?}");
    let from_attacker = attacker
        .post(app.url("/api/session"))
        .json(&json!({ "username": "admin", "password": ADMIN_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(from_attacker.status(), 429, "the failing device stays locked, right password or not");
    // The admin at the desk (127.0.0.1) still gets in.
    assert_eq!(try_login(&app, "admin", ADMIN_PASSWORD).await.status(), 200);

    let lockouts: Vec<String> = sqlx::query_scalar("SELECT data FROM events WHERE kind = 'auth.locked_out'")
        .fetch_all(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(lockouts.len(), 1, "{lockouts:?}");
    let lockout: Value = serde_json::from_str(&lockouts[0]).unwrap();
    assert_eq!(lockout["username"], "admin");
    assert_eq!(lockout["source"], "127.0.0.2");
    assert_eq!(lockout["scope"], "account_from_source");
    assert!(!lockouts[0].contains("storm"), "no password in the log: {}", lockouts[0]);
}

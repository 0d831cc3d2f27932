//! Password reset by mail: the same answer for any address, a link that works
//! once within an hour, old sessions ended.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{Value, json};
use sqlx::PgPool;

use crate::database_or_skip;
use crate::process::{Hub, MailTo, client, eml_files, logged_in};
use crate::smtp::header;
use crate::volunteers::{PASSWORD, mail_text, profile, register, token_in};

const NEW_PASSWORD: &str = "a-new-password-2";

/// The reset tokens mailed to `email` so far.
fn reset_tokens(dir: &Path, email: &str) -> BTreeSet<String> {
    eml_files(dir)
        .into_iter()
        .filter(|(_, raw)| header(raw, "To").is_some_and(|to| to.contains(email)))
        .map(|(_, raw)| mail_text(&raw))
        .filter(|text| text.contains("/reset/confirm?token="))
        .map(|text| token_in(&text))
        .collect()
}

/// Waits until `count` reset links have been mailed to `email`; the one not in `seen`.
async fn new_token(dir: &Path, email: &str, seen: &BTreeSet<String>) -> String {
    for _ in 0..200 {
        if let Some(token) = reset_tokens(dir, email).difference(seen).next() {
            return token.clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no new reset mail to {email}");
}

async fn confirm(hub: &Hub, token: &str, password: &str) -> reqwest::Response {
    client()
        .post(hub.url("/api/password-reset/confirm"))
        .json(&json!({ "token": token, "new_password": password }))
        .send()
        .await
        .unwrap()
}

async fn login_status(hub: &Hub, email: &str, password: &str) -> u16 {
    let answer = client()
        .post(hub.url("/api/session"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap();
    answer.status().as_u16()
}

#[tokio::test]
async fn a_reset_link_works_once_within_the_hour_and_ends_the_old_sessions() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let hub = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let email = "reset.me@example.jp";
    assert_eq!(register(&hub, email, profile()).await.status(), 201);
    let old_session = logged_in(&hub, email, PASSWORD).await;
    let pool = PgPool::connect(&url).await.unwrap();

    // The same answer whether or not an account has the address.
    let ask = |address: &'static str| {
        let http = client();
        let url = hub.url("/api/password-reset");
        async move { http.post(url).json(&json!({ "email": address })).send().await.unwrap() }
    };
    let known = ask("Reset.Me@example.jp").await;
    let unknown = ask("nobody@example.jp").await;
    assert_eq!((known.status(), unknown.status()), (reqwest::StatusCode::ACCEPTED, reqwest::StatusCode::ACCEPTED));
    assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());
    let not_an_address = ask("not-an-address").await;
    assert_eq!(not_an_address.status(), 422);
    // …and on the page.
    let page_ask = |address: &'static str| {
        let http = client();
        let url = hub.url("/reset?lang=en");
        async move { http.post(url).form(&[("email", address)]).send().await.unwrap().text().await.unwrap() }
    };
    let (known_page, unknown_page) = (page_ask(email).await, page_ask("nobody@example.jp").await);
    assert_eq!(known_page, unknown_page);
    assert!(known_page.contains("If an account has that address"), "{known_page}");

    let first = new_token(mail.path(), email, &BTreeSet::new()).await;
    let second = new_token(mail.path(), email, &BTreeSet::from([first.clone()])).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(
        !eml_files(mail.path()).iter().any(|(_, raw)| header(raw, "To").is_some_and(|to| to.contains("nobody@"))),
        "no mail to an address no account has"
    );
    let sent: i64 = sqlx::query_scalar("SELECT count(*) FROM hub_events WHERE kind = 'account.password_reset_sent'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(sent, 2, "one event per link mailed, none for the unknown address");

    // The link opens a form in the page's language; opening it spends nothing.
    let page = client().get(hub.url(&format!("/reset/confirm?token={second}&lang=en"))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("Set a new password") && page.contains(&second), "{page}");
    assert!(
        !page.chars().any(|c| ('\u{3040}'..='\u{9fff}').contains(&c) && c != '日' && c != '本' && c != '語'),
        "the English page holds no Japanese but the language switch"
    );
    let japanese = client().get(hub.url(&format!("/reset/confirm?token={second}"))).send().await.unwrap();
    assert!(japanese.text().await.unwrap().contains("新しいパスワードの設定"));

    // A password outside the rules is refused, naming the field; the link still works after.
    let short = confirm(&hub, &second, "short").await;
    assert_eq!(short.status(), 422);
    assert_eq!(short.json::<Value>().await.unwrap()["error"]["field"], "new_password");
    assert_eq!(login_status(&hub, email, PASSWORD).await, 200, "nothing changed");

    // Set through the page's form.
    let done = client()
        .post(hub.url("/reset/confirm?lang=en"))
        .form(&[("token", second.as_str()), ("new_password", NEW_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    assert!(done.text().await.unwrap().contains("Your password is set"));
    assert_eq!(old_session.get(hub.url("/api/session")).send().await.unwrap().status(), 401, "old sessions end");
    assert_eq!(login_status(&hub, email, PASSWORD).await, 401);
    assert_eq!(login_status(&hub, email, NEW_PASSWORD).await, 200);

    // Used: refused with its own words, on the API and the page; the other link out was spent with it.
    for token in [&second, &first] {
        let again = confirm(&hub, token, "yet-another-password").await;
        assert_eq!(again.status(), 422);
        let error: Value = again.json().await.unwrap();
        assert_eq!(error["error"]["code"], "reset_link_used", "{error}");
    }
    let again_page = client()
        .post(hub.url("/reset/confirm"))
        .form(&[("token", second.as_str()), ("new_password", "yet-another-password")])
        .send()
        .await
        .unwrap();
    assert_eq!(again_page.status(), 422);
    assert!(again_page.text().await.unwrap().contains("このリンクは使用済みです"));
    assert_eq!(
        confirm(&hub, "0123abcd", "yet-another-password").await.json::<Value>().await.unwrap()["error"]["code"],
        "bad_reset_link"
    );

    // Expired after an hour (made older here).
    assert_eq!(ask("reset.me@example.jp").await.status(), 202);
    let third = new_token(mail.path(), email, &BTreeSet::from([first, second])).await;
    sqlx::query("UPDATE hub_password_resets SET expires_at = now() - interval '1 second' WHERE used_at IS NULL")
        .execute(&pool)
        .await
        .unwrap();
    let expired = confirm(&hub, &third, "yet-another-password").await;
    assert_eq!(expired.status(), 422);
    let error: Value = expired.json().await.unwrap();
    assert_eq!(error["error"]["code"], "reset_link_expired");
    assert!(error["error"]["message"].as_str().unwrap().contains("expired"), "{error}");
    assert_eq!(login_status(&hub, email, NEW_PASSWORD).await, 200, "an expired link changes nothing");

    let reset: Vec<Value> = sqlx::query_scalar("SELECT data FROM hub_events WHERE kind = 'account.password_reset'")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(reset.len(), 1);
    assert_eq!(reset[0]["sessions_ended"], 2, "the first session and the login after the refused password");
}

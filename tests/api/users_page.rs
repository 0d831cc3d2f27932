//! The users page (admins): add an account, set a new password, disable one —
//! each an event; a disabled account's sessions end and its login is refused.

use serde_json::{Value, json};

use crate::browser::Browser;
use crate::helpers::{ADMIN_PASSWORD, TestApp, spawn_app};

async fn login_status(app: &TestApp, username: &str, password: &str) -> u16 {
    reqwest::Client::new()
        .post(app.url("/api/session"))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn events_of(app: &TestApp, kind: &str) -> Vec<Value> {
    let rows: Vec<String> = sqlx::query_scalar("SELECT data FROM events WHERE kind = ? ORDER BY seq")
        .bind(kind)
        .fetch_all(&app.state.db.read)
        .await
        .unwrap();
    rows.iter().map(|r| serde_json::from_str(r).unwrap()).collect()
}

#[tokio::test]
async fn an_admin_adds_resets_and_disables_staff_on_the_users_page() {
    let Some(mut browser) = Browser::launch().await else { return };
    let app = spawn_app().await;
    browser.log_in(&app, "admin", ADMIN_PASSWORD).await;
    browser.goto(&app.url("/")).await;
    assert_eq!(browser.eval("document.querySelector('a[href=\"/users\"]') !== null").await, true, "in the menu");
    browser.goto(&app.url("/users")).await;
    assert_eq!(
        browser.eval("document.querySelector('#user-rows tr[data-username=admin] .disable-user')").await,
        Value::Null,
        "no disabling oneself"
    );

    // Add: a short password is refused beside the form, then the account is made.
    let add = |password: &str| {
        format!(
            "{{ const f = document.getElementById('add-user'); f.elements.username.value = 'tanaka';
               f.elements.display_name.value = '田中（受付）'; f.elements.role.value = 'reception';
               f.elements.password.value = {}; f.requestSubmit(); }}",
            json!(password)
        )
    };
    // The browser's own minlength check would stop a short one: the server's word is tested without it.
    browser.eval("document.querySelectorAll('input[minlength]').forEach(i => i.removeAttribute('minlength'))").await;
    browser.eval(&add("short")).await;
    browser.wait_for("!document.getElementById('add-error').hidden").await;
    let error = browser.eval("document.getElementById('add-error').textContent").await;
    assert!(error.as_str().unwrap().contains("8文字以上"), "{error}");
    browser.eval(&add("first-pass-2026")).await;
    browser.wait_for("document.querySelector('#user-rows tr[data-username=tanaka]') !== null").await;
    assert!(
        browser
            .eval("document.querySelector('#user-rows tr[data-username=tanaka]').textContent")
            .await
            .as_str()
            .unwrap()
            .contains("受付")
    );
    assert_eq!(events_of(&app, "user.created").await.last().unwrap()["username"], "tanaka");
    let tanaka = app.client_for("tanaka", "first-pass-2026").await;
    assert_eq!(tanaka.get("/api/session").await.status(), 200);

    // Reset: the new password works, the old one no longer, and tanaka's session ended.
    browser
        .eval(
            "{ const f = document.querySelector('#user-rows tr[data-username=tanaka] .reset-form');
                 f.elements.password.value = 'second-pass-2026'; f.requestSubmit(); }",
        )
        .await;
    browser.wait_for("document.getElementById('users-result').classList.contains('ok')").await;
    assert_eq!(login_status(&app, "tanaka", "first-pass-2026").await, 401);
    assert_eq!(tanaka.get("/api/session").await.status(), 401, "the old session ended");
    let tanaka = app.client_for("tanaka", "second-pass-2026").await;
    let reset = events_of(&app, "user.password_reset").await;
    assert_eq!(reset.len(), 1);
    assert_eq!(reset[0]["username"], "tanaka");
    assert!(!reset[0].to_string().contains("second-pass"), "never the password");

    // Disable: the session ends at once and login is refused.
    browser
        .eval("window.confirm = () => true; document.querySelector('#user-rows tr[data-username=tanaka] .disable-user').click()")
        .await;
    browser.wait_for("document.querySelector('#user-rows tr[data-username=tanaka]') === null").await;
    assert_eq!(tanaka.get("/api/session").await.status(), 401);
    assert_eq!(login_status(&app, "tanaka", "second-pass-2026").await, 401);
    let disabled = events_of(&app, "user.disabled").await;
    assert_eq!(disabled.len(), 1);
    assert_eq!(disabled[0]["sessions_ended"], 1);
    browser.goto(&app.url("/users")).await;
    assert_eq!(browser.eval("document.querySelector('#user-rows tr[data-username=tanaka]')").await, Value::Null);

    // Enable again: tanaka is listed among the disabled, and after 有効に戻す logs in with the same password.
    browser.wait_for("document.querySelector('#disabled-rows tr[data-username=tanaka] .enable-user') !== null").await;
    browser.screenshot("users.png").await;
    browser.eval("document.querySelector('#disabled-rows tr[data-username=tanaka] .enable-user').click()").await;
    browser.wait_for("document.querySelector('#user-rows tr[data-username=tanaka]') !== null").await;
    assert_eq!(browser.eval("document.getElementById('disabled-rows')").await, Value::Null, "nobody left disabled");
    assert_eq!(login_status(&app, "tanaka", "second-pass-2026").await, 200);
    let enabled = events_of(&app, "user.enabled").await;
    assert_eq!(enabled.len(), 1);
    assert_eq!(enabled[0]["username"], "tanaka");
}

#[tokio::test]
async fn only_admins_manage_users_and_nobody_disables_themself() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let coordinator = app.user_with_role("coord", "coordinator").await;
    let me: Value = admin.get("/api/session").await.json().await.unwrap();
    let coord: Value = coordinator.get("/api/session").await.json().await.unwrap();

    let own = admin.post(&format!("/api/users/{}/disable", me["id"]), &json!({})).await;
    assert_eq!(own.status(), 409);
    assert_eq!(own.json::<Value>().await.unwrap()["error"]["code"], "disable_self");
    assert_eq!(coordinator.post(&format!("/api/users/{}/disable", me["id"]), &json!({})).await.status(), 403);
    let path = format!("/api/users/{}/password", coord["id"]);
    assert_eq!(coordinator.post(&path, &json!({ "password": "long-enough-1" })).await.status(), 403);
    let short = admin.post(&path, &json!({ "password": "short" })).await;
    assert_eq!(short.status(), 422);
    assert_eq!(short.json::<Value>().await.unwrap()["error"]["field"], "password");
    assert_eq!(admin.post("/api/users/9999/disable", &json!({})).await.status(), 404);
    assert_eq!(coordinator.get("/users").await.status(), 403);
    assert_eq!(events_of(&app, "user.disabled").await.len(), 0);

    // Enabling: only a disabled account, only by an admin.
    let enable = format!("/api/users/{}/enable", coord["id"]);
    let already = admin.post(&enable, &json!({})).await;
    assert_eq!(already.status(), 409);
    assert_eq!(already.json::<Value>().await.unwrap()["error"]["code"], "already_enabled");
    assert_eq!(admin.post("/api/users/9999/enable", &json!({})).await.status(), 404);
    assert_eq!(admin.post(&format!("/api/users/{}/disable", coord["id"]), &json!({})).await.status(), 204);
    assert_eq!(coordinator.post(&enable, &json!({})).await.status(), 401, "its session ended");
    let other = app.user_with_role("recep", "reception").await;
    assert_eq!(other.post(&enable, &json!({})).await.status(), 403);
    assert_eq!(events_of(&app, "user.enabled").await.len(), 0, "refusals change nothing");
    assert_eq!(admin.post(&enable, &json!({})).await.status(), 204);
    assert_eq!(login_status(&app, "coord", "coord-password").await, 200);
}

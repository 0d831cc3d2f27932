//! The error format: `{"error":{"code","message","field"}}`, Japanese for `ja`.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Session, json_answer, spawn_app};

/// A notice whose body says it is JSON, sent as it is (the server refuses it before any handler).
fn json_body(admin: &Session, body: impl Into<reqwest::Body>) -> reqwest::RequestBuilder {
    admin.request(Method::POST, "/api/board/notices").header("content-type", "application/json").body(body)
}

#[tokio::test]
async fn errors_speak_japanese_when_asked_and_english_otherwise() {
    let app = spawn_app().await;
    let ja: Value = json_answer(
        reqwest::Client::new().get(app.url("/api/board")).header("accept-language", "ja-JP,ja;q=0.9,en;q=0.5"),
    )
    .await;
    assert_eq!(ja["error"]["code"], "unauthenticated");
    assert_eq!(ja["error"]["message"], "ログインしてください。");
    assert!(ja["error"]["field"].is_null());

    let en: Value = reqwest::get(app.url("/api/board")).await.unwrap().json().await.unwrap();
    assert_eq!(en["error"]["message"], "Please log in.");
}

#[tokio::test]
async fn malformed_bodies_name_the_field_and_change_nothing() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let before = app.last_seq().await;

    let missing = admin.speaking("ja").post("/api/board/notices", &json!({ "body": "fieldname typo" })).await;
    let missing: Value = missing.json().await.unwrap();
    assert_eq!(missing["error"]["code"], "validation");
    assert_eq!(missing["error"]["field"], "text");
    assert!(missing["error"]["message"].as_str().unwrap().contains("形式"));

    let not_json = json_body(&admin, "{\"text\": ").send().await.unwrap();
    assert_eq!(not_json.status(), 400);

    let wrong_type = admin.request(Method::POST, "/api/board/notices").body("text=x").send().await.unwrap();
    assert_eq!(wrong_type.status(), 415);

    let blank = admin.post("/api/board/notices", &json!({ "text": "   " })).await;
    assert_eq!(blank.status(), 422);
    let body: Value = blank.json().await.unwrap();
    assert_eq!(body["error"]["field"], "text");

    assert_eq!(app.last_seq().await, before, "no bad request wrote anything");
}

#[tokio::test]
async fn database_failures_are_a_bare_500() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    // Break the table under the running server: the error must not leak SQL.
    let mut tx = app.state.db.begin_write().await.unwrap();
    sqlx::query("ALTER TABLE board_notices RENAME TO board_notices_gone").execute(tx.conn()).await.unwrap();
    tx.append(&app.state.clock, &borasen::events::Actor::system(), None, &crate::events_contract::Probe {})
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let response = admin.post("/api/board/notices", &json!({ "text": "届かない" })).await;
    assert_eq!(response.status(), 500);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "internal");
    let text = body.to_string();
    assert!(!text.contains("board_notices") && !text.to_lowercase().contains("sql"), "{text}");
}

#[tokio::test]
async fn the_routers_own_rejections_speak_json_too() {
    let app = spawn_app().await;
    let admin = app.admin().await;

    let bad_path = admin.speaking("ja").request(Method::GET, "/api/board/notices/abc").send().await.unwrap();
    assert_eq!(bad_path.status(), 400);
    let body: Value = bad_path.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_request");
    assert!(body["error"]["message"].as_str().unwrap().starts_with("リクエストが正しくありません"));

    let wrong_method = reqwest::Client::new().put(app.url("/api/session")).send().await.unwrap();
    assert_eq!(wrong_method.status(), 405);
    let body: Value = wrong_method.json().await.unwrap();
    assert_eq!(body["error"]["code"], "method_not_allowed");

    let huge = format!("{{\"text\": \"{}\"}}", "あ".repeat(1_000_000));
    let too_large = json_body(&admin, huge).send().await.unwrap();
    assert_eq!(too_large.status(), 413);
    let body: Value = too_large.json().await.unwrap();
    assert_eq!(body["error"]["code"], "payload_too_large");
}

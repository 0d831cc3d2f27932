//! `Idempotency-Key` over HTTP: a write replayed (a desk's queue after a Wi-Fi
//! drop, a double tap, five copies at once) is applied once and every copy
//! gets the same answer; a key reused for another request is refused. Also
//! compression, and scanned codes typed through a Japanese IME.

use reqwest::Method;
use serde_json::{Value, json};

use crate::bodies::registration;
use crate::contract::Checked;
use crate::helpers::{Session, TestApp, json_answer, spawn_app_at, spawn_app_in};

const MORNING: &str = "2026-07-12T08:00:00+09:00";

fn person(name: &str, phone: &str) -> Value {
    registration(name, "テスト タロウ", phone, "2026-07-12")
}

async fn pre_register(app: &TestApp, name: &str, phone: &str) -> String {
    let receipt: Value =
        json_answer(reqwest::Client::new().post(app.url("/api/public/registrations")).json(&person(name, phone))).await;
    receipt["qr_token"].as_str().unwrap().to_string()
}

/// The morning desk with 山田 太郎 pre-registered: the center, the desk and his QR token.
async fn desk_expecting_yamada() -> (TestApp, Session, String) {
    let app = spawn_app_at(MORNING, |_| {}).await;
    let desk = app.user_with_role("uketsuke", "reception").await;
    let token = pre_register(&app, "山田 太郎", "090-1111-2222").await;
    (app, desk, token)
}

async fn post_keyed(desk: &Session, app: &TestApp, path: &str, key: &str, body: &Value) -> reqwest::Response {
    desk.speaking("ja")
        .request(Method::POST, path)
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
        .unwrap()
        .checked("POST", path, app)
        .await
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(&app.state.db.read).await.unwrap()
}

#[tokio::test]
async fn five_concurrent_copies_of_a_check_in_check_in_once_and_get_five_identical_answers() {
    let (app, desk, token) = desk_expecting_yamada().await;
    let key = "7d0c2f4e-1b3a-4e59-9c8d-2a6b5e4f3d21";
    let body = json!({ "qr_token": token, "health_ok": true });

    let copies = (0..5).map(|_| post_keyed(&desk, &app, "/api/checkins", key, &body));
    let answers = futures_util::future::join_all(copies).await;
    let mut seen = Vec::new();
    let mut replayed = 0;
    for answer in answers {
        assert_eq!(answer.status(), 201);
        replayed += usize::from(answer.headers().get("idempotent-replayed").is_some());
        seen.push(answer.text().await.unwrap());
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]), "five identical answers: {seen:?}");
    assert_eq!(replayed, 4, "the first copy is served, the other four replayed");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM checkins").await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM events WHERE kind = 'volunteer.checked_in'").await, 1);
    assert_eq!(
        count(&app, &format!("SELECT COUNT(*) FROM request_keys WHERE key = '{key}' AND status = 201")).await,
        1
    );
}

#[tokio::test]
async fn a_key_reused_with_another_body_is_refused_and_changes_nothing() {
    let app = spawn_app_at(MORNING, |_| {}).await;
    let desk = app.user_with_role("uketsuke", "reception").await;
    let first = pre_register(&app, "山田 太郎", "090-1111-2222").await;
    let second = pre_register(&app, "佐藤 花子", "090-3333-4444").await;
    let key = "a9e1c3b5-0000-4000-8000-000000000001";
    let answer = post_keyed(&desk, &app, "/api/checkins", key, &json!({ "qr_token": first, "health_ok": true })).await;
    assert_eq!(answer.status(), 201);
    let seq = app.last_seq().await;

    let reused = post_keyed(&desk, &app, "/api/checkins", key, &json!({ "qr_token": second, "health_ok": true })).await;
    assert_eq!(reused.status(), 422);
    let error: Value = reused.json().await.unwrap();
    assert_eq!(error["error"]["code"], "idempotency_key_reused");
    assert_eq!(error["error"]["field"], "Idempotency-Key");
    assert!(error["error"]["message"].as_str().unwrap().contains("別の内容"), "{error}");
    // The same body to another route is another request too.
    let elsewhere =
        post_keyed(&desk, &app, "/api/checkouts", key, &json!({ "qr_token": first, "health_ok": true })).await;
    assert_eq!(elsewhere.status(), 422);
    assert_eq!(app.last_seq().await, seq, "nothing was written");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM checkins").await, 1);

    let malformed = post_keyed(&desk, &app, "/api/checkins", "no spaces allowed", &json!({})).await;
    assert_eq!(malformed.status(), 400);
    let error: Value = malformed.json().await.unwrap();
    assert_eq!(error["error"]["code"], "invalid_idempotency_key");
}

#[tokio::test]
async fn a_refusal_is_not_remembered_so_the_same_key_is_asked_again() {
    let (app, desk, token) = desk_expecting_yamada().await;
    let key = "b1b2b3b4-0000-4000-8000-000000000002";
    // Without the health check the desk refuses; the desk asks, then sends again with the same key.
    let refused = post_keyed(&desk, &app, "/api/checkins", key, &json!({ "qr_token": token })).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM request_keys").await, 0);
    let body = json!({ "qr_token": token, "health_ok": true });
    let other_key = post_keyed(&desk, &app, "/api/checkins", "c1c2c3c4-0000-4000-8000-000000000003", &body).await;
    assert_eq!(other_key.status(), 201);
    // Now the first key, with a body that is refused again (already checked in): still nothing stored for it.
    let again = post_keyed(&desk, &app, "/api/checkins", key, &body).await;
    assert_eq!(again.status(), 409);
    assert!(again.headers().get("idempotent-replayed").is_none());
    assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM request_keys WHERE key = '{key}'")).await, 0);
}

#[tokio::test]
async fn a_replay_after_a_restart_gets_the_stored_answer_and_writes_nothing() {
    let mut app = spawn_app_at(MORNING, |_| {}).await;
    let desk = app.user_with_role("uketsuke", "reception").await;
    let walk_in = person("鈴木 一郎", "090-5555-6666");
    let key = "d4d4d4d4-0000-4000-8000-000000000004";
    let first = post_keyed(&desk, &app, "/api/volunteers", key, &walk_in).await;
    assert_eq!(first.status(), 201);
    let first = first.text().await.unwrap();
    let data = app.state.config.data_dir.clone();
    let addr = app.addr;
    app.stop().await;

    let app = spawn_app_in(&data, addr).await;
    let desk = app.user_with_role("uketsuke2", "reception").await;
    let seq = app.last_seq().await;
    let replay = post_keyed(&desk, &app, "/api/volunteers", key, &walk_in).await;
    assert_eq!(replay.status(), 201);
    assert_eq!(replay.headers().get("idempotent-replayed").unwrap(), "true");
    assert_eq!(replay.text().await.unwrap(), first);
    assert_eq!(app.last_seq().await, seq);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM volunteers").await, 1);
}

#[tokio::test]
async fn pages_and_json_are_compressed_for_clients_that_ask() {
    let app = spawn_app_at(MORNING, |_| {}).await;
    // reqwest here is built without decompression: the bytes are as sent.
    let client = reqwest::Client::new();
    for path in ["/login", "/assets/common.js", "/assets/app.css", "/api/openapi.json", "/register"] {
        let encoded = client.get(app.url(path)).header("accept-encoding", "br, gzip").send().await.unwrap();
        assert_eq!(encoded.status(), 200, "{path}");
        assert_eq!(encoded.headers().get("content-encoding").unwrap(), "br", "{path}");
        let gzip = client.get(app.url(path)).header("accept-encoding", "gzip").send().await.unwrap();
        assert_eq!(gzip.headers().get("content-encoding").unwrap(), "gzip", "{path}");
        let plain = client.get(app.url(path)).send().await.unwrap();
        assert!(plain.headers().get("content-encoding").is_none(), "{path}");
        let text = plain.text().await.unwrap();
        assert!(!text.is_empty());
    }
    let icon = client.get(app.url("/favicon.ico")).send().await.unwrap();
    assert_eq!(icon.status(), 200);
    let manifest = client.get(app.url("/manifest.webmanifest")).send().await.unwrap();
    assert_eq!(manifest.headers().get("content-type").unwrap(), "application/manifest+json");
    let manifest: Value = manifest.json().await.unwrap();
    assert_eq!(manifest["display"], "standalone");
    for icon in manifest["icons"].as_array().unwrap() {
        let png = client.get(app.url(icon["src"].as_str().unwrap())).send().await.unwrap();
        assert_eq!(png.headers().get("content-type").unwrap(), "image/png");
    }
    let worker = client.get(app.url("/sw.js")).send().await.unwrap();
    assert_eq!(worker.headers().get("service-worker-allowed").unwrap(), "/");
}

#[tokio::test]
async fn codes_typed_through_a_japanese_ime_are_folded_before_lookup() {
    let (app, desk, _) = desk_expecting_yamada().await;
    // Full-width letters and digits and the IME's long-vowel mark for the hyphen.
    let answer = desk.post("/api/checkins", &json!({ "volunteer_no": "Ｖー０００１", "health_ok": true })).await;
    assert_eq!(answer.status(), 201, "{}", answer.text().await.unwrap());
    let coordinator = app.user_with_role("haken", "coordinator").await;
    let scanned = coordinator.get("/api/waiting/scan?code=%EF%BD%96%E2%88%92%EF%BC%90%EF%BC%91").await; // ｖ−０１
    assert_eq!(scanned.status(), 200, "{}", scanned.text().await.unwrap());
}

#[tokio::test]
async fn a_write_whose_answer_was_lost_in_a_crash_is_never_applied_again() {
    let (app, desk, token) = desk_expecting_yamada().await;
    let key = "e5e5e5e5-0000-4000-8000-000000000005";
    let body = json!({ "qr_token": token, "health_ok": true });
    assert_eq!(post_keyed(&desk, &app, "/api/checkins", key, &body).await.status(), 201);
    // As if the process died after the write's commit (which claimed the key)
    // and before the answer was stored: another connection wipes the answer.
    let path = app.state.db.path().to_path_buf();
    let mut conn =
        <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    sqlx::query("UPDATE request_keys SET status = NULL, content_type = NULL, body = NULL")
        .execute(&mut conn)
        .await
        .unwrap();
    let seq = app.last_seq().await;
    let replay = post_keyed(&desk, &app, "/api/checkins", key, &body).await;
    assert_eq!(replay.status(), 200);
    assert_eq!(replay.headers().get("idempotent-replayed").unwrap(), "true");
    let answer: Value = replay.json().await.unwrap();
    assert_eq!(answer["already_applied"], true);
    assert_eq!(app.last_seq().await, seq);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM checkins").await, 1);
}

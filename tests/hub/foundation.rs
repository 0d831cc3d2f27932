//! The foundation: two hub processes on one database share sessions and the
//! log; NOTIFY reaches other connections; every change is an event.

use std::time::Duration;

use serde_json::{Value, json};
use sqlx::Connection;
use sqlx::postgres::{PgConnection, PgListener};

use crate::database_or_skip;
use crate::process::{ADMIN_EMAIL, ADMIN_PASSWORD, Hub, MailTo, client, logged_in};

#[tokio::test]
async fn two_hub_processes_migrate_once_and_share_sessions() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let mail_to = MailTo::Dir(mail.path().to_path_buf());
    // Both start at once: the migrator's lock and the first admin's unique address hold.
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| Hub::start(&url, &mail_to));
        let b = s.spawn(|| Hub::start(&url, &mail_to));
        (a.join().unwrap(), b.join().unwrap())
    });
    for hub in [&a, &b] {
        assert_eq!(client().get(hub.url("/healthz")).send().await.unwrap().status(), 200);
    }

    let mut db = PgConnection::connect(&url).await.unwrap();
    let admins: i64 = sqlx::query_scalar("SELECT count(*) FROM hub_accounts WHERE role = 'hub_admin'")
        .fetch_one(&mut db)
        .await
        .unwrap();
    assert_eq!(admins, 1, "the first admin is made once");
    let migrations: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations").fetch_one(&mut db).await.unwrap();
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/hub")).unwrap().count();
    assert_eq!(migrations as usize, files, "every hub migration ran, once");

    // A session made at one process is good at the other: sessions live in the database.
    let admin = logged_in(&a, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let at_b: Value = admin.get(b.url("/api/session")).send().await.unwrap().json().await.unwrap();
    assert_eq!(at_b["role"], "hub_admin");
    assert_eq!(at_b["verified"], true);
    // …and a logout at one ends it at the other.
    assert_eq!(admin.delete(b.url("/api/session")).send().await.unwrap().status(), 204);
    let after = admin.get(a.url("/api/session")).send().await.unwrap();
    assert_eq!(after.status(), 401);

    let kinds: Vec<String> =
        sqlx::query_scalar("SELECT kind FROM hub_events ORDER BY seq").fetch_all(&mut db).await.unwrap();
    assert_eq!(kinds, ["account.created", "account.logged_in", "account.logged_out"]);
}

#[tokio::test]
async fn a_change_at_one_process_is_notified_to_other_connections_at_commit() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let hub = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let mut listener = PgListener::connect_with(&pool).await.unwrap();
    listener.listen("hub_events").await.unwrap();

    let admin = logged_in(&hub, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let heard = tokio::time::timeout(Duration::from_secs(10), listener.recv()).await.expect("a notice").unwrap();
    let (seq, kind) = heard.payload().split_once(' ').unwrap();
    assert_eq!(kind, "account.logged_in");
    let stored: String = sqlx::query_scalar("SELECT kind FROM hub_events WHERE seq = $1")
        .bind(seq.parse::<i64>().unwrap())
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, "account.logged_in", "the notice names the committed row");

    // A refused change writes nothing and notifies nothing.
    let refused = admin
        .post(hub.url("/api/staff"))
        .json(
            &json!({ "email": "not-an-address", "password": "long-enough-1", "role": "center_staff", "center_id": 1 }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["field"], "email");
    let silent = tokio::time::timeout(Duration::from_millis(500), listener.recv()).await;
    assert!(silent.is_err(), "no notice for a refused change: {silent:?}");
}

#[tokio::test]
async fn staff_accounts_are_made_by_a_hub_admin_and_the_address_is_unique() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let hub = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let admin = logged_in(&hub, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    crate::process::register_center(&admin, &hub, 7).await;
    let new = json!({ "email": "Staff@Center.example.jp", "password": "center-staff-1", "role": "center_staff", "center_id": 7 });
    let made = admin.post(hub.url("/api/staff")).json(&new).send().await.unwrap();
    assert_eq!(made.status(), 201);
    // The address is compared folded.
    let again = json!({ "email": "staff@center.example.jp", "password": "center-staff-2", "role": "hub_admin" });
    let twice = admin.post(hub.url("/api/staff")).json(&again).send().await.unwrap();
    assert_eq!(twice.status(), 409);
    assert_eq!(twice.json::<Value>().await.unwrap()["error"]["code"], "email_taken");

    let staff = logged_in(&hub, "staff@center.example.jp", "center-staff-1").await;
    let me: Value = staff.get(hub.url("/api/session")).send().await.unwrap().json().await.unwrap();
    assert_eq!((me["role"].as_str(), me["center_id"].as_i64()), (Some("center_staff"), Some(7)));
    // Center staff cannot make accounts.
    let other = json!({ "email": "x@center.example.jp", "password": "center-staff-3", "role": "hub_admin" });
    assert_eq!(staff.post(hub.url("/api/staff")).json(&other).send().await.unwrap().status(), 403);
}

#[tokio::test]
async fn the_hubs_document_is_valid_openapi_3_1() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let hub = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let doc: Value = client().get(hub.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    let meta: Value = serde_json::from_str(include_str!("../fixtures/openapi/oas-3.1-schema-2022-10-07.json")).unwrap();
    let validator = jsonschema::validator_for(&meta).expect("the OpenAPI 3.1 meta-schema compiles");
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "the hub's document is not valid OpenAPI 3.1: {errors:#?}");
    assert_eq!(doc["info"]["title"], "borasen hub API");
    assert!(doc["paths"].get("/api/needs").is_none(), "the center's routes are not the hub's");
}

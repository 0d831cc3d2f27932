//! Centers at the hub (issue 18 §1): a hub admin registers a center and gets
//! its sync key once; the key authenticates the center until rotated;
//! openings and center staff name registered centers only.

use serde_json::{Value, json};
use sqlx::PgPool;

use borasen::hub::centers;

use crate::database_or_skip;
use crate::process::{ADMIN_EMAIL, ADMIN_PASSWORD, Hub, MailTo, logged_in, register_center};
use crate::volunteers;

async fn count(pool: &PgPool, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}"))).fetch_one(pool).await.unwrap()
}

#[tokio::test]
async fn a_center_is_registered_with_a_key_shown_once_which_authenticates_it_until_rotated() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let hub = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let pool = PgPool::connect(&url).await.unwrap();
    let admin = logged_in(&hub, ADMIN_EMAIL, ADMIN_PASSWORD).await;

    let made = admin
        .post(hub.url("/api/centers"))
        .json(&json!({ "id": 7, "name": " 七尾市災害ボランティアセンター " }))
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), 201);
    let issued: Value = made.json().await.unwrap();
    assert_eq!(issued["id"], 7);
    let key = issued["key"].as_str().unwrap().to_string();
    assert_eq!(key.len(), 64, "{key}");
    assert!(key.bytes().all(|b| b.is_ascii_hexdigit()), "{key}");

    // The list has the center, never a key or its hash.
    let listed = admin.get(hub.url("/api/centers")).send().await.unwrap();
    assert_eq!(listed.status(), 200);
    let text = listed.text().await.unwrap();
    let stored_hash: String =
        sqlx::query_scalar("SELECT key_hash FROM hub_centers WHERE id = 7").fetch_one(&pool).await.unwrap();
    assert_ne!(stored_hash, key, "only the hash is stored");
    assert!(!text.contains(&key) && !text.contains(&stored_hash) && !text.contains("key_hash"), "{text}");
    let list: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!((list[0]["id"].as_i64(), list[0]["name"].as_str()), (Some(7), Some("七尾市災害ボランティアセンター")));
    assert!(list[0]["key_rotated_at"].is_string(), "{list}");

    assert_eq!(centers::authenticate(&pool, &key).await.unwrap(), Some(7));
    assert_eq!(centers::authenticate(&pool, &key.to_uppercase()).await.unwrap(), None);
    assert_eq!(centers::authenticate(&pool, &stored_hash).await.unwrap(), None, "the hash is not a key");
    assert_eq!(centers::authenticate(&pool, "").await.unwrap(), None);

    // Registered twice: 409, and the first key still stands.
    let twice = admin.post(hub.url("/api/centers")).json(&json!({ "id": 7, "name": "別名" })).send().await.unwrap();
    assert_eq!(twice.status(), 409);
    assert_eq!(twice.json::<Value>().await.unwrap()["error"]["field"], "id");
    assert_eq!(centers::authenticate(&pool, &key).await.unwrap(), Some(7));

    // Rotating: a new key, once; the old one stops working.
    let rotated = admin.post(hub.url("/api/centers/7/key")).send().await.unwrap();
    assert_eq!(rotated.status(), 200);
    let new_key = rotated.json::<Value>().await.unwrap()["key"].as_str().unwrap().to_string();
    assert_ne!(new_key, key);
    assert_eq!(centers::authenticate(&pool, &key).await.unwrap(), None, "the old key is refused");
    assert_eq!(centers::authenticate(&pool, &new_key).await.unwrap(), Some(7));
    assert_eq!(admin.post(hub.url("/api/centers/8/key")).send().await.unwrap().status(), 404);

    // Each change is an event, without the key or its hash.
    let events: Vec<(String, String)> =
        sqlx::query_as("SELECT kind, data::text FROM hub_events WHERE kind LIKE 'center.%' ORDER BY seq")
            .fetch_all(&pool)
            .await
            .unwrap();
    let kinds: Vec<&str> = events.iter().map(|(kind, _)| kind.as_str()).collect();
    assert_eq!(kinds, ["center.registered", "center.key_rotated"]);
    let new_hash: String =
        sqlx::query_scalar("SELECT key_hash FROM hub_centers WHERE id = 7").fetch_one(&pool).await.unwrap();
    for (_, data) in &events {
        for secret in [&key, &new_key, &stored_hash, &new_hash] {
            assert!(!data.contains(secret.as_str()), "{data}");
        }
    }
}

#[tokio::test]
async fn a_bad_id_or_name_is_refused_naming_the_field_and_nothing_is_registered() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let hub = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let pool = PgPool::connect(&url).await.unwrap();
    let admin = logged_in(&hub, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let events = count(&pool, "hub_events").await;
    for (body, field) in [
        (json!({ "id": 0, "name": "センター" }), "id"),
        (json!({ "id": -3, "name": "センター" }), "id"),
        (json!({ "name": "センター" }), "id"),
        (json!({ "id": 3, "name": "  " }), "name"),
        (json!({ "id": 3 }), "name"),
        (json!({ "id": 3, "name": "七尾\nセンター" }), "name"),
    ] {
        let refused =
            admin.post(hub.url("/api/centers")).header("Accept-Language", "ja").json(&body).send().await.unwrap();
        assert_eq!(refused.status(), 422, "{body}");
        assert_eq!(refused.json::<Value>().await.unwrap()["error"]["field"], field, "{body}");
    }
    assert_eq!(count(&pool, "hub_centers").await, 0);
    assert_eq!(count(&pool, "hub_events").await, events, "a refused change writes no event");
}

#[tokio::test]
async fn only_a_hub_admin_registers_lists_or_rotates() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let hub = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let pool = PgPool::connect(&url).await.unwrap();
    let admin = logged_in(&hub, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let key = register_center(&admin, &hub, 1).await;
    let staff =
        json!({ "email": "c1@hub.example.jp", "password": "center-one-pw-1", "role": "center_staff", "center_id": 1 });
    assert_eq!(admin.post(hub.url("/api/staff")).json(&staff).send().await.unwrap().status(), 201);
    assert_eq!(volunteers::register(&hub, "v@example.jp", volunteers::profile()).await.status(), 201);

    for http in [
        logged_in(&hub, "c1@hub.example.jp", "center-one-pw-1").await,
        logged_in(&hub, "v@example.jp", volunteers::PASSWORD).await,
    ] {
        let register = http.post(hub.url("/api/centers")).json(&json!({ "id": 2, "name": "二" })).send().await.unwrap();
        assert_eq!(register.status(), 403);
        assert_eq!(http.get(hub.url("/api/centers")).send().await.unwrap().status(), 403);
        assert_eq!(http.post(hub.url("/api/centers/1/key")).send().await.unwrap().status(), 403);
    }
    assert_eq!(count(&pool, "hub_centers").await, 1);
    assert_eq!(centers::authenticate(&pool, &key).await.unwrap(), Some(1), "no rotation happened");
}

#[tokio::test]
async fn staff_and_openings_for_an_unregistered_center_are_refused_and_nothing_changes() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let hub = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let pool = PgPool::connect(&url).await.unwrap();
    let admin = logged_in(&hub, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (accounts, openings, events) =
        (count(&pool, "hub_accounts").await, count(&pool, "hub_openings").await, count(&pool, "hub_events").await);

    let staff =
        json!({ "email": "c7@hub.example.jp", "password": "center-seven-1", "role": "center_staff", "center_id": 7 });
    let opening = json!({ "center_id": 7, "day": "2030-12-05", "title": "泥出し", "quota": 5,
                          "meeting_point": "七尾駅 東口", "meeting_time": "08:30" });
    for (path, body) in [("/api/staff", &staff), ("/api/openings", &opening)] {
        for (language, message) in [("ja", "センター 7 は登録されていません。"), ("en", "Center 7 is not registered.")]
        {
            let refused =
                admin.post(hub.url(path)).header("Accept-Language", language).json(body).send().await.unwrap();
            assert_eq!(refused.status(), 422, "{path}");
            let error = refused.json::<Value>().await.unwrap()["error"].clone();
            assert_eq!(error["field"], "center_id", "{path}: {error}");
            assert_eq!(error["message"], message, "{path} {language}: {error}");
        }
    }
    assert_eq!(count(&pool, "hub_accounts").await, accounts);
    assert_eq!(count(&pool, "hub_openings").await, openings);
    assert_eq!(count(&pool, "hub_events").await, events, "a refused change writes no event");

    // Registered, the same requests go through.
    register_center(&admin, &hub, 7).await;
    assert_eq!(admin.post(hub.url("/api/staff")).json(&staff).send().await.unwrap().status(), 201);
    assert_eq!(admin.post(hub.url("/api/openings")).json(&opening).send().await.unwrap().status(), 201);
}

#[tokio::test]
async fn the_migration_makes_placeholder_centers_for_numbers_already_in_use() {
    let (_cluster, url) = database_or_skip!("hub");
    let pool = PgPool::connect(&url).await.unwrap();
    // The hub as it was before centers were registered, with numbers in use.
    sqlx::migrate!("./migrations/hub").run_to(8, &pool).await.unwrap();
    sqlx::query(
        "INSERT INTO hub_accounts (email, email_key, password_hash, role, center_id)
         VALUES ('s3@example.jp', 's3@example.jp', 'x', 'center_staff', 3),
                ('s5@example.jp', 's5@example.jp', 'x', 'center_staff', 5),
                ('v@example.jp', 'v@example.jp', 'x', 'volunteer', NULL)",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO hub_openings (center_id, day, title, quota, meeting_point, meeting_time, mode)
         VALUES (3, '2030-12-05', '泥出し', 5, '駅', '08:30', 'first_come'),
                (9, '2030-12-06', '泥出し', 5, '駅', '08:30', 'first_come')",
    )
    .execute(&pool)
    .await
    .unwrap();

    // The hub migrates at start.
    let mail = tempfile::tempdir().unwrap();
    let hub = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let admin = logged_in(&hub, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let list: Value = admin.get(hub.url("/api/centers")).send().await.unwrap().json().await.unwrap();
    let named: Vec<(i64, &str)> =
        list.as_array().unwrap().iter().map(|c| (c["id"].as_i64().unwrap(), c["name"].as_str().unwrap())).collect();
    assert_eq!(named, [(3, "センター 3"), (5, "センター 5"), (9, "センター 9")]);
    assert!(list.as_array().unwrap().iter().all(|c| c["key_rotated_at"].is_null()), "{list}");
    let hashes: Vec<String> = sqlx::query_scalar("SELECT key_hash FROM hub_centers").fetch_all(&pool).await.unwrap();
    assert!(hashes.iter().all(|h| h.len() != 64), "no key hashes to a placeholder's: {hashes:?}");

    // The foreign keys stand: no opening for a center the table lacks, even in SQL.
    let orphan = sqlx::query(
        "INSERT INTO hub_openings (center_id, day, title, quota, meeting_point, meeting_time, mode)
         VALUES (11, '2030-12-05', '泥出し', 5, '駅', '08:30', 'first_come')",
    )
    .execute(&pool)
    .await;
    assert!(orphan.is_err(), "{orphan:?}");
    let orphan =
        sqlx::query("UPDATE hub_accounts SET center_id = 11 WHERE email = 's3@example.jp'").execute(&pool).await;
    assert!(orphan.is_err(), "{orphan:?}");

    // A placeholder gets a usable key by rotation.
    let rotated: Value = admin.post(hub.url("/api/centers/9/key")).send().await.unwrap().json().await.unwrap();
    let key = rotated["key"].as_str().unwrap();
    assert_eq!(centers::authenticate(&pool, key).await.unwrap(), Some(9));
}

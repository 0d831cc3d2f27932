//! A center linked to its hub, both real processes: the hub on a throwaway
//! PostgreSQL, the center `serve` on its own SQLite, a TCP proxy between them
//! so the link can be cut, slowed and made lossy. Bookings made at the hub are
//! pulled to the desk, checked in by the mailed QR code, and reported back;
//! nothing the desk does waits on the link.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};
use sqlx::PgPool;

use crate::bulk::{self, Fixture, Profile};
use crate::center::Center;
use crate::database_or_skip;
use crate::process::{ADMIN_EMAIL, ADMIN_PASSWORD, Hub, MailTo, eml_files, logged_in, register_center};
use crate::proxy::Proxy;
use crate::smtp::header;
use crate::volunteers::mail_text;

/// A day `days` from today in Japan.
pub fn day_in(days: i64) -> String {
    let japan = chrono::FixedOffset::east_opt(9 * 3600).unwrap();
    (chrono::Utc::now().with_timezone(&japan).date_naive() + chrono::Duration::days(days)).to_string()
}

/// A hub with center 1 registered: the admin's client and the center's key.
pub async fn hub_with_center(url: &str, mail: &Path) -> (Hub, reqwest::Client, String) {
    let hub = Hub::start(url, &MailTo::Dir(mail.to_path_buf()));
    let admin = logged_in(&hub, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let key = register_center(&admin, &hub, 1).await;
    (hub, admin, key)
}

/// Makes and publishes an opening of center 1 on `day`; its id.
pub async fn opening(admin: &reqwest::Client, hub: &Hub, day: &str, quota: i64) -> i64 {
    opening_with(admin, hub, day, quota, json!({})).await
}

/// The same, with more of the opening's fields.
pub async fn opening_with(admin: &reqwest::Client, hub: &Hub, day: &str, quota: i64, more: Value) -> i64 {
    let mut body = json!({ "center_id": 1, "day": day, "title": "泥出し", "quota": quota,
                           "meeting_point": "七尾駅 東口", "meeting_time": "08:30", "bring": "長靴・手袋" });
    body.as_object_mut().unwrap().extend(more.as_object().unwrap().clone());
    let made = admin.post(hub.url("/api/openings")).json(&body).send().await.unwrap();
    assert_eq!(made.status(), 201, "{}", made.text().await.unwrap());
    let id = made.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let published = admin.post(hub.url(&format!("/api/openings/{id}/publish"))).send().await.unwrap();
    assert_eq!(published.status(), 200);
    id
}

/// Each volunteer books `opening`, 20 at a time; the booking ids by account.
pub async fn book_all(hub: &Hub, opening: i64, people: &[Fixture]) -> HashMap<i64, i64> {
    let http = reqwest::Client::new();
    let mut booked = HashMap::new();
    for group in people.chunks(20) {
        let calls = group.iter().map(|who| {
            let request =
                http.post(hub.url(&format!("/api/openings/{opening}/bookings"))).header("cookie", &who.cookie);
            async move { (who.account_id, request.send().await.unwrap().json::<Value>().await.unwrap()) }
        });
        for (account, answer) in futures_util::future::join_all(calls).await {
            assert_eq!(answer["status"], "booked", "{answer}");
            booked.insert(account, answer["id"].as_i64().unwrap());
        }
    }
    booked
}

/// The QR tokens of the booking mails (「受付用コード」), by recipient, once `count` are written.
pub async fn mailed_tokens(dir: &Path, count: usize) -> HashMap<String, String> {
    for _ in 0..600 {
        let tokens: HashMap<String, String> = eml_files(dir)
            .into_iter()
            .filter_map(|(_, raw)| {
                let text = text_part(&raw);
                let at = text.find("受付用コード: ")? + "受付用コード: ".len();
                let token: String = text[at..].chars().take_while(char::is_ascii_hexdigit).collect();
                Some((header(&raw, "To")?, token))
            })
            .collect();
        if tokens.len() >= count {
            return tokens;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("fewer than {count} booking mails were written");
}

/// The plain-text part of a mail (the booking mail is multipart: text and the QR image).
fn text_part(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n");
    raw.split("\n--")
        .find(|part| part.to_ascii_lowercase().contains("content-type: text/plain"))
        .map(|part| mail_text(part.split_once('\n').map_or(part, |(_, rest)| rest)))
        .unwrap_or_else(|| mail_text(&raw))
}

/// The token mailed to `who`.
fn token_of<'a>(tokens: &'a HashMap<String, String>, who: &Fixture) -> &'a str {
    tokens.iter().find(|(to, _)| to.contains(&who.email)).map(|(_, t)| t.as_str()).expect("a booking mail")
}

/// Waits until the desk expects `count` people on `day`.
pub async fn expect_at_desk(center: &Center, day: &str, count: i64) {
    for _ in 0..600 {
        if center.expected(day).await == count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the desk expects {} on {day}, not {count}", center.expected(day).await);
}

async fn scalar(pool: &PgPool, sql: &'static str, id: i64) -> i64 {
    sqlx::query_scalar(sql).bind(id).fetch_one(pool).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_hundred_booked_two_sixty_came_while_the_hub_was_away_and_the_hub_sees_it_once() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let (hub, admin, key) = hub_with_center(&url, mail.path()).await;
    let pool = PgPool::connect(&url).await.unwrap();
    let tomorrow = day_in(1);
    let id = opening(&admin, &hub, &tomorrow, 300).await;
    let people = bulk::make(&pool, "e2e", 300, Profile::default()).await;
    book_all(&hub, id, &people).await;
    let tokens = mailed_tokens(mail.path(), 300).await;

    // The center pulls them: 300 expected tomorrow.
    let proxy = Proxy::start(&hub.base).await;
    let data = tempfile::tempdir().unwrap();
    let center = Center::start(data.path(), &proxy.base, &key).await;
    expect_at_desk(&center, &tomorrow, 300).await;

    // The night passes: the center runs on the real clock, so the test moves
    // the opening to today at the hub; the bookings follow in the next pull.
    let today = day_in(0);
    let mut tx = pool.begin().await.unwrap();
    for sql in [
        "UPDATE hub_openings SET day = day - 1 WHERE id = $1",
        "UPDATE hub_bookings SET day = day - 1 WHERE opening_id = $1",
    ] {
        sqlx::query(sql).bind(id).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    expect_at_desk(&center, &today, 300).await;
    assert_eq!(center.expected(&tomorrow).await, 0);

    // 250 check in by the mailed QR code: 予約あり, with where they meet.
    for who in &people[..250] {
        let (status, answer, _) = center.check_in(token_of(&tokens, who)).await;
        assert_eq!(status, 201, "{answer}");
        assert_eq!(answer["booking"]["state"], "booked");
        assert_eq!(answer["booking"]["meeting_point"], "七尾駅 東口");
    }

    // The hub goes away: the desk does not slow down.
    hub.kill9();
    proxy.cut();
    for who in &people[250..260] {
        let (status, answer, took) = center.check_in(token_of(&tokens, who)).await;
        assert_eq!(status, 201, "{answer}");
        assert!(took < Duration::from_millis(200), "a check-in took {took:?} with the hub away");
    }
    let away = center.settled(|s| s["error"].is_string()).await;
    assert!(away["last_ok_at"].is_string(), "{away}");

    // The hub comes back: after one sync it knows who came.
    let hub = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    proxy.point_at(&hub.base);
    let back = center.sync().await;
    assert!(back["error"].is_null(), "{back}");
    let came = "SELECT count(*) FROM hub_bookings WHERE opening_id = $1 AND checked_in_at IS NOT NULL";
    let no_show =
        "SELECT count(*) FROM hub_bookings WHERE opening_id = $1 AND status = 'booked' AND checked_in_at IS NULL";
    assert_eq!((scalar(&pool, came, id).await, scalar(&pool, no_show, id).await), (260, 40));
    let admin = logged_in(&hub, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let overview: Value = admin
        .get(hub.url(&format!("/api/overview?from={today}&to={today}&center_id=1")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let day = &overview["centers"][0];
    assert_eq!(
        (&day["booked"], &day["came"], &day["no_show"], &day["walk_ins"]),
        (&json!(300), &json!(260), &json!(40), &json!(0)),
        "{overview}"
    );

    // Again: nothing changes, at either end.
    let batches = "SELECT count(*) FROM hub_sync_batches WHERE center_id = $1";
    let before = scalar(&pool, batches, 1).await;
    let events_before = center.count("SELECT count(*) FROM events").await;
    center.sync().await;
    center.sync().await;
    assert_eq!(scalar(&pool, batches, 1).await, before);
    assert_eq!(center.count("SELECT count(*) FROM events").await, events_before, "a sync with nothing new wrote");
    assert_eq!((scalar(&pool, came, id).await, scalar(&pool, no_show, id).await), (260, 40));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_booking_cancelled_before_the_pull_never_reaches_the_desk_and_one_cancelled_after_its_check_in_stays_in() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let (hub, admin, key) = hub_with_center(&url, mail.path()).await;
    let pool = PgPool::connect(&url).await.unwrap();
    let today = day_in(0);
    // Cancellable all day: the meeting is late and the cutoff 0 hours before it.
    let id = opening_with(&admin, &hub, &today, 10, json!({ "meeting_time": "23:59", "cancel_hours_before": 0 })).await;
    let people = bulk::make(&pool, "cancel", 3, Profile::default()).await;
    let bookings = book_all(&hub, id, &people).await;
    let tokens = mailed_tokens(mail.path(), 3).await;
    let (early, late, stays) = (&people[0], &people[1], &people[2]);
    let http = reqwest::Client::new();
    let cancel = |who: &Fixture| {
        http.delete(hub.url(&format!("/api/bookings/{}", bookings[&who.account_id])))
            .header("cookie", who.cookie.clone())
    };
    assert_eq!(cancel(early).send().await.unwrap().status(), 200);

    let data = tempfile::tempdir().unwrap();
    let center = Center::start(data.path(), &hub.base, &key).await;
    expect_at_desk(&center, &today, 2).await;
    let (status, answer, _) = center.check_in(token_of(&tokens, early)).await;
    assert_eq!(status, 404, "a booking cancelled before the pull is unknown at the desk: {answer}");
    assert_eq!(center.count("SELECT count(*) FROM volunteers").await, 2, "nobody's data for a seat not held");

    let (status, answer, _) = center.check_in(token_of(&tokens, late)).await;
    assert_eq!(status, 201, "{answer}");
    let volunteer = answer["id"].as_i64().unwrap();
    center.sync().await;
    assert_eq!(cancel(late).send().await.unwrap().status(), 200);
    center.sync().await;
    expect_at_desk(&center, &today, 1).await;
    let after = center.get(&format!("/api/volunteers/{volunteer}")).await;
    assert!(after["today"]["checked_in_at"].is_string(), "still checked in: {after}");
    let (status, answer, _) = center.check_in(token_of(&tokens, late)).await;
    assert_eq!((status, answer["error"]["code"].as_str()), (409, Some("already_checked_in")), "{answer}");
    center.sync().await;
    let (state, came): (String, bool) =
        sqlx::query_as("SELECT status, checked_in_at IS NOT NULL FROM hub_bookings WHERE id = $1")
            .bind(bookings[&late.account_id])
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((state.as_str(), came), ("cancelled", true), "the hub records both facts");
    let (status, answer, _) = center.check_in(token_of(&tokens, stays)).await;
    assert_eq!(status, 201, "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_center_killed_mid_report_sends_the_same_batch_again_and_the_hub_applies_it_once() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let (hub, admin, key) = hub_with_center(&url, mail.path()).await;
    let pool = PgPool::connect(&url).await.unwrap();
    let today = day_in(0);
    let id = opening(&admin, &hub, &today, 10).await;
    let people = bulk::make(&pool, "midpush", 5, Profile::default()).await;
    book_all(&hub, id, &people).await;
    let tokens = mailed_tokens(mail.path(), 5).await;
    let proxy = Proxy::start(&hub.base).await;
    let data = tempfile::tempdir().unwrap();
    let center = Center::start(data.path(), &proxy.base, &key).await;
    expect_at_desk(&center, &today, 5).await;

    // The hub's answers are held: the report arrives, its answer does not.
    proxy.faults.hold_answers_ms.store(4000, std::sync::atomic::Ordering::Relaxed);
    for who in &people[..3] {
        assert_eq!(center.check_in(token_of(&tokens, who)).await.0, 201);
    }
    // Kill the center once the hub has applied a report whose answer is still held.
    let center_db = format!("sqlite://{}?mode=ro", data.path().join("borasen.sqlite").display());
    let mut cut_off = None;
    for _ in 0..400 {
        let unsent: Vec<(String, i64)> = {
            let local = sqlx::SqlitePool::connect(&center_db).await.unwrap();
            let rows = sqlx::query_as("SELECT batch_id, batch_seq FROM hub_reports WHERE sent_at IS NULL")
                .fetch_all(&local)
                .await
                .unwrap();
            local.close().await;
            rows
        };
        let at_hub: Vec<String> =
            sqlx::query_scalar("SELECT batch_id FROM hub_sync_batches").fetch_all(&pool).await.unwrap();
        cut_off = unsent.into_iter().find(|(batch, _)| at_hub.contains(batch));
        if cut_off.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (batch_id, batch_seq) = cut_off.expect("a report reached the hub and its answer was held");
    center.kill9();

    proxy.faults.hold_answers_ms.store(0, std::sync::atomic::Ordering::Relaxed);
    let center = Center::start(data.path(), &proxy.base, &key).await;
    center.settled(|s| s["last_ok_at"].is_string() && s["pending_reports"] == 0).await;
    let sent: i64 = {
        let local = sqlx::SqlitePool::connect(&center_db).await.unwrap();
        sqlx::query_scalar("SELECT count(*) FROM hub_reports WHERE batch_id = ? AND sent_at IS NOT NULL")
            .bind(&batch_id)
            .fetch_one(&local)
            .await
            .unwrap()
    };
    assert_eq!(sent, 1, "the same batch went again after the restart");
    let outcomes: Vec<bool> = sqlx::query_scalar(
        "SELECT (data->>'applied')::boolean FROM hub_events WHERE kind = 'sync.reported' AND (data->>'batch_seq')::bigint = $1
           AND (data->>'center_id')::bigint = 1 ORDER BY seq",
    )
    .bind(batch_seq)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(outcomes, vec![true, false], "applied when it first came, recognised when it came again");
    let held = "SELECT count(*) FROM hub_sync_batches WHERE batch_id = $1";
    assert_eq!(sqlx::query_scalar::<_, i64>(held).bind(&batch_id).fetch_one(&pool).await.unwrap(), 1);
    let came = "SELECT count(*) FROM hub_bookings WHERE opening_id = $1 AND checked_in_at IS NOT NULL";
    assert_eq!(scalar(&pool, came, id).await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hub_killed_mid_pull_resumes_from_the_centers_cursor_with_no_gap_or_twin() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let (hub, admin, key) = hub_with_center(&url, mail.path()).await;
    let pool = PgPool::connect(&url).await.unwrap();
    let today = day_in(0);
    let id = opening(&admin, &hub, &today, 1200).await;
    let people = bulk::make(&pool, "midpull", 1200, Profile::default()).await;
    book_all(&hub, id, &people).await;
    let proxy = Proxy::start(&hub.base).await;
    // A slow link: each piece of an answer waits, so a page takes seconds.
    proxy.faults.hold_answers_ms.store(150, std::sync::atomic::Ordering::Relaxed);
    let data = tempfile::tempdir().unwrap();
    let center = Center::start(data.path(), &proxy.base, &key).await;
    for _ in 0..1200 {
        let expected = center.expected(&today).await;
        if expected >= 500 {
            assert!(expected < 1200, "the pull finished before the hub could be killed");
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    hub.kill9();
    proxy.cut();
    center.settled(|s| s["error"].is_string()).await;
    let hub = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    proxy.faults.hold_answers_ms.store(0, std::sync::atomic::Ordering::Relaxed);
    proxy.point_at(&hub.base);
    expect_at_desk(&center, &today, 1200).await;
    center.sync().await;
    assert_eq!(center.count("SELECT count(*) FROM hub_bookings").await, 1200, "no gap");
    assert_eq!(center.count("SELECT count(DISTINCT volunteer_id) FROM hub_bookings").await, 1200);
    assert_eq!(center.count("SELECT count(*) FROM volunteers").await, 1200, "no twin");
    let taken_in = "SELECT COALESCE(SUM(json_extract(data, '$.new')), 0) FROM events WHERE kind = 'hub_link.pulled'";
    assert_eq!(center.count(taken_in).await, 1200, "each booking taken in as new exactly once");
}

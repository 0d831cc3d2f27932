//! Openings and bookings against real hub processes: no overbooking under a
//! race over two processes, the waitlist promoted in order, the lottery re-run
//! from its recorded seed, eligibility, access, 中止, the CSV and reminders.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use sqlx::PgPool;

use crate::bulk::{self, Fixture, Profile};
use crate::database_or_skip;
use crate::process::{ADMIN_EMAIL, ADMIN_PASSWORD, Hub, MailTo, ensure_center, logged_in};

/// A day `days` from today in Japan.
pub(crate) fn day_in(days: i64) -> String {
    let japan = chrono::FixedOffset::east_opt(9 * 3600).unwrap();
    (chrono::Utc::now().with_timezone(&japan).date_naive() + chrono::Duration::days(days)).to_string()
}

/// Makes and publishes an opening as the admin; its id.
pub(crate) async fn open_opening(admin: &reqwest::Client, hub: &Hub, body: Value) -> i64 {
    ensure_center(admin, hub, body["center_id"].as_i64().unwrap()).await;
    let made = admin.post(hub.url("/api/openings")).json(&body).send().await.unwrap();
    assert_eq!(made.status(), 201, "{}", made.text().await.unwrap());
    let id = made.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let published = admin.post(hub.url(&format!("/api/openings/{id}/publish"))).send().await.unwrap();
    assert_eq!(published.status(), 200, "{}", published.text().await.unwrap());
    id
}

pub(crate) fn opening(center_id: i64, day: &str, quota: i64) -> Value {
    json!({ "center_id": center_id, "day": day, "title": "泥出し", "quota": quota,
            "meeting_point": "七尾駅 東口", "meeting_time": "08:30", "bring": "長靴・手袋" })
}

/// A plain client; the fixture's cookie goes on each request.
pub(crate) fn plain() -> reqwest::Client {
    reqwest::Client::builder().pool_max_idle_per_host(256).build().unwrap()
}

pub(crate) async fn send(http: &reqwest::Client, method: &str, url: String, who: &Fixture) -> (u16, Value) {
    let answer = http.request(method.parse().unwrap(), url).header("cookie", &who.cookie).send().await.unwrap();
    let status = answer.status().as_u16();
    (status, answer.json().await.unwrap_or(Value::Null))
}

async fn count(pool: &PgPool, sql: &'static str, id: i64) -> i64 {
    sqlx::query_scalar(sql).bind(id).fetch_one(pool).await.unwrap()
}

#[tokio::test]
async fn a_thousand_bookings_over_two_processes_fill_300_seats_and_the_waitlist_moves_up_in_order() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let mail_to = MailTo::Dir(mail.path().to_path_buf());
    let hubs = Arc::new([Hub::start(&url, &mail_to), Hub::start(&url, &mail_to)]);
    let pool = PgPool::connect(&url).await.unwrap();
    let admin = logged_in(&hubs[0], ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let day = day_in(10);
    let id = open_opening(&admin, &hubs[0], opening(1, &day, 300)).await;
    let people = bulk::make(&pool, "race", 1000, Profile::default()).await;

    // All at once, half at each process (at most 128 in flight per process: its per-address connection budget).
    let http = plain();
    let gates = Arc::new([tokio::sync::Semaphore::new(128), tokio::sync::Semaphore::new(128)]);
    let mut tasks = Vec::new();
    for (i, who) in people.iter().cloned().enumerate() {
        let (http, hubs, gates) = (http.clone(), hubs.clone(), gates.clone());
        tasks.push(tokio::spawn(async move {
            let _slot = gates[i % 2].acquire().await.unwrap();
            let (status, body) =
                send(&http, "POST", hubs[i % 2].url(&format!("/api/openings/{id}/bookings")), &who).await;
            (who.account_id, status, body)
        }));
    }
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    assert!(
        answers.iter().all(|(_, status, _)| *status == 201),
        "every booking is taken: {:?}",
        answers.iter().find(|(_, s, _)| *s != 201)
    );
    let said = |status: &str| answers.iter().filter(|(_, _, b)| b["status"] == status).count();
    assert_eq!((said("booked"), said("waitlisted")), (300, 700));

    let booked =
        count(&pool, "SELECT count(*) FROM hub_bookings WHERE opening_id = $1 AND status = 'booked'", id).await;
    let waiting =
        count(&pool, "SELECT count(*) FROM hub_bookings WHERE opening_id = $1 AND status = 'waitlisted'", id).await;
    assert_eq!((booked, waiting), (300, 700));
    let seats = count(&pool, "SELECT booked_seats::bigint FROM hub_openings WHERE id = $1", id).await;
    assert_eq!(seats, 300);
    let volunteers =
        count(&pool, "SELECT count(DISTINCT account_id) FROM hub_bookings WHERE opening_id = $1", id).await;
    let rows = count(&pool, "SELECT count(*) FROM hub_bookings WHERE opening_id = $1", id).await;
    assert_eq!((volunteers, rows), (1000, 1000), "no volunteer twice");
    let tokens = count(&pool, "SELECT count(DISTINCT qr_token) FROM hub_bookings WHERE opening_id = $1", id).await;
    assert_eq!(tokens, 1000);

    // One a day: a second booking that day is refused, at either process.
    let again = send(&http, "POST", hubs[1].url(&format!("/api/openings/{id}/bookings")), &people[0]).await;
    assert_eq!((again.0, again.1["error"]["code"].as_str()), (409, Some("already_booked_that_day")));

    // 50 booked volunteers cancel at once, over both processes.
    let waitlist: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM hub_bookings WHERE opening_id = $1 AND status = 'waitlisted' ORDER BY waitlist_order",
    )
    .bind(id)
    .fetch_all(&pool)
    .await
    .unwrap();
    let cancelling: Vec<(i64, Fixture)> = answers
        .iter()
        .filter(|(_, _, b)| b["status"] == "booked")
        .take(50)
        .map(|(account, _, b)| {
            (b["id"].as_i64().unwrap(), people.iter().find(|p| p.account_id == *account).unwrap().clone())
        })
        .collect();
    let mut tasks = Vec::new();
    for (i, (booking, who)) in cancelling.into_iter().enumerate() {
        let (http, hubs) = (http.clone(), hubs.clone());
        tasks.push(tokio::spawn(async move {
            send(&http, "DELETE", hubs[i % 2].url(&format!("/api/bookings/{booking}")), &who).await
        }));
    }
    for task in tasks {
        let (status, body) = task.await.unwrap();
        assert_eq!((status, body["status"].as_str()), (200, Some("cancelled")), "{body}");
    }
    let promoted: Vec<i64> = sqlx::query_scalar(
        "SELECT (data->>'booking_id')::bigint FROM hub_events WHERE kind = 'booking.promoted' ORDER BY seq",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(promoted, waitlist[..50], "exactly the first 50 waiting, in order");
    let now_booked: HashSet<i64> =
        sqlx::query_scalar("SELECT id FROM hub_bookings WHERE opening_id = $1 AND status = 'booked'")
            .bind(id)
            .fetch_all(&pool)
            .await
            .unwrap()
            .into_iter()
            .collect();
    assert_eq!(now_booked.len(), 300);
    assert!(waitlist[..50].iter().all(|b| now_booked.contains(b)));
    assert!(waitlist[50..].iter().all(|b| !now_booked.contains(b)), "nobody further back moved up");

    // Every change had its mail, queued once.
    let mails: Vec<(String, i64)> = sqlx::query_as("SELECT kind, count(*) FROM hub_outbox GROUP BY kind ORDER BY kind")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(
        mails,
        [("booked".into(), 300), ("cancelled".into(), 50), ("promoted".into(), 50), ("waitlisted".into(), 700)]
    );
    // The booked mail carries the QR inline and the token and number as text.
    let (text, parts): (String, Value) =
        sqlx::query_as("SELECT body_text, inline_parts FROM hub_outbox WHERE kind = 'booked' ORDER BY id LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(text.contains("予約番号: H-") && text.contains("受付用コード: "), "{text}");
    assert_eq!(parts[0]["content_type"], "image/png");
}

#[tokio::test]
async fn a_lottery_draw_rerun_from_its_seed_gives_the_same_result_and_everyone_one_outcome() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let hub = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let second = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let pool = PgPool::connect(&url).await.unwrap();
    let admin = logged_in(&hub, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    // Applications close well after the 40 below are in, whatever the machine's load; the
    // closing is then brought forward in the database (time passing, not a changed rule).
    let mut body = opening(2, &day_in(12), 10);
    body["mode"] = json!("lottery");
    body["lottery_closes_at"] = json!((chrono::Utc::now() + chrono::Duration::minutes(10)).to_rfc3339());
    let id = open_opening(&admin, &hub, body).await;
    let people = bulk::make(&pool, "lottery", 40, Profile::default()).await;
    let http = plain();
    for who in &people {
        let (status, body) = send(&http, "POST", hub.url(&format!("/api/openings/{id}/bookings")), who).await;
        assert_eq!((status, body["status"].as_str()), (201, Some("applied")), "{body}");
    }
    // Too early to draw.
    let early = admin.post(hub.url(&format!("/api/openings/{id}/draw"))).send().await.unwrap();
    assert_eq!(early.status(), 409);
    let closes: chrono::DateTime<chrono::Utc> = sqlx::query_scalar(
        "UPDATE hub_openings SET lottery_closes_at = now() + interval '2 seconds' WHERE id = $1 RETURNING lottery_closes_at",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    tokio::time::sleep_until(tokio::time::Instant::now() + (closes - chrono::Utc::now()).to_std().unwrap_or_default())
        .await;
    let late = send(&http, "POST", hub.url(&format!("/api/openings/{id}/bookings")), &people[0]).await;
    assert_eq!(late.0, 409, "applications are closed");
    // Staff may draw; the hub's job (every second in tests, at both processes) draws it too. Once, either way.
    let drawn = admin.post(hub.url(&format!("/api/openings/{id}/draw"))).send().await.unwrap();
    let status = drawn.status().as_u16();
    let body: Value = drawn.json().await.unwrap();
    assert!(status == 200 || body["error"]["code"] == "already_drawn", "{status} {body}");
    let twice = admin.post(second.url(&format!("/api/openings/{id}/draw"))).send().await.unwrap();
    assert_eq!(twice.json::<Value>().await.unwrap()["error"]["code"], "already_drawn");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(count(&pool, "SELECT count(*) FROM hub_events WHERE kind = 'lottery.drawn' AND $1 > 0", 1).await, 1);

    // The recorded draw, re-run from its seed by anyone logged in (a volunteer here).
    let (status, record) = send(&http, "GET", hub.url(&format!("/api/openings/{id}/draw")), &people[3]).await;
    assert_eq!(status, 200);
    assert_eq!(record["algorithm"], "sha256-rank-v1");
    assert_eq!(record["rerun_order"], record["drawn_order"]);
    // …and re-run here, by the documented rule, without the hub's code.
    let seed = record["seed"].as_str().unwrap();
    let mut applications: Vec<i64> = sqlx::query_scalar("SELECT id FROM hub_bookings WHERE opening_id = $1")
        .bind(id)
        .fetch_all(&pool)
        .await
        .unwrap();
    applications.sort_by_key(|booking| {
        use sha2::Digest;
        (sha2::Sha256::digest(format!("{seed}:{booking}").as_bytes()).to_vec(), *booking)
    });
    let recorded: Vec<i64> = serde_json::from_value(record["drawn_order"].clone()).unwrap();
    assert_eq!(applications, recorded);
    assert_eq!(borasen::hub::booking::lottery::draw_order(seed, &applications), recorded);

    // Exactly one outcome each: the first ten booked, the rest waitlisted in drawn order.
    let outcomes: Vec<(i64, String, Option<i64>)> =
        sqlx::query_as("SELECT id, status, waitlist_order FROM hub_bookings WHERE opening_id = $1")
            .bind(id)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(outcomes.len(), 40);
    for (place, booking) in recorded.iter().enumerate() {
        let (_, status, _) = outcomes.iter().find(|o| o.0 == *booking).unwrap();
        assert_eq!(status, if place < 10 { "booked" } else { "waitlisted" }, "place {place}");
    }
    let mut waiting: Vec<&(i64, String, Option<i64>)> = outcomes.iter().filter(|o| o.1 == "waitlisted").collect();
    waiting.sort_by_key(|o| o.2);
    assert_eq!(waiting.iter().map(|o| o.0).collect::<Vec<_>>(), recorded[10..]);
    let mails: Vec<(String, i64)> = sqlx::query_as(
        "SELECT kind, count(*) FROM hub_outbox WHERE kind IN ('booked', 'waitlisted') GROUP BY kind ORDER BY kind",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(mails, [("booked".into(), 10), ("waitlisted".into(), 30)]);
}

#[tokio::test]
async fn eligibility_access_day_cancel_csv_and_reminders() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let mail_to = MailTo::Dir(mail.path().to_path_buf());
    // Two processes run the reminder job every second: each reminder is queued once.
    let a = Hub::start_with(&url, &mail_to, &[]);
    let b = Hub::start_with(&url, &mail_to, &[]);
    let pool = PgPool::connect(&url).await.unwrap();
    let admin = logged_in(&a, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let staff =
        json!({ "email": "c3@hub.example.jp", "password": "center-three-1", "role": "center_staff", "center_id": 3 });
    ensure_center(&admin, &a, 3).await;
    ensure_center(&admin, &a, 4).await;
    assert_eq!(admin.post(a.url("/api/staff")).json(&staff).send().await.unwrap().status(), 201);
    let center3 = logged_in(&a, "c3@hub.example.jp", "center-three-1").await;

    // Center staff make openings for their own center only.
    let theirs = center3.post(a.url("/api/openings")).json(&opening(4, &day_in(1), 5)).send().await.unwrap();
    assert_eq!(theirs.status(), 403);
    let mut strict = opening(3, &day_in(1), 5);
    strict["prefecture_only"] = json!(true);
    strict["minimum_age"] = json!(20);
    // Tomorrow 08:30 less 48 hours has passed whatever the hour now.
    strict["cancel_hours_before"] = json!(48);
    let own = center3.post(a.url("/api/openings")).json(&strict).send().await.unwrap();
    assert_eq!(own.status(), 201);
    let tomorrow = own.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let bad = center3.post(a.url("/api/openings")).json(&json!({ "day": "12/5", "title": "x" })).send().await.unwrap();
    assert_eq!(bad.status(), 422);
    assert_eq!(bad.json::<Value>().await.unwrap()["error"]["field"], "day");
    let other_center = open_opening(&admin, &a, opening(4, &day_in(2), 5)).await;

    // Volunteers see no draft; center staff see nothing of another center.
    let ok = bulk::make(&pool, "ok", 2, Profile::default()).await;
    let http = plain();
    let draft = send(&http, "POST", a.url(&format!("/api/openings/{tomorrow}/bookings")), &ok[0]).await;
    assert_eq!(draft.0, 404);
    let published = center3.post(a.url(&format!("/api/openings/{tomorrow}/publish"))).send().await.unwrap();
    assert_eq!(published.status(), 200);
    for path in [format!("/api/openings/{other_center}"), format!("/api/openings/{other_center}/bookings.csv")] {
        assert_eq!(center3.get(a.url(&path)).send().await.unwrap().status(), 404, "{path}");
    }
    assert_eq!(
        center3.post(a.url(&format!("/api/openings/{other_center}/cancel"))).send().await.unwrap().status(),
        404
    );
    let listed: Vec<Value> = center3
        .get(a.url(&format!("/api/openings?from={}&to={}", day_in(0), day_in(5))))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(listed.iter().all(|o| o["center_id"] == 3) && listed.len() == 1, "{listed:?}");

    // Eligibility, each with its reason and nothing written.
    let young = bulk::make(&pool, "young", 1, Profile { birth_year: 2010, ..Profile::default() }).await;
    let outside = bulk::make(&pool, "outside", 1, Profile { in_prefecture: false, ..Profile::default() }).await;
    let uninsured = bulk::make(&pool, "uninsured", 1, Profile { insured: false, ..Profile::default() }).await;
    let unverified = bulk::make(&pool, "unverified", 1, Profile { verified: false, ..Profile::default() }).await;
    for (who, status, code) in [
        (&young[0], 409, "too_young"),
        (&outside[0], 409, "prefecture_only"),
        (&uninsured[0], 409, "insurance_required"),
        (&unverified[0], 403, "email_not_verified"),
    ] {
        let (got, body) = send(&http, "POST", b.url(&format!("/api/openings/{tomorrow}/bookings")), who).await;
        assert_eq!((got, body["error"]["code"].as_str()), (status, Some(code)), "{}", who.email);
    }
    assert_eq!(count(&pool, "SELECT count(*) FROM hub_bookings WHERE opening_id = $1", tomorrow).await, 0);

    // A volunteer sees only their own bookings.
    let (status, mine) = send(&http, "POST", a.url(&format!("/api/openings/{tomorrow}/bookings")), &ok[0]).await;
    assert_eq!((status, mine["status"].as_str()), (201, Some("booked")));
    assert!(mine["number"].as_str().unwrap().starts_with("H-"));
    assert_eq!(mine["qr_token"].as_str().unwrap().len(), 32);
    let booking = mine["id"].as_i64().unwrap();
    assert_eq!(send(&http, "GET", a.url(&format!("/api/bookings/{booking}")), &ok[1]).await.0, 404);
    assert_eq!(send(&http, "DELETE", a.url(&format!("/api/bookings/{booking}")), &ok[1]).await.0, 404);
    let (_, theirs) = send(&http, "GET", a.url("/api/bookings"), &ok[1]).await;
    assert_eq!(theirs, json!([]));
    // Tomorrow at 08:30 is within the 48-hour cutoff: too late to cancel.
    let late = send(&http, "DELETE", a.url(&format!("/api/bookings/{booking}")), &ok[0]).await;
    assert_eq!((late.0, late.1["error"]["code"].as_str()), (409, Some("cancel_cutoff_passed")));

    // The list for the meeting point: CSV with a BOM, the booked volunteer's row.
    let csv = center3.get(a.url(&format!("/api/openings/{tomorrow}/bookings.csv"))).send().await.unwrap();
    assert_eq!(csv.status(), 200);
    let bytes = csv.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.lines().count() == 2 && text.contains(&format!("H-{booking:05}")) && text.contains("予約"), "{text}");
    // Staff pages, in both languages.
    let page = center3
        .get(a.url(&format!("/hub/staff/calendar?month={}", &day_in(1)[..7])))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("センター 3 の募集") && page.contains("泥出し"), "{page}");
    let page = center3
        .get(a.url(&format!("/hub/staff/openings/{tomorrow}?lang=en")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Booked") && page.contains(&format!("H-{booking:05}")), "{page}");
    assert_eq!(center3.get(a.url("/hub/staff/calendar?center_id=4")).send().await.unwrap().status(), 403);

    // The reminder for tomorrow: queued once although two processes run the job.
    let until = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let queued = count(
            &pool,
            "SELECT count(*) FROM hub_outbox WHERE kind = 'reminder' AND account_id = $1",
            ok[0].account_id,
        )
        .await;
        if queued == 1 {
            break;
        }
        assert!(tokio::time::Instant::now() < until, "the reminder is queued");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        count(&pool, "SELECT count(*) FROM hub_outbox WHERE kind = 'reminder' AND account_id = $1", ok[0].account_id)
            .await,
        1
    );

    // 中止: everyone on the day is mailed, and the booking says so.
    let cancelled = center3.post(a.url(&format!("/api/openings/{tomorrow}/cancel"))).send().await.unwrap();
    assert_eq!(cancelled.status(), 200);
    let (_, after) = send(&http, "GET", b.url(&format!("/api/bookings/{booking}")), &ok[0]).await;
    assert_eq!(after["status"], "day_cancelled");
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM hub_outbox WHERE kind = 'day_cancelled' AND account_id = $1",
            ok[0].account_id
        )
        .await,
        1
    );
    let kinds: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT kind FROM hub_events WHERE kind LIKE 'opening.%' OR kind LIKE 'booking.%' ORDER BY kind",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(kinds, ["booking.made", "booking.reminders_queued", "opening.created", "opening.state_changed"]);
}

//! The hub's end of the center↔hub sync against a real `borasen hub`: a
//! center pulls its bookings by its key and reports its days back
//! (`hub::sync`; the messages are `borasen::sync`'s types).

use std::collections::HashSet;
use std::time::Duration;

use serde_json::{Value, json};
use sqlx::PgPool;

use borasen::sync::{
    Arrival, BookingChange, BookingState, BookingsPage, DayFigures, DayReport, DayReportAnswer, VERSION,
};

use crate::booking::{day_in, open_opening, opening, plain, send};
use crate::bulk::{self, Fixture, Profile};
use crate::database_or_skip;
use crate::process::{ADMIN_EMAIL, ADMIN_PASSWORD, Hub, MailTo, logged_in, register_center};
use crate::volunteers;

/// `GET /api/sync/bookings?<query>` with `key` and this version's header.
async fn pull_raw(hub: &Hub, key: &str, query: &str) -> reqwest::Response {
    plain()
        .get(hub.url(&format!("/api/sync/bookings?{query}")))
        .bearer_auth(key)
        .header(borasen::sync::VERSION_HEADER, VERSION.to_string())
        .send()
        .await
        .unwrap()
}

async fn pull(hub: &Hub, key: &str, cursor: &str, limit: Option<i64>) -> BookingsPage {
    let limit = limit.map(|l| format!("&limit={l}")).unwrap_or_default();
    let answer = pull_raw(hub, key, &format!("cursor={cursor}{limit}")).await;
    assert_eq!(answer.status(), 200, "{}", answer.text().await.unwrap());
    answer.json().await.unwrap()
}

/// Pulls page after page from `cursor` until `wanted` bookings came (a change
/// shows once every transaction older than it has ended), at most 15 s; the
/// bookings in the order they came and the last cursor.
async fn pull_until(
    hub: &Hub,
    key: &str,
    mut cursor: String,
    limit: i64,
    wanted: usize,
) -> (Vec<BookingChange>, String) {
    let until = tokio::time::Instant::now() + Duration::from_secs(15);
    let mut got = Vec::new();
    loop {
        let page = pull(hub, key, &cursor, Some(limit)).await;
        assert!(page.bookings.len() as i64 <= limit);
        assert_eq!(page.version, VERSION);
        if page.bookings.is_empty() {
            assert_eq!(page.cursor, cursor, "an empty page gives the cursor back");
        }
        cursor = page.cursor;
        got.extend(page.bookings);
        if got.len() >= wanted && !page.more {
            return (got, cursor);
        }
        assert!(tokio::time::Instant::now() < until, "{wanted} bookings came; {} did", got.len());
        if !page.more {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

async fn report_raw(hub: &Hub, key: &str, body: &Value) -> reqwest::Response {
    plain().post(hub.url("/api/sync/days")).bearer_auth(key).json(body).send().await.unwrap()
}

async fn report(hub: &Hub, key: &str, body: &DayReport) -> DayReportAnswer {
    let answer = report_raw(hub, key, &serde_json::to_value(body).unwrap()).await;
    assert_eq!(answer.status(), 200, "{}", answer.text().await.unwrap());
    answer.json().await.unwrap()
}

async fn error_of(answer: reqwest::Response) -> (u16, Value) {
    let status = answer.status().as_u16();
    (status, answer.json::<Value>().await.unwrap()["error"].clone())
}

fn day_report(batch_id: &str, batch_seq: i64, day: &str, arrivals: &[i64], checked_in: i64) -> DayReport {
    DayReport {
        version: VERSION,
        batch_id: batch_id.into(),
        batch_seq,
        day: day.parse().unwrap(),
        made_at: format!("{day}T10:42:00+09:00").parse().unwrap(),
        arrivals: arrivals
            .iter()
            .map(|&booking_id| Arrival {
                booking_id,
                checked_in_at: format!("{day}T08:{:02}:00+09:00", booking_id % 60).parse().unwrap(),
                people: 1,
            })
            .collect(),
        figures: DayFigures { checked_in, booked_came: arrivals.len() as i64, ..DayFigures::default() },
    }
}

/// Books `who` on `opening`; the booking ids.
async fn book_all(hub: &Hub, opening: i64, who: &[Fixture]) -> Vec<i64> {
    let http = plain();
    let mut ids = Vec::new();
    for person in who {
        let (status, body) = send(&http, "POST", hub.url(&format!("/api/openings/{opening}/bookings")), person).await;
        assert_eq!((status, body["status"].as_str()), (201, Some("booked")), "{body}");
        ids.push(body["id"].as_i64().unwrap());
    }
    ids
}

async fn cancel(hub: &Hub, booking: i64, who: &Fixture) {
    let (status, body) = send(&plain(), "DELETE", hub.url(&format!("/api/bookings/{booking}")), who).await;
    assert_eq!(status, 200, "{body}");
}

/// `(checked_in_at is set, checked_in_people, status)` of a booking.
async fn arrival_of(pool: &PgPool, booking: i64) -> (bool, Option<i32>, String) {
    sqlx::query_as("SELECT checked_in_at IS NOT NULL, checked_in_people, status FROM hub_bookings WHERE id = $1")
        .bind(booking)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn scalar(pool: &PgPool, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

/// The personal strings of bulk volunteers (`bulk::make`): names, phones, addresses.
fn personal(who: &[Fixture]) -> Vec<String> {
    who.iter()
        .flat_map(|f| {
            [format!("ボランティア{}", f.account_id), format!("090-0000-{:04}", f.account_id), f.email.clone()]
        })
        .chain(["石川県金沢市".to_string(), "能登 花子".to_string(), "090-2468-1357".to_string()])
        .collect()
}

/// Every `sync.*` event's data, none holding a personal string or a token.
async fn sync_events_hold_none_of(pool: &PgPool, needles: &[String]) -> Vec<(String, Value)> {
    let events: Vec<(String, Value)> =
        sqlx::query_as("SELECT kind, data FROM hub_events WHERE kind LIKE 'sync.%' ORDER BY seq")
            .fetch_all(pool)
            .await
            .unwrap();
    for (kind, data) in &events {
        let text = data.to_string();
        for needle in needles {
            assert!(!text.contains(needle.as_str()), "{kind} carries {needle}: {text}");
        }
    }
    events
}

#[tokio::test]
async fn a_center_pulls_each_booking_once_in_its_latest_state_with_a_profile_only_for_a_seat_held() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let hub = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let pool = PgPool::connect(&url).await.unwrap();
    let admin = logged_in(&hub, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let key = register_center(&admin, &hub, 7).await;
    let day = day_in(5);
    let opening_id = open_opening(&admin, &hub, opening(7, &day, 50)).await;
    let people = bulk::make(&pool, "pull", 12, Profile::default()).await;
    let ids = book_all(&hub, opening_id, &people).await;
    // Cancelled before any pull: the center only ever hears it is released.
    cancel(&hub, ids[0], &people[0]).await;

    // Pages of 5: every booking exactly once.
    let (all, cursor) = pull_until(&hub, &key, String::new(), 5, 12).await;
    let seen: Vec<i64> = all.iter().map(|b| b.booking_id).collect();
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 12, "no booking twice: {seen:?}");
    assert_eq!(seen.iter().copied().collect::<HashSet<_>>(), ids.iter().copied().collect::<HashSet<_>>());
    assert_eq!(scalar(&pool, "SELECT count(*) FROM hub_events WHERE kind = 'sync.pulled'").await, 3);
    for change in &all {
        assert_eq!(change.number, format!("H-{:05}", change.booking_id));
        assert_eq!((change.day.to_string(), change.seats), (day.clone(), 1));
        let i = ids.iter().position(|id| *id == change.booking_id).unwrap();
        if i == 0 {
            assert_eq!(change.state, BookingState::Released);
            assert!(change.qr_token.is_none() && change.meeting.is_none() && change.volunteer.is_none(), "{change:?}");
            continue;
        }
        assert_eq!(change.state, BookingState::Booked);
        let token: String = sqlx::query_scalar("SELECT qr_token FROM hub_bookings WHERE id = $1")
            .bind(change.booking_id)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(change.qr_token.as_deref(), Some(token.as_str()));
        let meeting = change.meeting.as_ref().unwrap();
        assert_eq!(
            (
                meeting.title.as_str(),
                meeting.meeting_point.as_str(),
                meeting.meeting_time.as_str(),
                meeting.bring.as_str()
            ),
            ("泥出し", "七尾駅 東口", "08:30", "長靴・手袋")
        );
        let person = change.volunteer.as_ref().unwrap();
        let who = &people[i];
        assert_eq!(person.name, format!("ボランティア{}", who.account_id));
        assert_eq!(person.phone, format!("090-0000-{:04}", who.account_id));
        assert_eq!(person.email.as_deref(), Some(who.email.as_str()));
        assert_eq!((person.kind.as_str(), person.insurance.as_str()), ("individual", "enrolled"));
    }

    // Again from the cursor: nothing, logged as an empty pull.
    let again = pull(&hub, &key, &cursor, None).await;
    assert!(again.bookings.is_empty() && !again.more && again.cursor == cursor, "{again:?}");
    let empty = "SELECT count(*) FROM hub_events WHERE kind = 'sync.pulled' AND (data->>'changes')::int = 0";
    assert_eq!(scalar(&pool, "SELECT count(*) FROM hub_events WHERE kind = 'sync.pulled'").await, 4);
    assert_eq!(scalar(&pool, empty).await, 1);

    // A cancellation after the pull comes in the next one, released.
    cancel(&hub, ids[1], &people[1]).await;
    let (next, cursor) = pull_until(&hub, &key, cursor, 500, 1).await;
    assert_eq!(next.len(), 1);
    assert_eq!((next[0].booking_id, next[0].state), (ids[1], BookingState::Released));
    assert!(next[0].volunteer.is_none() && next[0].qr_token.is_none());

    // A changed profile brings its booking again, with the new profile.
    let changed = plain()
        .put(hub.url("/api/profile"))
        .header("cookie", &people[2].cookie)
        .json(&volunteers::profile())
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200, "{}", changed.text().await.unwrap());
    let (next, cursor) = pull_until(&hub, &key, cursor, 500, 1).await;
    assert_eq!(next.len(), 1);
    assert_eq!((next[0].booking_id, next[0].state), (ids[2], BookingState::Booked));
    assert_eq!(next[0].volunteer.as_ref().unwrap().name, "能登 花子");
    // A changed meeting point too, for every seat held on the opening.
    sqlx::query("UPDATE hub_openings SET meeting_point = '七尾駅 西口' WHERE id = $1")
        .bind(opening_id)
        .execute(&pool)
        .await
        .unwrap();
    let (next, _) = pull_until(&hub, &key, cursor, 500, 10).await;
    assert_eq!(next.len(), 10, "the ten seats still held");
    assert!(next.iter().all(|b| b.meeting.as_ref().unwrap().meeting_point == "七尾駅 西口"));

    // The log: counts only, never a person's data or a token.
    let tokens: Vec<String> = sqlx::query_scalar("SELECT qr_token FROM hub_bookings").fetch_all(&pool).await.unwrap();
    let needles: Vec<String> = personal(&people).into_iter().chain(tokens).collect();
    let events = sync_events_hold_none_of(&pool, &needles).await;
    // The first pull's three pages (5, 5, 2): eleven seats held, one released.
    let first: Vec<&Value> = events.iter().take(3).map(|(_, data)| data).collect();
    assert_eq!(first[0], &json!({ "center_id": 7, "changes": 5, "booked": 5, "released": 0 }));
    let sum = |field: &str| first.iter().map(|d| d[field].as_i64().unwrap()).sum::<i64>();
    assert_eq!((sum("changes"), sum("booked"), sum("released")), (12, 11, 1));
}

#[tokio::test]
async fn a_key_reaches_its_own_center_only_and_a_bad_message_is_refused_whole() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let hub = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let pool = PgPool::connect(&url).await.unwrap();
    let admin = logged_in(&hub, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let key_a = register_center(&admin, &hub, 7).await;
    let key_b = register_center(&admin, &hub, 8).await;
    let day = day_in(5);
    let at_a = open_opening(&admin, &hub, opening(7, &day, 10)).await;
    let at_b = open_opening(&admin, &hub, opening(8, &day, 10)).await;
    let people = bulk::make(&pool, "iso", 4, Profile::default()).await;
    let a_bookings = book_all(&hub, at_a, &people[..3]).await;
    let b_bookings = book_all(&hub, at_b, &people[3..]).await;

    // B's key asking for A: 403; B's own pull holds only B's bookings.
    let (status, error) = error_of(pull_raw(&hub, &key_b, "center_id=7").await).await;
    assert_eq!((status, error["code"].as_str()), (403, Some("not_your_center")), "{error}");
    let (b_sees, _) = pull_until(&hub, &key_b, String::new(), 500, 1).await;
    assert_eq!(b_sees.iter().map(|b| b.booking_id).collect::<Vec<_>>(), b_bookings);
    let own = pull_raw(&hub, &key_b, "center_id=8").await;
    assert_eq!(own.status(), 200);
    assert_eq!(own.json::<BookingsPage>().await.unwrap().center_id, 8);

    // No key, a wrong one, a session instead: 401, in both languages.
    let no_key = plain().get(hub.url("/api/sync/bookings")).header("Borasen-Sync-Version", "1").send().await.unwrap();
    let (status, error) = error_of(no_key).await;
    assert_eq!((status, error["code"].as_str()), (401, Some("sync_key")));
    let wrong = plain()
        .get(hub.url("/api/sync/bookings"))
        .bearer_auth("0".repeat(64))
        .header("Borasen-Sync-Version", "1")
        .header("accept-language", "ja")
        .send()
        .await
        .unwrap();
    let (status, error) = error_of(wrong).await;
    assert_eq!((status, error["code"].as_str()), (401, Some("sync_key")));
    assert!(error["message"].as_str().unwrap().contains("同期キー"), "{error}");
    let session = admin.get(hub.url("/api/sync/bookings")).header("Borasen-Sync-Version", "1").send().await.unwrap();
    assert_eq!(session.status(), 401);

    // Another version, or none: 426, saying which the hub speaks.
    for version in [Some("2"), None] {
        let request = plain().get(hub.url("/api/sync/bookings")).bearer_auth(&key_a);
        let request = match version {
            Some(v) => request.header("Borasen-Sync-Version", v),
            None => request,
        };
        let (status, error) = error_of(request.send().await.unwrap()).await;
        assert_eq!((status, error["code"].as_str()), (426, Some("sync_version")), "{version:?}");
        assert!(error["message"].as_str().unwrap().contains("this hub speaks version 1"), "{error}");
    }
    // A cursor or a limit that is not one: 422 naming it.
    for (query, field) in
        [("cursor=abc", "cursor"), ("limit=0", "limit"), ("limit=1001", "limit"), ("center_id=x", "center_id")]
    {
        let (status, error) = error_of(pull_raw(&hub, &key_a, query).await).await;
        assert_eq!((status, error["field"].as_str()), (422, Some(field)), "{query}: {error}");
    }

    // B reports A's booking as arrived: 403, nothing changed.
    let stolen = day_report("b-1", 1, &day, &[b_bookings[0], a_bookings[0]], 2);
    let (status, error) = error_of(report_raw(&hub, &key_b, &serde_json::to_value(&stolen).unwrap()).await).await;
    assert_eq!((status, error["code"].as_str()), (403, Some("not_your_booking")), "{error}");
    assert_eq!(error["field"], "arrivals[1].booking_id");
    // A booking that does not exist looks the same.
    let unknown = day_report("b-1", 1, &day, &[999_999], 1);
    let (status, _) = error_of(report_raw(&hub, &key_b, &serde_json::to_value(&unknown).unwrap()).await).await;
    assert_eq!(status, 403);

    // A tampered report from A: an extra field anywhere, a newer version.
    let good = serde_json::to_value(day_report("a-1", 1, &day, &a_bookings, 3)).unwrap();
    let mut top = good.clone();
    top["extra"] = json!(1);
    let mut inner = good.clone();
    inner["arrivals"][0]["name"] = json!("ボランティア");
    let mut missing = good.clone();
    missing["figures"].as_object_mut().unwrap().remove("walk_ins");
    let mut mistyped = good.clone();
    mistyped["batch_seq"] = json!("1");
    for (body, field) in
        [(top, "extra"), (inner, "arrivals[0].name"), (missing, "figures.walk_ins"), (mistyped, "batch_seq")]
    {
        let (status, error) = error_of(report_raw(&hub, &key_a, &body).await).await;
        assert_eq!((status, error["code"].as_str(), error["field"].as_str()), (422, Some("sync_refused"), Some(field)));
    }
    let mut newer = good.clone();
    newer["version"] = json!(2);
    newer["new_field"] = json!(true);
    let (status, error) = error_of(report_raw(&hub, &key_a, &newer).await).await;
    assert_eq!((status, error["code"].as_str()), (426, Some("sync_version")), "{error}");
    let bad_batch = serde_json::to_value(day_report("a 1", 1, &day, &a_bookings, 3)).unwrap();
    let (status, error) = error_of(report_raw(&hub, &key_a, &bad_batch).await).await;
    assert_eq!((status, error["field"].as_str()), (422, Some("batch_id")));

    // Nothing of any of them reached the tables.
    for id in a_bookings.iter().chain(&b_bookings) {
        assert_eq!(arrival_of(&pool, *id).await, (false, None, "booked".to_string()), "booking {id}");
    }
    assert_eq!(scalar(&pool, "SELECT count(*) FROM hub_sync_batches").await, 0);
    assert_eq!(scalar(&pool, "SELECT count(*) FROM hub_center_days").await, 0);
    assert_eq!(scalar(&pool, "SELECT count(*) FROM hub_events WHERE kind = 'sync.reported'").await, 0);

    // The good one goes through.
    let answer: DayReportAnswer = report_raw(&hub, &key_a, &good).await.json().await.unwrap();
    assert!(answer.applied && answer.current, "{answer:?}");
}

#[tokio::test]
async fn a_report_is_applied_once_the_newest_wins_and_a_cancelled_booking_keeps_its_arrival() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let mail_to = MailTo::Dir(mail.path().to_path_buf());
    let hub = Hub::start(&url, &mail_to);
    let other = Hub::start(&url, &mail_to);
    let pool = PgPool::connect(&url).await.unwrap();
    let admin = logged_in(&hub, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let key = register_center(&admin, &hub, 7).await;
    let day = day_in(5);
    let opening_id = open_opening(&admin, &hub, opening(7, &day, 10)).await;
    let next_day = open_opening(&admin, &hub, opening(7, &day_in(6), 10)).await;
    let people = bulk::make(&pool, "push", 4, Profile::default()).await;
    let b = book_all(&hub, opening_id, &people[..3]).await;
    let later = book_all(&hub, next_day, &people[3..]).await;
    let figures = || async {
        let checked_in: Option<i64> =
            sqlx::query_scalar("SELECT (figures->>'checked_in')::bigint FROM hub_center_days WHERE center_id = 7")
                .fetch_optional(&pool)
                .await
                .unwrap();
        checked_in
    };

    // Seq 2: two came.
    let answer = report(&hub, &key, &day_report("day-2", 2, &day, &b[..2], 5)).await;
    assert_eq!((answer.applied, answer.current, answer.batch_id.as_str()), (true, true, "day-2"));
    assert_eq!(arrival_of(&pool, b[0]).await, (true, Some(1), "booked".into()));
    assert_eq!(arrival_of(&pool, b[1]).await, (true, Some(1), "booked".into()));
    assert!(!arrival_of(&pool, b[2]).await.0);
    assert_eq!(figures().await, Some(5));
    let at: String = sqlx::query_scalar(
        "SELECT to_char(checked_in_at AT TIME ZONE 'Asia/Tokyo', 'HH24:MI') FROM hub_bookings WHERE id = $1",
    )
    .bind(b[0])
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(at, format!("08:{:02}", b[0] % 60));

    // The same batch again, even with other content: applied once, nothing changes.
    let resent = report(&hub, &key, &day_report("day-2", 2, &day, &b, 9)).await;
    assert_eq!((resent.applied, resent.current), (false, true));
    assert!(!arrival_of(&pool, b[2]).await.0);
    assert_eq!(figures().await, Some(5));

    // An older report (seq 1) comes late: recorded, nothing else changes.
    let late = report(&hub, &key, &day_report("day-1", 1, &day, &b[2..], 1)).await;
    assert_eq!((late.applied, late.current), (true, false));
    assert!(!arrival_of(&pool, b[2]).await.0);
    assert!(arrival_of(&pool, b[1]).await.0);
    assert_eq!(figures().await, Some(5));
    assert_eq!(scalar(&pool, "SELECT count(*) FROM hub_sync_batches").await, 2);

    // A newer one without b[1]: its arrival is cleared (the report is the whole day).
    let newer = report(&hub, &key, &day_report("day-3", 3, &day, &b[..1], 4)).await;
    assert_eq!((newer.applied, newer.current), (true, true));
    assert_eq!(arrival_of(&pool, b[1]).await, (false, None, "booked".into()));
    assert_eq!(figures().await, Some(4));

    // Cancelled at the hub after the person came: both facts stay.
    cancel(&hub, b[0], &people[0]).await;
    assert_eq!(arrival_of(&pool, b[0]).await, (true, Some(1), "cancelled".into()));
    let again = report(&hub, &key, &day_report("day-4", 4, &day, &b[..1], 4)).await;
    assert!(again.applied && again.current);
    assert_eq!(arrival_of(&pool, b[0]).await, (true, Some(1), "cancelled".into()));

    // A batch id used for another day: 409; a booking of another day: 422 naming it.
    let (status, error) = error_of(
        report_raw(&hub, &key, &serde_json::to_value(day_report("day-4", 1, &day_in(6), &[], 0)).unwrap()).await,
    )
    .await;
    assert_eq!((status, error["code"].as_str()), (409, Some("batch_id_reused")));
    let (status, error) =
        error_of(report_raw(&hub, &key, &serde_json::to_value(day_report("day-5", 5, &day, &later, 1)).unwrap()).await)
            .await;
    assert_eq!((status, error["field"].as_str()), (422, Some("arrivals[0].booking_id")), "{error}");
    assert!(!arrival_of(&pool, later[0]).await.0);

    // Two processes apply two reports of the day at once: the higher seq stays.
    for round in 0..5_i64 {
        let (low, high) = (10 + 2 * round, 11 + 2 * round);
        let low_report = day_report(&format!("race-{low}"), low, &day, &b[..1], low);
        let high_report = day_report(&format!("race-{high}"), high, &day, &b[1..2], high);
        let (x, y) = if round % 2 == 0 { (&hub, &other) } else { (&other, &hub) };
        let (first, second) = tokio::join!(report(x, &key, &high_report), report(y, &key, &low_report));
        assert!(first.applied && second.applied && first.current);
        assert_eq!(figures().await, Some(high), "round {round}");
        assert!(arrival_of(&pool, b[1]).await.0, "round {round}");
        assert!(!arrival_of(&pool, b[0]).await.0, "round {round}: the older report's arrival is not kept");
    }
    assert_eq!(scalar(&pool, "SELECT count(*) FROM hub_center_days").await, 1);

    // The log: counts and flags only.
    let events = sync_events_hold_none_of(&pool, &personal(&people)).await;
    let reported: Vec<&Value> = events.iter().filter(|(k, _)| k == "sync.reported").map(|(_, d)| d).collect();
    assert_eq!(
        *reported[0],
        json!({ "center_id": 7, "day": day, "batch_seq": 2, "arrivals": 2, "applied": true, "current": true })
    );
    assert_eq!((reported[1]["applied"].clone(), reported[2]["current"].clone()), (json!(false), json!(false)));
}

#[tokio::test]
async fn a_center_past_its_allowance_per_minute_waits_and_another_does_not() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let hub = Hub::start_with(&url, &MailTo::Dir(mail.path().to_path_buf()), &["--sync-per-minute", "3"]);
    let admin = logged_in(&hub, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let busy = register_center(&admin, &hub, 7).await;
    let calm = register_center(&admin, &hub, 8).await;
    for _ in 0..3 {
        assert_eq!(pull_raw(&hub, &busy, "").await.status(), 200);
    }
    let limited = pull_raw(&hub, &busy, "").await;
    assert_eq!(limited.status(), 429);
    let wait: u64 = limited.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let (_, error) = error_of(limited).await;
    assert_eq!(error["code"], "sync_rate_limited");
    // A report counts the same.
    let body = serde_json::to_value(day_report("x-1", 1, &day_in(1), &[], 0)).unwrap();
    assert_eq!(report_raw(&hub, &busy, &body).await.status(), 429);
    assert_eq!(pull_raw(&hub, &calm, "").await.status(), 200, "another center has its own allowance");
}

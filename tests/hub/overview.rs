//! The hub's overview across centers against a real hub process: the figures
//! per center and day (JSON, CSV, the page), who sees which center, no-shows
//! per account, and the lottery's optional no-show weighing.
//!
//! What a center's report leaves at the hub is seeded here by SQL (`report`,
//! `came`): it stands for the center's `POST /api/sync/days`, built in
//! `src/hub/sync`, which sets `hub_bookings.checked_in_at` for the bookings
//! whose person came and keeps the latest `hub_center_days` row per day.

use std::time::Duration;

use chrono::NaiveDate;
use serde_json::{Value, json};
use sqlx::PgPool;

use borasen::hub::booking::lottery;
use borasen::sync::contract::DayFigures;

use crate::booking::{day_in, open_opening, opening, plain, send};
use crate::bulk::{self, Fixture, Profile};
use crate::database_or_skip;
use crate::process::{ADMIN_EMAIL, ADMIN_PASSWORD, Hub, MailTo, logged_in};

/// A center's report of `day`, as `POST /api/sync/days` leaves it.
async fn report(pool: &PgPool, center: i64, day: &str, figures: DayFigures) {
    sqlx::query(
        "INSERT INTO hub_center_days (center_id, day, batch_seq, figures, reported_at) VALUES ($1, $2, 1, $3, now())",
    )
    .bind(center)
    .bind(day.parse::<NaiveDate>().unwrap())
    .bind(serde_json::to_value(figures).unwrap())
    .execute(pool)
    .await
    .unwrap();
}

/// Bookings whose person the center's report says came.
async fn came(pool: &PgPool, bookings: &[i64]) {
    sqlx::query("UPDATE hub_bookings SET checked_in_at = now(), checked_in_people = seats WHERE id = ANY($1)")
        .bind(bookings)
        .execute(pool)
        .await
        .unwrap();
}

/// `who` books opening `id`; the booking's id and status.
async fn book(hub: &Hub, id: i64, who: &Fixture) -> (i64, String) {
    let (status, body) = send(&plain(), "POST", hub.url(&format!("/api/openings/{id}/bookings")), who).await;
    assert_eq!(status, 201, "{body}");
    (body["id"].as_i64().unwrap(), body["status"].as_str().unwrap().to_string())
}

async fn get(http: &reqwest::Client, hub: &Hub, path: &str) -> (u16, Value) {
    let answer = http.get(hub.url(path)).send().await.unwrap();
    let status = answer.status().as_u16();
    (status, answer.json().await.unwrap_or(Value::Null))
}

fn row<'a>(rows: &'a Value, center: i64, day: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["center_id"] == center && r["day"] == day)
        .unwrap_or_else(|| panic!("no row for {center} {day} in {rows}"))
}

/// `[booked, waitlisted, came, no_show, walk_ins, teams, needs_received, needs_done]`.
fn figures_of(r: &Value) -> Value {
    json!([
        r["booked"],
        r["waitlisted"],
        r["came"],
        r["no_show"],
        r["walk_ins"],
        r["teams"],
        r["needs_received"],
        r["needs_done"]
    ])
}

#[tokio::test]
async fn two_centers_over_two_days_give_their_figures_sums_csv_page_and_no_shows() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let hub = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let pool = PgPool::connect(&url).await.unwrap();
    let admin = logged_in(&hub, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (d1, d2) = (day_in(5), day_in(6));
    let a1 = open_opening(&admin, &hub, opening(31, &d1, 3)).await;
    let a2 = open_opening(&admin, &hub, opening(31, &d2, 2)).await;
    let b1 = open_opening(&admin, &hub, opening(32, &d1, 2)).await;
    let v = bulk::make(&pool, "overview", 8, Profile::default()).await;
    let mut at_a1 = Vec::new();
    for who in &v[0..4] {
        at_a1.push(book(&hub, a1, who).await);
    }
    assert_eq!(at_a1.iter().map(|b| b.1.as_str()).collect::<Vec<_>>(), ["booked", "booked", "booked", "waitlisted"]);
    book(&hub, a2, &v[4]).await;
    book(&hub, a2, &v[5]).await;
    let at_b1 = [book(&hub, b1, &v[6]).await.0, book(&hub, b1, &v[7]).await.0];
    // Center 31 reports day 1: v0, v1 came, and v3 too though waitlisted (came counts any status); v2 did not.
    came(&pool, &[at_a1[0].0, at_a1[1].0, at_a1[3].0, at_b1[0]]).await;
    let figures = |walk_ins, teams_sent, needs_received, needs_done| DayFigures {
        walk_ins,
        teams_sent,
        needs_received,
        needs_done,
        ..DayFigures::default()
    };
    report(&pool, 31, &d1, figures(5, 2, 3, 1)).await;
    report(&pool, 32, &d1, figures(1, 1, 2, 2)).await;
    // Day 2 at center 31 is not reported: no no-show count, no report figures.

    let range = format!("from={d1}&to={d2}");
    let (status, all) = get(&admin, &hub, &format!("/api/overview?{range}")).await;
    assert_eq!(status, 200, "{all}");
    let rows = &all["centers"];
    assert_eq!(rows.as_array().unwrap().len(), 3, "{rows}");
    assert_eq!(figures_of(row(rows, 31, &d1)), json!([3, 1, 3, 1, 5, 2, 3, 1]));
    assert_eq!(figures_of(row(rows, 32, &d1)), json!([2, 0, 1, 1, 1, 1, 2, 2]));
    assert_eq!(figures_of(row(rows, 31, &d2)), json!([2, 0, 0, null, null, null, null, null]), "未報告");
    assert_eq!(row(rows, 31, &d1)["center_name"], "センター 31");
    assert_eq!(row(rows, 31, &d1)["booked_bookings"], 3);
    assert!(row(rows, 31, &d2)["reported_at"].is_null());
    let sums = all["prefecture"].as_array().unwrap();
    assert_eq!(sums.len(), 2);
    assert_eq!(sums[0]["day"], d1.as_str());
    assert_eq!(figures_of(&sums[0]), json!([5, 1, 4, 2, 6, 3, 5, 3]));
    assert_eq!((sums[0]["centers"].as_i64(), sums[0]["centers_reported"].as_i64()), (Some(2), Some(2)));
    assert_eq!(figures_of(&sums[1]), json!([2, 0, 0, null, null, null, null, null]));
    let (status, one) = get(&admin, &hub, &format!("/api/overview?{range}&center_id=32")).await;
    assert_eq!(status, 200);
    assert_eq!(one["centers"].as_array().unwrap().len(), 1, "a hub admin may ask one center");

    // Bad input: 422 naming the field.
    for (query, field) in [
        ("from=2026-02-30", "from"),
        ("to=tomorrow", "to"),
        (&*format!("from={d2}&to={d1}"), "to"),
        ("from=2026-01-01&to=2026-06-01", "to"),
        ("center_id=x", "center_id"),
    ] {
        let (status, body) = get(&admin, &hub, &format!("/api/overview?{query}")).await;
        assert_eq!((status, body["error"]["field"].as_str()), (422, Some(field)), "{query}: {body}");
    }

    // Center staff see their own center only.
    let staff =
        json!({ "email": "c31@hub.example.jp", "password": "center-31-pw-1", "role": "center_staff", "center_id": 31 });
    assert_eq!(admin.post(hub.url("/api/staff")).json(&staff).send().await.unwrap().status(), 201);
    let staff = logged_in(&hub, "c31@hub.example.jp", "center-31-pw-1").await;
    let (status, own) = get(&staff, &hub, &format!("/api/overview?{range}")).await;
    assert_eq!(status, 200);
    assert!(own["centers"].as_array().unwrap().iter().all(|r| r["center_id"] == 31), "{own}");
    assert_eq!(own["centers"].as_array().unwrap().len(), 2);
    assert_eq!(own["center_id"], 31);
    assert_eq!(get(&staff, &hub, &format!("/api/overview?{range}&center_id=31")).await.0, 200);
    assert_eq!(get(&staff, &hub, &format!("/api/overview?{range}&center_id=32")).await.0, 403);
    assert_eq!(get(&staff, &hub, &format!("/api/overview.csv?{range}&center_id=32")).await.0, 403);
    assert_eq!(
        staff.get(hub.url(&format!("/hub/staff/overview?{range}&center_id=32"))).send().await.unwrap().status(),
        403
    );
    assert_eq!(get(&staff, &hub, &format!("/api/overview/no-shows?{range}")).await.0, 403);

    // The CSV: BOM, Japanese headers, a 合計 row per day.
    let answer = admin.get(hub.url(&format!("/api/overview.csv?{range}"))).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    assert!(answer.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let bytes = answer.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "a BOM for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "センター,日付,予約,キャンセル待ち,来所,不参加,当日受付,班,ニーズ受付,ニーズ完了");
    assert_eq!(
        lines[1..],
        [
            format!("センター 31,{d1},3,1,3,1,5,2,3,1"),
            format!("センター 32,{d1},2,0,1,1,1,1,2,2"),
            format!("合計,{d1},5,1,4,2,6,3,5,3"),
            format!("センター 31,{d2},2,0,0,未報告,,,,"),
            format!("合計,{d2},2,0,0,未報告,,,,"),
        ]
    );
    let own_csv = staff.get(hub.url(&format!("/api/overview.csv?{range}"))).send().await.unwrap().text().await.unwrap();
    assert!(!own_csv.contains("合計"), "one center: no sum rows\n{own_csv}");
    assert!(own_csv.contains("センター 31") && !own_csv.contains("センター 32"));

    // The page, in both languages, with its chart; the calendar links to it.
    let page = |http: &reqwest::Client, query: String| {
        let request = http.get(hub.url(&format!("/hub/staff/overview?{query}")));
        async move {
            let answer = request.send().await.unwrap();
            assert_eq!(answer.status(), 200);
            answer.text().await.unwrap()
        }
    };
    let ja = page(&admin, format!("{range}&lang=ja")).await;
    assert!(ja.contains("<svg"), "the chart");
    assert_eq!(ja.matches("class=\"bar booked\"").count(), 2, "one booked bar per day");
    assert!(ja.contains("data-group=\"") && ja.contains(&format!("data-group=\"{d1}\" data-value=\"5\"")));
    assert!(ja.contains(&format!("class=\"unknown walk-ins\" data-group=\"{d2}\"")), "unreported walk-ins: no bar");
    for word in ["センター横断の状況", "未報告", "当日受付", "数え方", "アカウント別の不参加回数"]
    {
        assert!(ja.contains(word), "ja page: {word}");
    }
    let en = page(&admin, format!("{range}&lang=en")).await;
    assert!(en.contains("<svg") && en.contains("Not reported") && en.contains("Walk-ins") && en.contains("No-shows"));
    // English: no Japanese but the data (the centers' names) and the language switch.
    let rest = en.replace("センター 31", "").replace("センター 32", "").replace("日本語", "");
    let japanese: String = rest.chars().filter(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}')).collect();
    assert!(japanese.is_empty(), "the English page holds Japanese: {japanese}");
    let staff_page = page(&staff, format!("{range}&lang=ja")).await;
    assert!(staff_page.contains("<svg") && !staff_page.contains("センター 32"));
    assert!(!staff_page.contains("アカウント別の不参加回数"), "no-shows per account: hub admins only");
    let bad = page(&admin, "from=2026-02-30&lang=ja".into()).await;
    assert!(bad.contains("class=\"error\"") && bad.contains("YYYY-MM-DD"), "{bad}");
    let month = &d1[..7];
    let calendar = admin
        .get(hub.url(&format!("/hub/staff/calendar?lang=ja&month={month}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(calendar.contains("/hub/staff/overview?"), "the calendar links to the overview");
    assert!(calendar.contains("<td>センター "), "the calendar names each center as registered: {calendar}");

    // No-shows per account: booked, not come, on a reported day (v2 at 31, v7 at 32), ids and counts only.
    let (status, no_shows) = get(&admin, &hub, &format!("/api/overview/no-shows?{range}")).await;
    assert_eq!(status, 200);
    let mut expected = vec![
        json!({ "account_id": v[2].account_id, "no_shows": 1 }),
        json!({ "account_id": v[7].account_id, "no_shows": 1 }),
    ];
    expected.sort_by_key(|e| e["account_id"].as_i64());
    assert_eq!(no_shows, Value::Array(expected));
    assert!(ja.contains(&format!("<td class=\"num\">{}</td>", v[2].account_id)), "the page lists them");
}

/// A lottery at `center` on `day` with `applicants`, closed and drawn; the recorded draw.
async fn lottery_round(hub: &Hub, admin: &reqwest::Client, pool: &PgPool, day: &str, applicants: &[Fixture]) -> Value {
    let mut body = opening(33, day, 2);
    body["mode"] = json!("lottery");
    body["lottery_closes_at"] = json!((chrono::Utc::now() + chrono::Duration::minutes(10)).to_rfc3339());
    let id = open_opening(admin, hub, body).await;
    for who in applicants {
        assert_eq!(book(hub, id, who).await.1, "applied");
    }
    sqlx::query("UPDATE hub_openings SET lottery_closes_at = now() - interval '1 second' WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
    // Staff draw it, or the hub's job (every second in tests) did first: once, either way.
    let drawn = admin.post(hub.url(&format!("/api/openings/{id}/draw"))).send().await.unwrap();
    let status = drawn.status().as_u16();
    let answer: Value = drawn.json().await.unwrap();
    assert!(status == 200 || answer["error"]["code"] == "already_drawn", "{status} {answer}");
    let (status, record) = get(admin, hub, &format!("/api/openings/{id}/draw")).await;
    assert_eq!(status, 200, "{record}");
    assert_eq!(record["rerun_order"], record["drawn_order"], "the re-run gives the same order");
    record
}

async fn account_of(pool: &PgPool, booking: i64) -> i64 {
    sqlx::query_scalar("SELECT account_id FROM hub_bookings WHERE id = $1").bind(booking).fetch_one(pool).await.unwrap()
}

#[tokio::test]
async fn with_the_flag_the_lottery_draws_those_with_fewer_no_shows_first_and_without_it_nothing_changes() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let pool = PgPool::connect(&url).await.unwrap();
    let hub = Hub::start_with(&url, &MailTo::Dir(mail.path().to_path_buf()), &["--lottery-weigh-no-shows"]);
    let people = bulk::make(&pool, "weigh", 8, Profile::default()).await;
    let weighed = {
        let admin = logged_in(&hub, ADMIN_EMAIL, ADMIN_PASSWORD).await;
        // Earlier days at center 33, reported: people 0–2 booked and did not come (person 0 twice), person 3 came.
        let (d0, d1) = (day_in(3), day_in(4));
        let first = open_opening(&admin, &hub, opening(33, &d0, 10)).await;
        let second = open_opening(&admin, &hub, opening(33, &d1, 10)).await;
        for who in &people[0..4] {
            book(&hub, first, who).await;
        }
        book(&hub, second, &people[0]).await;
        let person3: i64 = sqlx::query_scalar("SELECT id FROM hub_bookings WHERE account_id = $1")
            .bind(people[3].account_id)
            .fetch_one(&pool)
            .await
            .unwrap();
        came(&pool, &[person3]).await;
        report(&pool, 33, &d0, DayFigures::default()).await;
        report(&pool, 33, &d1, DayFigures::default()).await;
        // A booked day not yet reported is no no-show: person 4.
        let unreported = open_opening(&admin, &hub, opening(33, &day_in(5), 10)).await;
        book(&hub, unreported, &people[4]).await;

        let record = lottery_round(&hub, &admin, &pool, &day_in(12), &people).await;
        assert_eq!(record["algorithm"], "sha256-rank-noshow-v1");
        let order: Vec<i64> = serde_json::from_value(record["drawn_order"].clone()).unwrap();
        let counts: Vec<i64> = serde_json::from_value(record["no_shows"].clone()).unwrap();
        assert_eq!(order.len(), 8);
        let mut by_account = Vec::new();
        for booking in &order {
            by_account.push(account_of(&pool, *booking).await);
        }
        let expected = |account: i64| match people.iter().position(|p| p.account_id == account) {
            Some(0) => 2,
            Some(1 | 2) => 1,
            _ => 0,
        };
        assert_eq!(counts, by_account.iter().map(|a| expected(*a)).collect::<Vec<_>>(), "the counts used, recorded");
        assert!(counts.windows(2).all(|w| w[0] <= w[1]), "fewer no-shows first: {counts:?}");
        assert_eq!(by_account[7], people[0].account_id, "two no-shows: drawn last");
        // The documented rule, re-run from the record.
        let seed = record["seed"].as_str().unwrap();
        let pairs: Vec<(i64, i64)> = order.iter().copied().zip(counts.iter().copied()).collect();
        assert_eq!(lottery::draw_order_weighed(seed, &pairs), order);
        // Seats went in that order: the first two booked, all without no-shows.
        for (place, booking) in order.iter().enumerate() {
            let status: String = sqlx::query_scalar("SELECT status FROM hub_bookings WHERE id = $1")
                .bind(booking)
                .fetch_one(&pool)
                .await
                .unwrap();
            assert_eq!(status, if place < 2 { "booked" } else { "waitlisted" }, "place {place}");
        }
        order
    };
    drop(hub);
    tokio::time::sleep(Duration::from_millis(200)).await;

    // Without the flag: sha256-rank-v1 as before, no counts recorded.
    let hub = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let admin = logged_in(&hub, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let record = lottery_round(&hub, &admin, &pool, &day_in(13), &people).await;
    assert_eq!(record["algorithm"], "sha256-rank-v1");
    assert!(record.get("no_shows").is_none(), "{record}");
    let order: Vec<i64> = serde_json::from_value(record["drawn_order"].clone()).unwrap();
    let mut ids = order.clone();
    ids.sort();
    assert_eq!(lottery::draw_order(record["seed"].as_str().unwrap(), &ids), order);
    assert_eq!(weighed.len(), order.len());
    let stored: Option<Vec<i64>> = sqlx::query_scalar(
        "SELECT no_shows FROM hub_lottery_draws d JOIN hub_bookings b ON b.opening_id = d.opening_id WHERE b.id = $1",
    )
    .bind(order[0])
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(stored, None);
}

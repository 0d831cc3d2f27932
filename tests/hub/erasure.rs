//! Deleting an account withdraws its bookings from today on: each freed seat
//! goes to the first waiting, who is mailed; and still no personal string of
//! the deleted volunteer is left in any table.

use serde_json::{Value, json};
use sqlx::PgPool;

use crate::accounts::rows_holding;
use crate::bulk::{self, Profile};
use crate::database_or_skip;
use crate::process::{ADMIN_EMAIL, ADMIN_PASSWORD, Hub, MailTo, logged_in};
use crate::volunteers::{PASSWORD, register, verify_from_dir};

/// A day `days` from today in Japan.
pub fn day_in(days: i64) -> String {
    let japan = chrono::FixedOffset::east_opt(9 * 3600).unwrap();
    (chrono::Utc::now().with_timezone(&japan).date_naive() + chrono::Duration::days(days)).to_string()
}

pub async fn open_opening(admin: &reqwest::Client, hub: &Hub, day: &str, quota: i64) -> i64 {
    crate::process::ensure_center(admin, hub, 1).await;
    let body = json!({ "center_id": 1, "day": day, "title": "泥出し", "quota": quota,
            "meeting_point": "七尾駅 東口", "meeting_time": "23:59", "bring": "長靴・手袋" });
    let made = admin.post(hub.url("/api/openings")).json(&body).send().await.unwrap();
    assert_eq!(made.status(), 201, "{}", made.text().await.unwrap());
    let id = made.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let published = admin.post(hub.url(&format!("/api/openings/{id}/publish"))).send().await.unwrap();
    assert_eq!(published.status(), 200, "{}", published.text().await.unwrap());
    id
}

/// A profile of the volunteer to delete, sharing no string with the bulk fixtures.
fn own_profile() -> Value {
    json!({
        "name": "輪島 太郎",
        "furigana": "ワジマ タロウ",
        "birth_date": "1985-07-07",
        "phone": "090-4826-3915",
        "address": "石川県輪島市河井町2",
        "residence": "in",
        "emergency_name": "輪島 次郎",
        "emergency_phone": "080-7394-2051",
        "insurance": "enrolled",
        "insurance_plan": "basic",
    })
}

async fn book(http: &reqwest::Client, hub: &Hub, opening: i64, cookie: Option<&str>) -> Value {
    let mut request = http.post(hub.url(&format!("/api/openings/{opening}/bookings")));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let answer = request.send().await.unwrap();
    assert_eq!(answer.status(), 201, "{}", answer.text().await.unwrap());
    answer.json().await.unwrap()
}

async fn status_of(pool: &PgPool, booking: &Value) -> String {
    sqlx::query_scalar("SELECT status FROM hub_bookings WHERE id = $1")
        .bind(booking["id"].as_i64().unwrap())
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_deleted_volunteers_seats_go_to_the_first_waiting_and_nothing_personal_is_left() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let hub = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let pool = PgPool::connect(&url).await.unwrap();
    let admin = logged_in(&hub, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let email = "wajima.gone@example.jp";
    assert_eq!(register(&hub, email, own_profile()).await.status(), 201);
    verify_from_dir(&hub, mail.path(), email).await;
    let leaving = logged_in(&hub, email, PASSWORD).await;
    let others = bulk::make(&pool, "waiting", 3, Profile::default()).await;

    let today = open_opening(&admin, &hub, &day_in(0), 1).await;
    let later = open_opening(&admin, &hub, &day_in(5), 1).await;
    // The leaving volunteer holds both seats; two wait for the later one, one for today's.
    let held_today = book(&leaving, &hub, today, None).await;
    let held_later = book(&leaving, &hub, later, None).await;
    let first = book(&reqwest::Client::new(), &hub, later, Some(&others[0].cookie)).await;
    let second = book(&reqwest::Client::new(), &hub, later, Some(&others[1].cookie)).await;
    let waiting_today = book(&reqwest::Client::new(), &hub, today, Some(&others[2].cookie)).await;
    for waiting in [&first, &second, &waiting_today] {
        assert_eq!(waiting["status"], "waitlisted");
    }

    let deleted =
        leaving.post(hub.url("/api/account/delete")).json(&json!({ "password": PASSWORD })).send().await.unwrap();
    assert_eq!(deleted.status(), 204, "{}", deleted.text().await.unwrap());

    // Withdrawn in the same transaction; the first waiting took each seat, the second still waits.
    assert_eq!(status_of(&pool, &held_today).await, "cancelled");
    assert_eq!(status_of(&pool, &held_later).await, "cancelled");
    assert_eq!(status_of(&pool, &first).await, "booked");
    assert_eq!(status_of(&pool, &second).await, "waitlisted");
    assert_eq!(status_of(&pool, &waiting_today).await, "booked");
    let seats: Vec<i32> =
        sqlx::query_scalar("SELECT booked_seats FROM hub_openings ORDER BY id").fetch_all(&pool).await.unwrap();
    assert_eq!(seats, [1, 1]);
    // The promoted are mailed; the deleted volunteer is not.
    let promoted: Vec<i64> =
        sqlx::query_scalar("SELECT account_id FROM hub_outbox WHERE kind = 'promoted' ORDER BY account_id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(promoted, [others[0].account_id, others[2].account_id]);
    let events: Vec<(String, String)> = sqlx::query_as(
        "SELECT kind, actor FROM hub_events WHERE kind IN ('booking.cancelled', 'booking.promoted', 'account.deleted')
          ORDER BY seq",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let kinds: Vec<&str> = events.iter().map(|(kind, _)| kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["booking.cancelled", "booking.promoted", "booking.cancelled", "booking.promoted", "account.deleted"]
    );

    let needles =
        ["輪島", "太郎", "次郎", "ワジマ", "タロウ", "4826", "3915", "7394", "2051", "河井町", "wajima", "1985-07-07"];
    let held = rows_holding(&pool, &needles).await;
    assert!(held.is_empty(), "personal data left after deletion: {held:?}");
}

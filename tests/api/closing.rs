//! 本日の受付終了処理: refused while a team is out (nothing changes), then
//! everyone still checked in is checked out in one step, one event each; the
//! admin's page does the same in Chromium.

use serde_json::{Value, json};

use crate::browser::Browser;
use crate::dispatch::{Center, center, need, volunteer};

async fn scalar(c: &Center, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&c.app.state.db.read).await.unwrap()
}

async fn checked_out_events(c: &Center) -> i64 {
    scalar(c, "SELECT COUNT(*) FROM events WHERE kind = 'volunteer.checked_out'").await
}

async fn open_check_ins(c: &Center) -> i64 {
    scalar(c, "SELECT COUNT(*) FROM checkins WHERE checked_out_at IS NULL").await
}

#[tokio::test]
async fn closing_the_day_is_refused_while_a_team_is_out_then_checks_everyone_out_one_event_each() {
    let c = center().await;
    let admin = c.app.admin().await;
    let leader = volunteer(&c, 0, "enrolled", true).await;
    for i in 1..4 {
        volunteer(&c, i, "enrolled", true).await;
    }
    volunteer(&c, 4, "enrolled", false).await; // registered, never came: not checked out
    need(&c, 1).await;
    let sent = c.coordinator.post("/api/teams", &json!({ "need_no": "N-0001", "member_ids": [leader] })).await;
    assert_eq!(sent.status(), 201);
    let team: Value = sent.json().await.unwrap();

    // Only admins.
    assert_eq!(c.coordinator.post("/api/closing", &json!({})).await.status(), 403);
    assert_eq!(c.desk.get("/api/closing").await.status(), 403);

    let preview: Value = admin.get("/api/closing").await.json().await.unwrap();
    assert_eq!(preview["teams_out"], json!(["T-001"]));
    assert_eq!(preview["still_here"].as_array().unwrap().len(), 4, "{preview}");

    let before = c.app.last_seq().await;
    let refused = admin.post("/api/closing", &json!({})).await;
    assert_eq!(refused.status(), 409);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "teams_out");
    assert!(body["error"]["message"].as_str().unwrap().contains("T-001"), "{body}");
    assert_eq!(c.app.last_seq().await, before, "nothing logged");
    assert_eq!(open_check_ins(&c).await, 4, "nobody checked out");

    let back = c
        .coordinator
        .post(&format!("/api/teams/{}/return", team["id"]), &json!({ "version": team["version"], "outcome": "done" }))
        .await;
    assert_eq!(back.status(), 200, "{}", back.text().await.unwrap());

    let events_before = checked_out_events(&c).await;
    let closed = admin.post("/api/closing", &json!({})).await;
    assert_eq!(closed.status(), 200, "{}", closed.text().await.unwrap());
    let closed: Value = closed.json().await.unwrap();
    let numbers: Vec<&str> =
        closed["checked_out"].as_array().unwrap().iter().map(|p| p["volunteer_no"].as_str().unwrap()).collect();
    assert_eq!(numbers, ["V-0001", "V-0002", "V-0003", "V-0004"]);
    assert_eq!(checked_out_events(&c).await, events_before + 4, "one volunteer.checked_out per person");
    assert_eq!(open_check_ins(&c).await, 0);
    let actors: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT actor FROM events WHERE kind = 'volunteer.checked_out' AND seq > ?")
            .bind(c.app.last_seq().await - 4)
            .fetch_all(&c.app.state.db.read)
            .await
            .unwrap();
    assert_eq!(actors, ["admin"]);

    // Again: nobody left, nothing logged.
    let seq = c.app.last_seq().await;
    let again: Value = admin.post("/api/closing", &json!({})).await.json().await.unwrap();
    assert_eq!(again["checked_out"], json!([]));
    assert_eq!(c.app.last_seq().await, seq);
}

#[tokio::test]
async fn an_admin_closes_the_day_from_the_closing_page() {
    let Some(mut browser) = Browser::launch().await else { return };
    let c = center().await;
    for i in 0..3 {
        volunteer(&c, i, "enrolled", true).await;
    }
    browser.log_in(&c.app, "admin", crate::helpers::ADMIN_PASSWORD).await;
    browser.goto(&c.app.url("/")).await;
    assert_eq!(browser.eval("document.querySelector('a[href=\"/closing\"]') !== null").await, true, "in the menu");
    browser.goto(&c.app.url("/closing")).await;
    assert_eq!(browser.eval("document.querySelectorAll('#still-here tbody tr').length").await, 3);
    browser.eval("window.confirm = () => true; document.getElementById('close-day').click()").await;
    browser.wait_for("!document.getElementById('closing-result').hidden").await;
    let said = browser.eval("document.getElementById('closing-result').textContent").await;
    assert!(said.as_str().unwrap().contains('3'), "{said}");
    assert_eq!(open_check_ins(&c).await, 0);
    browser.screenshot("closing.png").await;
}

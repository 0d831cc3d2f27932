//! The coordinator board in a real browser: live, counts that move without a
//! reload, teams out with the overdue one first, the chart and the map.

use serde_json::json;

use crate::browser::Browser;
use crate::dispatch::{center, need, volunteer};

#[tokio::test]
async fn the_board_goes_live_and_shows_a_check_in_a_dispatch_and_an_overdue_team_without_reload() {
    let Some(mut browser) = Browser::launch().await else { return };
    let c = center().await;
    let first = volunteer(&c, 0, "enrolled", true).await;
    need(&c, 1).await;
    browser.log_in(&c.app, "coordinator", "demo-pass-2026").await;
    browser.goto(&c.app.url("/board")).await;
    browser.wait_for("document.getElementById('link-state').classList.contains('live')").await;
    assert_eq!(browser.eval("document.getElementById('n-checked-in').textContent").await, "1");
    browser.wait_for("document.querySelectorAll('#board-map path.zone').length === 12").await;
    browser.wait_for("document.querySelectorAll('#chart rect.bar').length > 0").await;

    // A check-in at the desk (through the API) moves the count, no reload.
    volunteer(&c, 1, "enrolled", true).await;
    browser.wait_for("document.getElementById('n-checked-in').textContent === '2'").await;
    browser.wait_for("document.getElementById('feed').textContent.includes('受付')").await;

    // A team leaves with a deadline that the clock then passes.
    let team = c
        .coordinator
        .post("/api/teams", &json!({ "need_no": "N-0001", "member_ids": [first], "return_by": "10:00" }))
        .await;
    assert_eq!(team.status(), 201);
    browser.wait_for("document.querySelector('#teams-out li[data-team=\"T-001\"]') !== null").await;
    browser.wait_for("document.getElementById('feed').textContent.includes('T-001 出発（N-0001、1名）')").await;
    browser.wait_for("document.getElementById('n-on-teams').textContent === '1'").await;
    c.app.state.clock.advance(chrono::Duration::minutes(90));
    borasen::dispatch::overdue::sweep(&c.app.state.db, &c.app.state.clock).await.unwrap();
    browser.wait_for("document.querySelector('#teams-out li.overdue-team') !== null").await;
    browser.wait_for("document.getElementById('alerts').textContent.includes('T-001')").await;
    browser.screenshot("board.png").await;
}

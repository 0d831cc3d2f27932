//! `serve --demo` seeds a center a new user can look at at once.

use serde_json::Value;

use crate::helpers::{spawn_app_with, test_config};

#[tokio::test]
async fn the_demo_center_has_a_map_equipment_and_staff_and_seeds_only_once() {
    let mut app = spawn_app_with(|c| {
        c.demo = true;
        c.demo_password = Some("demo-pass-2026".into());
    })
    .await;
    let coordinator = app.client_for("coordinator", "demo-pass-2026").await;
    let snapshot: Value = coordinator.get("/api/board").await.json().await.unwrap();
    assert_eq!(snapshot["counts"]["zones"], 12);
    assert_eq!(snapshot["counts"]["items"], 14);
    assert_eq!(snapshot["counts"]["users"], 3);
    app.client_for("reception", "demo-pass-2026").await;

    let stock: i64 = sqlx::query_scalar(
        "SELECT SUM(delta) FROM item_ledger l JOIN items i ON i.id = l.item_id WHERE i.name = '一輪車'",
    )
    .fetch_one(&app.state.db.read)
    .await
    .unwrap();
    assert_eq!(stock, 12);
    let kinds: Vec<String> = sqlx::query_scalar("SELECT DISTINCT kind FROM events ORDER BY kind")
        .fetch_all(&app.state.db.read)
        .await
        .unwrap();
    for kind in ["zones.imported", "item.added", "addresses.imported"] {
        assert!(kinds.contains(&kind.to_string()), "{kind} in {kinds:?}");
    }

    // Restarting with --demo on the same folder changes nothing.
    app.stop().await;
    let seq = borasen::events::last_seq(&app.state.db.read).await;
    assert!(seq.is_err(), "the stopped server closed its pools");
    let mut config = test_config(&app.dir);
    config.demo = true;
    let again = borasen::startup::Application::build(config).await.unwrap();
    let zones = borasen::zones::count(&again.state().db.read).await.unwrap();
    let items = borasen::inventory::count(&again.state().db.read).await.unwrap();
    assert_eq!((zones, items), (12, 14));
}

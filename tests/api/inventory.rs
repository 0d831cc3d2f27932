//! Equipment over HTTP, and the loan commands dispatch calls in-process: the
//! catalogue and its checks, a day of movements with the stock after each,
//! short stock, the low-stock alert, settling a team's return, roles.

use borasen::error::AppError;
use borasen::events::Actor;
use borasen::events::contract::dispatch::{TeamDispatched, TeamReturned};
use borasen::inventory::{self, Loan, ReturnLine};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, spawn_app_at};

const MORNING: &str = "2026-07-12T08:00:00+09:00";

async fn center() -> (TestApp, Session) {
    let app = spawn_app_at(MORNING, |_| {}).await;
    let coordinator = app.user_with_role("coord", "coordinator").await;
    (app, coordinator)
}

async fn add(coordinator: &Session, body: Value) -> Value {
    let response = coordinator.post("/api/items", &body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

fn shovel(stock: i64, threshold: i64) -> Value {
    json!({ "name": "剣スコップ", "kind": "durable", "unit": "本", "source": "purchased",
            "low_stock_threshold": threshold, "initial_stock": stock })
}

fn sandbags(stock: i64) -> Value {
    json!({ "name": "土のう袋", "kind": "consumable", "unit": "枚", "source": "donated",
            "low_stock_threshold": 0, "initial_stock": stock })
}

async fn item(coordinator: &Session, id: &Value) -> Value {
    let response = coordinator.get(&format!("/api/items/{id}")).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn stock_of(coordinator: &Session, id: &Value) -> i64 {
    item(coordinator, id).await["stock"].as_i64().unwrap()
}

/// The field and code of a refused request, after checking its status.
async fn refused(response: reqwest::Response, status: u16) -> Value {
    let code = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(code, status, "{body}");
    body["error"].clone()
}

async fn lend(app: &TestApp, team: i64, lines: &[(&Value, i64)]) -> Result<(), AppError> {
    let loans: Vec<Loan> = lines.iter().map(|(id, qty)| Loan { item_id: id.as_i64().unwrap(), qty: *qty }).collect();
    let mut tx = app.state.db.begin_write().await.unwrap();
    let actor = Actor::user("coord");
    inventory::lend(&mut tx, &app.state.clock, &actor, team, &format!("T-{team:03}"), &loans).await?;
    // What dispatch does: its own event in the same transaction.
    tx.append(&app.state.clock, &actor, None, &TeamDispatched { team_id: team, ..Default::default() }).await.unwrap();
    tx.commit().await.unwrap();
    Ok(())
}

async fn settle(app: &TestApp, team: i64, lines: &[(&Value, i64, i64, i64)]) -> Result<(), AppError> {
    let lines: Vec<ReturnLine> = lines
        .iter()
        .map(|(id, returned, lost, damaged)| ReturnLine {
            item_id: id.as_i64().unwrap(),
            returned: *returned,
            lost: *lost,
            damaged: *damaged,
        })
        .collect();
    let mut tx = app.state.db.begin_write().await.unwrap();
    let actor = Actor::user("coord");
    inventory::settle(&mut tx, &app.state.clock, &actor, team, &format!("T-{team:03}"), &lines).await?;
    tx.append(&app.state.clock, &actor, None, &TeamReturned { team_id: team, ..Default::default() }).await.unwrap();
    tx.commit().await.unwrap();
    Ok(())
}

async fn events_after(app: &TestApp, seq: i64) -> Vec<(String, Value)> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT kind, data FROM events WHERE seq > ? ORDER BY seq")
        .bind(seq)
        .fetch_all(&app.state.db.read)
        .await
        .unwrap();
    rows.into_iter().map(|(kind, data)| (kind, serde_json::from_str(&data).unwrap())).collect()
}

async fn ledger_sum(app: &TestApp, id: &Value) -> i64 {
    sqlx::query_scalar("SELECT COALESCE(SUM(delta), 0) FROM item_ledger WHERE item_id = ?")
        .bind(id.as_i64().unwrap())
        .fetch_one(&app.state.db.read)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_catalogue_checks_its_items_and_edits_need_the_version_read() {
    let (app, coordinator) = center().await;
    let before = app.last_seq().await;

    let borrowed = json!({ "name": "一輪車", "kind": "durable", "unit": "台", "source": "borrowed",
                           "low_stock_threshold": 3, "initial_stock": 12 });
    let error = refused(coordinator.post("/api/items", &borrowed).await, 422).await;
    assert_eq!(error["field"], "owner");
    let mut no_kind = borrowed.clone();
    no_kind.as_object_mut().unwrap().remove("kind");
    assert_eq!(refused(coordinator.post("/api/items", &no_kind).await, 422).await["field"], "kind");
    let mut bad_kind = borrowed.clone();
    bad_kind["kind"] = json!("wooden");
    assert_eq!(refused(coordinator.post("/api/items", &bad_kind).await, 422).await["field"], "kind");
    let mut no_name = borrowed.clone();
    no_name["name"] = json!("  ");
    assert_eq!(refused(coordinator.post("/api/items", &no_name).await, 422).await["field"], "name");
    let mut negative = borrowed.clone();
    negative["owner"] = json!("金沢市社協");
    negative["low_stock_threshold"] = json!(-1);
    assert_eq!(refused(coordinator.post("/api/items", &negative).await, 422).await["field"], "low_stock_threshold");
    assert_eq!(app.last_seq().await, before, "nothing stored for a refused item");

    let mut good = borrowed.clone();
    good["owner"] = json!("金沢市社協");
    good["code"] = json!("E-03");
    let barrow = add(&coordinator, good).await;
    assert_eq!(
        (barrow["stock"].as_i64(), barrow["out"].as_i64(), barrow["low"].as_bool(), barrow["version"].as_i64()),
        (Some(12), Some(0), Some(false), Some(1))
    );
    let events = events_after(&app, before).await;
    assert_eq!(events.len(), 1, "one command, one event: {events:?}");
    assert_eq!(events[0].0, "item.added");
    assert_eq!(events[0].1["has_owner"], true);
    assert!(events[0].1.get("owner").is_none(), "an owner may be a private person: not in the log");

    let mut same_code = shovel(10, 2);
    same_code["code"] = json!("E-03");
    let error = refused(coordinator.post("/api/items", &same_code).await, 409).await;
    assert_eq!((error["code"].as_str(), error["field"].as_str()), (Some("duplicate"), Some("code")));
    let mut same_name = shovel(10, 2);
    same_name["name"] = json!("一輪車");
    assert_eq!(refused(coordinator.post("/api/items", &same_name).await, 409).await["field"], "name");

    let list: Vec<Value> = coordinator.get("/api/items").await.json().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["name"], "一輪車");

    let path = format!("/api/items/{}", barrow["id"]);
    let edited = coordinator.patch(&path, &json!({ "version": 1, "low_stock_threshold": 4 })).await;
    assert_eq!(edited.status(), 200);
    let edited: Value = edited.json().await.unwrap();
    assert_eq!((edited["version"].as_i64(), edited["low_stock_threshold"].as_i64()), (Some(2), Some(4)));
    let stale = refused(coordinator.patch(&path, &json!({ "version": 1, "unit": "輪" })).await, 409).await;
    assert_eq!(
        (stale["code"].as_str(), stale["details"]["current_version"].as_i64()),
        (Some("stale_version"), Some(2))
    );
    let no_owner = refused(coordinator.patch(&path, &json!({ "version": 2, "owner": null })).await, 422).await;
    assert_eq!(no_owner["field"], "owner");
    let stock = refused(coordinator.patch(&path, &json!({ "version": 2, "initial_stock": 99 })).await, 422).await;
    assert_eq!(stock["field"], "initial_stock");
    assert_eq!(
        refused(coordinator.patch(&path, &json!({ "version": 2, "colour": "red" })).await, 422).await["field"],
        "colour"
    );
    assert_eq!(
        refused(coordinator.patch(&path, &json!({ "low_stock_threshold": 1 })).await, 422).await["field"],
        "version"
    );
    assert_eq!(item(&coordinator, &barrow["id"]).await["version"], 2, "refused edits change nothing");
}

#[tokio::test]
async fn a_day_of_movements_keeps_stock_equal_to_the_sum_of_the_ledger() {
    let (app, coordinator) = center().await;
    let shovels = add(&coordinator, shovel(20, 0)).await["id"].clone();
    let bags = add(&coordinator, sandbags(500)).await["id"].clone();
    let check = |expected: (i64, i64)| {
        let (app, coordinator, shovels, bags) = (&app, &coordinator, shovels.clone(), bags.clone());
        async move {
            assert_eq!((stock_of(coordinator, &shovels).await, stock_of(coordinator, &bags).await), expected);
            assert_eq!(
                (ledger_sum(app, &shovels).await, ledger_sum(app, &bags).await),
                expected,
                "stock is the ledger"
            );
        }
    };
    check((20, 500)).await;

    // 08:30 more shovels arrive.
    let received =
        coordinator.post(&format!("/api/items/{shovels}/receive"), &json!({ "qty": 10, "note": "社協から" })).await;
    assert_eq!(received.status(), 200);
    check((30, 500)).await;
    // 09:00 two teams go out.
    lend(&app, 1, &[(&shovels, 5), (&bags, 100)]).await.unwrap();
    check((25, 400)).await;
    lend(&app, 2, &[(&shovels, 4), (&shovels, 2), (&bags, 50)]).await.unwrap();
    check((19, 350)).await;
    let out: Value = coordinator.get(&format!("/api/items/{shovels}")).await.json().await.unwrap();
    assert_eq!(out["out"], 11);
    let team2 = inventory::outstanding(&app.state.db.read, 2).await.unwrap();
    assert_eq!(
        team2.iter().map(|l| (l.name.as_str(), l.qty)).collect::<Vec<_>>(),
        [("剣スコップ", 6), ("土のう袋", 50)]
    );
    // 15:00 team 1 is back: one shovel lost, one broken; 30 bags come back unused.
    settle(&app, 1, &[(&shovels, 3, 1, 1), (&bags, 30, 0, 0)]).await.unwrap();
    check((22, 380)).await;
    assert!(inventory::outstanding(&app.state.db.read, 1).await.unwrap().is_empty());
    // Team 2 brings everything back and used all its bags.
    settle(&app, 2, &[(&shovels, 6, 0, 0)]).await.unwrap();
    check((28, 380)).await;
    // 16:00 a shovel breaks at the center; 20 bags handed out at the desk.
    let broken = json!({ "qty": 1, "kind": "damaged", "reason": "柄が折れた" });
    assert_eq!(coordinator.post(&format!("/api/items/{shovels}/writeoff"), &broken).await.status(), 200);
    let handed = json!({ "qty": 20, "kind": "consumed", "reason": "受付で配布" });
    assert_eq!(coordinator.post(&format!("/api/items/{bags}/writeoff"), &handed).await.status(), 200);
    check((27, 360)).await;
    // 17:00 stocktake finds 26 shovels.
    let counted = coordinator
        .post(&format!("/api/items/{shovels}/adjust"), &json!({ "counted": 26, "reason": "夕方の棚卸" }))
        .await;
    assert_eq!(counted.status(), 200);
    check((26, 360)).await;

    let shovel_now = item(&coordinator, &shovels).await;
    assert_eq!(
        (shovel_now["out"].as_i64(), shovel_now["lost"].as_i64(), shovel_now["damaged"].as_i64()),
        (Some(0), Some(1), Some(2))
    );
    let bags_now = item(&coordinator, &bags).await;
    assert_eq!(
        (bags_now["consumed"].as_i64(), bags_now["out"].as_i64()),
        (Some(140), Some(0)),
        "120 used on site, 20 at the desk"
    );

    let ledger: Vec<Value> = coordinator.get(&format!("/api/items/{shovels}/ledger")).await.json().await.unwrap();
    let rows: Vec<(&str, i64, i64)> = ledger
        .iter()
        .map(|r| (r["movement"].as_str().unwrap(), r["qty"].as_i64().unwrap(), r["delta"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        rows,
        [
            ("received", 20, 20),
            ("received", 10, 10),
            ("lent", 5, -5),
            ("lent", 6, -6),
            ("returned", 3, 3),
            ("lost", 1, 0),
            ("damaged", 1, 0),
            ("returned", 6, 6),
            ("damaged", 1, -1),
            ("adjusted", 26, -1),
        ]
    );
    assert_eq!(ledger.iter().map(|r| r["delta"].as_i64().unwrap()).sum::<i64>(), 26);
    assert_eq!(ledger.last().unwrap()["stock_after"], 26);
    assert_eq!(ledger[3]["team_no"], "T-002");
    assert_eq!(ledger[9]["note"], "夕方の棚卸");
    assert_eq!(ledger[9]["actor"], "coord");
}

#[tokio::test]
async fn a_loan_larger_than_stock_is_refused_and_changes_nothing() {
    let (app, coordinator) = center().await;
    let shovels = add(&coordinator, shovel(5, 0)).await["id"].clone();
    let bags = add(&coordinator, sandbags(100)).await["id"].clone();
    let seq = app.last_seq().await;

    // Two lines of the same item are summed: 3 + 3 > 5.
    let error = lend(&app, 7, &[(&bags, 10), (&shovels, 3), (&shovels, 3)]).await.unwrap_err();
    assert_eq!((error.status.as_u16(), error.code), (409, "short_stock"));
    let shortages = &error.details.as_deref().unwrap()["shortages"];
    assert_eq!(shortages, &json!([{ "item_id": shovels, "name": "剣スコップ", "requested": 6, "available": 5 }]));
    assert!(error.message.ja.contains("剣スコップ") && error.message.ja.contains('5'), "{}", error.message.ja);
    assert_eq!((stock_of(&coordinator, &shovels).await, stock_of(&coordinator, &bags).await), (5, 100));
    assert_eq!(app.last_seq().await, seq, "no event");

    let unknown = lend(&app, 7, &[(&shovels, 1), (&json!(999), 1)]).await.unwrap_err();
    assert_eq!((unknown.status.as_u16(), unknown.field.as_deref()), (422, Some("loans[1].item_id")));
    let zero = lend(&app, 7, &[(&shovels, 0)]).await.unwrap_err();
    assert_eq!((zero.status.as_u16(), zero.field.as_deref()), (422, Some("loans[0].qty")));
    assert_eq!(app.last_seq().await, seq);

    lend(&app, 7, &[(&shovels, 5)]).await.unwrap();
    assert_eq!(stock_of(&coordinator, &shovels).await, 0);
    let events = events_after(&app, seq).await;
    assert_eq!(events[0].0, "items.lent");
    assert_eq!(events[0].1["team_no"], "T-007");
    assert_eq!(events[0].1["lines"], json!([{ "item_id": shovels, "name": "剣スコップ", "qty": 5, "stock": 0 }]));
}

#[tokio::test]
async fn stock_on_hand_never_goes_negative() {
    let (app, coordinator) = center().await;
    let shovels = add(&coordinator, shovel(3, 0)).await["id"].clone();
    let seq = app.last_seq().await;
    let path = format!("/api/items/{shovels}/writeoff");

    let error =
        refused(coordinator.post(&path, &json!({ "qty": 4, "kind": "lost", "reason": "不明" })).await, 409).await;
    assert_eq!((error["code"].as_str(), error["field"].as_str()), (Some("short_stock"), Some("qty")));
    assert_eq!(error["details"]["shortages"][0]["available"], 3);
    for (body, field) in [
        (json!({ "qty": 0, "kind": "lost", "reason": "x" }), "qty"),
        (json!({ "qty": 1, "kind": "stolen", "reason": "x" }), "kind"),
        (json!({ "qty": 1, "reason": "x" }), "kind"),
        (json!({ "qty": 1, "kind": "lost", "reason": " " }), "reason"),
    ] {
        assert_eq!(refused(coordinator.post(&path, &body).await, 422).await["field"], field, "{body}");
    }
    let adjust = format!("/api/items/{shovels}/adjust");
    assert_eq!(
        refused(coordinator.post(&adjust, &json!({ "counted": -1, "reason": "x" })).await, 422).await["field"],
        "counted"
    );
    assert_eq!(refused(coordinator.post(&adjust, &json!({ "counted": 2 })).await, 422).await["field"], "reason");
    assert_eq!(refused(coordinator.post(&adjust, &json!({ "reason": "x" })).await, 422).await["field"], "counted");
    let receive = format!("/api/items/{shovels}/receive");
    assert_eq!(refused(coordinator.post(&receive, &json!({ "qty": -5 })).await, 422).await["field"], "qty");
    assert_eq!(
        refused(coordinator.post("/api/items/999/receive", &json!({ "qty": 1 })).await, 404).await["code"],
        "not_found"
    );
    assert_eq!((stock_of(&coordinator, &shovels).await, app.last_seq().await), (3, seq));

    // Even a bug writing the ledger directly cannot store a negative stock.
    let mut tx = app.state.db.begin_write().await.unwrap();
    let written = sqlx::query(
        "INSERT INTO item_ledger (item_id, movement, qty, delta, at, event_seq) VALUES (?, 'lost', 4, -4, 'x', 1)",
    )
    .bind(shovels.as_i64().unwrap())
    .execute(tx.conn())
    .await;
    assert!(written.unwrap_err().to_string().contains("negative"));
    drop(tx);

    let all = json!({ "qty": 3, "kind": "lost", "reason": "流された" });
    let emptied: Value = coordinator.post(&path, &all).await.json().await.unwrap();
    assert_eq!(emptied["stock"], 0);
}

#[tokio::test]
async fn the_low_stock_alert_fires_once_per_crossing() {
    let (app, coordinator) = center().await;
    let shovels = add(&coordinator, shovel(12, 10)).await["id"].clone();
    let start = app.last_seq().await;
    let low_events = |after: i64| {
        let app = &app;
        async move {
            events_after(app, after).await.into_iter().filter(|(kind, _)| kind == "item.low_stock").collect::<Vec<_>>()
        }
    };

    lend(&app, 1, &[(&shovels, 2)]).await.unwrap(); // 10: at the threshold, not below
    assert!(low_events(start).await.is_empty());
    lend(&app, 2, &[(&shovels, 1)]).await.unwrap(); // 9: crossed
    let fired = low_events(start).await;
    assert_eq!(fired.len(), 1);
    assert_eq!((fired[0].1["stock"].as_i64(), fired[0].1["threshold"].as_i64()), (Some(9), Some(10)));
    assert_eq!(fired[0].1["name"], "剣スコップ");
    let low = inventory::low_stock(&app.state.db.read).await.unwrap();
    assert_eq!(
        low.iter().map(|l| (l.name.as_str(), l.stock, l.threshold)).collect::<Vec<_>>(),
        [("剣スコップ", 9, 10)]
    );
    assert_eq!(item(&coordinator, &shovels).await["low"], true);

    // Further down: still the same crossing.
    let lost = json!({ "qty": 2, "kind": "lost", "reason": "不明" });
    assert_eq!(coordinator.post(&format!("/api/items/{shovels}/writeoff"), &lost).await.status(), 200);
    lend(&app, 3, &[(&shovels, 1)]).await.unwrap();
    assert_eq!(low_events(start).await.len(), 1);

    // Back above, then below again: a new crossing.
    settle(&app, 2, &[(&shovels, 1, 0, 0)]).await.unwrap();
    settle(&app, 3, &[(&shovels, 1, 0, 0)]).await.unwrap();
    let back = coordinator.post(&format!("/api/items/{shovels}/receive"), &json!({ "qty": 5 })).await;
    let back: Value = back.json().await.unwrap();
    assert_eq!((back["stock"].as_i64(), back["low"].as_bool()), (Some(13), Some(false)), "team 1 still has 2 out");
    assert!(inventory::low_stock(&app.state.db.read).await.unwrap().is_empty());
    let counted = json!({ "counted": 4, "reason": "棚卸" });
    assert_eq!(coordinator.post(&format!("/api/items/{shovels}/adjust"), &counted).await.status(), 200);
    let fired = low_events(start).await;
    assert_eq!(fired.len(), 2);
    assert_eq!(fired[1].1["stock"], 4);

    // A threshold raised over the stock makes an item low without a movement.
    let bags = add(&coordinator, sandbags(100)).await;
    let seq = app.last_seq().await;
    let raised = coordinator
        .patch(&format!("/api/items/{}", bags["id"]), &json!({ "version": 1, "low_stock_threshold": 200 }))
        .await;
    assert_eq!(raised.status(), 200);
    assert_eq!(low_events(seq).await.len(), 1);
}

#[tokio::test]
async fn a_return_completes_only_when_every_durable_tool_is_accounted_for() {
    let (app, coordinator) = center().await;
    let shovels = add(&coordinator, shovel(10, 0)).await["id"].clone();
    let bags = add(&coordinator, sandbags(200)).await["id"].clone();
    let saw = add(
        &coordinator,
        json!({ "name": "のこぎり", "kind": "durable", "unit": "本", "source": "purchased", "initial_stock": 2 }),
    )
    .await["id"]
        .clone();
    lend(&app, 4, &[(&shovels, 4), (&bags, 50)]).await.unwrap();
    let seq = app.last_seq().await;

    // Three shovels back, nothing said of the fourth: refused, nothing stored.
    let error = settle(&app, 4, &[(&shovels, 3, 0, 0), (&bags, 10, 0, 0)]).await.unwrap_err();
    assert_eq!((error.status.as_u16(), error.code), (409, "equipment_shortfall"));
    assert_eq!(
        error.details.as_deref().unwrap()["shortfalls"],
        json!([{ "item_id": shovels, "name": "剣スコップ", "out": 4, "accounted": 3 }])
    );
    // Forgetting a durable line altogether is a shortfall too.
    let error = settle(&app, 4, &[(&bags, 50, 0, 0)]).await.unwrap_err();
    assert_eq!(error.details.as_deref().unwrap()["shortfalls"][0]["accounted"], 0);
    // More than was out, a tool the team never took, a negative count: 422.
    let error = settle(&app, 4, &[(&shovels, 5, 0, 0)]).await.unwrap_err();
    assert_eq!((error.status.as_u16(), error.field.as_deref()), (422, Some("returns[0].returned")));
    let error = settle(&app, 4, &[(&shovels, 4, 0, 0), (&saw, 1, 0, 0)]).await.unwrap_err();
    assert_eq!((error.status.as_u16(), error.field.as_deref()), (422, Some("returns[1].item_id")));
    assert!(error.message.ja.contains("のこぎり"));
    let error = settle(&app, 4, &[(&shovels, 4, -1, 0)]).await.unwrap_err();
    assert_eq!((error.status.as_u16(), error.field.as_deref()), (422, Some("returns[0].lost")));
    assert_eq!(app.last_seq().await, seq);
    assert_eq!((stock_of(&coordinator, &shovels).await, stock_of(&coordinator, &bags).await), (6, 150));

    // The fourth recorded as lost: the return completes; 40 unreturned bags were used.
    settle(&app, 4, &[(&shovels, 3, 1, 0), (&bags, 10, 0, 0)]).await.unwrap();
    assert_eq!((stock_of(&coordinator, &shovels).await, stock_of(&coordinator, &bags).await), (9, 160));
    let returned = events_after(&app, seq).await;
    assert_eq!(returned[0].0, "items.returned");
    let lines = &returned[0].1["lines"];
    assert_eq!(
        (lines[0]["returned"].as_i64(), lines[0]["lost"].as_i64(), lines[1]["consumed"].as_i64()),
        (Some(3), Some(1), Some(40))
    );
    let bag_item = item(&coordinator, &bags).await;
    assert_eq!((bag_item["consumed"].as_i64(), bag_item["out"].as_i64()), (Some(40), Some(0)));
    assert!(inventory::outstanding(&app.state.db.read, 4).await.unwrap().is_empty());
    assert_eq!(inventory::stock(&app.state.db.read, shovels.as_i64().unwrap()).await.unwrap(), 9);

    // Nothing left out: settling again writes nothing, and any line is 422.
    let seq = app.last_seq().await;
    settle(&app, 4, &[]).await.unwrap();
    assert_eq!(events_after(&app, seq).await.iter().filter(|(k, _)| k.starts_with("items.")).count(), 0);
    assert_eq!(settle(&app, 4, &[(&shovels, 1, 0, 0)]).await.unwrap_err().status.as_u16(), 422);
}

#[tokio::test]
async fn reception_may_look_but_only_coordinators_change_equipment() {
    let (app, coordinator) = center().await;
    let shovels = add(&coordinator, shovel(10, 2)).await["id"].clone();
    let desk = app.user_with_role("desk", "reception").await;
    assert_eq!(desk.get("/api/items").await.status(), 200);
    assert_eq!(desk.get(&format!("/api/items/{shovels}/ledger")).await.status(), 200);
    for (path, body) in [
        ("/api/items".to_string(), shovel(1, 0)),
        (format!("/api/items/{shovels}/receive"), json!({ "qty": 1 })),
        (format!("/api/items/{shovels}/adjust"), json!({ "counted": 1, "reason": "x" })),
        (format!("/api/items/{shovels}/writeoff"), json!({ "qty": 1, "kind": "lost", "reason": "x" })),
    ] {
        assert_eq!(desk.post(&path, &body).await.status(), 403, "{path}");
    }
    assert_eq!(
        desk.patch(&format!("/api/items/{shovels}"), &json!({ "version": 1, "unit": "丁" })).await.status(),
        403
    );
    assert_eq!(stock_of(&coordinator, &shovels).await, 10);
    let anonymous = reqwest::get(app.url("/api/items")).await.unwrap();
    assert_eq!(anonymous.status(), 401);

    // The page: coordinators; others get the message page; nobody signed in goes to the login.
    let no_redirect = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let login = no_redirect.get(app.url("/inventory")).send().await.unwrap();
    assert_eq!((login.status().as_u16(), login.headers()["location"].to_str().unwrap()), (303, "/login"));
    let refused = desk.get("/inventory").await;
    assert_eq!(refused.status(), 403);
    assert!(refused.text().await.unwrap().contains("権限"));
}

#[tokio::test]
async fn the_equipment_page_shows_stock_loans_and_what_goes_back_to_its_owner() {
    let (app, coordinator) = center().await;
    let barrow = add(
        &coordinator,
        json!({ "name": "一輪車", "kind": "durable", "unit": "台", "source": "rented", "owner": "北陸レンタル",
                "low_stock_threshold": 3, "initial_stock": 4 }),
    )
    .await["id"]
        .clone();
    lend(&app, 12, &[(&barrow, 2)]).await.unwrap();
    let page = coordinator.get("/inventory").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for text in [
        "一輪車",
        "不足",
        "T-012",
        "一輪車 2台",
        "閉所時に返却するもの",
        "北陸レンタル",
        "/assets/inventory.js",
        "/assets/inventory.css",
    ] {
        assert!(html.contains(text), "{text} on the page");
    }
    for asset in ["/assets/inventory.js", "/assets/inventory.css"] {
        assert_eq!(reqwest::get(app.url(asset)).await.unwrap().status(), 200, "{asset}");
    }
}

#[tokio::test]
async fn a_coordinator_receives_and_writes_off_on_the_equipment_page() {
    let Some(mut browser) = crate::browser::Browser::launch().await else { return };
    let app = crate::helpers::spawn_app_with(|c| {
        c.demo = true;
        c.demo_password = Some("demo-pass-2026".into());
    })
    .await;
    browser.log_in(&app, "coordinator", "demo-pass-2026").await;
    browser.goto(&app.url("/inventory")).await;
    let row = "document.querySelector('#items-list tr[data-name=\"剣スコップ\"]')";
    browser.eval(&format!("{row}.querySelector('.open-item').click()")).await;
    browser
        .wait_for(
            "!document.getElementById('detail').hidden && document.querySelectorAll('#ledger tbody tr').length === 1",
        )
        .await;

    // More than on hand: refused beside the field, nothing changes.
    browser
        .eval(
            "{ const f = document.getElementById('writeoff-form'); f.elements.qty.value = '100'; \
             f.elements.reason.value = '流出'; f.requestSubmit(); }",
        )
        .await;
    browser
        .wait_for("document.querySelector('#writeoff-form .field-error[data-for=qty]').textContent.includes('在庫')")
        .await;

    browser
        .eval("{ const f = document.getElementById('receive-form'); f.elements.qty.value = '5'; f.requestSubmit(); }")
        .await;
    browser
        .wait_for("location.search === '?item=1' && document.querySelectorAll('#ledger tbody tr').length === 2")
        .await;
    let stock = browser.eval(&format!("{row}.querySelector('.stock strong').textContent")).await;
    assert_eq!(stock, "65");
    let newest = browser.eval("document.querySelector('#ledger tbody tr').textContent").await;
    assert!(newest.as_str().unwrap().contains("入庫"), "{newest}");
    browser.screenshot("inventory.png").await;
}

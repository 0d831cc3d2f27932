//! The event contract against old rows: databases written before the contract
//! existed (tests/fixtures/events/) still decode, evaluate and report the same.
//!
//! The fixtures were written once by the code before the contract, with
//! `BORASEN_WRITE_EVENT_FIXTURES=1 cargo test --test api events_contract::write_center_fixture -- --ignored`
//! (the center) and `borasen drill run drills/<scenario>.toml --fast --autopilot` (the drills).
//! Rewriting them with today's code would prove nothing: keep them.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::dispatch::{Center, center, volunteer};

/// A test's own event, of no domain (the writer's tests need one): data `{}`.
#[derive(serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Probe {}

impl borasen::events::EventPayload for Probe {
    const KIND: &'static str = "test.probe";
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/events")
}

/// The days the center fixture covers.
pub const CENTER_DAYS: [&str; 2] = ["2026-07-12", "2026-07-13"];

async fn ok(response: reqwest::Response, status: u16) -> Value {
    let code = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(code, status, "{text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

fn person(i: usize, day: &str) -> Value {
    json!({
        "name": format!("事前 登録{i}"), "furigana": "ジゼン トウロク", "birth_date": "1990-01-01",
        "phone": format!("080-3000-{i:04}"), "address": "石川県金沢市", "emergency_name": "家族",
        "emergency_phone": "076-220-2111", "insurance": "enrolled", "preferred_dates": [day],
    })
}

fn need_card(i: usize, zone: &str, categories: Value) -> Value {
    json!({
        "received_via": "phone", "requester_name": format!("依頼者 {i}"), "phone": format!("076-200-{i:04}"),
        "address": format!("金沢市香林坊2-{i}"), "categories": categories, "people_needed": 2,
        "zone": zone, "force_new": true,
    })
}

async fn item_id(c: &Center, name: &str) -> i64 {
    let items: Value = c.coordinator.get("/api/items").await.json().await.unwrap();
    items.as_array().unwrap().iter().find(|i| i["name"] == name).unwrap()["id"].as_i64().unwrap()
}

/// Two days of a demo center through its API: every kind of event a center
/// (not a drill) writes.
async fn two_days(c: &Center) -> Vec<i64> {
    let admin = c.app.admin().await;
    ok(admin.put("/api/capacity/2026-07-13", &json!({ "capacity": 50 })).await, 200).await;
    ok(admin.post("/api/board/notices", &json!({ "text": "熱中症に注意", "lobby": true })).await, 201).await;
    let helper = c.app.user_with_role("helper", "reception").await;
    ok(helper.delete("/api/session").await, 204).await;
    for _ in 0..6 {
        let _ = reqwest::Client::new()
            .post(c.app.url("/api/session"))
            .json(&json!({ "username": "helper", "password": "wrong" }))
            .send()
            .await
            .unwrap();
    }

    // Reception: walk-ins, a pre-registration, a group, a cancelled check-in, insurance at the desk.
    let mut ids = Vec::new();
    for i in 0..6 {
        ids.push(volunteer(c, i, if i == 5 { "none" } else { "enrolled" }, true).await);
    }
    let public = reqwest::Client::new()
        .post(c.app.url("/api/public/registrations"))
        .json(&person(1, "2026-07-12"))
        .send()
        .await
        .unwrap();
    ok(public, 201).await;
    let mut group = person(2, "2026-07-12");
    group["kind"] = json!("group");
    group["group_name"] = json!("金沢青年会");
    group["group_size"] = json!(4);
    let group = reqwest::Client::new().post(c.app.url("/api/public/registrations")).json(&group).send().await.unwrap();
    let group_status = group.status().as_u16();
    let _ = group.text().await;
    assert!(group_status == 201 || group_status == 422, "group registration: {group_status}");
    let late = volunteer(c, 6, "enrolled", true).await;
    ok(c.desk.post("/api/checkins/cancel", &json!({ "volunteer_id": late })).await, 200).await;
    ok(
        c.desk
            .post(
                &format!("/api/volunteers/{}/insurance", ids[5]),
                &json!({ "insurance": "enrolled_at_desk", "insurance_plan": "基本タイプ", "insurance_fee_yen": 350 }),
            )
            .await,
        200,
    )
    .await;

    // Needs: intake, edits, a survey, moves by hand, a reopen.
    let mut needs = Vec::new();
    for (i, (zone, categories)) in
        [("香林坊", json!(["mud"])), ("片町", json!(["mud", "belongings"])), ("香林坊", json!(["cleaning"]))]
            .into_iter()
            .enumerate()
    {
        needs.push(ok(c.coordinator.post("/api/needs", &need_card(i + 1, zone, categories)).await, 201).await);
    }
    let third = &needs[2];
    let path = format!("/api/needs/{}", third["id"]);
    let edited =
        ok(c.coordinator.patch(&path, &json!({ "version": 1, "people_needed": 4, "priority": 1 })).await, 200).await;
    let moved =
        ok(c.coordinator.patch(&path, &json!({ "version": edited["version"], "status": "surveying" })).await, 200)
            .await;
    let surveyed = ok(
        c.coordinator
            .patch(
                &path,
                &json!({ "version": moved["version"], "survey": { "surveyor": "調査 班長", "findings": "床下に泥" } }),
            )
            .await,
        200,
    )
    .await;
    let done = ok(
        c.coordinator
            .patch(&path, &json!({ "version": surveyed["version"], "status": "cancelled", "reason": "業者に依頼" }))
            .await,
        200,
    )
    .await;
    ok(
        c.coordinator
            .patch(
                &path,
                &json!({ "version": done["version"], "status": "waiting", "reopen": true, "reason": "再流入" }),
            )
            .await,
        200,
    )
    .await;

    // Equipment: a new item, an edit, stock in, a count, a write-off.
    let item = ok(
        c.coordinator
            .post(
                "/api/items",
                &json!({ "name": "土のう袋（大）", "kind": "consumable", "unit": "枚", "source": "purchased",
                         "low_stock_threshold": 5, "initial_stock": 20 }),
            )
            .await,
        201,
    )
    .await;
    let item_path = format!("/api/items/{}", item["id"]);
    ok(c.coordinator.patch(&item_path, &json!({ "version": 1, "low_stock_threshold": 8 })).await, 200).await;
    ok(c.coordinator.post(&format!("{item_path}/receive"), &json!({ "qty": 10, "note": "社協から" })).await, 200).await;
    ok(c.coordinator.post(&format!("{item_path}/adjust"), &json!({ "counted": 28, "reason": "棚卸" })).await, 200)
        .await;
    ok(
        c.coordinator
            .post(&format!("{item_path}/writeoff"), &json!({ "qty": 22, "kind": "consumed", "reason": "配布" }))
            .await,
        200,
    )
    .await;

    // Teams: two out with loans, one back done with an injury, one back continuing, one overdue.
    let (shovel, bags) = (item_id(c, "剣スコップ").await, item_id(c, "土のう袋").await);
    let a = ok(
        c.coordinator
            .post(
                "/api/teams",
                &json!({ "need_id": needs[0]["id"], "member_ids": [ids[0], ids[1]], "loans": [
                    { "item_id": shovel, "qty": 2 }, { "item_id": bags, "qty": 10 } ] }),
            )
            .await,
        201,
    )
    .await;
    let b = ok(
        c.coordinator
            .post(
                "/api/teams",
                &json!({ "need_id": needs[1]["id"], "member_ids": [ids[2], ids[3]], "loans": [{ "item_id": shovel, "qty": 1 }] }),
            )
            .await,
        201,
    )
    .await;
    let overdue = ok(
        c.coordinator
            .post(
                "/api/teams",
                &json!({ "zone": "片町", "headcount": 1, "member_ids": [ids[4]], "return_by": "11:00" }),
            )
            .await,
        201,
    )
    .await;
    c.app.state.clock.advance(chrono::Duration::minutes(150));
    assert_eq!(borasen::dispatch::overdue::sweep(&c.app.state.db, &c.app.state.clock).await.unwrap(), 1);
    ok(
        c.coordinator
            .post(
                &format!("/api/teams/{}/return", a["id"]),
                &json!({ "version": 1, "outcome": "done", "injury": "切り傷（軽傷）", "returns": [
                    { "item_id": shovel, "returned": 1, "lost": 1 }, { "item_id": bags, "returned": 4 } ],
                    "new_needs": [{ "requester_name": "隣家 住人", "address": "金沢市香林坊2-9", "categories": ["belongings"], "people_needed": 3 }] }),
            )
            .await,
        200,
    )
    .await;
    ok(
        c.coordinator
            .post(
                &format!("/api/teams/{}/return", b["id"]),
                &json!({ "version": 1, "outcome": "continue", "returns": [{ "item_id": shovel, "returned": 1 }] }),
            )
            .await,
        200,
    )
    .await;
    ok(
        c.coordinator
            .post(&format!("/api/teams/{}/return", overdue["id"]), &json!({ "version": 1, "outcome": "done" }))
            .await,
        200,
    )
    .await;
    ok(c.coordinator.post("/api/center/suspend", &json!({ "reason": "雷注意報" })).await, 200).await;
    c.app.state.clock.advance(chrono::Duration::minutes(30));
    ok(c.coordinator.post("/api/center/resume", &json!({})).await, 200).await;
    for id in [ids[0], ids[1], ids[2]] {
        ok(c.desk.post("/api/checkouts", &json!({ "volunteer_id": id })).await, 200).await;
    }

    // Day two: one comes back, one new face, one more team.
    c.app.state.clock.advance(chrono::Duration::hours(24));
    ok(c.desk.post("/api/checkins", &json!({ "volunteer_id": ids[0], "health_ok": true })).await, 201).await;
    let new = volunteer(c, 7, "enrolled", true).await;
    let team = ok(
        c.coordinator.post("/api/teams", &json!({ "need_id": needs[1]["id"], "member_ids": [ids[0], new] })).await,
        201,
    )
    .await;
    c.app.state.clock.advance(chrono::Duration::minutes(120));
    ok(
        c.coordinator
            .post(&format!("/api/teams/{}/return", team["id"]), &json!({ "version": 1, "outcome": "done" }))
            .await,
        200,
    )
    .await;
    for id in [ids[0], new] {
        ok(c.desk.post("/api/checkouts", &json!({ "volunteer_id": id })).await, 200).await;
    }
    ids.push(new);
    ids
}

/// The figures the fixture's reports showed: 日報 for each day, the summary,
/// and the teams on the certificates of those who checked out.
pub async fn figures(c: &Center, volunteers: &[i64]) -> Value {
    let mut daily = serde_json::Map::new();
    for day in CENTER_DAYS {
        daily.insert(day.into(), ok(c.coordinator.get(&format!("/api/reports/daily?date={day}")).await, 200).await);
    }
    let summary = ok(c.coordinator.get("/api/reports/summary").await, 200).await;
    let mut certificates = Vec::new();
    for &id in volunteers {
        for day in CENTER_DAYS {
            let day = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
            let state = &c.app.state;
            let today = state.clock.activity_day();
            if let Ok(certificate) = borasen::reports::certificate::for_day(&state.db, id, day, today).await {
                let activities: Vec<Value> = certificate
                    .activities
                    .iter()
                    .map(|a| json!({ "team_no": a.team_no, "zone": a.zone, "categories": format!("{:?}", a.categories) }))
                    .collect();
                certificates.push(json!({ "volunteer_id": id, "day": day, "activities": activities }));
            }
        }
    }
    json!({ "daily": daily, "summary": summary, "certificates": certificates })
}

#[tokio::test]
#[ignore = "writes the fixture; run once by hand with the code before the contract"]
async fn write_center_fixture() {
    assert!(std::env::var_os("BORASEN_WRITE_EVENT_FIXTURES").is_some(), "set BORASEN_WRITE_EVENT_FIXTURES=1");
    let mut c = center().await;
    let volunteers = two_days(&c).await;
    let figures = figures(&c, &volunteers).await;
    let database = c.app.state.db.path().to_path_buf();
    c.app.stop().await;
    let out = fixtures();
    std::fs::create_dir_all(&out).unwrap();
    let target = out.join("center.sqlite");
    let _ = std::fs::remove_file(&target);
    // VACUUM INTO: one self-contained file, the WAL folded in.
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", database.display())).await.unwrap();
    sqlx::query("VACUUM INTO ?").bind(target.display().to_string()).execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    let figures = json!({ "volunteers": volunteers, "figures": figures });
    std::fs::write(out.join("center.figures.json"), serde_json::to_string_pretty(&figures).unwrap() + "\n").unwrap();
}

/// A copy of a fixture database in a temp folder (tests never touch the committed file).
fn copy_of(name: &str, dir: &Path, as_name: &str) -> PathBuf {
    let target = dir.join(as_name);
    std::fs::copy(fixtures().join(name), &target).unwrap();
    target
}

/// A drill file written before the contract evaluates to the AAR written then.
async fn drill_reevaluates_to_its_aar(stem: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_of(&format!("{stem}.sqlite"), dir.path(), "drill.sqlite");
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join(format!("{stem}.aar.json"))).unwrap()).unwrap();
    let db = borasen::db::Db::open(&path, borasen::events::EventBus::new(16), true).await.unwrap();
    let events = borasen::events::since(&db.read, 0, i64::MAX).await.unwrap();
    let now = chrono::DateTime::parse_from_rfc3339(written["generated_at"].as_str().unwrap()).unwrap();
    let participants = borasen::drill::unattended::participants(&db, &events).await.unwrap();
    let again = borasen::drill::aar::rebuild(&events, now, participants).expect("the drill's own scenario");
    db.close().await;
    let mut again = serde_json::to_value(&again).unwrap();
    let mut written = written;
    // Issue 16: the reception figures count people, not registrations (a group of
    // 25 is 25). Those of an old file are its arrivals' head counts now; the rest
    // of the report is unchanged.
    let fired: Vec<Value> = events.iter().filter(|e| e.kind == "drill.inject_fired").map(|e| e.data.clone()).collect();
    for (then, now) in written["metrics"]["reception_by_inject"]
        .as_array()
        .unwrap()
        .iter()
        .zip(again["metrics"]["reception_by_inject"].as_array().unwrap())
    {
        let inject = fired.iter().find(|f| f["inject"] == now["inject"]).unwrap();
        assert_eq!(now["volunteers"], inject["headcount"], "{stem}: people, as the arrival brought them");
        assert!(now["volunteers"].as_u64() >= then["volunteers"].as_u64(), "{stem}: {then} {now}");
    }
    for changed in ["reception_wait", "reception_by_inject", "lead_time", "never_dispatched_people"] {
        for aar in [&mut again, &mut written] {
            aar["metrics"].as_object_mut().unwrap().remove(changed);
        }
    }
    assert_eq!(again, written, "{stem}: the AAR of an old drill file changed");
}

#[tokio::test]
async fn an_old_quake_drill_reevaluates_to_the_same_aar() {
    drill_reevaluates_to_its_aar("drill-quake-day1").await;
}

#[tokio::test]
async fn an_old_rain_drill_reevaluates_to_the_same_aar() {
    drill_reevaluates_to_its_aar("drill-rain-day3").await;
}

/// The center fixture served again, at the moment its figures were taken.
async fn old_center(dir: &Path) -> Center {
    copy_of("center.sqlite", dir, "borasen.sqlite");
    let data = dir.to_path_buf();
    let app = crate::helpers::spawn_app_at("2026-07-13T14:00:00+09:00", |c| c.data_dir = data).await;
    let coordinator = app.client_for("coordinator", "demo-pass-2026").await;
    let desk = app.client_for("reception", "demo-pass-2026").await;
    Center { app, coordinator, desk }
}

#[tokio::test]
async fn an_old_center_reports_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let c = old_center(dir.path()).await;
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("center.figures.json")).unwrap()).unwrap();
    let volunteers: Vec<i64> = written["volunteers"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
    let now = figures(&c, &volunteers).await;
    assert_eq!(now["daily"], written["figures"]["daily"], "日報");
    assert_eq!(now["summary"], written["figures"]["summary"], "the summary");
    assert_eq!(now["certificates"], written["figures"]["certificates"], "活動証明書");
    assert!(!now["certificates"].as_array().unwrap().is_empty());
}

/// Every row of every fixture decodes as its kind's type, and writing that
/// value gives back the row's data exactly: today's types read yesterday's
/// rows, and today's writers write what yesterday's did.
#[tokio::test]
async fn every_old_row_decodes_into_its_kind_and_writes_back_the_same_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for (name, drill) in [("center.sqlite", false), ("drill-quake-day1.sqlite", true), ("drill-rain-day3.sqlite", true)]
    {
        let path = copy_of(name, dir.path(), name);
        let db = borasen::db::Db::open(&path, borasen::events::EventBus::new(16), drill).await.unwrap();
        let events = borasen::events::since(&db.read, 0, i64::MAX).await.unwrap();
        assert!(events.len() > 50, "{name}: a fixture with real activity");
        for event in &events {
            let payload = event.payload().unwrap_or_else(|e| panic!("{name} seq {}: {e}", event.seq));
            assert_eq!(payload.kind(), event.kind);
            assert_eq!(payload.to_data(), event.data, "{name} seq {} ({})", event.seq, event.kind);
            kinds.insert(event.kind.clone());
        }
        db.close().await;
    }
    assert!(kinds.len() >= 35, "the fixtures cover most kinds: {kinds:?}");
}

/// Every kind the board's feed shows has its line in the catalogue, in both
/// languages (`js.board.kind.<kind>`, `.` as `_`, which `board.js` looks up),
/// and every such line belongs to a kind the board shows.
#[test]
fn the_board_has_words_for_every_kind_it_shows() {
    use borasen::events::contract::KINDS;
    use borasen::i18n::{Lang, catalogue};
    let script = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/web/board.js")).unwrap();
    assert!(
        script.contains("\"board.kind.\" + e.kind.replace(\".\", \"_\")"),
        "board.js looks the feed's words up by kind"
    );
    for lang in [Lang::Ja, Lang::En] {
        let words = catalogue::all(lang);
        let key = |kind: &str| format!("js.board.kind.{}", kind.replacen('.', "_", 1));
        for kind in KINDS.iter().filter(|k| k.board) {
            assert!(words.contains_key(&key(kind.kind)), "{lang:?}: no words for {} on the board", kind.kind);
        }
        for line in words.keys().filter(|k| k.starts_with("js.board.kind.")) {
            assert!(
                KINDS.iter().any(|k| k.board && key(k.kind) == *line),
                "{lang:?}: {line} belongs to no kind the board shows"
            );
        }
    }
}

#[tokio::test]
async fn the_kinds_are_served_to_the_board() {
    let dir = tempfile::tempdir().unwrap();
    let c = old_center(dir.path()).await;
    let kinds: Value = ok(c.coordinator.get("/api/events/kinds").await, 200).await;
    let kinds = kinds.as_array().unwrap();
    assert_eq!(kinds.len(), borasen::events::contract::KINDS.len());
    assert!(kinds.iter().any(|k| k["kind"] == "team.dispatched" && k["board"] == true));
    assert_eq!(c.desk.get("/api/events/kinds").await.status(), 403);
}

//! Issue 16 §3 and §7: times mean what they say (`+HH:MM` from the start or
//! the drill day's clock `HH:MM`; negatives, clock times before the start and
//! anything past the end refused with line and field by `drill check` and on
//! loading), the console lists injects in time order, a `slip = "caller"`
//! call leaves the card to the player, and a school group arrives as minors,
//! uninsured, with its bus, counted in the AAR by head.

use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, spawn_app_at};

const PASSWORD: &str = "drill-pass-2026";

/// Four hours from 08:30; injects written out of time order, in both forms.
const TIMES: &str = r#"id = "times"
title = "時刻の書き方"
hazard = "大雨"
sim_start = "2026-07-12T08:30:00+09:00"
duration = "4h"

[[injects]]
id = 30
at = "10:05"
kind = "situation_update"
message = "10:05 の連絡"

[[injects]]
id = 10
at = "+00:30"
kind = "situation_update"
message = "開始30分後の連絡"

[[injects]]
id = 20
after = { inject = 10, delay = "1h" }
kind = "situation_update"
message = "10 の1時間後"

[[injects]]
id = 5
at = "10:00"
kind = "situation_update"
message = "10:00 の連絡"
"#;

fn borasen(args: &[&std::ffi::OsStr]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_borasen"))
        .args(args)
        .env("BORASEN_DEMO_PASSWORD", PASSWORD)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

/// `TIMES` with inject `id`'s `at` written as `at`: (file text, the line of that `at`).
fn with_at(id: u32, at: &str) -> (String, usize) {
    let header = format!("id = {id}\nat = \"");
    let start = TIMES.find(&header).unwrap_or_else(|| panic!("inject {id}"));
    let value_start = start + header.len();
    let value_end = value_start + TIMES[value_start..].find('"').unwrap();
    let text = format!("{}{at}{}", &TIMES[..value_start], &TIMES[value_end..]);
    let line = text[..value_start].matches('\n').count() + 1;
    (text, line)
}

#[test]
fn drill_check_reads_clock_times_and_refuses_negatives_early_clock_times_and_past_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("times.toml");
    std::fs::write(&good, TIMES).unwrap();
    let output = borasen(&["drill".as_ref(), "check".as_ref(), good.as_os_str()]);
    assert!(output.status.success(), "both forms pass: {}", String::from_utf8_lossy(&output.stderr));

    for (name, id, at, says) in [
        ("negative.toml", 10, "-00:10", "負の時間"),
        ("before.toml", 30, "08:20", "訓練の開始（08:30）より前"),
        ("past-offset.toml", 10, "+05:00", "訓練の終わり（+04:00、12:30）より後"),
        ("past-clock.toml", 5, "13:00", "訓練の終わり（+04:00、12:30）より後"),
        ("form.toml", 5, "9:30", "09:30（訓練日の時刻）"),
    ] {
        let (text, line) = with_at(id, at);
        let path = dir.path().join(name);
        std::fs::write(&path, &text).unwrap();
        let output = borasen(&["drill".as_ref(), "check".as_ref(), path.as_os_str()]);
        assert_eq!(output.status.code(), Some(1), "{name}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(&format!("{name}:{line}: injects[id={id}].at: ")), "{name}: {stderr}");
        assert!(stderr.contains(says), "{name}: {stderr}");
        assert!(stderr.contains("1 件の問題"), "only that one: {stderr}");

        // Loading refuses it the same way: nothing runs.
        let out = dir.path().join("out");
        let args = ["drill".as_ref(), "run".as_ref(), path.as_os_str(), "--fast".as_ref(), "--out".as_ref()];
        let output = borasen(&[&args[..], &[out.as_os_str()]].concat());
        assert_eq!(output.status.code(), Some(1), "drill run {name}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(&format!("{name}:{line}: injects[id={id}].at")), "drill run {name}: {stderr}");
        assert!(!out.join("drills").exists(), "drill run {name} ran nothing");
    }
}

struct Drill {
    app: TestApp,
    trainer: Session,
    coordinator: Session,
    reception: Session,
    _dir: tempfile::TempDir,
}

async fn drill_of(scenario: &str) -> Drill {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scenario.toml");
    std::fs::write(&file, scenario).unwrap();
    let start = scenario.lines().find_map(|l| l.strip_prefix("sim_start = \"")).unwrap().trim_end_matches('"');
    let app = spawn_app_at(start, move |c| {
        c.drill = Some(file);
        c.demo_password = Some(PASSWORD.into());
    })
    .await;
    let trainer = app.client_for("trainer", PASSWORD).await;
    let coordinator = app.client_for("coordinator", PASSWORD).await;
    let reception = app.client_for("reception", PASSWORD).await;
    assert_eq!(trainer.post("/api/drill/start", &json!({})).await.status(), 200);
    Drill { app, trainer, coordinator, reception, _dir: dir }
}

impl Drill {
    async fn advance(&self, minutes: i64) {
        self.app.state.clock.advance(Duration::minutes(minutes));
        self.app.state.drill.as_ref().unwrap().step().await.unwrap();
    }

    async fn status(&self) -> Value {
        self.trainer.get("/api/drill").await.json().await.unwrap()
    }

    async fn fired(&self, inject: u64) -> Value {
        let events = self.app.state.drill.as_ref().unwrap().events().await.unwrap();
        let fired = events.iter().find(|e| e.kind == "drill.inject_fired" && e.data["inject"] == inject);
        fired.map(|e| e.data.clone()).unwrap_or_else(|| panic!("inject {inject} fired"))
    }
}

#[tokio::test]
async fn the_console_lists_injects_in_time_order_and_a_clock_time_fires_on_the_clock() {
    let d = drill_of(TIMES).await;
    let ids = |status: &Value| -> Vec<u64> {
        status["injects"].as_array().unwrap().iter().map(|i| i["id"].as_u64().unwrap()).collect()
    };
    let status = d.status().await;
    assert_eq!(ids(&status), [10, 20, 5, 30], "by time; 20 and 5 both at 10:00, in the file's order");
    let thirty = &status["injects"][3];
    assert_eq!(
        (thirty["when"].as_str(), thirty["scheduled"].as_str()),
        (Some("+01:35"), Some("2026-07-12T10:05:00+09:00"))
    );

    // A minute at a time, as the server's ticker steps it.
    for _ in 0..94 {
        d.advance(1).await;
    }
    let status = d.status().await;
    assert_eq!(status["injects"][3]["status"], "pending", "not before 10:05");
    d.advance(1).await;
    let status = d.status().await;
    assert_eq!(ids(&status), [10, 20, 5, 30]);
    let fired: Vec<&str> =
        status["injects"].as_array().unwrap().iter().map(|i| i["fired_at"].as_str().unwrap()).collect();
    assert_eq!(
        fired,
        [
            "2026-07-12T09:00:00+09:00",
            "2026-07-12T10:00:00+09:00",
            "2026-07-12T10:00:00+09:00",
            "2026-07-12T10:05:00+09:00"
        ],
        "+00:30; an hour after it; 10:00 and 10:05 on the clock"
    );
}

const CALLS: &str = r#"id = "slips"
title = "電話メモ"
hazard = "大雨"
sim_start = "2026-07-12T08:00:00+09:00"
duration = "2h"

[[injects]]
id = 2
at = "+00:10"
kind = "household_request"
to = "needs"
payload = { name = "中村 一郎", phone = "076-222-1111", address = "金沢市此花町1-1", needs_care = true, categories = ["泥出し"], priority = 1, people = 5 }

[[injects]]
id = 3
at = "08:10"
kind = "household_request"
to = "needs"
message = "08:10 電話。小立野の宮下さんの娘さんから。「車いすの母と二人暮らし。床下の土で臭いがひどい」"
expect = { text = "受付票を登録する", within = "15m", detect = { need_received = { inject = 3 } } }
[injects.payload]
slip = "caller"
name = "宮下 春江"
furigana = "ミヤシタ ハルエ"
phone = "076-231-4410"
address = "金沢市小立野二丁目3-4"
household = "80代の母（車いす）と50代の娘の二人暮らし"
needs_care = true
elderly_only = false
damage = ["土砂流入"]
categories = ["床下"]
priority = 1
people = 5
"#;

#[tokio::test]
async fn a_caller_slip_carries_the_callers_words_and_the_player_fills_the_card() {
    let d = drill_of(CALLS).await;
    d.advance(10).await;
    let inbox: Value = d.coordinator.get("/api/drill/inbox?since=0").await.json().await.unwrap();
    let call = |inject: u64| {
        inbox["messages"].as_array().unwrap().iter().find(|m| m["inject"] == inject).unwrap()["call"].clone()
    };
    let card = call(2);
    assert_eq!((card["priority"].as_i64(), card["needs_care"].as_bool()), (Some(1), Some(true)), "the default");
    assert_eq!(card["categories"], json!(["mud"]));

    let mut slip = call(3);
    assert_eq!(slip["requester_name"], "宮下 春江");
    assert_eq!(slip["phone"], "076-231-4410");
    assert_eq!(slip["address"], "金沢市小立野二丁目3-4");
    assert_eq!(slip["household_notes"], "80代の母（車いす）と50代の娘の二人暮らし");
    assert!(slip["priority"].is_null() && slip["people_needed"].is_null(), "{slip}");
    assert_eq!((slip["needs_care"].as_bool(), slip["elderly_only"].as_bool()), (Some(false), Some(false)));
    assert_eq!((&slip["categories"], &slip["damage"]), (&json!([]), &json!([])));

    // The player judges: 床下, 要配慮, priority 1, four people.
    d.advance(5).await;
    slip["categories"] = json!(["under_floor"]);
    slip["needs_care"] = json!(true);
    slip["priority"] = json!(1);
    slip["people_needed"] = json!(4);
    slip["drill_call"] = json!(3);
    slip["force_new"] = json!(true);
    let response = d.coordinator.post("/api/needs", &slip).await;
    assert_eq!(response.status(), 201);
    let need: Value = response.json().await.unwrap();
    assert_eq!((need["priority"].as_i64(), need["people_needed"].as_i64()), (Some(1), Some(4)), "{need}");
    d.advance(1).await;
    let status = d.status().await;
    let three = status["injects"].as_array().unwrap().iter().find(|i| i["id"] == 3).unwrap().clone();
    assert_eq!((three["status"].as_str(), three["expect"]["measured_minutes"].as_i64()), (Some("met"), Some(5)));
}

const SCHOOL: &str = r#"id = "school"
title = "高校の団体"
hazard = "大雨"
sim_start = "2026-07-12T08:00:00+09:00"
duration = "2h"

[[injects]]
id = 1
at = "08:05"
kind = "volunteer_arrival"
to = "reception"
message = "高校のボランティア部25人（引率の先生1人・生徒24人）がマイクロバスで到着。保険は未加入。ほかに個人5人"
payload = { count = 30, groups = 1, group_size = 25, group_minors = 24, groups_uninsured = 1, group_vehicles = { "マイクロバス" = 1 } }
expect = { text = "全員の受付完了", within = "60m", detect = { all_checked_in = { inject = 1 } } }
"#;

async fn volunteer(desk: &Session, id: i64) -> Value {
    let response = desk.get(&format!("/api/volunteers/{id}")).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_school_group_arrives_as_minors_uninsured_with_its_bus_and_the_aar_counts_heads() {
    let d = drill_of(SCHOOL).await;
    d.advance(5).await;
    let fired = d.fired(1).await;
    let ids: Vec<i64> = fired["volunteer_ids"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
    assert_eq!((ids.len(), fired["headcount"].as_i64()), (1 + 24 + 5, Some(30)), "{fired}");

    let teacher = volunteer(&d.reception, ids[0]).await;
    assert_eq!((teacher["kind"].as_str(), teacher["group_size"].as_i64()), (Some("group"), Some(25)));
    assert_eq!((teacher["insurance"].as_str(), teacher["vehicle"].as_str()), (Some("none"), Some("マイクロバス")));
    assert_eq!(teacher["minor"], false, "the representative leads them");
    for id in &ids[1..=24] {
        let student = volunteer(&d.reception, *id).await;
        assert_eq!((student["minor"].as_bool(), student["guardian_consent"].as_bool()), (Some(true), Some(true)));
        assert_eq!(student["group_id"].as_i64(), Some(ids[0]), "a named member of the group");
    }

    d.advance(10).await;
    for id in &ids {
        let mut body = json!({ "volunteer_id": id, "health_ok": true });
        if *id == ids[0] || (ids[1..=24]).contains(id) {
            // The group enrols at the desk (当日加入).
            body["insurance"] = json!("enrolled_at_desk");
            body["insurance_plan"] = json!("天災タイプ");
            body["insurance_fee_yen"] = json!(500);
        }
        let response = d.reception.post("/api/checkins", &body).await;
        assert_eq!(response.status(), 201, "{id}: {}", response.text().await.unwrap());
    }
    d.advance(1).await;
    let aar: Value = d.trainer.get("/api/drill/aar.json").await.json().await.unwrap();
    let arrival = &aar["metrics"]["reception_by_inject"][0];
    assert_eq!(arrival["volunteers"], 30, "a group of 25 is 25 volunteers: {arrival}");
    assert_eq!(arrival["not_checked_in"], 0, "{arrival}");
    assert_eq!(arrival["wait"]["count"], 30, "{arrival}");
    assert_eq!(aar["metrics"]["reception_wait"]["max_minutes"], 10);
    assert_eq!(aar["metrics"]["never_dispatched_people"], 30, "no team yet: all 30 people");
    let waiting = aar["timeline"]["points"].as_array().unwrap().last().unwrap()["waiting"].clone();
    assert_eq!(waiting, 30, "the timeline counts them too");
}

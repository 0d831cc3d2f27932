//! The return report as the paper 活動報告 has it, over HTTP: 帰着人数 and
//! 「全員無事」, 作業時間, new needs; fewer back than left is a board alert
//! until a coordinator resolves it; an injury, a suspension and the day's
//! 特記事項 reach the 日報 (JSON, CSV, the PDF parsed back) without names.

use std::time::Duration;

use serde_json::{Value, json};

use crate::dispatch::{Center, center, need, volunteer};
use crate::helpers::{connect_board, next_event};

/// Three volunteers out on N-0001 as T-001 at 09:00.
pub async fn team_of_three(c: &Center) -> Value {
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(volunteer(c, i, "enrolled", true).await);
    }
    need(c, 1).await;
    let out = c.coordinator.post("/api/teams", &json!({ "need_no": "N-0001", "member_ids": ids })).await;
    assert_eq!(out.status(), 201, "{}", out.text().await.unwrap());
    out.json().await.unwrap()
}

fn return_path(team: &Value) -> String {
    format!("/api/teams/{}/return", team["id"])
}

async fn board(c: &Center) -> Value {
    let response = c.coordinator.get("/api/board").await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// The first event of `kind` on the board's socket (others skipped), within 3 s.
async fn event_of(socket: &mut crate::helpers::Socket, kind: &str) -> Value {
    loop {
        let event = next_event(socket, Duration::from_secs(3)).await.unwrap_or_else(|| panic!("no {kind} event"));
        if event["kind"] == kind {
            return event;
        }
    }
}

async fn logged(c: &Center, kind: &str) -> Vec<Value> {
    borasen::events::since(&c.app.state.db.read, 0, 10_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == kind)
        .map(|e| e.data)
        .collect()
}

#[tokio::test]
async fn everyone_back_records_minutes_headcount_and_new_needs_and_raises_no_alert() {
    let c = center().await;
    let team = team_of_three(&c).await;
    c.app.state.clock.advance(chrono::Duration::minutes(150));

    // What contradicts itself is refused, naming the field, and changes nothing.
    let seq = c.app.last_seq().await;
    for (body, field) in [
        (json!({ "version": 1, "outcome": "done", "all_safe": true, "injury": "転倒して膝を打った" }), "all_safe"),
        (json!({ "version": 1, "outcome": "done", "all_safe": false }), "injury"),
        (json!({ "version": 1, "outcome": "done", "back": 4, "all_safe": true }), "back"),
        (json!({ "version": 1, "outcome": "done", "back": -1, "all_safe": true }), "back"),
        (json!({ "version": 1, "outcome": "done", "all_safe": true, "injured": 1 }), "injured"),
        (json!({ "version": 1, "outcome": "done", "all_safe": true, "minutes": 2000 }), "minutes"),
        (
            json!({ "version": 1, "outcome": "done", "all_safe": true,
                    "new_needs": [{ "requester_name": "隣家", "categories": ["mud"], "people_needed": 2 }] }),
            "new_needs[0].address",
        ),
    ] {
        let refused = c.coordinator.post(&return_path(&team), &body).await;
        assert_eq!(refused.status(), 422, "{body}");
        let error: Value = refused.json().await.unwrap();
        assert_eq!(error["error"]["field"], field, "{error}");
    }
    assert_eq!(c.app.last_seq().await, seq, "nothing was written");

    let report = json!({
        "version": 1, "outcome": "continue", "back": 3, "all_safe": true, "minutes": 95,
        "report": "床下の泥を半分搬出",
        "new_needs": [
            { "requester_name": "隣家 一", "address": "金沢市香林坊2-20", "categories": ["mud"], "people_needed": 3 },
            { "requester_name": "隣家 二", "address": "金沢市香林坊2-21", "categories": ["belongings", "cleaning"], "people_needed": 2, "notes": "高齢の方" },
        ],
    });
    let back = c.coordinator.post(&return_path(&team), &report).await;
    assert_eq!(back.status(), 200, "{}", back.text().await.unwrap());
    let back: Value = back.json().await.unwrap();
    assert_eq!(back["minutes"], 95, "the minutes the leader gave, not the time out (150)");
    let returned = logged(&c, "team.returned").await;
    assert_eq!(returned.len(), 1);
    assert_eq!(returned[0]["minutes"], 95);
    assert_eq!(returned[0]["back"], 3);
    assert_eq!(returned[0]["all_safe"], true);
    assert_eq!(returned[0]["new_needs"], json!(["N-0002", "N-0003"]));
    for (number, categories) in [("N-0002", json!(["mud"])), ("N-0003", json!(["belongings", "cleaning"]))] {
        let found: Value = c.coordinator.get(&format!("/api/needs?q={number}")).await.json().await.unwrap();
        assert_eq!(found[0]["need_no"], number);
        assert_eq!(found[0]["received_via"], "visit", "found on site");
        assert_eq!(found[0]["categories"], categories);
    }
    assert_eq!(board(&c).await["headcount_alerts"], json!([]), "everyone is back: no alert");
    assert!(logged(&c, "team.headcount_short").await.is_empty());
}

#[tokio::test]
async fn fewer_back_than_left_is_a_board_alert_until_a_coordinator_resolves_it() {
    let c = center().await;
    let team = team_of_three(&c).await;
    c.app.state.clock.advance(chrono::Duration::minutes(90));
    let mut socket = connect_board(&c.app, &c.coordinator, c.app.last_seq().await).await;

    let report = json!({ "version": 1, "outcome": "done", "back": 2, "all_safe": true, "minutes": 80 });
    let back = c.coordinator.post(&return_path(&team), &report).await;
    assert_eq!(back.status(), 200, "{}", back.text().await.unwrap());
    let short = event_of(&mut socket, "team.headcount_short").await;
    assert_eq!(short["subject"], "T-001");
    assert_eq!((short["data"]["left"].as_i64(), short["data"]["back"].as_i64()), (Some(3), Some(2)));
    let alerts = board(&c).await["headcount_alerts"].clone();
    assert_eq!(alerts.as_array().unwrap().len(), 1, "{alerts}");
    assert_eq!(alerts[0]["team_no"], "T-001");
    assert_eq!(alerts[0]["need_no"], "N-0001");
    assert_eq!((alerts[0]["left"].as_i64(), alerts[0]["back"].as_i64()), (Some(3), Some(2)));
    assert_eq!(alerts[0]["resolved_at"], Value::Null);

    // It stays: later events, a later snapshot, the clock moving on.
    let notice = c.coordinator.post("/api/board/notices", &json!({ "text": "昼休憩" })).await;
    assert_eq!(notice.status(), 201);
    c.app.state.clock.advance(chrono::Duration::minutes(30));
    assert_eq!(board(&c).await["headcount_alerts"], alerts, "still on the board");
    let listed: Value = c.coordinator.get("/api/teams/headcount-alerts").await.json().await.unwrap();
    assert_eq!(listed, alerts);

    // Resolving needs a coordinator and what was found; refusals change nothing.
    let resolve = format!("/api/teams/{}/headcount/resolve", team["id"]);
    let seq = c.app.last_seq().await;
    assert_eq!(c.desk.post(&resolve, &json!({ "finding": "無事" })).await.status(), 403);
    let empty = c.coordinator.post(&resolve, &json!({ "finding": "  " })).await;
    assert_eq!(empty.status(), 422);
    assert_eq!(empty.json::<Value>().await.unwrap()["error"]["field"], "finding");
    assert_eq!(c.coordinator.post("/api/teams/999/headcount/resolve", &json!({ "finding": "x" })).await.status(), 404);
    assert_eq!(c.app.last_seq().await, seq);
    assert_eq!(board(&c).await["headcount_alerts"], alerts);

    let done = c.coordinator.post(&resolve, &json!({ "finding": "V-0003は直帰。電話で無事を確認" })).await;
    assert_eq!(done.status(), 200, "{}", done.text().await.unwrap());
    let done: Value = done.json().await.unwrap();
    assert_eq!(done["resolved_by"], "coordinator");
    assert_eq!(done["resolved_at"], "2026-07-12T11:00:00+09:00");
    assert_eq!(done["finding"], "V-0003は直帰。電話で無事を確認");
    let resolved = event_of(&mut socket, "team.headcount_resolved").await;
    assert_eq!(resolved["actor"], "coordinator");
    assert_eq!(resolved["at"], "2026-07-12T11:00:00+09:00");
    assert_eq!(resolved["data"]["finding"], "V-0003は直帰。電話で無事を確認");
    assert_eq!(board(&c).await["headcount_alerts"], json!([]), "resolved: off the board");
    let again = c.coordinator.post(&resolve, &json!({ "finding": "二度目" })).await;
    assert_eq!(again.status(), 409);
    assert_eq!(again.json::<Value>().await.unwrap()["error"]["code"], "already_resolved");
}

#[tokio::test]
async fn an_injury_suspensions_and_remarks_reach_the_daily_report_without_names() {
    let c = center().await;
    let team = team_of_three(&c).await;
    c.app.state.clock.advance(chrono::Duration::minutes(90));
    let report = json!({
        "version": 1, "outcome": "cancelled", "back": 3, "all_safe": false, "minutes": 60,
        "injury": "佐藤さんが釘を踏んだ", "injured": 1, "severity": "clinic",
    });
    let back = c.coordinator.post(&return_path(&team), &report).await;
    assert_eq!(back.status(), 200, "{}", back.text().await.unwrap());
    let incident = logged(&c, "incident.reported").await;
    assert_eq!(
        incident,
        [
            json!({ "team_id": team["id"], "team_no": "T-001", "need_no": "N-0001", "zone": "香林坊", "injured": 1, "severity": "clinic" })
        ]
    );

    // 10:30 活動中止 for thunder, 11:15 再開; 13:00 again for rain, still suspended.
    let suspend = c.coordinator.post("/api/center/suspend", &json!({ "reason": "雷注意報" })).await;
    assert_eq!(suspend.status(), 200);
    c.app.state.clock.advance(chrono::Duration::minutes(45));
    assert_eq!(c.coordinator.post("/api/center/resume", &json!({})).await.status(), 200);
    c.app.state.clock.advance(chrono::Duration::minutes(105));
    assert_eq!(c.coordinator.post("/api/center/suspend", &json!({ "reason": "大雨警報" })).await.status(), 200);

    // 特記事項: coordinators write it whole, with the version they read.
    let remarks = "午後は大雨のため13時で活動終了。\n給水所を2か所に増設。";
    let path = "/api/reports/daily/remarks";
    assert_eq!(c.desk.put(path, &json!({ "date": "2026-07-12", "text": "x", "version": 0 })).await.status(), 403);
    let written = c.coordinator.put(path, &json!({ "date": "2026-07-12", "text": "下書き", "version": 0 })).await;
    assert_eq!(written.status(), 200, "{}", written.text().await.unwrap());
    assert_eq!(written.json::<Value>().await.unwrap()["version"], 1);
    let stale = c.coordinator.put(path, &json!({ "date": "2026-07-12", "text": "上書き", "version": 0 })).await;
    assert_eq!(stale.status(), 409, "a stale version");
    let bad = c.coordinator.put(path, &json!({ "date": "2026-07-12", "text": "a\u{202E}b", "version": 1 })).await;
    assert_eq!(bad.status(), 422);
    assert_eq!(bad.json::<Value>().await.unwrap()["error"]["field"], "text");
    let written = c.coordinator.put(path, &json!({ "date": "2026-07-12", "text": remarks, "version": 1 })).await;
    assert_eq!(written.status(), 200);
    let admin = c.app.admin().await;
    assert_eq!(admin.get("/api/reports/daily/record?date=2026-07-12").await.status(), 200, "admins too");

    let record: Value = c.coordinator.get("/api/reports/daily/record?date=2026-07-12").await.json().await.unwrap();
    assert_eq!(record["incidents"]["today"]["reported"], 1);
    assert_eq!(record["incidents"]["today"]["injured"], 1);
    assert_eq!(record["incidents"]["today"]["clinic"], 1);
    assert_eq!(record["incidents"]["cumulative"]["reported"], 1);
    assert_eq!(record["incidents"]["list"][0]["at"], "2026-07-12T10:30:00+09:00");
    assert_eq!(record["incidents"]["list"][0]["team_no"], "T-001");
    let suspensions = record["suspensions"].as_array().unwrap();
    assert_eq!(suspensions.len(), 2, "{record}");
    assert_eq!(suspensions[0]["from"], "2026-07-12T10:30:00+09:00");
    assert_eq!(suspensions[0]["until"], "2026-07-12T11:15:00+09:00");
    assert_eq!(suspensions[0]["reason"], "雷注意報");
    assert_eq!(suspensions[1]["until"], Value::Null, "still suspended");
    assert_eq!(record["remarks"]["text"], remarks);
    assert_eq!(record["remarks"]["version"], 2);
    assert_eq!(record["remarks"]["written_by"], "coordinator");

    let csv = c.coordinator.get("/api/reports/daily.csv?date=2026-07-12").await;
    assert_eq!(csv.status(), 200);
    let bytes = csv.bytes().await.unwrap();
    let mut rows = csv::Reader::from_reader(&bytes[3..]);
    let rows: Vec<Vec<String>> = rows.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    let row = |cells: [&str; 4]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    for expected in [
        row(["ボランティア", "合計", "3", "3"]),
        row(["けが・事故", "報告件数", "1", "1"]),
        row(["けが・事故", "けが人（人）", "1", "1"]),
        row(["けが・事故", "受診", "1", "1"]),
        row(["けが・事故", "救急搬送", "0", "0"]),
        row(["けが・事故（一覧）", "10:30", "T-001　N-0001　香林坊　受診　1名", ""]),
        row(["活動中止・再開", "10:30〜11:15", "雷注意報", ""]),
        row(["活動中止・再開", "13:00〜継続中", "大雨警報", ""]),
        row(["特記事項", "", remarks, ""]),
    ] {
        assert!(rows.contains(&expected), "{expected:?} in {rows:?}");
    }
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(!text.contains("佐藤") && !text.contains("釘"), "no names or injury details in the CSV");

    let pdf = c.coordinator.get("/api/reports/daily.pdf?date=2026-07-12").await;
    assert_eq!(pdf.status(), 200);
    let pdf = pdf.bytes().await.unwrap();
    // A copy to look at: target/tmp/artefacts/daily-record.pdf.
    let artefacts = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("artefacts");
    std::fs::create_dir_all(&artefacts).unwrap();
    std::fs::write(artefacts.join("daily-record.pdf"), &pdf).unwrap();
    let text: String =
        pdf_extract::extract_text_from_mem(&pdf).unwrap().chars().filter(|c| !c.is_whitespace()).collect();
    for expected in [
        "けが・事故",
        "報告件数11",
        "けが人（人）11",
        "けが・事故（一覧）",
        "10:30T-001N-0001香林坊受診1名",
        "活動中止・再開",
        "10:30〜11:15雷注意報",
        "13:00〜継続中大雨警報",
        "特記事項",
        "午後は大雨のため13時で活動終了。給水所を2か所に増設。",
        "資機材",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    assert!(!text.contains("佐藤") && !text.contains("釘"), "no names or injury details on the paper");

    // The next day: nothing happened (「なし」), and the suspension still in force since yesterday.
    let next: Value = c.coordinator.get("/api/reports/daily/record?date=2026-07-13").await.json().await.unwrap();
    assert_eq!(next["incidents"]["list"], json!([]));
    assert_eq!(next["incidents"]["cumulative"]["reported"], 1);
    let csv = c.coordinator.get("/api/reports/daily.csv?date=2026-07-13").await.text().await.unwrap();
    assert!(csv.contains("けが・事故（一覧）,なし,,") && csv.contains("特記事項,なし,,"), "{csv}");
    assert!(csv.contains("活動中止・再開,7/12 13:00〜継続中,大雨警報,"), "{csv}");
    assert!(!csv.contains("雷注意報"), "yesterday's closed suspension is not today's: {csv}");
}

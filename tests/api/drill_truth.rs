//! Issue 16 §2, end to end through `borasen drill check` and `drill run`: an
//! inject's own effect is never credited, an injected injury reaches the team,
//! the incident log and the AAR, and what an inject could not do is reported.

use std::path::{Path, PathBuf};

use serde_json::Value;

const SCENARIO: &str = r#"
id = "truth"
title = "真実の訓練 — 効果と負傷"
hazard = "大雨"
sim_start = "2026-07-12T08:00:00+09:00"
duration = "2h"

[seed]
items = [{ name = "一輪車", stock = 2 }, { name = "剣スコップ", stock = 20 }]

[[injects]]
id = 1
at = "+00:00"
kind = "team_report"
message = "まだ誰も出ていないのに、班から電話。"

[[injects]]
id = 2
at = "+00:00"
kind = "volunteer_arrival"
to = "reception"
payload = { count = 4 }

[[injects]]
id = 3
at = "+00:00"
kind = "household_request"
to = "needs"
payload = { mode = "auto", name = "山田 花子", phone = "076-222-3333", address = "金沢市片町1-1", zone = "片町", categories = ["泥出し"], people = 3 }

[[injects]]
id = 4
at = "+01:00"
kind = "team_report"
payload = { mode = "auto", request = 3, injury = "転倒して足首をひねった", injured = 1, severity = "clinic" }
expect = { text = "班の帰着と負傷を受ける", within = "30m", detect = { team_returned = { inject = 4 } } }

[[injects]]
id = 5
at = "+00:30"
kind = "equipment_shortage"
to = "equipment"
payload = { item = "一輪車", qty = 4 }
"#;

fn borasen(args: &[&str], file: &Path, out: Option<&Path>) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_borasen"));
    command.args(args).arg(file).current_dir(env!("CARGO_MANIFEST_DIR"));
    if let Some(out) = out {
        command.arg("--out").arg(out);
    }
    command.output().unwrap()
}

fn named(dir: &Path, suffix: &str) -> PathBuf {
    std::fs::read_dir(dir.join("drills"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(suffix))
        .unwrap_or_else(|| panic!("{suffix} in {}", dir.display()))
}

#[test]
fn drill_check_warns_of_a_team_report_nobody_can_be_out_for_and_a_write_off_beyond_the_stock() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("truth.toml");
    std::fs::write(&file, SCENARIO).unwrap();
    let output = borasen(&["drill", "check"], &file, None);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "warnings do not fail the check: {stdout}");
    let line_of = |needle: &str| SCENARIO.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let warned: Vec<&str> = stdout.lines().filter(|l| l.contains("警告 / warning")).collect();
    assert_eq!(warned.len(), 3, "{stdout}");
    assert!(
        warned[0].contains(&format!("truth.toml:{}: 警告 / warning: injects[0].at: #1", line_of("at = \"+00:00\""))),
        "{stdout}"
    );
    assert!(
        warned[1].contains("injects[3].expect.detect: #4"),
        "an auto report's own return is never credited: {stdout}"
    );
    assert!(
        warned[2].contains("injects[4].payload.qty: #5：4 を廃棄しますが、その時点の在庫は多くて 2 です"),
        "{stdout}"
    );
    assert!(warned[2].contains("writes off 4, but at most 2 are in stock"), "English too: {stdout}");
}

#[tokio::test]
async fn an_injected_injury_reaches_the_team_the_incident_log_and_the_aar_and_shortfalls_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("truth.toml");
    std::fs::write(&file, SCENARIO).unwrap();
    let out = dir.path().join("out");
    let output = borasen(&["drill", "run", "--fast", "--autopilot"], &file, Some(&out));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

    let aar: Value = serde_json::from_slice(&std::fs::read(named(&out, ".aar.json")).unwrap()).unwrap();
    let report = aar["injects"].as_array().unwrap().iter().find(|i| i["id"] == 4).unwrap();
    assert_eq!(report["status"], "missed", "the inject returned the team itself: nobody earns it, {report}");

    let incidents = aar["incidents"].as_array().expect("the AAR lists the incident log");
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    let incident = &incidents[0];
    assert_eq!(
        (&incident["cause"], &incident["inject"], &incident["injured"], &incident["severity"]),
        (&Value::from("inject"), &Value::from(4), &Value::from(1), &Value::from("clinic")),
        "{incident}"
    );

    let shortfalls = aar["shortfalls"].as_array().expect("the AAR lists what injects could not do");
    let of =
        |id: u64| shortfalls.iter().find(|s| s["inject"] == id).unwrap_or_else(|| panic!("#{id} in {shortfalls:?}"));
    assert_eq!(of(1)["shortfall"]["why"], "no_team_out");
    let short = &of(5)["shortfall"];
    assert_eq!((&short["asked"], &short["why"]), (&Value::from(4), &Value::from("stock_short")));
    assert!(short["done"].as_i64().unwrap() < 4, "{short}");

    let pdf: String = pdf_extract::extract_text_from_mem(&std::fs::read(named(&out, ".aar.pdf")).unwrap())
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for said in ["インジェクトの効果と負傷の記録", "けが人1名・受診—インジェクト#4による報告", "出動中の班がなく"]
    {
        assert!(pdf.contains(said), "{said} in the AAR PDF");
    }

    use sqlx::Connection;
    let url = format!("sqlite://{}?mode=ro", named(&out, ".sqlite").display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let injury: String =
        sqlx::query_scalar("SELECT injury FROM teams WHERE injury <> ''").fetch_one(&mut conn).await.unwrap();
    assert_eq!(injury, "転倒して足首をひねった", "the team keeps the description");
    let causes: Vec<String> = sqlx::query_scalar("SELECT cause FROM events WHERE kind = 'incident.reported'")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    assert_eq!(causes, ["inject"], "the incident log has it, caused by the inject");
    let uncaused: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE cause IS NULL").fetch_one(&mut conn).await.unwrap();
    assert_eq!(uncaused, 0, "every new row says who caused it");
    let returned_by: String =
        sqlx::query_scalar("SELECT cause FROM events WHERE kind = 'team.returned'").fetch_one(&mut conn).await.unwrap();
    assert_eq!(returned_by, "inject");
}

/// The trainer's console says what an inject could not do, in the reader's
/// language, and the log says the trainer fired it (cause `trainer`), the
/// inject acted (cause `inject`).
#[tokio::test]
async fn the_console_shows_a_shortfall_and_the_log_says_who_caused_what() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("truth.toml");
    std::fs::write(&file, SCENARIO).unwrap();
    let password = "truth-pass-2026";
    let app = crate::helpers::spawn_app_at("2026-07-12T08:00:00+09:00", move |c| {
        c.drill = Some(file);
        c.demo_password = Some(password.into());
    })
    .await;
    let trainer = app.client_for("trainer", password).await;
    assert_eq!(trainer.post("/api/drill/start", &serde_json::json!({})).await.status(), 200);
    let response = trainer.post("/api/drill/injects/5/fire", &serde_json::json!({})).await;
    assert_eq!(response.status(), 200);
    let status: Value = response.json().await.unwrap();
    let fired = status["injects"].as_array().unwrap().iter().find(|i| i["id"] == 5).unwrap();
    assert_eq!(fired["effect"]["key"], "js.drill.effect.stock_short", "{fired}");
    let values = &fired["effect"]["values"];
    assert_eq!(
        (&values["asked"], &values["done"], &values["item"]),
        (&Value::from("4"), &Value::from("2"), &Value::from("一輪車"))
    );
    let untouched = status["injects"].as_array().unwrap().iter().find(|i| i["id"] == 2).unwrap();
    assert!(untouched["effect"].is_null(), "{untouched}");

    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT kind, cause FROM events WHERE kind IN ('drill.started', 'item.written_off', 'drill.inject_fired') ORDER BY seq",
    )
    .fetch_all(&app.state.db.read)
    .await
    .unwrap();
    let rows: Vec<(&str, &str)> = rows.iter().map(|(k, c)| (k.as_str(), c.as_str())).collect();
    assert_eq!(
        rows,
        [("drill.started", "trainer"), ("item.written_off", "inject"), ("drill.inject_fired", "inject")],
        "the trainer started it; the write-off and the firing are the inject's"
    );
}

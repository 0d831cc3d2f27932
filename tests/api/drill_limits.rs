//! Issue 13: scenario files that `drill check` used to pass and that then
//! crashed the run (a 37 GB allocation, chrono overflowing) are refused by
//! `drill check` with their line and field, and `drill run` / `serve --drill`
//! exit with that error — never a panic (101) or a signal. A drill server
//! answers a trainer who picks such a file with 422.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::spawn_app_at;

const PASSWORD: &str = "drill-pass-2026";

/// A small scenario that runs: one arrival, one call.
const VALID: &str = r#"id = "limits"
title = "上限の確認"
hazard = "大雨"
sim_start = "2026-07-12T08:00:00+09:00"
duration = "2h"
speed = 4

[[injects]]
id = 1
at = "+00:05"
kind = "volunteer_arrival"
to = "reception"
payload = { count = 6, uninsured = 1 }

[[injects]]
id = 2
at = "+00:10"
kind = "household_request"
to = "needs"
[injects.payload]
name = "山田 花子"
furigana = "ヤマダ ハナコ"
phone = "076-222-3333"
address = "金沢市片町1-1"
categories = ["泥出し"]
"#;

/// (file name, the valid scenario with one value changed, line, field).
fn bad_files() -> Vec<(&'static str, String, usize, &'static str)> {
    let change = |from: &str, to: &str| {
        assert!(VALID.contains(from), "{from}");
        VALID.replacen(from, to, 1)
    };
    vec![
        ("count.toml", change("count = 6,", "count = 99999999,"), 13, "injects[id=1].payload.count"),
        ("duration.toml", change("duration = \"2h\"", "duration = \"99999999999999h\""), 5, "duration"),
        ("at.toml", change("at = \"+00:10\"", "at = \"+99999:00\""), 17, "injects[id=2].at"),
        ("nul.toml", change("name = \"山田 花子\"", "name = \"山田\\u0000花子\""), 21, "injects[id=2].payload.name"),
    ]
}

fn write_all(dir: &Path) -> Vec<(PathBuf, usize, &'static str)> {
    std::fs::write(dir.join("valid.toml"), VALID).unwrap();
    bad_files()
        .into_iter()
        .map(|(name, text, line, field)| {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            (path, line, field)
        })
        .collect()
}

/// Runs the binary, killing it if it has not exited within `limit`.
fn run(args: &[&std::ffi::OsStr], limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_borasen"))
        .args(args)
        .env("BORASEN_DEMO_PASSWORD", PASSWORD)
        .env("BORASEN_ADMIN_PASSWORD", "admin-pass-2026")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let began = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if began.elapsed() > limit {
            child.kill().unwrap();
            let output = child.wait_with_output().unwrap();
            panic!("{args:?} still running after {limit:?}: {}", String::from_utf8_lossy(&output.stderr));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

/// An error exit: a status code, not 0, not a panic's 101, not a signal.
fn assert_refused(output: &Output, what: &str) {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(output.status.signal(), None, "{what}: killed by a signal");
    }
    let code = output.status.code();
    assert!(matches!(code, Some(c) if c != 0 && c != 101), "{what}: exit {code:?}");
}

#[test]
fn drill_check_names_the_line_and_field_of_each_bad_value() {
    let dir = tempfile::tempdir().unwrap();
    for (path, line, field) in write_all(dir.path()) {
        let output = run(&["drill".as_ref(), "check".as_ref(), path.as_os_str()], Duration::from_secs(30));
        assert_refused(&output, &format!("drill check {}", path.display()));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(&format!("{}:{line}: {field}: ", path.display())), "{stderr}");
    }
    let valid = dir.path().join("valid.toml");
    let output = run(&["drill".as_ref(), "check".as_ref(), valid.as_os_str()], Duration::from_secs(30));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn the_shipped_scenarios_still_pass() {
    let drills = Path::new(env!("CARGO_MANIFEST_DIR")).join("drills");
    for name in ["rain-day3.toml", "earthquake-day1.toml"] {
        let path = drills.join(name);
        let output = run(&["drill".as_ref(), "check".as_ref(), path.as_os_str()], Duration::from_secs(30));
        assert!(output.status.success(), "{name}: {}", String::from_utf8_lossy(&output.stderr));
    }
}

#[test]
fn drill_run_exits_with_the_checks_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    for (path, line, field) in write_all(dir.path()) {
        let args = ["drill".as_ref(), "run".as_ref(), path.as_os_str(), "--fast".as_ref(), "--autopilot".as_ref()];
        let output = run(&[&args[..], &["--out".as_ref(), out.as_os_str()]].concat(), Duration::from_secs(30));
        assert_refused(&output, &format!("drill run {}", path.display()));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(&format!("{}:{line}: {field}", path.display())), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    assert!(
        !out.join("drills").exists() || std::fs::read_dir(out.join("drills")).unwrap().next().is_none(),
        "nothing ran"
    );
}

#[test]
fn serve_drill_exits_with_the_checks_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    for (path, line, field) in write_all(dir.path()) {
        let args = [
            "serve".as_ref(),
            "--addr".as_ref(),
            "127.0.0.1:0".as_ref(),
            "--drill".as_ref(),
            path.as_os_str(),
            "--data".as_ref(),
            data.as_os_str(),
        ];
        let output = run(&args, Duration::from_secs(30));
        assert_refused(&output, &format!("serve --drill {}", path.display()));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(&format!("{}:{line}: {field}", path.display())), "{stderr}");
    }
}

/// A drill server lists the bad files with their problems and answers a
/// trainer who picks one with 422; the running drill goes on.
#[tokio::test]
async fn a_drill_server_refuses_a_bad_scenario_with_422() {
    let scenarios = tempfile::tempdir().unwrap();
    write_all(scenarios.path());
    let file = scenarios.path().join("valid.toml");
    let app = spawn_app_at("2026-07-12T08:00:00+09:00", move |c| {
        c.drill = Some(file);
        c.demo_password = Some(PASSWORD.into());
    })
    .await;
    let trainer = app.client_for("trainer", PASSWORD).await;
    let listed: Value = trainer.get("/api/drill/scenarios").await.json().await.unwrap();
    for (name, ..) in bad_files() {
        let entry = listed.as_array().unwrap().iter().find(|s| s["file"] == name).unwrap_or_else(|| panic!("{listed}"));
        assert!(entry["problems"].as_u64().unwrap() > 0, "{entry}");
        let response = trainer.post("/api/drill/new", &json!({ "file": name })).await;
        assert_eq!(response.status(), 422, "{name}");
    }
    assert_eq!(trainer.post("/api/drill/start", &json!({})).await.status(), 200, "the valid drill still runs");
}

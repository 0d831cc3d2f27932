//! `borasen drill check`: a scenario's problems by line and field, exit non-zero.

fn check(file: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_borasen"))
        .args(["drill", "check"])
        .arg(file)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

#[test]
fn drill_check_passes_the_sketch_and_names_each_problem_of_a_broken_file_by_line() {
    let sketch = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("drills/sketch-rain-day3.toml");
    let output = check(&sketch);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("インジェクト 2 件"));

    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.toml");
    let text = std::fs::read_to_string(&sketch)
        .unwrap()
        .replace("at = \"+05:00\"", "at = \"夕方\"")
        .replace("zones = \"maps/demo-kanazawa.geojson\"", "zones = \"maps/nowhere.geojson\"");
    std::fs::write(&broken, &text).unwrap();
    let output = check(&broken);
    assert!(!output.status.success(), "a broken scenario exits non-zero");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    assert!(stderr.contains(&format!("broken.toml:{}: seed.zones:", line_of("nowhere"))), "{stderr}");
    assert!(stderr.contains(&format!("broken.toml:{}: injects[id=12].at:", line_of("夕方"))), "{stderr}");
    assert!(stderr.contains("2 件の問題"), "{stderr}");
}

fn pdf_text(bytes: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(bytes).unwrap().chars().filter(|c| !c.is_whitespace()).collect()
}

/// Each shipped scenario passes the check, runs to its end unattended, and
/// leaves an AAR (PDF with its Japanese headings, and JSON) beside its own database.
#[test]
fn both_shipped_scenarios_run_unattended_to_an_after_action_report() {
    for (name, id) in [("rain-day3.toml", "rain-day3"), ("earthquake-day1.toml", "quake-day1")] {
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("drills").join(name);
        assert!(check(&file).status.success(), "{name} passes drill check");
        // The shipped scenarios teach by example: each uses the newer detects and a caller's slip.
        let script = std::fs::read_to_string(&file).unwrap();
        for used in [
            "duplicate_linked",
            "cancellation_handled",
            "inquiry_answered",
            "survey_entered",
            "late_entries_after_outage",
            "slip = \"caller\"",
            "capability = ",
        ] {
            assert!(script.contains(used), "{name} uses {used}");
        }
        let out = tempfile::tempdir().unwrap();
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_borasen"))
            .args(["drill", "run"])
            .arg(&file)
            .args(["--fast", "--autopilot", "--out"])
            .arg(out.path())
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{name}: {}\n{stdout}", String::from_utf8_lossy(&output.stderr));
        assert!(stdout.contains("期待行動 達成"), "{stdout}");
        let files: Vec<std::path::PathBuf> =
            std::fs::read_dir(out.path().join("drills")).unwrap().map(|e| e.unwrap().path()).collect();
        let named = |suffix: &str| {
            files
                .iter()
                .find(|p| p.to_string_lossy().ends_with(suffix))
                .unwrap_or_else(|| panic!("{suffix} in {files:?}"))
        };
        let text = pdf_text(&std::fs::read(named(".aar.pdf")).unwrap());
        for heading in [
            "事後検証報告書（AAR）",
            "概要",
            "目標ごとの分析",
            "インジェクト記録",
            "指標",
            "時系列",
            "改善計画",
            "訓練",
        ] {
            assert!(text.contains(heading), "{name}: {heading} in the AAR");
        }
        let aar: serde_json::Value = serde_json::from_slice(&std::fs::read(named(".aar.json")).unwrap()).unwrap();
        assert_eq!(aar["overview"]["scenario_id"], id);
        let injects = aar["injects"].as_array().unwrap();
        let unfired: Vec<&serde_json::Value> =
            injects.iter().filter(|i| i["status"] == "pending" && !i["scheduled"].is_null()).collect();
        assert!(
            unfired.is_empty(),
            "{name}: every scheduled inject fired (contingencies wait for a miss): {unfired:?}"
        );
        let missed = injects.iter().filter(|i| i["status"] == "missed").count();
        assert_eq!(missed, 0, "{name}: a competent autopilot meets every expectation");
        assert!(aar["metrics"]["reception_wait"]["count"].as_u64().unwrap() > 50, "{name}: people were checked in");
        assert_eq!(
            aar["metrics"]["warning_to_suspension"][0]["minutes"], 8,
            "{name}: the autopilot suspends 8 drill minutes after the warning"
        );
    }
}

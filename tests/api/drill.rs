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

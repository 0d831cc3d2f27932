//! The volunteers' and needs CSVs as a spreadsheet tool reads them: Python's
//! `csv.DictReader` (run by the real `python3`) must take the first row for the
//! header, with the personal-data mark as its first column and in the file name.

use serde_json::{Value, json};

use crate::helpers::{Session, spawn_app_at};

const MORNING: &str = "2026-07-12T08:00:00+09:00";
const TODAY: &str = "2026-07-12";
const DEMO_PASSWORD: &str = "demo-pass-2026";

/// What `csv.DictReader` makes of `bytes` (opened as Excel-style UTF-8 with
/// BOM): `{"fieldnames": [...], "rows": [{...}]}`.
fn dict_reader(bytes: &[u8]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.csv");
    std::fs::write(&path, bytes).unwrap();
    let script = r#"
import csv, json, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    reader = csv.DictReader(f)
    rows = list(reader)
    print(json.dumps({"fieldnames": reader.fieldnames, "rows": rows}, ensure_ascii=False))
"#;
    let output = std::process::Command::new("python3").arg("-c").arg(script).arg(&path).output().expect("python3");
    assert!(output.status.success(), "python3: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The file name of a download, as `Content-Disposition` gives it.
fn file_name(response: &reqwest::Response) -> String {
    let value = String::from_utf8(response.headers()["content-disposition"].as_bytes().to_vec()).unwrap();
    value.split("filename=\"").nth(1).and_then(|rest| rest.strip_suffix('"')).unwrap().to_string()
}

async fn download(session: &Session, path: &str) -> (String, Value) {
    let response = session.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    let name = file_name(&response);
    (name, dict_reader(&response.bytes().await.unwrap()))
}

#[tokio::test]
async fn python_reads_the_volunteers_and_needs_csvs_with_their_real_header() {
    let app = spawn_app_at(MORNING, |c| {
        c.demo = true;
        c.demo_password = Some(DEMO_PASSWORD.into());
    })
    .await;
    let coordinator = app.client_for("coordinator", DEMO_PASSWORD).await;
    let walk_in = json!({
        "name": "山田 太郎", "furigana": "ヤマダ タロウ", "birth_date": "1985-04-01", "phone": "090-1111-2222",
        "address": "石川県金沢市", "emergency_name": "緊急 連絡", "emergency_phone": "076-220-2111",
        "insurance": "enrolled", "preferred_dates": [TODAY],
    });
    let response = coordinator.post("/api/volunteers", &walk_in).await;
    assert_eq!(response.status(), 201);
    let volunteer: Value = response.json().await.unwrap();
    let response =
        coordinator.post("/api/checkins", &json!({ "volunteer_id": volunteer["id"], "health_ok": true })).await;
    assert!(response.status().is_success(), "{}", response.text().await.unwrap());
    let need = json!({
        "received_via": "phone", "requester_name": "=金沢 花子", "requester_furigana": "カナザワ ハナコ",
        "phone": "076-220-2111", "address": "金沢市広坂1-2-3", "town": "広坂一丁目", "damage": ["above_floor"],
        "categories": ["mud"], "people_needed": 3, "days_estimated": 1, "parking": "no", "priority": 2,
        "lat": 36.567, "lon": 136.652,
    });
    let response = coordinator.post("/api/needs", &need).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());

    let (name, volunteers) = download(&coordinator, &format!("/api/volunteers.csv?date={TODAY}")).await;
    assert_eq!(name, format!("個人情報_ボランティア_{TODAY}.csv"));
    let fields = volunteers["fieldnames"].as_array().unwrap();
    assert_eq!(
        (fields[0].as_str(), fields[1].as_str(), fields[2].as_str()),
        (Some("【個人情報】"), Some("番号"), Some("氏名"))
    );
    let rows = volunteers["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{volunteers}");
    assert_eq!(rows[0]["【個人情報】"], "持出禁止");
    assert_eq!(rows[0]["番号"], volunteer["volunteer_no"]);
    assert_eq!(rows[0]["氏名"], "山田 太郎");
    assert_eq!(rows[0]["保険"], "加入済");
    assert!(rows[0].as_object().unwrap().values().all(|v| !v.is_null()), "no row longer than the header: {rows:?}");

    let (name, needs) = download(&coordinator, "/api/needs.csv").await;
    assert_eq!(name, "個人情報_ニーズ票_20260712-0800.csv");
    let fields = needs["fieldnames"].as_array().unwrap();
    assert_eq!((fields[0].as_str(), fields[1].as_str()), (Some("【個人情報】"), Some("番号")));
    let rows = needs["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{needs}");
    assert_eq!(rows[0]["【個人情報】"], "持出禁止");
    assert_eq!(rows[0]["番号"], "N-0001");
    assert_eq!(rows[0]["依頼者氏名"], "'=金沢 花子", "formulas stay defused");
    assert_eq!(rows[0]["地区"], "香林坊");
}

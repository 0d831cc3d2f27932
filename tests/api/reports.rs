//! 日報 over HTTP: a scripted day (and a second one), its figures as JSON, CSV
//! and PDF, matching the board; the council's summary; who may read them.

use serde_json::{Value, json};

use crate::dispatch::{Center, center, checked_in, volunteer};

async fn need_in(c: &Center, i: usize, zone: &str, categories: Value) -> i64 {
    let body = json!({
        "received_via": "phone", "requester_name": format!("依頼者 {i}"), "phone": format!("076-200-{i:04}"),
        "address": format!("金沢市香林坊2-{i}"), "categories": categories, "people_needed": 2,
        "zone": zone, "force_new": true,
    });
    let response = c.coordinator.post("/api/needs", &body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn item(c: &Center, name: &str) -> i64 {
    let items: Value = c.coordinator.get("/api/items").await.json().await.unwrap();
    items.as_array().unwrap().iter().find(|i| i["name"] == name).unwrap()["id"].as_i64().unwrap()
}

async fn send(c: &Center, body: Value) -> Value {
    let response = c.coordinator.post("/api/teams", &body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

async fn back(c: &Center, team: &Value, body: Value) {
    let response = c.coordinator.post(&format!("/api/teams/{}/return", team["id"]), &body).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
}

async fn daily(c: &Center, date: &str) -> Value {
    let response = c.coordinator.get(&format!("/api/reports/daily?date={date}")).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

fn zone<'a>(figures: &'a Value, list: &str, label: &str) -> &'a Value {
    figures["needs"][list].as_array().unwrap().iter().find(|l| l["label"] == label).unwrap_or_else(|| panic!("{label}"))
}

/// Day one: five volunteers (one uninsured), two needs in two zones, two teams
/// with loans, one back 完了 and one 継続, two check-outs.
async fn day_one(c: &Center) -> Vec<i64> {
    let mut ids = checked_in(c, 4).await;
    ids.push(volunteer(c, 4, "none", true).await);
    let first = need_in(c, 1, "香林坊", json!(["mud"])).await;
    let second = need_in(c, 2, "片町", json!(["mud", "belongings"])).await;
    let (shovel, bags) = (item(c, "剣スコップ").await, item(c, "土のう袋").await);
    let a = send(
        c,
        json!({ "need_id": first, "member_ids": [ids[0], ids[1]], "loans": [
            { "item_id": shovel, "qty": 2 }, { "item_id": bags, "qty": 10 } ] }),
    )
    .await;
    let b = send(
        c,
        json!({ "need_id": second, "member_ids": [ids[2], ids[3]], "loans": [{ "item_id": shovel, "qty": 1 }] }),
    )
    .await;
    c.app.state.clock.advance(chrono::Duration::minutes(150));
    back(
        c,
        &a,
        json!({ "version": 1, "outcome": "done", "returns": [
            { "item_id": shovel, "returned": 1, "lost": 1 }, { "item_id": bags, "returned": 4 } ] }),
    )
    .await;
    back(c, &b, json!({ "version": 1, "outcome": "continue", "returns": [{ "item_id": shovel, "returned": 1 }] }))
        .await;
    for id in [ids[0], ids[1]] {
        assert_eq!(c.desk.post("/api/checkouts", &json!({ "volunteer_id": id })).await.status(), 200);
    }
    ids
}

#[tokio::test]
async fn reports_daily_figures_match_the_board_and_add_up_over_two_days() {
    let c = center().await;
    let ids = day_one(&c).await;

    let report = daily(&c, "2026-07-12").await;
    let today = &report["today"];
    let v = &today["volunteers"];
    let people = [
        "checked_in",
        "individuals",
        "group_members",
        "new",
        "repeat",
        "insurance_enrolled",
        "insurance_enrolled_at_desk",
        "insurance_none",
        "checked_out",
        "not_checked_out",
    ]
    .map(|k| v[k].as_i64().unwrap());
    assert_eq!(people, [5, 5, 0, 5, 0, 4, 0, 1, 2, 3], "{v}");
    assert_eq!(v["hours"], 5.0, "two people checked out after 150 minutes each");
    let needs = &today["needs"];
    assert_eq!([&needs["received"], &needs["done"], &needs["continuing"], &needs["cancelled"]], [2, 1, 1, 0]);
    assert_eq!(zone(today, "by_zone", "香林坊")["done"], 1);
    assert_eq!(zone(today, "by_zone", "片町")["continuing"], 1);
    assert_eq!(zone(today, "by_zone", "片町")["received"], 1);
    assert_eq!(zone(today, "by_category", "泥出し")["received"], 2);
    assert_eq!(zone(today, "by_category", "家財搬出")["continuing"], 1, "a need counts in each of its categories");
    assert_eq!(zone(today, "by_category", "清掃")["received"], 0, "every category is listed");
    assert_eq!(today["teams"], json!({ "dispatched": 2, "people": 4 }));
    assert_eq!(today["equipment"], json!({ "lent": 13, "returned": 6, "lost": 1, "damaged": 0, "consumed": 6 }));
    assert_eq!(report["cumulative"], report["today"], "the first day is all there is");
    assert_eq!(report["center_name"], "災害ボランティアセンター");

    // The board's figures for the same moment.
    let board: Value = c.coordinator.get("/api/board").await.json().await.unwrap();
    let r = &board["reception"];
    for (mine, theirs) in [
        ("checked_in", "checked_in"),
        ("checked_out", "checked_out"),
        ("individuals", "individuals"),
        ("group_members", "group_members"),
        ("insurance_enrolled", "insurance_enrolled"),
        ("insurance_enrolled_at_desk", "insurance_enrolled_at_desk"),
        ("insurance_none", "insurance_none"),
    ] {
        assert_eq!(v[mine], r[theirs], "{mine} in {r}");
    }
    let by_status = &board["needs"]["by_status"];
    let all: i64 = by_status.as_object().unwrap().values().map(|n| n.as_i64().unwrap()).sum();
    assert_eq!(report["cumulative"]["needs"]["received"], all);
    assert_eq!(needs["done"], by_status["done"]);
    assert_eq!(needs["continuing"], by_status["continuing"]);

    // Day two: one of yesterday's comes back, one new face.
    c.app.state.clock.advance(chrono::Duration::hours(24));
    let again = c.desk.post("/api/checkins", &json!({ "volunteer_id": ids[0], "health_ok": true })).await;
    assert_eq!(again.status(), 201, "{}", again.text().await.unwrap());
    volunteer(&c, 5, "enrolled", true).await;
    let second = daily(&c, "2026-07-13").await;
    let (d, cum) = (&second["today"]["volunteers"], &second["cumulative"]["volunteers"]);
    assert_eq!([&d["checked_in"], &d["new"], &d["repeat"]], [2, 1, 1]);
    assert_eq!([&cum["checked_in"], &cum["new"], &cum["repeat"]], [7, 6, 1], "person-days");
    assert_eq!(second["today"]["needs"]["received"], 0);
    assert_eq!(second["cumulative"]["needs"]["received"], 2);
    assert_eq!(second["cumulative"]["equipment"]["lent"], 13);
    assert_eq!(second["first_day"], "2026-07-12");
    let chart: Vec<i64> =
        second["chart"].as_array().unwrap().iter().map(|d| d["volunteers"].as_i64().unwrap()).collect();
    assert_eq!(chart, [5, 2]);
    let board: Value = c.coordinator.get("/api/board").await.json().await.unwrap();
    assert_eq!(d["checked_in"], board["reception"]["checked_in"]);
    assert_eq!(daily(&c, "2026-07-12").await, report, "a past day reads the same later");
    let default: Value = c.coordinator.get("/api/reports/daily").await.json().await.unwrap();
    assert_eq!(default["day"], "2026-07-13", "today by default");

    // The council's summary over both days.
    let summary: Value = c.coordinator.get("/api/reports/summary").await.json().await.unwrap();
    assert_eq!((summary["from"].as_str(), summary["to"].as_str()), (Some("2026-07-12"), Some("2026-07-13")));
    let days = summary["days"].as_array().unwrap();
    assert_eq!(days.len(), 2);
    assert_eq!(days[0]["volunteers"], report["today"]["volunteers"]);
    assert_eq!(summary["totals"]["volunteers"]["checked_in"], 7);
    assert_eq!(summary["totals"]["teams"]["dispatched"], 2);
    let reversed = c.coordinator.get("/api/reports/summary?from=2026-07-13&to=2026-07-12").await;
    assert_eq!(reversed.status(), 422);
    assert_eq!(reversed.json::<Value>().await.unwrap()["error"]["field"], "from");
    let long = c.coordinator.get("/api/reports/summary?from=2025-01-01&to=2026-07-12").await;
    assert_eq!(long.status(), 422);
}

#[tokio::test]
async fn reports_daily_csv_and_pdf_carry_the_figures() {
    let c = center().await;
    day_one(&c).await;

    let csv = c.coordinator.get("/api/reports/daily.csv?date=2026-07-12").await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let bytes = csv.bytes().await.unwrap();
    assert!(bytes.starts_with("\u{FEFF}".as_bytes()), "BOM for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "区分,項目,当日,累計");
    for expected in [
        "ボランティア,合計,5,5",
        "ボランティア,個人,5,5",
        "ボランティア,新規,5,5",
        "保険,未加入,1,1",
        "活動時間,退所者の延べ時間,5.0,5.0",
        "ニーズ,受付,2,2",
        "ニーズ,完了,1,1",
        "ニーズ完了（地区別）,香林坊,1,1",
        "ニーズ継続（作業別）,家財搬出,1,1",
        "班,送り出し班数,2,2",
        "資機材,紛失,1,1",
        "資機材,消費,6,6",
    ] {
        assert!(lines.contains(&expected), "{expected} in\n{text}");
    }
    assert!(lines.iter().skip(1).all(|l| l.split(',').count() == 4), "four columns\n{text}");

    let pdf = c.coordinator.get("/api/reports/daily.pdf?date=2026-07-12").await;
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let bytes = pdf.bytes().await.unwrap();
    let text: String =
        pdf_extract::extract_text_from_mem(&bytes).unwrap().chars().filter(|c| !c.is_whitespace()).collect();
    for expected in [
        "日報",
        "2026年7月12日（日）",
        "災害ボランティアセンター",
        "ボランティア数の推移",
        "項目当日累計",
        "合計55",
        "未加入11",
        "ニーズ受付（地区別）",
        "香林坊",
        "送り出し班数22",
        "紛失11",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    assert!(!text.contains("依頼者") && !text.contains("ボランティア1"), "no names on the report");
}

#[tokio::test]
async fn reports_need_a_coordinator_and_a_real_date() {
    let c = center().await;
    for path in ["/api/reports/daily", "/api/reports/daily.pdf", "/api/reports/daily.csv", "/api/reports/summary"] {
        assert_eq!(c.desk.get(path).await.status(), 403, "{path}: reception may not");
    }
    for path in [
        "/api/reports/daily?date=2026-13-40",
        "/api/reports/daily.csv?date=yesterday",
        "/api/reports/daily.pdf?date=7/12",
    ] {
        let response = c.coordinator.get(path).await;
        assert_eq!(response.status(), 422, "{path}");
        assert_eq!(response.json::<Value>().await.unwrap()["error"]["field"], "date", "{path}");
    }
    let bad = c.coordinator.get("/api/reports/summary?to=someday").await;
    assert_eq!(bad.status(), 422);
    assert_eq!(bad.json::<Value>().await.unwrap()["error"]["field"], "to");
    let empty = daily(&c, "2026-07-12").await;
    assert_eq!(empty["today"]["volunteers"]["checked_in"], 0, "an empty day is all zeros");
    assert_eq!(empty["chart"].as_array().unwrap().len(), 1);
}

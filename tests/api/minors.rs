//! Minors and the health check (issue 15, section 4): the minimum age on both
//! registration paths, the badge's 18歳未満 band, the matching desk's chip and
//! warnings (no adult leader; heavy work confirmed and logged), and the desk's
//! 体調確認 tick asked afresh for each person.

use serde_json::{Value, json};

use crate::browser::Browser;
use crate::dispatch::{Center, center, need, volunteer};
use crate::helpers::TestApp;

/// 2026-07-12 09:00 at the center (the dispatch tests' morning).
const TODAY: &str = "2026-07-12";

fn person(name: &str, phone: &str, birth_date: &str) -> Value {
    json!({
        "name": name, "furigana": "テスト", "birth_date": birth_date, "phone": phone,
        "address": "石川県金沢市", "emergency_name": "家族", "emergency_phone": "076-220-2111",
        "insurance": "enrolled", "preferred_dates": [TODAY],
        "guardian_consent": true, "guardian_name": "保護者 名",
    })
}

async fn volunteers(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM volunteers").fetch_one(&app.state.db.read).await.unwrap()
}

async fn public_register(app: &TestApp, body: &Value, lang: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/api/public/registrations"))
        .header("accept-language", lang)
        .json(body)
        .send()
        .await
        .unwrap()
}

/// A minor (16) registered at the desk and checked in, with a guardian's consent.
async fn minor(c: &Center, phone: &str) -> i64 {
    let response = c.desk.post("/api/volunteers", &person("高校 生", phone, "2010-05-05")).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let id = response.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let checked = c.desk.post("/api/checkins", &json!({ "volunteer_id": id, "health_ok": true })).await;
    assert_eq!(checked.status(), 201, "{}", checked.text().await.unwrap());
    id
}

async fn under_floor_need(c: &Center) -> Value {
    let body = json!({
        "received_via": "phone", "requester_name": "床下 依頼", "phone": "076-200-9999",
        "address": "金沢市香林坊2-99", "categories": ["under_floor", "mud"], "people_needed": 2,
        "lat": 36.6, "lon": 136.652, "force_new": true,
    });
    let response = c.coordinator.post("/api/needs", &body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

#[tokio::test]
async fn the_minimum_age_is_enforced_on_the_public_form_and_at_the_desk_and_follows_the_setting() {
    let c = center().await;
    let before = volunteers(&c.app).await;
    let form_page = |lang: &'static str| {
        let url = c.app.url("/register");
        let client = reqwest::Client::new();
        async move {
            let asked = client.get(url).header("cookie", format!("borasen_lang={lang}")).send().await.unwrap();
            asked.text().await.unwrap()
        }
    };
    // The public form says who may come before anybody types.
    assert!(form_page("ja").await.contains("活動日に13歳以上の方"), "the rule on the form");

    // An 8-year-old: refused on the public form, naming the age, in Japanese and in English.
    let child = person("小学 生", "090-8888-0001", "2018-03-03");
    let refused = public_register(&c.app, &child, "ja").await;
    assert_eq!(refused.status(), 422);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "under_minimum_age");
    assert_eq!(body["error"]["field"], "birth_date");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("13歳以上") && message.contains("8歳"), "{message}");
    let english: Value = public_register(&c.app, &child, "en").await.json().await.unwrap();
    assert!(english["error"]["message"].as_str().unwrap().contains("13 or older"), "{english}");

    // …and at the desk (walk-in).
    let at_desk = c.desk.post("/api/volunteers", &child).await;
    assert_eq!(at_desk.status(), 422);
    assert_eq!(at_desk.json::<Value>().await.unwrap()["error"]["code"], "under_minimum_age");
    assert_eq!(volunteers(&c.app).await, before, "nothing stored");

    // 13 on the day: welcome on both paths.
    let thirteen = person("中学 生", "090-8888-0002", "2013-07-12");
    assert_eq!(public_register(&c.app, &thirteen, "ja").await.status(), 201);
    let mut also_thirteen = person("中学 二", "090-8888-0003", "2013-01-01");
    also_thirteen["preferred_dates"] = json!([]);
    assert_eq!(c.desk.post("/api/volunteers", &also_thirteen).await.status(), 201);

    // The center raises the age to 15 (高校生以上): a 14-year-old is refused from then on.
    let admin = c.app.admin().await;
    let settings: Value = admin.get("/api/settings").await.json().await.unwrap();
    let changed = admin.put("/api/settings", &json!({ "version": settings["version"], "minimum_age": 15 })).await;
    assert_eq!(changed.status(), 200, "{}", changed.text().await.unwrap());
    let fourteen = person("中学 三", "090-8888-0004", "2012-01-01");
    let refused: Value = c.desk.post("/api/volunteers", &fourteen).await.json().await.unwrap();
    assert!(refused["error"]["message"].as_str().unwrap().contains("15 or older"), "{refused}");
    assert!(form_page("ja").await.contains("活動日に15歳以上の方"), "the form follows the setting");
    assert!(form_page("en").await.contains("must be 15 or older on the day"));
    assert_eq!(volunteers(&c.app).await, before + 2);
}

#[tokio::test]
async fn a_minors_badge_carries_the_under_18_band_and_an_adults_does_not() {
    let c = center().await;
    let young = minor(&c, "090-7000-0001").await;
    let adult = volunteer(&c, 1, "enrolled", true).await;
    let text = |id: i64| {
        let desk = &c.desk;
        async move {
            let response = desk.get(&format!("/api/volunteers/{id}/badge.pdf")).await;
            assert_eq!(response.status(), 200);
            let text = pdf_extract::extract_text_from_mem(&response.bytes().await.unwrap()).unwrap();
            text.chars().filter(|c| !c.is_whitespace()).collect::<String>()
        }
    };
    let minor_badge = text(young).await;
    assert!(minor_badge.contains("18歳未満") && minor_badge.contains("Under18"), "{minor_badge}");
    assert!(minor_badge.contains("高校生"), "{minor_badge}");
    let adult_badge = text(adult).await;
    assert!(!adult_badge.contains("18歳未満") && !adult_badge.contains("Under18"), "{adult_badge}");
}

#[tokio::test]
async fn a_minor_goes_to_heavy_work_only_when_the_coordinator_confirms_and_the_log_says_so() {
    let c = center().await;
    let young = minor(&c, "090-7000-0002").await;
    let adult = volunteer(&c, 1, "enrolled", true).await;
    let heavy = under_floor_need(&c).await;
    let teams = |c: &Center| {
        let db = c.app.state.db.read.clone();
        async move { sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM teams").fetch_one(&db).await.unwrap() }
    };

    // No adult leader: still refused (the leader answers for the team on site).
    let led_by_minor = c
        .coordinator
        .post("/api/teams", &json!({ "need_id": heavy["id"], "leader_id": young, "member_ids": [young, adult] }))
        .await;
    assert_eq!(led_by_minor.status(), 409);
    assert_eq!(led_by_minor.json::<Value>().await.unwrap()["error"]["code"], "minor_leader");

    // Heavy work (床下 is in the default setting): a warning the coordinator must confirm.
    let team = json!({ "need_id": heavy["id"], "leader_id": adult, "member_ids": [adult, young] });
    let warned = c.coordinator.post("/api/teams", &team).await;
    assert_eq!(warned.status(), 409);
    let body: Value = warned.json().await.unwrap();
    assert_eq!(body["error"]["code"], "minor_heavy_work");
    assert_eq!(body["error"]["field"], "confirm_minor_heavy_work");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("V-0001") && message.contains("heavy work (under_floor)"), "{message}");
    assert_eq!(teams(&c).await, 0, "nothing sent");
    assert_eq!(need_status(&c, &heavy).await, "received", "the need did not move");

    let mut confirmed = team.clone();
    confirmed["confirm_minor_heavy_work"] = json!(true);
    let sent = c.coordinator.post("/api/teams", &confirmed).await;
    assert_eq!(sent.status(), 201, "{}", sent.text().await.unwrap());
    let data: String = sqlx::query_scalar("SELECT data FROM events WHERE kind = 'team.dispatched'")
        .fetch_one(&c.app.state.db.read)
        .await
        .unwrap();
    let data: Value = serde_json::from_str(&data).unwrap();
    assert_eq!(data["minors_on_heavy_work"], json!(["V-0001"]), "{data}");

    // Light work (泥出し only): no warning; and the setting decides what is heavy.
    let light = need(&c, 1).await;
    let other = volunteer(&c, 2, "enrolled", true).await;
    let young_two = minor(&c, "090-7000-0003").await;
    let light_team = json!({ "need_id": light["id"], "leader_id": other, "member_ids": [other, young_two] });
    assert_eq!(c.coordinator.post("/api/teams", &light_team).await.status(), 201);
    let data: String = sqlx::query_scalar("SELECT data FROM events WHERE kind = 'team.dispatched' ORDER BY seq DESC")
        .fetch_one(&c.app.state.db.read)
        .await
        .unwrap();
    assert!(!data.contains("minors_on_heavy_work"), "nothing to confirm on light work: {data}");
}

async fn need_status(c: &Center, need: &Value) -> String {
    let now: Value = c.coordinator.get(&format!("/api/needs/{}", need["id"])).await.json().await.unwrap();
    now["status"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_matching_desk_marks_minors_in_the_pool_and_warns_while_forming() {
    let Some(mut browser) = Browser::launch().await else { return };
    let c = center().await;
    volunteer(&c, 0, "enrolled", true).await; // V-0001
    minor(&c, "090-7000-0004").await; // V-0002
    under_floor_need(&c).await; // N-0001
    browser.log_in(&c.app, "coordinator", "demo-pass-2026").await;
    browser.goto(&c.app.url("/matching")).await;
    browser.wait_for("document.querySelectorAll('#pool button').length === 2").await;
    let chip = |no: &str| format!("document.querySelector('#pool button[data-volunteer=\"{no}\"]')");
    assert_eq!(browser.eval(&format!("{}.querySelector('.tag.minor').textContent", chip("V-0002"))).await, "18歳未満");
    assert_eq!(browser.eval(&format!("{}.querySelector('.tag.minor')", chip("V-0001"))).await, Value::Null);

    // The minor scanned first would lead: the desk warns before anything is sent.
    let scanned = "(code => { const i = document.getElementById('scan'); i.value = code; i.form.requestSubmit(); })";
    for code in ["N-0001", "V-0002", "V-0001"] {
        browser.eval(&format!("{scanned}({})", json!(code))).await;
    }
    browser.wait_for("document.querySelectorAll('#members li').length === 2").await;
    let warnings = "document.getElementById('minor-warnings')";
    browser.wait_for(&format!("!{warnings}.hidden")).await;
    let text = browser.eval(&format!("{warnings}.textContent")).await;
    assert!(text.as_str().unwrap().contains("大人をリーダー"), "{text}");
    assert!(text.as_str().unwrap().contains("力仕事（床下）"), "{text}");
    browser.screenshot("matching-minor-warnings.png").await;

    // The adult leads: only the heavy-work warning stays; sending without the tick is refused by the server.
    browser.eval("Array.from(document.querySelectorAll('#members .who-name')).find(b => b.textContent.includes('V-0001')).click()").await;
    browser.wait_for(&format!("!{warnings}.textContent.includes('大人をリーダー')")).await;
    browser.eval("document.getElementById('dispatch').click()").await;
    browser.wait_for("!document.getElementById('team-error').hidden").await;
    let error = browser.eval("document.getElementById('team-error').textContent").await;
    assert!(error.as_str().unwrap().contains("18歳未満"), "{error}");
    browser.eval("document.getElementById('confirm-minor-heavy-work').click()").await;
    browser.eval("document.getElementById('dispatch').click()").await;
    browser.wait_for("!document.getElementById('dispatched').hidden").await;
    let team: String = sqlx::query_scalar("SELECT data FROM events WHERE kind = 'team.dispatched'")
        .fetch_one(&c.app.state.db.read)
        .await
        .unwrap();
    assert!(team.contains("\"minors_on_heavy_work\":[\"V-0002\"]"), "{team}");
}

#[tokio::test]
async fn the_desks_health_tick_is_asked_afresh_for_each_volunteer() {
    let Some(mut browser) = Browser::launch().await else { return };
    let c = center().await;
    for i in 0..2 {
        volunteer(&c, i, "enrolled", false).await;
    }
    browser.log_in(&c.app, "reception", "demo-pass-2026").await;
    browser.goto(&c.app.url("/reception")).await;
    let tick = "document.getElementById('health-ok')";
    let scan = |code: &str| {
        format!(
            "{{ const i = document.getElementById('scan-input'); i.value = {}; i.form.requestSubmit(); }}",
            json!(code)
        )
    };
    browser.eval(&format!("{tick}.checked = true")).await;
    browser.eval(&scan("V-0001")).await;
    browser.wait_for("document.getElementById('result').textContent.includes('受付しました')").await;
    assert_eq!(browser.eval(&format!("{tick}.checked")).await, false, "cleared after the check-in");

    // The next person without their own check: refused, nothing stored.
    browser.eval(&scan("V-0002")).await;
    browser.wait_for("document.getElementById('result').textContent.includes('体調')").await;
    assert_eq!(checked_in(&c).await, 1);
    browser.eval(&format!("{tick}.checked = true")).await;
    browser.eval(&scan("V-0002")).await;
    browser.wait_for("document.getElementById('count-checked-in').textContent === '2'").await;
    assert_eq!(browser.eval(&format!("{tick}.checked")).await, false);
    assert_eq!(checked_in(&c).await, 2);
}

async fn checked_in(c: &Center) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM checkins").fetch_one(&c.app.state.db.read).await.unwrap()
}

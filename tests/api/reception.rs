//! Volunteer reception over HTTP: registration, search, duplicates, check-in,
//! the insurance gate, groups, capacity, badges, CSV, and the board's counts.

use serde_json::{Value, json};

use crate::bodies::registration;
use crate::contract::Checked;
use crate::helpers::{Session, TestApp, spawn_app_at, spawn_app_with};

/// 2026-07-12 is a Sunday, 08:00 at the center.
const MORNING: &str = "2026-07-12T08:00:00+09:00";
const TODAY: &str = "2026-07-12";

/// Today's registration of a volunteer with a chainsaw.
fn person(name: &str, furigana: &str, phone: &str) -> Value {
    let mut body = registration(name, furigana, phone, TODAY);
    body["skills"] = json!(["チェーンソー"]);
    body
}

async fn count(app: &TestApp, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&app.state.db.read).await.unwrap()
}

async fn public_register(app: &TestApp, body: &Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/api/public/registrations"))
        .header("accept-language", "ja")
        .json(body)
        .send()
        .await
        .unwrap()
        .checked("POST", "/api/public/registrations", app)
        .await
}

async fn walk_in(desk: &Session, body: &Value) -> Value {
    let response = desk.post("/api/volunteers", body).await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

async fn check_in(desk: &Session, body: Value) -> reqwest::Response {
    desk.post("/api/checkins", &body).await
}

#[tokio::test]
async fn every_required_or_malformed_field_is_a_422_naming_it_and_nothing_is_written() {
    let app = spawn_app_at(MORNING, |_| {}).await;
    let before = app.last_seq().await;
    let good = person("山田 太郎", "ヤマダ タロウ", "090-1111-2222");
    let mut cases: Vec<(Value, &str)> = Vec::new();
    for field in [
        "name",
        "furigana",
        "birth_date",
        "phone",
        "address",
        "emergency_name",
        "emergency_phone",
        "insurance",
        "preferred_dates",
    ] {
        let mut missing = good.clone();
        missing.as_object_mut().unwrap().remove(field);
        cases.push((missing, field));
    }
    let malformed: [(&str, Value, &str); 10] = [
        ("furigana", json!("山田"), "furigana"),
        ("phone", json!("12-34"), "phone"),
        ("emergency_phone", json!("緊急"), "emergency_phone"),
        ("birth_date", json!("1990-13-01"), "birth_date"),
        ("birth_date", json!("2030-01-01"), "birth_date"),
        ("email", json!("not-an-address"), "email"),
        ("insurance", json!("maybe"), "insurance"),
        ("preferred_dates", json!(["2026-07-01"]), "preferred_dates"),
        ("name", json!("   "), "name"),
        ("experience_count", json!(-1), "experience_count"),
    ];
    for (field, value, expected) in malformed {
        let mut bad = good.clone();
        bad[field] = value;
        cases.push((bad, expected));
    }
    let mut group = good.clone();
    group["kind"] = json!("group");
    group["group_size"] = json!(5);
    cases.push((group.clone(), "group_name"));
    group["group_name"] = json!("金沢大学ボランティア部");
    group["group_size"] = json!(1);
    cases.push((group, "group_size"));

    for (body, field) in cases {
        let response = public_register(&app, &body).await;
        assert_eq!(response.status(), 422, "{field}: {body}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["field"], field, "{error}");
        assert!(!error["error"]["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(count(&app, "volunteers").await, 0);
    assert_eq!(app.last_seq().await, before, "nothing written");
}

#[tokio::test]
async fn pre_registration_returns_a_number_and_an_unguessable_token() {
    let app = spawn_app_at(MORNING, |_| {}).await;
    let first: Value =
        public_register(&app, &person("山田 太郎", "やまだ たろう", "090-1111-2222")).await.json().await.unwrap();
    let second: Value =
        public_register(&app, &person("鈴木 花子", "スズキ ハナコ", "080-3333-4444")).await.json().await.unwrap();
    assert_eq!(first["volunteer_no"], "V-0001");
    assert_eq!(second["volunteer_no"], "V-0002");
    let token = first["qr_token"].as_str().unwrap();
    assert_eq!(token.len(), 32);
    assert!(token.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase()));
    assert_ne!(first["qr_token"], second["qr_token"]);
    assert_eq!(first.as_object().unwrap().len(), 2, "the public answer carries nothing else: {first}");

    let desk = app.user_with_role("uketsuke", "reception").await;
    let found: Value = desk.get("/api/volunteers?q=V-0001").await.json().await.unwrap();
    assert_eq!(found[0]["furigana"], "ヤマダ タロウ", "hiragana stored as katakana");
    assert_eq!(found[0]["source"], "pre_registration");
    assert!(found[0].get("qr_token").is_none(), "staff views never carry the token");
}

#[tokio::test]
async fn search_by_furigana_name_phone_in_any_form_and_number() {
    let app = spawn_app_at(MORNING, |_| {}).await;
    let desk = app.user_with_role("uketsuke", "reception").await;
    walk_in(&desk, &person("山田 太郎", "ヤマダ タロウ", "090-1111-2222")).await;
    walk_in(&desk, &person("山本 一郎", "ヤマモト イチロウ", "０８０－５５５５－６６６６")).await;
    walk_in(&desk, &person("佐藤 花", "サトウ ハナ", "+81 70 7777 8888")).await;

    let names =
        |v: Value| v.as_array().unwrap().iter().map(|x| x["name"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    let search = |q: &'static str| {
        let desk = &desk;
        async move { names(desk.get(&format!("/api/volunteers?q={}", urlencode(q))).await.json().await.unwrap()) }
    };
    assert_eq!(search("ヤマ").await, ["山田 太郎", "山本 一郎"]);
    assert_eq!(search("やまだ").await, ["山田 太郎"]);
    assert_eq!(search("ﾔﾏﾓﾄ").await, ["山本 一郎"]);
    assert_eq!(search("ヤマダタロウ").await, ["山田 太郎"], "spaces do not matter");
    assert_eq!(search("山田").await, ["山田 太郎"]);
    assert_eq!(search("09011112222").await, ["山田 太郎"]);
    assert_eq!(search("０９０－１１１１－２２２２").await, ["山田 太郎"]);
    assert_eq!(search("080-5555-6666").await, ["山本 一郎"], "stored full-width, found half-width");
    assert_eq!(search("070-7777-8888").await, ["佐藤 花"], "stored +81, found domestic");
    assert_eq!(search("+81 80 5555 6666").await, ["山本 一郎"]);
    assert_eq!(search("8888").await, ["佐藤 花"], "the last digits");
    assert_eq!(search("V-0002").await, ["山本 一郎"]);
    assert_eq!(search("v2").await, ["山本 一郎"]);
    assert!(search("タナカ").await.is_empty());
    assert!(search("%").await.is_empty(), "LIKE wildcards are literal");
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'-' { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[tokio::test]
async fn re_registration_offers_the_existing_record_instead_of_a_twin() {
    let app = spawn_app_at(MORNING, |_| {}).await;
    let desk = app.user_with_role("uketsuke", "reception").await;
    let first = walk_in(&desk, &person("山田 太郎", "ヤマダ タロウ", "090-1111-2222")).await;

    // Same person, phone written differently, name without the space.
    let again = desk.post("/api/volunteers", &person("山田太郎", "ヤマダタロウ", "09011112222")).await;
    assert_eq!(again.status(), 409);
    let body: Value = again.json().await.unwrap();
    assert_eq!(body["error"]["code"], "duplicate");
    assert_eq!(body["error"]["details"]["existing"]["volunteer_no"], first["volunteer_no"]);
    assert_eq!(count(&app, "volunteers").await, 1);

    // Same phone, another name (a family sharing a phone): a new record.
    walk_in(&desk, &person("山田 花子", "ヤマダ ハナコ", "090-1111-2222")).await;
    // Reception insists it is someone else.
    let mut forced = person("山田 太郎", "ヤマダ タロウ", "090-1111-2222");
    forced["force_new"] = json!(true);
    walk_in(&desk, &forced).await;
    assert_eq!(count(&app, "volunteers").await, 3);

    // The public form says only "go to the desk".
    let public = public_register(&app, &person("山田 太郎", "ヤマダ タロウ", "090-1111-2222")).await;
    assert_eq!(public.status(), 409);
    let body: Value = public.json().await.unwrap();
    assert_eq!(body["error"]["code"], "already_registered");
    assert!(body["error"].get("details").is_none(), "nothing about the existing record leaks: {body}");
}

#[tokio::test]
async fn check_in_by_token_and_by_number_once_a_day() {
    let app = spawn_app_at(MORNING, |_| {}).await;
    let desk = app.user_with_role("uketsuke", "reception").await;
    let receipt: Value =
        public_register(&app, &person("山田 太郎", "ヤマダ タロウ", "090-1111-2222")).await.json().await.unwrap();
    let token = receipt["qr_token"].as_str().unwrap();

    // A scanner may send the token in lower case or with a trailing newline.
    let by_token =
        check_in(&desk, json!({ "qr_token": format!("{}\n", token.to_lowercase()), "health_ok": true })).await;
    assert_eq!(by_token.status(), 201);
    let volunteer: Value = by_token.json().await.unwrap();
    assert_eq!(volunteer["today"]["method"], "qr");
    assert_eq!(volunteer["today"]["insurance"], "enrolled");
    assert_eq!(volunteer["today"]["dispatchable"], true);
    assert_eq!(volunteer["today"]["checked_in_at"], MORNING);

    let desk_ja = desk.speaking("ja");
    let twice = desk_ja.post("/api/checkins", &json!({ "volunteer_no": "V-0001", "health_ok": true })).await;
    assert_eq!(twice.status(), 409);
    let body: Value = twice.json().await.unwrap();
    assert_eq!(body["error"]["code"], "already_checked_in");
    assert!(body["error"]["message"].as_str().unwrap().contains("08:00 に受付済み"), "{body}");

    let unknown = desk_ja
        .post("/api/checkins", &json!({ "qr_token": "0123456789ABCDEF0123456789ABCDEF", "health_ok": true }))
        .await;
    assert_eq!(unknown.status(), 404);
    let body: Value = unknown.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("QRコードは登録されていません"));

    walk_in(&desk, &person("鈴木 花子", "スズキ ハナコ", "080-3333-4444")).await;
    let by_number = check_in(&desk, json!({ "volunteer_no": "Ｖ－０００２", "health_ok": true })).await;
    assert_eq!(by_number.status(), 201);
    let body: Value = by_number.json().await.unwrap();
    assert_eq!(body["today"]["method"], "number");

    let unwell = check_in(&desk, json!({ "volunteer_id": 1, "health_ok": false })).await;
    assert_eq!(unwell.status(), 422, "the health check comes first");
    let ambiguous = check_in(&desk, json!({ "volunteer_id": 2, "volunteer_no": "V-0002", "health_ok": true })).await;
    assert_eq!(ambiguous.status(), 422);
    assert_eq!(count(&app, "checkins").await, 2);
}

#[tokio::test]
async fn the_health_check_and_a_minors_guardian_consent_come_before_check_in() {
    let app = spawn_app_at(MORNING, |_| {}).await;
    let desk = app.user_with_role("uketsuke", "reception").await;
    let mut minor = person("高校 生徒", "コウコウ セイト", "090-9999-0000");
    minor["birth_date"] = json!("2009-07-13"); // 17 until tomorrow
    let volunteer = walk_in(&desk, &minor).await;
    assert_eq!(volunteer["minor"], true);
    let id = volunteer["id"].as_i64().unwrap();

    let unwell = check_in(&desk, json!({ "volunteer_id": id, "health_ok": false })).await;
    assert_eq!(unwell.status(), 422);
    assert_eq!(unwell.json::<Value>().await.unwrap()["error"]["field"], "health_ok");

    let no_consent = check_in(&desk, json!({ "volunteer_id": id, "health_ok": true })).await;
    assert_eq!(no_consent.status(), 422);
    assert_eq!(no_consent.json::<Value>().await.unwrap()["error"]["field"], "guardian_consent");
    assert_eq!(count(&app, "checkins").await, 0);

    let with_consent = check_in(
        &desk,
        json!({ "volunteer_id": id, "health_ok": true, "guardian_consent": true, "guardian_name": "高校 保護者" }),
    )
    .await;
    assert_eq!(with_consent.status(), 201);
    let body: Value = with_consent.json().await.unwrap();
    assert_eq!(body["guardian_consent"], true, "recorded on the volunteer for next time");
}

#[tokio::test]
async fn the_insurance_gate_holds_until_enrolment_at_the_desk() {
    let app = spawn_app_at(MORNING, |_| {}).await;
    let desk = app.user_with_role("uketsuke", "reception").await;
    let mut uninsured = person("未加入 太郎", "ミカニュウ タロウ", "090-1212-3434");
    uninsured["insurance"] = json!("none");
    let id = walk_in(&desk, &uninsured).await["id"].as_i64().unwrap();
    let day = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    let pool = &app.state.db.read;

    assert!(!borasen::reception::can_dispatch(pool, id, day).await.unwrap(), "not checked in");
    let body: Value = check_in(&desk, json!({ "volunteer_id": id, "health_ok": true })).await.json().await.unwrap();
    assert_eq!(body["today"]["insurance"], "none");
    assert_eq!(body["today"]["dispatchable"], false);
    assert_eq!(
        borasen::reception::dispatch_block(pool, id, day).await.unwrap(),
        Some(borasen::reception::DispatchBlock::Uninsured)
    );

    let missing_plan =
        desk.post(&format!("/api/volunteers/{id}/insurance"), &json!({ "insurance": "enrolled_at_desk" })).await;
    assert_eq!(missing_plan.status(), 422);
    assert!(!borasen::reception::can_dispatch(pool, id, day).await.unwrap());

    let enrolled = desk
        .post(
            &format!("/api/volunteers/{id}/insurance"),
            &json!({ "insurance": "enrolled_at_desk", "insurance_plan": "基本タイプ", "insurance_fee_yen": 350 }),
        )
        .await;
    assert_eq!(enrolled.status(), 200);
    let body: Value = enrolled.json().await.unwrap();
    assert_eq!(body["insurance"], "enrolled", "enrolled for later days too");
    assert_eq!(body["today"]["insurance_fee_yen"], 350);
    assert!(borasen::reception::can_dispatch(pool, id, day).await.unwrap());

    let out = desk.post("/api/checkouts", &json!({ "volunteer_id": id })).await;
    assert_eq!(out.status(), 200);
    assert_eq!(
        borasen::reception::dispatch_block(pool, id, day).await.unwrap(),
        Some(borasen::reception::DispatchBlock::CheckedOut)
    );
}

#[tokio::test]
async fn groups_register_once_and_check_in_their_arrived_count() {
    let app = spawn_app_at(MORNING, |_| {}).await;
    let desk = app.user_with_role("uketsuke", "reception").await;
    let coordinator = app.user_with_role("honbu", "coordinator").await;
    let mut group = person("代表 一郎", "ダイヒョウ イチロウ", "090-5656-7878");
    group["kind"] = json!("group");
    group["group_name"] = json!("北陸電力労働組合");
    group["group_size"] = json!(6);
    let rep = walk_in(&desk, &group).await;
    assert_eq!(rep["volunteer_no"], "V-0001");

    // One member registers by name and joins the group.
    let mut member = person("隊員 二郎", "タイイン ジロウ", "080-1010-2020");
    member["group_no"] = json!("V-0001");
    let member = walk_in(&desk, &member).await;
    assert_eq!(member["group_id"], rep["id"]);
    let mut stray = person("迷子 三郎", "マイゴ サブロウ", "080-3030-4040");
    stray["group_no"] = json!("V-0002");
    let refused = desk.post("/api/volunteers", &stray).await;
    assert_eq!(refused.status(), 422, "V-0002 is a person, not a group");

    // The representative checks in the rest: 6 less the named member by default.
    let body: Value =
        check_in(&desk, json!({ "volunteer_id": rep["id"], "health_ok": true })).await.json().await.unwrap();
    assert_eq!(body["today"]["headcount"], 5);
    check_in(&desk, json!({ "volunteer_id": member["id"], "health_ok": true })).await;
    let board: Value = coordinator.get("/api/board").await.json().await.unwrap();
    assert_eq!(board["reception"]["checked_in"], 6);
    assert_eq!(board["reception"]["group_members"], 6, "named members count with their group");
    assert_eq!(board["reception"]["individuals"], 0);
    assert_eq!(board["reception"]["records"], 2);

    // A member named only after the representative checked in was in the
    // representative's count: checking them in moves them, it does not add one.
    app.state.clock.advance(chrono::Duration::minutes(5));
    let mut late = person("遅れ 五郎", "オクレ ゴロウ", "080-7070-8080");
    late["group_no"] = json!("V-0001");
    let late = walk_in(&desk, &late).await;
    let body: Value =
        check_in(&desk, json!({ "volunteer_id": late["id"], "health_ok": true })).await.json().await.unwrap();
    assert_eq!(body["today"]["headcount"], 1);
    let board: Value = coordinator.get("/api/board").await.json().await.unwrap();
    assert_eq!(board["reception"]["checked_in"], 6, "still six people");
    assert_eq!(board["reception"]["records"], 3);

    let individual = walk_in(&desk, &person("個人 四郎", "コジン シロウ", "080-5050-6060")).await;
    let not_a_group =
        check_in(&desk, json!({ "volunteer_id": individual["id"], "health_ok": true, "arrived_count": 3 })).await;
    assert_eq!(not_a_group.status(), 422);
}

#[tokio::test]
async fn a_full_day_closes_pre_registration_and_other_days_stay_open() {
    let app = spawn_app_at(MORNING, |_| {}).await;
    let admin = app.admin().await;
    let set = admin.put(&format!("/api/capacity/{TODAY}"), &json!({ "capacity": 3 })).await;
    assert_eq!(set.status(), 200);
    let desk = app.user_with_role("uketsuke", "reception").await;
    let refused = desk.put(&format!("/api/capacity/{TODAY}"), &json!({ "capacity": 300 })).await;
    assert_eq!(refused.status(), 403, "capacity is the admin's");

    let mut pair = person("団体 代表", "ダンタイ ダイヒョウ", "090-1000-2000");
    pair["kind"] = json!("group");
    pair["group_name"] = json!("二人組");
    pair["group_size"] = json!(2);
    assert_eq!(public_register(&app, &pair).await.status(), 201);
    assert_eq!(public_register(&app, &person("一人 目", "ヒトリ メ", "090-3000-4000")).await.status(), 201);
    let before = count(&app, "volunteers").await;
    let full = public_register(&app, &person("満員 太郎", "マンイン タロウ", "090-5000-6000")).await;
    assert_eq!(full.status(), 409);
    let body: Value = full.json().await.unwrap();
    assert_eq!(body["error"]["code"], "capacity_full");
    assert_eq!(body["error"]["field"], "preferred_dates");
    assert!(body["error"]["message"].as_str().unwrap().contains("7月12日（日）"), "{body}");
    assert_eq!(count(&app, "volunteers").await, before, "nothing written");

    let mut tomorrow = person("満員 太郎", "マンイン タロウ", "090-5000-6000");
    tomorrow["preferred_dates"] = json!(["2026-07-13"]);
    assert_eq!(public_register(&app, &tomorrow).await.status(), 201);

    let days: Value = reqwest::get(app.url("/api/public/days?days=2")).await.unwrap().json().await.unwrap();
    assert_eq!(days[0], json!({ "day": TODAY, "capacity": 3, "booked": 3, "open": false }));
    assert_eq!(days[1]["open"], true);
    // Walk-ins at the desk are not refused by the pre-registration limit.
    walk_in(&desk, &person("当日 来場", "トウジツ ライジョウ", "090-7000-8000")).await;
}

#[tokio::test]
async fn the_public_endpoint_is_rate_limited_per_address() {
    let app = spawn_app_with(|c| c.public_rate_limit = 3).await;
    for i in 0..3 {
        let response = public_register(&app, &json!({ "name": format!("試行{i}") })).await;
        assert_eq!(response.status(), 422);
    }
    let limited = public_register(&app, &json!({ "name": "四回目" })).await;
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
    assert_eq!(limited.json::<Value>().await.unwrap()["error"]["code"], "rate_limited");
}

#[tokio::test]
async fn the_board_counts_today_by_insurance_and_type_and_check_out_records_hours() {
    let app = spawn_app_at(MORNING, |_| {}).await;
    let desk = app.user_with_role("uketsuke", "reception").await;
    let coordinator = app.user_with_role("honbu", "coordinator").await;
    let a = walk_in(&desk, &person("甲 太郎", "コウ タロウ", "090-0000-0001")).await;
    let mut uninsured = person("乙 次郎", "オツ ジロウ", "090-0000-0002");
    uninsured["insurance"] = json!("none");
    let b = walk_in(&desk, &uninsured).await;
    let c = walk_in(&desk, &person("丙 三郎", "ヘイ サブロウ", "090-0000-0003")).await;
    check_in(&desk, json!({ "volunteer_id": a["id"], "health_ok": true })).await;
    check_in(&desk, json!({ "volunteer_id": b["id"], "health_ok": true })).await;
    let desk_enrolled = check_in(
        &desk,
        json!({ "volunteer_id": c["id"], "health_ok": true, "insurance": "enrolled_at_desk", "insurance_plan": "天災タイプ", "insurance_fee_yen": 500 }),
    )
    .await;
    assert_eq!(desk_enrolled.status(), 201);

    app.state.clock.advance(chrono::Duration::minutes(185));
    let out: Value = desk.post("/api/checkouts", &json!({ "volunteer_id": a["id"] })).await.json().await.unwrap();
    assert_eq!(out["minutes"], 185);
    assert_eq!(out["checked_out_at"], "2026-07-12T11:05:00+09:00");
    let again = desk.post("/api/checkouts", &json!({ "volunteer_id": a["id"] })).await;
    assert_eq!(again.status(), 409);

    let board: Value = coordinator.get("/api/board").await.json().await.unwrap();
    let reception = &board["reception"];
    assert_eq!(reception["checked_in"], 3);
    assert_eq!(reception["waiting"], 2);
    assert_eq!(reception["checked_out"], 1);
    assert_eq!(reception["insurance_enrolled"], 1);
    assert_eq!(reception["insurance_enrolled_at_desk"], 1);
    assert_eq!(reception["insurance_none"], 1);
    assert_eq!(reception["individuals"], 3);

    // The log holds numbers, never names, phones, addresses or emergency contacts.
    let events: Vec<String> =
        sqlx::query_scalar("SELECT actor || subject || data FROM events WHERE kind LIKE 'volunteer.%'")
            .fetch_all(&app.state.db.read)
            .await
            .unwrap();
    assert_eq!(events.len(), 3 + 3 + 1);
    for data in events {
        for personal in
            ["甲", "乙", "丙", "090-0000", "0900000", "金沢市", "緊急 連絡", "076-220", "0762202111", "1985-04-01"]
        {
            assert!(!data.contains(personal), "{personal} in {data}");
        }
    }
}

#[tokio::test]
async fn the_days_csv_opens_in_excel_and_says_it_is_personal_data() {
    let app = spawn_app_at(MORNING, |_| {}).await;
    let desk = app.user_with_role("uketsuke", "reception").await;
    let mut tricky = person("=HYPERLINK(\"http://x\")", "イタズラ", "090-4444-5555");
    tricky["address"] = json!("石川県金沢市, 広坂1丁目");
    let a = walk_in(&desk, &tricky).await;
    let b = walk_in(&desk, &person("山田 太郎", "ヤマダ タロウ", "090-1111-2222")).await;
    walk_in(&desk, &person("来ない 人", "コナイ ヒト", "090-6666-7777")).await;
    check_in(&desk, json!({ "volunteer_id": b["id"], "health_ok": true })).await;
    app.state.clock.advance(chrono::Duration::minutes(2));
    check_in(&desk, json!({ "volunteer_id": a["id"], "health_ok": true })).await;

    assert_eq!(desk.get("/api/volunteers.csv").await.status(), 403, "coordinators and admins only");
    let coordinator = app.user_with_role("honbu", "coordinator").await;
    let response = coordinator.get(&format!("/api/volunteers.csv?date={TODAY}")).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let bytes = response.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 BOM");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // Issue 15: the personal-data mark is the first column, not a line above the header.
    assert_eq!((&rows[0][0], &rows[0][1]), ("【個人情報】", "番号"));
    assert_eq!(rows.len(), 3, "header, two checked-in volunteers");
    assert_eq!((&rows[1][0], &rows[1][2]), ("持出禁止", "山田 太郎"));
    assert_eq!(&rows[1][17], "加入済");
    assert_eq!(&rows[2][2], "'=HYPERLINK(\"http://x\")", "formulas are defused");
    assert_eq!(&rows[2][9], "石川県金沢市, 広坂1丁目", "commas survive quoting");
}

#[tokio::test]
async fn badges_are_small_japanese_pdfs_with_name_and_number() {
    let app = spawn_app_at(MORNING, |_| {}).await;
    let desk = app.user_with_role("uketsuke", "reception").await;
    let receipt: Value =
        public_register(&app, &person("山田 太郎", "ヤマダ タロウ", "090-1111-2222")).await.json().await.unwrap();

    let response = desk.get("/api/volunteers/1/badge.pdf").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let pdf = response.bytes().await.unwrap();
    assert!(pdf.len() < 100 * 1024, "{} bytes", pdf.len());
    let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    for expected in ["山田 太郎", "ヤマダ タロウ", "V-0001", "7月12日（日）", "加入済"] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    assert!(!text.contains("訓練"), "no drill watermark on live papers");

    let token = receipt["qr_token"].as_str().unwrap();
    let public = reqwest::get(app.url(&format!("/api/public/registrations/{token}/badge.pdf"))).await.unwrap();
    assert_eq!(public.status(), 200);
    let unknown = reqwest::get(app.url("/api/public/registrations/0000/badge.pdf")).await.unwrap();
    assert_eq!(unknown.status(), 404);
    assert_eq!(reqwest::get(app.url("/api/volunteers/1/badge.pdf")).await.unwrap().status(), 401);
}

#[tokio::test]
async fn only_reception_staff_and_above_work_the_desk() {
    let app = spawn_app_at(MORNING, |_| {}).await;
    let trainer = app.user_with_role("kunren", "trainer").await;
    assert_eq!(
        trainer.post("/api/volunteers", &person("山田 太郎", "ヤマダ タロウ", "090-1111-2222")).await.status(),
        403
    );
    assert_eq!(trainer.get("/api/volunteers?q=ヤマダ").await.status(), 403);
    let coordinator = app.user_with_role("honbu", "coordinator").await;
    assert_eq!(
        coordinator.post("/api/volunteers", &person("山田 太郎", "ヤマダ タロウ", "090-1111-2222")).await.status(),
        201
    );
    assert_eq!(reqwest::get(app.url("/api/volunteers?q=a")).await.unwrap().status(), 401);
}

#[tokio::test]
async fn the_public_form_cannot_force_a_twin_or_join_a_group_by_number() {
    let app = spawn_app_at(MORNING, |_| {}).await;
    assert_eq!(public_register(&app, &person("山田 太郎", "ヤマダ タロウ", "090-1111-2222")).await.status(), 201);
    let mut forced = person("山田 太郎", "ヤマダ タロウ", "090-1111-2222");
    forced["force_new"] = json!(true);
    let twin = public_register(&app, &forced).await;
    assert_eq!(twin.status(), 409, "force_new is for staff only");
    let mut joining = person("参加 希望", "サンカ キボウ", "080-1234-0000");
    joining["group_no"] = json!("V-0001");
    let refused = public_register(&app, &joining).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(refused.json::<Value>().await.unwrap()["error"]["field"], "group_no");
    assert_eq!(count(&app, "volunteers").await, 1);
}

#[tokio::test]
async fn a_named_member_takes_no_extra_place_from_the_days_capacity() {
    let app = spawn_app_at(MORNING, |_| {}).await;
    let desk = app.user_with_role("uketsuke", "reception").await;
    let mut group = person("代表 一郎", "ダイヒョウ イチロウ", "090-5656-7878");
    group["kind"] = json!("group");
    group["group_name"] = json!("三人組");
    group["group_size"] = json!(3);
    walk_in(&desk, &group).await;
    let mut member = person("隊員 二郎", "タイイン ジロウ", "080-1010-2020");
    member["group_no"] = json!("V-0001");
    walk_in(&desk, &member).await;
    let days: Value = reqwest::get(app.url("/api/public/days?days=1")).await.unwrap().json().await.unwrap();
    assert_eq!(days[0]["booked"], 3, "the group's three, the member among them");
}

#[tokio::test]
async fn check_out_after_midnight_closes_yesterdays_check_in() {
    let app = spawn_app_at("2026-07-12T22:00:00+09:00", |_| {}).await;
    let desk = app.user_with_role("uketsuke", "reception").await;
    let volunteer = walk_in(&desk, &person("夜勤 太郎", "ヤキン タロウ", "090-2323-4545")).await;
    check_in(&desk, json!({ "volunteer_id": volunteer["id"], "health_ok": true })).await;
    app.state.clock.advance(chrono::Duration::hours(3));
    let out = desk.post("/api/checkouts", &json!({ "volunteer_id": volunteer["id"] })).await;
    assert_eq!(out.status(), 200);
    let body: Value = out.json().await.unwrap();
    assert_eq!(body["day"], "2026-07-12");
    assert_eq!(body["minutes"], 180);
}

#[tokio::test]
async fn a_mistaken_check_in_or_check_out_can_be_cancelled() {
    let app = spawn_app_at(MORNING, |_| {}).await;
    let desk = app.user_with_role("uketsuke", "reception").await;
    let volunteer = walk_in(&desk, &person("間違 太郎", "マチガイ タロウ", "090-8787-6565")).await;
    let id = volunteer["id"].as_i64().unwrap();
    check_in(&desk, json!({ "volunteer_id": id, "health_ok": true })).await;
    desk.post("/api/checkouts", &json!({ "volunteer_id": id })).await;

    let cancelled = desk.post("/api/checkins/cancel", &json!({ "volunteer_id": id })).await;
    assert_eq!(cancelled.status(), 200);
    assert!(cancelled.json::<Value>().await.unwrap()["today"].is_null());
    assert_eq!(count(&app, "checkins").await, 0);
    let again = desk.post("/api/checkins/cancel", &json!({ "volunteer_id": id })).await;
    assert_eq!(again.status(), 409);
    assert_eq!(
        check_in(&desk, json!({ "volunteer_id": id, "health_ok": true })).await.status(),
        201,
        "checks in afresh"
    );
    let kinds: Vec<String> = sqlx::query_scalar("SELECT kind FROM events WHERE kind LIKE 'volunteer.%' ORDER BY seq")
        .fetch_all(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(
        kinds,
        [
            "volunteer.registered",
            "volunteer.checked_in",
            "volunteer.checked_out",
            "volunteer.check_in_cancelled",
            "volunteer.checked_in"
        ]
    );
}

//! Inputs that must be refused cleanly (issue 13): absurd dates on every
//! route that takes one (cases generated from the OpenAPI document, so a new
//! route cannot escape), JSON with junk after it, and text with control or
//! invisible characters. Each is a 4xx naming what is wrong, and changes nothing.

use serde_json::{Value, json};

use crate::bodies::registration;
use crate::helpers::{Session, TestApp, spawn_app_at};

const MORNING: &str = "2026-07-12T08:00:00+09:00";
const ABSURD_DAYS: [&str; 4] = ["+262142-12-31", "-262143-01-01", "9999-12-31", "1900-01-01"];

fn person(name: &str) -> Value {
    registration(name, "ヤマダ タロウ", "090-1111-2222", "2026-07-12")
}

fn need(name: &str) -> Value {
    json!({
        "received_via": "phone",
        "requester_name": name,
        "phone": "076-111-2222",
        "address": "石川県金沢市広坂1-1",
        "damage": ["above_floor"],
        "categories": ["mud"],
        "people_needed": 3,
        "parking": "no",
        "priority": 2,
    })
}

async fn count(app: &TestApp, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&app.state.db.read).await.unwrap()
}

/// A date parameter of one operation: where it goes and its name.
struct DateCase {
    method: String,
    path: String,
    location: String,
    name: String,
}

fn date_cases(doc: &Value) -> Vec<DateCase> {
    let mut cases = Vec::new();
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let name = parameter["name"].as_str().unwrap_or_default();
                let format = parameter["schema"]["format"].as_str().unwrap_or_default();
                let named_as_day = matches!(name, "date" | "day" | "from" | "to");
                if format == "date" || format == "date-time" || named_as_day {
                    cases.push(DateCase {
                        method: method.to_uppercase(),
                        path: path.clone(),
                        location: parameter["in"].as_str().unwrap_or_default().to_string(),
                        name: name.to_string(),
                    });
                }
            }
        }
    }
    cases
}

fn url_for(case: &DateCase, value: &str) -> String {
    let mut path = case.path.clone();
    // Other path parameters get a plausible value; the date is what is tried.
    while let Some(start) = path.find('{') {
        let end = path[start..].find('}').unwrap() + start;
        let name = &path[start + 1..end];
        let filler = if name == case.name && case.location == "path" { value.to_string() } else { "1".to_string() };
        path.replace_range(start..=end, &filler);
    }
    if case.location == "query" {
        path = format!("{path}?{}={}", case.name, value.replace('+', "%2B"));
    }
    path
}

#[tokio::test]
async fn every_date_parameter_of_every_route_refuses_absurd_years_with_a_4xx() {
    let app = spawn_app_at(MORNING, |_| {}).await;
    let admin = app.admin().await;
    let doc: Value = admin.get("/api/openapi.json").await.json().await.unwrap();
    let cases = date_cases(&doc);
    let covered: Vec<&str> = cases.iter().map(|c| c.path.as_str()).collect();
    for known in ["/api/public/days", "/api/capacity", "/api/capacity/{day}", "/api/reports/daily", "/api/teams"] {
        assert!(covered.contains(&known), "{known} has a date parameter in the document: {covered:?}");
    }
    let seq = app.last_seq().await;
    for case in &cases {
        for value in ABSURD_DAYS {
            let url = app.url(&url_for(case, value));
            let request = match case.method.as_str() {
                "GET" => admin.http.get(&url),
                "PUT" => admin.http.put(&url).json(&json!({ "capacity": 10 })),
                "POST" => admin.http.post(&url).json(&json!({})),
                other => panic!("a date parameter on {other} {}: add it here", case.path),
            };
            let answer = request.header("cookie", admin.cookie()).header("accept-language", "ja").send().await.unwrap();
            let status = answer.status().as_u16();
            assert!(
                (400..500).contains(&status),
                "{} {url} ({value}, {} in {}): {status}",
                case.method,
                case.name,
                case.location
            );
            if status == 422 {
                let body: Value = answer.json().await.unwrap();
                assert_eq!(body["error"]["field"], case.name.as_str(), "{} {url}: {body}", case.method);
            }
        }
    }
    assert_eq!(app.last_seq().await, seq, "no absurd date was stored");
    // The public list of open days, from the far past, lists none.
    let far = reqwest::get(app.url("/api/public/days?from=-262143-01-01")).await.unwrap();
    assert!(far.status().is_client_error());
}

#[tokio::test]
async fn a_need_received_in_1900_or_tomorrow_is_refused_naming_the_field() {
    let app = spawn_app_at(MORNING, |_| {}).await;
    let coordinator = app.user_with_role("haken", "coordinator").await;
    for when in ["1900-01-01T00:00:00+09:00", "2026-07-13T08:00:00+09:00", "+262142-12-31T00:00:00+09:00"] {
        let mut body = need("山田 花子");
        body["received_at"] = json!(when);
        let answer = coordinator.post("/api/needs", &body).await;
        assert_eq!(answer.status(), 422, "{when}");
        let error: Value = answer.json().await.unwrap();
        assert_eq!(error["error"]["field"], "received_at", "{when}: {error}");
    }
    let mut earlier_today = need("山田 花子");
    earlier_today["received_at"] = json!("2026-07-12T07:30:00+09:00");
    assert_eq!(coordinator.post("/api/needs", &earlier_today).await.status(), 201);
    assert_eq!(count(&app, "needs").await, 1);
}

async fn post_raw(session: Option<&Session>, app: &TestApp, path: &str, body: Vec<u8>) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(app.url(path))
        .header("content-type", "application/json")
        .header("accept-language", "ja")
        .body(body);
    if let Some(session) = session {
        request = request.header("cookie", session.cookie());
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn json_with_anything_after_the_value_is_a_400_and_stores_nothing() {
    let app = spawn_app_at(MORNING, |_| {}).await;
    let admin = app.admin().await;
    let cases: [(Option<&Session>, &str, Value); 3] = [
        (Some(&admin), "/api/volunteers", person("山田 太郎")),
        (None, "/api/public/registrations", {
            let mut other = person("佐藤 花子");
            other["phone"] = json!("090-3333-4444");
            other
        }),
        (Some(&admin), "/api/needs", need("鈴木 一郎")),
    ];
    let seq = app.last_seq().await;
    for (session, path, body) in &cases {
        for junk in [&b"xyz"[..], b"}", b"\0\0", b" {}"] {
            let mut bytes = serde_json::to_vec(body).unwrap();
            bytes.extend_from_slice(junk);
            let answer = post_raw(*session, &app, path, bytes).await;
            assert_eq!(answer.status(), 400, "{path} + {junk:?}");
            let error: Value = answer.json().await.unwrap();
            assert_eq!(error["error"]["code"], "invalid_json", "{path}");
            assert!(error["error"]["message"].as_str().unwrap().contains("余計なデータ"), "{error}");
        }
        // Trailing whitespace is still JSON.
        let mut spaced = serde_json::to_vec(body).unwrap();
        spaced.extend_from_slice(b" \n");
        assert_eq!(post_raw(*session, &app, path, spaced).await.status(), 201, "{path}");
    }
    assert_eq!(count(&app, "volunteers").await, 2);
    assert_eq!(count(&app, "needs").await, 1);
    assert!(app.last_seq().await > seq);
}

#[tokio::test]
async fn names_with_control_or_invisible_characters_are_refused_naming_the_field() {
    let app = spawn_app_at(MORNING, |_| {}).await;
    let admin = app.admin().await;
    let seq = app.last_seq().await;
    let cases = [
        ("name", "山\u{7}\u{1b}[31m田"),
        ("name", "山田\n太郎"),
        ("name", "山田\0"),
        ("name", "\u{202E}郎太 田山"),
        ("name", "山\u{200B}田"),
        ("address", "金沢市\u{85}広坂"),
        ("phone", "090\u{200D}1111\u{2060}2222"),
        ("emergency_name", "緊急\u{2066}連絡"),
    ];
    for (field, text) in cases {
        let mut body = person("山田 太郎");
        body[field] = json!(text);
        let answer = post_raw(Some(&admin), &app, "/api/volunteers", serde_json::to_vec(&body).unwrap()).await;
        assert_eq!(answer.status(), 422, "{field}: {text:?}");
        let error: Value = answer.json().await.unwrap();
        assert_eq!(error["error"]["field"], field, "{text:?}: {error}");
    }
    // A need's notes keep their lines; a BEL in them is refused.
    let mut notes = need("山田 花子");
    notes["notes"] = json!("一行目\n二行目\u{7}");
    let answer = admin.post("/api/needs", &notes).await;
    assert_eq!(answer.status(), 422);
    assert_eq!(answer.json::<Value>().await.unwrap()["error"]["field"], "notes");
    assert_eq!(app.last_seq().await, seq, "nothing was stored");

    // A leading BOM is dropped and the name stored in NFC.
    let mut body = person("\u{FEFF}\u{304B}\u{3099}く 太郎");
    body["phone"] = json!("090-9999-8888");
    let stored: Value = admin.post("/api/volunteers", &body).await.json().await.unwrap();
    assert_eq!(stored["name"], "がく 太郎");
}

#[tokio::test]
async fn pages_carry_a_strict_policy_and_personal_answers_are_not_stored() {
    let app = spawn_app_at(MORNING, |_| {}).await;
    let admin = app.admin().await;
    for path in ["/login", "/register", "/reception", "/needs", "/board", "/lobby"] {
        let page = admin.get(path).await;
        assert_eq!(page.status(), 200, "{path}");
        let headers = page.headers();
        let policy = headers.get("content-security-policy").unwrap_or_else(|| panic!("{path}: no CSP"));
        let policy = policy.to_str().unwrap();
        for part in ["default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "frame-ancestors 'none'"] {
            assert!(policy.contains(part), "{path}: {policy}");
        }
        assert!(!policy.contains("unsafe-inline") && !policy.contains("'unsafe-eval'"), "{policy}");
        assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff", "{path}");
        assert_eq!(headers.get("x-frame-options").unwrap(), "DENY", "{path}");
        assert_eq!(headers.get("referrer-policy").unwrap(), "same-origin", "{path}");
        assert_eq!(headers.get("cache-control").unwrap(), "no-store", "{path}");
    }
    for path in ["/api/volunteers?q=%E3%83%A4", "/api/volunteers.csv", "/api/needs.csv", "/api/needs", "/api/board"] {
        let answer = admin.get(path).await;
        assert_eq!(answer.status(), 200, "{path}");
        assert_eq!(answer.headers().get("cache-control").unwrap(), "no-store", "{path}");
        assert_eq!(answer.headers().get("x-content-type-options").unwrap(), "nosniff", "{path}");
    }
    // Assets keep their revalidation (ETag), not no-store.
    let script = admin.get("/assets/desk.js").await;
    assert_eq!(script.headers().get("cache-control").unwrap(), "no-cache");
}

#[tokio::test]
async fn no_page_breaks_its_content_security_policy_in_a_real_browser() {
    let Some(mut browser) = crate::browser::Browser::launch().await else { return };
    let app = spawn_app_at(MORNING, |c| {
        c.demo = true;
        c.demo_password = Some("demo-pass-2026".into());
    })
    .await;
    browser.command("Page.enable", json!({}), true).await;
    browser
        .command(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": "window.__csp = []; document.addEventListener('securitypolicyviolation', \
                e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));" }),
            true,
        )
        .await;
    browser.log_in(&app, "admin", crate::helpers::ADMIN_PASSWORD).await;
    for path in
        ["/", "/reception", "/needs", "/map", "/matching", "/inventory", "/board", "/lobby", "/register", "/drill"]
    {
        browser.goto(&app.url(path)).await;
        // Give deferred scripts, fetches and sockets a moment to run.
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        let violations = browser.eval("JSON.stringify(window.__csp)").await;
        assert_eq!(violations, json!("[]"), "{path}");
    }
}

#[cfg(unix)]
#[tokio::test]
async fn the_data_folder_database_log_and_backups_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let app = spawn_app_at(MORNING, |_| {}).await;
    app.post_notices(3, "お知らせ").await;
    let backup =
        borasen::backup::write(&app.state.config.database_path(), &app.state.config.backup_dir(), &app.state.clock)
            .await
            .unwrap();
    let mode = |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let data = app.state.config.data_dir.clone();
    assert_eq!(mode(&data), 0o700, "data folder");
    assert_eq!(mode(&app.state.config.database_path()), 0o600, "database");
    assert_eq!(mode(&app.state.db.wal_path()), 0o600, "WAL");
    assert_eq!(mode(&data.join("borasen.sqlite-shm")), 0o600, "shared memory");
    assert_eq!(mode(&app.state.config.backup_dir()), 0o700, "backups folder");
    assert_eq!(mode(&backup), 0o600, "backup");
}

#[tokio::test]
async fn a_wal_past_its_bound_is_truncated_while_boards_keep_reading() {
    let app = spawn_app_at(MORNING, |_| {}).await;
    app.state.db.set_wal_limit(256 << 10);
    // A board reading all the while: a passive checkpoint alone never shrinks the log.
    let reading = app.state.clone();
    let reader = tokio::spawn(async move {
        loop {
            let _ = borasen::board::snapshot::read(&reading.db.read, &reading.clock, false).await;
            tokio::task::yield_now().await;
        }
    });
    app.post_notices(400, &"長いお知らせ".repeat(40)).await;
    let wal = app.state.db.wal_path();
    let grown = std::fs::metadata(&wal).unwrap().len();
    assert!(grown > 256 << 10, "the burst grew the log past its bound: {grown} bytes");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let size = std::fs::metadata(&wal).unwrap().len();
        if size <= 256 << 10 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the log stayed at {size} bytes");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    reader.abort();
    assert_eq!(count(&app, "board_notices").await, 400);
}

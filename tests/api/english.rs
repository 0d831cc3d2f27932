//! English is complete: every page, rendered in English in a real browser after
//! its script has run, shows no kana or kanji except data values and proper
//! nouns this test names. The pages are taken from the routers' source (every
//! non-`/api` GET route that answers HTML), so a new page cannot escape.
//! Prints the Japanese lines per page (`cargo test --test api english:: -- --nocapture`).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::browser::Browser;
use crate::dispatch::{center, checked_in, need};
use crate::helpers::TestApp;

/// Kana, kanji and the full-width forms Japanese text brings along.
pub fn is_japanese(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}' // hiragana, katakana
        | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' // kanji
        | '\u{3000}'..='\u{303f}' // 、。「」 and the ideographic space
        | '\u{ff00}'..='\u{ffef}') // full-width forms
}

/// Proper nouns and names that stay Japanese in English mode, each with why.
const PROPER_NOUNS: &[&str] = &[
    // The switch back to Japanese names its language in that language.
    "日本語",
];

/// Every `.route("…", get(…))` in the source outside `/api`: the page candidates.
pub fn routed_get_paths() -> Vec<String> {
    let mut paths = Vec::new();
    let mut files = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
    while let Some(path) = files.pop() {
        // The hub is another server (`borasen hub`); its pages are tested in tests/hub/.
        if path.ends_with("src/hub") {
            continue;
        }
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        for (at, _) in source.match_indices(".route(\"") {
            let rest = &source[at + 8..];
            let end = rest.find('"').unwrap();
            let route = &rest[..end];
            let handler = rest[end..].trim_start_matches(['"', ',', ' ', '\n']);
            let is_get = handler.starts_with("get(") || handler.starts_with("axum::routing::get(");
            if is_get && !route.starts_with("/api") && !paths.iter().any(|p| p == route) {
                paths.push(route.to_string());
            }
        }
    }
    paths.sort();
    assert!(paths.len() > 10, "the route scan found the routers: {paths:?}");
    paths
}

/// A concrete path for a route: its parameters get values this test made.
pub fn concrete(route: &str, token: &str) -> String {
    let mut path = route.to_string();
    for (param, value) in
        [("{token}", token), ("{code}", "en"), ("{*path}", "app.css"), ("{z}", "1"), ("{x}", "1"), ("{y}", "1")]
    {
        path = path.replace(param, value);
    }
    assert!(!path.contains('{'), "give the route {route} a value for its parameter in english.rs");
    path
}

/// What a person reads on the page: the visible text once the script has run,
/// and the text of hidden parts (dialogs, empty states), placeholders and
/// labels for screen readers.
const PAGE_TEXT: &str = r#"(() => {
  const parts = [document.body.innerText, document.title];
  for (const el of document.querySelectorAll('[hidden], dialog, [aria-hidden]')) parts.push(el.textContent);
  for (const t of document.querySelectorAll('template')) parts.push(t.content.textContent);
  for (const el of document.querySelectorAll('[placeholder], [title], [aria-label], input[type=submit], input[type=button]')) {
    for (const a of ['placeholder', 'title', 'aria-label', 'value']) {
      if (a === 'value' && el.tagName !== 'INPUT') continue;
      const v = el.getAttribute(a); if (v) parts.push(v);
    }
  }
  return parts.join('\n');
})()"#;

/// The lines of `text` with Japanese left once the allowed values are taken out.
fn japanese_lines(text: &str, allowed: &[String]) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .filter(|line| {
            let mut rest = line.to_string();
            for value in allowed {
                rest = rest.replace(value.as_str(), "");
            }
            rest.chars().any(is_japanese)
        })
        .map(str::to_string)
        .collect()
}

struct Reading {
    lines: usize,
    japanese: Vec<String>,
}

async fn read_page(browser: &mut Browser, url: &str, allowed: &[String]) -> Option<Reading> {
    goto_any(browser, url).await;
    let kind = browser.eval("document.contentType").await;
    if kind != "text/html" {
        return None;
    }
    // Let the script fetch and draw (websockets, lists), then read.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let text = browser.eval(PAGE_TEXT).await.as_str().unwrap_or_default().to_string();
    let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
    Some(Reading { lines, japanese: japanese_lines(&text, allowed) })
}

/// Opens `url` and waits for whatever document it ends on (redirects allowed).
async fn goto_any(browser: &mut Browser, url: &str) {
    browser.eval("window.englishWalk = 1").await;
    browser.command("Page.navigate", json!({ "url": url }), true).await;
    browser.wait_for("window.englishWalk === undefined && document.readyState === 'complete'").await;
}

/// Data values the server shows as they are: what this test created, the demo
/// center's seed (zones, equipment, staff names) as the API lists them.
async fn data_values(app: &TestApp, session: &crate::helpers::Session) -> Vec<String> {
    let mut values: Vec<String> = PROPER_NOUNS.iter().map(|s| s.to_string()).collect();
    let items: Value = session.get("/api/items").await.json().await.unwrap_or(Value::Null);
    for item in items.as_array().into_iter().flatten() {
        for field in ["name", "unit", "owner"] {
            if let Some(v) = item[field].as_str() {
                values.push(v.to_string());
            }
        }
    }
    values.extend(app.state.zones.current().zones().iter().map(|z| z.name.clone()));
    // The center's settings as the council wrote them (names, the WBGT bands' names).
    let settings: Value = session.get("/api/settings").await.json().await.unwrap_or(Value::Null);
    for field in ["center_name", "center_address", "issuer", "representative"] {
        values.extend(settings[field].as_str().filter(|v| !v.is_empty()).map(str::to_string));
    }
    for band in settings["heat_bands"].as_array().into_iter().flatten() {
        values.extend(band["name"].as_str().map(str::to_string));
    }
    let users: Vec<String> =
        sqlx::query_scalar("SELECT display_name FROM users").fetch_all(&app.state.db.read).await.unwrap();
    values.extend(users);
    // Longest first, so a value is removed before a shorter one inside it.
    values.sort_by_key(|v| std::cmp::Reverse(v.chars().count()));
    values.dedup();
    values
}

pub fn strings_in(value: &toml::Value, into: &mut Vec<String>) {
    match value {
        toml::Value::String(s) => into.extend(s.lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty())),
        toml::Value::Array(a) => a.iter().for_each(|v| strings_in(v, into)),
        toml::Value::Table(t) => t.values().for_each(|v| strings_in(v, into)),
        _ => {}
    }
}

/// The values this test types into the center.
const CREATED: &[&str] = &[
    "ボランティア",
    "依頼者",
    "金沢市香林坊",
    "石川県金沢市",
    "家族",
    "熱中症に注意",
    "山田 太郎",
    "やまだ たろう",
    "緊急 連絡",
    "チェーンソー",
];

async fn walk(
    browser: &mut Browser,
    app: &TestApp,
    routes: &[String],
    token: &str,
    allowed: &[String],
    label: &str,
) -> BTreeMap<String, (usize, Vec<String>)> {
    let mut table = BTreeMap::new();
    for route in routes {
        let path = concrete(route, token);
        if let Some(reading) = read_page(browser, &app.url(&path), allowed).await {
            table.insert(format!("{label}{path}"), (reading.lines, reading.japanese));
        }
    }
    table
}

fn print_table(table: &BTreeMap<String, (usize, Vec<String>)>) {
    println!("\n| page | Japanese lines / lines |\n|---|---|");
    for (page, (lines, japanese)) in table {
        println!("| {page} | {} / {lines} |", japanese.len());
    }
    for (page, (_, japanese)) in table {
        for line in japanese {
            println!("  {page}: {line}");
        }
    }
}

#[tokio::test]
async fn every_page_in_english_shows_no_japanese_but_data_and_proper_nouns() {
    let Some(mut browser) = Browser::launch().await else { return };
    let routes = routed_get_paths();

    // A live center with some activity: volunteers in, needs, a team out with equipment, a lobby notice.
    let c = center().await;
    let ids = checked_in(&c, 3).await;
    let first = need(&c, 1).await;
    need(&c, 2).await;
    let items: Value = c.coordinator.get("/api/items").await.json().await.unwrap();
    let shovel = items.as_array().unwrap().iter().find(|i| i["name"] == "剣スコップ").unwrap()["id"].clone();
    let sent = c
        .coordinator
        .post(
            "/api/teams",
            &json!({ "need_id": first["id"], "leader_id": ids[0], "member_ids": [ids[0], ids[1]],
                     "loans": [{ "item_id": shovel, "qty": 2 }] }),
        )
        .await;
    assert_eq!(sent.status(), 201, "{}", sent.text().await.unwrap());
    c.coordinator.post("/api/board/notices", &json!({ "text": "熱中症に注意", "lobby": true })).await;
    let registered: Value = reqwest::Client::new()
        .post(c.app.url("/api/public/registrations"))
        .json(&json!({ "name": "山田 太郎", "furigana": "やまだ たろう", "birth_date": "1985-04-01",
            "phone": "090-1111-2222", "address": "石川県金沢市", "emergency_name": "緊急 連絡",
            "emergency_phone": "076-220-2111", "insurance": "enrolled", "skills": ["チェーンソー"], "preferred_dates": ["2026-07-12"] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = registered["qr_token"].as_str().expect("registered").to_string();

    let admin = c.app.admin().await;
    let mut allowed = data_values(&c.app, &admin).await;
    allowed.extend(CREATED.iter().map(|s| s.to_string()));
    allowed.sort_by_key(|v| std::cmp::Reverse(v.chars().count()));

    browser.log_in(&c.app, "admin", crate::helpers::ADMIN_PASSWORD).await;
    goto_any(&mut browser, &c.app.url("/lang/en")).await;
    let mut table = walk(&mut browser, &c.app, &routes, &token, &allowed, "").await;
    // The message pages: a page that is not there, and one the role may not open.
    if let Some(r) = read_page(&mut browser, &c.app.url("/no-such-page"), &allowed).await {
        table.insert("/no-such-page (404)".into(), (r.lines, r.japanese));
    }
    browser.log_in(&c.app, "reception", "demo-pass-2026").await;
    if let Some(r) = read_page(&mut browser, &c.app.url("/needs"), &allowed).await {
        table.insert("/needs as reception (403)".into(), (r.lines, r.japanese));
    }

    // The drill pages on a drill server, a message and a call slip out.
    let d = crate::drill_run::drill_in(None).await;
    d.trainer.post("/api/drill/start", &json!({})).await;
    d.trainer.post("/api/drill/injects/2/fire", &json!({})).await;
    let drill_admin = d.app.admin().await;
    let mut drill_allowed = data_values(&d.app, &drill_admin).await;
    drill_allowed.extend(allowed.iter().cloned());
    // The scenario this test wrote: its titles, injects and messages are data.
    let scenario: toml::Value = toml::from_str(crate::drill_run::SCENARIO).unwrap();
    strings_in(&scenario, &mut drill_allowed);
    drill_allowed.sort_by_key(|v| std::cmp::Reverse(v.chars().count()));
    browser.log_in(&d.app, "admin", crate::helpers::ADMIN_PASSWORD).await;
    goto_any(&mut browser, &d.app.url("/lang/en")).await;
    for route in routes.iter().filter(|r| r.starts_with("/drill")) {
        if let Some(r) = read_page(&mut browser, &d.app.url(route), &drill_allowed).await {
            table.insert(format!("drill server {route}"), (r.lines, r.japanese));
        }
    }
    browser.screenshot("english-last-page.png").await;

    print_table(&table);
    let pages = ["/", "/login", "/register", "/reception", "/board", "/needs", "/matching", "/inventory", "/lobby"];
    for page in pages {
        assert!(table.contains_key(page), "{page} was walked: {:?}", table.keys().collect::<Vec<_>>());
    }
    for (page, (_, japanese)) in &table {
        assert!(japanese.is_empty(), "{page}: {} Japanese lines in English mode (see the table above)", japanese.len());
    }
}

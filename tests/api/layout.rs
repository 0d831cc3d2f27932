//! Every page fits a tablet: each page the routers serve (found the way
//! `english.rs` finds them) is opened in Chromium at 1024×768 (landscape) and
//! 768×1024 (portrait) on a center with realistic data, with a Japanese font
//! like a tablet's (the repository's BIZ UD Gothic), and fails when an element
//! sticks out of a container that neither scrolls nor clips, when the page is
//! wider than the screen, or when a short label (a button, a chip, a table
//! cell's code) breaks over two lines — naming the page, the size and the
//! element. Screenshots of failing pages go to `target/tmp/artefacts/`.

use serde_json::{Value, json};

use crate::browser::Browser;
use crate::dispatch::{center, need, volunteer};
use crate::english::{concrete, routed_get_paths};

const SIZES: [(u32, u32); 2] = [(1024, 768), (768, 1024)];

/// Labels of at most this many characters must stay on one line.
const SHORT_LABEL: usize = 8;

/// What is wrong with the page's layout, one line per problem.
const LAYOUT_PROBLEMS: &str = r#"(() => {
  const SHORT = __SHORT__;
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    else if (el.classList.length) s += '.' + Array.from(el.classList).join('.');
    if (!el.id) {
      let up = el.parentElement;
      while (up && !up.id) up = up.parentElement;
      if (up) s = '#' + up.id + ' ' + s;
    }
    const text = (el.innerText || '').trim().replace(/\s+/g, ' ');
    return text ? s + ' "' + text.slice(0, 24) + (text.length > 24 ? '…' : '') + '"' : s;
  };
  const shown = (el) => {
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden') return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) {
    problems.push('the page is ' + doc.scrollWidth + 'px wide on a ' + doc.clientWidth + 'px screen');
  }

  // Containers whose content sticks out although they do not clip it, and
  // boxes that hide part of their content off to the side (a table column
  // behind a horizontal scroll is a column nobody at a tablet finds).
  const replaced = new Set(['INPUT', 'TEXTAREA', 'SELECT', 'OPTION', 'CANVAS', 'VIDEO', 'IMG', 'IFRAME']);
  const overflowing = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (replaced.has(el.tagName) || el.closest('svg') || !shown(el)) continue;
    const overflow = getComputedStyle(el).overflowX;
    if (overflow === 'hidden' || overflow === 'clip' || el.clientWidth === 0) continue;
    if (el.scrollWidth > el.clientWidth + 1) overflowing.push(el);
  }
  // The innermost only: an outer one overflows because of it.
  for (const el of overflowing) {
    if (overflowing.some((other) => other !== el && el.contains(other))) continue;
    const box = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    const right = box.right - parseFloat(cs.borderRightWidth);
    const culprits = Array.from(el.children).filter((c) => shown(c) && c.getBoundingClientRect().right > right + 1);
    if (el.tagName === 'TABLE' || el.closest('table')) culprits.length = 0;
    const what = culprits.length ? culprits.map(describe).join(', ') : 'its text';
    const how = getComputedStyle(el).overflowX === 'visible' ? ' sticks out by ' : ' is hidden behind a sideways scroll of ';
    problems.push(describe(el) + ': ' + what + how + (el.scrollWidth - el.clientWidth) + 'px');
  }

  // Short labels broken over two lines ("追/加", "N-/0002").
  const lineCount = (el) => {
    const rects = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) if (r.width > 0.5) rects.push(r);
    }
    const lines = [];
    for (const r of rects) {
      const middle = (r.top + r.bottom) / 2;
      if (!lines.some((l) => middle > l.top && middle < l.bottom)) lines.push({ top: r.top, bottom: r.bottom });
    }
    return lines.length;
  };
  const labels = 'button, .button, a, .chip, .tag, .status, .prio, .req, th, td, summary, label, legend, dt';
  for (const el of document.body.querySelectorAll(labels)) {
    if (el.closest('svg') || !shown(el)) continue;
    const text = (el.innerText || '').trim();
    if (!text || text.includes('\n') || Array.from(text).length > SHORT) continue;
    const lines = lineCount(el);
    if (lines > 1) problems.push(describe(el) + ': a short label broken over ' + lines + ' lines');
  }
  return problems;
})()"#;

/// A fontconfig file that adds the repository's Japanese font to the system's,
/// so Chromium lays Japanese out as a tablet does (the test machine may have
/// no CJK font; without one, kanji are narrow boxes and nothing wraps).
fn fonts_with_japanese(dir: &std::path::Path) -> Vec<(String, String)> {
    let fonts = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/fonts");
    let config = dir.join("fonts.conf");
    let cache = dir.join("fontcache");
    std::fs::write(
        &config,
        format!(
            r#"<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include><dir>{fonts}</dir><cachedir>{}</cachedir></fontconfig>"#,
            cache.display()
        ),
    )
    .unwrap();
    vec![("FONTCONFIG_FILE".to_string(), config.display().to_string())]
}

async fn open(browser: &mut Browser, url: &str) -> bool {
    browser.eval("window.layoutWalk = 1").await;
    browser.command("Page.navigate", json!({ "url": url }), true).await;
    browser.wait_for("window.layoutWalk === undefined && document.readyState === 'complete'").await;
    if browser.eval("document.contentType").await != "text/html" {
        return false;
    }
    // Let the page's script fetch and draw its lists.
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    true
}

#[tokio::test]
async fn every_page_fits_a_tablet_in_both_orientations_without_overflow_or_broken_labels() {
    let fonts = tempfile::tempdir().unwrap();
    let Some(mut browser) = Browser::launch_with_env(&[], &fonts_with_japanese(fonts.path())).await else { return };
    // `/lang/{code}` switches the language this walk sets itself.
    let routes: Vec<String> = routed_get_paths().into_iter().filter(|r| !r.starts_with("/lang/")).collect();

    // A center's late morning: people waiting, needs in every state, a team out with equipment.
    let c = center().await;
    let mut ids = Vec::new();
    for i in 0..12 {
        ids.push(volunteer(&c, i, "enrolled", true).await);
    }
    let mut needs = Vec::new();
    for i in 1..=8 {
        needs.push(need(&c, i).await);
    }
    let items: Value = c.coordinator.get("/api/items").await.json().await.unwrap();
    let item = |name: &str| items.as_array().unwrap().iter().find(|i| i["name"] == name).unwrap()["id"].clone();
    let sent = c
        .coordinator
        .post(
            "/api/teams",
            &json!({ "need_id": needs[0]["id"], "leader_id": ids[0], "member_ids": [ids[0], ids[1], ids[2]],
                     "loans": [{ "item_id": item("剣スコップ"), "qty": 3 }, { "item_id": item("一輪車"), "qty": 1 }] }),
        )
        .await;
    assert_eq!(sent.status(), 201, "{}", sent.text().await.unwrap());
    c.coordinator
        .post("/api/board/notices", &json!({ "text": "熱中症に注意。こまめに水分をとってください", "lobby": true }))
        .await;
    let registered: Value = reqwest::Client::new()
        .post(c.app.url("/api/public/registrations"))
        .json(&json!({ "name": "山田 太郎", "furigana": "やまだ たろう", "birth_date": "1985-04-01",
            "phone": "090-1111-2222", "address": "石川県金沢市", "emergency_name": "緊急 連絡",
            "emergency_phone": "076-220-2111", "insurance": "enrolled", "preferred_dates": ["2026-07-12"] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = registered["qr_token"].as_str().expect("registered").to_string();

    browser.log_in(&c.app, "admin", crate::helpers::ADMIN_PASSWORD).await;
    // LAYOUT_PAGES=/needs,/matching narrows the walk while fixing a page;
    // LAYOUT_SHOTS=1 keeps a screenshot of every page, not only failing ones.
    let only: Option<Vec<String>> =
        std::env::var("LAYOUT_PAGES").ok().map(|pages| pages.split(',').map(str::to_string).collect());
    let script = LAYOUT_PROBLEMS.replace("__SHORT__", &SHORT_LABEL.to_string());
    let mut walked = Vec::new();
    let mut failures = Vec::new();
    for ((width, height), lang) in SIZES.iter().flat_map(|&size| [(size, "ja"), (size, "en")]) {
        open(&mut browser, &c.app.url(&format!("/lang/{lang}"))).await;
        browser
            .command(
                "Emulation.setDeviceMetricsOverride",
                json!({ "width": width, "height": height, "deviceScaleFactor": 2, "mobile": true }),
                true,
            )
            .await;
        for route in &routes {
            let path = concrete(route, &token);
            if only.as_ref().is_some_and(|only| !only.contains(&path)) {
                continue;
            }
            if !open(&mut browser, &c.app.url(&path)).await {
                continue;
            }
            walked.push(format!("{path} {width}×{height} {lang}"));
            let problems = browser.eval(&script).await;
            let problems: Vec<String> =
                problems.as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect();
            if !problems.is_empty() || std::env::var_os("LAYOUT_SHOTS").is_some() {
                browser.screenshot(&format!("layout{}-{width}x{height}-{lang}.png", path.replace('/', "_"))).await;
            }
            failures.extend(problems.into_iter().map(|p| format!("{path} at {width}×{height} ({lang}): {p}")));
        }
    }
    if only.is_none() {
        for page in ["/", "/reception", "/board", "/needs", "/matching", "/inventory", "/map"] {
            for ((width, height), lang) in SIZES.iter().flat_map(|&size| [(size, "ja"), (size, "en")]) {
                let walked_here = format!("{page} {width}×{height} {lang}");
                assert!(walked.contains(&walked_here), "{walked_here} was checked: {walked:?}");
            }
        }
    }
    assert!(failures.is_empty(), "{} layout problems:\n{}", failures.len(), failures.join("\n"));
}

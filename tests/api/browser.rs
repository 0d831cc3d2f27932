//! Pages in a real browser: headless Chromium driven over the DevTools protocol
//! with our own websocket client. Where Chromium is missing these tests skip with
//! a loud notice — except under CI (`CI` set), where a missing browser fails. The harness itself is `tests/common/devtools.rs`,
//! shared with the hub's tests.

#[path = "../common/devtools.rs"]
mod devtools;

use serde_json::{Value, json};

pub use devtools::{Browser, DevTools};

use crate::helpers::{ADMIN_PASSWORD, TestApp, spawn_app, spawn_app_in};

/// Logging in on the center's own login page.
impl Browser {
    pub async fn log_in(&mut self, app: &TestApp, username: &str, password: &str) {
        self.log_in_at(&app.url(""), username, password).await;
    }

    /// Logs in on the server at `base` (`https://localhost:8443`, no slash at the end).
    pub async fn log_in_at(&mut self, base: &str, username: &str, password: &str) {
        self.goto(&format!("{base}/login")).await;
        self.eval(&format!(
            "document.querySelector('input[name=username]').value = {}; \
             document.querySelector('input[name=password]').value = {}; \
             document.querySelector('form[action=\"/login\"]').submit();",
            json!(username),
            json!(password)
        ))
        .await;
        self.wait_for(&format!(
            "location.href === {} && document.readyState === 'complete'",
            json!(format!("{base}/"))
        ))
        .await;
    }
}

#[tokio::test]
async fn a_coordinator_logs_in_in_japanese_and_sees_every_section() {
    let Some(mut browser) = Browser::launch().await else { return };
    let app = spawn_app().await;
    browser.goto(&app.url("/login")).await;
    assert_eq!(browser.eval("document.documentElement.lang").await, "ja");
    assert_eq!(browser.eval("document.querySelector('h1').textContent").await, "ログイン");
    let target = browser.eval("getComputedStyle(document.querySelector('button[type=submit]')).minHeight").await;
    assert_eq!(target, "48px", "touch targets are tablet-sized");

    browser.log_in(&app, "admin", ADMIN_PASSWORD).await;
    let sections = browser.eval("[...document.querySelectorAll('.section strong')].map(e => e.textContent)").await;
    assert_eq!(
        sections,
        json!(["受付", "ニーズ", "マッチング", "資機材", "ボード", "訓練", "本日の受付終了", "利用者管理", "設定"])
    );
    browser.screenshot("home.png").await;

    // The English switch, then back.
    browser.eval("document.querySelector('a[hreflang=en]').click()").await;
    browser.wait_for("document.documentElement.lang === 'en'").await;
    assert_eq!(browser.eval("document.querySelector('h1').textContent").await, "Menu");
}

#[tokio::test]
async fn the_board_page_goes_live_follows_events_and_resumes_after_the_server_restarts() {
    let Some(mut browser) = Browser::launch().await else { return };
    let mut app = spawn_app().await;
    browser.log_in(&app, "admin", ADMIN_PASSWORD).await;
    browser.goto(&app.url("/board")).await;
    browser.wait_for("document.getElementById('link-state').classList.contains('live')").await;
    assert_eq!(browser.eval("document.getElementById('link-state').textContent").await, "接続中");
    let snapshot_seq = browser.eval("Number(document.getElementById('seq').textContent)").await.as_i64().unwrap();
    assert_eq!(snapshot_seq, app.last_seq().await);

    // Posted from the page's own form; it comes back over the websocket.
    browser
        .eval("{ const f = document.getElementById('notice-form'); f.elements.text.value = '12時から昼休憩・水分補給'; f.requestSubmit(); }")
        .await;
    browser.wait_for("document.getElementById('notices').textContent.includes('12時から昼休憩・水分補給')").await;
    assert_eq!(browser.eval("document.querySelector('#feed li').textContent.includes('お知らせ')").await, json!(true));
    // A blank notice is refused with the server's Japanese message, and nothing is posted.
    let before = app.last_seq().await;
    browser
        .eval("{ const f = document.getElementById('notice-form'); f.elements.text.value = '   '; f.requestSubmit(); }")
        .await;
    browser.wait_for("!document.getElementById('notice-error').hidden").await;
    let message = browser.eval("document.getElementById('notice-error').textContent").await;
    assert!(message.as_str().unwrap().contains("文字で入力してください"), "{message}");
    assert_eq!(app.last_seq().await, before);
    assert_eq!(browser.eval("Number(document.getElementById('seq').textContent)").await, json!(app.last_seq().await));

    // The server goes away (a laptop restart): the page says so, then comes back on its own.
    let (addr, dir) = (app.addr, app.dir.path().to_path_buf());
    app.stop().await;
    browser.wait_for("document.getElementById('link-state').classList.contains('down')").await;
    assert_eq!(browser.eval("document.getElementById('link-state').textContent").await, "再接続中…");
    let app = spawn_app_in(&dir, addr).await;
    browser.wait_for("document.getElementById('link-state').classList.contains('live')").await;
    let admin = app.admin().await;
    admin.post("/api/board/notices", &json!({ "text": "再開後のお知らせ" })).await;
    browser.wait_for("document.getElementById('notices').textContent.includes('再開後のお知らせ')").await;
    // The form still posts exactly once after the reconnect.
    browser.eval("{ const f = document.getElementById('notice-form'); f.elements.text.value = '午後の部'; f.requestSubmit(); }").await;
    browser.wait_for("document.getElementById('notices').textContent.includes('午後の部')").await;
    let posted: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM board_notices WHERE text = '午後の部'")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(posted, 1);
    // Resumed from its last seq: every event applied once, none missed (the login in between too).
    assert_eq!(browser.eval("Number(document.getElementById('seq').textContent)").await, json!(app.last_seq().await));
    let feed_len = browser.eval("document.getElementById('feed').children.length").await.as_i64().unwrap();
    assert_eq!(feed_len, app.last_seq().await - snapshot_seq, "one line per event since the snapshot");
    browser.screenshot("board.png").await;
}

/// Fills the ボランティア受付票 form on the page (public or desk).
async fn fill_registration(browser: &mut Browser, name: &str, furigana: &str, phone: &str, insurance: &str) {
    browser
        .eval(&format!(
            "{{ const f = document.getElementById('registration');
               f.elements.name.value = {name}; f.elements.furigana.value = {furigana};
               f.elements.birth_date.value = '1988-10-10'; f.elements.phone.value = {phone};
               f.elements.address.value = '石川県金沢市'; f.elements.emergency_name.value = '家族 連絡';
               f.elements.emergency_phone.value = '076-220-2111';
               f.querySelector('input[name=insurance][value={insurance}]').checked = true;
               f.querySelector('input[name=skills][value=チェーンソー]').checked = true; }}",
            name = json!(name),
            furigana = json!(furigana),
            phone = json!(phone),
        ))
        .await;
}

#[tokio::test]
async fn a_reception_volunteer_registers_a_walk_in_checks_them_in_and_sees_the_count() {
    let Some(mut browser) = Browser::launch().await else { return };
    let app = spawn_app().await;
    app.user_with_role("uketsuke", "reception").await;
    browser.log_in(&app, "uketsuke", "uketsuke-password").await;
    browser.goto(&app.url("/reception")).await;
    assert_eq!(browser.eval("document.getElementById('count-checked-in').textContent").await, "0");
    assert_eq!(browser.eval("document.activeElement.id").await, "scan-input", "ready for the scanner");
    assert_eq!(
        browser.eval("document.getElementById('health-ok').checked").await,
        false,
        "the health check is a deliberate act"
    );

    // A field left out is named beside the field, in Japanese.
    fill_registration(&mut browser, "", "ヤマダ タロウ", "090-1111-2222", "enrolled").await;
    browser.eval("document.getElementById('registration').requestSubmit()").await;
    browser
        .wait_for(
            "document.querySelector('.field-error[data-for=name]').textContent.includes('氏名を入力してください')",
        )
        .await;

    // Registered, but not checked in until the health check is confirmed.
    fill_registration(&mut browser, "山田 太郎", "やまだ たろう", "０９０－１１１１－２２２２", "enrolled").await;
    browser.eval("document.getElementById('registration').requestSubmit()").await;
    browser.wait_for("document.getElementById('result').textContent.includes('体調を口頭で確認')").await;
    assert_eq!(browser.eval("document.getElementById('count-checked-in').textContent").await, "0");
    browser.eval("document.getElementById('health-ok').checked = true").await;
    browser
        .eval("{ const i = document.getElementById('scan-input'); i.value = 'V-0001'; i.form.requestSubmit(); }")
        .await;
    browser.wait_for("document.getElementById('result').textContent.includes('受付しました')").await;
    browser.wait_for("document.getElementById('count-checked-in').textContent === '1'").await;
    let result = browser.eval("document.getElementById('result').textContent").await;
    assert!(result.as_str().unwrap().contains("V-0001 山田 太郎"), "{result}");

    // Registering the same person again offers the existing record.
    fill_registration(&mut browser, "山田太郎", "ヤマダタロウ", "09011112222", "enrolled").await;
    browser.eval("document.getElementById('registration').requestSubmit()").await;
    browser.wait_for("!document.getElementById('duplicate').hidden").await;
    assert!(
        browser.eval("document.getElementById('duplicate').textContent").await.as_str().unwrap().contains("V-0001")
    );
    assert_eq!(
        browser.eval("getComputedStyle(document.querySelector('.group-only')).display").await,
        "none",
        "group fields stay hidden for an individual"
    );

    // An uninsured walk-in is flagged and enrolled at the desk (their own health check first).
    assert_eq!(browser.eval("document.getElementById('health-ok').checked").await, false, "asked per person");
    browser.eval("document.getElementById('health-ok').checked = true").await;
    fill_registration(&mut browser, "鈴木 花子", "スズキ ハナコ", "080-3333-4444", "none").await;
    browser.eval("document.getElementById('registration').requestSubmit()").await;
    browser.wait_for("document.getElementById('result').classList.contains('warn')").await;
    assert_eq!(
        browser.eval("document.getElementById('duplicate').hidden").await,
        true,
        "the offer goes with the next registration"
    );
    browser.wait_for("document.getElementById('count-uninsured').textContent === '1'").await;
    browser.screenshot("reception-uninsured.png").await;
    browser
        .eval("{ const f = document.querySelector('#result form'); f.querySelector('input').value = '350'; f.requestSubmit(); }")
        .await;
    browser.wait_for("document.getElementById('result').textContent.includes('当日加入')").await;
    browser.wait_for("document.getElementById('count-uninsured').textContent === '0'").await;
    assert_eq!(browser.eval("document.activeElement.id").await, "scan-input", "back to the scanner after enrolment");
    assert_eq!(browser.eval("document.getElementById('count-checked-in').textContent").await, "2");
    browser.screenshot("reception-desk.png").await;
}

#[tokio::test]
async fn a_volunteer_pre_registers_on_a_phone_and_the_desk_scans_the_code() {
    let Some(mut browser) = Browser::launch().await else { return };
    let app = spawn_app().await;
    browser.goto(&app.url("/register")).await;
    assert_eq!(browser.eval("document.querySelector('h1').textContent").await, "ボランティア事前登録");
    fill_registration(&mut browser, "佐藤 一郎", "サトウ イチロウ", "070-5555-6666", "enrolled").await;
    browser.eval("document.querySelector('input[name=preferred_dates]').checked = true").await;
    browser.eval("document.getElementById('registration').requestSubmit()").await;
    browser.wait_for("location.pathname.startsWith('/register/done/')").await;
    browser.wait_for("document.readyState === 'complete'").await;
    assert_eq!(browser.eval("document.querySelector('.huge').textContent").await, "V-0001");
    assert_eq!(browser.eval("document.querySelectorAll('.qr svg').length").await, 1, "the QR code is drawn inline");
    browser.screenshot("registered.png").await;
    let token = browser.eval("location.pathname.split('/').pop()").await.as_str().unwrap().to_string();

    // The desk: a scanner types the token and Enter into the focused field.
    app.user_with_role("uketsuke", "reception").await;
    browser.log_in(&app, "uketsuke", "uketsuke-password").await;
    browser.goto(&app.url("/reception")).await;
    browser.eval("document.getElementById('health-ok').checked = true").await;
    browser
        .eval(&format!("{{ const i = document.activeElement; i.value = {}; i.form.requestSubmit(); }}", json!(token)))
        .await;
    browser.wait_for("document.getElementById('result').textContent.includes('V-0001 佐藤 一郎')").await;
    browser.wait_for("document.getElementById('count-checked-in').textContent === '1'").await;
    assert_eq!(browser.eval("document.activeElement.id").await, "scan-input", "ready for the next person");
}

#[tokio::test]
async fn an_admin_sets_a_days_capacity_from_the_desk() {
    let Some(mut browser) = Browser::launch().await else { return };
    let app = spawn_app().await;
    browser.log_in(&app, "admin", ADMIN_PASSWORD).await;
    browser.goto(&app.url("/reception")).await;
    browser
        .eval("{ const row = document.querySelector('#capacity tbody tr'); row.querySelector('input').value = '0'; row.querySelector('button').click(); }")
        .await;
    browser.wait_for("document.querySelector('#capacity tbody tr').textContent.includes('締切')").await;
    let days: Value = reqwest::get(app.url("/api/public/days?days=1")).await.unwrap().json().await.unwrap();
    assert_eq!(days[0]["capacity"], 0);
    assert_eq!(days[0]["open"], false);
    // The public form now shows the day closed.
    browser.goto(&app.url("/register")).await;
    assert_eq!(browser.eval("document.querySelector('input[name=preferred_dates]').disabled").await, true);
}

/// A mouse event at page coordinates, as a real mouse would send it.
async fn mouse(browser: &mut Browser, kind: &str, x: f64, y: f64, buttons: u32) {
    let mut params = json!({ "type": kind, "x": x, "y": y, "buttons": buttons });
    if kind != "mouseMoved" {
        params["button"] = json!("left");
        params["clickCount"] = json!(1);
    } else if buttons == 1 {
        params["button"] = json!("left");
    }
    browser.command("Input.dispatchMouseEvent", params, true).await;
}

#[tokio::test]
async fn the_map_page_draws_the_zones_pans_zooms_finds_a_tapped_zone_and_redraws_live() {
    let Some(mut browser) = Browser::launch().await else { return };
    let app = crate::helpers::spawn_app_with(|c| {
        c.demo = true;
        c.demo_password = Some("demo-pass-2026".into());
    })
    .await;
    crate::map::insert_need(&app, 1, "received", 36.577, 136.652, "此花町").await;
    crate::map::insert_need(&app, 2, "active", 36.5650, 136.6600, "兼六町").await;
    crate::map::insert_need(&app, 3, "done", 36.5560, 136.6440, "野町").await;
    browser.log_in(&app, "coordinator", "demo-pass-2026").await;
    browser.goto(&app.url("/map")).await;
    browser.wait_for("document.querySelectorAll('#map svg path.zone').length === 12").await;
    assert_eq!(browser.eval("document.querySelectorAll('#map svg .need-pin').length").await, json!(3));
    let pin_px = browser.eval("document.querySelector('#map svg .need-pin').getBoundingClientRect().width").await;
    assert!((14.0..20.0).contains(&pin_px.as_f64().unwrap()), "pins keep their screen size: {pin_px}");
    browser.wait_for("document.getElementById('link-state').classList.contains('live')").await;
    let view = "document.querySelector('#map svg').getAttribute('viewBox')";
    let width = "Number(document.querySelector('#map svg').getAttribute('viewBox').split(' ')[2])";
    let map_box = browser.eval("(() => { const r = document.getElementById('map').getBoundingClientRect(); return [r.width, r.height]; })()").await;
    assert!(
        map_box[0].as_f64().unwrap() > 800.0 && map_box[1].as_f64().unwrap() > 500.0,
        "the map fills a laptop screen: {map_box}"
    );

    // A tap inside 香林坊 places a pin and names the zone.
    let centre = "(() => { const r = document.querySelector('#map path.zone[data-zone=\"香林坊\"]').getBoundingClientRect(); \
                  return [r.left + r.width / 2, r.top + r.height / 2]; })()";
    let point = browser.eval(centre).await;
    let (x, y) = (point[0].as_f64().unwrap(), point[1].as_f64().unwrap());
    mouse(&mut browser, "mousePressed", x, y, 1).await;
    mouse(&mut browser, "mouseReleased", x, y, 0).await;
    browser.wait_for("document.getElementById('placed-zone').textContent === '香林坊'").await;
    assert_eq!(browser.eval("document.querySelectorAll('#map svg #placed').length").await, json!(1));
    let href = browser.eval("document.getElementById('placed-link').getAttribute('href')").await;
    assert!(href.as_str().unwrap().starts_with("/needs?new=1&lat=36.5"), "{href}");
    assert!(href.as_str().unwrap().contains("&lon=136.6"), "{href}");
    browser.screenshot("map.png").await;

    // A drag pans and places nothing; the wheel zooms in.
    let before = browser.eval(view).await;
    mouse(&mut browser, "mousePressed", 300.0, 400.0, 1).await;
    for step in 1..=5 {
        mouse(&mut browser, "mouseMoved", 300.0 + step as f64 * 30.0, 400.0 + step as f64 * 10.0, 1).await;
    }
    mouse(&mut browser, "mouseReleased", 450.0, 450.0, 0).await;
    assert_ne!(browser.eval(view).await, before, "dragged");
    assert_eq!(
        browser.eval("document.getElementById('placed-zone').textContent").await,
        "香林坊",
        "a drag is not a tap"
    );
    let wide = browser.eval(width).await.as_f64().unwrap();
    browser
        .command(
            "Input.dispatchMouseEvent",
            json!({ "type": "mouseWheel", "x": 500, "y": 400, "deltaX": 0, "deltaY": -400 }),
            true,
        )
        .await;
    browser.wait_for(&format!("{width} < {wide} * 0.8")).await;
    let zoomed = browser.eval(width).await.as_f64().unwrap();
    browser.eval("document.getElementById('zoom-out').click()").await;
    browser.wait_for(&format!("{width} > {zoomed} * 1.5")).await;

    // A new zone set arrives over the websocket: redrawn, the view and the pin kept.
    let kept = browser.eval(view).await;
    let loaded = browser.eval("Number(document.getElementById('map-page').dataset.loaded)").await.as_i64().unwrap();
    let admin = app.admin().await;
    let one_zone = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"新しい地区"},"geometry":{"type":"Polygon","coordinates":[[[136.64,36.55],[136.68,36.55],[136.68,36.59],[136.64,36.59],[136.64,36.55]]]}}]}"#;
    let response = admin.post_body("/api/zones/import?confirm=true", one_zone).await;
    assert_eq!(response.status(), 200);
    browser.wait_for(&format!("Number(document.getElementById('map-page').dataset.loaded) > {loaded}")).await;
    assert_eq!(browser.eval("document.querySelectorAll('#map svg path.zone').length").await, json!(1));
    assert_eq!(browser.eval(view).await, kept, "the user's view survives a redraw");
    assert_eq!(browser.eval("document.querySelectorAll('#map svg #placed').length").await, json!(1));
}

/// Fills the ニーズ票 on the needs page.
async fn fill_need(browser: &mut Browser, name: &str, phone: &str, address: &str) {
    browser
        .eval(&format!(
            "{{ const f = document.getElementById('need-form');
               f.elements.requester_name.value = {name}; f.elements.phone.value = {phone};
               f.elements.address.value = {address}; f.elements.people_needed.value = '4';
               f.querySelector('input[name=categories][value=mud]').checked = true;
               f.querySelector('input[name=needs_care]').checked = true; }}",
            name = json!(name),
            phone = json!(phone),
            address = json!(address),
        ))
        .await;
}

#[tokio::test]
async fn a_coordinator_takes_a_need_by_phone_sees_a_duplicate_and_moves_the_card() {
    let Some(mut browser) = Browser::launch().await else { return };
    let app = crate::helpers::spawn_app_with(|c| {
        c.demo = true;
        c.demo_password = Some("demo-pass-2026".into());
    })
    .await;
    browser.log_in(&app, "coordinator", "demo-pass-2026").await;
    // Arriving from a tap on the map: the pin is already filled in.
    browser.goto(&app.url("/needs?new=1&lat=36.567&lon=136.652")).await;
    assert_eq!(browser.eval("document.getElementById('need-form').elements.lat.value").await, "36.567");

    // A missing field is named beside it.
    fill_need(&mut browser, "", "076-220-2111", "金沢市広坂1-2-3").await;
    browser.eval("document.getElementById('need-form').requestSubmit()").await;
    browser
        .wait_for("document.querySelector('.field-error[data-for=requester_name]').textContent.includes('氏名')")
        .await;

    fill_need(&mut browser, "山田 花子", "076-220-2111", "金沢市広坂1-2-3").await;
    browser.eval("document.getElementById('need-form').requestSubmit()").await;
    browser.wait_for("document.body.textContent.includes('N-0001 を受け付けました')").await;
    let row = "document.querySelector('#needs-list tr[data-id]')";
    assert!(browser.eval(&format!("{row}.textContent")).await.as_str().unwrap().contains("香林坊"));

    // The same household calls again: the page shows N-0001 and links the call to it.
    fill_need(&mut browser, "山田 太郎", "0762202111", "金沢市広坂一丁目2番3号").await;
    browser.eval("document.getElementById('need-form').requestSubmit()").await;
    browser.wait_for("!document.getElementById('duplicates').hidden").await;
    let offer = browser.eval("document.getElementById('duplicates').textContent").await;
    assert!(
        offer.as_str().unwrap().contains("N-0001") && offer.as_str().unwrap().contains("電話番号が同じ"),
        "{offer}"
    );
    browser.screenshot("needs-duplicate.png").await;
    browser.eval("document.querySelector('#duplicates button').click()").await;
    browser.wait_for("document.body.textContent.includes('N-0002 を受け付けました')").await;
    assert_eq!(
        browser.eval("document.querySelectorAll('#needs-list tr[data-id]').length").await,
        1,
        "the linked duplicate is cancelled: off the open list"
    );

    // Open the card and move it to 調査中.
    browser.eval("document.querySelector('.open-need').click()").await;
    browser.wait_for("!document.getElementById('detail').hidden").await;
    assert!(
        browser
            .eval("document.getElementById('detail-facts').textContent")
            .await
            .as_str()
            .unwrap()
            .contains("076-220-2111")
    );
    browser
        .eval("Array.from(document.querySelectorAll('#detail-moves button')).find(b => b.textContent.includes('調査中')).click()")
        .await;
    browser.wait_for("document.querySelector('#needs-list tr[data-id]').dataset.status === 'surveying'").await;

    // Typing an address offers blocks from the offline address table; picking one sets the pin.
    // (The move reloaded the page: wait until its script listens, not just until the rows are parsed.)
    browser.wait_for("document.readyState === 'complete'").await;
    browser
        .eval("{ const a = document.getElementById('need-form').elements.address; a.value = '広坂１丁目'; a.dispatchEvent(new Event('input')); }")
        .await;
    browser.wait_for("document.querySelectorAll('#address-suggestions-list button').length > 0").await;
    let offered = browser.eval("document.getElementById('address-suggestions-list').textContent").await;
    assert!(offered.as_str().unwrap().contains("広坂一丁目"), "{offered}");
    browser.screenshot("needs.png").await;
    browser.eval("document.querySelector('#address-suggestions-list button').click()").await;
    let lat = browser.eval("document.getElementById('need-form').elements.lat.value").await;
    assert!(lat.as_str().unwrap().starts_with("36.5"), "the pin comes from the table: {lat}");
    assert_eq!(browser.eval("document.getElementById('address-suggestions-list').hidden").await, true);
}

#[tokio::test]
async fn a_coordinator_forms_a_team_on_the_matching_desk_by_scanning_and_the_board_shows_it() {
    let Some(mut browser) = Browser::launch().await else { return };
    let c = crate::dispatch::center().await;
    for i in 0..5 {
        crate::dispatch::volunteer(&c, i, if i == 4 { "none" } else { "enrolled" }, true).await;
    }
    crate::dispatch::need(&c, 1).await;
    browser.log_in(&c.app, "coordinator", "demo-pass-2026").await;
    browser.goto(&c.app.url("/matching")).await;
    browser.wait_for("document.querySelectorAll('#pool button').length === 5").await;
    browser.wait_for("document.querySelectorAll('#needs button').length === 1").await;
    assert_eq!(
        browser.eval("document.querySelector('#pool button[data-volunteer=\"V-0005\"]').disabled").await,
        true,
        "an uninsured volunteer cannot be picked"
    );
    assert_eq!(browser.eval("document.activeElement.id").await, "scan", "ready for the scanner");

    // A practised user: scan the need card, four badges, Enter.
    let scanned = "(code => { const i = document.getElementById('scan'); i.value = code; i.form.requestSubmit(); })";
    let started = std::time::Instant::now();
    for code in ["N-0001", "V-0002", "V-0001", "V-0003", "V-0004"] {
        browser.eval(&format!("{scanned}({})", json!(code))).await;
    }
    browser.wait_for("document.querySelectorAll('#members li').length === 4").await;
    assert!(
        browser
            .eval("document.querySelector('#members li.leader').textContent")
            .await
            .as_str()
            .unwrap()
            .contains("V-0002"),
        "the first badge scanned leads"
    );
    browser.eval(&format!("{scanned}('')")).await;
    browser.wait_for("!document.getElementById('dispatched').hidden").await;
    println!("matching desk: need + 4 badges + Enter → dispatched in {:?} (browser time, no human)", started.elapsed());
    assert!(
        browser.eval("document.getElementById('dispatched').textContent").await.as_str().unwrap().contains("T-001")
    );
    browser.wait_for("document.querySelectorAll('#teams-out li').length === 1").await;
    browser.wait_for("document.querySelectorAll('#pool button').length === 1").await;
    browser.screenshot("matching.png").await;

    browser.goto(&c.app.url("/board")).await;
    browser.wait_for("document.querySelector('#teams-out li[data-team=\"T-001\"]') !== null").await;
    browser.screenshot("board-teams.png").await;
}

#[tokio::test]
async fn the_lobby_screen_calls_a_team_sent_through_the_api_without_a_reload() {
    let Some(mut browser) = Browser::launch().await else { return };
    let c = crate::dispatch::center().await;
    let ids = crate::dispatch::checked_in(&c, 4).await;
    let need = crate::dispatch::need(&c, 1).await;
    // A TV in the waiting area, nobody logged in.
    browser
        .command(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": false }),
            true,
        )
        .await;
    browser.goto(&c.app.url("/lobby")).await;
    browser.wait_for("document.getElementById('link-state').classList.contains('live')").await;
    browser.wait_for("document.getElementById('waiting').textContent === '4'").await;
    browser.eval("window.loadedOnce = true").await;

    let body = json!({ "need_id": need["id"], "leader_id": ids[0], "member_ids": [ids[0], ids[1]] });
    let sent = c.coordinator.post("/api/teams", &body).await;
    assert_eq!(sent.status(), 201, "{}", sent.text().await.unwrap());
    c.coordinator
        .post("/api/board/notices", &json!({ "text": "熱中症に注意。こまめに水分をとってください", "lobby": true }))
        .await;
    browser.wait_for("document.querySelector('#called li[data-team=\"T-001\"]') !== null").await;
    browser.wait_for("document.getElementById('waiting').textContent === '2'").await;
    browser.wait_for("document.querySelectorAll('#notices li').length === 1").await;
    assert_eq!(browser.eval("window.loadedOnce").await, true, "no reload");
    assert!(browser.eval("document.body.innerText").await.as_str().unwrap().contains("資機材受付"));
    browser.screenshot("lobby.png").await;

    let suspended = c.coordinator.post("/api/center/suspend", &json!({ "reason": "大雨警報" })).await;
    assert_eq!(suspended.status(), 200);
    browser.wait_for("document.getElementById('state').classList.contains('suspended')").await;
    assert!(browser.eval("document.getElementById('state').textContent").await.as_str().unwrap().contains("大雨警報"));
    browser.screenshot("lobby-suspended.png").await;
}

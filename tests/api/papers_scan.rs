//! Papers and scanning them (issue 15 §5): the need card (ニーズ票) and the
//! equipment label sheet as PDFs with their QR codes read back, the matching
//! desk's and the equipment page's scan, the walk-in's badge, and the links to
//! the 日報, the volunteers' CSV and the certificate for the roles that may open them.

use serde_json::{Value, json};

use crate::browser::Browser;
use crate::dispatch::{Center, center, need, volunteer};
use crate::helpers::Session;
use crate::paper_qr::qr_codes;

const DEMO_CODES: [&str; 14] =
    ["E-01", "E-02", "E-03", "C-01", "E-04", "E-05", "C-02", "E-06", "E-07", "E-08", "E-09", "E-10", "E-11", "C-03"];

async fn pdf(session: &Session, path: &str) -> Vec<u8> {
    let response = session.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    assert_eq!(response.headers()["content-type"], "application/pdf", "{path}");
    response.bytes().await.unwrap().to_vec()
}

fn text_of(bytes: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(bytes).unwrap().chars().filter(|c| !c.is_whitespace()).collect()
}

/// `path` asked in Japanese, as the desks' pages ask.
async fn get_ja(session: &Session, path: &str) -> reqwest::Response {
    let url = format!("{}{path}", session.base());
    session.http.get(url).header("cookie", session.cookie()).header("accept-language", "ja").send().await.unwrap()
}

async fn error(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status(), status);
    response.json::<Value>().await.unwrap()["error"].clone()
}

async fn item_id(c: &Center, code: &str) -> i64 {
    let items: Value = c.coordinator.get("/api/items").await.json().await.unwrap();
    items.as_array().unwrap().iter().find(|i| i["code"] == code).unwrap()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn the_need_card_is_a_coordinators_paper_with_the_needs_number_as_its_qr_code() {
    let c = center().await;
    need(&c, 1).await;
    let second = need(&c, 2).await;
    let path = format!("/api/needs/{}/card.pdf", second["id"]);

    let bytes = pdf(&c.coordinator, &path).await;
    let text = text_of(&bytes);
    for expected in [
        "ニーズ票",
        "取扱注意（個人情報）",
        "N-0002",
        "依頼者2様",
        "076-200-0002",
        "金沢市香林坊2-2",
        "泥出し",
        "対応記録",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text}");
    }
    let codes = qr_codes(&bytes);
    assert_eq!(codes.len(), 1, "one page");
    assert_eq!(codes[0].len(), 1, "one QR code");
    assert!(codes[0][0].says("N-0002"), "the QR code says the need's number");
    assert!(!codes[0][0].says("N-0001"));

    // Personal data: the roles that see a need's name and phone, and nobody else.
    pdf(&c.app.admin().await, &path).await;
    assert_eq!(c.desk.get(&path).await.status(), 403, "reception sees no personal fields of needs");
    let trainer = c.app.user_with_role("kunren", "trainer").await;
    assert_eq!(trainer.get(&path).await.status(), 403);
    assert_eq!(reqwest::get(c.app.url(&path)).await.unwrap().status(), 401);
    let missing = error(get_ja(&c.coordinator, "/api/needs/999/card.pdf").await, 404).await;
    assert_eq!(missing["message"], "該当するニーズが見つかりません。");
}

#[tokio::test]
async fn the_label_sheet_has_each_coded_items_code_as_a_qr_code_and_one_item_fills_a_sheet() {
    let c = center().await;
    let bytes = pdf(&c.coordinator, "/api/items/labels.pdf").await;
    let text = text_of(&bytes);
    assert!(text.contains("E-01剣スコップ"), "{text}");
    assert!(text.contains("返却先：金沢市社会福祉協議会（借用）"), "a borrowed item says whom it goes back to: {text}");
    let pages = qr_codes(&bytes);
    assert_eq!(pages.len(), 1);
    let said: Vec<&str> = pages[0].iter().map(|g| g.text(&DEMO_CODES).expect("a demo item's code")).collect();
    assert_eq!(said, DEMO_CODES, "one label per item, in the catalogue's order");

    // One item: a whole sheet of it, or as many as asked.
    let shovel = item_id(&c, "E-01").await;
    let sheet = qr_codes(&pdf(&c.coordinator, &format!("/api/items/labels.pdf?item={shovel}")).await);
    assert_eq!(sheet.len(), 1);
    assert_eq!(sheet[0].len(), 24);
    assert!(sheet[0].iter().all(|g| g.says("E-01")));
    let more = qr_codes(&pdf(&c.coordinator, &format!("/api/items/labels.pdf?item={shovel}&copies=30")).await);
    assert_eq!(more.iter().map(Vec::len).collect::<Vec<_>>(), [24, 6]);

    // Refusals say what and where, and print nothing.
    let zero = error(c.coordinator.get("/api/items/labels.pdf?copies=0").await, 422).await;
    assert_eq!(zero["field"], "copies");
    let too_many = error(get_ja(&c.coordinator, "/api/items/labels.pdf?copies=10").await, 422).await;
    assert!(too_many["message"].as_str().unwrap().contains("120枚以内"), "{too_many}");
    let body = json!({ "name": "水中ポンプ", "unit": "台", "kind": "durable", "source": "purchased",
                       "low_stock_threshold": 0, "initial_stock": 2 });
    let pump = c.coordinator.post("/api/items", &body).await.json::<Value>().await.unwrap()["id"].clone();
    let uncoded = error(get_ja(&c.coordinator, &format!("/api/items/labels.pdf?item={pump}")).await, 409).await;
    assert_eq!(uncoded["code"], "no_code");
    assert_eq!(uncoded["message"], "「水中ポンプ」にはコードがありません。コードを入れるとラベルを印刷できます。");
    assert_eq!(c.coordinator.get("/api/items/labels.pdf?item=999").await.status(), 404);
    assert_eq!(c.desk.get("/api/items/labels.pdf").await.status(), 403, "the equipment page's paper");

    // A center whose equipment has no codes yet has nothing to print, and says how to fix it.
    let bare = crate::helpers::spawn_app().await;
    let empty = error(get_ja(&bare.admin().await, "/api/items/labels.pdf").await, 409).await;
    assert_eq!(empty["message"], "コードの付いた資機材がありません。資機材にコードを入れるとラベルを印刷できます。");
}

#[tokio::test]
async fn a_scan_names_the_need_the_item_or_the_volunteer_however_the_scanner_typed_it() {
    let c = center().await;
    let v = volunteer(&c, 1, "enrolled", true).await;
    let n = need(&c, 1).await;
    let scan = |code: &str| format!("/api/matching/scan?code={}", urlencoding(code));

    // The issue's example: an equipment code, as printed and as typed through a Japanese IME.
    for code in ["E-01", "ｅー０１", " e-01 "] {
        let found: Value = c.coordinator.get(&scan(code)).await.json().await.unwrap();
        assert_eq!(found["kind"], "item", "{code}: {found}");
        assert_eq!(found["item"]["name"], "剣スコップ");
    }
    for code in ["N-0001", "Ｎー０００１", "n1"] {
        let found: Value = c.coordinator.get(&scan(code)).await.json().await.unwrap();
        assert_eq!(found["kind"], "need", "{code}: {found}");
        assert_eq!(found["need"]["id"], n["id"]);
        assert!(found["need"].get("requester_name").is_none(), "a summary, without personal fields");
    }
    let found: Value = c.coordinator.get(&scan("Ｖー０００１")).await.json().await.unwrap();
    assert_eq!((found["kind"].as_str(), found["volunteer"]["volunteer_id"].as_i64()), (Some("volunteer"), Some(v)));

    // A badge of somebody who cannot go says why, as the badge lookup does.
    volunteer(&c, 2, "enrolled", false).await;
    let absent = error(get_ja(&c.coordinator, &scan("V-0002")).await, 409).await;
    assert!(absent["message"].as_str().unwrap().contains("V-0002"), "{absent}");
    let badge_lookup = error(get_ja(&c.coordinator, "/api/waiting/scan?code=V-0002").await, 409).await;
    assert_eq!(absent["message"], badge_lookup["message"]);

    // Unknown codes, in the reader's language; a need that cannot be sent says why.
    let unknown = error(get_ja(&c.coordinator, &scan("EQ-0099")).await, 404).await;
    assert_eq!(unknown["message"], "「EQ-0099」は名札・ニーズ票・資機材のどのコードにも当たりません。");
    let english = c
        .coordinator
        .http
        .get(c.app.url(&scan("EQ-0099")))
        .header("cookie", c.coordinator.cookie())
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(error(english, 404).await["message"], "\"EQ-0099\" matches no badge, need card or equipment code.");
    assert_eq!(
        error(get_ja(&c.coordinator, &scan("N-0099")).await, 404).await["message"],
        "ニーズ N-0099 はありません。"
    );
    let patch = json!({ "version": n["version"], "status": "cancelled", "reason": "重複" });
    assert_eq!(c.coordinator.patch(&format!("/api/needs/{}", n["id"]), &patch).await.status(), 200);
    let closed = error(get_ja(&c.coordinator, &scan("N-0001")).await, 409).await;
    assert_eq!(closed["message"], "N-0001 は「取消」です。送り出しできません。");
    assert_eq!(error(c.coordinator.get(&scan("  ")).await, 422).await["field"], "code");
    assert_eq!(c.desk.get(&scan("E-01")).await.status(), 403, "the matching desk's scan");

    // The equipment page's lookup: anyone signed in reads the catalogue.
    let item: Value =
        c.desk.get("/api/items/scan?code=%EF%BD%85%E3%83%BC%EF%BC%90%EF%BC%95").await.json().await.unwrap();
    assert_eq!((item["code"].as_str(), item["name"].as_str()), (Some("E-05"), Some("高圧洗浄機")));
    let none = error(get_ja(&c.desk, "/api/items/scan?code=Z-9").await, 404).await;
    assert_eq!(none["message"], "資機材コード「Z-9」は登録されていません。");
}

fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'-' { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[tokio::test]
async fn the_pages_link_the_reports_exports_and_papers_for_the_roles_that_may_open_them() {
    let c = center().await;
    let admin = c.app.admin().await;
    // 日報 on the board (coordinators and admins, the board's roles and the report's).
    for who in [&c.coordinator, &admin] {
        let board = html(who, "/board").await;
        for link in [r#"href="/api/reports/daily.pdf""#, r#"href="/api/reports/daily.csv""#] {
            assert!(board.contains(link), "{link}");
        }
        pdf(who, "/api/reports/daily.pdf").await;
        assert_eq!(who.get("/api/reports/daily.csv").await.status(), 200);
    }
    // Reception may open neither the board nor the report.
    assert_eq!(c.desk.get("/board").await.status(), 403);
    assert_eq!(c.desk.get("/api/reports/daily.pdf").await.status(), 403);
    // The volunteers' CSV on the desk: only for the roles that may download it.
    let link = r#"href="/api/volunteers.csv""#;
    assert!(!html(&c.desk, "/reception").await.contains(link), "reception may not download it");
    assert_eq!(c.desk.get("/api/volunteers.csv").await.status(), 403);
    for who in [&c.coordinator, &admin] {
        assert!(html(who, "/reception").await.contains(link));
        assert_eq!(who.get("/api/volunteers.csv").await.status(), 200);
    }
    // Labels on the equipment page, the need card on the needs page.
    assert!(html(&c.coordinator, "/inventory").await.contains(r#"href="/api/items/labels.pdf""#));
    assert!(html(&c.coordinator, "/needs").await.contains(r#"id="need-card""#));
}

async fn html(session: &Session, path: &str) -> String {
    session.get(path).await.text().await.unwrap()
}

/// Puts `code` in a scan field and presses Enter, as a USB or Bluetooth reader does.
async fn scan(browser: &mut Browser, field: &str, code: &str) {
    browser
        .eval(&format!(
            "{{ const i = document.getElementById({}); i.value = {}; i.form.requestSubmit(); }}",
            json!(field),
            json!(code)
        ))
        .await;
}

/// The text a QR code on the paper at `path` says, among `candidates`: what a reader types.
async fn read_qr(session: &Session, path: &str, candidates: &[&'static str]) -> &'static str {
    let codes = qr_codes(&pdf(session, path).await);
    codes[0][0].text(candidates).expect("the QR code says one of the candidates")
}

#[tokio::test]
async fn the_matching_desk_takes_a_need_card_and_an_equipment_label_from_the_scanner() {
    let Some(mut browser) = Browser::launch().await else { return };
    let c = center().await;
    volunteer(&c, 1, "enrolled", true).await;
    let n = need(&c, 1).await;
    let shovel = item_id(&c, "E-01").await;
    let card = read_qr(&c.coordinator, &format!("/api/needs/{}/card.pdf", n["id"]), &["N-0001", "N-0002"]).await;
    let label = read_qr(&c.coordinator, &format!("/api/items/labels.pdf?item={shovel}"), &DEMO_CODES).await;
    assert_eq!((card, label), ("N-0001", "E-01"));

    browser.log_in(&c.app, "coordinator", "demo-pass-2026").await;
    browser.goto(&c.app.url("/matching")).await;
    browser.wait_for("document.querySelectorAll('#needs button').length === 1").await;
    browser.wait_for("document.querySelectorAll('#loan-item option').length === 14").await;

    scan(&mut browser, "scan", card).await;
    browser
        .wait_for("document.querySelector('#needs button[data-need=\"N-0001\"]').classList.contains('chosen')")
        .await;
    assert_eq!(browser.eval("document.getElementById('scan-result').textContent").await, "N-0001 を選びました。");
    assert!(
        browser.eval("document.getElementById('team-target').textContent").await.as_str().unwrap().contains("N-0001")
    );

    scan(&mut browser, "scan", label).await;
    browser.wait_for("document.querySelectorAll('#loans li').length === 1").await;
    assert_eq!(browser.eval("document.querySelector('#loans li').textContent").await, "剣スコップ × 1×");
    // The same label through a Japanese IME (its long dash too): one more shovel.
    scan(&mut browser, "scan", "Ｅー０１").await;
    browser.wait_for("document.querySelector('#loans li').textContent === '剣スコップ × 2×'").await;

    // A need received after the desk read its list: its card still picks it.
    let later = need(&c, 2).await;
    let card = read_qr(&c.coordinator, &format!("/api/needs/{}/card.pdf", later["id"]), &["N-0001", "N-0002"]).await;
    scan(&mut browser, "scan", card).await;
    browser.wait_for("document.getElementById('scan-result').textContent === 'N-0002 を選びました。'").await;
    assert!(
        browser.eval("document.getElementById('team-target').textContent").await.as_str().unwrap().contains("N-0002")
    );
    assert_eq!(browser.eval("document.activeElement.id").await, "scan", "ready for the next scan");
    browser.screenshot("matching-need-card-and-label.png").await;
}

#[tokio::test]
async fn the_equipment_page_finds_a_scanned_label_and_prints_its_sheet() {
    let Some(mut browser) = Browser::launch().await else { return };
    let c = center().await;
    let washer = item_id(&c, "E-05").await;
    browser.log_in(&c.app, "coordinator", "demo-pass-2026").await;
    browser.goto(&c.app.url("/inventory")).await;
    // Through a Japanese IME: the long dash is not folded by NFKC, the server folds it.
    scan(&mut browser, "item-scan-input", "Ｅー０５").await;
    browser.wait_for("!document.getElementById('detail').hidden").await;
    assert_eq!(
        browser.eval("document.querySelector('#items-list tr.camera-found').dataset.code").await,
        "E-05",
        "the scanned item's row is marked"
    );
    let href = browser.eval("document.getElementById('item-labels').href").await;
    assert_eq!(href, c.app.url(&format!("/api/items/labels.pdf?item={washer}")));
    let status = browser.eval("fetch(document.getElementById('item-labels').href).then(r => r.status + ' ' + r.headers.get('content-type'))").await;
    assert_eq!(status, "200 application/pdf");
    scan(&mut browser, "item-scan-input", "Z-9").await;
    browser.wait_for("document.getElementById('item-scan-result').className.includes('warn')").await;
}

#[tokio::test]
async fn a_walk_in_gets_a_badge_button_and_a_volunteer_who_left_a_certificate() {
    let Some(mut browser) = Browser::launch().await else { return };
    let c = center().await;
    browser.log_in(&c.app, "reception", "demo-pass-2026").await;
    browser.goto(&c.app.url("/reception")).await;
    browser.eval("document.getElementById('health-ok').checked = true").await;
    browser
        .eval(
            "{ const f = document.getElementById('registration');
               f.elements.name.value = '山田 太郎'; f.elements.furigana.value = 'ヤマダ タロウ';
               f.elements.birth_date.value = '1988-10-10'; f.elements.phone.value = '090-7777-8888';
               f.elements.address.value = '石川県金沢市'; f.elements.emergency_name.value = '家族 連絡';
               f.elements.emergency_phone.value = '076-220-2111';
               f.querySelector('input[name=insurance][value=enrolled]').checked = true;
               f.requestSubmit(); }",
        )
        .await;
    browser.wait_for("document.getElementById('walk-in-badge') !== null").await;
    let said = browser.eval("document.getElementById('result').textContent").await;
    assert!(said.as_str().unwrap().contains("山田 太郎"), "{said}");
    let badge = browser
        .eval("fetch(document.getElementById('walk-in-badge').href).then(async r => r.status + ' ' + r.headers.get('content-type') + ' ' + (await r.arrayBuffer()).byteLength)")
        .await;
    let badge = badge.as_str().unwrap();
    assert!(badge.starts_with("200 application/pdf "), "{badge}");
    browser.screenshot("desk-walk-in-badge.png").await;

    // A badge scanned at the desk is somebody who has one: no badge button there.
    volunteer(&c, 2, "enrolled", false).await;
    browser.eval("document.getElementById('health-ok').checked = true").await;
    scan(&mut browser, "scan-input", "V-0002").await;
    browser.wait_for("document.getElementById('result').textContent.includes('V-0002')").await;
    assert_eq!(browser.eval("document.getElementById('walk-in-badge') === null").await, true);

    // Checked out: the search offers the day's certificate, and it opens.
    let answer = c.desk.post("/api/checkouts", &json!({ "volunteer_id": 1 })).await;
    assert_eq!(answer.status(), 200, "{}", answer.text().await.unwrap());
    browser
        .eval("{ const i = document.getElementById('search-input'); i.value = '山田'; i.form.requestSubmit(); }")
        .await;
    browser.wait_for("document.querySelector('#search-results a[data-certificate]') !== null").await;
    let certificate = browser
        .eval("fetch(document.querySelector('#search-results a[data-certificate]').href).then(r => r.status + ' ' + r.headers.get('content-type'))")
        .await;
    assert_eq!(certificate, "200 application/pdf");
}

#[tokio::test]
async fn the_needs_page_prints_the_card_right_after_intake_and_from_the_detail() {
    let Some(mut browser) = Browser::launch().await else { return };
    let c = center().await;
    browser.log_in(&c.app, "coordinator", "demo-pass-2026").await;
    browser.goto(&c.app.url("/needs")).await;
    browser
        .eval(
            "{ const f = document.getElementById('need-form');
               f.elements.requester_name.value = '金沢 花子'; f.elements.phone.value = '076-200-1234';
               f.elements.address.value = '金沢市香林坊2-9';
               f.querySelector('input[name=categories][value=mud]').checked = true;
               f.elements.people_needed.value = '3'; f.requestSubmit(); }",
        )
        .await;
    browser.wait_for("document.querySelector('.result.ok a[data-card]') !== null").await;
    let needs: Value = c.coordinator.get("/api/needs").await.json().await.unwrap();
    let id = needs[0]["id"].as_i64().unwrap();
    let href = browser.eval("document.querySelector('.result.ok a[data-card]').href").await;
    assert_eq!(href, c.app.url(&format!("/api/needs/{id}/card.pdf")));
    let opened = browser.eval("fetch(document.querySelector('.result.ok a[data-card]').href).then(r => r.status + ' ' + r.headers.get('content-type'))").await;
    assert_eq!(opened, "200 application/pdf");

    browser.eval(&format!("document.querySelector('.open-need[data-id=\"{id}\"]').click()")).await;
    browser.wait_for("!document.getElementById('detail').hidden").await;
    assert_eq!(
        browser.eval("document.getElementById('need-card').href").await,
        c.app.url(&format!("/api/needs/{id}/card.pdf"))
    );
}

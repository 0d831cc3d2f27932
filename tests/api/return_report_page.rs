//! The return form on the matching desk, in Chromium: a consumable not counted
//! back shows 「消費 40」 before saving; the 「全員無事」 tick is required (or the
//! injury described); 帰着人数, 作業時間 and a new need card are sent; the
//! board then shows the headcount alert until it is resolved there.

use serde_json::{Value, json};

use crate::browser::Browser;
use crate::dispatch::{center, need, volunteer};

fn js(value: &str) -> String {
    json!(value).to_string()
}

#[tokio::test]
async fn the_return_form_sends_the_paper_report_and_the_board_alert_is_resolved_there() {
    let Some(mut browser) = Browser::launch().await else { return };
    let c = center().await;
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(volunteer(&c, i, "enrolled", true).await);
    }
    need(&c, 1).await;
    let items: Value = c.coordinator.get("/api/items").await.json().await.unwrap();
    let item = |code: &str| items.as_array().unwrap().iter().find(|i| i["code"] == code).unwrap().clone();
    let (bags, shovel) = (item("C-01"), item("E-01"));
    let loans = json!([{ "item_id": bags["id"], "qty": 50 }, { "item_id": shovel["id"], "qty": 1 }]);
    let out =
        c.coordinator.post("/api/teams", &json!({ "need_no": "N-0001", "member_ids": ids, "loans": loans })).await;
    assert_eq!(out.status(), 201, "{}", out.text().await.unwrap());
    c.app.state.clock.advance(chrono::Duration::minutes(100));

    browser.log_in(&c.app, "coordinator", "demo-pass-2026").await;
    browser.goto(&c.app.url("/matching")).await;
    browser.wait_for("document.querySelector('#teams-out li[data-team=\"T-001\"] button')").await;
    browser.eval("document.querySelector('#teams-out li[data-team=\"T-001\"] button').click()").await;
    browser.wait_for("!document.getElementById('return-form').hidden && document.querySelectorAll('#return-items [data-item]').length === 2").await;
    assert_eq!(
        browser.eval("document.querySelector('#return-form input[name=back]').value").await,
        "3",
        "everyone, to start with"
    );

    // 10 bags of 50 come back: the rest shows as used up before anything is saved.
    let bags_row = format!("#return-items [data-item=\"{}\"]", bags["id"]);
    browser
        .eval(&format!(
            "{{ const i = document.querySelector({} + ' input[name=returned]'); i.value = '10'; i.dispatchEvent(new Event('input')); }}",
            js(&bags_row)
        ))
        .await;
    browser
        .wait_for(&format!("document.querySelector({} + ' .unaccounted').textContent === '消費 40枚'", js(&bags_row)))
        .await;
    let shovel_row = format!("#return-items [data-item=\"{}\"] .unaccounted", shovel["id"]);
    assert_eq!(browser.eval(&format!("document.querySelector({}).textContent", js(&shovel_row))).await, "", "all back");
    let still_out: Value = c.coordinator.get("/api/teams?status=dispatched").await.json().await.unwrap();
    assert_eq!(still_out.as_array().unwrap().len(), 1, "nothing saved yet");
    browser.screenshot("return-form-consumed.png").await;

    // Without the tick and without an injury written, the desk says so and sends nothing.
    browser
        .eval(
            "{ const f = document.getElementById('return-form');
               f.querySelector('input[name=outcome][value=done]').checked = true;
               f.elements.back.value = '2'; f.elements.back.dispatchEvent(new Event('input'));
               f.elements.minutes.value = '80';
               f.elements.report.value = '泥出し完了';
               f.requestSubmit(); }",
        )
        .await;
    browser.wait_for("!document.getElementById('return-error').hidden").await;
    let left = browser.eval("document.getElementById('return-left').textContent").await;
    assert_eq!(left, "出発 3名（1名少ない：本部のボードに警告が出ます）", "said before saving");
    let said = browser.eval("document.getElementById('return-error').textContent").await;
    assert_eq!(said, "「全員無事」にチェックを付けるか、けが・事故の内容を書いてください。");
    let still_out: Value = c.coordinator.get("/api/teams?status=dispatched").await.json().await.unwrap();
    assert_eq!(still_out.as_array().unwrap().len(), 1, "nothing sent");

    // Ticked, with a need card found next door.
    browser.eval("document.getElementById('return-need-add').click()").await;
    browser.wait_for("document.querySelectorAll('#return-needs .new-need').length === 1").await;
    browser
        .eval(
            "{ const card = document.querySelector('#return-needs .new-need');
               card.querySelector('input[name=need_requester_name]').value = '隣家 住人';
               card.querySelector('input[name=need_address]').value = '金沢市香林坊2-30';
               card.querySelector('input[name=need_people_needed]').value = '2';
               card.querySelector('input[name=need_categories][value=belongings]').checked = true;
               const f = document.getElementById('return-form');
               f.elements.all_safe.checked = true;
               f.requestSubmit(); }",
        )
        .await;
    browser.wait_for("document.getElementById('return-form').hidden").await;
    browser.wait_for("document.getElementById('scan-result').textContent.includes('T-001')").await;

    let events = borasen::events::since(&c.app.state.db.read, 0, 10_000).await.unwrap();
    let returned = events.iter().find(|e| e.kind == "team.returned").expect("returned").data.clone();
    assert_eq!(returned["minutes"], 80, "the log no longer says 0 minutes");
    assert_eq!(returned["back"], 2);
    assert_eq!(returned["all_safe"], true);
    assert_eq!(returned["new_needs"], json!(["N-0002"]));
    let found: Value = c.coordinator.get("/api/needs?q=N-0002").await.json().await.unwrap();
    assert_eq!(found[0]["categories"], json!(["belongings"]));
    let now: Value = c.coordinator.get(&format!("/api/items/{}", bags["id"])).await.json().await.unwrap();
    assert_eq!(now["consumed"], 40, "{now}");

    // The board shows the alert; a coordinator writes what was found and it goes.
    browser.goto(&c.app.url("/board")).await;
    browser.wait_for("document.querySelector('#headcount-alerts li[data-team=\"T-001\"]')").await;
    let alert = browser.eval("document.querySelector('#headcount-alerts li[data-team=\"T-001\"]').textContent").await;
    assert!(alert.as_str().unwrap().contains("出発3名・帰着2名（1名未帰着）"), "{alert}");
    browser
        .eval(
            "{ const f = document.querySelector('#headcount-alerts li[data-team=\"T-001\"] form');
               f.elements.finding.value = '直帰していた。電話で無事を確認'; f.requestSubmit(); }",
        )
        .await;
    browser.wait_for("document.querySelectorAll('#headcount-alerts li').length === 0").await;
    let resolved = borasen::events::since(&c.app.state.db.read, 0, 10_000)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.kind == "team.headcount_resolved")
        .expect("resolved");
    assert_eq!(resolved.actor, "coordinator");
    assert_eq!(resolved.data["finding"], "直帰していた。電話で無事を確認");
    browser
        .wait_for(
            "[...document.querySelectorAll('#feed li')].some(li => li.textContent.includes('帰着人数の確認済み'))",
        )
        .await;
}

#[tokio::test]
async fn the_board_keeps_the_days_remarks_for_the_daily_report() {
    let Some(mut browser) = Browser::launch().await else { return };
    let c = center().await;
    browser.log_in(&c.app, "coordinator", "demo-pass-2026").await;
    browser.goto(&c.app.url("/board")).await;
    browser.wait_for("document.getElementById('link-state').classList.contains('live')").await;
    browser
        .eval("{ const f = document.getElementById('remarks-form'); f.elements.text.value = '午後から雨、14時で終了'; f.requestSubmit(); }")
        .await;
    browser.wait_for("!document.getElementById('remarks-saved').hidden").await;
    let record: Value = c.coordinator.get("/api/reports/daily/record").await.json().await.unwrap();
    assert_eq!(record["remarks"]["text"], "午後から雨、14時で終了");
    // Written by somebody else meanwhile: this board's version is stale and it says so.
    let other = c
        .coordinator
        .put("/api/reports/daily/remarks", &json!({ "date": "2026-07-12", "text": "別の人", "version": 1 }))
        .await;
    assert_eq!(other.status(), 200);
    browser.eval("document.getElementById('remarks-form').requestSubmit()").await;
    browser.wait_for("!document.getElementById('remarks-error').hidden").await;
    let said = browser.eval("document.getElementById('remarks-error').textContent").await;
    assert!(said.as_str().unwrap().contains("他の人が先に更新"), "{said}");
}

//! The drill in a real browser: the trainer's console steers it, a call slip
//! on the needs page becomes a need card, a message reaches the page as a
//! toast, and the after-action report opens.

use serde_json::{Value, json};

use crate::browser::Browser;
use crate::drill_run::{PASSWORD, drill_in};

#[tokio::test]
async fn a_trainer_runs_the_drill_from_the_console_and_trainees_get_its_calls_and_messages() {
    let Some(mut browser) = Browser::launch().await else { return };
    let d = drill_in(None).await;

    browser.log_in(&d.app, "trainer", PASSWORD).await;
    browser.goto(&d.app.url("/drill")).await;
    browser.wait_for("document.getElementById('drill-state').dataset.state === 'ready'").await;
    // The script fills the title once it has read the drill; under load that comes after 'ready'.
    browser.wait_for("document.getElementById('scenario-title').textContent.includes('テスト訓練')").await;
    browser.eval("document.getElementById('drill-start').click()").await;
    browser.wait_for("document.getElementById('drill-state').dataset.state === 'running'").await;
    // The household call (inject 2) by hand.
    browser.wait_for("document.querySelector('#inject-list tr.inject[data-id=\"2\"] button.fire')").await;
    browser.eval("document.querySelector('#inject-list tr.inject[data-id=\"2\"] button.fire').click()").await;
    browser
        .wait_for("document.querySelector('#inject-list tr.inject[data-id=\"2\"]').dataset.status === 'fired'")
        .await;
    browser.screenshot("drill-console.png").await;

    // The needs desk: the call slip fills the intake form; saving links it to the call.
    browser.log_in(&d.app, "coordinator", PASSWORD).await;
    browser.goto(&d.app.url("/needs")).await;
    browser
        .wait_for("document.querySelector('#drill-call-list li.drill-call[data-inject=\"2\"] button.take-call')")
        .await;
    browser.eval("document.querySelector('#drill-call-list button.take-call').click()").await;
    assert_eq!(browser.eval("document.getElementById('need-form').elements.requester_name.value").await, "山田 花子");
    browser.eval("document.getElementById('need-form').requestSubmit()").await;
    browser.wait_for("document.body.textContent.includes('N-0001 を受け付けました')").await;
    let events = d.app.state.drill.as_ref().unwrap().events().await.unwrap();
    let taken = events.iter().find(|e| e.kind == "drill.call_taken").expect("the slip was linked to its call");
    assert_eq!(taken.data["inject"], 2);
    browser.wait_for("document.querySelectorAll('#drill-call-list li.drill-call').length === 0").await;

    // A message to everyone arrives while the page is open: a toast.
    let response = d.trainer.post("/api/drill/injects/4/fire", &json!({})).await;
    assert_eq!(response.status(), 200);
    browser.wait_for("document.querySelector('#drill-toasts .drill-toast[data-inject=\"4\"]')").await;
    let toast = browser.eval("document.querySelector('#drill-toasts .drill-toast').textContent").await;
    assert!(toast.as_str().unwrap().contains("雨が弱まってきました"), "{toast}");
    browser.screenshot("drill-toast.png").await;

    // Back on the console: rate, note, stop.
    browser.log_in(&d.app, "trainer", PASSWORD).await;
    browser.goto(&d.app.url("/drill")).await;
    browser.wait_for("document.querySelector('input[name=\"rating-O1\"][value=\"S\"]')").await;
    browser.eval("document.querySelector('input[name=\"rating-O1\"][value=\"S\"]').click()").await;
    browser
        .eval(
            "{ const f = document.querySelector('#objectives .objective[data-id=\"O1\"] form.observation-form'); \
               f.elements.text.value = '受付の動線が混雑'; f.requestSubmit(); }",
        )
        .await;
    browser.wait_for("document.querySelector('#objectives .objective[data-id=\"O1\"] .observations').textContent.includes('受付の動線が混雑')").await;
    let status: Value = d.trainer.get("/api/drill").await.json().await.unwrap();
    assert_eq!(status["objectives"][0]["rating"], "S");
    browser.eval("document.getElementById('drill-stop').click()").await;
    browser.wait_for("!document.getElementById('stop-confirm').hidden").await;
    browser.eval("document.getElementById('stop-confirm-yes').click()").await;
    browser.wait_for("document.getElementById('drill-state').dataset.state === 'finished'").await;

    browser.goto(&d.app.url("/drill/aar")).await;
    let page = browser.eval("document.body.textContent").await;
    for heading in ["事後検証報告書", "目標ごとの分析", "改善計画", "受付の動線が混雑"] {
        assert!(page.as_str().unwrap().contains(heading), "{heading} on the AAR page");
    }
    browser.screenshot("drill-aar.png").await;
}

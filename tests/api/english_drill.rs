//! A drill's messages reach an English page in English: the toast a trainee
//! sees says borasen's own words (its framing, the section, the kind, and every
//! message the drill makes up) in the page's language; only what the scenario's
//! author wrote stays as written.

use serde_json::{Value, json};

use crate::browser::Browser;
use crate::drill_run::{PASSWORD, SCENARIO, drill_in};
use crate::english::{is_japanese, strings_in};

#[tokio::test]
async fn drill_toasts_on_an_english_page_show_no_japanese_but_what_the_scenario_wrote() {
    let Some(mut browser) = Browser::launch().await else { return };
    let d = drill_in(None).await;
    assert_eq!(d.trainer.post("/api/drill/start", &json!({})).await.status(), 200);

    browser.log_in(&d.app, "reception", PASSWORD).await;
    browser.goto(&d.app.url("/reception")).await;
    // The language switch answers with a redirect back to the page.
    browser.eval("location.href = '/lang/en'").await;
    browser.wait_for("document.documentElement.lang === 'en' && document.readyState === 'complete'").await;
    browser.goto(&d.app.url("/reception")).await;
    // The page has polled its inbox once: what fires from now on pops up.
    browser.wait_for("sessionStorage.getItem('borasen-drill-inbox-since') !== null").await;

    // Made-up messages (an arrival, a network outage, no message in the
    // scenario) and one the scenario wrote (to all).
    for inject in [1, 5, 4] {
        let fired = d.trainer.post(&format!("/api/drill/injects/{inject}/fire"), &json!({})).await;
        assert_eq!(fired.status(), 200, "inject {inject}");
    }
    for inject in [1, 5, 4] {
        browser
            .wait_for(&format!("document.querySelector('#drill-toasts .drill-toast[data-inject=\"{inject}\"]')"))
            .await;
    }
    let toast = |inject: u32| {
        format!("document.querySelector('#drill-toasts .drill-toast[data-inject=\"{inject}\"]').innerText")
    };
    let outage = browser.eval(&toast(5)).await.as_str().unwrap().to_string();
    assert!(outage.contains("受付タブレット2 cannot reach the network."), "{outage}");
    assert!(outage.contains("Drill message") && outage.contains("Reception team"), "{outage}");
    let arrival = browser.eval(&toast(1)).await.as_str().unwrap().to_string();
    assert!(arrival.contains("6 volunteers are queuing at reception."), "{arrival}");
    let written = browser.eval(&toast(4)).await.as_str().unwrap().to_string();
    assert!(written.contains("雨が弱まってきました"), "the scenario's own words, as written: {written}");
    browser.screenshot("english-drill-toasts.png").await;

    // Nothing Japanese in the toasts once the scenario's own strings are taken out.
    let mut scenario_words = Vec::new();
    strings_in(&toml::from_str(SCENARIO).unwrap(), &mut scenario_words);
    scenario_words.sort_by_key(|v| std::cmp::Reverse(v.chars().count()));
    let toasts = browser.eval("document.getElementById('drill-toasts').innerText").await;
    let japanese: Vec<&str> = toasts
        .as_str()
        .unwrap()
        .lines()
        .filter(|line| {
            let rest = scenario_words.iter().fold(line.to_string(), |rest, word| rest.replace(word.as_str(), ""));
            rest.chars().any(is_japanese)
        })
        .collect();
    assert!(japanese.is_empty(), "Japanese in the English toasts: {japanese:?}\n{toasts}");

    // The inbox says which messages the drill made up, and leaves the written one alone.
    let inbox: Value = d.reception.get("/api/drill/inbox?since=0").await.json().await.unwrap();
    let message = |inject: u64| inbox["messages"].as_array().unwrap().iter().find(|m| m["inject"] == inject).unwrap();
    assert_eq!(message(5)["message_phrase"]["key"], "js.drill.said.ict_outage");
    assert_eq!(
        message(5)["message"],
        "受付タブレット2がネットワークにつながりません。",
        "the recorded Japanese is unchanged"
    );
    assert_eq!(message(4)["message_phrase"], Value::Null);
}

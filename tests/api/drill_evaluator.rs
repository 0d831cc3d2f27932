//! The evaluator on a live drill: marks and overrides (the reason and the
//! detected result kept, both in the AAR), findings per objective, capability
//! groups; the evaluator cannot steer; the controller's un-skip, re-fire and
//! ad-hoc injects recorded and shown as 「統制官による」; a player's answer to
//! an inquiry meets `inquiry_answered`.

use std::path::PathBuf;

use chrono::Duration;
use serde_json::{Value, json};

use crate::drill_run::PASSWORD;
use crate::helpers::{Session, TestApp, spawn_app_at};

const START: &str = "2026-07-12T08:00:00+09:00";

pub const SCENARIO: &str = r#"
id = "eval-drill"
title = "評価者の試験"
hazard = "大雨"
sim_start = "2026-07-12T08:00:00+09:00"
duration = "2h"

[[objectives]]
id = "O1"
text = "到着したボランティアを30分以内に受け付ける"
capability = "受付"

[[objectives]]
id = "O2"
text = "問い合わせと状況の変化を全体に伝える"
capability = "情報発信"

[[injects]]
id = 1
at = "+00:05"
kind = "volunteer_arrival"
to = "reception"
payload = { count = 2 }
expect = { text = "全員受付", within = "30m", objective = "O1", detect = { all_checked_in = { inject = 1 } } }

[[injects]]
id = 2
at = "+00:10"
kind = "inquiry"
to = "all"
message = "住民から電話：今日は何時まで受け付けていますか"
payload = { caller = "住民", question = "受付時間" }
expect = { text = "受付時間を答える", within = "15m", objective = "O2", detect = { inquiry_answered = { inject = 2 } } }

[[injects]]
id = 3
at = "+00:15"
kind = "situation_update"
message = "雨が弱まってきました"
expect = { text = "全体に周知する", objective = "O2" }

[[injects]]
id = 4
at = "+00:30"
kind = "situation_update"
to = "reception"
message = "午後から気温が上がります"

[[injects]]
id = 5
at = "+00:40"
kind = "inquiry"
hidden = true
message = "統制官メモ：報道の取材"
"#;

pub struct EvalDrill {
    pub app: TestApp,
    pub trainer: Session,
    pub evaluator: Session,
    pub reception: Session,
    pub coordinator: Session,
    _dir: tempfile::TempDir,
}

pub async fn eval_drill() -> EvalDrill {
    let dir = tempfile::tempdir().unwrap();
    let file: PathBuf = dir.path().join("eval-drill.toml");
    std::fs::write(&file, SCENARIO).unwrap();
    let app = spawn_app_at(START, move |c| {
        c.drill = Some(file);
        c.demo_password = Some(PASSWORD.into());
    })
    .await;
    let trainer = app.client_for("trainer", PASSWORD).await;
    let evaluator = app.client_for("evaluator", PASSWORD).await;
    let reception = app.client_for("reception", PASSWORD).await;
    let coordinator = app.client_for("coordinator", PASSWORD).await;
    EvalDrill { app, trainer, evaluator, reception, coordinator, _dir: dir }
}

impl EvalDrill {
    pub async fn advance(&self, minutes: i64) {
        self.app.state.clock.advance(Duration::minutes(minutes));
        self.app.state.drill.as_ref().unwrap().step().await.unwrap();
    }
}

pub async fn post(who: &Session, path: &str, body: Value) -> (u16, Value) {
    let response = who.post(path, &body).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn expect(view: &Value, inject: u64) -> &Value {
    view["expects"].as_array().unwrap().iter().find(|e| e["inject"] == inject).unwrap()
}

async fn aar(who: &Session) -> Value {
    let response = who.get("/api/drill/aar.json").await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn an_evaluator_marks_actions_and_overrides_a_detected_one_with_a_reason_the_aar_keeps() {
    let d = eval_drill().await;
    assert_eq!(post(&d.trainer, "/api/drill/start", json!({})).await.0, 200);
    let (code, body) = post(&d.evaluator, "/api/drill/expects/3/mark", json!({ "verdict": "met", "note": "x" })).await;
    assert_eq!((code, body["error"]["code"].as_str()), (409, Some("drill_state")), "not fired yet: {body}");

    d.advance(16).await;
    // No detect: only a person can judge it; the note says what was seen.
    let (code, view) =
        post(&d.evaluator, "/api/drill/expects/3/mark", json!({ "verdict": "late", "note": "周知は25分後" })).await;
    assert_eq!(code, 200, "{view}");
    let three = expect(&view, 3);
    assert_eq!((three["status"].as_str(), three["detect"].as_bool()), (Some("late"), Some(false)));
    assert_eq!(three["detected_status"], Value::Null);
    assert_eq!(
        (three["mark"]["by"].as_str(), three["mark"]["note"].as_str()),
        (Some("evaluator"), Some("周知は25分後"))
    );

    // Nobody checks the two in: missed by the log, then overridden with a reason.
    d.advance(31).await;
    let view: Value = d.evaluator.get("/api/drill/evaluation").await.json().await.unwrap();
    assert_eq!(expect(&view, 1)["status"], "missed");
    let (code, body) = post(&d.evaluator, "/api/drill/expects/1/mark", json!({ "verdict": "late", "note": " " })).await;
    assert_eq!((code, body["error"]["field"].as_str()), (422, Some("note")), "an override says why: {body}");
    let (code, body) = post(&d.evaluator, "/api/drill/expects/1/mark", json!({ "note": "x" })).await;
    assert_eq!((code, body["error"]["field"].as_str()), (422, Some("verdict")), "{body}");
    let (code, body) = post(&d.evaluator, "/api/drill/expects/4/mark", json!({ "verdict": "met", "note": "x" })).await;
    assert_eq!((code, body["error"]["field"].as_str()), (422, Some("inject")), "no expected action: {body}");
    assert_eq!(post(&d.evaluator, "/api/drill/expects/99/mark", json!({ "verdict": "met", "note": "x" })).await.0, 404);
    let reason = "2人は紙の受付票で35分に受付済み（入力が遅れただけ）";
    let (code, view) =
        post(&d.evaluator, "/api/drill/expects/1/mark", json!({ "verdict": "late", "note": reason })).await;
    assert_eq!(code, 200);
    let one = expect(&view, 1);
    assert_eq!((one["status"].as_str(), one["detected_status"].as_str()), (Some("late"), Some("missed")));

    // Findings per objective: observation, strength, area for improvement.
    for (kind, text) in
        [("observation", "受付の列が外まで伸びた"), ("strength", "声かけが早い"), ("improvement", "列の整理")]
    {
        let (code, _) =
            post(&d.evaluator, "/api/drill/findings", json!({ "objective": "O1", "kind": kind, "text": text })).await;
        assert_eq!(code, 200, "{kind}");
    }
    let (code, body) = post(&d.evaluator, "/api/drill/findings", json!({ "objective": "O9", "text": "x" })).await;
    assert_eq!((code, body["error"]["field"].as_str()), (422, Some("objective")));
    let (code, view) =
        post(&d.trainer, "/api/drill/findings", json!({ "objective": "O2", "kind": "strength", "text": "掲示が早い" }))
            .await;
    assert_eq!(code, 200, "the trainer can do all of it too");
    let o1 = &view["objectives"][0];
    assert_eq!(o1["capability"], "受付");
    assert_eq!(o1["observations"][0]["text"], "受付の列が外まで伸びた");
    assert_eq!(
        (o1["strengths"][0]["text"].as_str(), o1["strengths"][0]["by"].as_str()),
        (Some("声かけが早い"), Some("evaluator"))
    );
    assert_eq!(o1["improvements"][0]["text"], "列の整理");

    // The AAR: the verdict that counts, the detected one beside it, the reason; grouped by capability.
    let report = aar(&d.trainer).await;
    let row = &report["injects"][0];
    assert_eq!((row["status"].as_str(), row["detected_status"].as_str()), (Some("late"), Some("missed")));
    assert_eq!(row["mark"]["note"], reason);
    assert_eq!(report["objectives"][0]["expects"][0]["mark"]["by"], "evaluator");
    assert_eq!(
        report["capabilities"],
        json!([
            { "capability": "受付", "objectives": ["O1"] },
            { "capability": "情報発信", "objectives": ["O2"] },
        ])
    );
    let page = d.trainer.get("/drill/aar").await.text().await.unwrap();
    for shown in
        [reason, "（自動判定：未達）", "能力：受付", "能力：情報発信", "声かけが早い", "列の整理", "周知は25分後"]
    {
        assert!(page.contains(shown), "the AAR page shows {shown}");
    }
    let pdf = d.trainer.get("/api/drill/aar.pdf").await.bytes().await.unwrap();
    let text: String =
        pdf_extract::extract_text_from_mem(&pdf).unwrap().chars().filter(|c| !c.is_whitespace()).collect();
    for shown in ["自動判定：未達", "能力：受付", "良かった点", "声かけが早い", "改善すべき点"]
    {
        assert!(text.contains(shown), "the AAR PDF shows {shown}");
    }
    let own_page = d.evaluator.get("/evaluation").await;
    assert_eq!(own_page.status(), 200);
    let html = own_page.text().await.unwrap();
    assert!(
        html.contains("mark-form") && html.contains("finding-form") && html.contains(reason),
        "the evaluator's page"
    );
}

#[tokio::test]
async fn the_evaluator_cannot_steer_the_drill_and_players_cannot_evaluate() {
    let d = eval_drill().await;
    for path in [
        "/api/drill/start",
        "/api/drill/pause",
        "/api/drill/resume",
        "/api/drill/stop",
        "/api/drill/injects/1/fire",
        "/api/drill/injects/1/skip",
        "/api/drill/injects/1/unskip",
        "/api/drill/injects/1/refire",
    ] {
        assert_eq!(post(&d.evaluator, path, json!({})).await.0, 403, "{path} before the start");
    }
    assert_eq!(post(&d.trainer, "/api/drill/start", json!({})).await.0, 200);
    d.advance(6).await;
    let steer = [
        ("/api/drill/pause", json!({})),
        ("/api/drill/resume", json!({})),
        ("/api/drill/stop", json!({})),
        ("/api/drill/speed", json!({ "speed": 8 })),
        ("/api/drill/injects/2/fire", json!({})),
        ("/api/drill/injects/2/skip", json!({})),
        ("/api/drill/injects/2/unskip", json!({})),
        ("/api/drill/injects/1/refire", json!({})),
        ("/api/drill/adhoc", json!({ "message": "評価者からの指示" })),
        ("/api/drill/new", json!({ "file": "eval-drill.toml" })),
    ];
    for (path, body) in &steer {
        assert_eq!(post(&d.evaluator, path, body.clone()).await.0, 403, "{path}");
    }
    let status: Value = d.trainer.get("/api/drill").await.json().await.unwrap();
    assert_eq!((status["state"].as_str(), status["speed"].as_u64()), (Some("running"), Some(1)), "nothing changed");
    let fired = d.app.state.drill.as_ref().unwrap().events().await.unwrap();
    assert!(!fired.iter().any(|e| e.kind == "drill.inject_fired" && e.data["inject"] == 2), "inject 2 not fired");
    assert!(!fired.iter().any(|e| e.actor == "evaluator" && e.kind.starts_with("drill.")), "no drill event by them");

    for player in [&d.reception, &d.coordinator] {
        assert_eq!(player.get("/api/drill/evaluation").await.status(), 403);
        assert_eq!(player.get("/evaluation").await.status(), 403);
        let mark = json!({ "verdict": "met", "note": "x" });
        assert_eq!(post(player, "/api/drill/expects/1/mark", mark).await.0, 403);
        let finding = json!({ "objective": "O1", "text": "x" });
        assert_eq!(post(player, "/api/drill/findings", finding).await.0, 403);
    }
    assert_eq!(d.evaluator.get("/api/drill/evaluation").await.status(), 200);
}

#[tokio::test]
async fn the_controller_unskips_refires_and_writes_ad_hoc_injects_shown_in_the_aar_as_by_the_controller() {
    let d = eval_drill().await;
    assert_eq!(post(&d.trainer, "/api/drill/start", json!({})).await.0, 200);
    assert_eq!(post(&d.trainer, "/api/drill/injects/4/unskip", json!({})).await.0, 409, "not skipped");
    assert_eq!(post(&d.trainer, "/api/drill/injects/4/refire", json!({})).await.0, 409, "not fired yet");
    let (code, status) = post(&d.trainer, "/api/drill/injects/4/skip", json!({})).await;
    assert_eq!(code, 200, "{status}");
    let (code, status) = post(&d.trainer, "/api/drill/injects/4/unskip", json!({})).await;
    assert_eq!(code, 200);
    let four = status["injects"].as_array().unwrap().iter().find(|i| i["id"] == 4).unwrap();
    assert_eq!(four["status"], "pending", "the skip is taken back");
    assert_eq!(post(&d.trainer, "/api/drill/injects/4/unskip", json!({})).await.0, 409, "once");

    d.advance(31).await;
    let events = d.app.state.drill.as_ref().unwrap().events().await.unwrap();
    let firings = |events: &[borasen::events::Event], id: u64| {
        events.iter().filter(|e| e.kind == "drill.inject_fired" && e.data["inject"] == id).count()
    };
    assert_eq!(firings(&events, 4), 1, "fired on its schedule after the un-skip");

    let before: Value = d.trainer.get("/api/drill").await.json().await.unwrap();
    let first_firing = before["injects"][2]["fired_at"].clone();
    assert!(first_firing.is_string(), "{before}");
    assert_eq!(post(&d.trainer, "/api/drill/injects/3/refire", json!({})).await.0, 200);
    let (code, body) = post(&d.trainer, "/api/drill/adhoc", json!({ "to": "reception", "message": " " })).await;
    assert_eq!((code, body["error"]["field"].as_str()), (422, Some("message")));
    let (code, body) = post(&d.trainer, "/api/drill/adhoc", json!({ "kind": "team_report", "message": "x" })).await;
    assert_eq!((code, body["error"]["field"].as_str()), (422, Some("kind")), "messages only");
    let adhoc = "本部より：受付2番にタブレットを追加しました";
    let (code, _) = post(&d.trainer, "/api/drill/adhoc", json!({ "to": "reception", "message": adhoc })).await;
    assert_eq!(code, 200);
    let events = d.app.state.drill.as_ref().unwrap().events().await.unwrap();
    assert_eq!(firings(&events, 3), 2, "fired again");

    // The players see the ad-hoc inject and the re-fire as ordinary messages.
    let inbox: Value = d.reception.get("/api/drill/inbox?since=0").await.json().await.unwrap();
    let messages: Vec<&str> =
        inbox["messages"].as_array().unwrap().iter().filter_map(|m| m["message"].as_str()).collect();
    assert!(messages.contains(&adhoc), "{inbox}");
    assert_eq!(messages.iter().filter(|m| **m == "雨が弱まってきました").count(), 2, "{inbox}");

    let report = aar(&d.trainer).await;
    let actions: Vec<(&str, &str)> = report["controller"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["action"].as_str().unwrap(), a["message"].as_str().unwrap()))
        .collect();
    assert_eq!(actions, [("unskip", ""), ("refire", "雨が弱まってきました"), ("ad_hoc", adhoc)]);
    let fired_at = report["injects"][2]["fired_at"].as_str().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
    let first = first_firing.as_str().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
    assert_eq!(fired_at, first, "the first firing stays");
    let page = d.trainer.get("/drill/aar").await.text().await.unwrap();
    assert!(page.contains("統制官による：#4 のスキップを取り消し"), "the AAR page");
    assert!(page.contains(&format!("統制官による：インジェクト（受付班）{adhoc}")), "the AAR page");
    assert!(page.contains("統制官による：#3 を再発動"), "the AAR page");
    let pdf = d.trainer.get("/api/drill/aar.pdf").await.bytes().await.unwrap();
    let text: String =
        pdf_extract::extract_text_from_mem(&pdf).unwrap().chars().filter(|c| !c.is_whitespace()).collect();
    assert!(text.contains("統制官による操作") && text.contains("#4のスキップを取り消し"), "the AAR PDF");

    assert_eq!(post(&d.trainer, "/api/drill/stop", json!({})).await.0, 200);
    assert_eq!(post(&d.trainer, "/api/drill/adhoc", json!({ "message": "x" })).await.0, 409, "only under way");
}

#[tokio::test]
async fn a_players_answer_to_an_inquiry_meets_inquiry_answered() {
    let d = eval_drill().await;
    assert_eq!(post(&d.trainer, "/api/drill/start", json!({})).await.0, 200);
    let answer = json!({ "answer": "受付は10時までです" });
    assert_eq!(post(&d.reception, "/api/drill/inquiries/2/answer", answer.clone()).await.0, 404, "not come yet");
    d.advance(11).await;
    let (code, body) = post(&d.reception, "/api/drill/inquiries/2/answer", json!({ "answer": "" })).await;
    assert_eq!((code, body["error"]["field"].as_str()), (422, Some("answer")));
    assert_eq!(post(&d.reception, "/api/drill/inquiries/3/answer", answer.clone()).await.0, 404, "not an inquiry");
    d.advance(5).await;
    let (code, body) = post(&d.coordinator, "/api/drill/inquiries/2/answer", answer.clone()).await;
    assert_eq!((code, body["inject"].as_u64()), (200, Some(2)));
    let view: Value = d.evaluator.get("/api/drill/evaluation").await.json().await.unwrap();
    let two = expect(&view, 2);
    assert_eq!(
        (two["status"].as_str(), two["measured_minutes"].as_i64()),
        (Some("met"), Some(5)),
        "fired at the step of 08:11: {two}"
    );
    assert_eq!(
        (two["answers"][0]["by"].as_str(), two["answers"][0]["text"].as_str()),
        (Some("coordinator"), Some("受付は10時までです"))
    );
    let page = d.evaluator.get("/evaluation").await.text().await.unwrap();
    assert!(page.contains("受付は10時までです"), "the evaluator reads the answer to judge it");

    d.advance(30).await;
    assert_eq!(
        post(&d.reception, "/api/drill/inquiries/5/answer", answer).await.0,
        404,
        "a hidden inquiry never reached the players"
    );
}

#[tokio::test]
async fn in_a_browser_the_evaluator_marks_the_trainer_writes_an_ad_hoc_inject_and_a_player_answers_an_inquiry() {
    let Some(mut browser) = crate::browser::Browser::launch().await else { return };
    let d = eval_drill().await;
    assert_eq!(post(&d.trainer, "/api/drill/start", json!({})).await.0, 200);
    d.advance(16).await;

    browser.log_in(&d.app, "evaluator", PASSWORD).await;
    browser.goto(&d.app.url("/")).await;
    browser.wait_for("document.querySelector('a.section[href=\"/evaluation\"]')").await;
    browser.goto(&d.app.url("/evaluation")).await;
    // Each submit reloads the page: the next form is used only once its script has run
    // (before, requestSubmit would fall back to the browser's own GET submission).
    browser
        .wait_for("document.querySelector('form.mark-form[data-inject=\"3\"]') && document.readyState === 'complete'")
        .await;
    browser
        .eval(
            "{ const f = document.querySelector('form.mark-form[data-inject=\"3\"]'); \
             f.verdict.value = 'late'; f.note.value = '周知は25分後'; f.requestSubmit(); }",
        )
        .await;
    browser
        .wait_for("document.querySelector('#expect-3 .judgement') !== null && document.readyState === 'complete'")
        .await;
    let row = browser.eval("document.getElementById('expect-3').textContent").await;
    assert!(row.as_str().unwrap().contains("周知は25分後"), "{row}");
    browser
        .eval(
            "{ const f = document.querySelector('form.finding-form[data-objective=\"O1\"]'); \
             f.kind.value = 'strength'; f.text.value = '声かけが早い'; f.requestSubmit(); }",
        )
        .await;
    browser
        .wait_for(
            "document.querySelector('#objective-O1 ul.strengths li') !== null && document.readyState === 'complete'",
        )
        .await;
    // A refused mark says why on the page (an override needs its reason).
    browser
        .eval(
            "{ const f = document.querySelector('form.mark-form[data-inject=\"1\"]'); \
             f.note.removeAttribute('required'); f.note.value = ''; f.requestSubmit(); }",
        )
        .await;
    browser.wait_for("!document.getElementById('evaluation-error').hidden").await;
    browser.screenshot("drill-evaluation.png").await;

    // The trainer's console: an ad-hoc inject to reception, and a re-fire button on what has fired.
    browser.log_in(&d.app, "trainer", PASSWORD).await;
    browser.goto(&d.app.url("/drill")).await;
    browser.wait_for("document.querySelector('#inject-list tr.inject[data-id=\"3\"] button.refire')").await;
    browser
        .eval(
            "{ const f = document.getElementById('adhoc-form'); f.elements.to.value = 'reception'; \
             f.elements.message.value = '本部より：給水車が13時に来ます'; f.requestSubmit(); }",
        )
        .await;
    browser.wait_for("document.getElementById('adhoc-form').elements.message.value === ''").await;
    let events = d.app.state.drill.as_ref().unwrap().events().await.unwrap();
    let adhoc = events.iter().find(|e| e.kind == "drill.inject_fired" && e.data["by"] == "ad_hoc").expect("sent");
    assert_eq!((adhoc.data["to"].as_str(), adhoc.actor.as_str()), (Some("reception"), "trainer"));
    let marked: Vec<&borasen::events::Event> = events.iter().filter(|e| e.kind == "drill.expect_marked").collect();
    assert_eq!(marked.len(), 1, "the refused mark changed nothing");

    // A player answers an inquiry from its toast: the re-fired inquiry 2 reaches the desk.
    browser.log_in(&d.app, "reception", PASSWORD).await;
    browser.goto(&d.app.url("/reception")).await;
    // The inbox has been read once: what fires from now on comes as a toast.
    browser.wait_for("sessionStorage.getItem('borasen-drill-inbox-since') !== null").await;
    assert_eq!(post(&d.trainer, "/api/drill/injects/2/refire", json!({})).await.0, 200);
    browser.wait_for("document.querySelector('.drill-toast[data-inject=\"2\"] form.drill-answer')").await;
    browser
        .eval(
            "{ const f = document.querySelector('.drill-toast[data-inject=\"2\"] form.drill-answer'); \
             f.elements.answer.value = '受付は10時までです'; f.requestSubmit(); }",
        )
        .await;
    browser
        .wait_for("document.querySelector('.drill-toast[data-inject=\"2\"] .drill-answer-said').textContent !== ''")
        .await;
    let events = d.app.state.drill.as_ref().unwrap().events().await.unwrap();
    let answered = events.iter().find(|e| e.kind == "drill.inquiry_answered").expect("answered from the toast");
    assert_eq!((answered.data["inject"].as_u64(), answered.actor.as_str()), (Some(2), "reception"));
    let view: Value = d.evaluator.get("/api/drill/evaluation").await.json().await.unwrap();
    assert_eq!(expect(&view, 2)["status"], "met");
}

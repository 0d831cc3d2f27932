//! Center settings over HTTP: read by staff, changed by an admin with the
//! version read, each change one `settings.changed` event; bad input and a
//! stale version change nothing; the first start takes the flags' settings.

use borasen::events::contract::settings::SettingsChanged;
use serde_json::{Value, json};

use crate::dispatch::{center, need, volunteer};
use crate::helpers::{spawn_app, spawn_app_in, spawn_app_with};

async fn settings_of(session: &crate::helpers::Session) -> Value {
    let response = session.get("/api/settings").await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_new_center_reads_the_defaults_at_version_zero() {
    let app = spawn_app().await;
    let desk = app.user_with_role("desk", "reception").await;
    let settings = settings_of(&desk).await;
    assert_eq!(settings["version"], 0);
    assert_eq!(settings["reception_closes"], "15:00");
    assert_eq!(settings["minimum_age"], 13);
    assert_eq!(settings["heat_bands"][2]["name"], "危険");
    assert_eq!(settings["heat_bands"][2]["suspend_prompt"], true);
    let anonymous = reqwest::get(app.url("/api/settings")).await.unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn an_admin_changes_settings_with_the_version_read_and_the_log_has_it() {
    let mut app = spawn_app().await;
    let admin = app.admin().await;
    let before = app.last_seq().await;
    let response = admin
        .put(
            "/api/settings",
            &json!({ "version": 0, "center_name": "輪島市災害ボランティアセンター", "center_phone": "0768-22-0000",
                     "reception_closes": "14:30", "center_lat": 37.39, "center_lon": 136.9 }),
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let settings: Value = response.json().await.unwrap();
    assert_eq!(settings["version"], 1);
    assert_eq!(settings["center_phone"], "0768-22-0000");
    assert_eq!(settings["reception_closes"], "14:30");
    assert_eq!(settings["reception_opens"], "09:00", "what the change did not name stays");

    let events = borasen::events::since(&app.state.db.read, before, 100).await.unwrap();
    assert_eq!(events.len(), 1, "one change, one event");
    let (event, change) = (&events[0], events[0].decode::<SettingsChanged>().unwrap());
    assert_eq!((event.kind.as_str(), event.actor.as_str()), ("settings.changed", "admin"));
    let mut changed = change.changed.clone();
    changed.sort();
    assert_eq!(changed, ["center_lat", "center_lon", "center_name", "center_phone", "reception_closes"]);
    assert_eq!(change.settings.center_name, "輪島市災害ボランティアセンター");
    assert_eq!(change.version, 1);

    // A stale version is refused and changes nothing.
    let stale = admin.put("/api/settings", &json!({ "version": 0, "center_phone": "0768-22-1111" })).await;
    assert_eq!(stale.status(), 409);
    let body: Value = stale.json().await.unwrap();
    assert_eq!(body["error"]["code"], "stale_version");

    // Acknowledged, so it survives a restart.
    let addr = app.addr;
    app.stop().await;
    let again = spawn_app_in(app.dir.path(), addr).await;
    let settings = settings_of(&again.admin().await).await;
    assert_eq!((settings["version"].clone(), settings["center_phone"].clone()), (json!(1), json!("0768-22-0000")));
}

#[tokio::test]
async fn bad_settings_are_refused_naming_the_field_and_change_nothing() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let before = app.last_seq().await;
    for (body, field) in [
        (json!({ "version": 0, "reception_closes": "8:00" }), "reception_closes"),
        (json!({ "version": 0, "reception_closes": "08:00" }), "reception_closes"),
        (json!({ "version": 0, "center_lat": 37.39 }), "center_lon"),
        (json!({ "version": 0, "minimum_age": 45 }), "minimum_age"),
        (json!({ "version": 0, "heavy_work": ["mud", "digging"] }), "heavy_work[1]"),
        (
            json!({ "version": 0, "heat_bands": [{ "from": 31, "name": "危険", "work_minutes": 15, "rest_minutes": 15,
            "max_out_minutes": 60 }, { "from": 28, "name": "厳重警戒", "work_minutes": 20, "rest_minutes": 10,
            "max_out_minutes": 120 }] }),
            "heat_bands[1].from",
        ),
        (json!({ "version": 0, "center_colour": "red" }), "center_colour"),
        (json!({ "center_name": "名前" }), "version"),
    ] {
        let response = admin.put("/api/settings", &body).await;
        assert_eq!(response.status(), 422, "{body}");
        let answer: Value = response.json().await.unwrap();
        assert_eq!(answer["error"]["field"], field, "{body}");
    }
    assert_eq!(app.last_seq().await, before, "nothing was written");
    let japanese = reqwest::Client::new()
        .put(app.url("/api/settings"))
        .header("cookie", admin.cookie())
        .header("accept-language", "ja")
        .json(&json!({ "version": 0, "last_dispatch": "25:00" }))
        .send()
        .await
        .unwrap();
    let answer: Value = japanese.json().await.unwrap();
    assert_eq!(answer["error"]["message"], "最終送り出しは 15:00 のように「時:分」で入力してください。");
    assert_eq!(settings_of(&admin).await["version"], 0);

    let coordinator = app.user_with_role("coord", "coordinator").await;
    let refused = coordinator.put("/api/settings", &json!({ "version": 0, "center_name": "x" })).await;
    assert_eq!(refused.status(), 403);
}

#[tokio::test]
async fn the_first_start_takes_the_given_settings_and_later_starts_leave_the_stored_ones() {
    let app = spawn_app_with(|config| {
        config.first_settings.center_name = "珠洲市災害ボランティアセンター".into();
        config.first_settings.minimum_age = 15;
    })
    .await;
    let admin = app.admin().await;
    let settings = settings_of(&admin).await;
    assert_eq!(settings["version"], 1);
    assert_eq!(settings["center_name"], "珠洲市災害ボランティアセンター");
    assert_eq!(settings["minimum_age"], 15);
    let changed = admin.put("/api/settings", &json!({ "version": 1, "minimum_age": 16 })).await;
    assert_eq!(changed.status(), 200);
}

async fn lobby(app: &crate::helpers::TestApp) -> Value {
    reqwest::get(app.url("/api/lobby")).await.unwrap().json().await.unwrap()
}

fn pdf_text(bytes: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(bytes).unwrap().chars().filter(|c| !c.is_whitespace()).collect()
}

#[tokio::test]
async fn the_lobby_and_the_certificate_follow_the_settings() {
    let c = center().await; // 09:00
    let admin = c.app.admin().await;
    let response = admin
        .put(
            "/api/settings",
            &json!({ "version": 0, "reception_opens": "09:30", "reception_closes": "14:00",
                     "center_name": "輪島市災害ボランティアセンター", "issuer": "輪島市社会福祉協議会",
                     "representative": "会長 能登太郎" }),
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());

    let view = lobby(&c.app).await;
    assert_eq!((view["state"].as_str(), view["opens_at"].as_str()), (Some("before_opening"), Some("09:30")));
    c.app.state.clock.advance(chrono::Duration::minutes(30));
    let view = lobby(&c.app).await;
    assert_eq!((view["state"].as_str(), view["closes_at"].as_str()), (Some("open"), Some("14:00")));

    let id = volunteer(&c, 1, "enrolled", true).await;
    need(&c, 1).await;
    let team: Value = c
        .coordinator
        .post("/api/teams", &json!({ "need_no": "N-0001", "member_ids": [id] }))
        .await
        .json()
        .await
        .unwrap();
    c.app.state.clock.advance(chrono::Duration::hours(2));
    let back = c
        .coordinator
        .post(&format!("/api/teams/{}/return", team["id"]), &json!({ "version": 1, "outcome": "done" }))
        .await;
    assert_eq!(back.status(), 200);
    assert_eq!(c.desk.post("/api/checkouts", &json!({ "volunteer_id": id })).await.status(), 200);
    let certificate = c.desk.get(&format!("/api/volunteers/{id}/certificate.pdf")).await;
    assert_eq!(certificate.status(), 200);
    let text = pdf_text(&certificate.bytes().await.unwrap());
    for expected in ["輪島市社会福祉協議会", "会長能登太郎", "輪島市災害ボランティアセンター"]
    {
        assert!(text.contains(expected), "{expected} in the certificate: {text}");
    }

    c.app.state.clock.advance(chrono::Duration::minutes(151)); // 11:30 → 14:01
    assert_eq!(lobby(&c.app).await["state"], "closed", "受付終了 at the set time, not 15:00");
    // After closing the desk still checks people in (its page warns).
    volunteer(&c, 2, "enrolled", true).await;
}

#[tokio::test]
async fn serve_takes_first_settings_from_its_flags_and_environment() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_borasen"))
        .args(["serve", "--addr", "127.0.0.1:0", "--data"])
        .arg(dir.path())
        .args(["--center-name", "七尾市災害ボランティアセンター", "--reception-closes", "14:30"])
        .env("BORASEN_MINIMUM_AGE", "16")
        .env("BORASEN_HEAVY_WORK", "under_floor,debris")
        .env("BORASEN_ADMIN_PASSWORD", crate::helpers::ADMIN_PASSWORD)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let line = std::io::BufRead::lines(stdout)
        .map(Result::unwrap)
        .find(|l| l.starts_with("borasen: listening on http://"))
        .expect("the server says where it listens");
    let base = line.trim_start_matches("borasen: listening on ").to_string();
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let login = client
        .post(format!("{base}/api/session"))
        .json(&json!({ "username": "admin", "password": crate::helpers::ADMIN_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let settings: Value = client.get(format!("{base}/api/settings")).send().await.unwrap().json().await.unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(settings["version"], 1);
    assert_eq!(settings["center_name"], "七尾市災害ボランティアセンター");
    assert_eq!(settings["reception_closes"], "14:30");
    assert_eq!(settings["minimum_age"], 16);
    assert_eq!(settings["heavy_work"], json!(["debris", "under_floor"]));
}

#[tokio::test]
async fn an_admin_changes_settings_on_the_page_and_the_desk_warns_outside_the_hours() {
    let Some(mut browser) = crate::browser::Browser::launch().await else { return };
    let app = crate::helpers::spawn_app_at("2026-07-12T15:30:00+09:00", |_| {}).await;
    browser.log_in(&app, "admin", crate::helpers::ADMIN_PASSWORD).await;
    browser.goto(&app.url("/reception")).await;
    browser.wait_for("!document.getElementById('reception-hours').hidden").await;
    let warning = browser.eval("document.getElementById('reception-hours').textContent").await;
    assert!(warning.as_str().unwrap().contains("受付時間外") && warning.as_str().unwrap().contains("09:00–15:00"));

    browser.goto(&app.url("/settings")).await;
    // A bad value is refused beside its field, and nothing is stored.
    browser
        .eval(
            "document.querySelector('[name=reception_closes]').value = '08:00'; \
             document.querySelector('#settings-form button[type=submit]').click();",
        )
        .await;
    browser.wait_for("document.querySelector('[data-for=reception_closes]').textContent !== ''").await;
    let error = browser.eval("document.querySelector('[data-for=reception_closes]').textContent").await;
    assert_eq!(error, "受付終了は受付開始より後の時刻にしてください。");
    assert_eq!(settings_of(&app.admin().await).await["version"], 0);

    browser
        .eval(
            "document.querySelector('[name=reception_closes]').value = '16:00'; \
             document.querySelector('[name=center_phone]').value = '0768-22-0000'; \
             document.querySelector('#heat-bands tr.band:nth-child(4) [name=name]').value = '極めて危険'; \
             document.querySelector('#heat-bands tr.band:nth-child(4) [name=from]').value = '33'; \
             document.querySelector('#heat-bands tr.band:nth-child(4) [name=work_minutes]').value = '10'; \
             document.querySelector('#heat-bands tr.band:nth-child(4) [name=rest_minutes]').value = '20'; \
             document.querySelector('#heat-bands tr.band:nth-child(4) [name=max_out_minutes]').value = '30'; \
             document.querySelector('#heat-bands tr.band:nth-child(4) [name=suspend_prompt]').checked = true; \
             document.querySelector('#settings-form button[type=submit]').click();",
        )
        .await;
    browser.wait_for("!document.getElementById('settings-saved').hidden").await;
    let settings = settings_of(&app.admin().await).await;
    assert_eq!(settings["version"], 1);
    assert_eq!(settings["reception_closes"], "16:00");
    assert_eq!(settings["center_phone"], "0768-22-0000");
    assert_eq!(settings["heat_bands"].as_array().unwrap().len(), 4);
    assert_eq!(settings["heat_bands"][3]["name"], "極めて危険");
    assert_eq!(settings["heat_bands"][3]["max_out_minutes"], 30);
    assert_eq!(settings["heavy_work"], json!(["belongings", "debris", "under_floor"]), "unchanged");

    // Now 15:30 is within the hours: the desk shows no warning.
    browser.goto(&app.url("/reception")).await;
    assert_eq!(browser.eval("document.getElementById('reception-hours').hidden").await, true);
}

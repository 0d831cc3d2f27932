//! Center settings over HTTP: read by staff, changed by an admin with the
//! version read, each change one `settings.changed` event; bad input and a
//! stale version change nothing; the first start takes the flags' settings.

use borasen::events::contract::settings::SettingsChanged;
use serde_json::{Value, json};

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

//! Volunteers' accounts: registration with the center's checks and the hub's,
//! verification by the mailed link, deletion that leaves no personal string.

use serde_json::{Value, json};
use sqlx::PgPool;

use crate::database_or_skip;
use crate::process::{Hub, MailTo, client, logged_in};
use crate::volunteers::{PASSWORD, body, profile, register, token_in_dir, verify_from_dir};

#[tokio::test]
async fn a_volunteer_is_verified_only_by_the_mailed_link_and_once() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let hub = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let made = register(&hub, "hanako@example.jp", profile()).await;
    assert_eq!(made.status(), 201, "{}", made.text().await.unwrap());

    let volunteer = logged_in(&hub, "hanako@example.jp", PASSWORD).await;
    let me: Value = volunteer.get(hub.url("/api/session")).send().await.unwrap().json().await.unwrap();
    assert_eq!((me["role"].as_str(), me["verified"].as_bool()), (Some("volunteer"), Some(false)));

    // The link as mailed opens the page that verifies; the session sees it at once.
    for _ in 0..200 {
        if !crate::process::eml_files(mail.path()).is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let token = token_in_dir(mail.path(), "hanako@example.jp");
    let wrong = client().get(hub.url("/verify?token=0123abcd")).send().await.unwrap();
    assert_eq!(wrong.status(), 422);
    let me: Value = volunteer.get(hub.url("/api/session")).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["verified"], false, "a wrong token verifies nothing");
    let page = client().get(hub.url(&format!("/verify?token={token}&lang=en"))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Your mail address is verified"));
    let me: Value = volunteer.get(hub.url("/api/session")).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["verified"], true);
    let again = client().post(hub.url("/api/accounts/verify")).json(&json!({ "token": token })).send().await.unwrap();
    assert_eq!(again.status(), 422, "a link works once");
    // A verified volunteer needs no new link.
    assert_eq!(volunteer.post(hub.url("/api/accounts/verification")).send().await.unwrap().status(), 409);

    let profile: Value = volunteer.get(hub.url("/api/profile")).send().await.unwrap().json().await.unwrap();
    assert_eq!(profile["furigana"], "ノト ハナコ");
    assert_eq!(profile["insurance_plan"], "natural_disaster");

    // A change goes through the same checks: refused whole, or taken whole.
    let mut changed = crate::volunteers::profile();
    changed["insurance"] = json!("none");
    let refused = volunteer.put(hub.url("/api/profile")).json(&changed).send().await.unwrap();
    assert_eq!(refused.status(), 422, "a plan without insurance");
    changed.as_object_mut().unwrap().remove("insurance_plan");
    let taken: Value =
        volunteer.put(hub.url("/api/profile")).json(&changed).send().await.unwrap().json().await.unwrap();
    assert_eq!((taken["insurance"].as_str(), taken["insurance_plan"].as_str()), (Some("none"), None));
}

#[tokio::test]
async fn registration_applies_the_centers_checks_the_minimum_age_the_insurance_and_a_guardian() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let hub = Hub::start_with(&url, &MailTo::Dir(mail.path().to_path_buf()), &["--minimum-age", "15"]);
    let with = |changes: Value| {
        let mut p = profile();
        for (k, v) in changes.as_object().unwrap() {
            if v.is_null() {
                p.as_object_mut().unwrap().remove(k);
            } else {
                p[k] = v.clone();
            }
        }
        p
    };
    let today = chrono::Utc::now().date_naive();
    let years_ago = |n: i32| today.with_year(today.year() - n).unwrap().pred_opt().unwrap().to_string();
    let refused = [
        // The center's own checks, reused.
        (with(json!({ "furigana": "のと はなこX" })), "furigana", None),
        (with(json!({ "phone": "12" })), "phone", None),
        (with(json!({ "kind": "group", "group_name": "金沢大学", "group_size": 1 })), "group_size", None),
        (with(json!({ "preferred_dates": [today.to_string()] })), "preferred_dates", None),
        (with(json!({ "insurance": null, "insurance_plan": null })), "insurance", None),
        // The hub's: the plan with the insurance, 県内/県外, the minimum age, a guardian for a minor.
        (with(json!({ "insurance_plan": null })), "insurance_plan", None),
        (with(json!({ "insurance": "none" })), "insurance_plan", None),
        (with(json!({ "residence": null })), "residence", None),
        (with(json!({ "birth_date": years_ago(14) })), "birth_date", Some("under_minimum_age")),
        (with(json!({ "birth_date": years_ago(16) })), "guardian_consent", Some("guardian_consent_required")),
    ];
    for (profile, field, code) in refused {
        let answer = register(&hub, "refused@example.jp", profile.clone()).await;
        assert_eq!(answer.status(), 422, "{profile}");
        let error: Value = answer.json().await.unwrap();
        assert_eq!(error["error"]["field"], field, "{error}");
        if let Some(code) = code {
            assert_eq!(error["error"]["code"], code);
        }
    }
    let mut wrong_notice = body("refused@example.jp", profile());
    wrong_notice["privacy_version"] = json!("2020-01-01");
    let answer = client().post(hub.url("/api/accounts")).json(&wrong_notice).send().await.unwrap();
    assert_eq!(answer.json::<Value>().await.unwrap()["error"]["code"], "privacy_not_agreed");

    let pool = PgPool::connect(&url).await.unwrap();
    let accounts: i64 = sqlx::query_scalar("SELECT count(*) FROM hub_accounts WHERE role = 'volunteer'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(accounts, 0, "a refused registration writes nothing");

    // A minor with a guardian's consent, and a group with its head count, are welcome.
    let minor = with(json!({ "birth_date": years_ago(16), "guardian_consent": true, "guardian_name": "能登 一郎" }));
    assert_eq!(register(&hub, "minor@example.jp", minor).await.status(), 201);
    let group = with(json!({ "kind": "group", "group_name": "金沢大学ボランティア部", "group_size": 12 }));
    assert_eq!(register(&hub, "group@example.jp", group).await.status(), 201);
    // One account per address, compared folded.
    let twice = register(&hub, "Group@Example.jp", profile()).await;
    assert_eq!(twice.status(), 409);
    let registered: Vec<(i64, bool)> = sqlx::query_as(
        "SELECT (data->>'headcount')::bigint, (data->>'minor')::boolean FROM hub_events
          WHERE kind = 'account.registered' ORDER BY seq",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(registered, [(1, true), (12, false)]);
}

use chrono::Datelike;

#[tokio::test]
async fn deletion_leaves_no_personal_string_in_any_table_and_keeps_the_counts() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let hub = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let email = "delete.me@example.jp";
    assert_eq!(register(&hub, email, profile()).await.status(), 201);
    verify_from_dir(&hub, mail.path(), email).await;
    let volunteer = logged_in(&hub, email, PASSWORD).await;
    let needles = [
        "能登",
        "花子",
        "ノト",
        "ハナコ",
        "2468",
        "1357",
        "9753",
        "1864",
        "七尾市",
        "御祓町",
        "一郎",
        "delete.me",
        "1990-04-01",
    ];
    let pool = PgPool::connect(&url).await.unwrap();
    assert!(!rows_holding(&pool, &needles).await.is_empty(), "the scan finds the data while it is there");

    let wrong = volunteer
        .post(hub.url("/api/account/delete"))
        .json(&json!({ "password": "not-it-at-all" }))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 422, "the password is asked again");
    let deleted =
        volunteer.post(hub.url("/api/account/delete")).json(&json!({ "password": PASSWORD })).send().await.unwrap();
    assert_eq!(deleted.status(), 204);
    assert_eq!(volunteer.get(hub.url("/api/session")).send().await.unwrap().status(), 401, "the session ended");
    let held = rows_holding(&pool, &needles).await;
    assert!(held.is_empty(), "personal data left after deletion: {held:?}");

    let counts: (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM hub_events WHERE kind = 'account.registered'),
                (SELECT count(*) FROM hub_accounts WHERE role = 'volunteer' AND deleted_at IS NOT NULL)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(counts, (1, 1), "the anonymous counts remain");
    let login = client()
        .post(hub.url("/api/session"))
        .json(&json!({ "email": email, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 401);
}

/// `table: needle` for every row of every table in the database whose text holds a needle.
pub async fn rows_holding(pool: &PgPool, needles: &[&str]) -> Vec<String> {
    let tables: Vec<String> = sqlx::query_scalar("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'")
        .fetch_all(pool)
        .await
        .unwrap();
    let mut found = Vec::new();
    for table in tables {
        for needle in needles {
            let sql = format!("SELECT count(*) FROM \"{table}\" t WHERE t::text LIKE '%' || $1 || '%'");
            let count: i64 =
                sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone())).bind(needle).fetch_one(pool).await.unwrap();
            if count > 0 {
                found.push(format!("{table}: {needle}"));
            }
        }
    }
    found
}

#[tokio::test]
async fn the_registration_page_takes_the_form_and_answers_in_the_pages_language() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let hub = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let page = client().get(hub.url("/register?lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Volunteer registration") && page.contains("/privacy?lang=en"), "{page}");
    assert!(
        !page.chars().any(|c| ('\u{3040}'..='\u{9fff}').contains(&c) && c != '日' && c != '本' && c != '語'),
        "the English page holds no Japanese but the language switch"
    );
    let mut form = vec![
        ("lang", "en"),
        ("email", "page@example.jp"),
        ("password", PASSWORD),
        ("name", "能登 花子"),
        ("furigana", "のと はなこ"),
        ("birth_date", "1990-04-01"),
        ("phone", "090-2468-1357"),
        ("address", "石川県七尾市御祓町1"),
        ("residence", "out"),
        ("emergency_name", "能登 一郎"),
        ("emergency_phone", "080-9753-1864"),
        ("kind", "individual"),
        ("skills", "重機、チェーンソー"),
        ("insurance", "enrolled"),
        ("privacy", "yes"),
    ];
    let refused = client().post(hub.url("/register?lang=en")).form(&form).send().await.unwrap();
    assert_eq!(refused.status(), 422);
    let text = refused.text().await.unwrap();
    assert!(text.contains("insurance_plan") && text.contains("Give the plan"), "{text}");
    form.push(("insurance_plan", "basic"));
    let made = client().post(hub.url("/register?lang=en")).form(&form).send().await.unwrap();
    assert_eq!(made.status(), 201);
    verify_from_dir(&hub, mail.path(), "page@example.jp").await;
    let volunteer = logged_in(&hub, "page@example.jp", PASSWORD).await;
    let profile: Value = volunteer.get(hub.url("/api/profile")).send().await.unwrap().json().await.unwrap();
    assert_eq!(profile["furigana"], "ノト ハナコ", "hiragana became katakana, as at the center");
    assert_eq!(profile["skills"], json!(["重機", "チェーンソー"]));
    assert_eq!((profile["lang"].as_str(), profile["residence"].as_str()), (Some("en"), Some("out")));
}

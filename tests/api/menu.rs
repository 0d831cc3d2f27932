//! The home menu is built from the role table: for every role, every section
//! it shows opens (200) and every section it hides is refused (403), so the
//! menu and the pages' `Page<R>` cannot drift apart. Also the page layer's other answers:
//! no session is the login page, a domain error a message page in the caller's language.

use crate::helpers::{Session, spawn_app};

const SECTIONS: [&str; 10] = [
    "/reception",
    "/needs",
    "/matching",
    "/inventory",
    "/board",
    "/drill",
    "/evaluation",
    "/closing",
    "/users",
    "/settings",
];

async fn links(session: &Session) -> Vec<String> {
    let home = session.get("/").await;
    assert_eq!(home.status(), 200);
    let html = home.text().await.unwrap();
    html.split("class=\"section\" href=\"").skip(1).map(|rest| rest.split('"').next().unwrap().to_string()).collect()
}

#[tokio::test]
async fn every_link_on_the_home_page_opens_for_its_role_and_no_other_is_shown() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mut sessions = vec![("admin", admin)];
    for role in ["coordinator", "reception", "trainer"] {
        sessions.push((role, app.user_with_role(&format!("menu-{role}"), role).await));
    }
    for (role, session) in &sessions {
        let shown = links(session).await;
        assert!(!shown.is_empty(), "{role} sees a menu");
        for path in SECTIONS {
            let status = session.get(path).await.status();
            if shown.iter().any(|p| p == path) {
                assert_eq!(status, 200, "{role} is shown {path}");
            } else {
                assert_eq!(status, 403, "{role} is not shown {path}");
            }
        }
        for path in &shown {
            assert!(SECTIONS.contains(&path.as_str()), "{role}: {path} is a section");
        }
    }
    let reception = links(&sessions[2].1).await;
    assert_eq!(reception, ["/reception"], "no ニーズ, マッチング, 資機材 or ボード for the desk");
}

#[tokio::test]
async fn every_section_sends_a_visitor_without_a_session_to_the_login_page() {
    let app = spawn_app().await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    for path in SECTIONS.into_iter().chain(["/", "/map", "/drill/aar"]) {
        let answer = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(answer.status(), 303, "{path}");
        assert_eq!(answer.headers()["location"], "/login", "{path}");
    }
}

#[tokio::test]
async fn a_bad_filter_on_the_needs_page_is_refused_on_a_page_in_the_callers_language() {
    let app = spawn_app().await;
    let coordinator = app.user_with_role("menu-filter", "coordinator").await;
    let answer = coordinator.get("/needs?status=sleeping").await;
    assert_eq!(answer.status(), 422, "like the API, not a silently dropped filter");
    assert!(answer.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(answer.text().await.unwrap().contains("状態「sleeping」はありません。"));

    let english = coordinator.speaking("en").get("/needs?priority=9").await;
    assert_eq!(english.status(), 422);
    assert!(english.text().await.unwrap().contains("priority is 1–3."));
}

//! The web shell: Japanese pages by default, an English switch, login by form,
//! embedded assets with ETags.

use reqwest::redirect::Policy;

use crate::helpers::{ADMIN_PASSWORD, spawn_app};

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(Policy::none()).build().unwrap()
}

#[tokio::test]
async fn the_login_page_is_japanese_by_default_and_english_on_request() {
    let app = spawn_app().await;
    let html = reqwest::get(app.url("/login")).await.unwrap().text().await.unwrap();
    assert!(html.contains("<html lang=\"ja\">"));
    assert!(html.contains("ログイン") && html.contains("ユーザー名"));
    assert!(!html.contains("drill-banner"), "no 訓練 banner outside a drill");

    let switch = no_redirects().get(app.url("/lang/en?back=/login")).send().await.unwrap();
    assert_eq!(switch.status(), 303);
    assert_eq!(switch.headers()["location"], "/login");
    let cookie = switch.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let english = reqwest::Client::new()
        .get(app.url("/login"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(english.contains("<html lang=\"en\">") && english.contains("Username"));

    for offsite in ["//evil.example/", "/%5Cevil.example/", "https://evil.example/"] {
        let response = no_redirects().get(app.url(&format!("/lang/en?back={offsite}"))).send().await.unwrap();
        assert_eq!(response.headers()["location"], "/", "the switch never redirects off-site: {offsite}");
    }
}

#[tokio::test]
async fn form_login_leads_to_a_home_page_linking_every_section() {
    let app = spawn_app().await;
    let client = no_redirects();
    let anonymous = client.get(app.url("/")).send().await.unwrap();
    assert_eq!(anonymous.status(), 303);
    assert_eq!(anonymous.headers()["location"], "/login");

    let wrong =
        client.post(app.url("/login")).form(&[("username", "admin"), ("password", "nope-nope")]).send().await.unwrap();
    assert_eq!(wrong.status(), 401);
    assert!(wrong.text().await.unwrap().contains("ユーザー名またはパスワードが違います"));

    let login = client
        .post(app.url("/login"))
        .form(&[("username", "admin"), ("password", ADMIN_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 303);
    let cookie = login.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let home = client.get(app.url("/")).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    for (label, path) in [
        ("受付", "/reception"),
        ("ニーズ", "/needs"),
        ("マッチング", "/matching"),
        ("資機材", "/inventory"),
        ("ボード", "/board"),
        ("訓練", "/drill"),
    ] {
        assert!(home.contains(label) && home.contains(&format!("href=\"{path}\"")), "{label} linked");
    }
    let board = client.get(app.url("/board")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(board.status(), 200);
    assert!(board.text().await.unwrap().contains("/assets/board.js"));

    let logout = client.post(app.url("/logout")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(logout.status(), 303);
    assert_eq!(client.get(app.url("/")).header("cookie", &cookie).send().await.unwrap().status(), 303);
}

#[tokio::test]
async fn assets_are_embedded_and_revalidate_with_their_etag() {
    let app = spawn_app().await;
    let client = reqwest::Client::new();
    for (path, mime) in [("/assets/app.css", "text/css"), ("/assets/board.js", "javascript")] {
        let first = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(first.status(), 200);
        assert!(first.headers()["content-type"].to_str().unwrap().contains(mime));
        let etag = first.headers()["etag"].clone();
        let again = client.get(app.url(path)).header("if-none-match", etag).send().await.unwrap();
        assert_eq!(again.status(), 304, "{path}");
    }
    assert_eq!(client.get(app.url("/assets/nothing.js")).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn the_health_check_answers_without_login() {
    let app = spawn_app().await;
    let response = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_eq!(response.status(), 200);
}

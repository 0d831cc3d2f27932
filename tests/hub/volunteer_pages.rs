//! The volunteer's pages over real HTTP against a real hub process: register,
//! verify by the mailed link, log in through the form, book through the
//! page's button, see the booking and its QR, cancel, and watch the waitlist
//! move up; refusals in Japanese with nothing changed; another volunteer
//! cannot fetch my QR; profile and deletion through their forms; English
//! pages without Japanese but the data; and once in headless Chromium on a
//! phone-sized screen, logging in and booking by clicking.

use serde_json::{Value, json};
use sqlx::PgPool;

use crate::database_or_skip;
use crate::process::{ADMIN_EMAIL, ADMIN_PASSWORD, Hub, MailTo, client, logged_in};
use crate::volunteers::{self, PASSWORD, profile, token_in_dir};

fn day_in(days: i64) -> String {
    let japan = chrono::FixedOffset::east_opt(9 * 3600).unwrap();
    (chrono::Utc::now().with_timezone(&japan).date_naive() + chrono::Duration::days(days)).to_string()
}

async fn open_opening(admin: &reqwest::Client, hub: &Hub, body: Value) -> i64 {
    crate::process::ensure_center(admin, hub, body["center_id"].as_i64().unwrap()).await;
    let made = admin.post(hub.url("/api/openings")).json(&body).send().await.unwrap();
    assert_eq!(made.status(), 201, "{}", made.text().await.unwrap());
    let id = made.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let published = admin.post(hub.url(&format!("/api/openings/{id}/publish"))).send().await.unwrap();
    assert_eq!(published.status(), 200, "{}", published.text().await.unwrap());
    id
}

fn opening(day: &str, title: &str, quota: i64) -> Value {
    json!({ "center_id": 1, "day": day, "title": title, "quota": quota,
            "meeting_point": "七尾駅 東口", "meeting_time": "08:30", "bring": "長靴・手袋" })
}

/// A page answer: status, the path it ended on (after redirects), the text.
struct Page {
    status: u16,
    path: String,
    text: String,
}

async fn page_of(answer: reqwest::Response) -> Page {
    let status = answer.status().as_u16();
    let path = answer.url().path().to_string();
    Page { status, path, text: answer.text().await.unwrap() }
}

async fn get(http: &reqwest::Client, hub: &Hub, path: &str) -> Page {
    page_of(http.get(hub.url(path)).send().await.unwrap()).await
}

/// A form POST as a browser sends it from the hub's own page (same origin).
async fn post(http: &reqwest::Client, hub: &Hub, path: &str, form: &[(&str, &str)]) -> Page {
    let answer = http.post(hub.url(path)).header("origin", &hub.base).form(form).send().await.unwrap();
    page_of(answer).await
}

/// Waits for the mail to `email`, then opens its link as the volunteer would (the `/verify` page).
async fn verify_by_link(hub: &Hub, dir: &std::path::Path, email: &str, mails: usize) {
    for _ in 0..200 {
        let count = crate::process::eml_files(dir)
            .iter()
            .filter(|(_, raw)| crate::smtp::header(raw, "To").is_some_and(|to| to.contains(email)))
            .count();
        if count >= mails {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let token = token_in_dir(dir, email);
    let page = get(&client(), hub, &format!("/verify?token={token}")).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("メールアドレスを確認しました"), "{}", page.text);
}

/// A volunteer logged in through the login form.
async fn log_in_by_form(hub: &Hub, email: &str) -> reqwest::Client {
    let http = client();
    let page = post(&http, hub, "/login", &[("email", email), ("password", PASSWORD)]).await;
    assert_eq!((page.status, page.path.as_str()), (200, "/me"), "{}", page.text);
    http
}

/// The id in the first `/me/bookings/{id}/…` link of a page.
fn booking_id_in(text: &str) -> i64 {
    let at = text.find("/me/bookings/").expect("a booking's link") + "/me/bookings/".len();
    text[at..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap()
}

fn japanese_in(text: &str, data: &[&str]) -> Vec<char> {
    let mut text = text.to_string();
    for datum in data {
        text = text.replace(datum, "");
    }
    text.replace("日本語", "")
        .chars()
        .filter(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}'))
        .collect()
}

async fn count(pool: &PgPool, sql: &'static str, id: i64) -> i64 {
    sqlx::query_scalar(sql).bind(id).fetch_one(pool).await.unwrap()
}

#[tokio::test]
async fn a_volunteer_books_from_the_pages_sees_the_qr_cancels_and_the_waitlist_moves_up() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let hub = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let pool = PgPool::connect(&url).await.unwrap();
    let admin = logged_in(&hub, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let id = open_opening(&admin, &hub, opening(&day_in(10), "泥出し", 1)).await;
    let mut for_elders = opening(&day_in(12), "家財運び", 5);
    for_elders["minimum_age"] = json!(70);
    let elders = open_opening(&admin, &hub, for_elders).await;

    // A registers through the registration page, B through the API; both open the mailed link.
    let form = [
        ("email", "a@pages.example.jp"),
        ("password", PASSWORD),
        ("name", "能登 花子"),
        ("furigana", "ノト ハナコ"),
        ("birth_date", "1990-04-01"),
        ("phone", "090-2468-1357"),
        ("address", "石川県七尾市御祓町1"),
        ("residence", "in"),
        ("emergency_name", "能登 一郎"),
        ("emergency_phone", "080-9753-1864"),
        ("kind", "individual"),
        ("insurance", "enrolled"),
        ("insurance_plan", "basic"),
        ("privacy", "yes"),
    ];
    let made = post(&client(), &hub, "/register", &form).await;
    assert_eq!(made.status, 201, "{}", made.text);
    let made = volunteers::register(&hub, "b@pages.example.jp", profile()).await;
    assert_eq!(made.status(), 201);
    verify_by_link(&hub, mail.path(), "a@pages.example.jp", 1).await;
    verify_by_link(&hub, mail.path(), "b@pages.example.jp", 1).await;

    // Without a session every page sends to /login.
    let stranger = client();
    for path in ["/me", "/openings", "/me/profile", "/me/delete"] {
        let page = get(&stranger, &hub, path).await;
        assert_eq!((page.status, page.path.as_str()), (200, "/login"), "{path}");
        assert!(page.text.contains("/register"), "the login page links to registration");
    }
    let wrong =
        post(&stranger, &hub, "/login", &[("email", "a@pages.example.jp"), ("password", "wrong-password-0")]).await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.text.contains("メールアドレスまたはパスワードが違います。"), "{}", wrong.text);
    assert!(wrong.text.contains("value=\"a@pages.example.jp\""), "the address typed stays");

    // A logs in and books the last seat through the page's button.
    let a = log_in_by_form(&hub, "a@pages.example.jp").await;
    let list = get(&a, &hub, "/openings").await;
    assert!(list.text.contains("泥出し") && list.text.contains("残り 1 人（定員 1 人）"), "{}", list.text);
    assert!(list.text.contains("七尾駅 東口") && list.text.contains("長靴・手袋") && list.text.contains("18歳以上"));
    assert!(list.text.contains(&format!("/openings/{id}/book")) && list.text.contains("予約する"));
    let booked = post(&a, &hub, &format!("/openings/{id}/book"), &[]).await;
    assert_eq!((booked.status, booked.path.as_str()), (200, "/me"), "{}", booked.text);
    assert!(booked.text.contains("予約が確定しました"), "{}", booked.text);
    let a_booking = booking_id_in(&booked.text);
    let number = format!("H-{a_booking:05}");
    assert!(booked.text.contains(&number) && booked.text.contains("08:30 七尾駅 東口"), "{}", booked.text);
    assert!(booked.text.contains("キャンセル期限: ") && booked.text.contains("この予約を取り消す"));
    let qr_path = format!("/me/bookings/{a_booking}/qr.png");
    assert!(booked.text.contains(&format!("src=\"{qr_path}\"")), "{}", booked.text);
    let qr = a.get(hub.url(&qr_path)).send().await.unwrap();
    assert_eq!(qr.status(), 200);
    assert_eq!(qr.headers()["content-type"], "image/png");
    assert_eq!(&qr.bytes().await.unwrap()[..8], b"\x89PNG\r\n\x1a\n");
    let again = get(&a, &hub, "/openings").await;
    assert!(again.text.contains(&format!("この日は申込済みです: {number}（予約）")), "{}", again.text);

    // B finds it full and joins the waitlist; no QR yet; A's QR is not B's to fetch.
    let b = log_in_by_form(&hub, "b@pages.example.jp").await;
    let list = get(&b, &hub, "/openings").await;
    assert!(list.text.contains("満員（定員 1 人）") && list.text.contains("キャンセル待ちに登録"), "{}", list.text);
    let waiting = post(&b, &hub, &format!("/openings/{id}/book"), &[]).await;
    assert!(waiting.text.contains("キャンセル待ちに登録しました"), "{}", waiting.text);
    let b_booking = booking_id_in(&waiting.text);
    assert!(waiting.text.contains("QRコードは予約が確定すると表示されます。"));
    assert!(!waiting.text.contains("qr.png"));
    let theirs = b.get(hub.url(&qr_path)).send().await.unwrap();
    assert_eq!(theirs.status(), 404, "another volunteer's QR");
    let own_unseated = b.get(hub.url(&format!("/me/bookings/{b_booking}/qr.png"))).send().await.unwrap();
    assert_eq!(own_unseated.status(), 404, "no QR while waiting");
    let anonymous = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let answer = anonymous.get(hub.url(&qr_path)).send().await.unwrap();
    assert_eq!((answer.status().as_u16(), answer.headers()["location"].to_str().unwrap()), (303, "/login?lang=ja"));

    // A refusal from the domain: shown in Japanese, nothing changed.
    let refused = post(&a, &hub, &format!("/openings/{elders}/book"), &[]).await;
    assert_eq!((refused.status, refused.path.as_str()), (409, &*format!("/openings/{elders}/book")));
    assert!(refused.text.contains("この募集は70歳以上の方が対象です。"), "{}", refused.text);
    assert!(refused.text.contains("家財運び"), "the list is shown again");
    assert_eq!(count(&pool, "SELECT count(*) FROM hub_bookings WHERE opening_id = $1", elders).await, 0);
    let one_a_day = post(&b, &hub, &format!("/openings/{id}/book"), &[]).await;
    assert_eq!(one_a_day.status, 409, "B is on that day already: no button, and a replayed form is refused");
    assert!(one_a_day.text.contains("この日は既に予約"), "{}", one_a_day.text);

    // A cancels through the form; B moves up, and B's QR appears and loads.
    let cancelled = post(&a, &hub, &format!("/me/bookings/{a_booking}/cancel"), &[]).await;
    assert_eq!(cancelled.path, "/me");
    assert!(cancelled.text.contains(&format!("予約 {number} を取り消しました。")), "{}", cancelled.text);
    assert!(!cancelled.text.contains(&qr_path), "a cancelled booking shows no QR");
    assert_eq!(a.get(hub.url(&qr_path)).send().await.unwrap().status(), 404);
    let promoted = get(&b, &hub, "/me").await;
    assert!(promoted.text.contains(&format!("/me/bookings/{b_booking}/qr.png")), "{}", promoted.text);
    assert!(promoted.text.contains("<span class=\"badge\">予約</span>"), "{}", promoted.text);
    let qr = b.get(hub.url(&format!("/me/bookings/{b_booking}/qr.png"))).send().await.unwrap();
    assert_eq!(qr.status(), 200);
    assert_eq!(count(&pool, "SELECT booked_seats::bigint FROM hub_openings WHERE id = $1", id).await, 1);

    // English: no Japanese but the data (the opening's words, the language switch).
    let data = ["泥出し", "家財運び", "七尾駅 東口", "長靴・手袋"];
    for path in ["/me?lang=en", "/openings?lang=en", "/me/profile?lang=en", "/me/delete?lang=en"] {
        let page = get(&b, &hub, path).await;
        assert_eq!(page.status, 200, "{path}");
        let mut data = data.to_vec();
        data.extend(["能登 一郎", "能登 花子", "ノト ハナコ", "石川県七尾市御祓町1", "チェーンソー", "軽トラ"]);
        assert_eq!(japanese_in(&page.text, &data), Vec::<char>::new(), "{path}: {}", page.text);
    }
    let login_en = get(&client(), &hub, "/login?lang=en").await;
    assert!(login_en.text.contains("Log in"));
    assert_eq!(japanese_in(&login_en.text, &[]), Vec::<char>::new(), "{}", login_en.text);

    // Staff get the way to their calendar; logging out ends the session.
    let staff = get(&admin, &hub, "/me").await;
    assert_eq!(staff.status, 403);
    assert!(staff.text.contains("/hub/staff/calendar"), "{}", staff.text);
    // Every hub page, the volunteers' and the staff's, takes its look from the one stylesheet:
    // the pages' CSP allows no inline style.
    for path in ["/login", "/register", "/privacy", "/reset", "/hub/staff/calendar?center_id=1"] {
        let page = get(&admin, &hub, path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(page.text.contains("href=\"/hub/volunteer.css\"") && !page.text.contains("<style"), "{path}");
    }
    let css = admin.get(hub.url("/hub/volunteer.css")).send().await.unwrap();
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    assert!(css.text().await.unwrap().contains("body.staff table"));
    let out = post(&a, &hub, "/logout", &[]).await;
    assert_eq!(out.path, "/login");
    assert!(out.text.contains("ログアウトしました。"));
    assert_eq!(get(&a, &hub, "/me").await.path, "/login");

    // A form posted from another site is refused by the hub's same-origin check.
    let cross = b
        .post(hub.url(&format!("/me/bookings/{b_booking}/cancel")))
        .header("origin", "https://evil.example")
        .form(&[("x", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), 403);
    let status: String = sqlx::query_scalar("SELECT status FROM hub_bookings WHERE id = $1")
        .bind(b_booking)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "booked");
}

#[tokio::test]
async fn unverified_then_verified_profile_errors_by_field_the_cutoff_and_deleting_through_the_pages() {
    let (_cluster, url) = database_or_skip!("hub");
    let mail = tempfile::tempdir().unwrap();
    let hub = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let pool = PgPool::connect(&url).await.unwrap();
    let admin = logged_in(&hub, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    // Meeting in 2 days, cancellable until 14 days before: the cutoff has passed.
    let mut late = opening(&day_in(2), "泥出し", 5);
    late["cancel_hours_before"] = json!(336);
    let late = open_opening(&admin, &hub, late).await;
    let email = "c@pages.example.jp";
    assert_eq!(volunteers::register(&hub, email, profile()).await.status(), 201);

    // Not verified yet: said so, with a button for a new link; booking is refused, nothing changed.
    let c = log_in_by_form(&hub, email).await;
    let me = get(&c, &hub, "/me").await;
    assert!(
        me.text.contains("メールアドレスの確認が済んでいません") && me.text.contains("/me/verification"),
        "{}",
        me.text
    );
    let refused = post(&c, &hub, &format!("/openings/{late}/book"), &[]).await;
    assert_eq!(refused.status, 403);
    assert!(refused.text.contains("メールアドレスの確認が済んでいません。届いたメールのリンクを開いてください。"));
    assert_eq!(count(&pool, "SELECT count(*) FROM hub_bookings WHERE opening_id = $1", late).await, 0);
    let resent = post(&c, &hub, "/me/verification", &[]).await;
    assert!(resent.text.contains("確認メールを送りました。"), "{}", resent.text);
    verify_by_link(&hub, mail.path(), email, 2).await;
    let me = get(&c, &hub, "/me").await;
    assert!(!me.text.contains("/me/verification"), "verified: no more notice");

    // Booked past the cutoff: no cancel button, and why.
    let booked = post(&c, &hub, &format!("/openings/{late}/book"), &[]).await;
    assert!(booked.text.contains("予約が確定しました"), "{}", booked.text);
    assert!(booked.text.contains("を過ぎたため、ここでは取り消せません。"), "{}", booked.text);
    assert!(!booked.text.contains("/cancel"), "no cancel button after the cutoff");
    let forced = post(&c, &hub, &format!("/me/bookings/{}/cancel", booking_id_in(&booked.text)), &[]).await;
    assert_eq!(forced.status, 409);
    assert!(forced.text.contains("キャンセルの期限を過ぎています。"), "{}", forced.text);

    // The profile, prefilled; a refusal names its field, in Japanese; nothing changed.
    let form = get(&c, &hub, "/me/profile").await;
    assert!(
        form.text.contains("value=\"能登 花子\"") && form.text.contains("value=\"090-2468-1357\""),
        "{}",
        form.text
    );
    assert!(form.text.contains("<option value=\"natural_disaster\" selected>"), "{}", form.text);
    let mut fields = vec![
        ("name", "能登 花子"),
        ("furigana", "ノト ハナコ"),
        ("birth_date", "1990-04-01"),
        ("phone", "090-1111-2222"),
        ("address", "石川県七尾市御祓町1"),
        ("residence", "in"),
        ("emergency_name", "能登 一郎"),
        ("emergency_phone", "080-9753-1864"),
        ("kind", "individual"),
        ("skills", "チェーンソー、重機"),
        ("insurance", "enrolled"),
    ];
    let wrong = post(&c, &hub, "/me/profile", &fields).await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.text.contains("id=\"error-insurance_plan\""), "{}", wrong.text);
    assert!(wrong.text.contains("加入しているボランティア活動保険のプラン"), "{}", wrong.text);
    assert!(wrong.text.contains("value=\"090-1111-2222\""), "what was typed stays");
    let phone: String = sqlx::query_scalar(
        "SELECT phone FROM hub_volunteers v JOIN hub_accounts a ON a.id = v.account_id WHERE a.email = $1",
    )
    .bind(email)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(phone, "090-2468-1357");
    fields.push(("insurance_plan", "basic"));
    let saved = post(&c, &hub, "/me/profile", &fields).await;
    assert_eq!((saved.status, saved.path.as_str()), (200, "/me/profile"), "{}", saved.text);
    assert!(saved.text.contains("プロフィールを保存しました。") && saved.text.contains("value=\"090-1111-2222\""));
    assert!(saved.text.contains("チェーンソー、重機"), "{}", saved.text);

    // Deleting: the privacy notice's words; a wrong password is refused at its field; then it is gone.
    let page = get(&c, &hub, "/me/delete").await;
    assert!(page.text.contains("人数などの匿名の集計だけが残ります"), "{}", page.text);
    assert!(
        page.text.contains("今日以降の予約・申込が 1 件あります。削除すると、それらはすべて取り消され"),
        "{}",
        page.text
    );
    let wrong = post(&c, &hub, "/me/delete", &[("password", "not-my-password")]).await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.text.contains("パスワードが違います。"));
    let gone = post(&c, &hub, "/me/delete", &[("password", PASSWORD)]).await;
    assert_eq!(gone.path, "/login");
    assert!(gone.text.contains("アカウントを削除しました。"), "{}", gone.text);
    let profiles: i64 = sqlx::query_scalar("SELECT count(*) FROM hub_volunteers").fetch_one(&pool).await.unwrap();
    assert_eq!(profiles, 0);
    let standing: i64 =
        sqlx::query_scalar("SELECT count(*) FROM hub_bookings WHERE status IN ('applied', 'booked', 'waitlisted')")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(standing, 0, "the deletion withdrew the booking the page warned of");
    let again = post(&client(), &hub, "/login", &[("email", email), ("password", PASSWORD)]).await;
    assert_eq!(again.status, 401);
}

#[tokio::test]
async fn in_a_browser_on_a_phone_a_volunteer_logs_in_and_books_by_clicking() {
    let (_cluster, url) = database_or_skip!("hub");
    let Some(mut browser) = crate::devtools::Browser::launch().await else { return };
    let mail = tempfile::tempdir().unwrap();
    let hub = Hub::start(&url, &MailTo::Dir(mail.path().to_path_buf()));
    let admin = logged_in(&hub, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let id = open_opening(&admin, &hub, opening(&day_in(9), "泥出し", 3)).await;
    let email = "phone@pages.example.jp";
    assert_eq!(volunteers::register(&hub, email, profile()).await.status(), 201);
    verify_by_link(&hub, mail.path(), email, 1).await;
    let phone = json!({ "width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": true });
    browser.command("Emulation.setDeviceMetricsOverride", phone, true).await;

    // /openings without a session lands on /login; log in by typing and clicking.
    browser.command("Page.navigate", json!({ "url": hub.url("/openings") }), true).await;
    browser.wait_for("location.pathname === '/login' && document.readyState === 'complete'").await;
    assert_eq!(browser.eval("document.documentElement.lang").await, "ja");
    let typed = format!(
        "document.querySelector('#email').value = {}; document.querySelector('#password').value = {}; \
         document.querySelector('#login').click();",
        json!(email),
        json!(PASSWORD)
    );
    browser.eval(&typed).await;
    browser.wait_for("location.pathname === '/me' && document.readyState === 'complete'").await;

    // The list fits the phone's width; booking is one click on the opening's button.
    browser.eval("document.querySelector('a[href^=\"/openings\"]').click()").await;
    browser.wait_for("location.pathname === '/openings' && document.readyState === 'complete'").await;
    let fits = browser.eval("document.documentElement.scrollWidth <= window.innerWidth").await;
    assert_eq!(fits, json!(true), "no sideways scrolling on a phone");
    browser.screenshot("hub-volunteer-openings.png").await;
    let button = format!("#opening-{id} button.book");
    assert_eq!(browser.eval(&format!("document.querySelector('{button}').textContent")).await, "予約する");
    browser.eval(&format!("document.querySelector('{button}').click()")).await;
    browser.wait_for("location.pathname === '/me' && document.readyState === 'complete'").await;
    let notice = browser.eval("document.querySelector('#notice').textContent").await;
    assert!(notice.as_str().unwrap().starts_with("予約が確定しました"), "{notice}");
    browser.wait_for("document.querySelector('.qr img').complete").await;
    let qr = browser.eval("document.querySelector('.qr img').naturalWidth").await;
    assert!(qr.as_i64().unwrap() > 200, "the QR image loaded: {qr}");
    browser.screenshot("hub-volunteer-me.png").await;
    let number = browser.eval("document.querySelector('.booking .number').textContent").await;
    assert!(number.as_str().unwrap().starts_with("H-"), "{number}");

    // Cancelling is a click too; the seat is free again.
    browser.eval("document.querySelector('button.cancel').click()").await;
    browser.wait_for("location.pathname === '/me' && document.querySelector('#notice') && document.readyState === 'complete' && !document.querySelector('button.cancel')").await;
    let list: Value = admin.get(hub.url(&format!("/api/openings/{id}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["booked_seats"], 0);
}

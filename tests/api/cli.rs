//! `borasen users add` through the real binary.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::binary::{Started, login_cookie, wait_until_listening};

#[tokio::test]
async fn users_add_creates_a_user_who_can_log_in() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_borasen"))
        .args(["users", "add", "nakamura", "--role", "coordinator", "--password-stdin", "--data"])
        .arg(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"nakamura-secret\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("nakamura"));

    let generated = Command::new(env!("CARGO_BIN_EXE_borasen"))
        .args(["users", "add", "ogawa", "--role", "reception", "--data"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(generated.status.success());
    let printed = String::from_utf8(generated.stdout).unwrap();
    let password = printed.lines().find_map(|l| l.strip_prefix("パスワード / password: ")).expect("password printed");

    let twin = Command::new(env!("CARGO_BIN_EXE_borasen"))
        .args(["users", "add", "ogawa", "--role", "reception", "--data"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!twin.status.success());
    assert!(String::from_utf8_lossy(&twin.stderr).contains("既に使われています"));

    let mut config = crate::helpers::test_config(&dir);
    config.admin_password = None; // users exist: no admin is made
    let app = borasen::startup::Application::build(config).await.unwrap();
    let addr = app.local_addr();
    tokio::spawn(app.run_until(std::future::pending()));
    for (user, pass) in [("nakamura", "nakamura-secret"), ("ogawa", password)] {
        login_cookie(&reqwest::Client::new(), &format!("http://{addr}"), user, pass).await;
    }
}

#[test]
fn serve_refuses_a_bad_address_with_a_clear_message() {
    let output =
        Command::new(env!("CARGO_BIN_EXE_borasen")).args(["serve", "--addr", "not-an-address"]).output().unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--addr"));
}

/// First start prints the generated admin password once; SIGTERM stops the
/// server cleanly (exit 0); the second start prints no password.
#[tokio::test]
async fn first_start_prints_the_admin_password_once_and_sigterm_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let start = || {
        Command::new(env!("CARGO_BIN_EXE_borasen"))
            .args(["serve", "--addr", "127.0.0.1:0", "--data"])
            .arg(dir.path())
            .env_remove("BORASEN_ADMIN_PASSWORD")
            .env("BORASEN_BACKUP_MINUTES", "0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };

    let mut first = start();
    let Started { printed, base } = wait_until_listening(&mut first);
    let password = printed
        .iter()
        .find_map(|l| l.strip_prefix("First start: created user 'admin' with password: "))
        .expect("the generated password is printed")
        .to_string();
    login_cookie(&reqwest::Client::new(), &base, "admin", &password).await;

    let term = Command::new("kill").args(["-TERM", &first.id().to_string()]).status().unwrap();
    assert!(term.success());
    let status = first.wait().unwrap();
    assert!(status.success(), "graceful shutdown exits 0: {status:?}");

    let mut second = start();
    let printed = wait_until_listening(&mut second).printed;
    assert!(!printed.iter().any(|l| l.contains("password")), "{printed:?}");
    second.kill().unwrap();
    second.wait().unwrap();
}

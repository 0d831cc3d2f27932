//! The real `borasen` executable as a child process, and logging in to a
//! server from outside a [`crate::helpers::Session`].

use std::io::{BufRead, BufReader};
use std::process::Child;

use reqwest::header::SET_COOKIE;
use serde_json::json;

/// The line `serve` prints once it accepts connections, before the address.
pub const LISTENING: &str = "borasen: listening on ";

/// What `serve` printed up to its listening line.
pub struct Started {
    /// Every line up to and including the listening line.
    pub printed: Vec<String>,
    /// The address it listens on, `http://…` or `https://…`.
    pub base: String,
}

/// Reads the child's stdout up to the listening line, then keeps draining it
/// in the background so the child never blocks on a full pipe.
pub fn wait_until_listening(child: &mut Child) -> Started {
    let mut lines = BufReader::new(child.stdout.take().expect("stdout is piped")).lines();
    let mut printed = Vec::new();
    let base = loop {
        let line = lines.next().expect("the server prints its address").unwrap();
        let base = line.strip_prefix(LISTENING).map(|url| url.trim().to_string());
        printed.push(line);
        if let Some(base) = base {
            break base;
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Started { printed, base }
}

/// Logs in at `base` with a plain client (the answer is not checked against
/// the OpenAPI document); the `borasen_session=…` cookie pair.
pub async fn login_cookie(http: &reqwest::Client, base: &str, username: &str, password: &str) -> String {
    let login = http
        .post(format!("{base}/api/session"))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200, "login of {username}");
    login.headers()[SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_string()
}

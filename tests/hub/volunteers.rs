//! Volunteers for the tests: a valid profile, registering, the verification
//! token read back from the mail as sent.

use std::path::Path;

use base64::Engine;
use serde_json::{Value, json};

use crate::process::{Hub, client, eml_files};
use crate::smtp::header;

pub const PASSWORD: &str = "volunteer-password-1";
/// The privacy notice's version (`hub::accounts::privacy::PRIVACY_VERSION`).
pub const PRIVACY: &str = "2026-11-30";

/// A profile the center's form takes, with the hub's own fields.
pub fn profile() -> Value {
    json!({
        "name": "能登 花子",
        "furigana": "ノト ハナコ",
        "birth_date": "1990-04-01",
        "phone": "090-2468-1357",
        "address": "石川県七尾市御祓町1",
        "residence": "in",
        "emergency_name": "能登 一郎",
        "emergency_phone": "080-9753-1864",
        "insurance": "enrolled",
        "insurance_plan": "natural_disaster",
        "skills": ["チェーンソー"],
        "vehicle": "軽トラ",
    })
}

pub fn body(email: &str, profile: Value) -> Value {
    json!({ "email": email, "password": PASSWORD, "privacy_version": PRIVACY, "profile": profile })
}

pub async fn register(hub: &Hub, email: &str, profile: Value) -> reqwest::Response {
    client().post(hub.url("/api/accounts")).json(&body(email, profile)).send().await.unwrap()
}

/// A mail's text part, decoded (base64 or quoted-printable, as lettre chose).
pub fn mail_text(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n");
    let (head, rest) = raw.split_once("\n\n").unwrap_or((&raw, ""));
    let encoding = header(&head.replace('\n', "\r\n"), "Content-Transfer-Encoding").unwrap_or_default();
    match encoding.to_ascii_lowercase().as_str() {
        "base64" => {
            let compact: String = rest.split_whitespace().collect();
            String::from_utf8(base64::engine::general_purpose::STANDARD.decode(compact).unwrap()).unwrap()
        }
        "quoted-printable" => quoted_printable(rest),
        _ => rest.to_string(),
    }
}

fn quoted_printable(text: &str) -> String {
    let joined = text.replace("=\n", "");
    let mut bytes = Vec::new();
    let mut chars = joined.bytes().peekable();
    while let Some(b) = chars.next() {
        if b == b'=' {
            let hex: Vec<u8> = (0..2).filter_map(|_| chars.next()).collect();
            bytes.push(u8::from_str_radix(std::str::from_utf8(&hex).unwrap(), 16).unwrap());
        } else {
            bytes.push(b);
        }
    }
    String::from_utf8(bytes).unwrap()
}

/// The token in the verification link mailed to `email`, from a mail dir
/// (the tests mail each address once).
pub fn token_in_dir(dir: &Path, email: &str) -> String {
    let raw = eml_files(dir)
        .into_iter()
        .map(|(_, raw)| raw)
        .rfind(|raw| header(raw, "To").is_some_and(|to| to.contains(email)))
        .unwrap_or_else(|| panic!("no mail to {email} in {}", dir.display()));
    token_in(&mail_text(&raw))
}

pub fn token_in(text: &str) -> String {
    let start = text.find("token=").expect("the mail holds the link") + "token=".len();
    text[start..].chars().take_while(char::is_ascii_hexdigit).collect()
}

/// Waits for the mail to `email` to be written, then verifies with its token.
pub async fn verify_from_dir(hub: &Hub, dir: &Path, email: &str) {
    for _ in 0..200 {
        if eml_files(dir).iter().any(|(_, raw)| header(raw, "To").is_some_and(|to| to.contains(email))) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let token = token_in_dir(dir, email);
    let answer = client().post(hub.url("/api/accounts/verify")).json(&json!({ "token": token })).send().await.unwrap();
    assert_eq!(answer.status(), 200, "{}", answer.text().await.unwrap());
}

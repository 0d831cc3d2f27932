//! The "may not" column of ARCHITECTURE.md's module table, as a test: a new
//! reach into another domain's store, or a call a domain may not make, fails
//! here with the file and line, before a reviewer has to spot it.

use std::fs;
use std::path::{Path, PathBuf};

/// The domains, each a folder under `src/` with its front door in `mod.rs`.
const DOMAINS: [&str; 14] = [
    "auth",
    "board",
    "reception",
    "zones",
    "needs",
    "dispatch",
    "inventory",
    "drill",
    "lobby",
    "reports",
    "map",
    "web",
    "hub",
    "hub_link",
];

/// Modules behind a domain's front door: other domains use what its `mod.rs` re-exports.
const BEHIND_THE_DOOR: [&str; 3] = ["store", "model", "address_store"];

/// Who may not know whom (ARCHITECTURE.md, "may not").
const MAY_NOT: [(&str, &[&str]); 13] = [
    ("auth", &["board", "reception", "zones", "needs", "dispatch", "inventory", "drill", "lobby", "reports", "map"]),
    ("reception", &["board", "zones", "needs", "dispatch", "inventory", "drill", "lobby", "reports", "map"]),
    ("inventory", &["board", "reception", "zones", "needs", "dispatch", "drill", "lobby", "reports", "map"]),
    ("zones", &["board", "inventory", "drill", "lobby", "reports", "map"]),
    ("needs", &["board", "dispatch", "inventory", "drill", "lobby", "reports", "map"]),
    ("dispatch", &["board", "drill", "lobby", "reports", "map"]),
    ("board", &["drill", "lobby", "reports", "map"]),
    ("lobby", &["needs", "drill", "reports", "map"]),
    ("reports", &["board", "dispatch", "drill", "lobby", "map"]),
    ("map", &["board", "reception", "dispatch", "inventory", "drill", "lobby", "reports"]),
    ("web", &["board", "reception", "zones", "needs", "dispatch", "inventory", "drill", "lobby", "reports", "map"]),
    // The hub is its own server on its own database: it borrows the center's edges, never its domains' tables.
    ("hub", &["board", "zones", "needs", "dispatch", "inventory", "drill", "lobby", "reports", "map", "hub_link"]),
    // The center's link talks to the hub over HTTP only (crate::sync's contract), never to its code.
    ("hub_link", &["board", "zones", "needs", "dispatch", "inventory", "drill", "lobby", "map", "hub"]),
];

/// Narrow edges: the only things `from` may use of `to` (ARCHITECTURE.md, "Allowed reads").
const ONLY: [(&str, &str, &[&str]); 6] = [
    ("zones", "needs", &["open_by_zone"]),
    ("zones", "dispatch", &["out_by_zone"]),
    ("zones", "reception", &["normalize::nfkc"]),
    // The hub's profile: the registration form's checks, the minimum age, ages (hub::accounts::profile).
    ("hub", "reception", &["form::{Registration", "{ADULT_AGE", "register::new_qr_token"]),
    // The link takes pulled bookings in through reception's command, and reports the 日報's own figures.
    ("hub_link", "reception", &["booked::{self", "booked"]),
    ("hub_link", "reports", &["daily::Figures"]),
];

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("a source folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// Every `crate::<domain>::<rest>` on a code line (not a comment) of `domain`'s files.
fn reaches(domain: &str) -> Vec<(String, String, String)> {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(domain), &mut files);
    let mut found = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).expect("a source file");
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for (i, _) in line.match_indices("crate::") {
                let rest = &line[i + "crate::".len()..];
                let path: String =
                    rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':' || *c == '{').collect();
                let Some((target, tail)) = path.split_once("::").or(Some((path.as_str(), ""))) else { continue };
                if DOMAINS.contains(&target) && target != domain {
                    let place = format!("{}:{}", file.display(), n + 1);
                    found.push((place, target.to_string(), tail.trim_end_matches(':').to_string()));
                }
            }
        }
    }
    found
}

#[test]
fn no_domain_reaches_behind_another_domains_front_door() {
    let mut broken = Vec::new();
    for domain in DOMAINS {
        for (place, target, tail) in reaches(domain) {
            let module = tail.split("::").next().unwrap_or_default();
            if BEHIND_THE_DOOR.contains(&module) {
                broken.push(format!("{place}: {domain} → {target}::{tail}"));
            }
        }
    }
    assert!(broken.is_empty(), "use the owning domain's re-exports instead:\n{}", broken.join("\n"));
}

#[test]
fn no_domain_knows_what_it_may_not() {
    let mut broken = Vec::new();
    for (domain, forbidden) in MAY_NOT {
        for (place, target, tail) in reaches(domain) {
            if forbidden.contains(&target.as_str()) {
                broken.push(format!("{place}: {domain} → {target}::{tail}"));
            }
        }
    }
    assert!(broken.is_empty(), "a \"may not\" of ARCHITECTURE.md is broken:\n{}", broken.join("\n"));
}

#[test]
fn narrow_edges_use_only_their_allowed_reads() {
    let mut broken = Vec::new();
    for (domain, to, allowed) in ONLY {
        for (place, target, tail) in reaches(domain) {
            if target == to && !allowed.iter().any(|a| tail == *a) {
                broken.push(format!("{place}: {domain} → {target}::{tail}"));
            }
        }
    }
    assert!(broken.is_empty(), "not an allowed read (ARCHITECTURE.md):\n{}", broken.join("\n"));
}

#[test]
fn the_scan_sees_a_reach() {
    // The scanner itself: it finds the allowed reads it is told about.
    assert!(reaches("zones").iter().any(|(_, target, tail)| target == "needs" && tail == "open_by_zone"));
}

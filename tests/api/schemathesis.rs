//! The whole API under schemathesis: the real binary with a demo center, an
//! admin session, every documented operation fuzzed from `/api/openapi.json`
//! for a bounded number of examples; any 5xx (a panic is one too) fails.
//!
//! Needs the `schemathesis` executable (`.ci/run` installs the pinned version).
//! Without it the test is skipped with a loud notice, except under CI.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The version `.ci/run` installs; the CLI and its summary are read as this version writes them.
const PINNED: &str = "4.32.5";
const PASSWORD: &str = "schemathesis-admin-2026";
/// Per operation. With 80-odd operations and several phases this keeps the run
/// (debug build, 2 cores) well under the test's budget.
const MAX_EXAMPLES: &str = "25";
const SEED: &str = "20260113";
/// The fuzzing phase stops here whatever is left; the examples and coverage phases always run.
const MAX_TIME_SECONDS: &str = "100";

/// Operations (by `operationId`) that cannot be fuzzed meaningfully on a live run:
/// logging out (`DELETE /api/session`) ends the session the run uses.
const EXCLUDED: &[&str] = &["log_out"];

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn schemathesis_executable() -> Option<&'static str> {
    ["schemathesis", "st"].into_iter().find(|name| {
        Command::new(name)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// Starts `borasen serve --demo` on a free port and returns it with its base URL.
fn start_server(data: &std::path::Path) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_borasen"))
        .args(["serve", "--demo", "--addr", "127.0.0.1:0", "--data"])
        .arg(data)
        .env("BORASEN_ADMIN_PASSWORD", PASSWORD)
        .env("BORASEN_BACKUP_MINUTES", "0")
        .env("BORASEN_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("borasen starts");
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        let line = lines.next().expect("the server prints its address").unwrap();
        if let Some(base) = line.strip_prefix("borasen: listening on ") {
            break base.trim().to_string();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (server, base)
}

fn operations_in(doc: &Value) -> usize {
    doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().keys())
        .filter(|method| ["get", "post", "put", "patch", "delete"].contains(&method.as_str()))
        .count()
}

/// The `Tested: N` line of the summary's `API Operations:` block (schemathesis 4).
fn tested_operations(output: &str) -> Option<usize> {
    let summary = &output[output.rfind("API Operations:")?..];
    summary.lines().find_map(|l| l.trim().strip_prefix("Tested:")).and_then(|n| n.trim().parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_api_under_schemathesis_answers_no_server_error() {
    let Some(st) = schemathesis_executable() else {
        if std::env::var_os("CI").is_some() {
            panic!("schemathesis is not on PATH under CI; .ci/run installs schemathesis=={PINNED}");
        }
        eprintln!(
            "\n!!! SKIPPED the_whole_api_under_schemathesis: no `schemathesis` on PATH \
             (pip install schemathesis=={PINNED}) !!!\n"
        );
        return;
    };

    let data = tempfile::tempdir().unwrap();
    let (_server, base) = start_server(data.path());

    let http = reqwest::Client::new();
    let login = http
        .post(format!("{base}/api/session"))
        .json(&json!({ "username": "admin", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let cookie = login.headers()[reqwest::header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_string();
    assert!(cookie.starts_with("borasen_session="), "{cookie}");

    let doc: Value = http.get(format!("{base}/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    let documented = operations_in(&doc);
    assert!(documented > 50, "the document lists the API: {documented} operations");

    let mut command = Command::new(st);
    command
        .arg("run")
        .arg(format!("{base}/api/openapi.json"))
        .args(["--checks", "not_a_server_error"])
        .args(["--phases", "examples,coverage,fuzzing"])
        .args(["--max-examples", MAX_EXAMPLES])
        .args(["--seed", SEED])
        .args(["--max-time", MAX_TIME_SECONDS])
        .args(["--workers", "2"])
        .args(["--request-timeout", "20"])
        .args(["--generation-database", "none"])
        .args(["--no-color", "--suppress-health-check", "all"])
        .arg("-H")
        .arg(format!("Cookie: {cookie}"));
    for operation_id in EXCLUDED {
        command.args(["--exclude-operation-id", operation_id]);
    }
    let started = Instant::now();
    let output = tokio::task::spawn_blocking(move || command.output().expect("schemathesis runs")).await.unwrap();
    let elapsed = started.elapsed();
    let printed = format!("{}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    eprintln!("schemathesis ran {elapsed:?}");

    assert!(output.status.success(), "schemathesis found a failure:\n{printed}");
    let tested = tested_operations(&printed).unwrap_or_else(|| panic!("no summary of operations in:\n{printed}"));
    assert!(
        tested > 50 && tested + EXCLUDED.len() >= documented,
        "schemathesis tested {tested} of {documented} documented operations:\n{printed}"
    );
    assert!(elapsed < Duration::from_secs(170), "the run stays bounded: {elapsed:?}");

    // The server is still up and the session still works after the run.
    let me = http.get(format!("{base}/api/session")).header(reqwest::header::COOKIE, &cookie).send().await.unwrap();
    assert_eq!(me.status(), 200);
}

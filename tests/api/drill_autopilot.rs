//! `borasen drill run --fast --autopilot`: the autopilot plays by the rules a
//! person at the desks keeps — a repeat call linked as a duplicate, a
//! cancelled need not worked, a hurt team kept in, an inquiry answered, paper
//! kept through an outage and entered late — and `--autopilot-skill` shows in
//! the AAR, the same way on every run.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde_json::Value;

const FIXTURE: &str = "tests/fixtures/drills/autopilot-duplicate-cancel-injury.toml";
const INQUIRY_OUTAGE: &str = "tests/fixtures/drills/autopilot-inquiry-outage.toml";

/// One unattended run: its AAR and its event log (kind, time, data) in order.
struct Run {
    aar: Value,
    events: Vec<(String, String, Value)>,
    _out: tempfile::TempDir,
}

impl Run {
    fn of(&self, kind: &str) -> impl Iterator<Item = (&str, &Value)> {
        self.events.iter().filter(move |(k, _, _)| k == kind).map(|(_, at, data)| (at.as_str(), data))
    }

    /// The need card a call slip was written up as.
    fn need_of_call(&self, inject: u64) -> String {
        let taken = self.of("drill.call_taken").find(|(_, c)| c["inject"] == inject);
        taken.unwrap_or_else(|| panic!("call {inject} written up")).1["need_no"].as_str().unwrap().to_string()
    }

    /// When inject `id` fired.
    fn fired_at(&self, id: u64) -> String {
        self.of("drill.inject_fired").find(|(_, f)| f["inject"] == id).expect("fired").0.to_string()
    }

    /// A need's status after the last event about it.
    fn last_status(&self, need_no: &str) -> String {
        let mut about = self
            .events
            .iter()
            .filter(|(k, _, d)| (k == "need.received" || k == "need.status_changed") && d["need_no"] == need_no);
        about.next_back().expect("the need exists").2["status"].as_str().unwrap().to_string()
    }

    /// Teams sent: (time, team number, need number, members).
    fn teams_sent(&self) -> Vec<(String, String, String, Vec<String>)> {
        self.of("team.dispatched")
            .map(|(at, t)| {
                let members = t["members"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().into()).collect();
                (at.into(), t["team_no"].as_str().unwrap().into(), t["need_no"].as_str().unwrap_or("").into(), members)
            })
            .collect()
    }

    fn inject_results(&self) -> BTreeMap<u64, (String, Value)> {
        let injects = self.aar["injects"].as_array().unwrap();
        let judged = injects.iter().filter(|i| !i["expect"].is_null());
        judged
            .map(|i| (i["id"].as_u64().unwrap(), (i["status"].as_str().unwrap().into(), i["measured_minutes"].clone())))
            .collect()
    }
}

async fn run(skill: &str) -> Run {
    run_of(FIXTURE, skill).await
}

async fn run_of(fixture: &str, skill: &str) -> Run {
    let out = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_borasen"))
        .args(["drill", "run", fixture, "--fast", "--autopilot", "--autopilot-skill", skill, "--out"])
        .arg(out.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{skill}: {}", String::from_utf8_lossy(&output.stderr));
    let files: Vec<_> = std::fs::read_dir(out.path().join("drills")).unwrap().map(|e| e.unwrap().path()).collect();
    let named = |suffix: &str| files.iter().find(|p| p.to_string_lossy().ends_with(suffix)).unwrap().clone();
    let aar = serde_json::from_slice(&std::fs::read(named(".aar.json")).unwrap()).unwrap();
    let events = read_events(&named(".sqlite")).await;
    Run { aar, events, _out: out }
}

async fn read_events(database: &Path) -> Vec<(String, String, Value)> {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=ro", database.display())).await.unwrap();
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT kind, at, data FROM events ORDER BY seq").fetch_all(&pool).await.unwrap();
    pool.close().await;
    rows.into_iter().map(|(kind, at, data)| (kind, at, serde_json::from_str(&data).unwrap())).collect()
}

#[tokio::test]
async fn the_autopilot_links_a_repeat_call_works_no_cancelled_need_and_keeps_a_hurt_team_in() {
    let run = run("good").await;
    let sent = run.teams_sent();

    // The same household rang twice: one card, linked as a duplicate of the first; one team.
    let (first, repeat) = (run.need_of_call(101), run.need_of_call(102));
    let linked: Vec<&Value> =
        run.of("need.received").map(|(_, n)| n).filter(|n| !n["duplicate_of"].is_null()).collect();
    assert_eq!(linked.len(), 1, "{linked:?}");
    assert_eq!((linked[0]["need_no"].as_str(), linked[0]["duplicate_of"].as_str()), (Some(&*repeat), Some(&*first)));
    assert_eq!(run.last_status(&repeat), "cancelled");
    assert_eq!(sent.iter().filter(|t| t.2 == first).count(), 1, "one team to the house: {sent:?}");
    assert!(sent.iter().all(|t| t.2 != repeat), "no team to the duplicate card: {sent:?}");

    // 103 was cancelled after its team left: the team is called back, the need is cancelled, not done.
    let cancelled_after = run.need_of_call(103);
    assert_eq!(run.last_status(&cancelled_after), "cancelled");
    let cancel_came = run.fired_at(201);
    assert!(sent.iter().all(|t| t.2 != cancelled_after || t.0 < cancel_came), "nobody sent after the cancellation");
    let back: Vec<&Value> =
        run.of("team.returned").map(|(_, t)| t).filter(|t| t["need_no"] == *cancelled_after).collect();
    assert_eq!(back.len(), 1, "the team on it came back: {back:?}");
    assert_eq!(back[0]["outcome"], "cancelled", "called back, not worked to the end");

    // 104 was cancelled before anyone went: nobody is sent.
    let cancelled_before = run.need_of_call(104);
    assert_eq!(run.last_status(&cancelled_before), "cancelled");
    assert!(sent.iter().all(|t| t.2 != cancelled_before), "{sent:?}");

    // 101's team came back with an injury: none of its members goes out again that day.
    let hurt: Vec<(&str, &Value)> = run.of("team.returned").filter(|(_, t)| t["injury"] == true).collect();
    assert_eq!(hurt.len(), 1, "{hurt:?}");
    let (hurt_back, hurt_team) = (hurt[0].0.to_string(), hurt[0].1["team_no"].as_str().unwrap());
    let kept: HashSet<&String> = sent.iter().find(|t| t.1 == hurt_team).unwrap().3.iter().collect();
    let later: Vec<_> = sent.iter().filter(|t| t.0 > hurt_back).collect();
    assert!(
        later.iter().any(|t| t.2 == run.need_of_call(105) && t.3.len() == 6),
        "six people went to 105 after the injury, so there was a choice to make: {sent:?}"
    );
    for team in later {
        assert!(team.3.iter().all(|m| !kept.contains(m)), "{} took a member of hurt {hurt_team}: {team:?}", team.1);
    }
}

#[tokio::test]
async fn a_poor_autopilot_is_late_or_misses_where_a_good_one_meets_and_plays_the_same_each_time() {
    let good = run("good").await;
    let poor = run("poor").await;
    let (good_results, poor_results) = (good.inject_results(), poor.inject_results());
    assert!(good_results.values().all(|(status, _)| status == "met"), "a good center meets them all: {good_results:?}");
    let separated: Vec<u64> =
        good_results.keys().filter(|id| matches!(poor_results[*id].0.as_str(), "late" | "missed")).copied().collect();
    assert!(separated.len() >= 2, "poor play shows in the AAR: good {good_results:?}, poor {poor_results:?}");
    assert!(separated.contains(&401), "the warning: suspended too late or never");
    let role = |run: &Run| run.aar["overview"]["participants"][0]["role"].as_str().unwrap().to_string();
    assert!(role(&good).contains("good") && role(&poor).contains("poor"), "{} / {}", role(&good), role(&poor));

    let again = run("poor").await;
    assert_eq!(again.inject_results(), poor_results, "the same scenario and skill: the same AAR");
    assert_eq!(again.teams_sent(), poor.teams_sent(), "and the same teams");
}

#[tokio::test]
async fn the_autopilot_answers_an_inquiry_and_enters_its_paper_after_an_outage() {
    let run = run_of(INQUIRY_OUTAGE, "good").await;
    let results = run.inject_results();
    assert_eq!(results[&501].0, "met", "the inquiry is answered: {results:?}");
    assert_eq!(results[&601].0, "met", "the outage's paper is entered: {results:?}");

    // The answer is the expected action's.
    let answers: Vec<&Value> = run.of("drill.inquiry_answered").map(|(_, a)| a).collect();
    assert_eq!(answers.len(), 1, "{answers:?}");
    assert_eq!(answers[0]["inject"], 501);
    assert!(answers[0]["answer"].as_str().unwrap().contains("センター長に一本化"), "{answers:?}");

    // Nothing is entered at the cut desks while they are down; their work waits on paper.
    let outage = run.of("drill.inject_fired").find(|(_, f)| f["inject"] == 601).unwrap();
    let (from, until) = (outage.0.to_string(), outage.1["outage"]["until"].as_str().unwrap().to_string());
    let parse = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap();
    let during = |t: &str| parse(&from) <= parse(t) && parse(t) < parse(&until);
    for kind in ["volunteer.checked_in", "team.dispatched"] {
        let entered: Vec<&str> = run.of(kind).map(|(at, _)| at).filter(|at| during(at)).collect();
        assert!(entered.is_empty(), "{kind} entered while its desk was down: {entered:?}");
    }

    // After it: the check-ins and the team formed on paper, each with the time it was done on paper.
    let late: Vec<(&str, &Value)> = run.of("drill.late_entry").collect();
    let of_desk = |desk: &str| late.iter().filter(|(_, e)| e["desk"] == desk).collect::<Vec<_>>();
    let (reception, matching) = (of_desk("reception"), of_desk("matching"));
    assert_eq!(reception.len(), 8, "the 8 who came during the outage: {late:?}");
    assert!(reception.iter().all(|(_, e)| e["kinds"] == serde_json::json!(["volunteer.checked_in"])), "{late:?}");
    assert!(
        matching.iter().any(|(_, e)| e["kinds"].as_array().unwrap().contains(&"team.dispatched".into())),
        "the team for 101: {late:?}"
    );
    for (entered, entry) in &late {
        let paper = entry["paper_time"].as_str().unwrap();
        assert!(during(paper), "done on paper during the outage: {entry}");
        assert!(parse(entered) >= parse(&until), "entered once the desk was back: {entered} {entry}");
    }
    let sent = run.teams_sent();
    assert_eq!(sent.iter().filter(|t| t.2 == run.need_of_call(101)).count(), 1, "formed once: {sent:?}");
}

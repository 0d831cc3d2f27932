//! `borasen drill run FILE --fast --autopilot`: a drill with nobody at the
//! desks — a self-test of the scenario and a load test of the system. It
//! runs in a folder of its own (never the live data), then writes the
//! after-action report as PDF and JSON beside the drill's database.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use super::autopilot::{self, Autopilot};
use super::autopilot_skill::Profile;
use super::env::Env;
use super::run::{DrillRun, RunState};
use super::{aar, aar_pdf, schedule, setup};
use crate::auth::users;
use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::events::{Actor, EventBus};
use crate::zones::ZoneSet;

pub struct Options {
    pub file: PathBuf,
    /// Default: `drill-runs/` in the current folder.
    pub out: Option<PathBuf>,
    /// As fast as it goes; otherwise at the scenario's speed in real time.
    pub fast: bool,
    /// The autopilot plays the trainees; otherwise nobody does.
    pub autopilot: bool,
    /// How well it plays (`--autopilot-skill`, its pace possibly changed by `--reaction-minutes`, `--desks`).
    pub profile: Profile,
}

pub struct Report {
    pub database: PathBuf,
    pub pdf: PathBuf,
    pub json: PathBuf,
    pub events: usize,
    pub seconds: f64,
    /// Expected actions: (met, late, missed) at the end.
    pub expectations: (usize, usize, usize),
}

/// Runs the scenario to its end. `progress(done, total)` hears drill minutes.
pub async fn run(options: Options, mut progress: impl FnMut(i64, i64)) -> Result<Report, String> {
    let began = Instant::now();
    let loaded = setup::load(&options.file)?;
    let out = options.out.clone().unwrap_or_else(|| PathBuf::from("drill-runs"));
    let database = setup::new_database_path(&out, &loaded.scenario).map_err(|e| format!("{}: {e}", out.display()))?;
    let (start, end) = schedule::window(&loaded.scenario);
    let clock = if options.fast { Clock::manual(start) } else { setup::clock(&loaded.scenario) };
    let db = Db::open(&database, EventBus::new(1024), true).await.map_err(|e| e.to_string())?;
    // Nobody logs in to an unattended run: the staff get passwords nobody is shown.
    let password = crate::auth::password::generate();
    setup::seed(&db, &clock, &loaded, Some(&password)).await.map_err(|e| e.message.ja.to_string())?;
    let zones = Arc::new(ZoneSet::load(&db).await.map_err(|e| e.to_string())?);
    let env = Env { db: db.clone(), clock: clock.clone(), config: Arc::new(Config::new(&out)), zones };
    let file = loaded.file.display().to_string();
    let drill = DrillRun::new(env, loaded.scenario, loaded.text, file);
    let total = (end - start).num_minutes();
    let played = if options.fast {
        match options.autopilot {
            true => autopilot::run_fast(&drill, &clock, options.profile.clone(), |m| progress(m, total)).await,
            false => run_fast_unplayed(&drill, &clock, |m| progress(m, total)).await,
        }
    } else {
        let pilot = options.autopilot.then(|| Autopilot::new(options.profile.clone(), &drill.scenario.id));
        run_real_time(&drill, pilot, |m| progress(m, total)).await
    };
    played.map_err(|e| e.message.ja.to_string())?;
    progress(total, total);

    let events = drill.events().await.map_err(|e| e.message.ja.to_string())?;
    let mut participants = participants(&db, &events).await.map_err(|e| e.to_string())?;
    // The AAR says how well the autopilot was set to play, so two runs can be told apart.
    let skill = options.profile.skill;
    for who in participants.iter_mut().filter(|p| p.role == AUTOPILOT) {
        who.role = format!("自動操縦（訓練生役・{} {}）", skill.label_ja(), skill.name());
    }
    let report = aar::build(&drill.scenario, &events, clock.now(), participants);
    let stem = database.with_extension("");
    let pdf = stem.with_extension("aar.pdf");
    let json = stem.with_extension("aar.json");
    std::fs::write(&pdf, aar_pdf::render(&report, true)).map_err(|e| format!("{}: {e}", pdf.display()))?;
    let text = serde_json::to_string_pretty(&report).expect("the AAR serialises");
    std::fs::write(&json, text).map_err(|e| format!("{}: {e}", json.display()))?;
    db.close().await;
    let evaluation = super::evaluate::evaluate(&drill.scenario, &events, clock.now());
    Ok(Report {
        database,
        pdf,
        json,
        events: events.len(),
        seconds: began.elapsed().as_secs_f64(),
        expectations: expectation_counts(&evaluation),
    })
}

fn expectation_counts(evaluation: &super::evaluate::Evaluation) -> (usize, usize, usize) {
    use super::evaluate::InjectStatus::{Late, Met, Missed};
    let count = |status| evaluation.injects.iter().filter(|r| r.status == status).count();
    (count(Met), count(Late), count(Missed))
}

async fn run_fast_unplayed(
    drill: &DrillRun,
    clock: &Clock,
    mut minute: impl FnMut(i64),
) -> Result<(), crate::error::AppError> {
    let (start, _) = schedule::window(&drill.scenario);
    drill.start(&Actor::system()).await?;
    while drill.state() != RunState::Finished {
        drill.step().await?;
        clock.advance(chrono::Duration::minutes(1));
        minute((clock.now() - start).num_minutes());
    }
    Ok(())
}

async fn run_real_time(
    drill: &DrillRun,
    mut pilot: Option<Autopilot>,
    mut minute: impl FnMut(i64),
) -> Result<(), crate::error::AppError> {
    let (start, _) = schedule::window(&drill.scenario);
    drill.start(&Actor::system()).await?;
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(200));
    while drill.state() != RunState::Finished {
        tick.tick().await;
        drill.step().await?;
        if let Some(pilot) = pilot.as_mut() {
            pilot.act(drill).await?;
        }
        minute((drill.env.clock.now() - start).num_minutes());
    }
    Ok(())
}

/// The autopilot as the AAR lists who took part.
const AUTOPILOT: &str = "自動操縦（訓練生役）";

/// Who took part, by role: the staff who acted in the log, and the autopilot.
pub async fn participants(db: &Db, events: &[crate::events::Event]) -> Result<Vec<aar::Participant>, sqlx::Error> {
    let actors: std::collections::BTreeSet<&str> = events.iter().map(|e| e.actor.as_str()).collect();
    let staff = users::list(&db.read).await?;
    let mut by_role: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for user in staff.iter().filter(|u| actors.contains(u.username.as_str())) {
        *by_role.entry(user.role.label_ja().to_string()).or_default() += 1;
    }
    if actors.contains("autopilot") {
        *by_role.entry(AUTOPILOT.to_string()).or_default() += 1;
    }
    Ok(by_role.into_iter().map(|(role, count)| aar::Participant { role, count }).collect())
}

/// The run's summary for the terminal: time, events per second, expectations, where the files are.
pub fn describe(report: &Report, path: &Path) -> String {
    let (met, late, missed) = report.expectations;
    format!(
        "{}: 完了 {:.1} 秒、イベント {} 件（{:.0} 件/秒）、期待行動 達成 {met}・遅延 {late}・未達 {missed}\n  AAR: {}\n  {}\n  訓練DB: {}",
        path.display(),
        report.seconds,
        report.events,
        report.events as f64 / report.seconds.max(0.001),
        report.pdf.display(),
        report.json.display(),
        report.database.display()
    )
}

//! Opening a drill: the scenario read and checked, a fresh database file of
//! its own under `DATA/drills/` (never the live `borasen.sqlite`), seeded with
//! staff accounts, the zone map, the equipment and the needs left open from
//! earlier days.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration};

use super::check::{self, find_seed_file};
use super::inject;
use super::scenario::Scenario;
use crate::auth::Role;
use crate::clock::{Clock, stamp};
use crate::db::Db;
use crate::demo;
use crate::error::AppError;
use crate::needs::edit::NeedPatch;
use crate::needs::intake::Intake;
use crate::needs::model::Status;
use crate::zones::ZoneSet;

/// A scenario that passed `drill check`, with its text.
pub struct Loaded {
    pub scenario: Scenario,
    pub text: String,
    pub file: PathBuf,
}

/// Reads and checks a scenario; the error lists every problem by line.
pub fn load(file: &Path) -> Result<Loaded, String> {
    let text =
        std::fs::read_to_string(file).map_err(|e| format!("{}: 読めません / cannot read: {e}", file.display()))?;
    match check::check(&text, file) {
        Ok(scenario) => Ok(Loaded { scenario, text, file: file.to_path_buf() }),
        Err(problems) => Err(problems
            .iter()
            .map(|p| format!("{}:{}: {} — {} / {}", file.display(), p.line, p.field, p.message.ja, p.message.en))
            .collect::<Vec<_>>()
            .join("\n")),
    }
}

/// `DATA/drills/rain-day3-20261123-091500.sqlite`: a new file for each run.
pub fn new_database_path(data_dir: &Path, scenario: &Scenario) -> std::io::Result<PathBuf> {
    let dir = data_dir.join("drills");
    std::fs::create_dir_all(&dir)?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let id: String = scenario.id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    let mut path = dir.join(format!("{id}-{stamp}.sqlite"));
    let mut n = 1;
    while path.exists() {
        n += 1;
        path = dir.join(format!("{id}-{stamp}-{n}.sqlite"));
    }
    Ok(path)
}

/// The drill's clock: paused at the scenario's start.
pub fn clock(scenario: &Scenario) -> Clock {
    let start = DateTime::parse_from_rfc3339(scenario.sim_start.get_ref()).expect("checked scenario");
    Clock::drill(start, *scenario.speed.get_ref())
}

/// Staff, map, equipment and the open needs of earlier days.
pub async fn seed(db: &Db, clock: &Clock, loaded: &Loaded, password: Option<&str>) -> Result<(), AppError> {
    let staff = [
        ("trainer", "訓練 統制官", Role::Trainer),
        ("coordinator", "訓練 コーディネーター", Role::Coordinator),
        ("reception", "訓練 受付", Role::Reception),
    ];
    demo::seed_users(db, clock, password, &staff).await?;
    match &loaded.scenario.seed.zones {
        Some(zones) => {
            let path = find_seed_file(zones.get_ref(), &loaded.file).expect("checked scenario");
            let text = std::fs::read_to_string(&path).map_err(|_| AppError::internal())?;
            demo::seed_map(db, clock, &text, zones.get_ref()).await?
        }
        None => demo::seed_map(db, clock, demo::DEMO_MAP, "maps/demo-kanazawa.geojson").await?,
    };
    let items: Vec<(String, i64)> = loaded.scenario.seed.items.iter().map(|i| (i.name.clone(), i.stock)).collect();
    demo::seed_items(db, clock, (!items.is_empty()).then_some(&items[..])).await?;

    let zones = ZoneSet::load(db).await?.current();
    let yesterday = stamp(clock.now() - Duration::days(1));
    for call in &loaded.scenario.seed.needs {
        let mut form = call.get_ref().to_form();
        form.received_at = Some(yesterday.clone());
        let Intake::Saved(need) = crate::needs::intake::receive(db, clock, &zones, &inject::actor(), form).await?
        else {
            unreachable!("entered with force_new")
        };
        // Left from earlier days: surveyed or not, they wait for a team.
        let patch = NeedPatch { version: Some(need.version), status: Some(Status::Waiting), ..NeedPatch::default() };
        crate::needs::edit::edit(db, clock, &zones, &inject::actor(), need.id, patch).await?;
    }
    Ok(())
}

//! Opening a drill: the scenario read and checked, a fresh database file of
//! its own under `DATA/drills/` (never the live `borasen.sqlite`), seeded with
//! staff accounts, the zone map, the equipment and the needs left open from
//! earlier days.

use std::path::{Path, PathBuf};

use chrono::Duration;

use super::check::{self, find_seed_file};
use super::scenario::Scenario;
use super::{inject, limits};
use crate::auth::Role;
use crate::clock::{Clock, stamp};
use crate::db::Db;
use crate::demo;
use crate::dispatch::send_out::TeamsOnNeeds;
use crate::error::AppError;
use crate::needs::Status;
use crate::needs::edit::NeedPatch;
use crate::needs::intake::Intake;
use crate::zones::ZoneSet;

/// A scenario that passed `drill check`, with its text.
pub struct Loaded {
    pub scenario: Scenario,
    pub text: String,
    pub file: PathBuf,
}

/// Reads and checks a scenario (the same check as `drill check`, bounds
/// included); the error lists every problem by line. Nothing runs a scenario
/// that did not come through here.
pub fn load(file: &Path) -> Result<Loaded, String> {
    let text = read(file)?;
    match check::check(&text, file) {
        Ok(scenario) => {
            // The checked scenario has a window; say so rather than assume it.
            super::schedule::try_window(&scenario).map_err(|e| format!("{}: {e}", file.display()))?;
            let text = check::strip_bom(&text).to_string();
            Ok(Loaded { scenario, text, file: file.to_path_buf() })
        }
        Err(problems) => Err(problems
            .iter()
            .map(|p| format!("{}:{}: {} — {} / {}", file.display(), p.line, p.field, p.message.ja, p.message.en))
            .collect::<Vec<_>>()
            .join("\n")),
    }
}

/// A scenario file's text, refusing one larger than [`limits::MAX_FILE_BYTES`]
/// before reading it all.
pub fn read(file: &Path) -> Result<String, String> {
    use std::io::Read;
    let cannot = |e: std::io::Error| format!("{}: 読めません / cannot read: {e}", file.display());
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .map_err(cannot)?
        .take(limits::MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() > limits::MAX_FILE_BYTES {
        let max = limits::grouped(limits::MAX_FILE_BYTES as i64);
        return Err(format!(
            "{}:1: シナリオファイルは {max} バイトまでです（上限 {max}）/ a scenario file is at most {max} bytes",
            file.display()
        ));
    }
    String::from_utf8(bytes)
        .map_err(|_| format!("{}:1: UTF-8 で保存してください / the file is not UTF-8", file.display()))
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
    let (start, _) = super::schedule::window(scenario);
    let speed = (*scenario.speed.get_ref()).clamp(*limits::SPEED.start(), *limits::SPEED.end());
    Clock::drill(start, speed)
}

/// Staff, map, equipment and the open needs of earlier days.
pub async fn seed(db: &Db, clock: &Clock, loaded: &Loaded, password: Option<&str>) -> Result<(), AppError> {
    let staff = [
        ("trainer", "訓練 統制官", Role::Trainer),
        ("evaluator", "訓練 評価者", Role::Evaluator),
        ("coordinator", "訓練 コーディネーター", Role::Coordinator),
        ("reception", "訓練 受付", Role::Reception),
    ];
    demo::seed_users(db, clock, password, &staff).await?;
    match &loaded.scenario.seed.zones {
        Some(zones) => {
            let path = find_seed_file(zones.get_ref(), &loaded.file).ok_or_else(|| {
                AppError::validation(
                    "seed.zones",
                    crate::i18n::Text::new(
                        format!("地区ファイル {} が見つかりません", zones.get_ref()),
                        format!("zone file {} not found", zones.get_ref()),
                    ),
                )
            })?;
            let text = std::fs::read_to_string(&path).map_err(|_| AppError::internal())?;
            demo::seed_map(db, clock, &text, zones.get_ref()).await?
        }
        None => demo::seed_map(db, clock, demo::DEMO_MAP, "maps/demo-kanazawa.geojson").await?,
    };
    let items: Vec<(String, i64)> =
        loaded.scenario.seed.items.iter().map(|i| (i.get_ref().name.clone(), i.get_ref().stock)).collect();
    demo::seed_items(db, clock, (!items.is_empty()).then_some(&items[..])).await?;

    let zones = ZoneSet::load(db).await?.current();
    let yesterday = stamp(clock.now() - Duration::days(1));
    for call in &loaded.scenario.seed.needs {
        let mut form = call.get_ref().to_form();
        form.received_at = Some(yesterday.clone());
        let Intake::Saved(need) =
            crate::needs::intake::receive(db, clock, &zones, &inject::actor(), &super::calls::CallSlips, form).await?
        else {
            unreachable!("entered with force_new")
        };
        // Left from earlier days: surveyed or not, they wait for a team.
        let patch = NeedPatch { version: Some(need.version), status: Some(Status::Waiting), ..NeedPatch::default() };
        crate::needs::edit::edit(db, clock, &zones, &inject::actor(), &TeamsOnNeeds, need.id, patch).await?;
    }
    Ok(())
}

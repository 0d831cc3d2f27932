//! Starting another drill from the trainer's page: the scenarios beside the
//! current one, and the request that makes the drill server start over on a
//! fresh database file with the chosen scenario (the staff and their
//! sessions come along, so nobody logs in again).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;
use tokio::sync::Notify;

use super::check;

/// The scenario the server should start next, once asked.
#[derive(Default)]
pub struct NextDrill {
    file: Mutex<Option<PathBuf>>,
    asked: Notify,
}

impl NextDrill {
    pub fn ask(&self, file: PathBuf) {
        *self.file.lock().expect("next drill") = Some(file);
        self.asked.notify_one();
    }

    /// Resolves once a new drill is asked for.
    pub async fn asked(&self) {
        self.asked.notified().await
    }

    pub fn take(&self) -> Option<PathBuf> {
        self.file.lock().expect("next drill").take()
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Available {
    /// The file's name in the scenario folder: `rain-day3.toml`.
    pub file: String,
    pub id: Option<String>,
    pub title: Option<String>,
    /// Problems `drill check` finds (0: it can run).
    pub problems: usize,
}

/// The scenarios in `dir`, checked, by file name.
pub fn available(dir: &Path) -> Vec<Available> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut found: Vec<Available> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .filter_map(|path| {
            let file = path.file_name()?.to_str()?.to_string();
            let text = super::setup::read(&path).ok()?;
            Some(match check::check(&text, &path) {
                Ok(s) => Available { file, id: Some(s.id), title: Some(s.title), problems: 0 },
                Err(problems) => Available { file, id: None, title: None, problems: problems.len() },
            })
        })
        .collect();
    found.sort_by(|a, b| a.file.cmp(&b.file));
    found
}

/// A file name of `dir` that can run; nothing outside the folder.
pub fn choose(dir: &Path, name: &str) -> Option<PathBuf> {
    let plain = !name.is_empty() && !name.contains(['/', '\\']) && name != ".." && name.ends_with(".toml");
    plain
        .then(|| dir.join(name))
        .filter(|path| available(dir).iter().any(|a| a.file == name && a.problems == 0 && path.is_file()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_runnable_scenario_of_the_folder_is_chosen() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("drills");
        let names: Vec<String> = available(&dir).into_iter().filter(|a| a.problems == 0).map(|a| a.file).collect();
        assert!(names.contains(&"rain-day3.toml".to_string()) && names.contains(&"earthquake-day1.toml".to_string()));
        assert!(choose(&dir, "rain-day3.toml").is_some());
        assert!(choose(&dir, "../Cargo.toml").is_none());
        assert!(choose(&dir, "missing.toml").is_none());
        assert!(choose(&dir, "README.md").is_none());
    }
}

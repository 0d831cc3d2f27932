//! A throwaway PostgreSQL cluster for one test: `initdb` in a temp dir, the
//! server on a Unix socket in that dir (no port to race for), stopped and
//! removed on drop (also when the test panics).
//!
//! The binaries come from Debian's `postgresql` package
//! (`/usr/lib/postgresql/<version>/bin`, the newest), else `pg_config
//! --bindir`, else `PATH`. PostgreSQL refuses to run as root, so as root the
//! cluster belongs to `nobody` (commands through `runuser`). Without
//! PostgreSQL the test is skipped with a loud notice, except under CI, where
//! it fails (`.ci/run` installs the package).

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Cluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    run_as: Option<&'static str>,
}

/// The user the cluster runs as when the tests run as root.
const UNPRIVILEGED: &str = "nobody";
/// The superuser `initdb` makes, and the database tests use.
const USER: &str = "hub";

impl Cluster {
    /// A running cluster, or `None` (after a loud notice) where PostgreSQL is
    /// not installed and `CI` is unset.
    pub fn start() -> Option<Cluster> {
        let Some(bin) = find_bin() else {
            if std::env::var_os("CI").is_some() {
                panic!("CI is set but PostgreSQL is missing: .ci/run must install Debian's `postgresql` package");
            }
            eprintln!(
                "\n!!! SKIPPED hub test: PostgreSQL not found (apt-get install postgresql). CI never skips. !!!\n"
            );
            return None;
        };
        let dir = tempfile::Builder::new().prefix("borasen-pg-").tempdir().expect("a temp dir");
        let run_as = is_root().then_some(UNPRIVILEGED);
        if run_as.is_some() {
            // The unprivileged owner must be able to make the data dir and the socket here.
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        }
        let cluster = Cluster { bin, dir, run_as };
        let data = cluster.data_dir();
        cluster.run(
            "initdb",
            &["-D", path(&data), "-U", USER, "-A", "trust", "-E", "UTF8", "--locale", "C.UTF-8", "--no-sync"],
        );
        let socket_dir = cluster.dir.path().to_path_buf();
        let options = format!(
            "-k {} -c listen_addresses='' -c fsync=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=32MB",
            path(&socket_dir)
        );
        let log = cluster.dir.path().join("postgres.log");
        cluster.run("pg_ctl", &["-D", path(&data), "-o", &options, "-l", path(&log), "-w", "-t", "60", "start"]);
        Some(cluster)
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A new empty database on this cluster; its URL for `borasen hub --database`.
    pub fn database(&self, name: &str) -> String {
        self.run("createdb", &["-h", path(self.dir.path()), "-U", USER, name]);
        self.url(name)
    }

    pub fn url(&self, name: &str) -> String {
        format!("postgres://{USER}@localhost/{name}?host={}", self.dir.path().display())
    }

    fn run(&self, program: &str, args: &[&str]) {
        let program = self.bin.join(program);
        let mut command = match self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&program);
                c
            }
            None => Command::new(&program),
        };
        // initdb and pg_ctl look for files relative to the working dir: one the user may enter.
        let output = command.args(args).current_dir(self.dir.path()).output().expect("PostgreSQL's tools run");
        if !output.status.success() {
            let log = std::fs::read_to_string(self.dir.path().join("postgres.log")).unwrap_or_default();
            panic!(
                "{} {args:?} failed:\n{}\n{}\n{log}",
                program.display(),
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data_dir();
        let program = self.bin.join("pg_ctl");
        let args = ["-D", path(&data), "-m", "immediate", "-w", "stop"];
        let _ = match self.run_as {
            Some(user) => Command::new("runuser").args(["-u", user, "--"]).arg(&program).args(args).output(),
            None => Command::new(&program).args(args).output(),
        };
        // The temp dir (data, socket, log) goes with `self.dir`.
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The directory holding `initdb` and `pg_ctl`.
fn find_bin() -> Option<PathBuf> {
    let mut debian: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    debian.sort();
    if let Some((_, bin)) = debian.pop() {
        return Some(bin);
    }
    if let Ok(output) = Command::new("pg_config").arg("--bindir").output()
        && output.status.success()
    {
        let bin = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        if bin.join("initdb").is_file() {
            return Some(bin);
        }
    }
    std::env::var_os("PATH")?.to_str()?.split(':').map(PathBuf::from).find(|dir| dir.join("initdb").is_file())
}

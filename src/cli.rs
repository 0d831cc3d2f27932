//! The command line: `serve`, `users add`, `backup`, `zones`, `addresses`, `drill check`. Each setting comes from its
//! flag, else its `BORASEN_*` environment variable, else the default.

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::auth::{Role, password, users};
use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::events::{Actor, EventBus};
use crate::i18n::Lang;
use crate::startup::{Application, shutdown_signal};
use crate::zones::address::{self, AddressKind, Imported};

#[derive(Parser)]
#[command(
    name = "borasen",
    version,
    about = "災害ボランティアセンター運営システム / disaster volunteer center operations"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once at start: the size of `serve`'s flags does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// センターを起動する / run the center
    Serve(ServeArgs),
    /// 利用者の管理 / staff accounts
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// データベースのバックアップを作る / write a consistent copy of the database
    Backup(BackupArgs),
    /// 地区（GeoJSON）の確認と取り込み / check and import zone files
    Zones {
        #[command(subcommand)]
        command: ZonesCommand,
    },
    /// 住所データ（位置参照情報・町丁目→地区）の確認と取り込み / check and import address tables
    Addresses {
        #[command(subcommand)]
        command: AddressesCommand,
    },
    /// ボランティア募集ハブ（PostgreSQL）を起動する / run the hub (PostgreSQL): volunteers register and book from home
    Hub(crate::hub::cli::HubArgs),
    /// 訓練シナリオ / drill scenarios
    Drill {
        #[command(subcommand)]
        command: DrillCommand,
    },
}

#[derive(Subcommand)]
enum DrillCommand {
    /// シナリオを確認する（行と項目ごとに問題を示し、何も実行しません）/ check a scenario; runs nothing
    Check {
        /// drills/*.toml
        file: PathBuf,
    },
    /// 無人で実行し、事後検証報告書（AAR）を書く / run unattended and write the after-action report
    Run {
        /// drills/*.toml
        file: PathBuf,
        /// できるだけ速く（仮想時計を1分ずつ進める）/ as fast as possible, a drill minute at a time
        #[arg(long)]
        fast: bool,
        /// 自動操縦が訓練生の役をする / the autopilot plays the trainees
        #[arg(long)]
        autopilot: bool,
        /// 出力フォルダ（訓練DBとAAR）/ folder for the drill database and the AAR
        #[arg(long, default_value = "drill-runs")]
        out: PathBuf,
        /// 自動操縦の技量: good（熟練）、average（標準）、poor（不慣れ）/ how well the autopilot plays: its pace and slips
        #[arg(long, default_value = "good", value_parser = ["good", "average", "poor"])]
        autopilot_skill: String,
        /// 警報などへの反応時間（分、0〜1440。既定は技量による）/ autopilot's reaction to warnings and reports, minutes (0–1440; default: the skill's)
        #[arg(long, value_parser = clap::value_parser!(i64).range(0..=1440))]
        reaction_minutes: Option<i64>,
        /// 受付の窓口数（1〜100。既定は技量による）/ reception desks the autopilot staffs (1–100; default: the skill's)
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100))]
        desks: Option<u32>,
    },
}

#[derive(Subcommand)]
enum AddressesCommand {
    /// 住所ファイルを確認する（何も変更しません）/ check an address file; changes nothing
    Check {
        /// CSV (UTF-8 または Shift_JIS) / CSV, UTF-8 or Shift_JIS
        file: PathBuf,
        #[command(flatten)]
        kind: AddressKindArg,
        /// 問題の行を飛ばした場合の結果を示す / report as if bad rows were skipped
        #[arg(long)]
        skip_bad_rows: bool,
        /// 町丁目→地区の地区名をこのデータフォルダの地区と照合する / check towns' zones against this data folder
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// 住所ファイルを確認し、問題がなければ表を置き換える / check, then replace the table
    Import {
        file: PathBuf,
        #[command(flatten)]
        kind: AddressKindArg,
        /// 問題の行を飛ばして残りを取り込む / import the good rows, report and skip the bad ones
        #[arg(long)]
        skip_bad_rows: bool,
        #[command(flatten)]
        data: DataArg,
    },
}

#[derive(Args)]
struct AddressKindArg {
    /// mlit: 位置参照情報（街区レベル）/ towns: 町丁目,地区
    #[arg(long, value_enum)]
    kind: KindArg,
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Mlit,
    Towns,
}

impl From<KindArg> for AddressKind {
    fn from(k: KindArg) -> AddressKind {
        match k {
            KindArg::Mlit => AddressKind::Mlit,
            KindArg::Towns => AddressKind::Towns,
        }
    }
}

#[derive(Subcommand)]
enum ZonesCommand {
    /// 地区ファイルを確認する（何も変更しません）/ check a zone file; changes nothing
    Check {
        /// GeoJSON FeatureCollection
        file: PathBuf,
        #[command(flatten)]
        names: NamePropertyArg,
    },
    /// 地区ファイルを確認し、問題がなければ地区を置き換える / check, then replace the zone set
    Import {
        file: PathBuf,
        #[command(flatten)]
        names: NamePropertyArg,
        #[command(flatten)]
        data: DataArg,
        /// 作業中（未完了のニーズ・活動中の班）の地区がなくなっても置き換える / replace even if zones with open needs or teams out are dropped
        #[arg(long)]
        replace: bool,
    },
}

#[derive(Args)]
struct NamePropertyArg {
    /// 地区名の入ったプロパティ（例: S_NAME、N03_004、ward_ja）/ the property holding each zone's name (e.g. S_NAME, N03_004, ward_ja)
    #[arg(long, value_name = "KEY", default_value = crate::zones::DEFAULT_NAME_PROPERTY)]
    name_property: String,
}

#[derive(Args)]
struct DataArg {
    /// データフォルダ / data folder (holds borasen.sqlite)
    #[arg(long, env = "BORASEN_DATA", default_value = "./borasen-data")]
    data: PathBuf,
}

#[derive(Args)]
struct ServeArgs {
    /// 待ち受けアドレス（既定 0.0.0.0:8080、--tls では 0.0.0.0:8443）/ address to listen on (default 0.0.0.0:8080; 0.0.0.0:8443 with --tls)
    #[arg(long, env = "BORASEN_ADDR")]
    addr: Option<SocketAddr>,
    #[command(flatten)]
    tls: TlsArgs,
    #[command(flatten)]
    data: DataArg,
    /// デモ用のセンターを用意する / seed a demo center into an empty data folder
    #[arg(long, env = "BORASEN_DEMO")]
    demo: bool,
    /// ログインの有効時間（時間）/ session lifetime in hours
    #[arg(long, env = "BORASEN_SESSION_HOURS", default_value_t = 12)]
    session_hours: u64,
    /// 背景地図のMBTilesファイル / MBTiles file of raster base-map tiles
    #[arg(long, env = "BORASEN_TILES")]
    tiles: Option<PathBuf>,
    /// 訓練シナリオを専用のデータベースで実行する / run this drill scenario on a database of its own
    #[arg(long, value_name = "FILE")]
    drill: Option<PathBuf>,
    /// 自動バックアップの間隔（分、0で無効）/ scheduled backup every N minutes, 0 = off
    #[arg(long, env = "BORASEN_BACKUP_MINUTES", default_value_t = 60)]
    backup_minutes: u64,
    /// 同時接続数の上限 / connections held at once
    #[arg(long, env = "BORASEN_MAX_CONNECTIONS", default_value_t = 4096)]
    max_connections: usize,
    /// 1台（1アドレス）あたりの同時接続数 / connections per client address
    #[arg(long, env = "BORASEN_MAX_CONNECTIONS_PER_ADDRESS", default_value_t = 128)]
    max_connections_per_address: usize,
    /// ロビー画面（ログイン不要）の同時接続数 / lobby screens at once
    #[arg(long, env = "BORASEN_LOBBY_SCREENS", default_value_t = 200)]
    lobby_screens: usize,
    /// 1台あたりのロビー画面数 / lobby screens per client address
    #[arg(long, env = "BORASEN_LOBBY_SCREENS_PER_ADDRESS", default_value_t = 4)]
    lobby_screens_per_address: usize,
    /// リクエストの見出し・待機中の接続の時間切れ（秒）/ seconds for a request's headers and for an idle connection
    #[arg(long, env = "BORASEN_HEADER_TIMEOUT_SECS", default_value_t = 15)]
    header_timeout_secs: u64,
    /// ハブのURL（予約の取り込みと実績の報告）/ the hub's URL: pull its bookings, report each day back
    #[arg(long, env = "BORASEN_HUB_URL", value_name = "URL", requires = "hub_key")]
    hub: Option<String>,
    /// ハブの管理者から受け取ったセンターのキー / this center's key, from the hub's admin
    #[arg(long, env = "BORASEN_HUB_KEY", value_name = "KEY", requires = "hub", hide_env_values = true)]
    hub_key: Option<String>,
    #[command(flatten)]
    first_settings: crate::settings::FirstSettingsArgs,
}

#[derive(Args)]
struct TlsArgs {
    /// HTTPS で提供する（タブレットのカメラに必要。ローカルCAを DATA/tls/ に作成）/ serve HTTPS with the center's own CA (tablets' cameras need it); BORASEN_TLS=1
    #[arg(long, env = "BORASEN_TLS", value_parser = clap::builder::BoolishValueParser::new())]
    tls: bool,
    /// --tls のとき、HTTPへのリダイレクトと /setup 用のアドレス / with --tls: plain-HTTP address for /setup and redirects
    #[arg(long, env = "BORASEN_HTTP_ADDR", default_value = "0.0.0.0:8080")]
    http_addr: SocketAddr,
    /// 証明書に加える名前（DNS名かIPアドレス、繰り返し可）/ another name for the certificate (DNS name or IP; repeatable)
    #[arg(long = "tls-name", value_name = "NAME", env = "BORASEN_TLS_NAMES", value_delimiter = ',')]
    tls_names: Vec<String>,
    /// ローカルCAの代わりに使う証明書（PEM、中間証明書を含めてよい）/ your own certificate chain (PEM) instead of the local CA's
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// --tls-cert の秘密鍵（PEM）/ the private key of --tls-cert (PEM)
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
}

impl TlsArgs {
    /// `None` without `--tls` (the certificate flags alone turn it on too).
    fn settings(self) -> Result<Option<crate::config::TlsSettings>, String> {
        if !self.tls && self.tls_cert.is_none() {
            return Ok(None);
        }
        let mut settings = crate::config::TlsSettings::new(self.http_addr);
        settings.extra_names = self
            .tls_names
            .iter()
            .filter(|name| !name.trim().is_empty())
            .map(|name| crate::tls::names::Name::parse(name))
            .collect::<Result<_, _>>()?;
        settings.own_cert = self.tls_cert.zip(self.tls_key).map(|(cert, key)| crate::config::OwnCert { cert, key });
        Ok(Some(settings))
    }
}

/// Without `--addr`: 8080 for plain HTTP, 8443 for HTTPS (8080 then redirects).
fn default_addr(tls: bool) -> SocketAddr {
    SocketAddr::from(([0, 0, 0, 0], if tls { 8443 } else { 8080 }))
}

#[derive(Subcommand)]
enum UsersCommand {
    /// 利用者を追加する（パスワードは表示されます）/ add a user (a password is generated and printed)
    Add {
        /// ユーザー名 / username
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// 表示名 / display name
        #[arg(long)]
        display_name: Option<String>,
        /// パスワードを標準入力の1行目から読む / read the password from the first line of stdin
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        data: DataArg,
    },
}

#[derive(Args)]
struct BackupArgs {
    /// 保存先フォルダ / folder to write into (default: DATA/backups)
    #[arg(long)]
    to: Option<PathBuf>,
    #[command(flatten)]
    data: DataArg,
}

#[derive(Clone, Copy, ValueEnum)]
enum RoleArg {
    Admin,
    Coordinator,
    Reception,
    Trainer,
    Evaluator,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Admin => Role::Admin,
            RoleArg::Coordinator => Role::Coordinator,
            RoleArg::Reception => Role::Reception,
            RoleArg::Trainer => Role::Trainer,
            RoleArg::Evaluator => Role::Evaluator,
        }
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("エラー / error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("BORASEN_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
}

async fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Serve(args) => serve(args).await,
        Command::Hub(args) => crate::hub::run(args).await,
        Command::Users { command: UsersCommand::Add { name, role, display_name, password_stdin, data } } => {
            add_user(data.data, name, role.into(), display_name, password_stdin).await
        }
        Command::Zones { command } => zones(command).await,
        Command::Addresses { command } => addresses(command).await,
        Command::Drill { command: DrillCommand::Check { file } } => drill_check(&file),
        Command::Drill {
            command: DrillCommand::Run { file, fast, autopilot, out, autopilot_skill, reaction_minutes, desks },
        } => {
            use crate::drill::autopilot_skill::Skill;
            let mut profile = Skill::parse(&autopilot_skill).unwrap_or_default().profile();
            if let Some(minutes) = reaction_minutes {
                profile.pace.reaction = chrono::Duration::try_minutes(minutes.clamp(0, 1440)).unwrap_or_default();
            }
            if let Some(desks) = desks {
                profile.pace.desks = desks.clamp(1, 100);
            }
            drill_run(crate::drill::unattended::Options { file, out: Some(out), fast, autopilot, profile }).await
        }
        Command::Backup(args) => {
            let config = Config::new(args.data.data);
            let dir = args.to.unwrap_or_else(|| config.backup_dir());
            let clock = Clock::system(config.utc_offset);
            let sources = crate::backup::Sources { database: config.database_path(), tls: config.tls_dir() };
            let path = crate::backup::write_center(&sources, &dir, &clock).await.map_err(|e| e.to_string())?;
            println!("{}", path.display());
            Ok(())
        }
    }
}

/// Runs a scenario unattended with a progress bar on the terminal.
async fn drill_run(options: crate::drill::unattended::Options) -> Result<(), String> {
    let file = options.file.clone();
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} 分 / drill minutes ({elapsed})")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.set_message(format!("訓練 {}", file.display()));
    let report = crate::drill::unattended::run(options, |done, total| {
        bar.set_length(total.max(0) as u64);
        bar.set_position(done.clamp(0, total.max(0)) as u64);
    })
    .await;
    bar.finish_and_clear();
    let report = report?;
    println!("{}", crate::drill::unattended::describe(&report, &file));
    Ok(())
}

/// Every problem as `FILE:LINE: field: message`, Japanese then English.
fn drill_check(file: &std::path::Path) -> Result<(), String> {
    let text = crate::drill::setup::read(file)?;
    match crate::drill::check::check(&text, file) {
        Ok(scenario) => {
            println!(
                "{}: 問題ありません（インジェクト {} 件、目標 {} 件）/ OK, {} injects, {} objectives",
                file.display(),
                scenario.injects.len(),
                scenario.objectives.len(),
                scenario.injects.len(),
                scenario.objectives.len()
            );
            // Warnings do not fail the check: the drill runs, and reports the same.
            for w in crate::drill::check_warnings::warnings(crate::drill::check::strip_bom(&text), &scenario) {
                let field = if w.field.is_empty() { String::new() } else { format!("{}: ", w.field) };
                println!("{}:{}: 警告 / warning: {field}{} / {}", file.display(), w.line, w.message.ja, w.message.en);
            }
            Ok(())
        }
        Err(problems) => {
            let lines: Vec<String> = problems
                .iter()
                .map(|p| {
                    let field = if p.field.is_empty() { String::new() } else { format!("{}: ", p.field) };
                    format!("{}:{}: {field}{} / {}", file.display(), p.line, p.message.ja, p.message.en)
                })
                .collect();
            Err(format!("{}\n{} 件の問題 / {} problems", lines.join("\n"), problems.len(), problems.len()))
        }
    }
}

async fn zones(command: ZonesCommand) -> Result<(), String> {
    let (file, names, data, replace) = match command {
        ZonesCommand::Check { file, names } => (file, names.name_property, None, false),
        ZonesCommand::Import { file, names, data, replace } => (file, names.name_property, Some(data.data), replace),
    };
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let checked = crate::zones::parse_named(&text, &names)
        .map_err(|e| format!("{}:\n{}\n{}", file.display(), e.text().ja, e.text().en))?;
    let Some(data) = data else {
        let (zones, roads) = (checked.zones.len(), checked.roads.len());
        println!(
            "{}: 問題ありません（地区 {zones} 件、道路 {roads} 本）/ OK, {zones} zones, {roads} roads",
            file.display()
        );
        return Ok(());
    };
    let config = Config::new(data);
    std::fs::create_dir_all(&config.data_dir).map_err(|e| e.to_string())?;
    let db = Db::open(&config.database_path(), EventBus::new(16), false).await.map_err(|e| e.to_string())?;
    let clock = Clock::system(config.utc_offset);
    let set = crate::zones::ZoneSet::default();
    let source = file.display().to_string();
    let upload = crate::zones::Upload { text, name_property: names, source, confirmed: replace };
    let count = crate::zones::import(&db, &clock, &set, &Actor::cli(), upload).await;
    db.close().await;
    let count = count.map_err(|e| format!("{}\n{}", e.message.get(Lang::Ja), e.message.get(Lang::En)))?;
    println!(
        "地区 {count} 件を取り込みました（起動中のサーバーは再起動で反映）/ imported {count} zones (restart a running server to use them)"
    );
    Ok(())
}

async fn addresses(command: AddressesCommand) -> Result<(), String> {
    let (file, kind, skip_bad_rows) = match &command {
        AddressesCommand::Check { file, kind, skip_bad_rows, .. }
        | AddressesCommand::Import { file, kind, skip_bad_rows, .. } => {
            (file.clone(), kind.kind.into(), *skip_bad_rows)
        }
    };
    let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let what = |kind: AddressKind| match kind {
        AddressKind::Mlit => ("街区", "blocks"),
        AddressKind::Towns => ("町丁目", "towns"),
    };
    let skipped_lines = |imported: &Imported| {
        for skipped in imported.skipped.iter().take(address::LISTED_PROBLEMS) {
            println!("  飛ばした行 / skipped: {} / {}", skipped.reason.ja, skipped.reason.en);
        }
        if imported.skipped.len() > address::LISTED_PROBLEMS {
            println!(
                "  …ほか {} 行 / … and {} more",
                imported.skipped.len() - address::LISTED_PROBLEMS,
                imported.skipped.len() - address::LISTED_PROBLEMS
            );
        }
    };
    let data = match command {
        AddressesCommand::Check { data, .. } => {
            let zones = match data {
                Some(data) => Some(zone_names_in(&Config::new(data)).await?),
                None => None,
            };
            let checked = address::check(&bytes, kind, skip_bad_rows, zones.as_ref())
                .map_err(|e| format!("{}:\n{}", file.display(), e.text().ja))?;
            let (ja, en) = what(kind);
            let n = checked.count;
            println!(
                "{}: 問題ありません（{ja} {n} 件、飛ばす行 {} 行）/ OK, {n} {en}, {} line(s) to skip",
                file.display(),
                checked.skipped.len(),
                checked.skipped.len()
            );
            if zones.is_none() && kind == AddressKind::Towns {
                println!("  地区名は照合していません（--data で照合）/ zone names not checked (give --data)");
            }
            skipped_lines(&checked);
            return Ok(());
        }
        AddressesCommand::Import { data, .. } => data.data,
    };
    let config = Config::new(data);
    std::fs::create_dir_all(&config.data_dir).map_err(|e| e.to_string())?;
    let db = Db::open(&config.database_path(), EventBus::new(16), false).await.map_err(|e| e.to_string())?;
    let clock = Clock::system(config.utc_offset);
    let source = file.display().to_string();
    let imported = address::import(&db, &clock, &Actor::cli(), &bytes, kind, &source, skip_bad_rows)
        .await
        .map_err(|e| format!("{}:\n{}", file.display(), e.message.get(Lang::Ja)));
    db.close().await;
    let imported = imported?;
    let (ja, en) = what(kind);
    let (n, skipped) = (imported.count, imported.skipped.len());
    println!("{ja} {n} 件を取り込みました（飛ばした行 {skipped} 行）/ imported {n} {en}, skipped {skipped} line(s)");
    skipped_lines(&imported);
    Ok(())
}

/// The zone names of a data folder, read without changing it.
async fn zone_names_in(config: &Config) -> Result<std::collections::HashSet<String>, String> {
    let path = config.database_path();
    if !path.exists() {
        return Err(format!("{}: データベースがありません / no database", path.display()));
    }
    let options = crate::db::connect_options(&path).map_err(|e| e.to_string())?.read_only(true);
    let mut conn =
        <sqlx::SqliteConnection as sqlx::Connection>::connect_with(&options).await.map_err(|e| e.to_string())?;
    let names = crate::zones::zone_names(&mut conn).await.map_err(|e| e.to_string());
    let _ = sqlx::Connection::close(conn).await;
    names
}

async fn serve(args: ServeArgs) -> Result<(), String> {
    let mut config = Config::new(args.data.data);
    config.tls = args.tls.settings()?;
    config.addr = args.addr.unwrap_or_else(|| default_addr(config.tls.is_some()));
    config.demo = args.demo;
    config.tiles = args.tiles;
    config.session_ttl = Duration::from_secs(args.session_hours.max(1) * 3600);
    config.backup_every = (args.backup_minutes > 0).then(|| Duration::from_secs(args.backup_minutes * 60));
    // Passwords come only from the environment, never flags: flags show in `ps`.
    config.admin_password = std::env::var("BORASEN_ADMIN_PASSWORD").ok().filter(|p| !p.is_empty());
    config.demo_password = std::env::var("BORASEN_DEMO_PASSWORD").ok().filter(|p| !p.is_empty());
    config.drill = args.drill;
    config.max_connections = args.max_connections.max(1);
    config.max_connections_per_address = args.max_connections_per_address.max(1);
    config.lobby_screens = args.lobby_screens;
    config.lobby_screens_per_address = args.lobby_screens_per_address;
    config.header_timeout = Duration::from_secs(args.header_timeout_secs.clamp(1, 300));
    config.first_settings = args.first_settings.settings();
    config.hub = args.hub.zip(args.hub_key);
    // Ctrl-C or SIGTERM once, for this server and any drill it starts over into.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop.send(true);
    });
    loop {
        let app = Application::build(config.clone()).await.map_err(|e| e.to_string())?;
        crate::tls::banner::print(&app.state().reach);
        // Tests and scripts read these lines to find the ports; `listening` comes last.
        if let Some(http) = app.http_addr() {
            println!("borasen: redirecting http://{http}");
            println!("borasen: listening on https://{}", app.local_addr());
        } else {
            println!("borasen: listening on http://{}", app.local_addr());
        }
        // A new drill comes back on the same addresses.
        config.addr = app.local_addr();
        if let (Some(settings), Some(http)) = (config.tls.as_mut(), app.http_addr()) {
            settings.http_addr = http;
        }
        let next = app.state().next_drill.clone();
        let previous = app.state().db.is_drill().then(|| app.state().db.path().to_path_buf());
        let (asked, mut stopping) = (next.clone(), stopped.clone());
        app.run_until(async move {
            tokio::select! {
                _ = stopping.wait_for(|stop| *stop) => {}
                () = asked.asked() => {}
            }
        })
        .await
        .map_err(|e| e.to_string())?;
        match next.take() {
            Some(file) if !*stopped.borrow() => {
                println!("新しい訓練を始めます / starting a new drill: {}", file.display());
                config.drill = Some(file);
                config.drill_staff_from = previous;
            }
            _ => return Ok(()),
        }
    }
}

async fn add_user(
    data: PathBuf,
    username: String,
    role: Role,
    display_name: Option<String>,
    password_stdin: bool,
) -> Result<(), String> {
    let config = Config::new(data);
    std::fs::create_dir_all(&config.data_dir).map_err(|e| e.to_string())?;
    let db = Db::open(&config.database_path(), EventBus::new(16), false).await.map_err(|e| e.to_string())?;
    let clock = Clock::system(config.utc_offset);
    let (password, generated) = if password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(|e| e.to_string())?;
        (line.trim_end_matches(['\r', '\n']).to_string(), false)
    } else {
        (password::generate(), true)
    };
    let new = users::NewUser { username, display_name, role, password: password.clone() };
    let user = users::create(&db, &clock, &Actor::cli(), new).await.map_err(|e| e.message.get(Lang::Ja).to_string())?;
    db.close().await;
    println!(
        "利用者「{}」（{}）を作成しました / created user '{}' ({})",
        user.username,
        role.label_ja(),
        user.username,
        role.as_str()
    );
    if generated {
        println!("パスワード / password: {password}");
    }
    Ok(())
}

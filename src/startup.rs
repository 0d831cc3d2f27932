//! Building and running the server. `Application::build` binds the port it is
//! given — port 0 in tests — so the tests run the real thing.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::app;
use crate::auth::throttle::LoginThrottle;
use crate::auth::{Role, password, users};
use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::events::{Actor, EventBus};
use crate::rate_limit::RateLimiter;
use crate::settings;
use crate::state::AppState;
use crate::tls::reach::{CaCert, Reach};
use crate::zones::ZoneSet;
use crate::{backup, demo, drill, net, tls};

pub struct Application {
    /// HTTPS with `--tls`, else plain HTTP.
    listener: TcpListener,
    /// With `--tls`: the certificate setup and the plain port beside HTTPS.
    https: Option<(tls::Https, TcpListener)>,
    state: AppState,
    shutdown: watch::Sender<bool>,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("データフォルダ {path} を作成できません / cannot create the data folder: {source}")]
    DataDir { path: String, source: std::io::Error },
    #[error("データベースを開けません / cannot open the database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{addr} で待ち受けできません / cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("初期設定に失敗しました / setup failed: {0}")]
    Setup(String),
    #[error("HTTPSを準備できません / cannot set up HTTPS: {0}")]
    Tls(#[from] tls::TlsError),
}

impl Application {
    /// Opens the data, makes the first admin if there are no users, seeds the
    /// demo if asked, and binds the port. Serving starts with [`Application::run_until`].
    pub async fn build(config: Config) -> Result<Application, StartError> {
        if config.drill.is_some() {
            std::fs::create_dir_all(&config.data_dir)
                .map_err(|source| StartError::DataDir { path: config.data_dir.display().to_string(), source })?;
            return Application::build_drill(config, None).await;
        }
        let clock = Clock::system(config.utc_offset);
        Application::build_with_clock(config, clock).await
    }

    /// As [`Application::build`], on a given clock (tests move a manual one).
    pub async fn build_with_clock(config: Config, clock: Clock) -> Result<Application, StartError> {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|source| StartError::DataDir { path: config.data_dir.display().to_string(), source })?;
        if config.drill.is_some() {
            return Application::build_drill(config, Some(clock)).await;
        }
        let db = Db::open(&config.database_path(), EventBus::new(config.event_buffer), false).await?;
        ensure_first_admin(&db, &clock, &config).await?;
        settings::first_start(&db, &clock, &config.first_settings).await.map_err(|e| {
            StartError::Setup(format!("{} {} ({})", e.field.unwrap_or_default(), e.message.ja, e.message.en))
        })?;
        if let Some((url, key)) = &config.hub {
            let input = crate::hub_link::LinkInput { url: url.clone(), key: Some(key.clone()) };
            crate::hub_link::configure(&db, &clock, &Actor::system(), input)
                .await
                .map_err(|e| StartError::Setup(format!("--hub: {} ({})", e.message.ja, e.message.en)))?;
        }
        if config.demo {
            demo::seed_if_empty(&db, &clock, config.demo_password.as_deref())
                .await
                .map_err(|e| StartError::Setup(format!("{e:?}")))?;
        }
        Application::assemble(config, db, clock, None).await
    }

    /// `serve --drill FILE`: a new database file under `DATA/drills/`, never the
    /// live one, seeded from the scenario; the drill's clock unless one is given.
    async fn build_drill(mut config: Config, clock: Option<Clock>) -> Result<Application, StartError> {
        let file = config.drill.clone().expect("a drill server");
        let loaded = drill::setup::load(&file).map_err(StartError::Setup)?;
        let path = drill::setup::new_database_path(&config.data_dir, &loaded.scenario)
            .map_err(|source| StartError::DataDir { path: config.data_dir.display().to_string(), source })?;
        let clock = clock.unwrap_or_else(|| drill::setup::clock(&loaded.scenario));
        let db = Db::open(&path, EventBus::new(config.event_buffer), true).await?;
        // The scheduled backup copies the live file; a drill has none.
        config.backup_every = None;
        if let Some(previous) = config.drill_staff_from.take() {
            crate::auth::users::carry_over(&db, &clock, &previous)
                .await
                .map_err(|e| StartError::Setup(e.message.ja.to_string()))?;
        }
        ensure_first_admin(&db, &clock, &config).await?;
        drill::setup::seed(&db, &clock, &loaded, config.demo_password.as_deref())
            .await
            .map_err(|e| StartError::Setup(e.message.ja.to_string()))?;
        println!("訓練用データベース / drill database: {}", path.display());
        Application::assemble(config, db, clock, Some(loaded)).await
    }

    async fn assemble(
        config: Config,
        db: Db,
        clock: Clock,
        drill: Option<drill::setup::Loaded>,
    ) -> Result<Application, StartError> {
        let zones = Arc::new(ZoneSet::load(&db).await?);
        let tiles = match &config.tiles {
            Some(path) => Some(crate::zones::tiles::open(path).await.map_err(|e| {
                StartError::Setup(format!(
                    "地図タイル {} を開けません / cannot open the tile file: {e}",
                    path.display()
                ))
            })?),
            None => None,
        };
        let listener = bind(config.addr).await?;
        let https = match &config.tls {
            Some(settings) => Some((tls::prepare(&config, settings)?, bind(settings.http_addr).await?)),
            None => None,
        };
        let reach = Arc::new(reach(&listener, &https));
        let (shutdown, shutdown_rx) = watch::channel(false);
        let config = Arc::new(config);
        let drill = drill.map(|loaded| {
            let env =
                drill::env::Env { db: db.clone(), clock: clock.clone(), config: config.clone(), zones: zones.clone() };
            let file = loaded.file.display().to_string();
            Arc::new(drill::run::DrillRun::new(env, loaded.scenario, loaded.text, file))
        });
        let cuts_boards = drill.clone().map(drill::outage::BoardCuts::of);
        let hub_link =
            Arc::new(if drill.is_some() { crate::hub_link::Link::in_drill() } else { crate::hub_link::Link::live() });
        let state = AppState {
            cuts_boards,
            db,
            clock,
            throttle: Arc::new(LoginThrottle::default()),
            shutdown: shutdown_rx,
            openapi_json: Arc::new(OnceLock::new()),
            stats: Arc::default(),
            public_limiter: Arc::new(RateLimiter::new(config.public_rate_limit, config.public_rate_window)),
            zones,
            tiles,
            lobby_screens: net::Budget::new(config.lobby_screens, config.lobby_screens_per_address),
            lobby: Arc::default(),
            config,
            drill,
            next_drill: Arc::default(),
            intake: Arc::new(drill::calls::CallSlips),
            teams_on_needs: Arc::new(crate::dispatch::send_out::TeamsOnNeeds),
            reach,
            hub_link,
        };
        Ok(Application { listener, https, state, shutdown })
    }

    /// The main port: HTTPS with `--tls`, else plain HTTP.
    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    /// With `--tls`, the plain-HTTP port beside HTTPS.
    pub fn http_addr(&self) -> Option<SocketAddr> {
        self.https.as_ref().map(|(_, http)| http.local_addr().expect("a bound listener has an address"))
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `stop` resolves, then closes websockets, finishes requests
    /// in flight, and closes the database.
    pub async fn run_until(self, stop: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let Application { listener, https, state, shutdown } = self;
        let backups = state.config.backup_every.map(|every| {
            tokio::spawn(backup::every(
                backup::Sources { database: state.config.database_path(), tls: state.config.tls_dir() },
                state.config.backup_dir(),
                state.clock.clone(),
                every,
            ))
        });
        let db = state.db.clone();
        let checkpoints = match db.checkpoint_in_background().await {
            Ok(task) => Some(task),
            Err(error) => {
                tracing::warn!(%error, "background checkpoints unavailable; SQLite checkpoints on commit instead");
                None
            }
        };
        let overdue = Some(crate::dispatch::overdue::run_in_background(db.clone(), state.clock.clone()));
        let drill_steps = state.drill.clone().map(|run| tokio::spawn(drill::ticker::run(run)));
        let hub_sync = crate::hub_link::start(db.clone(), state.clock.clone(), state.hub_link.clone());
        let mut stopping = state.shutdown.clone();
        let stop = async move {
            stop.await;
            tracing::info!("shutting down");
            let _ = shutdown.send(true);
        };
        let config = state.config.clone();
        // Room for the database, backups and logs beside the connections.
        let descriptors = net::raise_open_file_limit().map(|limit| usize::try_from(limit.saturating_sub(256)));
        let total = match descriptors {
            Some(Ok(limit)) => config.max_connections.min(limit.max(16)),
            _ => config.max_connections,
        };
        let budget = net::Budget::new(total, config.max_connections_per_address);
        let renewal = match https {
            None => {
                let incoming = net::accept_tcp(listener, budget);
                net::serve(incoming, net::Scheme("http"), app::router(state), config.header_timeout, stop).await;
                None
            }
            Some((https, http)) => {
                let renewal = https.renewal.map(|renewal| tokio::spawn(renewal.run()));
                let plain = net::serve(
                    net::accept_tcp(http, budget.clone()),
                    net::Scheme("http"),
                    tls::http_port::router(state.clone()),
                    config.header_timeout,
                    async move {
                        let _ = stopping.wait_for(|stop| *stop).await;
                    },
                );
                let incoming = tls::listener::accept_tls(listener, https.server_config, budget);
                let secure =
                    net::serve(incoming, net::Scheme("https"), app::router(state), config.header_timeout, stop);
                tokio::join!(secure, plain);
                renewal
            }
        };
        for task in [backups, checkpoints, overdue, drill_steps, renewal, hub_sync].into_iter().flatten() {
            task.abort();
        }
        db.close().await;
        Ok(())
    }
}

async fn bind(addr: SocketAddr) -> Result<TcpListener, StartError> {
    TcpListener::bind(addr).await.map_err(|source| StartError::Bind { addr, source })
}

/// What `/setup` and the banner say about reaching the center, once the ports are bound.
fn reach(listener: &TcpListener, https: &Option<(tls::Https, TcpListener)>) -> Reach {
    let addr = listener.local_addr().expect("a bound listener has an address");
    match https {
        None => Reach::plain(addr),
        Some((https, http)) => {
            let http = http.local_addr().expect("a bound listener has an address");
            Reach::https(addr, http, https.ca.as_deref().map(CaCert::from))
        }
    }
}

/// On first start there are no users: make `admin` and say its password once.
async fn ensure_first_admin(db: &Db, clock: &Clock, config: &Config) -> Result<(), StartError> {
    if users::count(&db.read).await? > 0 {
        return Ok(());
    }
    let (password, generated) = match &config.admin_password {
        Some(p) => (p.clone(), false),
        None => (password::generate(), true),
    };
    let new = users::NewUser {
        username: "admin".into(),
        display_name: Some("管理者".into()),
        role: Role::Admin,
        password: password.clone(),
    };
    users::create(db, clock, &Actor::system(), new)
        .await
        .map_err(|e| StartError::Setup(e.message.get(crate::i18n::Lang::En).to_string()))?;
    if generated {
        println!("初回起動: 管理者ユーザー「admin」を作成しました。パスワード: {password}");
        println!("First start: created user 'admin' with password: {password}");
        println!("（この表示は一度だけです。控えてください / shown only once: write it down）");
    }
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

//! Building and running the server. `Application::build` binds the port it is
//! given — port 0 in tests — so the tests run the real thing.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::app::{self, AppState};
use crate::auth::throttle::LoginThrottle;
use crate::auth::{Role, password, users};
use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::events::{Actor, EventBus};
use crate::rate_limit::RateLimiter;
use crate::zones::ZoneSet;
use crate::{backup, demo};

pub struct Application {
    listener: TcpListener,
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
}

impl Application {
    /// Opens the data, makes the first admin if there are no users, seeds the
    /// demo if asked, and binds the port. Serving starts with [`Application::run_until`].
    pub async fn build(config: Config) -> Result<Application, StartError> {
        let clock = Clock::system(config.utc_offset);
        Application::build_with_clock(config, clock).await
    }

    /// As [`Application::build`], on a given clock (tests move a manual one).
    pub async fn build_with_clock(config: Config, clock: Clock) -> Result<Application, StartError> {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|source| StartError::DataDir { path: config.data_dir.display().to_string(), source })?;
        let db = Db::open(&config.database_path(), EventBus::new(config.event_buffer), false).await?;
        ensure_first_admin(&db, &clock, &config).await?;
        if config.demo {
            demo::seed_if_empty(&db, &clock, config.demo_password.as_deref())
                .await
                .map_err(|e| StartError::Setup(format!("{e:?}")))?;
        }
        let zones = ZoneSet::load(&db).await?;
        let tiles = match &config.tiles {
            Some(path) => Some(crate::zones::tiles::open(path).await.map_err(|e| {
                StartError::Setup(format!(
                    "地図タイル {} を開けません / cannot open the tile file: {e}",
                    path.display()
                ))
            })?),
            None => None,
        };
        let listener =
            TcpListener::bind(config.addr).await.map_err(|source| StartError::Bind { addr: config.addr, source })?;
        let (shutdown, shutdown_rx) = watch::channel(false);
        let state = AppState {
            db,
            clock,
            throttle: Arc::new(LoginThrottle::default()),
            shutdown: shutdown_rx,
            openapi_json: Arc::new(OnceLock::new()),
            stats: Arc::default(),
            public_limiter: Arc::new(RateLimiter::new(config.public_rate_limit, config.public_rate_window)),
            zones: Arc::new(zones),
            tiles,
            lobby: Arc::default(),
            config: Arc::new(config),
        };
        Ok(Application { listener, state, shutdown })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `stop` resolves, then closes websockets, finishes requests
    /// in flight, and closes the database.
    pub async fn run_until(self, stop: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let Application { listener, state, shutdown } = self;
        let backups = state.config.backup_every.map(|every| {
            tokio::spawn(backup::every(
                state.config.database_path(),
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
        let router = app::router(state);
        let result = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async move {
                stop.await;
                tracing::info!("shutting down");
                let _ = shutdown.send(true);
            })
            .await;
        for task in [backups, checkpoints, overdue].into_iter().flatten() {
            task.abort();
        }
        db.close().await;
        result
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

//! Building and running one hub process: connect and migrate, make the first
//! admin, bind, then serve (plain HTTP behind a reverse proxy, or HTTPS with
//! `--tls-cert/--tls-key`) through the center's serve loop (`crate::net`),
//! with the LISTEN connection and the outbox senders beside it.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use tokio::net::TcpListener;

use super::config::HubConfig;
use super::db::HubDb;
use super::notify::Notices;
use super::state::HubState;
use super::{accounts, app, booking, mail};
use crate::clock::Clock;
use crate::{net, tls};

/// What `borasen hub` prints once it accepts connections, before its URL.
pub const LISTENING: &str = "borasen hub: listening on ";

pub struct HubApp {
    listener: TcpListener,
    tls: Option<Arc<rustls::ServerConfig>>,
    state: HubState,
}

impl HubApp {
    pub async fn build(config: HubConfig) -> Result<HubApp, String> {
        let tls = match &config.tls {
            Some(own) => Some(tls::own_server_config(own).map_err(|e| e.to_string())?),
            None => None,
        };
        let db = HubDb::open(&config.database_url, config.db_connections).await.map_err(|e| e.to_string())?;
        if let Some(first) = &config.first_admin {
            accounts::ensure_first_admin(&db, first).await?;
        }
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|e| format!("{} で待ち受けできません / cannot listen on {}: {e}", config.addr, config.addr))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        let public_url = config.public_url.clone().unwrap_or_else(|| format!("{scheme}://{addr}"));
        let sync_limiter =
            crate::rate_limit::RateLimiter::new(config.sync_per_minute as usize, std::time::Duration::from_secs(60));
        let state = HubState {
            db,
            sync_limiter: Arc::new(sync_limiter),
            clock: Clock::system(chrono::FixedOffset::east_opt(crate::clock::JST_SECONDS).expect("valid offset")),
            config: Arc::new(config),
            notices: Notices::default(),
            openapi_json: Arc::new(OnceLock::new()),
            public_url: public_url.into(),
            bookings: Arc::new(booking::book::BookingsForAccounts),
        };
        Ok(HubApp { listener, tls, state })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    pub fn state(&self) -> &HubState {
        &self.state
    }

    /// The URL this process answers on.
    pub fn url(&self) -> String {
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://{}", self.local_addr())
    }

    /// Serves until `stop` resolves, then drains requests in flight.
    pub async fn run_until(self, stop: impl Future<Output = ()> + Send + 'static) -> Result<(), String> {
        let HubApp { listener, tls, state } = self;
        let listening = state.notices.listen(&state.db);
        let senders = mail::worker::start(state.db.clone(), state.config.mail.clone(), &state.notices)?;
        let booking_jobs = booking::jobs::start(state.clone());
        let retention = accounts::retention::start(state.clone());
        let config = state.config.clone();
        let budget = net::Budget::new(config.max_connections, config.max_connections_per_address);
        let router = app::router(state.clone());
        match tls {
            None => {
                net::serve(net::accept_tcp(listener, budget), net::Scheme("http"), router, config.header_timeout, stop)
                    .await
            }
            Some(server_config) => {
                let incoming = tls::listener::accept_tls(listener, server_config, budget);
                net::serve(incoming, net::Scheme("https"), router, config.header_timeout, stop).await
            }
        }
        for task in senders.into_iter().chain([listening, booking_jobs, retention]) {
            task.abort();
        }
        state.db.close().await;
        Ok(())
    }
}

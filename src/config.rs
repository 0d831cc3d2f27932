//! Settings of one running center. The CLI fills them from flags, then `BORASEN_*`
//! environment variables, then these defaults.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use chrono::FixedOffset;

use crate::clock::JST_SECONDS;

#[derive(Clone, Debug)]
pub struct Config {
    pub addr: SocketAddr,
    /// Holds `borasen.sqlite`, `backups/` and `tls/`.
    pub data_dir: PathBuf,
    /// Seed a demo center (map, equipment, users) into an empty data dir.
    pub demo: bool,
    /// Password for the first `admin`; a random one is printed when absent.
    pub admin_password: Option<String>,
    /// Password given to the demo users; random ones are printed when absent.
    pub demo_password: Option<String>,
    pub session_ttl: Duration,
    pub ws_ping_interval: Duration,
    /// A websocket client that takes no message for this long is gone.
    pub ws_write_timeout: Duration,
    /// `None` turns the scheduled backup off.
    pub backup_every: Option<Duration>,
    pub utc_offset: FixedOffset,
    /// Live events buffered per subscriber before it counts as lagged and
    /// resumes from the table.
    pub event_buffer: usize,
    /// An MBTiles file of raster base-map tiles, served at `/tiles/{z}/{x}/{y}.png`.
    pub tiles: Option<PathBuf>,
    /// Public endpoints (pre-registration): requests per client address per window.
    pub public_rate_limit: usize,
    pub public_rate_window: Duration,
    /// `serve --drill FILE`: run this scenario on a database of its own.
    pub drill: Option<PathBuf>,
    /// A drill started from the trainer's page: the previous drill's database,
    /// whose staff and sessions carry over.
    pub drill_staff_from: Option<PathBuf>,
    /// HTTPS (`serve --tls`): `addr` speaks TLS and a plain port redirects to it.
    /// `None` serves plain HTTP on `addr`, as a center without tablets needs.
    pub tls: Option<TlsSettings>,
    /// How many connections the server holds at once, in all and per client
    /// address (a tablet's browser opens about six). Over it, new ones are closed.
    pub max_connections: usize,
    pub max_connections_per_address: usize,
    /// Lobby screens (`/ws/lobby`, no login) at once, in all and per address;
    /// over it, 503 with `Retry-After`. Staff boards are not counted here.
    pub lobby_screens: usize,
    pub lobby_screens_per_address: usize,
    /// A request's headers must arrive within this; an idle keep-alive
    /// connection is closed after it too.
    pub header_timeout: Duration,
    /// The settings a new center starts with (flags and `BORASEN_*`); once
    /// stored, the settings page wins (`settings::first_start`).
    pub first_settings: crate::settings::CenterSettings,
    /// `serve --hub URL --hub-key KEY`: stored as the link at start (the
    /// settings page can change it after); a drill server never syncs.
    pub hub: Option<(String, String)>,
}

/// `serve --tls` and its flags.
#[derive(Clone, Debug)]
pub struct TlsSettings {
    /// The plain-HTTP port: `/setup` and `/healthz` itself, a redirect to HTTPS for the rest.
    pub http_addr: SocketAddr,
    /// Names the certificate covers besides this machine's own (`--tls-name`).
    pub extra_names: Vec<crate::tls::names::Name>,
    /// The operator's certificate chain and key (PEM) instead of the local CA's.
    pub own_cert: Option<OwnCert>,
    /// How often the addresses are looked at again, for a new leaf when they changed.
    pub recheck_every: Duration,
}

#[derive(Clone, Debug)]
pub struct OwnCert {
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl TlsSettings {
    pub fn new(http_addr: SocketAddr) -> TlsSettings {
        TlsSettings { http_addr, extra_names: Vec::new(), own_cert: None, recheck_every: Duration::from_secs(30) }
    }
}

impl Config {
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Config {
            addr: SocketAddr::from(([0, 0, 0, 0], 8080)),
            data_dir: data_dir.into(),
            demo: false,
            admin_password: None,
            demo_password: None,
            session_ttl: Duration::from_secs(12 * 3600),
            ws_ping_interval: Duration::from_secs(20),
            ws_write_timeout: Duration::from_secs(10),
            backup_every: Some(Duration::from_secs(3600)),
            utc_offset: FixedOffset::east_opt(JST_SECONDS).expect("valid offset"),
            event_buffer: 1024,
            tiles: None,
            public_rate_limit: 30,
            public_rate_window: Duration::from_secs(600),
            drill: None,
            drill_staff_from: None,
            max_connections: 4096,
            max_connections_per_address: 128,
            lobby_screens: 200,
            lobby_screens_per_address: 4,
            header_timeout: Duration::from_secs(15),
            tls: None,
            first_settings: crate::settings::CenterSettings::default(),
            hub: None,
        }
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("borasen.sqlite")
    }

    pub fn backup_dir(&self) -> PathBuf {
        self.data_dir.join("backups")
    }

    /// The local CA and the server's certificate.
    pub fn tls_dir(&self) -> PathBuf {
        self.data_dir.join("tls")
    }
}

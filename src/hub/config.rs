//! Settings of one hub process, from `borasen hub`'s flags and `BORASEN_*`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::config::OwnCert;

#[derive(Clone, Debug)]
pub struct HubConfig {
    /// `postgres://…`
    pub database_url: String,
    pub addr: SocketAddr,
    /// `--tls-cert/--tls-key`; usually TLS ends at a reverse proxy instead.
    pub tls: Option<OwnCert>,
    /// How people reach the hub (`https://hub.example.jp`): the links in mail.
    /// Defaults to the listening address.
    pub public_url: Option<String>,
    pub mail: MailConfig,
    pub session_ttl: Duration,
    pub db_connections: u32,
    pub max_connections: usize,
    pub max_connections_per_address: usize,
    pub header_timeout: Duration,
    /// The first hub admin, made at start when the hub has none.
    pub first_admin: Option<FirstAdmin>,
    /// The youngest a volunteer may register (中学生以上 = 13); an opening may ask more.
    pub minimum_age: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the client (login throttling).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Sync requests a center may make per minute, counted in each process
    /// apart (`hub::sync`).
    pub sync_per_minute: u32,
    /// `--lottery-weigh-no-shows`: draws put applicants with fewer no-shows
    /// first (`sha256-rank-noshow-v1`); off, the plain `sha256-rank-v1`.
    pub lottery_weigh_no_shows: bool,
}

#[derive(Clone, Debug)]
pub struct FirstAdmin {
    pub email: String,
    /// A random one is printed once when absent.
    pub password: Option<String>,
}

#[derive(Clone, Debug)]
pub struct MailConfig {
    /// `From:` of every message.
    pub from: String,
    pub transport: MailTransport,
    /// How often the worker looks at the outbox without a notice.
    pub poll_every: Duration,
    /// The first retry waits this long, doubling each time up to `retry_max`.
    pub retry_base: Duration,
    pub retry_max: Duration,
    /// After this many failed tries a message is given up (`mail.failed`).
    pub max_attempts: i32,
}

#[derive(Clone, Debug)]
pub enum MailTransport {
    /// `--mail-dir DIR`: one `.eml` file per message, named by its id.
    Dir(PathBuf),
    Smtp(SmtpSettings),
}

#[derive(Clone, Debug)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<String>,
    pub timeout: Duration,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SmtpSecurity {
    /// Plain SMTP (a relay on the same machine; tests).
    None,
    /// STARTTLS, required (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
}

impl MailConfig {
    pub fn new(from: String, transport: MailTransport) -> MailConfig {
        MailConfig {
            from,
            transport,
            poll_every: Duration::from_secs(5),
            retry_base: Duration::from_secs(30),
            retry_max: Duration::from_secs(3600),
            max_attempts: 20,
        }
    }
}

impl HubConfig {
    pub fn new(database_url: String, mail: MailConfig) -> HubConfig {
        HubConfig {
            database_url,
            addr: SocketAddr::from(([0, 0, 0, 0], 8090)),
            tls: None,
            public_url: None,
            mail,
            session_ttl: Duration::from_secs(30 * 24 * 3600),
            db_connections: 20,
            max_connections: 4096,
            max_connections_per_address: 256,
            header_timeout: Duration::from_secs(15),
            first_admin: None,
            minimum_age: 13,
            trusted_proxies: Vec::new(),
            sync_per_minute: 60,
            lottery_weigh_no_shows: false,
        }
    }
}

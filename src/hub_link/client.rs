//! HTTPS JSON to the hub: the center key as a bearer token, the protocol's
//! version on every request, short timeouts (a dead link only delays the next
//! sync), and every answer read as the contract's type or refused.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, Uri, header};
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use crate::i18n::Text;
use crate::sync::contract::{BookingsPage, DayReportAnswer, VERSION, VERSION_HEADER, version_ok};

/// Why a sync did not finish.
#[derive(Debug, Clone)]
pub enum LinkError {
    /// No answer: no network, DNS, refused, timed out, cut mid-answer; and
    /// the technical detail, for the log.
    Unreachable(Cut, String),
    /// The hub answered with an error (its code and message).
    Refused { status: u16, code: String, message: String },
    /// The hub answered something this center cannot read (a newer version).
    Unreadable(String),
    /// The hub sent data this center's rules refuse (a booking's field).
    Rejected(Text),
    /// The center's own database.
    Local(String),
}

/// Where an exchange with the hub broke off, in words a desk can read.
#[derive(Debug, Clone, Copy)]
pub enum Cut {
    Timeout,
    Connect,
    Tls,
    Http,
    MidAnswer,
}

impl Cut {
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Cut::Timeout => ("応答がありません", "no answer in time"),
            Cut::Connect => ("回線またはハブが止まっています", "the line or the hub is down"),
            Cut::Tls => ("証明書を確認できません", "its certificate cannot be verified"),
            Cut::Http => ("通信が途中で切れました", "the exchange broke off"),
            Cut::MidAnswer => ("応答が途中で切れました", "the answer broke off"),
        }
    }
}

impl LinkError {
    fn unreachable(cut: Cut, detail: impl std::fmt::Display) -> LinkError {
        LinkError::Unreachable(cut, detail.to_string())
    }

    /// For the board and the desk: what went wrong, in a few words.
    pub fn text(&self) -> Text {
        match self {
            LinkError::Unreachable(cut, _) => {
                let (ja, en) = cut.words();
                Text::new(format!("ハブに接続できません（{ja}）"), format!("Cannot reach the hub ({en})"))
            }
            LinkError::Refused { status, code, message } => Text::new(
                format!("ハブが受け付けません（{status} {code}：{message}）"),
                format!("The hub refused ({status} {code}: {message})"),
            ),
            LinkError::Unreadable(why) => Text::new(
                format!("ハブの応答を読めません（{why}）。borasen の版を確認してください"),
                format!("Cannot read the hub's answer ({why}). Check the borasen versions"),
            ),
            LinkError::Rejected(text) => text.clone(),
            LinkError::Local(why) => {
                Text::new(format!("センターのデータベース：{why}"), format!("The center's database: {why}"))
            }
        }
    }
}

impl From<sqlx::Error> for LinkError {
    fn from(error: sqlx::Error) -> LinkError {
        LinkError::Local(error.to_string())
    }
}

impl From<crate::error::AppError> for LinkError {
    fn from(error: crate::error::AppError) -> LinkError {
        LinkError::Rejected(error.message)
    }
}

pub struct HubClient {
    base: Base,
    key: String,
    tls: Arc<rustls::ClientConfig>,
}

/// Where the hub answers: scheme, host, port and path prefix.
#[derive(Debug, Clone)]
struct Base {
    https: bool,
    host: String,
    port: u16,
    prefix: String,
}

/// Seconds to connect, and for a whole exchange.
const CONNECT: Duration = Duration::from_secs(5);
const EXCHANGE: Duration = Duration::from_secs(30);

/// A TLS setup with the public roots and `ring`.
fn tls() -> rustls::ClientConfig {
    let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth()
}

/// `https://host[:port][/prefix]` (or `http://`), as `config` stored it.
fn base(url: &str) -> Result<Base, LinkError> {
    let uri: Uri = url.parse().map_err(|_| LinkError::Local(format!("the hub's URL {url}")))?;
    let https = match uri.scheme_str() {
        Some("https") => true,
        Some("http") => false,
        _ => return Err(LinkError::Local(format!("the hub's URL {url}"))),
    };
    let host = uri.host().ok_or_else(|| LinkError::Local(format!("the hub's URL {url}")))?;
    let host = host.trim_start_matches('[').trim_end_matches(']').to_string();
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    Ok(Base { https, host, port, prefix: uri.path().trim_end_matches('/').to_string() })
}

/// One connection, either kind.
trait Stream: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send {}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send> Stream for T {}

impl HubClient {
    pub fn new(url: &str, key: &str) -> Result<HubClient, LinkError> {
        Ok(HubClient { base: base(url)?, key: key.to_string(), tls: Arc::new(tls()) })
    }

    /// One page of booking changes after `cursor`.
    pub async fn pull(&self, cursor: &str, limit: u32) -> Result<BookingsPage, LinkError> {
        let query = serde_urlencoded::to_string([("cursor", cursor), ("limit", &limit.to_string())])
            .expect("plain strings encode");
        let page: BookingsPage = self.exchange(Method::GET, &format!("/api/sync/bookings?{query}"), None).await?;
        if !version_ok(page.version) {
            return Err(LinkError::Unreadable(format!("version {}", page.version)));
        }
        Ok(page)
    }

    /// A day's report, as kept (its JSON text).
    pub async fn report(&self, body: &str) -> Result<DayReportAnswer, LinkError> {
        let answer: DayReportAnswer = self.exchange(Method::POST, "/api/sync/days", Some(body.to_string())).await?;
        if !version_ok(answer.version) {
            return Err(LinkError::Unreadable(format!("version {}", answer.version)));
        }
        Ok(answer)
    }

    async fn exchange<T: serde::de::DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
    ) -> Result<T, LinkError> {
        let (status, bytes) = tokio::time::timeout(EXCHANGE, self.send(method, path, body))
            .await
            .map_err(|_| LinkError::unreachable(Cut::Timeout, "exchange"))??;
        if !(200..300).contains(&status) {
            let error: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
            let field = |name: &str| error["error"][name].as_str().unwrap_or_default().to_string();
            return Err(LinkError::Refused { status, code: field("code"), message: field("message") });
        }
        serde_json::from_slice(&bytes).map_err(|e| LinkError::Unreadable(e.to_string()))
    }

    async fn connect(&self) -> Result<Box<dyn Stream>, LinkError> {
        let address = (self.base.host.as_str(), self.base.port);
        let tcp = tokio::time::timeout(CONNECT, TcpStream::connect(address))
            .await
            .map_err(|_| LinkError::unreachable(Cut::Timeout, "connect"))?
            .map_err(|e| LinkError::unreachable(Cut::Connect, e))?;
        if !self.base.https {
            return Ok(Box::new(tcp));
        }
        let name = ServerName::try_from(self.base.host.clone())
            .map_err(|_| LinkError::Local(format!("the hub's name {}", self.base.host)))?;
        let tls = TlsConnector::from(self.tls.clone())
            .connect(name, tcp)
            .await
            .map_err(|e| LinkError::unreachable(Cut::Tls, e))?;
        Ok(Box::new(tls))
    }

    /// One request on its own connection (a sync makes a few; nothing to pool).
    async fn send(&self, method: Method, path: &str, body: Option<String>) -> Result<(u16, Bytes), LinkError> {
        let stream = self.connect().await?;
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| LinkError::unreachable(Cut::Http, e))?;
        let driver = tokio::spawn(connection);
        let host = match (self.base.https, self.base.port) {
            (true, 443) | (false, 80) => self.base.host.clone(),
            (_, port) => format!("{}:{port}", self.base.host),
        };
        let mut request = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base.prefix))
            .header(header::HOST, host)
            .header(header::AUTHORIZATION, format!("Bearer {}", self.key))
            .header(VERSION_HEADER, VERSION.to_string())
            .header(header::ACCEPT, "application/json")
            .header(header::USER_AGENT, concat!("borasen-center/", env!("CARGO_PKG_VERSION")));
        if body.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        let request = request
            .body(Full::new(Bytes::from(body.unwrap_or_default())))
            .map_err(|e| LinkError::Local(e.to_string()))?;
        let answer = sender.send_request(request).await.map_err(|e| LinkError::unreachable(Cut::Http, e))?;
        let status = answer.status().as_u16();
        let bytes =
            answer.into_body().collect().await.map_err(|e| LinkError::unreachable(Cut::MidAnswer, e))?.to_bytes();
        driver.abort();
        Ok((status, bytes))
    }
}

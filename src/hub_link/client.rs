//! HTTPS JSON to the hub: the center key as a bearer token, the protocol's
//! version on every request, short timeouts (a dead link only delays the next
//! sync), and every answer read as the contract's type or refused.

use std::sync::Arc;
use std::time::Duration;

use crate::i18n::Text;
use crate::sync::contract::{BookingsPage, DayReportAnswer, VERSION, VERSION_HEADER, version_ok};

/// Why a sync did not finish.
#[derive(Debug, Clone)]
pub enum LinkError {
    /// No answer: no network, DNS, refused, timed out, cut mid-answer.
    Unreachable(String),
    /// The hub answered with an error (its code and message).
    Refused { status: u16, code: String, message: String },
    /// The hub answered something this center cannot read (a newer version).
    Unreadable(String),
    /// The hub sent data this center's rules refuse (a booking's field).
    Rejected(Text),
    /// The center's own database.
    Local(String),
}

impl LinkError {
    /// For the board and the desk: what went wrong, in a few words.
    pub fn text(&self) -> Text {
        match self {
            LinkError::Unreachable(why) => {
                Text::new(format!("ハブに接続できません（{why}）"), format!("Cannot reach the hub ({why})"))
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
    http: reqwest::Client,
    base: String,
    key: String,
}

/// A TLS setup with the public roots and `ring`, built once.
fn tls() -> rustls::ClientConfig {
    let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth()
}

impl HubClient {
    pub fn new(base: &str, key: &str) -> Result<HubClient, LinkError> {
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(30))
            .user_agent(concat!("borasen-center/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| LinkError::Local(e.to_string()))?;
        Ok(HubClient { http, base: base.trim_end_matches('/').to_string(), key: key.to_string() })
    }

    /// One page of booking changes after `cursor`.
    pub async fn pull(&self, cursor: &str, limit: u32) -> Result<BookingsPage, LinkError> {
        let query = serde_urlencoded::to_string([("cursor", cursor), ("limit", &limit.to_string())])
            .expect("plain strings encode");
        let request = self.http.get(format!("{}/api/sync/bookings?{query}", self.base));
        let page: BookingsPage = self.send(request).await?;
        if !version_ok(page.version) {
            return Err(LinkError::Unreadable(format!("version {}", page.version)));
        }
        Ok(page)
    }

    /// A day's report, as kept (its JSON text).
    pub async fn report(&self, body: &str) -> Result<DayReportAnswer, LinkError> {
        let request = self
            .http
            .post(format!("{}/api/sync/days", self.base))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string());
        let answer: DayReportAnswer = self.send(request).await?;
        if !version_ok(answer.version) {
            return Err(LinkError::Unreadable(format!("version {}", answer.version)));
        }
        Ok(answer)
    }

    async fn send<T: serde::de::DeserializeOwned>(&self, request: reqwest::RequestBuilder) -> Result<T, LinkError> {
        let answer = request
            .bearer_auth(&self.key)
            .header(VERSION_HEADER, VERSION.to_string())
            .send()
            .await
            .map_err(|e| LinkError::Unreachable(short(&e)))?;
        let status = answer.status().as_u16();
        let bytes = answer.bytes().await.map_err(|e| LinkError::Unreachable(short(&e)))?;
        if !(200..300).contains(&status) {
            let error: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
            let field = |name: &str| error["error"][name].as_str().unwrap_or_default().to_string();
            return Err(LinkError::Refused { status, code: field("code"), message: field("message") });
        }
        serde_json::from_slice(&bytes).map_err(|e| LinkError::Unreadable(e.to_string()))
    }
}

/// reqwest's error in a few words (the URL carries no key, but is long).
fn short(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        "timeout".into()
    } else if error.is_connect() {
        "connect".into()
    } else {
        let mut text = error.to_string();
        text.truncate(200);
        text
    }
}

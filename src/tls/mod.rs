//! HTTPS for the tablets (the camera needs a secure context): the center's own
//! certificate authority (`ca`), the server certificate it signs for every name
//! the laptop answers to (`names`, `leaf`), served by rustls through a
//! swappable resolver (`served`) under axum's serve loop (`listener`), renewed
//! when the addresses change (`renew`); or the operator's own certificate
//! (`own`). `reach` says how people reach the center (URLs for `/setup` and the
//! start banner, `banner`); `http_port` is the plain port beside HTTPS.

pub mod banner;
pub mod ca;
pub mod error;
mod files;
pub mod http_port;
pub mod leaf;
pub mod listener;
pub mod names;
mod own;
pub mod reach;
pub mod renew;
pub mod served;

use std::sync::Arc;

use rustls::ServerConfig;
use rustls::crypto::CryptoProvider;

pub use error::TlsError;

use crate::config::{Config, TlsSettings};
use ca::LocalCa;
use served::ServedCert;

/// One crypto provider for the server and the certificate checks: `ring`.
pub fn provider() -> CryptoProvider {
    rustls::crypto::ring::default_provider()
}

/// HTTPS ready to serve.
pub struct Https {
    pub server_config: Arc<ServerConfig>,
    /// The local CA; `None` when the operator brought a certificate.
    pub ca: Option<Arc<LocalCa>>,
    /// What keeps the local CA's leaf current; `None` with the operator's certificate.
    pub renewal: Option<renew::Renewal>,
}

/// The rustls setup for the operator's own certificate alone (the hub: no
/// local CA, no plain port beside it).
pub fn own_server_config(own: &crate::config::OwnCert) -> Result<Arc<ServerConfig>, TlsError> {
    let served = Arc::new(ServedCert::new(own::load(own)?, None));
    let mut server_config = ServerConfig::builder_with_provider(Arc::new(provider()))
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_cert_resolver(served);
    server_config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(server_config))
}

/// Loads or makes what HTTPS needs: the CA on first start, a leaf for the
/// laptop's names as they are now (a new one when they changed or it nears its end).
pub fn prepare(config: &Config, settings: &TlsSettings) -> Result<Https, TlsError> {
    let (served, ca, renewal) = match &settings.own_cert {
        Some(own) => (Arc::new(ServedCert::new(own::load(own)?, None)), None, None),
        None => {
            let dir = config.tls_dir();
            let ca = Arc::new(LocalCa::load_or_create(&dir, &config.first_settings.center_name)?);
            let names = names::NameSet::of_this_machine(&settings.extra_names);
            let leaf = leaf::current(&dir, &ca, &names)?;
            let served = Arc::new(ServedCert::new(leaf.certified_key()?, Some(leaf.facts)));
            let renewal = renew::Renewal {
                dir,
                ca: ca.clone(),
                extra_names: settings.extra_names.clone(),
                served: served.clone(),
                every: settings.recheck_every,
            };
            (served, Some(ca), Some(renewal))
        }
    };
    let mut server_config = ServerConfig::builder_with_provider(Arc::new(provider()))
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_cert_resolver(served);
    // axum serves HTTP/1.1 only (no `http2` feature); say so in ALPN.
    server_config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Https { server_config: Arc::new(server_config), ca, renewal })
}

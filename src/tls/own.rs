//! `--tls-cert FILE --tls-key FILE`: the operator's own certificate (from the
//! city's CA, say) instead of the local one. Read once at start; refused with a
//! clear message when unreadable or when the key is not the certificate's.

use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::sign::CertifiedKey;

use super::error::TlsError;
use crate::config::OwnCert;

pub fn load(own: &OwnCert) -> Result<Arc<CertifiedKey>, TlsError> {
    let cert_error = |reason: String| TlsError::OwnCert { path: own.cert.clone(), reason };
    let chain = CertificateDer::pem_file_iter(&own.cert)
        .map_err(|e| cert_error(e.to_string()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| cert_error(e.to_string()))?;
    if chain.is_empty() {
        return Err(cert_error("PEMの証明書がありません / no CERTIFICATE block".into()));
    }
    let key = PrivateKeyDer::from_pem_file(&own.key)
        .map_err(|e| TlsError::OwnKey { path: own.key.clone(), reason: e.to_string() })?;
    let mismatch = |reason: String| TlsError::Mismatch { cert: own.cert.clone(), key: own.key.clone(), reason };
    let certified = CertifiedKey::from_der(chain, key, &super::provider()).map_err(|e| mismatch(e.to_string()))?;
    // `from_der` lets a key pass whose public half it cannot tell; insist.
    certified.keys_match().map_err(|e| mismatch(e.to_string()))?;
    Ok(Arc::new(certified))
}

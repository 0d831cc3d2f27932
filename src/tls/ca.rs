//! The center's own certificate authority, made once in `DATA/tls/` and kept:
//! tablets trust it once (through `/setup`) and every leaf it signs later, so
//! the CA must outlive restarts and address changes. Its key never leaves the
//! laptop; only the certificate is served.

use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    SerialNumber,
};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use sha2::{Digest, Sha256};

use super::error::TlsError;
use super::files;

pub const CA_FILE: &str = "ca.pem";
pub const CA_KEY_FILE: &str = "ca-key.pem";

/// Ten years: a center is set up for one disaster, but its tablets may come back for the next.
const CA_VALID_DAYS: i64 = 3653;

pub struct LocalCa {
    pub der: CertificateDer<'static>,
    pub pem: String,
    key: KeyPair,
    /// SHA-256 of the DER, `AA:BB:…`: what a person compares on the tablet.
    pub fingerprint: String,
    /// The subject's common name, as tablets list it.
    pub name: String,
}

impl std::fmt::Debug for LocalCa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalCa").field("name", &self.name).field("fingerprint", &self.fingerprint).finish()
    }
}

impl LocalCa {
    /// The CA in `dir`, made on first start. One file without the other stops the
    /// start: silently making a new CA would break every tablet's trust.
    pub fn load_or_create(dir: &Path, center_name: &str) -> Result<LocalCa, TlsError> {
        let (cert, key) = (dir.join(CA_FILE), dir.join(CA_KEY_FILE));
        match (cert.exists(), key.exists()) {
            (true, true) => LocalCa::load(&cert, &key),
            (false, false) => {
                files::private_dir(dir).map_err(TlsError::io(dir))?;
                LocalCa::create(&cert, &key, center_name)
            }
            (true, false) => Err(TlsError::CaIncomplete { present: cert, missing: key }),
            (false, true) => Err(TlsError::CaIncomplete { present: key, missing: cert }),
        }
    }

    /// An issuer for leaves, from the stored certificate as it is (not re-signed).
    pub fn issuer(&self) -> Result<Issuer<'static, &KeyPair>, TlsError> {
        Ok(Issuer::from_ca_cert_der(&self.der, &self.key)?)
    }

    fn create(cert_path: &Path, key_path: &Path, center_name: &str) -> Result<LocalCa, TlsError> {
        let key = KeyPair::generate()?;
        let mut params = CertificateParams::default();
        params.distinguished_name = ca_subject(center_name);
        params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        params.key_usages =
            vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        let now = time::OffsetDateTime::now_utc();
        // A day back: a tablet whose clock runs slow still accepts it.
        params.not_before = now - time::Duration::days(1);
        params.not_after = now + time::Duration::days(CA_VALID_DAYS);
        params.serial_number = Some(random_serial());
        let cert = params.self_signed(&key)?;
        // The key first: a certificate without its key would stop the next start.
        files::write_atomically(key_path, key.serialize_pem().as_bytes(), true).map_err(TlsError::io(key_path))?;
        files::write_atomically(cert_path, pem_of(cert.der()).as_bytes(), false).map_err(TlsError::io(cert_path))?;
        tracing::info!(path = %cert_path.display(), "made the local certificate authority");
        LocalCa::from_parts(cert.der().clone(), key, cert_path)
    }

    fn load(cert_path: &Path, key_path: &Path) -> Result<LocalCa, TlsError> {
        let broken = |path: &Path| {
            let path = path.to_path_buf();
            move |reason: String| TlsError::CaBroken { path, reason }
        };
        let der = CertificateDer::from_pem_file(cert_path).map_err(|e| broken(cert_path)(e.to_string()))?;
        let key_pem = std::fs::read_to_string(key_path).map_err(TlsError::io(key_path))?;
        let key = KeyPair::from_pem(&key_pem).map_err(|e| broken(key_path)(e.to_string()))?;
        LocalCa::from_parts(der, key, cert_path)
    }

    fn from_parts(der: CertificateDer<'static>, key: KeyPair, path: &Path) -> Result<LocalCa, TlsError> {
        let broken = |reason: &str| TlsError::CaBroken { path: PathBuf::from(path), reason: reason.to_string() };
        let (_, parsed) = x509_parser::parse_x509_certificate(&der).map_err(|e| broken(&e.to_string()))?;
        if parsed.public_key().subject_public_key.data.as_ref() != key.public_key_raw() {
            return Err(broken("the key does not belong to the certificate / 鍵が証明書と対になっていません"));
        }
        let name = parsed
            .subject()
            .iter_common_name()
            .next()
            .and_then(|cn| cn.as_str().ok())
            .unwrap_or("borasen CA")
            .to_string();
        let pem = pem_of(&der);
        Ok(LocalCa { fingerprint: fingerprint(&der), pem, der, key, name })
    }
}

/// 「borasen 災害ボランティアセンター ローカルCA」: the center by name, so a tablet that
/// trusts several centers' CAs tells them apart; the laptop's name too, since each
/// laptop makes its own.
fn ca_subject(center_name: &str) -> DistinguishedName {
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, format!("borasen {center_name} ローカルCA"));
    name.push(DnType::OrganizationName, center_name.to_string());
    if let Some(host) = super::names::hostname() {
        name.push(DnType::OrganizationalUnitName, host);
    }
    name
}

/// 16 random bytes, positive as DER integers must be.
pub fn random_serial() -> SerialNumber {
    let mut bytes: [u8; 16] = rand::random();
    bytes[0] &= 0x7f;
    bytes[0] |= 0x01;
    SerialNumber::from_slice(&bytes)
}

/// `AA:BB:…`, the SHA-256 of a certificate's DER.
pub fn fingerprint(der: &[u8]) -> String {
    Sha256::digest(der).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

/// A certificate in PEM, 64 columns.
pub fn pem_of(der: &[u8]) -> String {
    use base64::Engine;
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> =
        body.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).expect("base64 is ASCII")).collect();
    format!("-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n", lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ca_is_made_once_and_loaded_unchanged_with_a_private_key_file() {
        let dir = tempfile::tempdir().unwrap();
        let tls = dir.path().join("tls");
        let made = LocalCa::load_or_create(&tls, "テストセンター").unwrap();
        let bytes = std::fs::read(tls.join(CA_FILE)).unwrap();
        let loaded = LocalCa::load_or_create(&tls, "別の名前").unwrap();
        assert_eq!(made.fingerprint, loaded.fingerprint);
        assert_eq!(std::fs::read(tls.join(CA_FILE)).unwrap(), bytes);
        assert_eq!(loaded.name, "borasen テストセンター ローカルCA");
        assert_eq!(loaded.pem, String::from_utf8(bytes).unwrap());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(tls.join(CA_KEY_FILE)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_ca_missing_its_key_stops_the_start_instead_of_making_a_new_one() {
        let dir = tempfile::tempdir().unwrap();
        LocalCa::load_or_create(dir.path(), "c").unwrap();
        std::fs::remove_file(dir.path().join(CA_KEY_FILE)).unwrap();
        let error = LocalCa::load_or_create(dir.path(), "c").unwrap_err();
        assert!(matches!(error, TlsError::CaIncomplete { .. }), "{error}");
        assert!(dir.path().join(CA_FILE).exists());
    }

    #[test]
    fn fingerprints_are_upper_case_pairs() {
        assert_eq!(fingerprint(b"abc").len(), 32 * 3 - 1);
        assert!(fingerprint(b"abc").starts_with("BA:78:16:BF"));
    }
}

//! The server's own certificate (the leaf), signed by the local CA for every
//! name in the current [`NameSet`], and the decision when to make a new one.

use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;

use rcgen::{CertificateParams, DnType, ExtendedKeyUsagePurpose, KeyPair, KeyUsagePurpose, SanType};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::sign::CertifiedKey;
use time::{Duration, OffsetDateTime};
use x509_parser::extensions::GeneralName;

use super::ca::{self, LocalCa};
use super::error::TlsError;
use super::files;
use super::names::{Name, NameSet};

pub const LEAF_FILE: &str = "server.pem";
pub const LEAF_KEY_FILE: &str = "server-key.pem";
/// iOS refuses server certificates valid for more than 398 days; one day to spare.
pub const LEAF_VALID_DAYS: i64 = 397;
/// A leaf this close to its end is made again at the next look.
pub const RENEW_WITHIN_DAYS: i64 = 30;

pub struct Leaf {
    pub der: CertificateDer<'static>,
    key: PrivatePkcs8KeyDer<'static>,
    pub facts: LeafFacts,
}

/// What the re-issue decision needs to know of a stored leaf.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeafFacts {
    pub names: NameSet,
    pub not_after: OffsetDateTime,
    /// Signed by the CA in use now (not a leftover of a CA that was replaced).
    pub from_this_ca: bool,
}

/// Why a new leaf is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reissue {
    Missing,
    OtherCa,
    NamesChanged,
    ExpiresSoon,
}

/// `None` when the stored leaf still serves: from this CA, for exactly the wanted
/// names (an address gone is dropped too, so the leaf says what the laptop is), and
/// more than [`RENEW_WITHIN_DAYS`] from its end.
pub fn reissue_reason(stored: Option<&LeafFacts>, wanted: &NameSet, now: OffsetDateTime) -> Option<Reissue> {
    let Some(stored) = stored else { return Some(Reissue::Missing) };
    if !stored.from_this_ca {
        Some(Reissue::OtherCa)
    } else if stored.names != *wanted {
        Some(Reissue::NamesChanged)
    } else if stored.not_after - now < Duration::days(RENEW_WITHIN_DAYS) {
        Some(Reissue::ExpiresSoon)
    } else {
        None
    }
}

impl Leaf {
    /// A new key and certificate for `names`, signed by `ca`; server authentication only.
    pub fn issue(ca: &LocalCa, names: &NameSet) -> Result<Leaf, TlsError> {
        let key = KeyPair::generate()?;
        let mut params = CertificateParams::default();
        params.distinguished_name = rcgen::DistinguishedName::new();
        let common = names.iter().find(|n| matches!(n, Name::Dns(d) if d.ends_with(".local"))).cloned();
        params
            .distinguished_name
            .push(DnType::CommonName, common.map(|n| n.to_string()).unwrap_or_else(|| "borasen".to_string()));
        params.subject_alt_names = names.iter().map(san).collect::<Result<_, _>>()?;
        // ECDSA keys sign; they do not encipher (keyEncipherment is for RSA).
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.use_authority_key_identifier_extension = true;
        // An hour back for tablets whose clock runs a little slow; the whole span stays 397 days.
        // Whole seconds, as the certificate stores them: the facts then equal what is read back.
        let now = OffsetDateTime::now_utc().replace_nanosecond(0).expect("0 is a valid nanosecond");
        params.not_before = now - Duration::hours(1);
        params.not_after = params.not_before + Duration::days(LEAF_VALID_DAYS);
        params.serial_number = Some(ca::random_serial());
        let cert = params.signed_by(&key, &ca.issuer()?)?;
        let facts = LeafFacts { names: names.clone(), not_after: params.not_after, from_this_ca: true };
        Ok(Leaf { der: cert.der().clone(), key: PrivatePkcs8KeyDer::from(key.serialize_der()), facts })
    }

    /// The leaf stored in `dir`, or `None` when there is none or it cannot be read
    /// (then a new one is made: nothing is lost, tablets trust the CA).
    pub fn load(dir: &Path, ca: &LocalCa) -> Option<Leaf> {
        let (cert_path, key_path) = (dir.join(LEAF_FILE), dir.join(LEAF_KEY_FILE));
        if !cert_path.exists() {
            return None;
        }
        let read = || -> Result<Leaf, String> {
            let der = CertificateDer::from_pem_file(&cert_path).map_err(|e| e.to_string())?;
            let key = match PrivateKeyDer::from_pem_file(&key_path).map_err(|e| e.to_string())? {
                PrivateKeyDer::Pkcs8(key) => key,
                _ => return Err("not a PKCS#8 key".into()),
            };
            let facts = facts_of(&der, ca)?;
            Ok(Leaf { der, key, facts })
        };
        match read() {
            Ok(leaf) => Some(leaf),
            Err(reason) => {
                tracing::warn!(%reason, path = %cert_path.display(), "stored server certificate unusable; making a new one");
                None
            }
        }
    }

    pub fn save(&self, dir: &Path) -> Result<(), TlsError> {
        let (cert_path, key_path) = (dir.join(LEAF_FILE), dir.join(LEAF_KEY_FILE));
        let key_pem = pem_block("PRIVATE KEY", self.key.secret_pkcs8_der());
        files::write_atomically(&key_path, key_pem.as_bytes(), true).map_err(TlsError::io(&key_path))?;
        files::write_atomically(&cert_path, ca::pem_of(&self.der).as_bytes(), false).map_err(TlsError::io(&cert_path))
    }

    /// What rustls serves: the leaf and its key (the CA is on the tablets already).
    pub fn certified_key(&self) -> Result<Arc<CertifiedKey>, TlsError> {
        let key = PrivateKeyDer::Pkcs8(self.key.clone_key());
        Ok(Arc::new(CertifiedKey::from_der(vec![self.der.clone()], key, &super::provider())?))
    }
}

/// The leaf for `names`: the stored one when it still serves, else a new one, saved.
pub fn current(dir: &Path, ca: &LocalCa, names: &NameSet) -> Result<Leaf, TlsError> {
    let stored = Leaf::load(dir, ca);
    match reissue_reason(stored.as_ref().map(|l| &l.facts), names, OffsetDateTime::now_utc()) {
        None => Ok(stored.expect("a leaf that serves was stored")),
        Some(reason) => {
            let leaf = Leaf::issue(ca, names)?;
            leaf.save(dir)?;
            let names: Vec<String> = names.iter().map(ToString::to_string).collect();
            tracing::info!(?reason, ?names, "issued a new server certificate");
            Ok(leaf)
        }
    }
}

/// Names, end and issuer of a stored leaf.
fn facts_of(der: &CertificateDer<'_>, ca: &LocalCa) -> Result<LeafFacts, String> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).map_err(|e| e.to_string())?;
    let (_, ca_cert) = x509_parser::parse_x509_certificate(&ca.der).map_err(|e| e.to_string())?;
    let from_this_ca = cert.verify_signature(Some(ca_cert.public_key())).is_ok();
    let mut names = Vec::new();
    if let Ok(Some(sans)) = cert.subject_alternative_name() {
        for general in &sans.value.general_names {
            match general {
                GeneralName::DNSName(dns) => names.push(Name::Dns(dns.to_string())),
                GeneralName::IPAddress(bytes) => {
                    if let Some(ip) = ip_from_bytes(bytes) {
                        names.push(Name::Ip(ip));
                    }
                }
                _ => {}
            }
        }
    }
    let not_after =
        OffsetDateTime::from_unix_timestamp(cert.validity().not_after.timestamp()).map_err(|e| e.to_string())?;
    Ok(LeafFacts { names: names.into_iter().collect(), not_after, from_this_ca })
}

fn ip_from_bytes(bytes: &[u8]) -> Option<IpAddr> {
    match bytes.len() {
        4 => Some(IpAddr::from(<[u8; 4]>::try_from(bytes).ok()?)),
        16 => Some(IpAddr::from(<[u8; 16]>::try_from(bytes).ok()?)),
        _ => None,
    }
}

fn san(name: &Name) -> Result<SanType, TlsError> {
    Ok(match name {
        Name::Dns(dns) => SanType::DnsName(dns.clone().try_into()?),
        Name::Ip(ip) => SanType::IpAddress(*ip),
    })
}

fn pem_block(label: &str, der: &[u8]) -> String {
    ca::pem_of(der).replace("CERTIFICATE", label)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> NameSet {
        list.iter().map(|n| Name::parse(n).unwrap()).collect()
    }

    fn facts(list: &[&str], days_left: i64) -> LeafFacts {
        LeafFacts {
            names: names(list),
            not_after: OffsetDateTime::now_utc() + Duration::days(days_left),
            from_this_ca: true,
        }
    }

    #[test]
    fn a_leaf_for_the_same_names_far_from_its_end_is_kept() {
        let now = OffsetDateTime::now_utc();
        let stored = facts(&["localhost", "192.168.1.20"], 300);
        assert_eq!(reissue_reason(Some(&stored), &names(&["192.168.1.20", "localhost"]), now), None);
    }

    #[test]
    fn a_new_address_a_lost_address_the_end_near_or_another_ca_make_a_new_leaf() {
        let now = OffsetDateTime::now_utc();
        let stored = facts(&["localhost", "192.168.1.20"], 300);
        let wanted = names(&["localhost", "192.168.1.20", "10.0.0.7"]);
        assert_eq!(reissue_reason(Some(&stored), &wanted, now), Some(Reissue::NamesChanged));
        assert_eq!(reissue_reason(Some(&stored), &names(&["localhost"]), now), Some(Reissue::NamesChanged));
        let ending = facts(&["localhost"], 29);
        assert_eq!(reissue_reason(Some(&ending), &names(&["localhost"]), now), Some(Reissue::ExpiresSoon));
        let foreign = LeafFacts { from_this_ca: false, ..facts(&["localhost"], 300) };
        assert_eq!(reissue_reason(Some(&foreign), &names(&["localhost"]), now), Some(Reissue::OtherCa));
        assert_eq!(reissue_reason(None, &names(&["localhost"]), now), Some(Reissue::Missing));
    }

    #[test]
    fn an_issued_leaf_is_read_back_with_its_names_and_kept_until_they_change() {
        let dir = tempfile::tempdir().unwrap();
        let ca = LocalCa::load_or_create(dir.path(), "c").unwrap();
        let wanted = names(&["localhost", "pc.local", "127.0.0.1", "::1", "192.168.1.20"]);
        let first = current(dir.path(), &ca, &wanted).unwrap();
        let again = current(dir.path(), &ca, &wanted).unwrap();
        assert_eq!(first.der, again.der, "kept");
        assert_eq!(again.facts.names, wanted);
        assert!(again.facts.from_this_ca);
        first.certified_key().unwrap();
        let more = names(&["localhost", "pc.local", "127.0.0.1", "::1", "192.168.1.20", "10.1.1.1"]);
        let changed = current(dir.path(), &ca, &more).unwrap();
        assert_ne!(changed.der, first.der);
        assert_eq!(Leaf::load(dir.path(), &ca).unwrap().facts.names, more);
    }

    #[test]
    fn a_leaf_of_another_ca_is_not_taken_for_ours() {
        let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let ca_one = LocalCa::load_or_create(one.path(), "one").unwrap();
        let ca_two = LocalCa::load_or_create(two.path(), "two").unwrap();
        Leaf::issue(&ca_one, &names(&["localhost"])).unwrap().save(two.path()).unwrap();
        assert!(!Leaf::load(two.path(), &ca_two).unwrap().facts.from_this_ca);
    }
}

//! The certificate rustls serves, swappable while running: a new leaf (the
//! laptop moved to another network) reaches the next handshake without a
//! restart, and connections already open keep theirs.

use std::sync::{Arc, RwLock};

use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;

use super::leaf::LeafFacts;

#[derive(Debug)]
pub struct ServedCert {
    current: RwLock<Served>,
}

#[derive(Debug, Clone)]
struct Served {
    key: Arc<CertifiedKey>,
    /// `None` for the operator's own certificate, which is never replaced.
    facts: Option<LeafFacts>,
}

impl ServedCert {
    pub fn new(key: Arc<CertifiedKey>, facts: Option<LeafFacts>) -> ServedCert {
        ServedCert { current: RwLock::new(Served { key, facts }) }
    }

    /// Serves `key` from the next handshake on.
    pub fn replace(&self, key: Arc<CertifiedKey>, facts: LeafFacts) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Served { key, facts: Some(facts) };
    }

    pub fn facts(&self) -> Option<LeafFacts> {
        self.current.read().unwrap_or_else(|e| e.into_inner()).facts.clone()
    }
}

impl ResolvesServerCert for ServedCert {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.current.read().unwrap_or_else(|e| e.into_inner()).key.clone())
    }
}

//! A new leaf while running, when the laptop's addresses change (another
//! Wi-Fi, a phone's hotspot, a cable plugged in) or the leaf nears its end:
//! a look every `every`, and the next handshake gets the new certificate.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::ca::LocalCa;
use super::leaf::{self, Leaf};
use super::names::{Name, NameSet};
use super::served::ServedCert;

pub struct Renewal {
    pub dir: PathBuf,
    pub ca: Arc<LocalCa>,
    pub extra_names: Vec<Name>,
    pub served: Arc<ServedCert>,
    pub every: Duration,
}

impl Renewal {
    /// Runs until aborted (at shutdown).
    pub async fn run(self) {
        let mut ticks = tokio::time::interval(self.every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticks.tick().await;
        loop {
            ticks.tick().await;
            self.check();
        }
    }

    /// One look: issue, save and serve a new leaf when the names or the date call for it.
    pub fn check(&self) {
        let wanted = NameSet::of_this_machine(&self.extra_names);
        let served = self.served.facts();
        let Some(reason) = leaf::reissue_reason(served.as_ref(), &wanted, time::OffsetDateTime::now_utc()) else {
            return;
        };
        let issued = Leaf::issue(&self.ca, &wanted).and_then(|leaf| {
            leaf.save(&self.dir)?;
            Ok((leaf.certified_key()?, leaf.facts))
        });
        match issued {
            Ok((key, facts)) => {
                self.served.replace(key, facts);
                let names: Vec<String> = wanted.iter().map(ToString::to_string).collect();
                tracing::info!(?reason, ?names, "serving a new server certificate");
            }
            Err(error) => tracing::error!(%error, "cannot renew the server certificate; the old one is still served"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_served_leaf_for_other_names_is_replaced_saved_and_then_kept() {
        let dir = tempfile::tempdir().unwrap();
        let ca = Arc::new(LocalCa::load_or_create(dir.path(), "c").unwrap());
        // As if the laptop had moved: the served leaf knows only an old address.
        let old =
            Leaf::issue(&ca, &["localhost", "10.99.99.99"].map(|n| Name::parse(n).unwrap()).into_iter().collect())
                .unwrap();
        let served = Arc::new(ServedCert::new(old.certified_key().unwrap(), Some(old.facts.clone())));
        let extra = vec![Name::parse("desk.example.jp").unwrap()];
        let renewal = Renewal {
            dir: dir.path().to_path_buf(),
            ca: ca.clone(),
            extra_names: extra.clone(),
            served: served.clone(),
            every: Duration::from_secs(30),
        };
        renewal.check();
        let now = served.facts().unwrap();
        assert_eq!(now.names, NameSet::of_this_machine(&extra));
        assert_eq!(Leaf::load(dir.path(), &ca).unwrap().facts, now, "saved for the next start");
        renewal.check();
        assert_eq!(served.facts().unwrap(), now, "kept while nothing changes");
    }
}

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

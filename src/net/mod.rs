//! The network edge: how many connections and public screens the center
//! takes, from whom, and for how long a silent client keeps its socket.
//! Anyone on the center's Wi-Fi can reach the server; none of them may stall it.
//!
//! - [`Budget`]: open things counted in total and per client address (TCP
//!   connections; lobby screens). Over budget, a connection is closed at once
//!   and a lobby screen gets 503 with `Retry-After`.
//! - [`serve`]: the HTTP loop (hyper) with a header timeout that also ends idle
//!   keep-alive connections, so half-sent requests (slowloris) cannot pile up.
//! - [`raise_open_file_limit`]: the process may use as many descriptors as the
//!   system allows it, not the common 1,024 default.

mod accept;
mod budget;
mod serve;

pub use accept::{Accepted, accept_tcp, admitted};
pub use budget::{Budget, Permit};
pub use serve::{Scheme, serve};

/// Raises the soft limit of open files to the hard limit; returns the new soft limit.
pub fn raise_open_file_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        match rlimit::increase_nofile_limit(u64::MAX) {
            Ok(limit) => Some(limit),
            Err(error) => {
                tracing::warn!(%error, "could not raise the open-file limit");
                None
            }
        }
    }
    #[cfg(not(unix))]
    None
}

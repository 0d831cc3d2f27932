//! HTTPS connections for the serve loop ([`crate::net::serve`]): each one is
//! admitted to the connection budget first, then handshaken in a task of its
//! own, so one slow or hostile client never holds up the next.

use std::sync::Arc;
use std::time::Duration;

use rustls::ServerConfig;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

use crate::net::{Accepted, Budget, admitted};

/// A client that has not finished its handshake by then is dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Accepts on `tcp` until the receiver is dropped (the port is then freed).
pub fn accept_tls(
    tcp: TcpListener,
    config: Arc<ServerConfig>,
    budget: Arc<Budget>,
) -> mpsc::Receiver<Accepted<TlsStream<TcpStream>>> {
    let (sender, handshaken) = mpsc::channel(64);
    let acceptor = TlsAcceptor::from(config);
    tokio::spawn(async move {
        loop {
            let Accepted { io, peer, permit } = tokio::select! {
                () = sender.closed() => return,
                accepted = admitted(&tcp, &budget) => accepted,
            };
            let (acceptor, sender) = (acceptor.clone(), sender.clone());
            tokio::spawn(async move {
                match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(io)).await {
                    Ok(Ok(tls)) => {
                        let _ = sender.send(Accepted { io: tls, peer, permit }).await;
                    }
                    // Tablets that do not trust the CA yet end here on every try: not a warning.
                    Ok(Err(error)) => tracing::debug!(%error, %peer, "TLS handshake failed"),
                    Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                }
            });
        }
    });
    handshaken
}

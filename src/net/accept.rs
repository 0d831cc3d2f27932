//! Accepting TCP connections within the connection [`Budget`]: a connection
//! over budget is closed at once, before it costs a TLS handshake or a buffer.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

use super::{Budget, Permit};

/// A connection admitted to the server, with its place in the budget.
pub struct Accepted<I> {
    pub io: I,
    pub peer: SocketAddr,
    pub permit: Permit,
}

/// Accepts on `tcp` in a task of its own until the receiver is dropped.
pub fn accept_tcp(tcp: TcpListener, budget: Arc<Budget>) -> mpsc::Receiver<Accepted<TcpStream>> {
    let (sender, receiver) = mpsc::channel(64);
    tokio::spawn(async move {
        loop {
            let accepted = tokio::select! {
                () = sender.closed() => return,
                accepted = admitted(&tcp, &budget) => accepted,
            };
            if sender.send(accepted).await.is_err() {
                return;
            }
        }
    });
    receiver
}

/// The next connection that fits the budget.
pub async fn admitted(tcp: &TcpListener, budget: &Arc<Budget>) -> Accepted<TcpStream> {
    loop {
        let (io, peer) = match tcp.accept().await {
            Ok(pair) => pair,
            Err(error) => {
                // Per-connection errors pass; others (too many open files) wait a
                // moment rather than spin.
                tracing::debug!(%error, "accept failed");
                if !is_connection_error(&error) {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                continue;
            }
        };
        match budget.admit(peer.ip()) {
            Some(permit) => return Accepted { io, peer, permit },
            None => {
                tracing::debug!(%peer, "connection refused: over the connection budget");
                drop(io);
            }
        }
    }
}

fn is_connection_error(error: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(error.kind(), ConnectionRefused | ConnectionAborted | ConnectionReset)
}

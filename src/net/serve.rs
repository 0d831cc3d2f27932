//! HTTP/1.1 (and h2 by prior knowledge) over admitted connections, with
//! websocket upgrades, `ConnectInfo<SocketAddr>` for handlers, a header
//! timeout and graceful shutdown. axum's own `serve` has no header timeout:
//! half-sent requests stayed open indefinitely.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::mpsc;
use tower::ServiceExt;

use super::Accepted;

/// The scheme a request came by (`http` or `https`), for checks that compare
/// a browser's `Origin` with where the request really arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scheme(pub &'static str);

/// Requests still running at shutdown get this long to finish.
const DRAIN: Duration = Duration::from_secs(10);

/// Serves every connection from `incoming` until `shutdown` resolves, then
/// lets requests in flight finish (websockets close on the app's own signal).
/// `header_timeout` bounds both a request's headers and an idle keep-alive.
pub async fn serve<I>(
    mut incoming: mpsc::Receiver<Accepted<I>>,
    scheme: Scheme,
    router: Router,
    header_timeout: Duration,
    shutdown: impl Future<Output = ()>,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let mut builder = Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(header_timeout).keep_alive(true);
    builder.http2().timer(TokioTimer::new()).keep_alive_interval(Some(Duration::from_secs(20)));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let Accepted { io, peer, permit } = tokio::select! {
            accepted = incoming.recv() => match accepted {
                Some(accepted) => accepted,
                None => break,
            },
            () = &mut shutdown => break,
        };
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
            request.extensions_mut().insert(scheme);
            router.clone().oneshot(request.map(Body::new))
        });
        let connection = graceful.watch(builder.serve_connection_with_upgrades(TokioIo::new(io), service).into_owned());
        tokio::spawn(async move {
            // The place in the budget is held until the connection ends (an
            // upgraded websocket counts in its own budget from then on).
            let _permit = permit;
            if let Err(error) = connection.await {
                tracing::debug!(%error, %peer, "connection ended with an error");
            }
        });
    }
    // Stop accepting (the accept task ends with the channel), then drain.
    drop(incoming);
    if tokio::time::timeout(DRAIN, graceful.shutdown()).await.is_err() {
        tracing::warn!("requests still running after {DRAIN:?} at shutdown were dropped");
    }
}

//! A TCP proxy between a center and its hub, for links that come and go: the
//! hub behind it can be swapped (a restarted process on another port) or be
//! gone, and the link can be made slow and lossy.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU16, AtomicU64, Ordering};
use std::time::Duration;

use rand::Rng;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Default)]
pub struct Faults {
    /// Added before each connection is passed on.
    pub delay_ms: AtomicU64,
    /// Connections dropped at once, in percent.
    pub drop_percent: AtomicU64,
    /// The hub's answers are held this long before they go back.
    pub hold_answers_ms: AtomicU64,
    /// Connections dropped so far.
    pub dropped: AtomicU64,
}

pub struct Proxy {
    pub base: String,
    target: Arc<AtomicU16>,
    up: Arc<AtomicBool>,
    pub faults: Arc<Faults>,
    pub connections: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    /// In front of `hub_base` (`http://127.0.0.1:PORT`).
    pub async fn start(hub_base: &str) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let target = Arc::new(AtomicU16::new(port_of(hub_base)));
        let up = Arc::new(AtomicBool::new(true));
        let faults = Arc::new(Faults::default());
        let connections = Arc::new(AtomicU64::new(0));
        let (t, u, f, c) = (target.clone(), up.clone(), faults.clone(), connections.clone());
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                c.fetch_add(1, Ordering::Relaxed);
                let (port, up, faults) = (t.load(Ordering::Relaxed), u.load(Ordering::Relaxed), f.clone());
                tokio::spawn(async move { pass(client, port, up, faults).await });
            }
        });
        Proxy { base, target, up, faults, connections, task }
    }

    /// The hub behind is now at `hub_base`.
    pub fn point_at(&self, hub_base: &str) {
        self.target.store(port_of(hub_base), Ordering::Relaxed);
        self.up.store(true, Ordering::Relaxed);
    }

    /// Every new connection is refused (closed at once), as with no hub.
    pub fn cut(&self) {
        self.up.store(false, Ordering::Relaxed);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn port_of(base: &str) -> u16 {
    base.rsplit(':').next().unwrap().trim_end_matches('/').parse().unwrap()
}

async fn pass(mut client: TcpStream, port: u16, up: bool, faults: Arc<Faults>) {
    let delay = faults.delay_ms.load(Ordering::Relaxed);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    let drop_percent = faults.drop_percent.load(Ordering::Relaxed);
    if !up || (drop_percent > 0 && rand::rng().random_range(0..100) < drop_percent) {
        faults.dropped.fetch_add(1, Ordering::Relaxed);
        let _ = client.shutdown().await;
        return;
    }
    let Ok(mut hub) = TcpStream::connect(("127.0.0.1", port)).await else {
        let _ = client.shutdown().await;
        return;
    };
    let hold = faults.hold_answers_ms.load(Ordering::Relaxed);
    if hold == 0 {
        let _ = tokio::io::copy_bidirectional(&mut client, &mut hub).await;
        return;
    }
    let (mut client_read, mut client_write) = client.into_split();
    let (mut hub_read, mut hub_write) = hub.into_split();
    let up_stream = tokio::spawn(async move { tokio::io::copy(&mut client_read, &mut hub_write).await });
    let mut buffer = vec![0u8; 64 * 1024];
    while let Ok(n) = hub_read.read(&mut buffer).await {
        if n == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(hold)).await;
        if client_write.write_all(&buffer[..n]).await.is_err() {
            break;
        }
    }
    up_stream.abort();
}

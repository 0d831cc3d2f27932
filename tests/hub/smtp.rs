//! A small SMTP server on loopback for the mail tests: it takes what lettre
//! sends (EHLO, MAIL, RCPT, DATA, QUIT, RSET, NOOP) and keeps every message it
//! acknowledged. `stall` makes it hold the answer to DATA: the message was
//! sent but never acknowledged, as when the sending hub is killed mid-send.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Clone, Debug)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

impl Received {
    /// The Message-ID header's value.
    pub fn message_id(&self) -> Option<String> {
        header(&self.data, "Message-ID")
    }
}

/// A header's value (first occurrence, unfolded).
pub fn header(data: &str, name: &str) -> Option<String> {
    let prefix = format!("{}:", name.to_ascii_lowercase());
    let mut lines = data.split("\r\n").peekable();
    while let Some(line) = lines.next() {
        if line.is_empty() {
            return None;
        }
        if line.to_ascii_lowercase().starts_with(&prefix) {
            let mut value = line[prefix.len()..].trim().to_string();
            while let Some(next) = lines.peek().filter(|l| l.starts_with([' ', '\t'])) {
                value.push(' ');
                value.push_str(next.trim());
                lines.next();
            }
            return Some(value);
        }
    }
    None
}

pub struct SmtpListener {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    stall: Arc<AtomicBool>,
    /// Messages whose DATA arrived whole, acknowledged or not.
    seen: Arc<AtomicUsize>,
    /// The next this-many DATA get `451` (try again later).
    refuse: Arc<AtomicUsize>,
}

impl SmtpListener {
    pub async fn start() -> SmtpListener {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let stall = Arc::new(AtomicBool::new(false));
        let (seen, refuse) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let state =
            Shared { received: received.clone(), stall: stall.clone(), seen: seen.clone(), refuse: refuse.clone() };
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else { return };
                tokio::spawn(session(socket, state.clone()));
            }
        });
        SmtpListener { port, received, stall, seen, refuse }
    }

    /// Messages whose DATA arrived whole, acknowledged or not.
    pub fn seen(&self) -> usize {
        self.seen.load(Ordering::SeqCst)
    }

    /// Answer the next `count` messages `451` (a transient failure).
    pub fn refuse_next(&self, count: usize) {
        self.refuse.store(count, Ordering::SeqCst);
    }

    /// Hold every answer to DATA from now on (true) or answer again (false).
    pub fn stall(&self, on: bool) {
        self.stall.store(on, Ordering::SeqCst);
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until at least `count` messages were acknowledged.
    pub async fn wait_for(&self, count: usize, within: Duration) -> Vec<Received> {
        let until = tokio::time::Instant::now() + within;
        loop {
            let got = self.received();
            if got.len() >= count || tokio::time::Instant::now() > until {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

#[derive(Clone)]
struct Shared {
    received: Arc<Mutex<Vec<Received>>>,
    stall: Arc<AtomicBool>,
    seen: Arc<AtomicUsize>,
    refuse: Arc<AtomicUsize>,
}

async fn session(socket: tokio::net::TcpStream, state: Shared) {
    let Shared { received, stall, seen, refuse } = state;
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    let _ = write.write_all(b"220 test.invalid ESMTP\r\n").await;
    let (mut from, mut to) = (String::new(), Vec::new());
    loop {
        let mut line = String::new();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let upper = line.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            b"250-test.invalid\r\n250 8BITMIME\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            from = line[10..].trim().to_string();
            to.clear();
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            to.push(line[8..].trim().to_string());
            b"250 OK\r\n"
        } else if upper.starts_with("DATA") {
            let _ = write.write_all(b"354 go ahead\r\n").await;
            let mut data = String::new();
            loop {
                let mut l = String::new();
                if lines.read_line(&mut l).await.unwrap_or(0) == 0 {
                    return;
                }
                if l == ".\r\n" {
                    break;
                }
                data.push_str(l.strip_prefix('.').filter(|_| l.starts_with("..")).unwrap_or(&l));
            }
            seen.fetch_add(1, Ordering::SeqCst);
            if refuse.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok() {
                let _ = write.write_all(b"451 4.3.0 try again later\r\n").await;
                continue;
            }
            if stall.load(Ordering::SeqCst) {
                // Never acknowledged: the sender waits until it is killed.
                std::future::pending::<()>().await;
            }
            received.lock().unwrap().push(Received { from: from.clone(), to: to.clone(), data });
            b"250 OK queued\r\n"
        } else if upper.starts_with("QUIT") {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else if upper.starts_with("RSET") || upper.starts_with("NOOP") {
            b"250 OK\r\n"
        } else {
            b"502 not implemented\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}

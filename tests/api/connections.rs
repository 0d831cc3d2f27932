//! Nobody on the center's Wi-Fi can stall it (issue 13): public lobby sockets
//! and half-sent requests past the caps, from many devices, while staff log
//! in and read. The server runs as its own process, so its memory is its own.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::Error as WsError;

use crate::durability::{ServerProcess, start_server_with};
use crate::helpers::ADMIN_PASSWORD;

/// The server with small public budgets and a 2 s header timeout; killed when dropped.
struct Server {
    process: ServerProcess,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.process.child.kill();
        let _ = self.process.child.wait();
    }
}

fn start(data: &std::path::Path) -> Server {
    let flags = [
        "--lobby-screens",
        "40",
        "--lobby-screens-per-address",
        "4",
        "--max-connections-per-address",
        "30",
        "--header-timeout-secs",
        "2",
    ];
    let process = start_server_with(data, &flags);
    let addr = process.base.strip_prefix("http://").expect("plain http").parse().unwrap();
    Server { process, addr }
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

async fn tcp_from(device: u8, to: SocketAddr) -> std::io::Result<tokio::net::TcpStream> {
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.bind(SocketAddr::from(([127, 0, 0, device], 0)))?;
    socket.connect(to).await
}

/// Opens a lobby screen from a device: `Ok(socket)`, or the refusal's status and `Retry-After`.
async fn lobby_from(device: u8, server: SocketAddr) -> Result<crate::helpers::Socket, (u16, Option<String>)> {
    let stream = tcp_from(device, server).await.map_err(|_| (0, None))?;
    let stream = tokio_tungstenite::MaybeTlsStream::Plain(stream);
    match tokio_tungstenite::client_async(format!("ws://{server}/ws/lobby"), stream).await {
        Ok((socket, _)) => Ok(socket),
        Err(WsError::Http(response)) => Err((
            response.status().as_u16(),
            response.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string()),
        )),
        Err(_) => Err((0, None)),
    }
}

/// Staff at the desk (127.0.0.1): a health check, a login and the board, each within 1 s.
async fn staff_get_through(server: SocketAddr) {
    let client = reqwest::Client::new();
    let started = Instant::now();
    let health = client.get(format!("http://{server}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let cookie = crate::binary::login_cookie(&client, &format!("http://{server}"), "admin", ADMIN_PASSWORD).await;
    let board = client.get(format!("http://{server}/api/board")).header("cookie", cookie).send().await.unwrap();
    assert_eq!(board.status(), 200);
    assert!(started.elapsed() < Duration::from_secs(1), "staff waited {:?}", started.elapsed());
}

#[tokio::test]
async fn lobby_floods_and_half_sent_requests_never_crowd_out_staff() {
    let data = tempfile::tempdir().unwrap();
    let server = start(data.path());
    let addr = server.addr;
    staff_get_through(addr).await;
    // The baseline: the server once warm (one lobby screen has come and gone).
    drop(lobby_from(2, addr).await);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = rss_kib(server.process.child.id());

    // 20 devices each try 6 lobby screens: 4 each fit their share, and the lobby holds 40 in all.
    let mut screens = Vec::new();
    let mut refused = Vec::new();
    for device in 2..22u8 {
        for _ in 0..6 {
            match lobby_from(device, addr).await {
                Ok(screen) => screens.push(screen),
                Err(refusal) => refused.push(refusal),
            }
        }
    }
    assert_eq!(screens.len(), 40, "the lobby's budget");
    assert_eq!(refused.len(), 80);
    assert!(refused.iter().all(|(status, retry)| *status == 503 && retry.as_deref() == Some("30")), "{refused:?}");

    // Half-sent requests from one device: 30 fit its share, the rest are closed at once.
    let mut slow = Vec::new();
    for _ in 0..60 {
        if let Ok(mut stream) = tcp_from(40, addr).await {
            let _ = stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ").await;
            slow.push(stream);
        }
    }
    // With every public budget full, staff still get through at once.
    staff_get_through(addr).await;

    // After the header timeout (2 s) the server has closed every half-sent request.
    tokio::time::sleep(Duration::from_millis(2600)).await;
    let mut still_open = 0;
    for stream in &mut slow {
        let mut buffer = [0u8; 256];
        match tokio::time::timeout(Duration::from_millis(200), stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => {}
            Ok(Ok(_)) => {} // a 408 before closing is fine too
            Err(_) => still_open += 1,
        }
    }
    assert_eq!(still_open, 0, "half-sent requests still held after the header timeout");

    let during = rss_kib(server.process.child.id());
    eprintln!("server RSS: before {before} KiB, with the public budgets full {during} KiB");
    // Screens leave; the memory they took comes back.
    drop(screens);
    drop(slow);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let after = rss_kib(server.process.child.id());
    eprintln!("server RSS after the screens left: {after} KiB");
    assert!(after <= before + before / 5, "RSS {before} KiB before, {after} KiB after the screens left");
    // And the lobby takes screens again.
    assert!(lobby_from(2, addr).await.is_ok());
}

//! `serve --tls`: the real server with its own CA on ephemeral ports, reached by
//! a rustls client that trusts exactly the CA the test gives it (or none), and
//! plain HTTP for the redirect and `/setup`.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use borasen::config::{Config, OwnCert, TlsSettings};
use borasen::startup::Application;
use borasen::state::AppState;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::StatusCode;
use hyper::header::HeaderMap;
use hyper_util::rt::TokioIo;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, RootCertStore};
use tempfile::TempDir;
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio_rustls::TlsConnector;
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};

use crate::helpers::{ADMIN_PASSWORD, spawn_app, test_config};

/// A center serving HTTPS, and its plain port.
struct TlsApp {
    https: SocketAddr,
    http: SocketAddr,
    state: AppState,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

fn tls_config(dir: &TempDir, adjust: impl FnOnce(&mut TlsSettings)) -> Config {
    let mut config = test_config(dir);
    let mut settings = TlsSettings::new(SocketAddr::from(([127, 0, 0, 1], 0)));
    adjust(&mut settings);
    config.tls = Some(settings);
    config
}

async fn spawn_tls(config: Config) -> TlsApp {
    let app = Application::build(config).await.expect("server builds");
    let (https, http) = (app.local_addr(), app.http_addr().expect("a plain port beside HTTPS"));
    let state = app.state().clone();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));
    TlsApp { https, http, state, stop: Some(stop), server: Some(server) }
}

impl TlsApp {
    async fn stop(&mut self) {
        let _ = self.stop.take().unwrap().send(());
        let server = self.server.take().unwrap();
        tokio::time::timeout(Duration::from_secs(10), server).await.expect("stops within 10 s").unwrap().unwrap();
    }

    fn http_url(&self, path: &str) -> String {
        format!("http://{}{path}", self.http)
    }
}

fn roots_of(ca_pem: &Path) -> RootCertStore {
    let mut roots = RootCertStore::empty();
    roots.add(CertificateDer::from_pem_file(ca_pem).unwrap()).unwrap();
    roots
}

fn local_ca(dir: &TempDir) -> RootCertStore {
    roots_of(&dir.path().join("tls/ca.pem"))
}

/// What came back over HTTPS, with the certificate the server presented.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    leaf: Vec<u8>,
}

/// One HTTP/1.1 request over a TLS connection to `addr`, presenting `name` (SNI and
/// certificate check) and trusting only `roots`.
async fn https(
    addr: SocketAddr,
    name: &str,
    roots: RootCertStore,
    method: &str,
    path: &str,
    json: Option<&str>,
) -> Result<Answer, std::io::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let tcp = TcpStream::connect(addr).await?;
    let server_name = ServerName::try_from(name.to_string()).unwrap();
    let tls = TlsConnector::from(Arc::new(config)).connect(server_name, tcp).await?;
    let leaf = tls.get_ref().1.peer_certificates().unwrap()[0].to_vec();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(tls)).await.unwrap();
    tokio::spawn(connection);
    let host = if name.contains(':') { format!("[{name}]:{}", addr.port()) } else { format!("{name}:{}", addr.port()) };
    let mut request = hyper::Request::builder().method(method).uri(path).header("host", host);
    if json.is_some() {
        request = request.header("content-type", "application/json");
    }
    let body = Full::new(Bytes::from(json.unwrap_or("").to_string()));
    let response = sender.send_request(request.body(body).unwrap()).await.unwrap();
    let (parts, body) = response.into_parts();
    Ok(Answer { status: parts.status, headers: parts.headers, body: body.collect().await.unwrap().to_bytes(), leaf })
}

async fn get(addr: SocketAddr, name: &str, roots: RootCertStore, path: &str) -> Result<Answer, std::io::Error> {
    https(addr, name, roots, "GET", path, None).await
}

/// The rustls error under a failed handshake.
fn tls_error(error: &std::io::Error) -> Option<&rustls::Error> {
    error.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>())
}

fn parse(der: &[u8]) -> X509Certificate<'_> {
    X509Certificate::from_der(der).unwrap().1
}

fn san_strings(der: &[u8]) -> Vec<String> {
    let cert = parse(der);
    let sans = cert.subject_alternative_name().unwrap().unwrap();
    sans.value
        .general_names
        .iter()
        .filter_map(|name| match name {
            GeneralName::DNSName(dns) => Some(dns.to_string()),
            GeneralName::IPAddress(bytes) if bytes.len() == 4 => {
                Some(std::net::Ipv4Addr::from(<[u8; 4]>::try_from(*bytes).unwrap()).to_string())
            }
            _ => None,
        })
        .collect()
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

#[tokio::test]
async fn tls_a_client_trusting_only_the_local_ca_connects_by_ip_and_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = spawn_tls(tls_config(&dir, |_| {})).await;
    let mut names = vec!["127.0.0.1".to_string(), "localhost".to_string()];
    names.extend(borasen::tls::names::hostname());
    for name in &names {
        let answer = get(app.https, name, local_ca(&dir), "/healthz").await.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(answer.status, 200, "{name}");
        assert_eq!(&answer.body[..], b"ok");
    }
    app.stop().await;
}

#[tokio::test]
async fn tls_a_client_without_the_ca_is_refused_as_unknown_issuer() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = spawn_tls(tls_config(&dir, |_| {})).await;
    let error = get(app.https, "localhost", RootCertStore::empty(), "/healthz").await.err().expect("refused");
    assert_eq!(
        tls_error(&error),
        Some(&rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer)),
        "{error:?}"
    );
    // The server lives on for the next client.
    assert_eq!(get(app.https, "localhost", local_ca(&dir), "/healthz").await.unwrap().status, 200);
    app.stop().await;
}

#[tokio::test]
async fn tls_plain_http_redirects_to_https_but_serves_setup_and_healthz() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = spawn_tls(tls_config(&dir, |_| {})).await;
    let http = no_redirects();
    let port = app.https.port();

    let response = http.get(app.http_url("/needs?zone=3&q=a%20b")).send().await.unwrap();
    assert_eq!(response.status(), 301);
    assert_eq!(response.headers()["location"], format!("https://127.0.0.1:{port}/needs?zone=3&q=a%20b"));
    let response =
        http.post(app.http_url("/api/session")).header("host", "desk-pc.local:8080").body("{}").send().await.unwrap();
    assert_eq!(response.status(), 308, "an unsafe method keeps its method and body");
    assert_eq!(response.headers()["location"], format!("https://desk-pc.local:{port}/api/session"));

    assert_eq!(http.get(app.http_url("/healthz")).send().await.unwrap().status(), 200);
    let fingerprint = app.state.reach.ca.as_ref().unwrap().fingerprint.clone();
    assert_eq!(fingerprint.len(), 95, "AA:BB:… for 32 bytes");
    let page = http.get(app.http_url("/setup")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains(&fingerprint));
    // The English switch works on the plain port too (a tablet there cannot open HTTPS yet).
    let switch = http.get(app.http_url("/lang/en?back=/setup")).send().await.unwrap();
    assert_eq!(switch.headers()["location"], "/setup");
    let english = http.get(app.http_url("/setup")).header("cookie", "borasen_lang=en").send().await.unwrap();
    let english = english.text().await.unwrap();
    assert!(english.contains("Connecting a tablet") && english.contains("Certificate Trust Settings"), "{english}");
    let page = get(app.https, "localhost", local_ca(&dir), "/setup").await.unwrap();
    assert_eq!(page.status, 200);
    assert!(String::from_utf8_lossy(&page.body).contains(&fingerprint));
    app.stop().await;
}

#[tokio::test]
async fn tls_the_session_cookie_is_secure_over_https() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = spawn_tls(tls_config(&dir, |_| {})).await;
    let body = format!(r#"{{"username":"admin","password":"{ADMIN_PASSWORD}"}}"#);
    let login = https(app.https, "localhost", local_ca(&dir), "POST", "/api/session", Some(&body)).await.unwrap();
    assert_eq!(login.status, 200);
    let cookie = login.headers["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("; Secure") && cookie.contains("HttpOnly"), "{cookie}");
    app.stop().await;

    let plain = spawn_app().await;
    let response = reqwest::Client::new()
        .post(plain.url("/api/session"))
        .json(&serde_json::json!({ "username": "admin", "password": ADMIN_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert!(!response.headers()["set-cookie"].to_str().unwrap().contains("Secure"), "plain HTTP keeps it unmarked");
}

#[tokio::test]
async fn tls_a_restart_keeps_the_ca_and_its_key_stays_private() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = spawn_tls(tls_config(&dir, |_| {})).await;
    let ca_bytes = std::fs::read(dir.path().join("tls/ca.pem")).unwrap();
    let fingerprint = first.state.reach.ca.as_ref().unwrap().fingerprint.clone();
    first.stop().await;

    let mut second = spawn_tls(tls_config(&dir, |_| {})).await;
    assert_eq!(std::fs::read(dir.path().join("tls/ca.pem")).unwrap(), ca_bytes);
    assert_eq!(second.state.reach.ca.as_ref().unwrap().fingerprint, fingerprint);
    assert_eq!(get(second.https, "localhost", local_ca(&dir), "/healthz").await.unwrap().status, 200);
    #[cfg(unix)]
    for key in ["tls/ca-key.pem", "tls/server-key.pem"] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join(key)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{key}");
    }
    // The key is never served, on either port.
    let key = std::fs::read_to_string(dir.path().join("tls/ca-key.pem")).unwrap();
    let key_body = key.lines().nth(1).unwrap().to_string();
    for path in ["/setup", "/setup/ca.pem", "/setup/ca-key.pem", "/setup/borasen.mobileconfig"] {
        let text = no_redirects().get(second.http_url(path)).send().await.unwrap().text().await.unwrap();
        assert!(!text.contains(&key_body), "{path}");
    }
    second.stop().await;
}

#[tokio::test]
async fn tls_a_new_name_gets_a_new_leaf_from_the_same_ca_valid_at_most_397_days() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = spawn_tls(tls_config(&dir, |_| {})).await;
    let before = get(first.https, "localhost", local_ca(&dir), "/healthz").await.unwrap().leaf;
    let ca_bytes = std::fs::read(dir.path().join("tls/ca.pem")).unwrap();
    first.stop().await;

    let mut same = spawn_tls(tls_config(&dir, |_| {})).await;
    let kept = get(same.https, "localhost", local_ca(&dir), "/healthz").await.unwrap().leaf;
    assert_eq!(kept, before, "the same names keep the stored leaf");
    same.stop().await;

    let extra = borasen::tls::names::Name::parse("borasen.example.jp").unwrap();
    let mut second = spawn_tls(tls_config(&dir, |tls| tls.extra_names = vec![extra])).await;
    let after = get(second.https, "borasen.example.jp", local_ca(&dir), "/healthz").await.unwrap();
    assert_eq!(after.status, 200);
    let sans = san_strings(&after.leaf);
    assert!(sans.contains(&"borasen.example.jp".to_string()), "{sans:?}");
    assert!(sans.contains(&"localhost".to_string()) && sans.contains(&"127.0.0.1".to_string()), "{sans:?}");
    assert_ne!(parse(&after.leaf).raw_serial(), parse(&before).raw_serial());
    assert_eq!(std::fs::read(dir.path().join("tls/ca.pem")).unwrap(), ca_bytes, "the CA is unchanged");

    let leaf = parse(&after.leaf);
    let lifetime = leaf.validity().not_after.timestamp() - leaf.validity().not_before.timestamp();
    assert!(lifetime <= 397 * 86_400, "{} days", lifetime / 86_400);
    assert!(lifetime > 390 * 86_400);
    let server_auth = leaf.extended_key_usage().unwrap().unwrap().value.server_auth;
    assert!(server_auth);
    let ca_pem = CertificateDer::from_pem_slice(&ca_bytes).unwrap();
    let ca = parse(&ca_pem);
    assert!(ca.is_ca());
    assert!(ca.key_usage().unwrap().unwrap().value.key_cert_sign());
    assert!(ca.subject().to_string().contains("ローカルCA"), "{}", ca.subject());
    second.stop().await;
}

/// The value after `<key>key</key>` in a plist `<dict>`.
fn value_of<'a, 'input>(dict: roxmltree::Node<'a, 'input>, key: &str) -> Option<roxmltree::Node<'a, 'input>> {
    let mut children = dict.children().filter(|n| n.is_element());
    children.find(|n| n.has_tag_name("key") && n.text() == Some(key)).and_then(|_| children.next())
}

/// A CA and a leaf for `localhost` made by the test, as an operator's own PKI would.
fn own_pki(dir: &Path) -> (OwnCert, std::path::PathBuf, Vec<u8>) {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, &ca_key);
    let key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["localhost".to_string()]).unwrap().signed_by(&key, &issuer).unwrap();
    let (cert_path, key_path, ca_path) = (dir.join("own.pem"), dir.join("own-key.pem"), dir.join("own-ca.pem"));
    std::fs::write(&cert_path, leaf.pem()).unwrap();
    std::fs::write(&key_path, key.serialize_pem()).unwrap();
    std::fs::write(&ca_path, ca_cert.pem()).unwrap();
    (OwnCert { cert: cert_path, key: key_path }, ca_path, leaf.der().to_vec())
}

#[tokio::test]
async fn tls_an_own_certificate_is_served_and_a_wrong_key_is_refused_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let (own, ca_path, leaf_der) = own_pki(dir.path());
    let mut app = spawn_tls(tls_config(&dir, |tls| tls.own_cert = Some(own.clone()))).await;
    let answer = get(app.https, "localhost", roots_of(&ca_path), "/healthz").await.unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(answer.leaf, leaf_der);
    assert!(app.state.reach.ca.is_none(), "no local CA to offer");
    assert!(!dir.path().join("tls/ca.pem").exists(), "no local CA is made");
    app.stop().await;

    let other = tempfile::tempdir().unwrap();
    let (theirs, _, _) = own_pki(other.path());
    let mismatched = OwnCert { cert: own.cert.clone(), key: theirs.key };
    let error = Application::build(tls_config(&dir, |tls| tls.own_cert = Some(mismatched))).await.err().unwrap();
    let message = error.to_string();
    assert!(message.contains("対になっていません") && message.contains("do not match"), "{message}");

    let missing = OwnCert { cert: dir.path().join("nothing.pem"), key: own.key };
    let error = Application::build(tls_config(&dir, |tls| tls.own_cert = Some(missing))).await.err().unwrap();
    let message = error.to_string();
    assert!(message.contains("読めません") && message.contains("cannot read"), "{message}");
}

#[tokio::test]
async fn tls_the_ca_downloads_and_the_ios_profile_hold_the_same_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = spawn_tls(tls_config(&dir, |_| {})).await;
    let http = no_redirects();
    let ca_pem = std::fs::read_to_string(dir.path().join("tls/ca.pem")).unwrap();
    let ca_der = CertificateDer::from_pem_slice(ca_pem.as_bytes()).unwrap().to_vec();

    let crt = http.get(app.http_url("/setup/ca.crt")).send().await.unwrap();
    assert_eq!(crt.status(), 200);
    assert_eq!(crt.headers()["content-type"], "application/x-x509-ca-cert");
    let crt = crt.bytes().await.unwrap();
    assert_eq!(&crt[..], &ca_der[..]);
    assert!(parse(&crt).is_ca());

    let pem = http.get(app.http_url("/setup/ca.pem")).send().await.unwrap();
    assert_eq!(pem.status(), 200);
    assert_eq!(pem.text().await.unwrap(), ca_pem);

    let profile = http.get(app.http_url("/setup/borasen.mobileconfig")).send().await.unwrap();
    assert_eq!(profile.status(), 200);
    assert_eq!(profile.headers()["content-type"], "application/x-apple-aspen-config");
    let profile = profile.text().await.unwrap();
    let plist = roxmltree::Document::parse_with_options(
        &profile,
        roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() },
    )
    .unwrap();
    let outer = plist.root_element().children().find(|n| n.has_tag_name("dict")).unwrap();
    assert_eq!(value_of(outer, "PayloadType").unwrap().text(), Some("Configuration"));
    let payload = value_of(outer, "PayloadContent").unwrap().children().find(|n| n.has_tag_name("dict")).unwrap();
    assert_eq!(value_of(payload, "PayloadType").unwrap().text(), Some("com.apple.security.root"));
    let data: String =
        value_of(payload, "PayloadContent").unwrap().text().unwrap().chars().filter(|c| !c.is_whitespace()).collect();
    use base64::Engine;
    assert_eq!(base64::engine::general_purpose::STANDARD.decode(data).unwrap(), ca_der);
    // The UUIDs follow the CA: the same profile twice replaces itself on the iPad.
    let again = http.get(app.http_url("/setup/borasen.mobileconfig")).send().await.unwrap().text().await.unwrap();
    assert_eq!(again, profile);
    let uuid = value_of(outer, "PayloadUUID").unwrap().text().unwrap();
    assert_eq!(uuid.len(), 36, "{uuid}");
    app.stop().await;
}

#[tokio::test]
async fn tls_the_poster_is_an_a4_pdf_with_the_steps_and_the_fingerprint() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = spawn_tls(tls_config(&dir, |_| {})).await;
    let response = no_redirects().get(app.http_url("/setup/poster.pdf")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let bytes = response.bytes().await.unwrap();
    let text: String =
        pdf_extract::extract_text_from_mem(&bytes).unwrap().chars().filter(|c| !c.is_whitespace()).collect();
    for heading in ["タブレットの接続設定", "iPad・iPhone", "Android", "証明書の指紋"] {
        assert!(text.contains(heading), "{heading} missing from {text}");
    }
    let fingerprint = app.state.reach.ca.as_ref().unwrap().fingerprint.clone();
    assert!(text.contains(&fingerprint[..23]), "{text}");
    assert!(text.contains(&format!("https://127.0.0.1:{}/", app.https.port())), "{text}");
    app.stop().await;
}

#[tokio::test]
async fn tls_setup_without_tls_says_https_is_off_and_offers_no_certificate() {
    let app = spawn_app().await;
    let response = reqwest::get(app.url("/setup")).await.unwrap();
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    assert!(page.contains("HTTPSは使われていません"), "{page}");
    assert!(page.contains("--tls"));
    assert!(page.contains(&format!("http://127.0.0.1:{}/", app.addr.port())), "the URL as a QR code and text");
    assert!(page.contains("<svg"));
    assert_eq!(reqwest::get(app.url("/setup/ca.crt")).await.unwrap().status(), 404);
    let poster = reqwest::get(app.url("/setup/poster.pdf")).await.unwrap();
    assert_eq!(poster.status(), 200);
}

/// The real binary (`BORASEN_TLS=1`): the banner, then the two machine-read lines, `listening` last.
#[tokio::test]
async fn tls_serve_prints_the_urls_then_redirecting_then_listening() {
    use std::process::{Command, Stdio};

    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_borasen"))
        .args(["serve", "--addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0", "--data"])
        .arg(dir.path())
        .env("BORASEN_TLS", "1")
        .env("BORASEN_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("BORASEN_BACKUP_MINUTES", "0")
        .env("BORASEN_TLS_NAMES", "borasen.example.jp,10.9.8.7")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let printed = crate::binary::wait_until_listening(&mut child).printed;
    let https = printed.last().unwrap().strip_prefix("borasen: listening on https://").unwrap().to_string();
    let http = printed[printed.len() - 2].strip_prefix("borasen: redirecting http://").unwrap().to_string();
    let text = printed.join("\n");
    assert!(text.contains(&format!("  https://{https}/")), "{text}");
    assert!(text.contains(&format!("  http://{http}/setup")), "{text}");
    assert!(text.contains('▀') || text.contains('▄'), "a QR code of half blocks: {text}");
    let addr: SocketAddr = https.parse().unwrap();
    let answer = get(addr, "borasen.example.jp", local_ca(&dir), "/healthz").await.unwrap();
    assert!(san_strings(&answer.leaf).contains(&"10.9.8.7".to_string()));
    child.kill().unwrap();
    child.wait().unwrap();

    let output = Command::new(env!("CARGO_BIN_EXE_borasen"))
        .args(["serve", "--addr", "127.0.0.1:0", "--tls-cert", "/nonexistent.pem", "--tls-key", "/nonexistent-key.pem"])
        .args(["--http-addr", "127.0.0.1:0", "--data"])
        .arg(dir.path())
        .env("BORASEN_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("/nonexistent.pem") && stderr.contains("cannot read"), "{stderr}");
}

/// Handlers that read the client's address and websockets work over HTTPS as over HTTP.
#[tokio::test]
async fn tls_client_addresses_and_websockets_work_over_https() {
    use futures_util::StreamExt;

    let dir = tempfile::tempdir().unwrap();
    let mut app = spawn_tls(tls_config(&dir, |_| {})).await;
    // The public form reads `ConnectInfo<SocketAddr>` for its rate limit: 422, not 500.
    let answer =
        https(app.https, "localhost", local_ca(&dir), "POST", "/api/public/registrations", Some("{}")).await.unwrap();
    assert_eq!(answer.status, 422, "{}", String::from_utf8_lossy(&answer.body));

    let config = ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(local_ca(&dir))
        .with_no_client_auth();
    let tcp = TcpStream::connect(app.https).await.unwrap();
    let tls =
        TlsConnector::from(Arc::new(config)).connect(ServerName::try_from("localhost").unwrap(), tcp).await.unwrap();
    let url = format!("wss://localhost:{}/ws/lobby", app.https.port());
    let (mut socket, _) = tokio_tungstenite::client_async(url, tls).await.unwrap();
    let first = tokio::time::timeout(Duration::from_secs(10), socket.next()).await.unwrap().unwrap().unwrap();
    assert!(first.to_text().unwrap().contains("waiting"), "{first:?}");
    drop(socket);
    app.stop().await;
}

//! How people reach this center: the URLs they can type or scan, per LAN
//! address as the laptop has them now, and the CA tablets must trust. Read by
//! `/setup`, its poster and the start banner.

use std::net::{IpAddr, SocketAddr};

use super::ca::LocalCa;
use super::names;

/// The local CA's certificate as tablets download it.
#[derive(Clone, Debug)]
pub struct CaCert {
    pub der: Vec<u8>,
    pub pem: String,
    /// SHA-256, `AA:BB:…`.
    pub fingerprint: String,
    pub name: String,
}

impl From<&LocalCa> for CaCert {
    fn from(ca: &LocalCa) -> CaCert {
        CaCert { der: ca.der.to_vec(), pem: ca.pem.clone(), fingerprint: ca.fingerprint.clone(), name: ca.name.clone() }
    }
}

#[derive(Clone, Debug)]
pub struct Reach {
    /// The main listener: HTTPS with `--tls`, else plain HTTP.
    pub addr: SocketAddr,
    pub https: bool,
    /// With `--tls`: the plain port beside HTTPS (`/setup`, redirects).
    pub http_addr: Option<SocketAddr>,
    /// The local CA; `None` without `--tls` or with the operator's own certificate.
    pub ca: Option<CaCert>,
}

impl Reach {
    /// Plain HTTP on `addr`.
    pub fn plain(addr: SocketAddr) -> Reach {
        Reach { addr, https: false, http_addr: None, ca: None }
    }

    /// HTTPS on `addr`, the plain port on `http_addr`; `ca` unless the operator brought a certificate.
    pub fn https(addr: SocketAddr, http_addr: SocketAddr, ca: Option<CaCert>) -> Reach {
        Reach { addr, https: true, http_addr: Some(http_addr), ca }
    }

    /// The hosts a person can type, as the laptop is now.
    pub fn hosts(&self) -> Vec<String> {
        hosts_for(self.addr.ip(), &names::interface_addresses(), names::hostname().as_deref())
    }

    /// `https://192.168.1.20:8443/` …: the center's own URLs, one per host.
    pub fn urls(&self) -> Vec<String> {
        let scheme = if self.https { "https" } else { "http" };
        self.hosts().iter().map(|host| url(scheme, host, self.addr.port(), "/")).collect()
    }

    /// `http://192.168.1.20:8080/setup` …: where a tablet that trusts nothing yet starts.
    pub fn setup_urls(&self) -> Vec<String> {
        let port = self.http_addr.unwrap_or(self.addr).port();
        let scheme = if self.http_addr.is_some() || !self.https { "http" } else { "https" };
        self.hosts().iter().map(|host| url(scheme, host, port, "/setup")).collect()
    }

    /// The URL to put first (the terminal's QR code): the first LAN address.
    pub fn main_url(&self) -> String {
        self.urls().into_iter().next().unwrap_or_default()
    }
}

/// `scheme://host:port/path`, the port left out when it is the scheme's own.
pub fn url(scheme: &str, host: &str, port: u16, path: &str) -> String {
    let default = matches!((scheme, port), ("https", 443) | ("http", 80));
    if default { format!("{scheme}://{host}{path}") } else { format!("{scheme}://{host}:{port}{path}") }
}

/// The hosts for a server bound to `bound`: on every address (`0.0.0.0`, `::`), each
/// LAN address of that family (IPv4 first; IPv6 without link-local ones, which need a
/// zone no URL carries) and then `hostname.local`; on one address, that address.
/// Never `0.0.0.0`: nobody can type it.
pub fn hosts_for(bound: IpAddr, interfaces: &[IpAddr], hostname: Option<&str>) -> Vec<String> {
    if !bound.is_unspecified() {
        return vec![host_of(bound)];
    }
    let mut hosts: Vec<String> = Vec::new();
    let v4 = interfaces.iter().filter(|ip| ip.is_ipv4() && !ip.is_loopback());
    let v6 = interfaces.iter().filter(|ip| match ip {
        IpAddr::V6(v6) => bound.is_ipv6() && !v6.is_loopback() && !v6.is_unicast_link_local(),
        IpAddr::V4(_) => false,
    });
    for ip in v4.chain(v6) {
        let host = host_of(*ip);
        if !hosts.contains(&host) {
            hosts.push(host);
        }
    }
    if let Some(short) = hostname.map(|h| h.split('.').next().unwrap_or(h)).filter(|s| !s.is_empty()) {
        hosts.push(format!("{short}.local"));
    }
    if hosts.is_empty() {
        hosts.push("localhost".into());
    }
    hosts
}

/// An address as it goes in a URL: IPv6 in brackets.
fn host_of(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ips(list: &[&str]) -> Vec<IpAddr> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[test]
    fn a_server_on_every_address_lists_each_lan_address_and_the_mdns_name_never_0_0_0_0() {
        let interfaces = ips(&["192.168.1.20", "fd00::20", "fe80::1", "10.0.0.3"]);
        let hosts = hosts_for("0.0.0.0".parse().unwrap(), &interfaces, Some("desk-pc"));
        assert_eq!(hosts, ["192.168.1.20", "10.0.0.3", "desk-pc.local"]);
        let hosts = hosts_for("::".parse().unwrap(), &interfaces, Some("desk-pc.lan"));
        assert_eq!(hosts, ["192.168.1.20", "10.0.0.3", "[fd00::20]", "desk-pc.local"]);
    }

    #[test]
    fn a_server_on_one_address_lists_that_address() {
        assert_eq!(hosts_for("127.0.0.1".parse().unwrap(), &ips(&["192.168.1.20"]), Some("pc")), ["127.0.0.1"]);
        assert_eq!(hosts_for("::1".parse().unwrap(), &[], None), ["[::1]"]);
    }

    #[test]
    fn a_laptop_without_network_or_name_still_gets_a_host() {
        assert_eq!(hosts_for("0.0.0.0".parse().unwrap(), &[], None), ["localhost"]);
    }

    #[test]
    fn urls_leave_out_the_schemes_own_port() {
        assert_eq!(url("https", "10.0.0.3", 443, "/"), "https://10.0.0.3/");
        assert_eq!(url("https", "10.0.0.3", 8443, "/"), "https://10.0.0.3:8443/");
        assert_eq!(url("http", "pc.local", 8080, "/setup"), "http://pc.local:8080/setup");
    }

    #[test]
    fn setup_is_plain_http_beside_https() {
        let reach = Reach {
            addr: "127.0.0.1:8443".parse().unwrap(),
            https: true,
            http_addr: Some("127.0.0.1:8080".parse().unwrap()),
            ca: None,
        };
        assert_eq!(reach.urls(), ["https://127.0.0.1:8443/"]);
        assert_eq!(reach.setup_urls(), ["http://127.0.0.1:8080/setup"]);
        let plain = Reach::plain("127.0.0.1:8080".parse().unwrap());
        assert_eq!(plain.setup_urls(), ["http://127.0.0.1:8080/setup"]);
    }
}

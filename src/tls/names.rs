//! Every name this laptop answers to, as it is now: the set a served
//! certificate must cover. Tablets reach the center by IP address, by
//! `hostname.local` (mDNS) or by a name the operator added.

use std::collections::BTreeSet;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// One subject alternative name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Name {
    Dns(String),
    Ip(IpAddr),
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Name::Dns(name) => f.write_str(name),
            Name::Ip(ip) => write!(f, "{ip}"),
        }
    }
}

impl Name {
    /// `--tls-name`: an IP address, else a DNS name (letters, digits, `-`, dots; a leading
    /// `*.` for a wildcard). Lower-cased: DNS names compare without case.
    pub fn parse(text: &str) -> Result<Name, String> {
        let text = text.trim();
        if let Ok(ip) = text.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
            return Ok(Name::Ip(ip));
        }
        dns_name(text).map(Name::Dns).ok_or_else(|| {
            format!(
                "「{text}」は証明書の名前にできません（DNS名かIPアドレス）/ not a DNS name or an IP address: {text}"
            )
        })
    }
}

/// The names a certificate for this machine covers, ordered so two sets compare equal
/// whatever order the interfaces were listed in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameSet(BTreeSet<Name>);

impl NameSet {
    /// This machine now: its hostname, the interfaces' addresses, and `extra`.
    pub fn of_this_machine(extra: &[Name]) -> NameSet {
        NameSet::from_parts(hostname().as_deref(), &interface_addresses(), extra)
    }

    /// The set for a machine called `hostname` with these interface addresses: the
    /// hostname (and its first label, and that `.local` for mDNS), `localhost`, both
    /// loopback addresses, every address, and the operator's `extra` names.
    pub fn from_parts(hostname: Option<&str>, addresses: &[IpAddr], extra: &[Name]) -> NameSet {
        let mut names = BTreeSet::new();
        names.insert(Name::Dns("localhost".into()));
        names.insert(Name::Ip(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        names.insert(Name::Ip(IpAddr::V6(Ipv6Addr::LOCALHOST)));
        if let Some(host) = hostname.and_then(dns_name) {
            let short = host.split('.').next().unwrap_or(&host).to_string();
            names.insert(Name::Dns(format!("{short}.local")));
            names.insert(Name::Dns(short));
            names.insert(Name::Dns(host));
        }
        names.extend(addresses.iter().map(|ip| Name::Ip(*ip)));
        names.extend(extra.iter().cloned());
        NameSet(names)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Name> {
        self.0.iter()
    }

    pub fn contains(&self, name: &Name) -> bool {
        self.0.contains(name)
    }
}

impl FromIterator<Name> for NameSet {
    fn from_iter<I: IntoIterator<Item = Name>>(iter: I) -> NameSet {
        NameSet(iter.into_iter().collect())
    }
}

/// The machine's hostname, lower-cased, when it is a usable DNS name.
pub fn hostname() -> Option<String> {
    dns_name(gethostname::gethostname().to_str()?)
}

/// Every address of every interface except loopback (Wi-Fi, Ethernet, tethering, VPN).
pub fn interface_addresses() -> Vec<IpAddr> {
    match if_addrs::get_if_addrs() {
        Ok(interfaces) => interfaces.into_iter().map(|i| i.ip()).filter(|ip| !ip.is_loopback()).collect(),
        Err(error) => {
            tracing::warn!(%error, "cannot list the network interfaces");
            Vec::new()
        }
    }
}

/// `text` lower-cased when it is a DNS name a certificate can hold (RFC 1123 labels,
/// optionally a leading `*.`); `None` for anything else (spaces, underscores, a
/// Windows machine name in Japanese).
fn dns_name(text: &str) -> Option<String> {
    let name = text.trim().trim_end_matches('.').to_ascii_lowercase();
    let body = name.strip_prefix("*.").unwrap_or(&name);
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    let ok = !body.is_empty() && name.len() <= 253 && body.split('.').all(label_ok);
    // An all-numeric dotted name would read as a (broken) IP address.
    let numeric = body.split('.').all(|l| l.bytes().all(|b| b.is_ascii_digit()));
    (ok && !numeric).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn the_set_holds_hostname_mdns_loopback_every_address_and_the_extra_names() {
        let extra = [Name::parse("borasen.example.jp").unwrap(), Name::parse("10.0.0.5").unwrap()];
        let set = NameSet::from_parts(Some("Desk-Laptop"), &[ip("192.168.1.20"), ip("fd00::20")], &extra);
        let names: Vec<String> = set.iter().map(ToString::to_string).collect();
        for wanted in [
            "desk-laptop",
            "desk-laptop.local",
            "localhost",
            "127.0.0.1",
            "::1",
            "192.168.1.20",
            "fd00::20",
            "borasen.example.jp",
            "10.0.0.5",
        ] {
            assert!(names.iter().any(|n| n == wanted), "{wanted} missing from {names:?}");
        }
        assert_eq!(names.len(), 9, "{names:?}");
    }

    #[test]
    fn a_dotted_hostname_also_gives_its_short_name_and_the_mdns_name() {
        let set = NameSet::from_parts(Some("center.lan"), &[], &[]);
        for wanted in ["center.lan", "center", "center.local"] {
            assert!(set.contains(&Name::Dns(wanted.into())), "{wanted}");
        }
    }

    #[test]
    fn the_order_of_the_interfaces_does_not_change_the_set() {
        let a = NameSet::from_parts(Some("pc"), &[ip("10.0.0.1"), ip("192.168.0.2")], &[]);
        let b = NameSet::from_parts(Some("pc"), &[ip("192.168.0.2"), ip("10.0.0.1"), ip("10.0.0.1")], &[]);
        assert_eq!(a, b);
        let c = NameSet::from_parts(Some("pc"), &[ip("192.168.0.3"), ip("10.0.0.1")], &[]);
        assert_ne!(a, c);
    }

    #[test]
    fn a_hostname_that_is_no_dns_name_is_left_out() {
        let set = NameSet::from_parts(Some("ボラセン PC"), &[], &[]);
        assert_eq!(set.iter().count(), 3, "localhost and the two loopback addresses only");
    }

    #[test]
    fn names_parse_as_ip_addresses_or_dns_names_and_junk_is_refused() {
        assert_eq!(Name::parse("192.168.0.9"), Ok(Name::Ip(ip("192.168.0.9"))));
        assert_eq!(Name::parse("[fe80::1]"), Ok(Name::Ip(ip("fe80::1"))));
        assert_eq!(Name::parse("Center.Example.JP."), Ok(Name::Dns("center.example.jp".into())));
        assert_eq!(Name::parse("*.example.jp"), Ok(Name::Dns("*.example.jp".into())));
        for bad in ["", "bad name", "under_score", "-dash.jp", "1.2.3", "ボラセン.jp"] {
            assert!(Name::parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}

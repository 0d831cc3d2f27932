//! The `/setup` page: the center's addresses as QR codes, the CA's fingerprint,
//! and each kind of device's steps to trust the CA.

use askama::Template;

use super::qr;
use crate::tls::reach::Reach;
use crate::web::pages::PageContext;

/// A URL with its QR code.
pub struct Link {
    pub url: String,
    pub svg: String,
}

/// What the page shows of the center's HTTPS.
pub enum Https {
    /// Plain HTTP only: how to turn HTTPS on.
    Off,
    /// The local CA tablets install.
    LocalCa { name: String, fingerprint: String },
    /// The operator's own certificate: nothing to download here.
    OwnCert,
}

#[derive(Template)]
#[template(path = "setup/index.html")]
pub struct SetupPage {
    pub page: PageContext,
    pub w: crate::i18n::Words,
    pub https: Https,
    /// The center's URLs (HTTPS when it is on).
    pub open: Vec<Link>,
    /// The plain-HTTP `/setup` URLs a new tablet starts from; empty when HTTPS is off
    /// (then `open` is plain HTTP already).
    pub first: Vec<Link>,
}

impl SetupPage {
    pub fn new(page: PageContext, reach: &Reach) -> SetupPage {
        let links = |urls: Vec<String>| urls.into_iter().map(|url| Link { svg: qr::svg(&url), url }).collect();
        let https = match (&reach.ca, reach.https) {
            (_, false) => Https::Off,
            (Some(ca), true) => Https::LocalCa { name: ca.name.clone(), fingerprint: ca.fingerprint.clone() },
            (None, true) => Https::OwnCert,
        };
        let first = if reach.https { links(reach.setup_urls()) } else { Vec::new() };
        SetupPage { w: page.t, page, https, open: links(reach.urls()), first }
    }
}

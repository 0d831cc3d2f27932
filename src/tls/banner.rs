//! What `serve` prints for people at start: the URLs they can type (one per
//! LAN address, never `0.0.0.0`), the `/setup` address for a new tablet, the
//! CA's fingerprint, and the main URL as a QR code drawn in the terminal.
//! (The `borasen: listening on …` lines for scripts are printed by `cli`.)

use std::io::{IsTerminal, Write};

use qrcode::QrCode;
use qrcode::render::unicode::Dense1x2;

use super::reach::Reach;

/// The banner's text lines, the QR code aside.
pub fn lines(reach: &Reach) -> Vec<String> {
    let mut lines = vec!["ボラセンを開くには / open borasen at:".to_string()];
    lines.extend(reach.urls().into_iter().map(|url| format!("  {url}")));
    lines.push(if reach.https {
        "タブレットの初期設定（証明書）/ tablet setup (certificate):".into()
    } else {
        "タブレットの初期設定（HTTPSは無効）/ tablet setup (HTTPS is off):".into()
    });
    lines.extend(reach.setup_urls().into_iter().map(|url| format!("  {url}")));
    if let Some(ca) = &reach.ca {
        lines.push(format!("ローカルCAの指紋 / local CA fingerprint (SHA-256):\n  {}", ca.fingerprint));
    }
    lines
}

/// `text` as a QR code of Unicode half blocks, two modules a character row. On a
/// terminal it is painted white on black whatever the terminal's colours (scanners
/// want dark modules on light); elsewhere (a log file) dark modules are `█`.
pub fn terminal_qr(text: &str, on_terminal: bool) -> Option<String> {
    let code = QrCode::with_error_correction_level(text, qrcode::EcLevel::L).ok()?;
    if !on_terminal {
        return Some(code.render::<Dense1x2>().quiet_zone(true).build());
    }
    // Light modules as full blocks in white on a black background.
    let drawn =
        code.render::<Dense1x2>().dark_color(Dense1x2::Light).light_color(Dense1x2::Dark).quiet_zone(true).build();
    Some(drawn.lines().map(|line| format!("\x1b[97;40m{line}\x1b[0m")).collect::<Vec<_>>().join("\n"))
}

/// Prints the banner. A closed stdout (a script that stopped reading) is not an error.
pub fn print(reach: &Reach) {
    let stdout = std::io::stdout();
    let on_terminal = stdout.is_terminal();
    let mut out = stdout.lock();
    let _ = writeln!(out);
    for line in lines(reach) {
        let _ = writeln!(out, "{line}");
    }
    if let Some(qr) = terminal_qr(&reach.main_url(), on_terminal) {
        let _ = writeln!(out, "{qr}");
    }
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_banner_lists_urls_setup_and_fingerprint_and_never_0_0_0_0() {
        let reach = Reach {
            addr: "127.0.0.1:8443".parse().unwrap(),
            https: true,
            http_addr: Some("127.0.0.1:8080".parse().unwrap()),
            ca: Some(super::super::reach::CaCert {
                der: vec![],
                pem: String::new(),
                fingerprint: "AA:BB".into(),
                name: "ca".into(),
            }),
        };
        let text = lines(&reach).join("\n");
        assert!(text.contains("  https://127.0.0.1:8443/"), "{text}");
        assert!(text.contains("  http://127.0.0.1:8080/setup"), "{text}");
        assert!(text.contains("AA:BB"), "{text}");
        assert!(!text.contains("0.0.0.0"));
    }

    #[test]
    fn the_qr_code_is_half_blocks_and_coloured_only_on_a_terminal() {
        let plain = terminal_qr("https://192.168.1.20:8443/", false).unwrap();
        assert!(plain.contains('█') && !plain.contains('\x1b'));
        let coloured = terminal_qr("https://192.168.1.20:8443/", true).unwrap();
        assert!(coloured.starts_with("\x1b[97;40m"));
        // Two modules per character row: about half as many rows as columns.
        let rows = plain.lines().count();
        let cols = plain.lines().next().unwrap().chars().count();
        assert!(rows * 2 >= cols && rows * 2 <= cols + 1, "{rows} × {cols}");
    }
}

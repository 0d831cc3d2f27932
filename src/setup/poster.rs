//! 掲示用ポスター: one A4 page to tape at each desk — the QR code a new tablet
//! starts from, the QR code of the center itself, the iPad and Android steps,
//! and the CA's fingerprint to compare. Japanese: it hangs in a Japanese center.

use super::words::{ja, ja_step};
use crate::pdf::{self, Page, Weight, fitting_size};
use crate::tls::reach::Reach;

const LEFT: f32 = 15.0;
const WIDTH: f32 = 180.0;
const QR: f32 = 58.0;

const IOS_FIRST: &str = "①のQRコードをカメラで読み取り、Safariで開いたページの「構成プロファイルをダウンロード」を押して「許可」を選びます。";
const ANDROID_FIRST: &str = "①のQRコードを読み取り、Chromeで開いたページの「CA証明書をダウンロード」を押します。";
const LAST: &str = "②のQRコードからセンターを開きます。";

pub fn render(reach: &Reach, center_name: &str, drill: bool) -> Vec<u8> {
    let mut page = Page::a4();
    let mut y = 14.0;
    page.text(LEFT, y, 24.0, Weight::Bold, &ja("title"));
    y += 11.0;
    page.text(LEFT, y, 11.0, Weight::Regular, &format!("{center_name} — Connecting a tablet to this center"));
    y += 7.0;
    page.line(LEFT, y, LEFT + WIDTH, y, 0.8);
    y += 4.0;

    let urls = reach.urls();
    let setup = reach.setup_urls();
    match (reach.https, setup.first()) {
        (true, Some(first)) => {
            let half = WIDTH / 2.0;
            code_block(&mut page, LEFT, y, half - 4.0, "① はじめての端末はここから", &ja("first_note"), first);
            let open = urls.first().map(String::as_str).unwrap_or_default();
            let note = "証明書を入れた端末は、このQRコードからセンターを開きます。";
            code_block(&mut page, LEFT + half + 4.0, y, half - 4.0, "② 設定が済んだら", note, open);
        }
        _ => {
            page.fill_rect(LEFT, y, WIDTH, 18.0, (1.0, 0.95, 0.86));
            page.text_wrapped(LEFT + 3.0, y + 2.0, WIDTH - 6.0, 10.0, Weight::Bold, &ja("tls_off"));
            y += 20.0;
            let open = urls.first().map(String::as_str).unwrap_or_default();
            code_block(&mut page, LEFT, y, WIDTH / 2.0, &ja("open_heading"), &ja("open_note"), open);
        }
    }
    y += QR + 26.0;

    let others: Vec<&String> = urls.iter().skip(1).chain(setup.iter().skip(1)).collect();
    if !others.is_empty() {
        let list = others.iter().map(|u| u.as_str()).collect::<Vec<_>>().join("　");
        y += page.text_wrapped(LEFT, y, WIDTH, 9.0, Weight::Regular, &format!("ほかのアドレス：{list}")) + 3.0;
    }

    if reach.https && reach.ca.is_some() {
        // The page's steps, but starting and ending at the poster's own QR codes.
        let ios = [IOS_FIRST, &ja_step("ios_steps", 2), &ja_step("ios_steps", 3), LAST];
        let android = [ANDROID_FIRST, &ja_step("android_steps", 2), &ja_step("android_steps", 3), LAST];
        for (heading, steps) in [(&ja("ios_heading"), ios), (&ja("android_heading"), android)] {
            page.fill_rect(LEFT, y, WIDTH, 8.0, (0.85, 0.91, 0.97));
            page.text(LEFT + 2.0, y + 0.8, 13.0, Weight::Bold, heading);
            y += 10.0;
            for (n, step) in steps.iter().enumerate() {
                page.text(LEFT, y, 10.0, Weight::Bold, &format!("{}.", n + 1));
                y += page.text_wrapped(LEFT + 6.0, y, WIDTH - 6.0, 10.0, Weight::Regular, step) + 0.8;
            }
            y += 3.0;
        }
    } else if reach.https {
        y += page.text_wrapped(LEFT, y, WIDTH, 10.0, Weight::Regular, &ja("own_cert")) + 3.0;
    } else {
        y += page.text_wrapped(LEFT, y, WIDTH, 10.0, Weight::Regular, &ja("tls_off_how")) + 3.0;
    }

    if let Some(ca) = reach.ca.as_ref().filter(|_| reach.https) {
        page.text(LEFT, y, 12.0, Weight::Bold, &ja("fingerprint_heading"));
        y += 7.0;
        // 16 bytes a line: `AA:BB:…` of 47 characters fits A4 at 11 pt.
        let (first, second) = ca.fingerprint.split_at(ca.fingerprint.len().min(48));
        page.text(LEFT, y, 11.0, Weight::Regular, first.trim_end_matches(':'));
        page.text(LEFT, y + 5.5, 11.0, Weight::Regular, second);
        y += 12.0;
        page.text_wrapped(LEFT, y, WIDTH, 9.0, Weight::Regular, &format!("{}（{}）", &ja("fingerprint_note"), ca.name));
    }
    pdf::render("タブレットの接続設定", vec![page], drill)
}

/// A heading, a note and the QR code of `url` with the URL under it, `width` mm wide.
fn code_block(page: &mut Page, x: f32, y: f32, width: f32, heading: &str, note: &str, url: &str) {
    let size = fitting_size(heading, Weight::Bold, width, 14.0, 9.0);
    page.text(x, y, size, Weight::Bold, heading);
    let used = page.text_wrapped(x, y + 7.5, width, 9.0, Weight::Regular, note);
    let top = y + 8.0 + used.max(8.0);
    page.qr(x + (width - QR) / 2.0, top, QR, url);
    let url_size = fitting_size(url, Weight::Regular, width, 10.0, 6.0);
    page.text_centered(x + width / 2.0, top + QR, url_size, Weight::Bold, url);
}

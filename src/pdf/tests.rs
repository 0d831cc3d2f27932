use super::*;

const PARAGRAPH: &str = "ボランティア活動保険に加入済みであることを受付で確認してください。\
    活動中は必ずこの名札を身につけ、体調に異変を感じたら（軽い症状でも）すぐにリーダーへ伝えてください。\
    Please wear this badge at all times during your activity.";

use super::testing::{compact as without_whitespace, extract};

/// A name badge, roughly as the reception desk prints it.
fn badge_page() -> Page {
    let mut page = Page::a4();
    page.rect(15.0, 15.0, 91.0, 55.0, 0.5, true);
    page.fill_rect(15.0, 15.0, 91.0, 9.0, (0.85, 0.9, 1.0));
    page.text(19.0, 16.0, 10.0, Weight::Bold, "災害ボランティアセンター");
    page.text(19.0, 27.0, 9.0, Weight::Regular, "ヤマダ タロウ");
    page.text(19.0, 32.0, 22.0, Weight::Bold, "山田 太郎");
    page.text(19.0, 45.0, 12.0, Weight::Regular, "V-0001");
    page.line(19.0, 52.0, 72.0, 52.0, 0.3);
    page.qr(76.0, 26.0, 28.0, "https://vc.example.jp/v/V-0001");
    page.text_centered(105.0, 80.0, 14.0, Weight::Bold, "注意事項");
    page.text_wrapped(20.0, 90.0, 170.0, 10.5, Weight::Regular, PARAGRAPH);
    page
}

#[test]
fn japanese_text_extracts_and_file_is_small() {
    let bytes = render("名札 V-0001", vec![badge_page()], false);
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(bytes.len() < 100_000, "PDF is {} bytes", bytes.len());
    let text = extract(&bytes);
    for expected in ["山田 太郎", "ヤマダ タロウ", "V-0001", "注意事項", "災害ボランティアセンター"]
    {
        assert!(text.contains(expected), "{expected:?} not in {text:?}");
    }
    // The paragraph is wrapped, so compare without the line breaks.
    let compact = without_whitespace(&text);
    assert!(compact.contains(&without_whitespace(PARAGRAPH)), "paragraph not in {text:?}");
    assert!(compact.contains("ボランティア活動保険"));
}

#[test]
fn drill_mode_marks_every_page() {
    let pages = || vec![badge_page(), Page::new(148.0, 105.0)];
    let drill = extract(&render("訓練の名札", pages(), true));
    assert_eq!(drill.matches("訓練").count(), 2, "one watermark per page in {drill:?}");
    assert!(drill.contains("山田 太郎"), "content stays extractable under the watermark");
    let real = extract(&render("名札", pages(), false));
    assert!(!real.contains("訓練"), "{real:?}");
}

#[test]
fn wrapped_lines_fit_and_respect_kinsoku() {
    let text = "ボランティアの皆さん、本日はご参加ありがとうございます。受付（テント）で「名札」を受け取り、\
        注意事項をよく読んでください。Sign in at the desk, then wait for your team leader.";
    for width in [20.0, 23.5, 31.0, 47.0, 60.0] {
        let lines = wrap_lines(text, width, 10.5, Weight::Regular);
        assert!(lines.len() > 1);
        assert_eq!(without_whitespace(&lines.concat()), without_whitespace(text), "nothing lost at {width} mm");
        for line in &lines {
            assert!(text_width_mm(10.5, Weight::Regular, line) <= width + 1e-3, "{line:?} wider than {width} mm");
            let first = line.chars().next().unwrap();
            let last = line.chars().last().unwrap();
            assert!(!"。、）」』】〕ー…)],.".contains(first), "{line:?} starts with {first}");
            assert!(!"（「『【〔([".contains(last), "{line:?} ends with {last}");
            assert_eq!(line.trim(), line);
        }
        // Latin words are not broken when a space is available.
        assert!(lines.iter().flat_map(|l| l.split(' ')).any(|w| w == "desk,"), "{lines:?}");
    }
}

#[test]
fn wrap_lines_handles_edges() {
    assert!(wrap_lines("", 50.0, 10.0, Weight::Regular).is_empty());
    assert_eq!(wrap_lines("一行目\n\n三行目", 50.0, 10.0, Weight::Regular), vec!["一行目", "", "三行目"]);
    // A word longer than the line is broken rather than overflowing.
    let long = "https://vc.example.jp/volunteers/V-0001/activities/2024";
    for line in wrap_lines(long, 25.0, 10.0, Weight::Regular) {
        assert!(text_width_mm(10.0, Weight::Regular, &line) <= 25.0 + 1e-3);
    }
    // A break that would start a line with 「。」 moves one character back.
    let lines = wrap_lines(
        "あいうえおかきくけこ。",
        text_width_mm(10.0, Weight::Regular, "あいうえおかきくけこ"),
        10.0,
        Weight::Regular,
    );
    assert_eq!(lines, vec!["あいうえおかきくけ", "こ。"]);
}

#[test]
fn widths_follow_the_font() {
    let em = 12.0 * 25.4 / 72.0;
    assert!((text_width_mm(12.0, Weight::Regular, "山") - em).abs() < 1e-3);
    assert!((text_width_mm(12.0, Weight::Bold, "ボランティア") - 6.0 * em).abs() < 1e-3);
    assert!((text_width_mm(12.0, Weight::Regular, "V-0001") - 3.0 * em).abs() < 0.05 * em);
}

#[test]
fn qr_page_is_small() {
    let mut page = Page::new(100.0, 60.0);
    page.qr(5.0, 5.0, 50.0, "https://vc.example.jp/checkin?token=0123456789abcdef0123456789abcdef");
    page.text(60.0, 10.0, 12.0, Weight::Regular, "受付用QR");
    let bytes = render("QR", vec![page], false);
    assert!(bytes.len() < 100_000, "PDF is {} bytes", bytes.len());
    assert!(extract(&bytes).contains("受付用QR"));
}

#[test]
fn overlong_qr_data_draws_a_placeholder() {
    let mut page = Page::a4();
    page.qr(10.0, 10.0, 40.0, &"x".repeat(5000));
    assert!(!render("QR", vec![page], false).is_empty());
}

#[test]
fn shapes_and_clipping_keep_the_graphics_state_balanced() {
    let mut page = Page::a4();
    page.clipped(20.0, 20.0, 60.0, 60.0, |page| {
        let square = vec![(10.0, 10.0), (90.0, 10.0), (90.0, 90.0), (10.0, 90.0)];
        let hole = vec![(40.0, 40.0), (60.0, 40.0), (60.0, 60.0), (40.0, 60.0)];
        page.fill_polygon(&[square.clone(), hole, vec![(1.0, 1.0)]], (1.0, 0.9, 0.9));
        page.polyline(&square, true, 1.0, (0.8, 0.0, 0.0));
        page.polyline(&[(0.0, 0.0)], false, 1.0, (0.0, 0.0, 0.0));
        page.text(30.0, 30.0, 10.0, Weight::Regular, "切り抜き");
    });
    page.fill_polygon(&[vec![(0.0, 0.0), (1.0, 1.0)]], (0.0, 0.0, 0.0));
    let saves = page.ops.iter().filter(|op| matches!(op, Op::SaveGraphicsState)).count();
    let restores = page.ops.iter().filter(|op| matches!(op, Op::RestoreGraphicsState)).count();
    // clip + fill + one polyline; the one-point line and the degenerate ring draw nothing.
    assert_eq!((saves, restores), (3, 3));
    let Some(Op::DrawPolygon { polygon }) = page.ops.iter().find(|op| matches!(op, Op::DrawPolygon { .. })) else {
        panic!("no polygon in {:?}", page.ops);
    };
    assert_eq!(polygon.rings.len(), 2, "the one-point ring is skipped");
    assert!(extract(&render("図形", vec![page], false)).contains("切り抜き"));
}

/// Writes a drill-mode badge to /tmp/pdf-sample.pdf for looking at, e.g. with
/// `pdftoppm -png -r 60 /tmp/pdf-sample.pdf /tmp/pdf-sample`.
#[test]
#[ignore = "writes a file for manual inspection"]
fn write_sample() {
    let bytes = render("名札（サンプル）", vec![badge_page()], true);
    std::fs::write(std::env::temp_dir().join("pdf-sample.pdf"), &bytes).unwrap();
    println!("{} bytes", bytes.len());
}

//! 資機材ラベル: an A4 sheet of labels to stick on the equipment, 3 × 8 of 70 × 33.9 mm
//! (the common 24-up label sheet), each with the item's printed code as a QR code, the
//! code and the name, and whom a borrowed or rented item goes back to. Scanned at the
//! matching desk, a label lends one more of the item; on the equipment page it opens it.
//!
//! Pure: the caller chooses the items and how many labels of each.

use crate::i18n::{Lang, word, word_with};
use crate::pdf::{self, Page, Weight, fitting_size, line_height_mm, wrap_lines};

/// One label's content.
#[derive(Clone, Debug)]
pub struct Label {
    /// The printed code, as the catalogue holds it: the QR code's text.
    pub code: String,
    pub name: String,
    /// Whom a borrowed or rented item goes back to.
    pub owner: Option<String>,
}

pub const COLUMNS: usize = 3;
pub const ROWS: usize = 8;
pub const PER_PAGE: usize = COLUMNS * ROWS;
const W: f32 = 70.0;
const H: f32 = 33.9;
/// (297 − 8 × 33.9) / 2: the sheet's top and bottom margins.
const TOP: f32 = 12.9;
const PAD: f32 = 3.0;
const QR: f32 = H - 2.0 * PAD;

/// The labels in order, filling each sheet row by row; as many pages as it takes.
pub fn render(labels: &[Label], drill: bool) -> Vec<u8> {
    let lang = Lang::Ja;
    let mut pages = Vec::new();
    for sheet in labels.chunks(PER_PAGE) {
        let mut page = Page::a4();
        for (i, label) in sheet.iter().enumerate() {
            let x = (i % COLUMNS) as f32 * W;
            let y = TOP + (i / COLUMNS) as f32 * H;
            draw(lang, &mut page, x, y, label);
        }
        pages.push(page);
    }
    if pages.is_empty() {
        pages.push(Page::a4());
    }
    pdf::render(&word(lang, "papers.labels.document"), pages, drill)
}

fn draw(lang: Lang, page: &mut Page, x: f32, y: f32, label: &Label) {
    // A faint cut line for plain paper; on a die-cut sheet it falls on the cuts.
    page.rect(x + 0.5, y + 0.5, W - 1.0, H - 1.0, 0.2, true);
    page.qr(x + PAD, y + PAD, QR, &label.code);
    let text_x = x + PAD + QR + 1.0;
    let text_w = x + W - PAD - text_x;
    let size = fitting_size(&label.code, Weight::Bold, text_w, 16.0, 7.0);
    page.text(text_x, y + PAD + 1.0, size, Weight::Bold, &label.code);
    let mut line_y = y + PAD + 1.0 + line_height_mm(size) + 0.5;
    let name_size = fitting_size(&label.name, Weight::Bold, text_w, 11.0, 8.0);
    for line in wrap_lines(&label.name, text_w, name_size, Weight::Bold).iter().take(2) {
        page.text(text_x, line_y, name_size, Weight::Bold, line);
        line_y += line_height_mm(name_size);
    }
    if let Some(owner) = label.owner.as_deref().filter(|o| !o.trim().is_empty()) {
        let back = word_with(lang, "papers.labels.owner", &[("owner", owner.trim())]);
        for line in wrap_lines(&back, text_w, 6.5, Weight::Regular).iter().take(2) {
            page.text(text_x, line_y + 0.5, 6.5, Weight::Regular, line);
            line_y += line_height_mm(6.5);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::testing::{compact, extract, save_artefact};

    fn label(code: &str, name: &str, owner: Option<&str>) -> Label {
        Label { code: code.into(), name: name.into(), owner: owner.map(str::to_string) }
    }

    #[test]
    fn a_sheet_holds_twenty_four_labels_and_more_turn_the_page() {
        let mut labels = vec![
            label("E-01", "剣スコップ", None),
            label("E-03", "一輪車", Some("金沢市社会福祉協議会（借用）")),
            label("EQUIPMENT-0000000042", "とても長い名前の高圧洗浄機（エンジン式・ホース付き）", None),
        ];
        labels.extend((0..24).map(|i| label(&format!("C-{i:02}"), "土のう袋", None)));
        let bytes = render(&labels, false);
        save_artefact("equipment-labels.pdf", &bytes);
        let pages = pdf_extract::extract_text_from_mem_by_pages(&bytes).unwrap();
        assert_eq!(pages.len(), 2, "27 labels on two sheets");
        let first = compact(&pages[0]);
        for expected in [
            "E-01",
            "剣スコップ",
            "E-03",
            "一輪車",
            "返却先：金沢市社会福祉協議会（借用）",
            "EQUIPMENT-0000000042",
            "C-20",
        ] {
            assert!(first.contains(expected), "{expected:?} not in {first}");
        }
        assert!(compact(&pages[1]).contains("C-21") && compact(&pages[1]).contains("C-23"));
        assert!(!first.contains("訓練"));
        assert!(compact(&extract(&render(&labels[..1], true))).contains("訓練"));
    }
}

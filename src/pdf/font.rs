//! The two bundled BIZ UDGothic faces: parsed once, then shared by layout and rendering.

use std::sync::OnceLock;

use printpdf::{FontId, ParsedFont};

use super::Weight;

// Bundled rather than loaded from the system: the center's laptops cannot be
// assumed to have a Japanese font, and the PDFs must look the same everywhere.
static REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/BIZUDGothic-Regular.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/BIZUDGothic-Bold.ttf");

/// Points to millimetres (1 pt = 1/72 in).
pub(super) const PT_TO_MM: f32 = 25.4 / 72.0;

pub(super) fn parsed(weight: Weight) -> &'static ParsedFont {
    static REGULAR: OnceLock<ParsedFont> = OnceLock::new();
    static BOLD: OnceLock<ParsedFont> = OnceLock::new();
    let (cell, bytes) = match weight {
        Weight::Regular => (&REGULAR, REGULAR_TTF),
        Weight::Bold => (&BOLD, BOLD_TTF),
    };
    // The fonts are compiled in, so a parse failure is a build defect, not a runtime condition;
    // the unit tests parse both faces.
    cell.get_or_init(|| ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).expect("bundled BIZ UDGothic font parses"))
}

/// The resource name each face gets in every document; fixed so that pages can be built before
/// the document exists.
pub(super) fn id(weight: Weight) -> FontId {
    FontId(match weight {
        Weight::Regular => "BIZUDGothic".to_string(),
        Weight::Bold => "BIZUDGothic-Bold".to_string(),
    })
}

/// Advance width of one character in em. A character the font lacks is drawn as `.notdef`
/// (glyph 0) by printpdf, so it is measured as that glyph too.
pub(super) fn advance_em(weight: Weight, c: char) -> f32 {
    let font = parsed(weight);
    let upm = f32::from(font.font_metrics.units_per_em.max(1));
    let gid = font.lookup_glyph_index(u32::from(c)).unwrap_or(0);
    f32::from(font.get_horizontal_advance(gid)) / upm
}

/// Advance width of one character in millimetres at `size_pt`.
pub(super) fn advance_mm(weight: Weight, size_pt: f32, c: char) -> f32 {
    advance_em(weight, c) * size_pt * PT_TO_MM
}

//! Shared PDF layout: pages of Japanese text, lines, boxes and QR codes, rendered with the
//! bundled BIZ UDGothic fonts (subset into each file, so a one-page document stays small).
//!
//! Coordinates are millimetres from the TOP-LEFT corner of the page, as on paper; the code
//! converts to PDF's bottom-left origin. Text is set on line boxes [`line_height_mm`] tall.

pub mod flow;
mod font;
mod wrap;

use printpdf::{
    Color, ExtendedGraphicsState, Line, LineDashPattern, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFont,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rect, Rgb, TextItem, TextMatrix,
    WindingOrder,
};
use qrcode::{EcLevel, QrCode};

use font::PT_TO_MM;
pub use wrap::wrap_lines;

/// Font weight of a text run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

/// Height of one line box, in em. Japanese body text reads best with generous leading.
const LINE_HEIGHT_EM: f32 = 1.5;
/// Top of the line box to the baseline, in em: the 1 em glyph box is centred in the line box
/// and CJK glyphs sit 0.88 em above the baseline in it (the ideographic em box).
const BASELINE_EM: f32 = (LINE_HEIGHT_EM - 1.0) / 2.0 + 0.88;

/// One page being laid out; drawing calls append PDF operations.
#[derive(Debug, Clone)]
pub struct Page {
    width_mm: f32,
    height_mm: f32,
    ops: Vec<Op>,
}

impl Page {
    /// An A4 portrait page (210 × 297 mm).
    pub fn a4() -> Page {
        Page::new(210.0, 297.0)
    }

    pub fn new(width_mm: f32, height_mm: f32) -> Page {
        Page { width_mm, height_mm, ops: Vec::new() }
    }

    pub fn width_mm(&self) -> f32 {
        self.width_mm
    }

    pub fn height_mm(&self) -> f32 {
        self.height_mm
    }

    /// One line of text starting at `x`; `y` is the top of its line box. Control characters
    /// (including newlines) are dropped; use [`Page::text_wrapped`] for more than one line.
    pub fn text(&mut self, x: f32, y: f32, size_pt: f32, weight: Weight, text: &str) {
        let text: String = text.chars().filter(|c| !c.is_control()).collect();
        if text.is_empty() {
            return;
        }
        let baseline = self.height_mm - y - BASELINE_EM * size_pt * PT_TO_MM;
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont { font: PdfFontHandle::External(font::id(weight)), size: Pt(size_pt) },
            Op::SetTextMatrix { matrix: TextMatrix::Translate(pt(x), pt(baseline)) },
            Op::ShowText { items: vec![TextItem::Text(text)] },
            Op::EndTextSection,
        ]);
    }

    /// One line of text centred on `center_x`; `y` is the top of its line box.
    pub fn text_centered(&mut self, center_x: f32, y: f32, size_pt: f32, weight: Weight, text: &str) {
        let x = center_x - text_width_mm(size_pt, weight, text) / 2.0;
        self.text(x, y, size_pt, weight, text);
    }

    /// Text wrapped to `width_mm` as by [`wrap_lines`], one line box per line from `y` down.
    /// Returns the height used in mm (lines × [`line_height_mm`]).
    pub fn text_wrapped(&mut self, x: f32, y: f32, width_mm: f32, size_pt: f32, weight: Weight, text: &str) -> f32 {
        let pitch = line_height_mm(size_pt);
        let lines = wrap_lines(text, width_mm, size_pt, weight);
        for (i, line) in lines.iter().enumerate() {
            self.text(x, y + i as f32 * pitch, size_pt, weight, line);
        }
        lines.len() as f32 * pitch
    }

    /// A black straight line.
    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width_pt: f32) {
        let points = [(x1, y1), (x2, y2)].map(|(x, y)| LinePoint { p: self.point(x, y), bezier: false }).to_vec();
        self.stroke(width_pt, false, Op::DrawLine { line: Line { points, is_closed: false } });
    }

    /// A black rectangle outline; `dashed` for cut lines and fields to fill in by hand.
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, width_pt: f32, dashed: bool) {
        let mut rectangle = self.rect_of(x, y, w, h);
        rectangle.mode = Some(PaintMode::Stroke);
        self.stroke(width_pt, dashed, Op::DrawRectangle { rectangle });
    }

    /// A filled rectangle without outline; colour components are 0.0–1.0.
    pub fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, rgb: (f32, f32, f32)) {
        let mut rectangle = self.rect_of(x, y, w, h);
        rectangle.mode = Some(PaintMode::Fill);
        // Saved and restored so the fill colour does not leak into later text.
        self.ops.extend([
            Op::SaveGraphicsState,
            Op::SetFillColor { col: rgb_color(rgb) },
            Op::DrawRectangle { rectangle },
            Op::RestoreGraphicsState,
        ]);
    }

    /// A QR code (error correction M) as vector squares, `size_mm` square including the
    /// 4-module quiet zone. Data too long for a QR code is logged and drawn as a dashed box,
    /// so that one bad value does not take the whole document down.
    pub fn qr(&mut self, x: f32, y: f32, size_mm: f32, data: &str) {
        let code = match QrCode::with_error_correction_level(data, EcLevel::M) {
            Ok(code) => code,
            Err(err) => {
                tracing::warn!(%err, len = data.len(), "QR code not drawn");
                self.rect(x, y, size_mm, size_mm, 0.5, true);
                return;
            }
        };
        let n = code.width();
        let module = size_mm / (n + 8) as f32;
        let colors = code.to_colors();
        // One ring per horizontal run of dark modules, all filled by a single path: fewer
        // operators than one square per module, and no hairline seams between squares.
        let mut rings = Vec::new();
        for row in 0..n {
            let mut col = 0;
            while col < n {
                if colors[row * n + col] != qrcode::Color::Dark {
                    col += 1;
                    continue;
                }
                let run_start = col;
                while col < n && colors[row * n + col] == qrcode::Color::Dark {
                    col += 1;
                }
                let left = x + (run_start + 4) as f32 * module;
                let right = x + (col + 4) as f32 * module;
                let top = y + (row + 4) as f32 * module;
                let bottom = top + module;
                let points = [(left, top), (right, top), (right, bottom), (left, bottom)]
                    .map(|(x, y)| LinePoint { p: self.point(x, y), bezier: false })
                    .to_vec();
                rings.push(PolygonRing { points });
            }
        }
        self.ops.extend([
            Op::SaveGraphicsState,
            Op::SetFillColor { col: rgb_color((0.0, 0.0, 0.0)) },
            Op::DrawPolygon { polygon: Polygon { rings, mode: PaintMode::Fill, winding_order: WindingOrder::NonZero } },
            Op::RestoreGraphicsState,
        ]);
    }

    /// A solid coloured line through `points`, back to the first one when `closed` (outlines
    /// of map zones, arrows). Fewer than two points draw nothing.
    pub fn polyline(&mut self, points: &[(f32, f32)], closed: bool, width_pt: f32, rgb: (f32, f32, f32)) {
        if points.len() < 2 {
            return;
        }
        let points = points.iter().map(|&(x, y)| LinePoint { p: self.point(x, y), bezier: false }).collect();
        self.ops.extend([
            Op::SaveGraphicsState,
            Op::SetOutlineColor { col: rgb_color(rgb) },
            Op::SetOutlineThickness { pt: Pt(width_pt) },
            Op::SetLineDashPattern { dash: LineDashPattern::solid() },
            Op::DrawLine { line: Line { points, is_closed: closed } },
            Op::RestoreGraphicsState,
        ]);
    }

    /// Filled polygon rings without outline, by the even-odd rule, so that a ring inside
    /// another is a hole (a zone with an enclave). Rings of fewer than three points are skipped.
    pub fn fill_polygon(&mut self, rings: &[Vec<(f32, f32)>], rgb: (f32, f32, f32)) {
        let rings: Vec<PolygonRing> = rings
            .iter()
            .filter(|ring| ring.len() >= 3)
            .map(|ring| PolygonRing {
                points: ring.iter().map(|&(x, y)| LinePoint { p: self.point(x, y), bezier: false }).collect(),
            })
            .collect();
        if rings.is_empty() {
            return;
        }
        self.ops.extend([
            Op::SaveGraphicsState,
            Op::SetFillColor { col: rgb_color(rgb) },
            Op::DrawPolygon { polygon: Polygon { rings, mode: PaintMode::Fill, winding_order: WindingOrder::EvenOdd } },
            Op::RestoreGraphicsState,
        ]);
    }

    /// Runs `draw` with everything it draws clipped to the rectangle (a map excerpt whose
    /// neighbouring zones reach beyond its frame).
    pub fn clipped(&mut self, x: f32, y: f32, w: f32, h: f32, draw: impl FnOnce(&mut Page)) {
        let mut rectangle = self.rect_of(x, y, w, h);
        rectangle.mode = Some(PaintMode::Clip);
        self.ops.extend([Op::SaveGraphicsState, Op::DrawRectangle { rectangle }]);
        draw(self);
        self.ops.push(Op::RestoreGraphicsState);
    }

    fn stroke(&mut self, width_pt: f32, dashed: bool, draw: Op) {
        let dash = if dashed { LineDashPattern::new(0.0, &[3.0, 2.0]) } else { LineDashPattern::solid() };
        self.ops.extend([
            Op::SaveGraphicsState,
            Op::SetOutlineColor { col: rgb_color((0.0, 0.0, 0.0)) },
            Op::SetOutlineThickness { pt: Pt(width_pt) },
            Op::SetLineDashPattern { dash },
            draw,
            Op::RestoreGraphicsState,
        ]);
    }

    fn point(&self, x: f32, y: f32) -> Point {
        Point { x: pt(x), y: pt(self.height_mm - y) }
    }

    fn rect_of(&self, x: f32, y: f32, w: f32, h: f32) -> Rect {
        Rect::from_xywh(pt(x), pt(self.height_mm - y - h), pt(w), pt(h))
    }
}

/// Width of `text` in mm at `size_pt`, from the font's advance widths (full-width CJK is 1 em,
/// Latin half-width). No kerning is applied, as none is applied when drawing.
pub fn text_width_mm(size_pt: f32, weight: Weight, text: &str) -> f32 {
    text.chars().filter(|c| !c.is_control()).map(|c| font::advance_mm(weight, size_pt, c)).sum()
}

/// Height of one line box (and the line pitch of wrapped text) in mm at `size_pt`.
/// The largest size from `max` down to `min` (half-point steps) at which
/// `text` fits `width` mm on one line.
pub fn fitting_size(text: &str, weight: Weight, width: f32, max: f32, min: f32) -> f32 {
    let mut size = max;
    while size > min && text_width_mm(size, weight, text) > width {
        size -= 0.5;
    }
    size
}

pub fn line_height_mm(size_pt: f32) -> f32 {
    LINE_HEIGHT_EM * size_pt * PT_TO_MM
}

/// Renders `pages` into one PDF whose document title is `title`, with the fonts subset.
///
/// With `drill`, every page gets a large light-red diagonal 「訓練」 over its content: a drill's
/// papers must never be mistaken for a real deployment's. It is translucent, so the content
/// stays readable. CPU-bound (tens of ms): call it from `spawn_blocking` in async handlers.
pub fn render(title: &str, pages: Vec<Page>, drill: bool) -> Vec<u8> {
    let mut doc = PdfDocument::new(title);
    for weight in [Weight::Regular, Weight::Bold] {
        // Registered under fixed ids (see `font::id`); printpdf leaves unused fonts out.
        doc.resources.fonts.map.insert(font::id(weight), PdfFont::new(font::parsed(weight).clone()));
    }
    let translucent =
        drill.then(|| doc.add_graphics_state(ExtendedGraphicsState::default().with_current_fill_alpha(0.2)));
    let pages = pages
        .into_iter()
        .map(|mut page| {
            if let Some(gs) = &translucent {
                page.ops.extend(watermark(&page, gs));
            }
            PdfPage::new(Mm(page.width_mm), Mm(page.height_mm), page.ops)
        })
        .collect();
    let options = PdfSaveOptions { subset_fonts: true, ..PdfSaveOptions::default() };
    let mut warnings = Vec::new();
    let bytes = doc.with_pages(pages).save(&options, &mut warnings);
    for warning in warnings.iter().filter(|w| w.severity != printpdf::PdfParseErrorSeverity::Info) {
        tracing::warn!(?warning, "printpdf");
    }
    bytes
}

/// 「訓練」 along the page's rising diagonal, centred, spanning about 60 % of it.
fn watermark(page: &Page, gs: &printpdf::ExtendedGraphicsStateId) -> Vec<Op> {
    const TEXT: &str = "訓練";
    let (w, h) = (page.width_mm, page.height_mm);
    let diagonal = w.hypot(h);
    let size_pt = 0.6 * diagonal / text_width_mm(1.0, Weight::Bold, TEXT);
    let text_w = text_width_mm(size_pt, Weight::Bold, TEXT);
    // Middle of the glyph box above the baseline: 0.88 em ascent minus half the 1 em box.
    let mid = 0.38 * size_pt * PT_TO_MM;
    let (sin, cos) = h.atan2(w).sin_cos();
    // Baseline origin such that the text's centre lands on the page centre (bottom-left space).
    let ox = w / 2.0 - (cos * text_w / 2.0 - sin * mid);
    let oy = h / 2.0 - (sin * text_w / 2.0 + cos * mid);
    vec![
        Op::SaveGraphicsState,
        Op::LoadGraphicsState { gs: gs.clone() },
        Op::StartTextSection,
        Op::SetFont { font: PdfFontHandle::External(font::id(Weight::Bold)), size: Pt(size_pt) },
        Op::SetFillColor { col: rgb_color((0.9, 0.0, 0.0)) },
        Op::SetTextMatrix { matrix: TextMatrix::Raw([cos, sin, -sin, cos, pt(ox).0, pt(oy).0]) },
        Op::ShowText { items: vec![TextItem::Text(TEXT.to_string())] },
        Op::EndTextSection,
        Op::RestoreGraphicsState,
    ]
}

fn pt(mm: f32) -> Pt {
    Pt::from(Mm(mm))
}

fn rgb_color((r, g, b): (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb { r, g, b, icc_profile: None })
}

#[cfg(test)]
pub mod testing;
#[cfg(test)]
mod tests;

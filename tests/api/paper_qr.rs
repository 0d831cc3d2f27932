//! QR codes read back from a PDF the server drew: the vector squares of each
//! code (`pdf::Page::qr` fills one path per code, a subpath per run of dark
//! modules) put back on their module grid, and compared with what a QR code of
//! a given text is. Paths only: no rasterising, no guessing at pixels.

use pdf_extract::{ColorSpace, MediaBox, OutputDev, OutputError, Path, PathOp, Transform};

/// One QR code as drawn: its dark modules, row by row.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    pub width: usize,
    pub dark: Vec<bool>,
    /// Top-left corner on the page, in PDF points from the bottom left.
    pub at: (f64, f64),
}

impl Grid {
    /// Whether this is exactly the QR code of `text` (error correction M, as the server draws it).
    pub fn says(&self, text: &str) -> bool {
        let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).expect("QR encodes");
        code.width() == self.width
            && code.to_colors().iter().map(|c| *c == qrcode::Color::Dark).eq(self.dark.iter().copied())
    }

    /// The text this code says, among `candidates`.
    pub fn text<'a>(&self, candidates: &[&'a str]) -> Option<&'a str> {
        candidates.iter().copied().find(|c| self.says(c))
    }
}

/// Every QR code on every page, in drawing order: one `Vec` per page.
pub fn qr_codes(pdf: &[u8]) -> Vec<Vec<Grid>> {
    let doc = pdf_extract::Document::load_mem(pdf).expect("the PDF parses");
    let mut reader = Reader { pages: Vec::new() };
    pdf_extract::output_doc(&doc, &mut reader).expect("the PDF's pages are read");
    reader.pages
}

struct Reader {
    pages: Vec<Vec<Grid>>,
}

/// A ring's box: left, bottom, right, top.
type Box4 = (f64, f64, f64, f64);

impl OutputDev for Reader {
    fn begin_page(&mut self, _: u32, _: &MediaBox, _: Option<(f64, f64, f64, f64)>) -> Result<(), OutputError> {
        self.pages.push(Vec::new());
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn output_character(&mut self, _: &Transform, _: f64, _: f64, _: f64, _: &str) -> Result<(), OutputError> {
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    /// pdf-extract does not follow `rg` (the fill colour), so codes are told by their
    /// shape: one path of many runs of one height, on a square grid.
    fn fill(&mut self, ctm: &Transform, _: &ColorSpace, _: &[f64], path: &Path) -> Result<(), OutputError> {
        let rings = rings(ctm, path);
        // A finder pattern alone is three runs per row over seven rows: anything
        // with fewer rings is a box or a band, not a code.
        if rings.len() >= 21
            && let Some(grid) = grid(&rings)
        {
            self.pages.last_mut().expect("a page").push(grid);
        }
        Ok(())
    }
}

/// The boxes of the path's subpaths, on the page.
fn rings(ctm: &Transform, path: &Path) -> Vec<Box4> {
    let on_page = |x: f64, y: f64| (x * ctm.m11 + y * ctm.m21 + ctm.m31, x * ctm.m12 + y * ctm.m22 + ctm.m32);
    let mut boxes = Vec::new();
    let mut points: Vec<(f64, f64)> = Vec::new();
    let mut close = |points: &mut Vec<(f64, f64)>| {
        if points.len() >= 3 {
            let xs = points.iter().map(|p| p.0);
            let ys = points.iter().map(|p| p.1);
            boxes.push((
                xs.clone().fold(f64::MAX, f64::min),
                ys.clone().fold(f64::MAX, f64::min),
                xs.fold(f64::MIN, f64::max),
                ys.fold(f64::MIN, f64::max),
            ));
        }
        points.clear();
    };
    for op in &path.ops {
        match *op {
            PathOp::MoveTo(x, y) => {
                close(&mut points);
                points.push(on_page(x, y));
            }
            PathOp::LineTo(x, y) => points.push(on_page(x, y)),
            PathOp::Close => close(&mut points),
            PathOp::Rect(x, y, w, h) => {
                close(&mut points);
                points.extend([on_page(x, y), on_page(x + w, y), on_page(x + w, y + h), on_page(x, y + h)]);
                close(&mut points);
            }
            PathOp::CurveTo(..) => {}
        }
    }
    close(&mut points);
    boxes
}

/// The module grid the runs sit on: a module is a run's height, the code's corner
/// the runs' top left (the finder patterns are dark there).
fn grid(rings: &[Box4]) -> Option<Grid> {
    let module = rings.iter().map(|r| r.3 - r.1).fold(f64::MAX, f64::min);
    let left = rings.iter().map(|r| r.0).fold(f64::MAX, f64::min);
    let top = rings.iter().map(|r| r.3).fold(f64::MIN, f64::max);
    let right = rings.iter().map(|r| r.2).fold(f64::MIN, f64::max);
    let width = ((right - left) / module).round() as usize;
    if module <= 0.0 || width < 21 {
        return None;
    }
    let mut dark = vec![false; width * width];
    for &(x0, _, x1, y1) in rings {
        let row = ((top - y1) / module).round() as usize;
        let (from, to) = (((x0 - left) / module).round() as usize, ((x1 - left) / module).round() as usize);
        for col in from..to.min(width) {
            *dark.get_mut(row * width + col)? = true;
        }
    }
    Some(Grid { width, dark, at: (left, top) })
}

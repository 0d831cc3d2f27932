//! A URL as an inline SVG QR code, for pages (no image files, no JavaScript).

use qrcode::QrCode;
use qrcode::render::svg;

/// An `<svg>` element, or an empty string for text too long for a QR code.
pub fn svg(text: &str) -> String {
    let Ok(code) = QrCode::with_error_correction_level(text, qrcode::EcLevel::M) else {
        return String::new();
    };
    let drawn = code.render::<svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build();
    // Drop the XML declaration: the SVG goes inside HTML.
    drawn.find("<svg").map(|i| drawn[i..].to_string()).unwrap_or_default()
}

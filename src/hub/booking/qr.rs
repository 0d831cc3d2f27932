//! A booking's QR code as a PNG for its mail (the center's pages draw the same
//! token as SVG; mail programs show PNG inline, not SVG).

use qrcode::{Color, EcLevel, QrCode};

/// Pixels per module, and the quiet zone in modules.
const SCALE: usize = 8;
const QUIET: usize = 4;

/// The token as a black-on-white PNG (8-bit grey).
pub fn png(token: &str) -> Vec<u8> {
    let code =
        QrCode::with_error_correction_level(token.as_bytes(), EcLevel::M).expect("a 32-digit token fits a QR code");
    let width = code.width();
    let colors = code.to_colors();
    let side = (width + 2 * QUIET) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color == Color::Dark {
            let (x, y) = ((i % width + QUIET) * SCALE, (i / width + QUIET) * SCALE);
            for row in y..y + SCALE {
                pixels[row * side + x..row * side + x + SCALE].fill(0);
            }
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side as u32, side as u32);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("a PNG header to memory");
    writer.write_image_data(&pixels).expect("PNG data to memory");
    writer.finish().expect("a PNG to memory");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_token_becomes_a_square_png() {
        let png = super::png("0123456789ABCDEF0123456789ABCDEF");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let reader = decoder.read_info().unwrap();
        let info = reader.info();
        assert_eq!(info.width, info.height);
        assert!(info.width >= (21 + 8) * 8);
    }
}

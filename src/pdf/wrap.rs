//! Line breaking for mixed Japanese and Latin text, with the usual kinsoku (禁則) rules.

use super::Weight;
use super::font::advance_mm;

/// Characters that must not begin a line (行頭禁則): closing brackets, punctuation, the
/// prolonged-sound mark, iteration marks and small kana.
const NO_START: &str = concat!(
    "、。，．・：；？！‼⁇⁈⁉゛゜ヽヾゝゞ々〻ー―‐–—…‥",
    "）］｝」』】〕〉》〙〗〟’”｠»",
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ",
    "ｧｨｩｪｫｯｬｭｮｰ｡､･｣",
    ")]},.:;?!%",
);

/// Characters that must not end a line (行末禁則): opening brackets and quotes.
const NO_END: &str = "（［｛「『【〔〈《〘〖〝‘“｟«｢([{";

/// Spaces at which a line may break; they are dropped at the break. U+3000 is included because
/// Japanese names are often written 「山田　太郎」.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}')
}

/// Scripts that break between any two characters: CJK ideographs, kana, full-width forms and
/// everything else from U+2E80 up. Other non-space characters form words that break only at
/// spaces (or where a word alone is wider than the line).
fn breaks_anywhere(c: char) -> bool {
    c >= '\u{2E80}' && !is_space(c)
}

/// Lines of `text` that each fit in `width_mm` when set at `size_pt`.
///
/// `\n` starts a new line (an empty paragraph gives an empty line; empty text gives none).
/// Japanese breaks between characters, Latin at spaces; a word wider than the line is broken
/// between characters.
/// Kinsoku: a line never starts with a character such as 「。」「、」「）」 and never ends with
/// one such as 「（」「「」, as long as the line has another place to break. Spaces at a break are
/// dropped; the first line of a paragraph keeps its leading spaces (字下げ).
pub fn wrap_lines(text: &str, width_mm: f32, size_pt: f32, weight: Weight) -> Vec<String> {
    let mut lines = Vec::new();
    if text.is_empty() {
        return lines;
    }
    for paragraph in text.split('\n') {
        let chars: Vec<char> = paragraph.chars().filter(|c| !c.is_control() || *c == '\t').collect();
        let widths: Vec<f32> = chars.iter().map(|&c| advance_mm(weight, size_pt, c)).collect();
        wrap_paragraph(&chars, &widths, width_mm, &mut lines);
    }
    lines
}

fn wrap_paragraph(chars: &[char], widths: &[f32], max_mm: f32, lines: &mut Vec<String>) {
    let n = chars.len();
    if n == 0 {
        lines.push(String::new());
        return;
    }
    // Rounding slack, so a line measured again by `text_width_mm` still fits.
    let max_mm = max_mm + 1e-3;
    let mut start = 0;
    while start < n {
        // `fit`: the longest prefix from `start` whose width, not counting trailing spaces, fits.
        let mut width = 0.0;
        let mut fit = start;
        let mut overflow = false;
        for (i, (&c, &w)) in chars.iter().zip(widths).enumerate().skip(start) {
            width += w;
            if is_space(c) {
                continue;
            }
            if width > max_mm {
                overflow = true;
                break;
            }
            fit = i + 1;
        }
        if !overflow {
            push_line(lines, &chars[start..]);
            return;
        }
        // A single character wider than the line still has to go somewhere.
        let fit = fit.max(start + 1);
        let end = (start + 1..=fit)
            .rev()
            .find(|&b| is_break_opportunity(chars, b) && kinsoku_ok(chars, b))
            .or_else(|| (start + 1..=fit).rev().find(|&b| kinsoku_ok(chars, b)))
            .unwrap_or(fit);
        push_line(lines, &chars[start..end]);
        start = end;
        while start < n && is_space(chars[start]) {
            start += 1;
        }
    }
}

fn push_line(lines: &mut Vec<String>, chars: &[char]) {
    let end = chars.iter().rposition(|&c| !is_space(c)).map_or(0, |i| i + 1);
    lines.push(chars[..end].iter().collect());
}

/// Whether a line may end before `chars[b]` as far as words are concerned.
fn is_break_opportunity(chars: &[char], b: usize) -> bool {
    let (before, after) = (chars[b - 1], chars[b]);
    is_space(before) || is_space(after) || breaks_anywhere(before) || breaks_anywhere(after)
}

/// Whether a break before `chars[b]` keeps kinsoku: the next line's first visible character may
/// start a line and this line's last visible character may end one.
fn kinsoku_ok(chars: &[char], b: usize) -> bool {
    let next_ok = chars[b..].iter().find(|&&c| !is_space(c)).is_none_or(|&c| !NO_START.contains(c));
    let this_ok = chars[..b].iter().rfind(|&&c| !is_space(c)).is_none_or(|&c| !NO_END.contains(c));
    next_ok && this_ok
}

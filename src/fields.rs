//! Checks shared by every form: a required text with its length, an optional
//! one, a phone number. Each fault is a 422 naming the field, in both languages.

use crate::error::AppError;
use crate::i18n::Text;
use crate::reception::normalize::{is_valid_phone_key, phone_key};

/// A printed code as scanned or typed (a badge's QR token, `V-0012`, `N-0045`):
/// a Bluetooth scanner typing through a Japanese IME gives full-width letters
/// and digits (`Ｖ－００１２`) and the IME's dashes (`ー`, `−`); all fold to
/// ASCII, without spaces, in upper case.
pub fn scan_code(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfkc()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            'ー' | 'ｰ' | '−' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '－' => '-',
            _ => c.to_ascii_uppercase(),
        })
        .collect()
}

pub fn invalid(field: &str, ja: impl Into<String>, en: impl Into<String>) -> AppError {
    AppError::validation(field, Text::new(ja.into(), en.into()))
}

/// A one-line field (a name, a phone, an address, a code) as typed: a leading
/// BOM dropped, trimmed, NFC. Refused, naming the field: control characters
/// (a newline included), bidi overrides and isolates, zero-width characters —
/// they print as garbage on badges (`山\x1b[31m田`) or hide what a name says.
pub fn clean_line(field: &str, label_ja: &str, value: &str) -> Result<String, AppError> {
    clean(field, label_ja, value, false)
}

/// A multi-line field (notes, a report): as [`clean_line`], but newlines
/// (CR LF and CR become LF), tabs and the joiners of emoji sequences are kept.
pub fn clean_text(field: &str, label_ja: &str, value: &str) -> Result<String, AppError> {
    clean(field, label_ja, value, true)
}

fn clean(field: &str, label_ja: &str, value: &str, multiline: bool) -> Result<String, AppError> {
    use unicode_normalization::UnicodeNormalization;
    let value = value.trim_start_matches('\u{FEFF}').trim();
    let value = if multiline { value.replace("\r\n", "\n").replace('\r', "\n") } else { value.to_string() };
    if let Some((at, c)) = value.chars().enumerate().find(|(_, c)| not_allowed(*c, multiline)) {
        let code = format!("U+{:04X}", u32::from(c));
        let (ja_kind, en_kind) = match c {
            '\n' => ("改行", "a line break"),
            c if c.is_control() => ("制御文字", "a control character"),
            _ => ("見えない文字・書字方向の制御文字", "an invisible or text-direction character"),
        };
        return Err(invalid(
            field,
            format!("{label_ja}に使えない文字（{ja_kind} {code}）が{}文字目にあります。", at + 1),
            format!("{field} contains {en_kind} ({code}) at character {}.", at + 1),
        ));
    }
    Ok(value.nfc().collect())
}

fn not_allowed(c: char, multiline: bool) -> bool {
    match c {
        '\n' | '\t' => !multiline,
        // Zero-width (non-)joiners build emoji and some scripts: free text only.
        '\u{200C}' | '\u{200D}' => !multiline,
        // C0 and C1 controls, DEL.
        '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => true,
        // Bidi embeddings, overrides, isolates and marks.
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}' => true,
        // Zero-width space, word joiner, BOM inside the text, Mongolian vowel separator.
        '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{180E}' => true,
        _ => false,
    }
}

pub fn required(field: &str, value: &str, label_ja: &str, max_chars: usize) -> Result<String, AppError> {
    within(field, clean(field, label_ja, value, false)?, label_ja, max_chars)
}

/// An optional one-line field; empty is `None`.
pub fn optional(
    field: &str,
    value: Option<&str>,
    label_ja: &str,
    max_chars: usize,
) -> Result<Option<String>, AppError> {
    optional_cleaned(field, value, label_ja, max_chars, false)
}

/// A required multi-line field (see [`clean_text`]).
pub fn required_text(field: &str, value: &str, label_ja: &str, max_chars: usize) -> Result<String, AppError> {
    within(field, clean(field, label_ja, value, true)?, label_ja, max_chars)
}

/// An optional multi-line field; empty is `None`.
pub fn optional_text(
    field: &str,
    value: Option<&str>,
    label_ja: &str,
    max_chars: usize,
) -> Result<Option<String>, AppError> {
    optional_cleaned(field, value, label_ja, max_chars, true)
}

fn optional_cleaned(
    field: &str,
    value: Option<&str>,
    label_ja: &str,
    max_chars: usize,
    multiline: bool,
) -> Result<Option<String>, AppError> {
    let value = value.map(|v| clean(field, label_ja, v, multiline)).transpose()?;
    value.filter(|v| !v.is_empty()).map(|v| within(field, v, label_ja, max_chars)).transpose()
}

/// Present, and not longer than `max_chars`.
fn within(field: &str, value: String, label_ja: &str, max_chars: usize) -> Result<String, AppError> {
    if value.is_empty() {
        return Err(invalid(field, format!("{label_ja}を入力してください。"), format!("{field} is required.")));
    }
    if value.chars().count() > max_chars {
        return Err(invalid(
            field,
            format!("{label_ja}は{max_chars}文字以内で入力してください。"),
            format!("{field} has at most {max_chars} characters."),
        ));
    }
    Ok(value)
}

pub fn phone_number(field: &str, value: &str, label_ja: &str) -> Result<(String, String), AppError> {
    let written = required(field, value, label_ja, 30)?;
    let key = phone_key(&written);
    if !is_valid_phone_key(&key) {
        return Err(invalid(
            field,
            format!("{label_ja}は 090-1234-5678 のように市外局番から入力してください。"),
            format!("{field} must be a Japanese phone number such as 090-1234-5678."),
        ));
    }
    Ok((written, key))
}

/// An edit as a JSON merge: `fields` laid over `current` (a form as it would
/// have been sent), then read back as a whole so it passes the same checks as
/// a new one. Unknown fields and values of the wrong type are 422 naming the
/// field. Returns the merged form and the names of the fields whose value changed.
pub fn merge_patch<F: serde::Serialize + serde::de::DeserializeOwned>(
    current: &F,
    fields: serde_json::Map<String, serde_json::Value>,
) -> Result<(F, Vec<String>), AppError> {
    use serde_json::Value;
    let before = serde_json::to_value(current).expect("a form serialises");
    let Value::Object(mut merged) = before.clone() else { unreachable!("a form is an object") };
    for (name, value) in fields {
        if !merged.contains_key(&name) {
            return Err(invalid(
                &name,
                format!("「{name}」という項目はありません。"),
                format!("Unknown field {name}."),
            ));
        }
        merged.insert(name, value);
    }
    let changed: Vec<String> = merged
        .iter()
        .filter(|(name, value)| before.get(name.as_str()) != Some(value))
        .map(|(n, _)| n.clone())
        .collect();
    let form: F = serde_path_to_error::deserialize(Value::Object(merged)).map_err(|e| {
        let field = e.path().to_string();
        invalid(&field, format!("項目「{field}」の値が正しくありません。"), format!("{field}: {}", e.inner()))
    })?;
    Ok((form, changed))
}

#[cfg(test)]
mod tests {
    use super::scan_code;

    #[test]
    fn codes_typed_through_an_ime_fold_to_what_was_printed() {
        assert_eq!(scan_code("Ｖ－００１２"), "V-0012");
        assert_eq!(scan_code("ｖー０１２"), "V-012");
        assert_eq!(scan_code(" n−45\n"), "N-45");
        assert_eq!(scan_code("ab12 cd34"), "AB12CD34");
    }

    #[test]
    fn names_with_controls_or_invisible_characters_are_refused_naming_the_field() {
        for bad in [
            "山\u{7}\u{1b}[31m田",
            "山田\n太郎",
            "山\0田",
            "\u{202E}田山",
            "山\u{200B}田",
            "山\u{FEFF}田",
            "山\u{85}田",
        ] {
            let error = super::required("name", bad, "氏名", 50).unwrap_err();
            assert_eq!(error.field.as_deref(), Some("name"), "{bad:?}");
            assert!(error.message.ja.contains("氏名に使えない文字"), "{}", error.message.ja);
        }
        // A leading BOM is dropped, NFC applied (か + combining dakuten → が).
        assert_eq!(super::required("name", "\u{FEFF}\u{304B}\u{3099}く", "氏名", 50).unwrap(), "がく");
    }

    #[test]
    fn free_text_keeps_its_lines_and_emoji_but_not_controls() {
        assert_eq!(
            super::required_text("notes", "一行目\r\n二行目\r三行目", "備考", 100).unwrap(),
            "一行目\n二行目\n三行目"
        );
        assert_eq!(
            super::required_text("notes", "家族 👨\u{200D}👩\u{200D}👧", "備考", 100).unwrap(),
            "家族 👨\u{200D}👩\u{200D}👧"
        );
        assert!(super::required_text("notes", "ベル\u{7}", "備考", 100).is_err());
        assert!(super::required_text("notes", "右から\u{202E}左", "備考", 100).is_err());
        assert!(super::optional_text("notes", Some("  "), "備考", 100).unwrap().is_none());
    }
}

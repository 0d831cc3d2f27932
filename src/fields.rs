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

pub fn required(field: &str, value: &str, label_ja: &str, max_chars: usize) -> Result<String, AppError> {
    let value = value.trim();
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
    Ok(value.to_string())
}

pub fn optional(
    field: &str,
    value: Option<&str>,
    label_ja: &str,
    max_chars: usize,
) -> Result<Option<String>, AppError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => required(field, v, label_ja, max_chars).map(Some),
    }
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
}

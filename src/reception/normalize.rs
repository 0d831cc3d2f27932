//! Making what people type comparable: phone numbers written a dozen ways,
//! furigana in hiragana or half-width katakana, names with or without spaces.

use unicode_normalization::UnicodeNormalization;

/// Full-width to half-width digits and letters, half-width to full-width katakana.
pub fn nfkc(text: &str) -> String {
    text.nfkc().collect()
}

/// The comparable form of a Japanese phone number: digits only, domestic
/// (`+81 90-1234-5678`, `０９０（１２３４）５６７８` and `09012345678` are one number).
pub fn phone_key(phone: &str) -> String {
    let digits: String = nfkc(phone).chars().filter(char::is_ascii_digit).collect();
    let international = nfkc(phone).trim_start().starts_with('+') || digits.starts_with("0081");
    match digits.strip_prefix("0081").or_else(|| if international { digits.strip_prefix("81") } else { None }) {
        Some(rest) => format!("0{}", rest.trim_start_matches('0')),
        None => digits,
    }
}

/// A plausible domestic number: 10 or 11 digits starting with 0.
pub fn is_valid_phone_key(key: &str) -> bool {
    key.starts_with('0') && (10..=11).contains(&key.len())
}

/// Furigana as katakana: hiragana and half-width katakana become full-width
/// katakana; spaces become one ideographic-free ASCII space.
pub fn katakana(text: &str) -> String {
    let folded: String = nfkc(text)
        .chars()
        .map(|c| match c {
            // ぁ..ゖ → ァ..ヶ
            '\u{3041}'..='\u{3096}' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
            _ => c,
        })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Katakana, the long-vowel mark, the middle dot and spaces only.
pub fn is_katakana(text: &str) -> bool {
    !text.trim().is_empty()
        && text.chars().all(|c| matches!(c, '\u{30A1}'..='\u{30FA}' | 'ー' | '・' | 'ヽ' | 'ヾ' | ' '))
}

/// The key names and furigana are compared and searched by: NFKC, no spaces.
pub fn search_key(text: &str) -> String {
    nfkc(text).chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_way_of_writing_a_mobile_number_gives_one_key() {
        for written in [
            "090-1234-5678",
            "09012345678",
            "０９０－１２３４－５６７８",
            "090 1234 5678",
            "(090)1234-5678",
            "+81 90-1234-5678",
            "+81-90-1234-5678",
            "０９０（１２３４）５６７８",
        ] {
            assert_eq!(phone_key(written), "09012345678", "{written}");
        }
        assert_eq!(phone_key("076-220-2111"), "0762202111");
        assert!(is_valid_phone_key("0762202111"));
        assert!(!is_valid_phone_key("1234"));
    }

    #[test]
    fn furigana_becomes_katakana() {
        assert_eq!(katakana("やまだ　たろう"), "ヤマダ タロウ");
        assert_eq!(katakana("ﾔﾏﾀﾞ ﾀﾛｳ"), "ヤマダ タロウ");
        assert!(is_katakana(&katakana("すずき はなこ")));
        assert!(!is_katakana("鈴木"));
        assert!(!is_katakana("Suzuki"));
    }

    #[test]
    fn search_keys_ignore_spaces_and_width() {
        assert_eq!(search_key("山田　太郎"), "山田太郎");
        assert_eq!(search_key("ヤマダ タロウ"), search_key("ヤマダタロウ"));
    }
}

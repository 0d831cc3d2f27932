//! Request bodies many tests send.

use serde_json::{Value, json};

/// A valid individual registration (public form or desk) of an insured
/// adult who would come on `day` (`YYYY-MM-DD`).
pub fn registration(name: &str, furigana: &str, phone: &str, day: &str) -> Value {
    json!({
        "name": name,
        "furigana": furigana,
        "birth_date": "1985-04-01",
        "phone": phone,
        "address": "石川県金沢市",
        "emergency_name": "緊急 連絡",
        "emergency_phone": "076-220-2111",
        "insurance": "enrolled",
        "preferred_dates": [day],
    })
}

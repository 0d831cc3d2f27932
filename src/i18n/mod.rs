//! The two languages. Japanese first; English for whoever asks.

pub mod catalogue;
#[cfg(test)]
mod key_check;

pub use catalogue::{Phrase, Section, Words, word, word_with};

use axum::http::HeaderMap;
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Ja,
    En,
}

/// A message in both languages; which one is shown is decided at the edge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub ja: std::borrow::Cow<'static, str>,
    pub en: std::borrow::Cow<'static, str>,
}

impl Text {
    pub fn new(ja: impl Into<std::borrow::Cow<'static, str>>, en: impl Into<std::borrow::Cow<'static, str>>) -> Text {
        Text { ja: ja.into(), en: en.into() }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// For the JSON API: Japanese when `Accept-Language` starts with `ja`, else English.
    pub fn for_api(headers: &HeaderMap) -> Lang {
        let wants_ja = headers
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("ja"));
        if wants_ja { Lang::Ja } else { Lang::En }
    }

    /// For pages: Japanese unless the user switched to English (the `lang` cookie).
    pub fn for_page(headers: &HeaderMap) -> Lang {
        match cookie(headers, LANG_COOKIE) {
            Some("en") => Lang::En,
            _ => Lang::Ja,
        }
    }
}

pub const LANG_COOKIE: &str = "borasen_lang";

/// The value of one cookie from the request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// `7月12日（日）`: a date as people say it.
pub fn date_ja(day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    const WEEKDAYS: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];
    format!("{}月{}日（{}）", day.month(), day.day(), WEEKDAYS[day.weekday().num_days_from_monday() as usize])
}

/// A date as people say it in `lang`: `7月12日（日）`, `Sun 12 Jul`.
pub fn date_in(lang: Lang, day: chrono::NaiveDate) -> String {
    match lang {
        Lang::Ja => date_ja(day),
        Lang::En => day.format("%a %-d %b").to_string(),
    }
}

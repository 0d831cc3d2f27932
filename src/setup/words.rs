//! The words of `/setup` and its poster live in the catalogue (`setup.*` in
//! `locales/`). The steps name the settings screens as each device labels them
//! in that language; the poster is Japanese.

use std::borrow::Cow;

use crate::i18n::{Lang, word};

/// The poster's words: Japanese, from the catalogue.
pub fn ja(key: &str) -> Cow<'static, str> {
    word(Lang::Ja, &format!("setup.{key}"))
}

/// One step of a device's list (`ios_steps`, 1-based), in Japanese.
pub fn ja_step(list: &str, n: usize) -> Cow<'static, str> {
    word(Lang::Ja, &format!("setup.{list}.{n}"))
}

//! The one catalogue of words: `locales/ja.toml` and `locales/en.toml`, embedded
//! at compile time by `rust-i18n`. Pages, templates, scripts (through the page)
//! and the PDFs take their words from here; a test checks that both files hold
//! the same keys and that every key the code names exists.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::LazyLock;

use super::Lang;

rust_i18n::i18n!("locales");

/// The words one language gives a key; the key itself when it has none (the
/// key test makes that a failure, never a page).
pub fn word(lang: Lang, key: &str) -> Cow<'static, str> {
    _rust_i18n_try_translate(lang.code(), key).unwrap_or_else(|| Cow::Owned(key.to_string()))
}

/// As [`word`], with `%{name}` placeholders filled in.
pub fn word_with(lang: Lang, key: &str, values: &[(&str, &str)]) -> String {
    let (names, values): (Vec<&str>, Vec<String>) = values.iter().map(|(n, v)| (*n, v.to_string())).unzip();
    rust_i18n::replace_patterns(&word(lang, key), &names, &values)
}

/// Words to be said in the reader's language: a catalogue key and the values
/// of its `%{name}` placeholders. Domain code says what happened; the edge (a
/// page, a script through `Borasen.t`, a Japanese PDF) says it in its language.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Phrase {
    /// A catalogue key; under `js.` when a script says it (`Borasen.t` without the `js.`).
    pub key: String,
    pub values: BTreeMap<String, String>,
}

impl Phrase {
    pub fn new<const N: usize>(key: &str, values: [(&str, String); N]) -> Phrase {
        Phrase { key: key.to_string(), values: values.into_iter().map(|(n, v)| (n.to_string(), v)).collect() }
    }

    /// The phrase in `lang`.
    pub fn say(&self, lang: Lang) -> String {
        let values: Vec<(&str, &str)> = self.values.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        word_with(lang, &self.key, &values)
    }
}

/// Every key and its words in one language.
pub fn all(lang: Lang) -> BTreeMap<String, String> {
    _rust_i18n_backend()
        .messages_for_locale(lang.code())
        .unwrap_or_default()
        .into_iter()
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect()
}

/// The words the page scripts use (keys under `js.`, without that prefix), as
/// JSON safe to embed in a `<script type="application/json">` element. Made
/// once per language: the catalogue is embedded and every page carries it.
pub fn script_words(lang: Lang) -> &'static str {
    static WORDS: LazyLock<[String; 2]> = LazyLock::new(|| [script_words_of(Lang::Ja), script_words_of(Lang::En)]);
    match lang {
        Lang::Ja => &WORDS[0],
        Lang::En => &WORDS[1],
    }
}

fn script_words_of(lang: Lang) -> String {
    let words: BTreeMap<String, String> = all(lang)
        .into_iter()
        .filter_map(|(key, value)| key.strip_prefix("js.").map(|k| (k.to_string(), value)))
        .collect();
    // `<` escaped, so no `</script>` can end the element early.
    serde_json::to_string(&words).unwrap_or_else(|_| "{}".into()).replace('<', "\\u003c")
}

const SKILLS: [&str; 8] =
    ["nurse", "care", "heavy_machinery", "large_vehicle", "chainsaw", "carpentry", "languages", "sign_language"];

/// The words of one language, handed to a template as `page.t`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Words {
    pub lang: Lang,
}

impl Words {
    pub fn new(lang: Lang) -> Words {
        Words { lang }
    }

    /// `{{ page.t.get("login.title") }}`
    pub fn get(&self, key: &str) -> Cow<'static, str> {
        word(self.lang, key)
    }

    /// The English words of a key, whatever the page's language: the volunteer's
    /// copy on the Japanese registration confirmation.
    pub fn en(&self, key: &str) -> Cow<'static, str> {
        word(Lang::En, key)
    }

    /// `{{ page.t.with("key", [("n", n.to_string())]) }}`: `%{n}` filled in.
    pub fn with<const N: usize>(&self, key: &str, values: [(&str, String); N]) -> String {
        let pairs: Vec<(&str, &str)> = values.iter().map(|(n, v)| (*n, v.as_str())).collect();
        word_with(self.lang, key, &pairs)
    }

    /// A numbered list: the words of `prefix.1`, `prefix.2`, … up to the first missing.
    pub fn list(&self, prefix: &str) -> Vec<Cow<'static, str>> {
        (1..).map_while(|n| _rust_i18n_try_translate(self.lang.code(), format!("{prefix}.{n}"))).collect()
    }

    /// The scripts' words for this language (see [`script_words`]).
    pub fn script(&self) -> &'static str {
        script_words(self.lang)
    }

    /// The skills a volunteer can tick: the value stored (the Japanese word,
    /// whatever the page's language) and the label shown.
    pub fn skills(&self) -> Vec<(Cow<'static, str>, Cow<'static, str>)> {
        SKILLS
            .iter()
            .map(|code| {
                let key = format!("reception.skill.{code}");
                (word(Lang::Ja, &key), self.get(&key))
            })
            .collect()
    }

    /// The home menu: path and the key prefix of its label and description.
    pub fn sections(&self) -> [Section; 10] {
        ["reception", "needs", "matching", "inventory", "board", "drill", "evaluation", "closing", "users", "settings"]
            .map(|name| Section {
                path: format!("/{name}"),
                label: self.get(&format!("home.section.{name}.label")),
                description: self.get(&format!("home.section.{name}.description")),
            })
    }
}

pub struct Section {
    pub path: String,
    pub label: Cow<'static, str>,
    pub description: Cow<'static, str>,
}

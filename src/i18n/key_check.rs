//! The catalogue's own test: both languages hold the same keys, and every key
//! the code, the templates and the scripts name exists.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::Lang;
use super::catalogue::all;

fn files_under(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(path) = todo.pop() {
        if path.is_dir() {
            todo.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else if path.extension().is_some_and(|e| e == ext) && !path.components().any(|c| c.as_os_str() == "vendor") {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// The string literals right after each of `openers` in `text` (`t.get("a.b")` → `a.b`).
fn keys_after(text: &str, openers: &[&str]) -> Vec<String> {
    let mut keys = Vec::new();
    for opener in openers {
        for (at, _) in text.match_indices(opener) {
            let rest = &text[at + opener.len()..];
            let quote = opener.chars().last().unwrap();
            if let Some(end) = rest.find(quote) {
                let key = &rest[..end];
                if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
                    keys.push(key.to_string());
                }
            }
        }
    }
    keys
}

/// Every string literal in `text` that starts with `prefix`: `"papers.sheet.title"`.
fn literals_starting(text: &str, prefix: &str) -> Vec<String> {
    text.match_indices(&format!("\"{prefix}"))
        .filter_map(|(at, _)| {
            let rest = &text[at + 1..];
            let key = &rest[..rest.find('"')?];
            let whole = !key.ends_with('.') && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
            whole.then(|| key.to_string())
        })
        .collect()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn both_languages_have_the_same_keys() {
    let ja: BTreeSet<String> = all(Lang::Ja).into_keys().collect();
    let en: BTreeSet<String> = all(Lang::En).into_keys().collect();
    assert!(ja.len() > 100, "the catalogue is embedded: {} keys", ja.len());
    let only_ja: Vec<_> = ja.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&ja).collect();
    assert!(only_ja.is_empty() && only_en.is_empty(), "only in ja.toml: {only_ja:?}\nonly in en.toml: {only_en:?}");
}

#[test]
fn every_key_the_code_templates_and_scripts_name_exists() {
    let known: BTreeSet<String> = all(Lang::Ja).into_keys().collect();
    let mut missing = Vec::new();
    let mut named = 0;
    let rust_and_templates =
        files_under(&root().join("src"), "rs").into_iter().chain(files_under(&root().join("src"), "html"));
    for file in rust_and_templates {
        let text = std::fs::read_to_string(&file).unwrap();
        let text: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
        for key in keys_after(
            &text,
            &[
                "t.get(\"",
                "t.with(\"",
                "words.get(\"",
                "words.with(\"",
                "word(lang, \"",
                "word_with(lang, \"",
                "Phrase::new(\"",
                "word(Lang::Ja, \"",
                "word(Lang::En, \"",
                "word_with(Lang::Ja, \"",
                "word_with(Lang::En, \"",
            ],
        ) {
            named += 1;
            if !known.contains(&key) && key.contains('.') {
                missing.push(format!("{}: {key}", file.display()));
            }
        }
        // The official papers' words and the fixed choices' labels, however the
        // code reaches them (`word(lang, …)`, a closure, a `label_key()`): every
        // literal key under `papers.` or `label.`.
        for key in ["papers.", "label."].into_iter().flat_map(|prefix| literals_starting(&text, prefix)) {
            named += 1;
            if !known.contains(&key) {
                missing.push(format!("{}: {key}", file.display()));
            }
        }
    }
    for file in files_under(&root().join("assets/web"), "js") {
        let text = std::fs::read_to_string(&file).unwrap();
        // common.js defines `t` itself; every other script calls `Borasen.t`.
        for key in keys_after(&text, &["Borasen.t(\"", "Borasen.t('", " t(\"", "(t(\""]) {
            named += 1;
            if !known.contains(&format!("js.{key}")) {
                missing.push(format!("{}: js.{key}", file.display()));
            }
        }
    }
    assert!(named > 100, "the scan found the keys: {named}");
    assert!(missing.is_empty(), "keys named but in neither language:\n{}", missing.join("\n"));
}

/// Kana, kanji and the full-width forms that come with Japanese text.
fn is_japanese(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}')
}

/// Words live in the catalogue: no template and no script holds Japanese text
/// of its own (comments aside). The one exception is the service worker: it has
/// no page to take words from, so its offline page says it in both languages.
#[test]
fn templates_and_scripts_take_their_words_from_the_catalogue() {
    let mut found = Vec::new();
    for file in files_under(&root().join("src/web/templates"), "html")
        .into_iter()
        .chain(files_under(&root().join("assets/web"), "js"))
    {
        if file.ends_with("sw.js") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            let code =
                if code.trim_start().starts_with('*') || code.trim_start().starts_with("/*") { "" } else { code };
            let code = code.split("{#").next().unwrap_or("");
            if code.chars().any(is_japanese) {
                found.push(format!("{}:{}: {}", file.strip_prefix(root()).unwrap().display(), n + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "{} lines with Japanese outside the catalogue:\n{}", found.len(), found.join("\n"));
}

/// The papers' words are all in use: a word left behind when a paper changes
/// would otherwise be translated and kept for nothing.
#[test]
fn every_word_of_the_papers_is_used() {
    let mut named = BTreeSet::new();
    for file in files_under(&root().join("src"), "rs") {
        named.extend(literals_starting(&std::fs::read_to_string(&file).unwrap(), "papers."));
    }
    let unused: Vec<String> =
        all(Lang::Ja).into_keys().filter(|k| k.starts_with("papers.") && !named.contains(k)).collect();
    assert!(named.len() > 100, "the scan found the papers' keys: {}", named.len());
    assert!(unused.is_empty(), "papers' words no code names:\n{}", unused.join("\n"));
}

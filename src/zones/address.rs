//! Offline addresses: placing a need from a typed address without internet.
//! Two tables can be imported — the official MLIT 位置参照情報 (街区レベル) CSV,
//! which gives a latitude/longitude per block, and a town→zone CSV
//! (`町丁目,zone`) — and intake suggests matches as the address is typed, by
//! prefix on a normalised form: full-/half-width digits, 丁目/番/号 and hyphen
//! forms, and kanji numerals before 丁目 all compare equal.
//!
//! This file holds the reading (encodings, formats, bad rows by line), the
//! import command and the suggestions; the SQL is in [`super::address_store`].

use std::borrow::Cow;
use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::ZoneIndex;
use super::address_store as store;
use crate::clock::Clock;
use crate::db::Db;
use crate::error::AppError;
use crate::events::Actor;
use crate::events::contract::zones::AddressesImported;
use crate::i18n::Text;

/// The comparable form of a Japanese address: `石川県金沢市広坂１丁目２番３号`,
/// `石川県金沢市広坂一丁目2-3` and `石川県 金沢市 広坂1－2－3` are all
/// `石川県金沢市広坂1-2-3`.
pub fn normalize(address: &str) -> String {
    let folded: String = crate::reception::normalize::nfkc(address).chars().filter(|c| !c.is_whitespace()).collect();
    let chars: Vec<char> = folded.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // Kanji numerals directly before 丁目 (一丁目 … 二十三丁目).
        if kanji_digit(c).is_some() || c == '十' {
            let start = i;
            while i < chars.len() && (kanji_digit(chars[i]).is_some() || chars[i] == '十') {
                i += 1;
            }
            if chars.get(i) == Some(&'丁') && chars.get(i + 1) == Some(&'目') {
                out.push_str(&kanji_number(&chars[start..i]).to_string());
            } else {
                out.extend(&chars[start..i]);
            }
            continue;
        }
        match c {
            '丁' if chars.get(i + 1) == Some(&'目') => {
                out.push('-');
                i += 2;
            }
            '番' if chars.get(i + 1) == Some(&'地') => {
                out.push('-');
                i += 2;
            }
            '番' => {
                out.push('-');
                i += 1;
            }
            '号' => i += 1,
            '‐' | '‑' | '–' | '—' | '―' | '−' | 'ー' | '-' if out.ends_with(|d: char| d.is_ascii_digit()) =>
            {
                out.push('-');
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    while out.contains("--") {
        out = out.replace("--", "-");
    }
    out.trim_end_matches('-').to_string()
}

fn kanji_digit(c: char) -> Option<u32> {
    "〇一二三四五六七八九".chars().position(|k| k == c).map(|p| p as u32)
}

/// 一 → 1, 十二 → 12, 二十三 → 23.
fn kanji_number(chars: &[char]) -> u32 {
    match chars.iter().position(|c| *c == '十') {
        Some(ten) => {
            let tens = if ten == 0 { 1 } else { chars[..ten].iter().filter_map(|c| kanji_digit(*c)).sum() };
            let ones: u32 = chars[ten + 1..].iter().filter_map(|c| kanji_digit(*c)).sum();
            tens * 10 + ones
        }
        None => chars.iter().filter_map(|c| kanji_digit(*c)).fold(0, |n, d| n * 10 + d),
    }
}

/// Which table a file fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AddressKind {
    /// 位置参照情報 (街区レベル): a position per block.
    Mlit,
    /// `町丁目,zone`: the zone of each town.
    Towns,
}

impl AddressKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AddressKind::Mlit => "mlit",
            AddressKind::Towns => "towns",
        }
    }

    pub fn parse(text: &str) -> Option<AddressKind> {
        match text.trim() {
            "mlit" => Some(AddressKind::Mlit),
            "towns" => Some(AddressKind::Towns),
            _ => None,
        }
    }
}

/// One block of the 位置参照情報: where an address is.
#[derive(Debug, Clone, PartialEq)]
pub struct AddressPoint {
    /// As people write it: `石川県金沢市広坂一丁目2`.
    pub address: String,
    /// Normalised from the prefecture: `石川県金沢市広坂1-2`.
    pub key: String,
    /// Normalised from the city: `金沢市広坂1-2`.
    pub city_key: String,
    /// Normalised from the town: `広坂1-2`.
    pub town_key: String,
    pub lat: f64,
    pub lon: f64,
}

/// One row of a town→zone table.
#[derive(Debug, Clone, PartialEq)]
pub struct TownZone {
    pub line: usize,
    /// As written: `広坂一丁目`.
    pub town: String,
    /// Normalised: `広坂1`.
    pub key: String,
    pub zone: String,
}

/// A row that could not be read: its 1-based line in the file, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    pub line: usize,
    pub reason: Text,
}

fn row_error(line: usize, ja: &str, en: &str) -> RowError {
    RowError { line, reason: Text::new(format!("{line}行目: {ja}"), format!("line {line}: {en}")) }
}

/// How many bad lines an error lists; the total is always given.
pub const LISTED_PROBLEMS: usize = 100;

/// Why a file was not imported. Nothing was changed.
#[derive(Debug, Clone, PartialEq)]
pub enum AddressFileError {
    /// Lines whose bytes are neither UTF-8 nor Shift_JIS (CP932).
    Encoding(Vec<RowError>),
    /// Bad rows, every one (`skip_bad_rows` was not asked for).
    BadRows(Vec<RowError>),
    /// Not one good row; the bad ones, if any.
    NoGoodRows(Vec<RowError>),
}

impl AddressFileError {
    /// Every line at fault, in file order.
    pub fn problems(&self) -> &[RowError] {
        match self {
            AddressFileError::Encoding(p) | AddressFileError::BadRows(p) | AddressFileError::NoGoodRows(p) => p,
        }
    }

    /// A summary, then the first [`LISTED_PROBLEMS`] lines at fault, one a line.
    pub fn text(&self) -> Text {
        let n = self.problems().len();
        let (mut ja, mut en) = match self {
            AddressFileError::Encoding(_) => (
                format!(
                    "文字コードを読めません（UTF-8 でも Shift_JIS でもありません）: {n} 行。何も変更していません。"
                ),
                format!("{n} line(s) are neither UTF-8 nor Shift_JIS; nothing was changed."),
            ),
            AddressFileError::BadRows(_) => (
                format!(
                    "{n} 行に問題があります。何も変更していません（問題の行を飛ばして取り込むには skip_bad_rows を指定）。"
                ),
                format!("{n} bad row(s); nothing was changed (ask for skip_bad_rows to import the good rows)."),
            ),
            AddressFileError::NoGoodRows(_) => (
                "取り込める行が1行もありません。何も変更していません。".to_string(),
                "the file has no good row; nothing was changed.".to_string(),
            ),
        };
        for problem in self.problems().iter().take(LISTED_PROBLEMS) {
            ja.push('\n');
            ja.push_str(&problem.reason.ja);
            en.push('\n');
            en.push_str(&problem.reason.en);
        }
        if n > LISTED_PROBLEMS {
            ja.push_str(&format!("\n…ほか {} 行", n - LISTED_PROBLEMS));
            en.push_str(&format!("\n… and {} more", n - LISTED_PROBLEMS));
        }
        Text::new(ja, en)
    }
}

impl std::fmt::Display for AddressFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.text().ja)
    }
}

/// The text of a file: UTF-8 (a BOM is dropped) when the bytes are valid
/// UTF-8, else Shift_JIS / CP932 (the official MLIT downloads). Bytes neither
/// can read are an error naming their lines.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, AddressFileError> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Cow::Borrowed(text.strip_prefix('\u{feff}').unwrap_or(text)));
    }
    if let Some(text) = encoding_rs::SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes) {
        return Ok(text);
    }
    // Name the lines (a newline byte never occurs inside a Shift_JIS
    // character), in whichever encoding fewer lines fail: the file's likely one.
    let bad_lines = |valid: &dyn Fn(&[u8]) -> bool| -> Vec<usize> {
        bytes.split(|b| *b == b'\n').enumerate().filter(|(_, line)| !valid(line)).map(|(i, _)| i + 1).collect()
    };
    let utf8 = bad_lines(&|line| std::str::from_utf8(line).is_ok());
    let sjis =
        bad_lines(&|line| encoding_rs::SHIFT_JIS.decode_without_bom_handling_and_without_replacement(line).is_some());
    let lines = if utf8.len() <= sjis.len() { utf8 } else { sjis };
    let bad = lines
        .into_iter()
        .map(|line| {
            row_error(
                line,
                "UTF-8 でも Shift_JIS でも読めない文字があります",
                "bytes that are neither UTF-8 nor Shift_JIS",
            )
        })
        .collect();
    Err(AddressFileError::Encoding(bad))
}

/// Rows read from a file, and the bad rows (each with its line).
pub type Read<T> = (Vec<T>, Vec<RowError>);

/// Applies the rule for bad rows: without `skip_bad_rows` any bad row refuses
/// the file; with it the bad rows are left out (and still reported). A file
/// with no good row is refused either way.
pub fn settle<T>((rows, bad): Read<T>, skip_bad_rows: bool) -> Result<Read<T>, AddressFileError> {
    if rows.is_empty() {
        Err(AddressFileError::NoGoodRows(bad))
    } else if !bad.is_empty() && !skip_bad_rows {
        Err(AddressFileError::BadRows(bad))
    } else {
        Ok((rows, bad))
    }
}

/// The line of a quote that is never closed. The csv crate reads such a quote
/// to the end of the file as one field; a file that ends inside a quoted
/// field is broken from that line on, not one long valid row.
fn unterminated_quote(text: &str) -> Option<usize> {
    let (mut line, mut opened_on, mut quoted, mut field_start) = (1, None, false, true);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next(); // an escaped quote inside a quoted field
            }
            '"' if quoted => quoted = false,
            '"' if field_start => {
                quoted = true;
                opened_on = Some(line);
            }
            _ => {}
        }
        if c == '\n' {
            line += 1;
        }
        field_start = !quoted && matches!(c, ',' | '\n' | '\r');
    }
    quoted.then_some(opened_on).flatten()
}

/// The text before the line of an unclosed quote, and that line as a bad row.
fn before_unclosed_quote(text: &str) -> (&str, Option<RowError>) {
    let Some(line) = unterminated_quote(text) else { return (text, None) };
    let start = text.match_indices('\n').nth(line - 2).map_or(0, |(at, _)| at + 1);
    let error =
        row_error(line, "「\"」で始まった項目がファイルの終わりまで閉じていません", "a quoted field is never closed");
    (&text[..start], Some(error))
}

/// A cell as typed: refused (as a bad row) with control or invisible characters.
fn clean_cell(line: usize, label_ja: &str, value: &str) -> Result<String, RowError> {
    crate::fields::clean_line(label_ja, label_ja, value).map_err(|e| row_error(line, &e.message.ja, &e.message.en))
}

fn csv_reader(text: &str, has_headers: bool) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().has_headers(has_headers).flexible(true).from_reader(text.as_bytes())
}

/// The 1-based line a record starts on (blank lines and quoted line breaks counted).
fn line_of(record: &csv::StringRecord, fallback: usize) -> usize {
    record.position().map_or(fallback, |p| p.line() as usize)
}

fn csv_error_line(error: &csv::Error, fallback: usize) -> usize {
    error.position().map_or(fallback, |p| p.line() as usize)
}

/// Reads a 街区レベル位置参照情報 CSV. Columns are found by their header names
/// (the official header, or 大字・町丁目名 for the town). A header without them
/// makes every row unreadable: an error on line 1 and no rows.
pub fn read_mlit_csv(text: &str) -> Read<AddressPoint> {
    let (text, unclosed) = before_unclosed_quote(text);
    let (points, mut errors) = read_mlit_rows(text);
    errors.extend(unclosed);
    (points, errors)
}

fn read_mlit_rows(text: &str) -> Read<AddressPoint> {
    let mut reader = csv_reader(text, true);
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(e) => return (Vec::new(), vec![row_error(1, &e.to_string(), &e.to_string())]),
    };
    let column = |names: &[&str]| headers.iter().position(|h| names.contains(&h.trim()));
    let (Some(pref), Some(city), Some(town), Some(block), Some(lat), Some(lon)) = (
        column(&["都道府県名"]),
        column(&["市区町村名"]),
        column(&["大字・丁目名", "大字・町丁目名", "大字町丁目名"]),
        column(&["街区符号・地番", "街区符号"]),
        column(&["緯度"]),
        column(&["経度"]),
    ) else {
        return (
            Vec::new(),
            vec![row_error(
                1,
                "見出し行に 都道府県名・市区町村名・大字・丁目名・街区符号・地番・緯度・経度 が必要です",
                "the header needs 都道府県名, 市区町村名, 大字・丁目名, 街区符号・地番, 緯度, 経度",
            )],
        );
    };
    let mut points = Vec::new();
    let mut errors = Vec::new();
    let (mut cached_pref, mut cached_city) = ((String::new(), String::new()), (String::new(), String::new()));
    for (i, record) in reader.records().enumerate() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                errors.push(row_error(csv_error_line(&e, i + 2), &e.to_string(), &e.to_string()));
                continue;
            }
        };
        let line = line_of(&record, i + 2);
        if let Some(error) = record.iter().find_map(|cell| clean_cell(line, "項目", cell).err()) {
            errors.push(error);
            continue;
        }
        let field = |n: usize| record.get(n).map(str::trim).unwrap_or("");
        let (Ok(la), Ok(lo)) = (field(lat).parse::<f64>(), field(lon).parse::<f64>()) else {
            errors.push(row_error(line, "緯度・経度が数値ではありません", "latitude or longitude is not a number"));
            continue;
        };
        if !(20.0..=46.0).contains(&la) || !(122.0..=154.0).contains(&lo) {
            errors.push(row_error(
                line,
                &format!("座標が日本の範囲外です（緯度 {la}, 経度 {lo}）"),
                &format!("position outside Japan (lat {la}, lon {lo})"),
            ));
            continue;
        }
        if field(town).is_empty() {
            errors.push(row_error(line, "大字・町丁目名が空です", "no town (大字・町丁目名)"));
            continue;
        }
        // Prefecture and city names end in 県/市/区/町/村: normalised apart and
        // joined, they give what the whole would; a file repeats them on every
        // row, so each is normalised once per run of rows.
        if cached_pref.0 != field(pref) {
            cached_pref = (field(pref).to_string(), normalize(field(pref)));
        }
        if cached_city.0 != field(city) {
            cached_city = (field(city).to_string(), normalize(field(city)));
        }
        let town_key = normalize(&format!("{}{}", field(town), field(block)));
        let city_key = format!("{}{town_key}", cached_city.1);
        points.push(AddressPoint {
            address: format!("{}{}{}{}", field(pref), field(city), field(town), field(block)),
            key: format!("{}{city_key}", cached_pref.1),
            city_key,
            town_key,
            lat: la,
            lon: lo,
        });
    }
    (points, errors)
}

/// Reads a town→zone CSV: `町丁目,zone` per line (a first line `町丁目,…` is a
/// header). A town given twice with different zones is a bad row; given twice
/// with the same zone, the second is dropped.
pub fn read_town_zones(text: &str) -> Read<TownZone> {
    let (text, unclosed) = before_unclosed_quote(text);
    let (rows, mut errors) = read_town_rows(text);
    errors.extend(unclosed);
    (rows, errors)
}

fn read_town_rows(text: &str) -> Read<TownZone> {
    let mut rows: Vec<TownZone> = Vec::new();
    let mut errors = Vec::new();
    for (i, record) in csv_reader(text, false).records().enumerate() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                errors.push(row_error(csv_error_line(&e, i + 1), &e.to_string(), &e.to_string()));
                continue;
            }
        };
        let line = line_of(&record, i + 1);
        let cells = (
            clean_cell(line, "町丁目", record.get(0).unwrap_or("")),
            clean_cell(line, "地区", record.get(1).unwrap_or("")),
        );
        let (town, zone) = match cells {
            (Ok(town), Ok(zone)) => (town, zone),
            (Err(error), _) | (_, Err(error)) => {
                errors.push(error);
                continue;
            }
        };
        let (town, zone) = (town.as_str(), zone.as_str());
        if line == 1 && matches!(town, "町丁目" | "町丁目名" | "town") {
            continue;
        }
        if record.len() != 2 || town.is_empty() || zone.is_empty() {
            errors.push(row_error(line, "「町丁目,地区名」の2列ではありません", "not two columns: town,zone"));
            continue;
        }
        let key = normalize(town);
        match rows.iter().find(|r| r.key == key) {
            Some(earlier) if earlier.zone == zone => {}
            Some(earlier) => errors.push(row_error(
                line,
                &format!("町丁目「{town}」は {} 行目で別の地区（{}）になっています", earlier.line, earlier.zone),
                &format!("town {town} is given another zone ({}) on line {}", earlier.zone, earlier.line),
            )),
            None => rows.push(TownZone { line, town: town.to_string(), key, zone: zone.to_string() }),
        }
    }
    (rows, errors)
}

/// Moves the rows naming a zone that is not in `zones` to the bad rows.
pub fn check_zones((rows, mut bad): Read<TownZone>, zones: &HashSet<String>) -> Read<TownZone> {
    let (known, unknown): (Vec<TownZone>, Vec<TownZone>) = rows.into_iter().partition(|r| zones.contains(&r.zone));
    bad.extend(unknown.into_iter().map(|r| {
        row_error(
            r.line,
            &format!("地区「{}」は登録されていません（先に地区を取り込んでください）", r.zone),
            &format!("there is no zone named {} (import the zones first)", r.zone),
        )
    }));
    bad.sort_by_key(|e| e.line);
    (known, bad)
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct Imported {
    pub kind: AddressKind,
    pub count: usize,
    /// The bad rows left out (only with `skip_bad_rows`).
    pub skipped: Vec<RowError>,
}

/// What a file would import, checked without changing anything. A towns file
/// is checked against `zones` when given.
pub fn check(
    bytes: &[u8],
    kind: AddressKind,
    skip_bad_rows: bool,
    zones: Option<&HashSet<String>>,
) -> Result<Imported, AddressFileError> {
    let text = decode(bytes)?;
    let (count, skipped) = match kind {
        AddressKind::Mlit => {
            let (points, skipped) = settle(read_mlit_csv(&text), skip_bad_rows)?;
            (points.len(), skipped)
        }
        AddressKind::Towns => {
            let read = read_town_zones(&text);
            let read = match zones {
                Some(zones) => check_zones(read, zones),
                None => read,
            };
            let (towns, skipped) = settle(read, skip_bad_rows)?;
            (towns.len(), skipped)
        }
    };
    Ok(Imported { kind, count, skipped })
}

/// Imports an address table: decodes and reads the file, and only if it is
/// acceptable (see [`settle`]) replaces the table of its kind whole, in one
/// write transaction with one event, `addresses.imported`. A towns file is
/// checked against the zone set inside that transaction.
pub async fn import(
    db: &Db,
    clock: &Clock,
    actor: &Actor,
    bytes: &[u8],
    kind: AddressKind,
    source: &str,
    skip_bad_rows: bool,
) -> Result<Imported, AppError> {
    let text = decode(bytes)?;
    // Read (and normalise) before taking the writer: a prefecture is a lot of rows.
    let (points, towns) = match kind {
        AddressKind::Mlit => (Some(read_mlit_csv(&text)), None),
        AddressKind::Towns => (None, Some(read_town_zones(&text))),
    };
    let mut tx = db.begin_write().await?;
    let (count, skipped) = match (points, towns) {
        (Some(points), _) => {
            let (points, skipped) = settle(points, skip_bad_rows)?;
            store::replace_points(tx.conn(), &points).await?;
            (points.len(), skipped)
        }
        (_, Some(towns)) => {
            let zones = store::zone_names(tx.conn()).await?;
            let (towns, skipped) = settle(check_zones(towns, &zones), skip_bad_rows)?;
            store::replace_towns(tx.conn(), &towns).await?;
            (towns.len(), skipped)
        }
        (None, None) => unreachable!("one kind is read"),
    };
    let lines: Vec<usize> = skipped.iter().take(LISTED_PROBLEMS).map(|e| e.line).collect();
    let imported = AddressesImported {
        kind: kind.as_str().to_string(),
        source: source.to_string(),
        count,
        skipped: skipped.len(),
        skipped_lines: lines,
    };
    tx.append(clock, actor, None, &imported).await?;
    tx.commit().await?;
    Ok(Imported { kind, count, skipped })
}

/// Where a suggestion's zone came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ZoneSource {
    /// The block's position is inside the zone.
    Pin,
    /// The town→zone table names the zone of the address's town.
    Address,
}

/// A place the typed address may mean.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    /// A block as the table writes it, or (no block matched, a town did) the text as typed.
    pub address: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// None: zone unknown.
    pub zone: Option<String>,
    pub zone_source: Option<ZoneSource>,
}

/// Up to `limit` blocks whose address starts like `typed` (from the
/// prefecture, the city or the town), each with its zone: the zone its pin is
/// in, else its town's zone. When no block matches but the text contains a
/// known town, one suggestion with that town's zone and no pin.
pub async fn suggest(
    pool: &sqlx::SqlitePool,
    zones: &ZoneIndex,
    typed: &str,
    limit: usize,
) -> Result<Vec<Suggestion>, sqlx::Error> {
    let prefix = normalize(typed);
    if prefix.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let points = store::points_with_prefix(pool, &prefix, limit).await?;
    if points.is_empty() {
        return Ok(store::zone_for_address(pool, typed)
            .await?
            .map(|zone| Suggestion {
                address: typed.trim().to_string(),
                lat: None,
                lon: None,
                zone: Some(zone),
                zone_source: Some(ZoneSource::Address),
            })
            .into_iter()
            .collect());
    }
    let mut suggestions = Vec::with_capacity(points.len());
    for point in points {
        let (zone, zone_source) = match zones.locate(point.lon, point.lat) {
            Some(zone) => (Some(zone.name.clone()), Some(ZoneSource::Pin)),
            None => match store::zone_for_address(pool, &point.key).await? {
                Some(zone) => (Some(zone), Some(ZoneSource::Address)),
                None => (None, None),
            },
        };
        suggestions.push(Suggestion {
            address: point.address,
            lat: Some(point.lat),
            lon: Some(point.lon),
            zone,
            zone_source,
        });
    }
    Ok(suggestions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_written_differently_normalise_alike() {
        let expected = "石川県金沢市広坂1-2-3";
        for written in [
            "石川県金沢市広坂１丁目２番３号",
            "石川県金沢市広坂一丁目2-3",
            "石川県 金沢市 広坂1－2－3",
            "石川県金沢市広坂1丁目2番地3",
        ] {
            assert_eq!(normalize(written), expected, "{written}");
        }
        assert_eq!(normalize("金沢市十間町"), "金沢市十間町", "kanji numerals in a town name stay");
        assert_eq!(normalize("金沢市本町二十三丁目"), "金沢市本町23");
        assert_eq!(normalize("金沢市本町十二丁目5"), "金沢市本町12-5");
    }

    const SAMPLE: &str = "都道府県名,市区町村名,大字・丁目名,小字・通称名,街区符号・地番,座標系番号,Ｘ座標,Ｙ座標,緯度,経度,住居表示フラグ,代表フラグ,更新前履歴フラグ,更新後履歴フラグ
石川県,金沢市,広坂一丁目,,1,7,-6500.1,-12000.2,36.562100,136.657800,1,1,0,0
石川県,金沢市,広坂一丁目,,2,7,-6510.1,-12010.2,36.561900,136.658200,1,1,0,0
石川県,金沢市,広坂二丁目,,1,7,-6600.1,-12100.2,36.560500,136.659900,1,1,0,0
石川県,金沢市,香林坊一丁目,,1,7,-6300.1,-11900.2,36.563300,136.654400,1,1,0,0
石川県,金沢市,片町二丁目,,3,7,x,y,北緯,東経,1,1,0,0
";

    #[test]
    fn the_mlit_format_is_read_and_a_bad_row_is_named_by_its_line() {
        let error = settle(read_mlit_csv(SAMPLE), false).unwrap_err();
        let AddressFileError::BadRows(errors) = &error else { panic!("{error:?}") };
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 6);
        assert!(errors[0].reason.ja.starts_with("6行目"));
        assert!(error.text().en.contains("line 6: latitude or longitude is not a number"));

        let (points, skipped) = settle(read_mlit_csv(SAMPLE), true).unwrap();
        assert_eq!(points.len(), 4);
        assert_eq!(skipped.len(), 1, "skipped rows are still reported");
        assert_eq!(points[1].address, "石川県金沢市広坂一丁目2");
        assert_eq!(points[1].key, "石川県金沢市広坂1-2");
        assert_eq!(points[1].city_key, "金沢市広坂1-2");
        assert_eq!(points[1].town_key, "広坂1-2");
        for p in &points {
            assert_eq!(p.key, normalize(&p.address), "keys built from parts are the whole's key");
        }

        let header_only = settle(read_mlit_csv("a,b\n1,2\n"), true).unwrap_err();
        assert!(matches!(header_only, AddressFileError::NoGoodRows(_)), "a file without the columns is refused whole");
        assert_eq!(header_only.problems()[0].line, 1);
    }

    #[test]
    fn lines_are_counted_in_the_file_with_blank_lines_and_quoted_breaks() {
        let text = SAMPLE.replace("石川県,金沢市,香林坊一丁目", "\n\"石川\n県\",金沢市,香林坊一丁目");
        let (_, bad) = read_mlit_csv(&text);
        // The break inside a name is itself refused; later lines keep their numbers.
        assert_eq!(bad.iter().map(|e| e.line).collect::<Vec<_>>(), [5, 8], "{bad:?}");
        assert!(bad[0].reason.ja.contains("改行"), "{bad:?}");
    }

    #[test]
    fn utf8_with_or_without_bom_and_shift_jis_are_read_and_other_bytes_named_by_line() {
        let (sjis, _, unmappable) = encoding_rs::SHIFT_JIS.encode(SAMPLE);
        assert!(!unmappable);
        assert_eq!(decode(&sjis).unwrap(), SAMPLE);
        assert_eq!(decode(SAMPLE.as_bytes()).unwrap(), SAMPLE);
        assert_eq!(decode(format!("\u{feff}{SAMPLE}").as_bytes()).unwrap(), SAMPLE);
        let mut broken = sjis.into_owned();
        let third_line = broken.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(1).unwrap().0 + 1;
        broken.insert(third_line, 0x81); // a lead byte, then a newline-free ASCII trail is invalid
        broken.insert(third_line + 1, 0x20);
        let error = decode(&broken).unwrap_err();
        assert!(
            matches!(&error, AddressFileError::Encoding(lines) if lines.len() == 1 && lines[0].line == 3),
            "{error:?}"
        );
    }

    #[test]
    fn the_town_zone_table_is_read_with_line_numbers() {
        let (rows, bad) = read_town_zones("町丁目,地区\n広坂一丁目,香林坊\n片町２丁目,片町\n");
        assert!(bad.is_empty());
        let keys: Vec<(&str, &str)> = rows.iter().map(|r| (r.key.as_str(), r.zone.as_str())).collect();
        assert_eq!(keys, [("広坂1", "香林坊"), ("片町2", "片町")]);
        assert_eq!(rows[1].line, 3);
        let (_, bad) = read_town_zones("広坂一丁目,香林坊\n壊れた行\n広坂1丁目,片町\n広坂１丁目,香林坊\n");
        assert_eq!(bad.iter().map(|e| e.line).collect::<Vec<_>>(), [2, 3]);

        let zones: HashSet<String> = ["香林坊".to_string()].into();
        let (rows, bad) = check_zones(read_town_zones("広坂一丁目,香林坊\n片町２丁目,片町\n"), &zones);
        assert_eq!(rows.len(), 1);
        assert_eq!(bad[0].line, 2);
        assert!(bad[0].reason.ja.contains("地区「片町」は登録されていません"));
    }

    #[test]
    fn an_unclosed_quote_is_a_bad_row_at_its_line_not_one_long_valid_row() {
        let (rows, bad) = read_town_zones("広坂一丁目,香林坊\n\"片町二丁目,片町\n長町一丁目,長町\n");
        assert_eq!(rows.len(), 1);
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].line, 2);
        assert!(bad[0].reason.ja.contains("閉じていません"), "{}", bad[0].reason.ja);
        // Quotes that close, with escaped quotes inside, are fine.
        let (rows, bad) = read_town_zones("\"広坂\"\"一\"\"丁目\",香林坊\n\"片町二丁目\",片町\n");
        assert!(bad.is_empty(), "{bad:?}");
        assert_eq!(rows.len(), 2);
        assert_eq!(unterminated_quote("a,\"b\nc"), Some(1));
        assert_eq!(unterminated_quote("a,b\"c\n"), None, "a quote inside an unquoted field is text");
    }

    #[test]
    fn cells_with_control_or_invisible_characters_are_bad_rows() {
        let (rows, bad) = read_town_zones("広坂\0一丁目,香林坊\n片町二丁目,片\u{200B}町\n長町一丁目,長町\n");
        assert_eq!(rows.len(), 1);
        assert_eq!(bad.iter().map(|e| e.line).collect::<Vec<_>>(), [1, 2]);
        let mlit = "都道府県名,市区町村名,大字・丁目名,街区符号・地番,緯度,経度\n石川県,金沢市,広坂\u{7}一丁目,1,36.56,136.65\n";
        let (points, bad) = read_mlit_csv(mlit);
        assert!(points.is_empty());
        assert_eq!(bad[0].line, 2);
    }

    #[test]
    fn errors_list_at_most_a_hundred_lines_and_the_total() {
        let bad: Vec<RowError> = (1..=150).map(|line| row_error(line, "だめ", "bad")).collect();
        let text = AddressFileError::BadRows(bad).text();
        assert_eq!(text.ja.lines().count(), 1 + LISTED_PROBLEMS + 1);
        assert!(text.ja.starts_with("150 行に問題があります"));
        assert!(text.ja.ends_with("…ほか 50 行"));
    }
}

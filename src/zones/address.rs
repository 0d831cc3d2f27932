//! Offline addresses: placing a need from a typed address without internet.
//! Two tables can be imported — the official MLIT 位置参照情報 (街区レベル) CSV,
//! which gives a latitude/longitude per block, and a town→zone CSV
//! (`町丁目,zone`) — and intake suggests matches as the address is typed, by
//! prefix on a normalised form: full-/half-width digits, 丁目/番/号 and hyphen
//! forms, and kanji numerals before 丁目 all compare equal.
//!
//! This file holds the reading and the matching; storing the tables and the
//! intake endpoint come with the needs work.

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

/// One block of the 位置参照情報: where an address is.
#[derive(Debug, Clone, PartialEq)]
pub struct AddressPoint {
    /// As people write it: `石川県金沢市広坂一丁目2`.
    pub address: String,
    pub key: String,
    pub lat: f64,
    pub lon: f64,
}

/// What reading a table gives: the rows, and the bad rows that were skipped
/// (with `skip_bad_rows`); or, without it, every bad row and nothing else.
pub type Rows<T> = Result<(Vec<T>, Vec<RowError>), Vec<RowError>>;

/// A row that could not be read: its 1-based line in the file, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    pub line: usize,
    pub reason: Text,
}

/// Reads a 街区レベル位置参照情報 CSV (UTF-8; the official Shift_JIS files must
/// be converted first). Columns are found by their header names. Bad rows are
/// errors unless `skip_bad_rows`, when they are left out and still returned.
pub fn read_mlit_csv(text: &str, skip_bad_rows: bool) -> Rows<AddressPoint> {
    let mut reader =
        csv::ReaderBuilder::new().flexible(true).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().map_err(|e| vec![row_error(1, &e.to_string())])?.clone();
    let column = |names: &[&str]| headers.iter().position(|h| names.contains(&h.trim()));
    let (Some(pref), Some(city), Some(town), Some(block), Some(lat), Some(lon)) = (
        column(&["都道府県名"]),
        column(&["市区町村名"]),
        column(&["大字・丁目名", "大字・町丁目名", "大字町丁目名"]),
        column(&["街区符号・地番", "街区符号"]),
        column(&["緯度"]),
        column(&["経度"]),
    ) else {
        return Err(vec![RowError {
            line: 1,
            reason: Text::new(
                "見出し行に 都道府県名・市区町村名・大字・丁目名・街区符号・地番・緯度・経度 が必要です",
                "the header needs 都道府県名, 市区町村名, 大字・丁目名, 街区符号・地番, 緯度, 経度",
            ),
        }]);
    };
    let mut points = Vec::new();
    let mut errors = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                errors.push(row_error(line, &e.to_string()));
                continue;
            }
        };
        let field = |n: usize| record.get(n).map(str::trim).unwrap_or("");
        let (Ok(la), Ok(lo)) = (field(lat).parse::<f64>(), field(lon).parse::<f64>()) else {
            errors.push(row_error(line, "緯度・経度が数値ではありません / latitude or longitude is not a number"));
            continue;
        };
        if !(20.0..=46.0).contains(&la) || !(122.0..=154.0).contains(&lo) || field(town).is_empty() {
            errors.push(row_error(line, "座標が日本の範囲外か、町名が空です / position outside Japan, or no town"));
            continue;
        }
        let address = format!("{}{}{}{}", field(pref), field(city), field(town), field(block));
        points.push(AddressPoint { key: normalize(&address), address, lat: la, lon: lo });
    }
    if errors.is_empty() || skip_bad_rows { Ok((points, errors)) } else { Err(errors) }
}

fn row_error(line: usize, detail: &str) -> RowError {
    RowError { line, reason: Text::new(format!("{line}行目: {detail}"), format!("line {line}: {detail}")) }
}

/// Reads a town→zone CSV: `町丁目,zone` per line (a header line is allowed).
pub fn read_town_zones(text: &str, skip_bad_rows: bool) -> Rows<(String, String)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 1;
        match record {
            Ok(r) if r.len() == 2 && !r[0].trim().is_empty() && !r[1].trim().is_empty() => {
                if line == 1 && r[0].trim() == "町丁目" {
                    continue;
                }
                rows.push((normalize(&r[0]), r[1].trim().to_string()));
            }
            Ok(_) => errors.push(row_error(line, "「町丁目,地区名」の2列ではありません / not two columns: town,zone")),
            Err(e) => errors.push(row_error(line, &e.to_string())),
        }
    }
    if errors.is_empty() || skip_bad_rows { Ok((rows, errors)) } else { Err(errors) }
}

/// Suggestions as an address is typed: prefix matches on the normalised key.
pub struct AddressBook {
    points: Vec<AddressPoint>,
}

impl AddressBook {
    pub fn new(mut points: Vec<AddressPoint>) -> AddressBook {
        points.sort_by(|a, b| a.key.cmp(&b.key));
        AddressBook { points }
    }

    /// Up to `limit` blocks whose address starts like `typed`, in address order.
    pub fn suggest(&self, typed: &str, limit: usize) -> Vec<&AddressPoint> {
        let prefix = normalize(typed);
        if prefix.is_empty() {
            return Vec::new();
        }
        let start = self.points.partition_point(|p| p.key.as_str() < prefix.as_str());
        self.points[start..].iter().take_while(|p| p.key.starts_with(&prefix)).take(limit).collect()
    }
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
        let errors = read_mlit_csv(SAMPLE, false).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 6);
        assert!(errors[0].reason.ja.starts_with("6行目"));

        let (points, skipped) = read_mlit_csv(SAMPLE, true).unwrap();
        assert_eq!(points.len(), 4);
        assert_eq!(skipped.len(), 1, "skipped rows are still reported");
        let book = AddressBook::new(points);
        let hits: Vec<&str> = book.suggest("石川県金沢市広坂１丁目", 10).iter().map(|p| p.address.as_str()).collect();
        assert_eq!(hits, ["石川県金沢市広坂一丁目1", "石川県金沢市広坂一丁目2"]);
        let exact = book.suggest("石川県金沢市広坂一丁目２番", 10);
        assert_eq!(exact.len(), 1);
        assert!((exact[0].lat - 36.5619).abs() < 1e-9);
        assert_eq!(book.suggest("石川県金沢市広坂", 10).len(), 3);
        assert_eq!(book.suggest("石川県金沢市広坂", 1).len(), 1, "limited");
        assert!(book.suggest("富山県", 10).is_empty());
        assert!(read_mlit_csv("a,b\n1,2\n", true).is_err(), "a file without the columns is refused whole");
    }

    #[test]
    fn the_town_zone_table_is_read_with_line_numbers() {
        let (rows, _) = read_town_zones("町丁目,地区\n広坂一丁目,香林坊\n片町２丁目,片町\n", false).unwrap();
        assert_eq!(rows, [("広坂1".to_string(), "香林坊".to_string()), ("片町2".to_string(), "片町".to_string())]);
        let errors = read_town_zones("広坂一丁目,香林坊\n壊れた行\n", false).unwrap_err();
        assert_eq!(errors[0].line, 2);
    }
}

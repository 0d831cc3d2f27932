//! What every CSV export shares: the personal-data mark, and cells that Excel
//! must not read as formulas.
//!
//! The mark is a first *column*, not a first line: a line above the header made
//! Excel's and Python's `csv.DictReader` take the warning for the header row. A
//! column survives sorting, filtering and copying rows elsewhere, and the file
//! name says it too (`個人情報_…csv`).

/// Header of the first column of an export holding personal data.
pub const PERSONAL_DATA_COLUMN: &str = "【個人情報】";
/// That column's cell on every row.
pub const PERSONAL_DATA_MARK: &str = "持出禁止";

/// A file name that says the file holds personal data: `個人情報_{what}.csv`.
pub fn personal_file_name(what: &str) -> String {
    format!("個人情報_{what}.csv")
}

/// A header row with the personal-data column first.
pub fn personal_header<'a>(header: &[&'a str]) -> Vec<&'a str> {
    std::iter::once(PERSONAL_DATA_COLUMN).chain(header.iter().copied()).collect()
}

/// A row with the personal-data mark first and every cell defused.
pub fn personal_row(cells: &[String]) -> Vec<String> {
    std::iter::once(PERSONAL_DATA_MARK.to_string()).chain(cells.iter().map(|cell| defuse(cell))).collect()
}

/// A CSV's bytes as Excel opens them right: UTF-8 with a BOM, the header,
/// then the rows (their cells defused by the caller: [`defuse`], [`personal_row`]).
pub fn with_bom<H, R>(header: H, rows: impl IntoIterator<Item = R>) -> Result<Vec<u8>, csv::Error>
where
    H: IntoIterator,
    H::Item: AsRef<[u8]>,
    R: IntoIterator,
    R::Item: AsRef<[u8]>,
{
    let mut out = "\u{FEFF}".as_bytes().to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        writer.write_record(header)?;
        for row in rows {
            writer.write_record(row)?;
        }
        writer.flush()?;
    }
    Ok(out)
}

/// A cell that starts like a formula is opened by Excel as one: quote it.
pub fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}") } else { cell.to_string() }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formula_like_cells_are_defused() {
        assert_eq!(super::defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(super::defuse("+81 90"), "'+81 90");
        assert_eq!(super::defuse("山田"), "山田");
    }

    #[test]
    fn personal_rows_carry_the_mark_first() {
        assert_eq!(super::personal_header(&["番号"]), ["【個人情報】", "番号"]);
        assert_eq!(super::personal_row(&["=1".to_string()]), ["持出禁止", "'=1"]);
    }
}

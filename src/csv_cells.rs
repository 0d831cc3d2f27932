//! What every CSV export shares: the personal-data warning on its first line,
//! and cells that Excel must not read as formulas.

/// The first line of an export holding personal data; `what` says what it holds.
pub fn personal_data_warning(what: &str) -> String {
    format!("【個人情報】このファイルには個人情報が含まれます。センター外への持ち出し・共有は禁止です。（{what}）")
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
}

//! For tests of the documents: read a PDF's text back, compare it without
//! layout whitespace, and keep a copy to look at.

pub fn extract(bytes: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(bytes).expect("pdf-extract reads the PDF")
}

/// The text without whitespace: line breaks fall wherever the layout put them.
pub fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Keeps a copy under `target/tmp/artefacts/` for people to look at
/// (`pdftoppm -png -r 60 …`).
pub fn save_artefact(name: &str, bytes: &[u8]) {
    let exe = std::env::current_exe().unwrap();
    // target/debug/deps/borasen-… → target
    let Some(target) = exe.ancestors().nth(3) else { return };
    let dir = target.join("tmp").join("artefacts");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), bytes).unwrap();
}

// Migrations are embedded by `sqlx::migrate!`; rebuild when one is added.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    // The catalogue is embedded by `rust_i18n::i18n!`; rebuild when a word changes.
    println!("cargo:rerun-if-changed=locales");
}

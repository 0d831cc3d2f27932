//! Hub accounts: who logs in (`hub_accounts`), staff accounts made by a hub
//! admin (`staff`), the first admin at start; volunteers who register
//! themselves (`register`, with the center's form checks through `profile`),
//! verify their address by a mailed link (`verify`), agree to the privacy
//! notice (`privacy`) and may delete their data (`delete`; the same path
//! erases those inactive for a year, after a notice: `retention`); anyone resets a
//! forgotten password by a mailed link (`reset`, `reset_http`, the pages in
//! `reset_page`); `pages` are the volunteer's pages in Japanese and English.

pub mod delete;
pub mod hook;
pub mod http;
pub mod pages;
pub mod privacy;
pub mod profile;
pub mod register;
pub(crate) mod register_page;
pub mod reset;
pub mod reset_http;
mod reset_page;
pub mod retention;
pub mod staff;
pub mod update;
pub mod verify;
pub mod volunteer_http;

pub use profile::{Eligibility, eligibility};
pub use staff::{NewStaff, create_staff, ensure_first_admin};

use crate::error::AppError;
use crate::fields::invalid;

/// A mail address as typed, checked: one `@`, a dotted host, no spaces, ≤ 254.
pub fn email_address(field: &str, value: &str) -> Result<String, AppError> {
    let email = crate::fields::clean_line(field, "メールアドレス", value)?;
    let plausible = email.chars().count() <= 254
        && !email.chars().any(char::is_whitespace)
        && email.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty()
                && !host.contains('@')
                && host.contains('.')
                && !host.starts_with('.')
                && !host.ends_with('.')
        });
    if !plausible {
        return Err(invalid(field, "メールアドレスを確認してください。", format!("{field} is not a mail address.")));
    }
    Ok(email)
}

/// A new password: 10–200 characters.
pub fn new_password(field: &str, value: &str) -> Result<String, AppError> {
    let length = value.chars().count();
    if !(10..=200).contains(&length) {
        return Err(invalid(
            field,
            "パスワードは10文字以上200文字以内で入力してください。",
            format!("{field} must be 10–200 characters."),
        ));
    }
    Ok(value.to_string())
}

//! The one reading of the needs list's filters, for the API (`GET /api/needs`,
//! `needs.csv`) and the needs page alike: a word that is not a status, or a
//! priority outside 1–3, is refused naming the field, never dropped.

use super::model::{Category, Status};
use super::store::Filter;
use crate::error::AppError;
use crate::fields::invalid;

/// The filters as a request brings them. `status`: comma-separated statuses,
/// `open` (all but 完了 and 取消) or `all`, none meaning all; `zone`: a zone's
/// name, `-` for needs whose zone is unknown; `q`: a number, a phone, or part
/// of a name, furigana or address.
#[derive(Debug, Default)]
pub struct FilterWords {
    pub status: Option<String>,
    pub zone: Option<String>,
    pub priority: Option<i64>,
    pub category: Option<Category>,
    pub q: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl FilterWords {
    /// A page's form, where an empty value means "any".
    pub fn from_form(
        status: &str,
        zone: &str,
        priority: &str,
        category: &str,
        q: &str,
    ) -> Result<FilterWords, AppError> {
        let given = |word: &str| Some(word.trim().to_string()).filter(|w| !w.is_empty());
        let priority = match given(priority) {
            None => None,
            Some(word) => {
                Some(word.parse().map_err(|_| invalid("priority", "優先度は1〜3です。", "priority is 1–3."))?)
            }
        };
        let category = match given(category) {
            None => None,
            Some(word) => Some(Category::parse(&word).ok_or_else(|| {
                invalid("category", format!("作業「{word}」はありません。"), format!("Unknown category {word}."))
            })?),
        };
        Ok(FilterWords {
            status: given(status),
            zone: given(zone),
            priority,
            category,
            q: given(q),
            limit: None,
            offset: None,
        })
    }
}

/// The most rows one answer carries, and the default.
const MAX_ROWS: i64 = 2000;
const DEFAULT_ROWS: i64 = 500;

/// `personal`: the caller may search by name or phone (searching is itself a
/// look at personal data, so other roles' `q` is ignored).
pub fn parse(words: FilterWords, personal: bool) -> Result<Filter, AppError> {
    let mut statuses = Vec::new();
    for word in words.status.as_deref().unwrap_or("").split(',').map(str::trim).filter(|w| !w.is_empty()) {
        match word {
            "open" => statuses.extend(Status::ALL.into_iter().filter(|s| s.is_open())),
            "all" => statuses.extend(Status::ALL),
            word => statuses.push(Status::parse(word).ok_or_else(|| {
                invalid("status", format!("状態「{word}」はありません。"), format!("Unknown status {word}."))
            })?),
        }
    }
    if let Some(p) = words.priority
        && !(1..=3).contains(&p)
    {
        return Err(invalid("priority", "優先度は1〜3です。", "priority is 1–3."));
    }
    Ok(Filter {
        statuses,
        zone: words.zone.filter(|z| !z.trim().is_empty()).map(|z| if z == "-" { None } else { Some(z) }),
        priority: words.priority,
        category: words.category,
        text: words.q.filter(|_| personal),
        limit: words.limit.unwrap_or(DEFAULT_ROWS).clamp(1, MAX_ROWS),
        offset: words.offset.unwrap_or(0).max(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statuses(word: &str) -> Result<Vec<Status>, AppError> {
        parse(FilterWords { status: Some(word.into()), ..FilterWords::default() }, true).map(|f| f.statuses)
    }

    #[test]
    fn open_all_and_lists_of_statuses() {
        assert!(statuses("open").unwrap().iter().all(|s| s.is_open()));
        assert_eq!(statuses("all").unwrap().len(), Status::ALL.len());
        assert_eq!(statuses("").unwrap(), []);
        assert_eq!(statuses(Status::ALL[0].as_str()).unwrap(), [Status::ALL[0]]);
    }

    #[test]
    fn an_unknown_status_or_priority_is_refused_naming_the_field() {
        assert_eq!(statuses("nonsense").unwrap_err().field.as_deref(), Some("status"));
        let bad = FilterWords { priority: Some(4), ..FilterWords::default() };
        assert_eq!(parse(bad, true).unwrap_err().field.as_deref(), Some("priority"));
    }

    #[test]
    fn a_form_leaves_empty_values_out_and_refuses_a_bad_one() {
        let words = FilterWords::from_form("open", "", "", "", " ").unwrap();
        assert_eq!((words.zone, words.priority, words.category, words.q), (None, None, None, None));
        assert_eq!(FilterWords::from_form("", "", "x", "", "").unwrap_err().field.as_deref(), Some("priority"));
        assert_eq!(FilterWords::from_form("", "", "", "x", "").unwrap_err().field.as_deref(), Some("category"));
    }

    #[test]
    fn only_a_caller_who_sees_personal_data_searches_by_text() {
        let words = || FilterWords { q: Some("山田".into()), ..FilterWords::default() };
        assert_eq!(parse(words(), true).unwrap().text.as_deref(), Some("山田"));
        assert_eq!(parse(words(), false).unwrap().text, None);
    }
}

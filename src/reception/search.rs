//! Finding a volunteer at the desk: by number, by phone (any way of writing
//! it), or by the start of the furigana or the name.

use chrono::NaiveDate;
use sqlx::SqlitePool;

use super::model::{Volunteer, parse_volunteer_no};
use super::normalize::{katakana, nfkc, phone_key, search_key};
use super::store::{SELECT_VOLUNTEER, VolunteerRow};

pub const MAX_RESULTS: i64 = 50;

/// What the query looks like it is.
#[derive(Debug, PartialEq, Eq)]
enum Query {
    Number(i64),
    Phone(String),
    Text { furigana: String, name: String },
}

fn classify(q: &str) -> Option<Query> {
    let q = nfkc(q.trim());
    if q.is_empty() {
        return None;
    }
    if let Some(number) = parse_volunteer_no(&q) {
        return Some(Query::Number(number));
    }
    // Tablets' Japanese keyboards type ー (long vowel) or − (minus sign) for a hyphen.
    let looks_like_phone = q.chars().all(|c| c.is_ascii_digit() || "-+() ー−‐―".contains(c));
    let digits = phone_key(&q);
    if looks_like_phone && digits.len() >= 3 {
        return Some(Query::Phone(digits));
    }
    Some(Query::Text { furigana: search_key(&katakana(&q)), name: search_key(&q) })
}

/// Escapes `%` and `_` for LIKE … ESCAPE '\'.
fn like_prefix(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("{escaped}%")
}

/// Up to 50 volunteers, by furigana, each with their check-in on `day`.
pub async fn search(pool: &SqlitePool, q: &str, day: NaiveDate) -> Result<Vec<Volunteer>, sqlx::Error> {
    let Some(query) = classify(q) else { return Ok(Vec::new()) };
    let day_text = day.to_string();
    let rows: Vec<VolunteerRow> = match query {
        Query::Number(number) => {
            let sql = format!("{SELECT_VOLUNTEER} WHERE v.number = ?2");
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(&day_text).bind(number).fetch_all(pool).await?
        }
        Query::Phone(digits) => {
            let sql = format!(
                "{SELECT_VOLUNTEER} WHERE v.phone_key LIKE ?2 ESCAPE '\\' OR v.phone_key LIKE ?3 ESCAPE '\\'
                 ORDER BY v.furigana_key LIMIT ?4"
            );
            // A full number matches exactly; a fragment matches anywhere (the last four digits, say).
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(&day_text)
                .bind(like_prefix(&digits))
                .bind(format!("%{}", like_prefix(&digits)))
                .bind(MAX_RESULTS)
                .fetch_all(pool)
                .await?
        }
        Query::Text { furigana, name } => {
            let sql = format!(
                "{SELECT_VOLUNTEER} WHERE v.furigana_key LIKE ?2 ESCAPE '\\' OR v.name_key LIKE ?3 ESCAPE '\\'
                 ORDER BY v.furigana_key LIMIT ?4"
            );
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(&day_text)
                .bind(like_prefix(&furigana))
                .bind(like_prefix(&name))
                .bind(MAX_RESULTS)
                .fetch_all(pool)
                .await?
        }
    };
    Ok(rows.into_iter().map(|r| r.into_volunteer(day)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_read_as_numbers_phones_or_names() {
        assert_eq!(classify("V-0012"), Some(Query::Number(12)));
        assert_eq!(classify("０９０－１２３４"), Some(Query::Phone("0901234".into())));
        assert_eq!(classify("+81 90 1234 5678"), Some(Query::Phone("09012345678".into())));
        assert_eq!(classify("090ー1234−5678"), Some(Query::Phone("09012345678".into())));
        assert_eq!(classify("やまだ"), Some(Query::Text { furigana: "ヤマダ".into(), name: "やまだ".into() }));
        assert_eq!(classify("山田 太"), Some(Query::Text { furigana: "山田太".into(), name: "山田太".into() }));
        assert_eq!(classify("  "), None);
    }

    #[test]
    fn like_wildcards_in_queries_are_literal() {
        assert_eq!(like_prefix("50%_off"), "50\\%\\_off%");
    }
}

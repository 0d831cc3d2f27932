//! Verified volunteers in bulk, for the booking tests: accounts, profiles and
//! sessions inserted with SQL. Registering 1,000 through the API would hash
//! 1,000 passwords with argon2 (minutes in a debug build); booking is what
//! these tests measure, and the accounts tests cover registration.

use sqlx::PgPool;

/// One volunteer: the account and the session cookie to send.
#[derive(Clone, Debug)]
pub struct Fixture {
    pub account_id: i64,
    pub email: String,
    pub cookie: String,
}

/// What to give the profiles.
#[derive(Clone, Copy, Debug)]
pub struct Profile {
    pub birth_year: i32,
    pub in_prefecture: bool,
    pub insured: bool,
    pub verified: bool,
}

impl Default for Profile {
    fn default() -> Self {
        Profile { birth_year: 1990, in_prefecture: true, insured: true, verified: true }
    }
}

/// `count` volunteers named `<prefix>-<n>@v.example.jp`, each logged in.
pub async fn make(pool: &PgPool, prefix: &str, count: i64, profile: Profile) -> Vec<Fixture> {
    let ids: Vec<(i64, String)> = sqlx::query_as(
        "INSERT INTO hub_accounts (email, email_key, password_hash, role, verified_at)
         SELECT e, e, 'not-a-hash', 'volunteer', CASE WHEN $3 THEN now() END
           FROM (SELECT $1 || '-' || n || '@v.example.jp' AS e FROM generate_series(1, $2) n) s
         RETURNING id, email",
    )
    .bind(prefix)
    .bind(count)
    .bind(profile.verified)
    .fetch_all(pool)
    .await
    .unwrap();
    let first = ids.iter().map(|(id, _)| *id).min().unwrap();
    let last = ids.iter().map(|(id, _)| *id).max().unwrap();
    sqlx::query(
        "INSERT INTO hub_volunteers (account_id, name, name_key, furigana, furigana_key, birth_date, phone, phone_key,
             address, residence, emergency_name, emergency_phone, kind, insurance, insurance_plan, lang, privacy_version)
         SELECT id, 'ボランティア' || id, 'v' || id, 'ボランティア', 'ぼらんてぃあ', make_date($3, 4, 1),
                '090-0000-' || lpad(id::text, 4, '0'), '0900000' || id, '石川県金沢市', CASE WHEN $4 THEN 'in' ELSE 'out' END,
                '家族', '090-1111-2222', 'individual', CASE WHEN $5 THEN 'enrolled' ELSE 'none' END,
                CASE WHEN $5 THEN 'basic' END, 'ja', 'test'
           FROM hub_accounts WHERE id BETWEEN $1 AND $2",
    )
    .bind(first)
    .bind(last)
    .bind(profile.birth_year)
    .bind(profile.in_prefecture)
    .bind(profile.insured)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO hub_sessions (token_hash, account_id, expires_at)
         SELECT sha256(convert_to('fixture-session-' || id, 'UTF8')), id, now() + interval '1 day'
           FROM hub_accounts WHERE id BETWEEN $1 AND $2",
    )
    .bind(first)
    .bind(last)
    .execute(pool)
    .await
    .unwrap();
    ids.into_iter()
        .map(|(account_id, email)| Fixture {
            account_id,
            email,
            cookie: format!("borasen_hub_session=fixture-session-{account_id}"),
        })
        .collect()
}

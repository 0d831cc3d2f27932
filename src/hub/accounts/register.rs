//! A volunteer registers: address, password, the profile and the privacy
//! notice agreed to — one transaction: the account, the profile, event
//! `account.registered`, and the verification mail in the outbox.

use serde::Deserialize;

use super::privacy::PRIVACY_VERSION;
use super::profile::{self, ProfileForm};
use super::verify;
use crate::auth::password;
use crate::error::{AppError, OnUnique};
use crate::events::contract::wire;
use crate::fields::invalid;
use crate::hub::contract::accounts::AccountCreated;
use crate::hub::contract::volunteers::HubVolunteerRegistered;
use crate::hub::events::{HubActor, HubTx};
use crate::hub::sessions::email_key;
use crate::hub::state::HubState;
use crate::i18n::{Lang, Text};

/// `POST /api/accounts`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = HubRegistration)]
pub struct RegistrationBody {
    #[serde(default)]
    #[schema(required = true, example = "taro@example.jp")]
    pub email: String,
    /// 10–200 characters.
    #[serde(default)]
    #[schema(required = true)]
    pub password: String,
    /// `ja` (default) or `en`: pages and mail.
    pub lang: Option<String>,
    /// The privacy notice's version the volunteer agreed to (`GET /privacy`); must be the current one.
    #[serde(default)]
    #[schema(required = true, example = "2026-11-30")]
    pub privacy_version: String,
    #[serde(default)]
    #[schema(required = true)]
    pub profile: ProfileForm,
}

pub fn lang_of(text: Option<&str>) -> Result<Lang, AppError> {
    match text.unwrap_or("ja") {
        "ja" => Ok(Lang::Ja),
        "en" => Ok(Lang::En),
        _ => Err(invalid("lang", "言語は ja か en です。", "lang is ja or en.")),
    }
}

/// Registers a volunteer; the new account's id.
pub async fn register(state: &HubState, body: RegistrationBody) -> Result<i64, AppError> {
    let email = super::email_address("email", &body.email)?;
    let given = super::new_password("password", &body.password)?;
    let lang = lang_of(body.lang.as_deref())?;
    if body.privacy_version != PRIVACY_VERSION {
        return Err(invalid(
            "privacy_version",
            "個人情報の取り扱いへの同意が必要です（最新の内容をお読みください）。",
            "Agree to the current privacy notice first.",
        )
        .coded("privacy_not_agreed"));
    }
    let today = state.clock.activity_day();
    let checked = profile::check(body.profile, today, state.config.minimum_age)?;
    let hash = password::hash_blocking(given).await;

    let mut tx = HubTx::begin(&state.db).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO hub_accounts (email, email_key, password_hash, role) VALUES ($1, $2, $3, 'volunteer') RETURNING id",
    )
    .bind(&email)
    .bind(email_key(&email))
    .bind(hash)
    .fetch_one(tx.conn())
    .await
    .on_unique(|| {
        AppError::conflict(Text::new(
            "このメールアドレスは登録済みです。ログインしてください。",
            "This mail address already has an account. Log in instead.",
        ))
        .coded("email_taken")
        .with_field("email")
    })?;
    let r = &checked.registration;
    let insert = sqlx::query(
        "INSERT INTO hub_volunteers (account_id, name, name_key, furigana, furigana_key, birth_date, gender, phone,
            phone_key, address, residence, emergency_name, emergency_phone, kind, group_name, group_size, skills,
            vehicle, insurance, insurance_plan, experience_count, guardian_consent, guardian_name, lang, privacy_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
            $23, $24, $25)",
    )
    .bind(id);
    checked.bind_columns(insert).bind(lang.code()).bind(PRIVACY_VERSION).execute(tx.conn()).await?;
    let subject = Some(format!("account:{id}"));
    let created = AccountCreated { account_id: id, role: "volunteer".into(), center_id: None };
    tx.append(&HubActor::public(), subject.clone(), &created).await?;
    let registered = HubVolunteerRegistered {
        account_id: id,
        kind: wire(&r.kind),
        headcount: r.headcount(),
        residence: checked.residence.as_str().into(),
        insurance: wire(&r.insurance),
        insurance_plan: checked.insurance_plan.map(|p| p.as_str().into()),
        minor: checked.minor,
        privacy_version: PRIVACY_VERSION.into(),
    };
    tx.append(&HubActor::public(), subject, &registered).await?;
    verify::mail_link(&mut tx, state, id, &email, lang, &HubActor::public()).await?;
    tx.commit().await?;
    Ok(id)
}

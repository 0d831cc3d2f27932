//! Staff accounts: hub admins (県・市の社協) and center staff. The first hub
//! admin is made at start (`--first-admin`); a hub admin makes the others.
//! Staff addresses count as verified: a hub admin vouches for them.

use serde::Deserialize;

use crate::auth::password;
use crate::error::{AppError, OnUnique};
use crate::fields::invalid;
use crate::hub::config::FirstAdmin;
use crate::hub::contract::accounts::AccountCreated;
use crate::hub::db::HubDb;
use crate::hub::events::{HubActor, HubTx};
use crate::hub::roles::HubRole;
use crate::hub::sessions::email_key;
use crate::i18n::Text;

/// A staff account to make (`POST /api/staff`).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = HubNewStaff)]
pub struct NewStaff {
    #[schema(required = true, example = "staff@example.jp")]
    pub email: String,
    #[schema(required = true)]
    pub password: String,
    /// `center_staff` or `hub_admin`
    #[schema(required = true, value_type = HubRole)]
    pub role: Option<HubRole>,
    /// The center, for `center_staff`.
    pub center_id: Option<i64>,
}

/// Makes a staff account (event `account.created`); its id.
pub async fn create_staff(db: &HubDb, actor: &HubActor, new: NewStaff) -> Result<i64, AppError> {
    let email = super::email_address("email", &new.email)?;
    let given = super::new_password("password", &new.password)?;
    let role = match new.role {
        Some(role @ (HubRole::CenterStaff | HubRole::HubAdmin)) => role,
        _ => {
            return Err(invalid(
                "role",
                "役割は center_staff か hub_admin です。",
                "role is center_staff or hub_admin.",
            ));
        }
    };
    let center_id = match (role, new.center_id) {
        (HubRole::CenterStaff, Some(id)) if id > 0 => Some(id),
        (HubRole::CenterStaff, _) => {
            return Err(invalid(
                "center_id",
                "センター職員にはセンターを指定してください。",
                "center_staff need a center_id.",
            ));
        }
        _ => None,
    };
    let hash = password::hash_blocking(given).await;
    let mut tx = HubTx::begin(db).await?;
    if let Some(center_id) = center_id {
        crate::hub::centers::require_registered(tx.conn(), "center_id", center_id).await?;
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO hub_accounts (email, email_key, password_hash, role, center_id, verified_at)
         VALUES ($1, $2, $3, $4, $5, now()) RETURNING id",
    )
    .bind(&email)
    .bind(email_key(&email))
    .bind(hash)
    .bind(role.as_str())
    .bind(center_id)
    .fetch_one(tx.conn())
    .await
    .on_unique(|| {
        AppError::conflict(Text::new("このメールアドレスは登録済みです。", "This mail address already has an account."))
            .coded("email_taken")
            .with_field("email")
    })?;
    let event = AccountCreated { account_id: id, role: role.as_str().into(), center_id };
    tx.append(actor, Some(format!("account:{id}")), &event).await?;
    tx.commit().await?;
    Ok(id)
}

/// On a hub with no admin, makes `--first-admin` and prints a generated password once.
pub async fn ensure_first_admin(db: &HubDb, first: &FirstAdmin) -> Result<(), String> {
    let admins: i64 =
        sqlx::query_scalar("SELECT count(*) FROM hub_accounts WHERE role = 'hub_admin' AND deleted_at IS NULL")
            .fetch_one(&db.pool)
            .await
            .map_err(|e| e.to_string())?;
    if admins > 0 {
        return Ok(());
    }
    let (given, generated) = match &first.password {
        Some(p) => (p.clone(), false),
        None => (password::generate(), true),
    };
    let new = NewStaff {
        email: first.email.clone(),
        password: given.clone(),
        role: Some(HubRole::HubAdmin),
        center_id: None,
    };
    match create_staff(db, &HubActor::system(), new).await {
        Ok(_) => {}
        // Another hub process starting at the same moment made it.
        Err(e) if e.code == "email_taken" => return Ok(()),
        Err(e) => return Err(format!("{} ({})", e.message.ja, e.message.en)),
    }
    if generated {
        println!("初回起動: ハブ管理者 {} を作成しました。パスワード: {given}", first.email);
        println!("First start: created hub admin {} with password: {given}", first.email);
    }
    Ok(())
}

//! A volunteer changes their profile: the whole profile again, through the
//! same checks as registration (`profile::check`), event `account.profile_changed`.

use super::profile::{self, ProfileForm};
use crate::error::AppError;
use crate::events::contract::wire;
use crate::hub::contract::volunteers::AccountProfileChanged;
use crate::hub::events::{HubActor, HubTx};
use crate::hub::state::HubState;
use crate::i18n::Text;

pub async fn update(state: &HubState, account_id: i64, form: ProfileForm) -> Result<(), AppError> {
    let checked = profile::check(form, state.clock.activity_day(), state.config.minimum_age)?;
    let r = &checked.registration;
    let mut tx = HubTx::begin(&state.db).await?;
    let update = sqlx::query(
        "UPDATE hub_volunteers SET name = $2, name_key = $3, furigana = $4, furigana_key = $5, birth_date = $6,
            gender = $7, phone = $8, phone_key = $9, address = $10, residence = $11, emergency_name = $12,
            emergency_phone = $13, kind = $14, group_name = $15, group_size = $16, skills = $17, vehicle = $18,
            insurance = $19, insurance_plan = $20, experience_count = $21, guardian_consent = $22, guardian_name = $23
          WHERE account_id = $1",
    )
    .bind(account_id);
    let changed = checked.bind_columns(update).execute(tx.conn()).await?.rows_affected();
    if changed == 0 {
        return Err(AppError::not_found(Text::new("プロフィールがありません。", "No profile.")));
    }
    let event = AccountProfileChanged {
        account_id,
        kind: wire(&r.kind),
        headcount: r.headcount(),
        residence: checked.residence.as_str().into(),
        insurance: wire(&r.insurance),
        insurance_plan: checked.insurance_plan.map(|p| p.as_str().into()),
        minor: checked.minor,
    };
    tx.append(&HubActor::account(account_id), Some(format!("account:{account_id}")), &event).await?;
    tx.commit().await?;
    Ok(())
}

//! Changing the settings: a JSON merge onto the document in force, checked as a
//! whole, with the `version` read (a stale one is 409). Event `settings.changed`.

use serde::Deserialize;
use serde_json::{Map, Value, json};
use sqlx::SqliteConnection;

use super::model::Settings;
use super::store;
use super::validate::validate;
use crate::clock::Clock;
use crate::db::Db;
use crate::error::AppError;
use crate::events::Actor;
use crate::events::contract::settings::{CenterSettings, SettingsChanged};
use crate::fields::{invalid, merge_patch};
use crate::i18n::Text;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SettingsPatch {
    /// The version read; a stale one is refused with 409.
    #[schema(required = true, value_type = i64)]
    pub version: Option<i64>,
    /// Any setting, to change it; the others stay as they are.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub fields: Map<String, Value>,
}

/// The settings in force: stored, or the defaults before the first change.
pub async fn current(conn: &mut SqliteConnection) -> Result<Settings, sqlx::Error> {
    Ok(store::read(conn).await?.map_or_else(Settings::defaults, |(version, values)| Settings { version, values }))
}

pub async fn change(db: &Db, clock: &Clock, actor: &Actor, patch: SettingsPatch) -> Result<Settings, AppError> {
    let version = patch.version.ok_or_else(|| {
        invalid("version", "読み込んだ設定の版（version）が必要です。", "version (the one read) is required.")
    })?;
    let mut tx = db.begin_write().await?;
    let settings = current(tx.conn()).await?;
    if version != settings.version {
        return Err(stale(&settings));
    }
    let (merged, _) = merge_patch(&settings.values, patch.fields)?;
    let values = validate(merged)?;
    let changed = changed_fields(&settings.values, &values);
    if changed.is_empty() {
        return Ok(settings);
    }
    let settings = Settings { version: settings.version + 1, values };
    store::write(tx.conn(), settings.version, &settings.values).await?;
    let event = SettingsChanged { version: settings.version, changed, settings: settings.values.clone() };
    tx.append(clock, actor, Some("settings".into()), &event).await?;
    tx.commit().await?;
    Ok(settings)
}

/// At the first start of a center, the settings its flags or environment gave
/// (`BORASEN_CENTER_NAME` …) become version 1. Once stored, the settings page
/// wins: later starts change nothing.
pub async fn first_start(db: &Db, clock: &Clock, given: &CenterSettings) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let settings = current(tx.conn()).await?;
    if settings.version > 0 || settings.values == *given {
        return Ok(());
    }
    let values = validate(given.clone())?;
    let changed = changed_fields(&settings.values, &values);
    store::write(tx.conn(), 1, &values).await?;
    tx.append(
        clock,
        &Actor::system(),
        Some("settings".into()),
        &SettingsChanged { version: 1, changed, settings: values },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn changed_fields(before: &CenterSettings, after: &CenterSettings) -> Vec<String> {
    let (Value::Object(before), Value::Object(after)) = (
        serde_json::to_value(before).expect("settings serialise"),
        serde_json::to_value(after).expect("settings serialise"),
    ) else {
        unreachable!("settings are an object")
    };
    after.iter().filter(|(name, value)| before.get(name.as_str()) != Some(value)).map(|(n, _)| n.clone()).collect()
}

fn stale(current: &Settings) -> AppError {
    AppError::conflict(Text::new(
        format!("設定は他の人が先に変更しました（版 {}）。読み込み直してから変更してください。", current.version),
        format!(
            "The settings were changed by somebody else (now version {}). Reload, then change them.",
            current.version
        ),
    ))
    .coded("stale_version")
    .with_details(json!({ "current_version": current.version }))
}

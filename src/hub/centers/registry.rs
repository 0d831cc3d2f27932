//! The centers' table and their sync keys. A key is 32 random bytes in
//! lower-case hex (64 digits); the table keeps its SHA-256 (hex) only, so the
//! key is answered once, when issued, and never again.

use chrono::{DateTime, Utc};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool};

use crate::error::{AppError, OnUnique};
use crate::fields::invalid;
use crate::hub::contract::centers::{CenterKeyRotated, CenterRegistered};
use crate::hub::db::HubDb;
use crate::hub::events::{HubActor, HubTx};
use crate::i18n::Text;

/// A center as listed: never its key or the key's hash.
#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
#[schema(as = HubCenter)]
pub struct Center {
    /// The center's number.
    pub id: i64,
    pub name: String,
    /// When the current key was issued; none for a placeholder made by the
    /// migration (its key must be rotated before it can sync).
    pub key_rotated_at: Option<DateTime<Utc>>,
}

/// A center to register (`POST /api/centers`).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = HubNewCenter)]
pub struct NewCenter {
    /// The center's number (positive), as the center staff and openings name it.
    #[schema(required = true, example = 7)]
    pub id: Option<i64>,
    #[schema(required = true, example = "七尾市災害ボランティアセンター")]
    pub name: String,
}

/// A key just issued: shown this once.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = HubCenterKey)]
pub struct IssuedKey {
    pub id: i64,
    /// The sync key (64 hex digits). Keep it: the hub stores only its SHA-256.
    pub key: String,
}

/// 32 random bytes, hex.
fn new_key() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    crate::hex::encode(&bytes)
}

/// The stored form of a key: SHA-256, lower-case hex.
pub fn key_hash(key: &str) -> String {
    crate::hex::encode(&Sha256::digest(key.as_bytes()))
}

/// Equal, in a time that depends on the lengths only.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

fn no_such_center() -> AppError {
    AppError::not_found(Text::new("そのセンターは登録されていません。", "No such center."))
}

/// Registers a center (event `center.registered`); its key, once.
pub async fn register(db: &HubDb, actor: &HubActor, new: NewCenter) -> Result<IssuedKey, AppError> {
    let id = match new.id {
        Some(id) if id > 0 => id,
        _ => return Err(invalid("id", "センター番号は1以上の整数です。", "id is a positive whole number.")),
    };
    let name = crate::fields::clean_line("name", "センター名", &new.name)?;
    if name.is_empty() {
        return Err(invalid("name", "センター名を入力してください。", "name is required."));
    }
    if name.chars().count() > 100 {
        return Err(invalid("name", "センター名は100文字以内です。", "name is at most 100 characters."));
    }
    let key = new_key();
    let mut tx = HubTx::begin(db).await?;
    sqlx::query("INSERT INTO hub_centers (id, name, key_hash, key_rotated_at) VALUES ($1, $2, $3, now())")
        .bind(id)
        .bind(&name)
        .bind(key_hash(&key))
        .execute(tx.conn())
        .await
        .on_unique(|| {
            AppError::conflict(Text::new(
                format!("センター {id} は登録済みです。"),
                format!("Center {id} is already registered."),
            ))
            .coded("center_taken")
            .with_field("id")
        })?;
    tx.append(actor, Some(format!("center:{id}")), &CenterRegistered { center_id: id, name }).await?;
    tx.commit().await?;
    Ok(IssuedKey { id, key })
}

/// Issues a new key for a center (event `center.key_rotated`); the old one
/// stops working when this commits.
pub async fn rotate_key(db: &HubDb, actor: &HubActor, id: i64) -> Result<IssuedKey, AppError> {
    let key = new_key();
    let mut tx = HubTx::begin(db).await?;
    let changed = sqlx::query("UPDATE hub_centers SET key_hash = $2, key_rotated_at = now() WHERE id = $1")
        .bind(id)
        .bind(key_hash(&key))
        .execute(tx.conn())
        .await?
        .rows_affected();
    if changed == 0 {
        return Err(no_such_center());
    }
    tx.append(actor, Some(format!("center:{id}")), &CenterKeyRotated { center_id: id }).await?;
    tx.commit().await?;
    Ok(IssuedKey { id, key })
}

/// Every center, by number.
pub async fn list(db: &HubDb) -> Result<Vec<Center>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, key_rotated_at FROM hub_centers ORDER BY id").fetch_all(&db.pool).await
}

/// The center whose sync key `bearer_key` is, if any. The key's hash finds the
/// row; the stored and computed hashes are then compared in constant time.
pub async fn authenticate(pool: &PgPool, bearer_key: &str) -> Result<Option<i64>, sqlx::Error> {
    let key = bearer_key.trim();
    if key.is_empty() {
        return Ok(None);
    }
    let hash = key_hash(key);
    let row: Option<(i64, String)> = sqlx::query_as("SELECT id, key_hash FROM hub_centers WHERE key_hash = $1")
        .bind(&hash)
        .fetch_optional(pool)
        .await?;
    Ok(row.and_then(|(id, stored)| constant_time_eq(stored.as_bytes(), hash.as_bytes()).then_some(id)))
}

/// Refuses (422 on `field`, nothing changed) a center number no center has.
/// Call it in the transaction that writes the number: centers are never
/// deleted, and the foreign key stands behind it all the same.
pub async fn require_registered(conn: &mut PgConnection, field: &str, center_id: i64) -> Result<(), AppError> {
    let known: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM hub_centers WHERE id = $1)")
        .bind(center_id)
        .fetch_one(conn)
        .await?;
    if known {
        Ok(())
    } else {
        Err(invalid(
            field,
            format!("センター {center_id} は登録されていません。"),
            format!("Center {center_id} is not registered."),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_64_hex_digits_and_its_hash_is_its_sha256() {
        let key = new_key();
        assert_eq!(key.len(), 64);
        assert!(key.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_ne!(key, new_key());
        // printf '%s' abc | sha256sum
        assert_eq!(key_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn constant_time_eq_compares_whole_values() {
        assert!(constant_time_eq(b"abcd", b"abcd"));
        assert!(!constant_time_eq(b"abcd", b"abce"));
        assert!(!constant_time_eq(b"abcd", b"abc"));
        assert!(!constant_time_eq(b"", b"a"));
    }
}

//! Where the hub is, and this center's key: set by an admin on the settings
//! page, or by `serve --hub URL --hub-key KEY` at start. The key is kept in
//! the center's database (0600, like the rest) and never shown again nor logged.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use super::store;
use crate::clock::Clock;
use crate::db::Db;
use crate::error::AppError;
use crate::events::Actor;
use crate::events::contract::hub_link::HubLinkConfigured;
use crate::i18n::Text;

/// The link as an admin sees it: never the key.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LinkSettings {
    /// The hub's address; none: no link.
    pub url: Option<String>,
    /// A key is held.
    pub key_set: bool,
}

/// An admin's change of the link.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LinkInput {
    /// `https://hub.example.jp`; empty switches the link off.
    #[schema(required = true)]
    pub url: String,
    /// The key the hub's admin gave this center (64 hex digits); absent or
    /// empty keeps the one held.
    pub key: Option<String>,
}

pub async fn settings(db: &Db) -> Result<LinkSettings, sqlx::Error> {
    let stored = store::read(&db.read).await?;
    Ok(LinkSettings { url: stored.url, key_set: stored.key.is_some() })
}

/// Sets the link (event `hub_link.configured`, without the key). Nothing
/// changes when the input is what is held already.
pub async fn configure(db: &Db, clock: &Clock, actor: &Actor, input: LinkInput) -> Result<LinkSettings, AppError> {
    let url = match input.url.trim() {
        "" => None,
        text => Some(valid_url(text)?),
    };
    let key = match input.key.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        None => None,
        Some(key) => Some(valid_key(key)?),
    };
    let mut tx = db.begin_write().await?;
    let held = store::read(tx.conn()).await?;
    let new_key = match (&url, key) {
        (None, _) => None,
        (Some(_), Some(key)) => Some(key),
        (Some(_), None) => held.key.clone(),
    };
    if url.is_some() && new_key.is_none() {
        return Err(AppError::validation(
            "key",
            Text::new(
                "ハブの管理者から受け取ったセンターのキーを入力してください。",
                "Enter the key the hub's admin gave this center.",
            ),
        ));
    }
    if url == held.url && new_key == held.key {
        return Ok(LinkSettings { url, key_set: new_key.is_some() });
    }
    store::set_config(tx.conn(), url.as_deref(), new_key.as_deref(), url == held.url).await?;
    let configured = HubLinkConfigured {
        url: url.clone().unwrap_or_default(),
        key_set: new_key.is_some(),
        key_changed: new_key != held.key,
    };
    tx.append(clock, actor, None, &configured).await?;
    tx.commit().await?;
    Ok(LinkSettings { url, key_set: new_key.is_some() })
}

fn refused(field: &str, ja: &str, en: &str) -> AppError {
    AppError::validation(field, Text::new(ja.to_string(), en.to_string()))
}

/// `https://…`, or plain `http://` to this machine or the local network only
/// (a hub on the LAN, a test): the key travels in every request.
fn valid_url(text: &str) -> Result<String, AppError> {
    let malformed = || {
        refused(
            "url",
            "ハブのURLは https://hub.example.jp のように入力してください。",
            "The hub's URL looks like https://hub.example.jp.",
        )
    };
    let url: hyper::Uri = text.parse().map_err(|_| malformed())?;
    let (Some(scheme), Some(authority)) = (url.scheme_str(), url.authority()) else { return Err(malformed()) };
    let host = url.host().unwrap_or_default();
    let local = host == "localhost"
        || host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>().is_ok_and(|ip| match ip {
            IpAddr::V4(v4) => v4.is_loopback() || v4.is_private() || v4.is_link_local(),
            IpAddr::V6(v6) => v6.is_loopback() || v6.is_unique_local(),
        });
    match scheme {
        "https" => {}
        "http" if local => {}
        "http" => {
            return Err(refused(
                "url",
                "ハブへは https:// で接続してください（http:// はこのPCと構内のアドレスだけです）。",
                "Reach the hub over https:// (plain http:// only on this machine or the local network).",
            ));
        }
        _ => {
            return Err(refused(
                "url",
                "ハブのURLは https:// で始めてください。",
                "The hub's URL starts with https://.",
            ));
        }
    }
    if host.is_empty() || url.query().is_some() || authority.as_str().contains('@') {
        return Err(refused("url", "ハブのURLを確認してください。", "Check the hub's URL."));
    }
    Ok(format!("{scheme}://{authority}{}", url.path().trim_end_matches('/')))
}

fn valid_key(key: &str) -> Result<String, AppError> {
    if key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(key.to_ascii_lowercase())
    } else {
        Err(refused(
            "key",
            "センターのキーは64文字の英数字（0-9、a-f）です。ハブの管理者から受け取ったとおりに入力してください。",
            "The center key is 64 hex digits (0-9, a-f), as the hub's admin gave it.",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hub_is_reached_over_https_or_plain_http_only_nearby() {
        assert_eq!(valid_url("https://hub.example.jp/").unwrap(), "https://hub.example.jp");
        assert!(valid_url("http://127.0.0.1:8090").is_ok());
        assert!(valid_url("http://192.168.1.20").is_ok());
        assert_eq!(valid_url("http://hub.example.jp").unwrap_err().field.as_deref(), Some("url"));
        assert!(valid_url("ftp://hub.example.jp").is_err());
        assert!(valid_url("https://user:pw@hub.example.jp").is_err());
        assert!(valid_url("hub.example.jp").is_err());
    }

    #[test]
    fn a_key_is_64_hex_digits() {
        assert!(valid_key(&"A".repeat(64)).is_ok());
        assert!(valid_key(&"a".repeat(63)).is_err());
        assert!(valid_key(&"g".repeat(64)).is_err());
    }
}

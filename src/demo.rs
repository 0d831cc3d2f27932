//! `serve --demo`: a demo center in an empty data folder — the demo map of
//! central Kanazawa, a realistic equipment list, and a coordinator and a
//! reception user whose passwords are printed once.

use crate::auth::{Role, password, users};
use crate::clock::Clock;
use crate::db::Db;
use crate::error::AppError;
use crate::events::Actor;
use crate::inventory::{self, ItemForm, ItemKind, Source};
use crate::zones;
use crate::zones::address::AddressKind;

/// The binary carries its demo map: no files are needed beside it.
pub const DEMO_MAP: &str = include_str!("../maps/demo-kanazawa.geojson");
/// Illustrative 位置参照情報 rows and a town→zone table for the demo map (not official data).
pub const DEMO_ADDRESSES: &str = include_str!("../maps/demo-kanazawa-addresses.csv");
pub const DEMO_TOWNS: &str = include_str!("../maps/demo-kanazawa-towns.csv");

const OWNER_BORROWED: &str = "金沢市社会福祉協議会（借用）";
const OWNER_RENTED: &str = "北陸レンタル（デモ）";

/// name, kind, unit, source, owner, low-stock threshold, stock, code printed on the item
type ItemRow = (&'static str, ItemKind, &'static str, Source, Option<&'static str>, i64, i64, &'static str);

// Kept at 14 items: the demo test counts them.
#[rustfmt::skip]
const ITEMS: &[ItemRow] = &[
    ("剣スコップ",   ItemKind::Durable,    "本", Source::Purchased, None,                  10,   60, "E-01"),
    ("角スコップ",   ItemKind::Durable,    "本", Source::Purchased, None,                  10,   40, "E-02"),
    ("一輪車",       ItemKind::Durable,    "台", Source::Borrowed,  Some(OWNER_BORROWED),   3,   12, "E-03"),
    ("土のう袋",     ItemKind::Consumable, "枚", Source::Donated,   None,                 200, 1000, "C-01"),
    ("バール",       ItemKind::Durable,    "本", Source::Purchased, None,                   2,   10, "E-04"),
    ("高圧洗浄機",   ItemKind::Durable,    "台", Source::Rented,    Some(OWNER_RENTED),     1,    3, "E-05"),
    ("ブルーシート", ItemKind::Consumable, "枚", Source::Donated,   None,                  20,  100, "C-02"),
    ("デッキブラシ", ItemKind::Durable,    "本", Source::Purchased, None,                   5,   30, "E-06"),
    ("ほうき",       ItemKind::Durable,    "本", Source::Purchased, None,                   5,   30, "E-07"),
    ("十能",         ItemKind::Durable,    "本", Source::Purchased, None,                   5,   20, "E-08"),
    ("手箕",         ItemKind::Durable,    "個", Source::Purchased, None,                   5,   30, "E-09"),
    ("のこぎり",     ItemKind::Durable,    "本", Source::Purchased, None,                   2,    8, "E-10"),
    ("フネ",         ItemKind::Durable,    "個", Source::Borrowed,  Some(OWNER_BORROWED),   2,    6, "E-11"),
    ("軍手",         ItemKind::Consumable, "双", Source::Donated,   None,                  50,  500, "C-03"),
];

/// The demo center's equipment, by name (drills without a seed list use it).
pub fn item_names() -> impl Iterator<Item = &'static str> {
    ITEMS.iter().map(|row| row.0)
}

/// The demo center's equipment with its starting stock (`drill check` weighs write-offs against it).
pub fn item_stock() -> impl Iterator<Item = (&'static str, i64)> {
    ITEMS.iter().map(|row| (row.0, row.6))
}

/// Seeds the demo unless the center already has zones or equipment.
pub async fn seed_if_empty(db: &Db, clock: &Clock, demo_password: Option<&str>) -> Result<(), AppError> {
    if zones::count(&db.read).await? > 0 || inventory::count(&db.read).await? > 0 {
        tracing::info!("demo: data folder already has a center; not seeding");
        return Ok(());
    }
    let staff =
        [("coordinator", "デモ コーディネーター", Role::Coordinator), ("reception", "デモ 受付", Role::Reception)];
    seed_users(db, clock, demo_password, &staff).await?;
    let zones = seed_map(db, clock, DEMO_MAP, "maps/demo-kanazawa.geojson").await?;
    let items = seed_items(db, clock, None).await?;
    println!("デモ: 地区 {zones} 件、資機材 {items} 品目を用意しました / demo: {zones} zones, {items} equipment items");
    Ok(())
}

/// Staff accounts; their passwords are printed once (a kept account is left alone).
pub async fn seed_users(
    db: &Db,
    clock: &Clock,
    password: Option<&str>,
    staff: &[(&str, &str, Role)],
) -> Result<(), AppError> {
    for &(username, display_name, role) in staff {
        let password = password.map_or_else(password::generate, str::to_string);
        let new = users::NewUser {
            username: username.into(),
            display_name: Some(display_name.into()),
            role,
            password: password.clone(),
        };
        match users::create(db, clock, &Actor::system(), new).await {
            Ok(_) => {
                println!("デモ利用者 / demo user: {username} ({})  パスワード / password: {password}", role.label_ja())
            }
            // Kept from an earlier run: its password was printed then.
            Err(e) if e.code == "conflict" => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// A zone map; the demo map brings its illustrative address tables. Returns the zone count.
pub async fn seed_map(db: &Db, clock: &Clock, text: &str, source: &str) -> Result<usize, AppError> {
    let actor = Actor::system();
    let parsed = zones::parse(text).map_err(|e| {
        AppError::validation("zones", crate::i18n::Text::new(e.text().ja.to_string(), e.text().en.to_string()))
    })?;
    let mut tx = db.begin_write().await?;
    zones::replace_all(&mut tx, clock, &actor, &parsed, source).await?;
    tx.commit().await?;
    if text == DEMO_MAP {
        for (text, kind, source) in [
            (DEMO_ADDRESSES, AddressKind::Mlit, "maps/demo-kanazawa-addresses.csv"),
            (DEMO_TOWNS, AddressKind::Towns, "maps/demo-kanazawa-towns.csv"),
        ] {
            zones::address::import(db, clock, &actor, text.as_bytes(), kind, source, false).await?;
        }
    }
    Ok(parsed.len())
}

/// The demo equipment list, or only the named items with the given stock
/// (a name the demo does not know becomes a purchased durable item).
/// Returns the number of items.
pub async fn seed_items(db: &Db, clock: &Clock, only: Option<&[(String, i64)]>) -> Result<usize, AppError> {
    let forms: Vec<ItemForm> = match only {
        None => ITEMS.iter().map(|row| item_form(row, row.6)).collect(),
        Some(list) => list
            .iter()
            .map(|(name, stock)| match ITEMS.iter().find(|row| row.0 == name) {
                Some(row) => item_form(row, *stock),
                None => ItemForm {
                    name: name.clone(),
                    kind: Some(ItemKind::Durable),
                    unit: "個".into(),
                    source: Some(Source::Purchased),
                    initial_stock: *stock,
                    ..ItemForm::default()
                },
            })
            .collect(),
    };
    let count = forms.len();
    let mut tx = db.begin_write().await?;
    for form in forms {
        inventory::add(&mut tx, clock, &Actor::system(), form).await?;
    }
    tx.commit().await?;
    Ok(count)
}

fn item_form(row: &ItemRow, initial_stock: i64) -> ItemForm {
    let &(name, kind, unit, source, owner, low_stock_threshold, _, code) = row;
    ItemForm {
        name: name.into(),
        kind: Some(kind),
        unit: unit.into(),
        source: Some(source),
        owner: owner.map(str::to_string),
        code: Some(code.into()),
        low_stock_threshold,
        initial_stock,
    }
}

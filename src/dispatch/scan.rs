//! What a scanner typed at the matching desk: a need card (`N-0045`), an equipment
//! label (the item's printed code) or a badge (`V-0012` or its QR token). Codes are
//! folded as `fields::scan_code` folds them, so a scanner typing through a Japanese
//! IME (`Ｎー００４５`) reads the same. Reads only; the desk forms the team.

use chrono::NaiveDate;
use serde::Serialize;

use super::send_out;
use super::store::{self, Waiting};
use crate::db::Db;
use crate::error::AppError;
use crate::i18n::Text;
use crate::inventory::Item;
use crate::needs::NeedSummary;
use crate::reception::{Key, dispatch_block, parse_volunteer_no, volunteer_by};

/// The thing a code names, for the desk: the need to pick, the item to lend one more
/// of, the volunteer to add to the team.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[schema(as = ScannedAtDesk)]
pub enum Scanned {
    /// A need card: the need, open and not taken by a team out.
    Need { need: NeedSummary },
    /// An equipment label.
    Item { item: Item },
    /// A badge: the volunteer, waiting and able to go.
    Volunteer { volunteer: Waiting },
}

/// In this order: a need number (with its `N`), an item's printed code, a volunteer's
/// number or QR token. 404 when nothing has the code; 409 when the need or the
/// volunteer cannot be sent now, saying why.
pub async fn identify(db: &Db, code: &str, day: NaiveDate) -> Result<Scanned, AppError> {
    let folded = crate::fields::scan_code(code);
    if folded.is_empty() {
        return Err(AppError::validation("code", Text::new("コードが空です。", "The code is empty.")));
    }
    if folded.starts_with('N')
        && let Some(number) = crate::needs::parse_need_no(&folded)
    {
        return need(db, number).await.map(|need| Scanned::Need { need });
    }
    if let Some(item) = crate::inventory::item_by_code(&db.read, &folded).await? {
        return Ok(Scanned::Item { item });
    }
    let key = match parse_volunteer_no(&folded) {
        Some(number) => Key::Number(number),
        None => Key::Token(&folded),
    };
    match ready_volunteer(db, key, day).await? {
        Some(volunteer) => Ok(Scanned::Volunteer { volunteer }),
        None => Err(unknown(code)),
    }
}

/// The volunteer a badge names, if they can join a team now: `None` when nobody has
/// the key; 409 saying why when they are not checked in, not insured, on a team out
/// or not waiting. (`GET /api/waiting/scan` asks the same of a badge.)
pub async fn ready_volunteer(db: &Db, key: Key<'_>, day: NaiveDate) -> Result<Option<Waiting>, AppError> {
    let Some(volunteer) = volunteer_by(&db.read, key, day).await? else {
        return Ok(None);
    };
    let who = format!("{} {}", volunteer.volunteer_no, volunteer.name);
    if let Some(block) = dispatch_block(&db.read, volunteer.id, day).await? {
        return Err(block.refusal(&who));
    }
    if let Some(team) = store::team_of(&db.read, volunteer.id).await? {
        return Err(send_out::busy(&who, &team));
    }
    let pool = store::waiting(&db.read, day).await?;
    let waiting = pool.into_iter().find(|w| w.volunteer_id == volunteer.id).ok_or_else(|| {
        AppError::conflict(Text::new(format!("{who} さんは待機中ではありません。"), format!("{who} is not waiting.")))
    })?;
    Ok(Some(waiting))
}

async fn need(db: &Db, number: i64) -> Result<NeedSummary, AppError> {
    let no = crate::needs::need_no(number);
    let mut conn = db.read.acquire().await?;
    let found = match crate::needs::id_by_number(&mut *conn, number).await? {
        Some(id) => crate::needs::need(&mut *conn, id).await?,
        None => None,
    };
    let need = found.ok_or_else(|| {
        AppError::not_found(Text::new(format!("ニーズ {no} はありません。"), format!("There is no need {no}.")))
            .coded("unknown_code")
    })?;
    if !need.status.is_open() {
        return Err(AppError::conflict(Text::new(
            format!("{no} は「{}」です。送り出しできません。", need.status.label_ja()),
            format!("{no} is {}: no team can be sent.", need.status.label_en()),
        ))
        .coded("need_closed"));
    }
    if let Some(team) = store::team_on_need(&mut *conn, need.id).await? {
        return Err(AppError::conflict(Text::new(
            format!("{no} は {team} が活動中です。"),
            format!("{no} is already taken by {team}."),
        ))
        .coded("need_taken"));
    }
    Ok(NeedSummary::from(&need))
}

/// Nothing has the code: said as it was scanned.
fn unknown(code: &str) -> AppError {
    let code = code.trim();
    AppError::not_found(Text::new(
        format!("「{code}」は名札・ニーズ票・資機材のどのコードにも当たりません。"),
        format!("\"{code}\" matches no badge, need card or equipment code."),
    ))
    .coded("unknown_code")
}

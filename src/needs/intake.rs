//! ニーズ受付: writing a need card. Likely duplicates are shown before saving;
//! the coordinator links the call to one of them (saved as 取消, "duplicate of
//! N-xxxx") or saves it as a new need. Event `need.received`.

use futures_util::future::BoxFuture;
use serde_json::json;

use super::form::{NeedCard, NeedForm, validate};
use super::model::{Need, Status, need_no, parse_need_no};
use super::store::{self, Candidate};
use super::{need_facts, zone_of};
use crate::clock::{Clock, stamp};
use crate::db::Db;
use crate::error::{AppError, Class};
use crate::events::contract::needs::NeedReceived;
use crate::events::{Actor, WriteTx};
use crate::i18n::Text;
use crate::zones::ZoneIndex;

/// How near a pin must be to an open need's to be shown as a likely duplicate.
pub const DUPLICATE_RADIUS_M: f64 = 30.0;

pub enum Intake {
    Saved(Box<Need>),
    /// Not saved: these needs look like the same request.
    LikelyDuplicates(Vec<Candidate>),
}

/// What another domain adds to writing a need card, in the same transaction.
/// The drill registers one at startup (`drill::calls::CallSlips`: a card
/// written up from a call slip records its call), so needs never calls the drill.
pub trait IntakeHook: Send + Sync {
    /// Before anything is written; may refuse the form.
    fn check<'a>(&'a self, tx: &'a mut WriteTx, drill: bool, form: &'a NeedForm)
    -> BoxFuture<'a, Result<(), AppError>>;

    /// The card is saved.
    fn saved<'a>(&'a self, tx: &'a mut WriteTx, saved: Saved<'a>) -> BoxFuture<'a, Result<(), AppError>>;
}

/// A card just saved, for [`IntakeHook::saved`].
pub struct Saved<'a> {
    pub clock: &'a Clock,
    pub actor: &'a Actor,
    pub form: &'a NeedForm,
    pub need: &'a Need,
}

pub async fn receive(
    db: &Db,
    clock: &Clock,
    zones: &ZoneIndex,
    actor: &Actor,
    hook: &dyn IntakeHook,
    form: NeedForm,
) -> Result<Intake, AppError> {
    let mut tx = db.begin_write().await?;
    hook.check(&mut tx, db.is_drill(), &form).await?;
    let intake = receive_in(&mut tx, clock, zones, actor, form.clone()).await?;
    if let Intake::Saved(need) = &intake {
        hook.saved(&mut tx, Saved { clock, actor, form: &form, need }).await?;
        tx.commit().await?;
    }
    Ok(intake)
}

/// The same, inside a command that is already writing (a team's return
/// reporting new needs found on site).
pub async fn receive_in(
    tx: &mut WriteTx,
    clock: &Clock,
    zones: &ZoneIndex,
    actor: &Actor,
    form: NeedForm,
) -> Result<Intake, AppError> {
    let force_new = form.force_new;
    let duplicate_of = form.duplicate_of.clone();
    let mut card = validate(form, clock.now())?;
    let window = crate::dates::Window::read(tx.conn(), clock).await?;
    window.past_time("received_at", "受付日時", card.received_at)?;
    let chosen = card.zone.is_some();
    let zone_source = zone_of(tx.conn(), zones, &mut card, chosen).await?;
    let (status, linked, reason) = match duplicate_of.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(text) => {
            let (id, number) = original(tx, text, None).await?;
            (Status::Cancelled, Some(id), duplicate_reason(number))
        }
        None => {
            if !force_new {
                let candidates = likely_duplicates(tx, &card, None).await?;
                if !candidates.is_empty() {
                    return Ok(Intake::LikelyDuplicates(candidates));
                }
            }
            (Status::Received, None, String::new())
        }
    };
    let now = stamp(clock.now());
    let (id, _) = store::insert(tx.conn(), &card, status, zone_source, linked, &reason, &now).await?;
    let need = store::need(tx.conn(), id).await?.expect("just inserted");
    tx.append(clock, actor, Some(need.need_no.clone()), &NeedReceived { need: need_facts(&need) }).await?;
    Ok(Intake::Saved(Box::new(need)))
}

pub async fn likely_duplicates(
    tx: &mut WriteTx,
    card: &NeedCard,
    except: Option<i64>,
) -> Result<Vec<Candidate>, sqlx::Error> {
    store::duplicate_candidates(tx.conn(), &card.phone_key, &card.address_key, card.pin, DUPLICATE_RADIUS_M, except)
        .await
}

/// The need a duplicate points at: it must exist, be another need, and not be cancelled.
pub async fn original(tx: &mut WriteTx, text: &str, this: Option<i64>) -> Result<(i64, i64), AppError> {
    let invalid = |ja: String, en: String| AppError::validation("duplicate_of", Text::new(ja, en));
    let number = parse_need_no(text).ok_or_else(|| {
        invalid("重複先は N-0012 のように入力してください。".into(), "duplicate_of looks like N-0012.".into())
    })?;
    let id = store::id_by_number(tx.conn(), number).await?.ok_or_else(|| {
        invalid(format!("{} は登録されていません。", need_no(number)), format!("{} does not exist.", need_no(number)))
    })?;
    let target = store::need(tx.conn(), id).await?.expect("exists");
    if Some(id) == this {
        return Err(invalid("自分自身とは重複にできません。".into(), "A need cannot duplicate itself.".into()));
    }
    if target.status == Status::Cancelled {
        return Err(invalid(
            format!("{} は取消済みです。元のニーズを選んでください。", target.need_no),
            format!("{} is cancelled: link to the original need.", target.need_no),
        ));
    }
    Ok((id, number))
}

pub fn duplicate_reason(number: i64) -> String {
    format!("{} と重複 / duplicate of {}", need_no(number), need_no(number))
}

/// The 409 that shows likely duplicates, with enough to recognise them.
pub fn duplicates_found(candidates: Vec<Candidate>) -> AppError {
    let numbers: Vec<&str> = candidates.iter().map(|c| c.need_no.as_str()).collect();
    AppError::new(
        Class::Conflict,
        "possible_duplicate",
        Text::new(
            format!("同じ依頼の可能性があるニーズがあります（{}）。重複として記録するか、新しいニーズとして登録してください。", numbers.join("、")),
            format!("This may repeat {}: link it as a duplicate, or save it as a new need.", numbers.join(", ")),
        ),
    )
    .with_details(json!({ "candidates": candidates }))
}

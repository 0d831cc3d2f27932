//! Lending to a team (貸出) and counting its equipment back (返却): the two
//! commands the dispatch of a team calls inside its own write transaction.
//! Each appends its own event (`items.lent`, `items.returned`) and its ledger
//! rows carry the team.
//!
//! A durable item lost or damaged on site, or a consumable used up there, left
//! stock on hand when it was lent: its row has the quantity and delta 0.

use serde_json::{Value, json};
use sqlx::SqliteExecutor;

use super::catalogue::MAX_QTY;
use super::ledger::LowWatch;
use super::model::{Item, ItemKind, Loan, LowItem, Movement, OutLine, ReturnLine};
use super::store::{self, NewMovement};
use crate::clock::{Clock, stamp};
use crate::error::AppError;
use crate::events::contract::inventory::{ItemsLent, ItemsReturned, LentLine, ReturnedLine};
use crate::events::{Actor, WriteTx};
use crate::fields::invalid;
use crate::i18n::Text;

/// Stock on hand: the sum of the item's ledger.
pub async fn stock(conn: impl SqliteExecutor<'_>, item_id: i64) -> Result<i64, sqlx::Error> {
    store::stock(conn, item_id).await
}

/// What a team has out now (the return form, the dispatch sheet).
pub async fn outstanding(conn: impl SqliteExecutor<'_>, team_id: i64) -> Result<Vec<OutLine>, sqlx::Error> {
    store::outstanding(conn, team_id).await
}

/// Items below their low-stock threshold now (the board's snapshot).
pub async fn low_stock(conn: impl SqliteExecutor<'_>) -> Result<Vec<LowItem>, sqlx::Error> {
    store::low_stock(conn).await
}

fn unknown_item(field: String, item_id: i64) -> AppError {
    invalid(&field, format!("資機材（番号 {item_id}）はありません。"), format!("There is no item {item_id}."))
}

/// Lines of the same item summed, in the order first given, each with the
/// index of its first line (for the field of an error).
fn summed<T: Copy>(lines: impl Iterator<Item = (i64, T)>, add: impl Fn(&mut T, T)) -> Vec<(usize, i64, T)> {
    let mut out: Vec<(usize, i64, T)> = Vec::new();
    for (index, (item_id, value)) in lines.enumerate() {
        match out.iter_mut().find(|(_, id, _)| *id == item_id) {
            Some((_, _, total)) => add(total, value),
            None => out.push((index, item_id, value)),
        }
    }
    out
}

/// A team's row of the ledger: (item, movement, qty, delta).
async fn team_row(
    tx: &mut WriteTx,
    (item_id, movement, qty, delta): (i64, Movement, i64, i64),
    team: (i64, &str),
    at: &str,
    event_seq: i64,
) -> Result<(), sqlx::Error> {
    let row = NewMovement { item_id, movement, qty, delta, team: Some(team), note: None, at, event_seq };
    store::insert_movement(tx.conn(), &row).await
}

/// 貸出: lends `loans` to a team (event `items.lent`). Lines of the same item
/// are summed. 422 for an unknown item or a quantity below 1; 409
/// `short_stock` with `details.shortages` when any item has fewer on hand.
/// Nothing is written unless every line can be lent; no loans, no event.
pub async fn lend(
    tx: &mut WriteTx,
    clock: &Clock,
    actor: &Actor,
    team_id: i64,
    team_no: &str,
    loans: &[Loan],
) -> Result<(), AppError> {
    for (i, loan) in loans.iter().enumerate() {
        if !(1..=MAX_QTY).contains(&loan.qty) {
            return Err(invalid(
                &format!("loans[{i}].qty"),
                "貸出数は1以上で入力してください。",
                "A loan's qty is a whole number from 1.",
            ));
        }
    }
    let wanted = summed(loans.iter().map(|l| (l.item_id, l.qty)), |total, qty| *total += qty);
    let mut items: Vec<(Item, i64)> = Vec::with_capacity(wanted.len());
    for (index, item_id, qty) in wanted {
        let item = store::item(tx.conn(), item_id)
            .await?
            .ok_or_else(|| unknown_item(format!("loans[{index}].item_id"), item_id))?;
        items.push((item, qty));
    }
    let short: Vec<&(Item, i64)> = items.iter().filter(|(item, qty)| *qty > item.stock).collect();
    if !short.is_empty() {
        let ja: Vec<String> = short
            .iter()
            .map(|(i, q)| format!("「{}」は在庫{}{}（{}{}必要）", i.name, i.stock, i.unit, q, i.unit))
            .collect();
        let en: Vec<String> =
            short.iter().map(|(i, q)| format!("{}: {} {} on hand, {q} asked for", i.name, i.stock, i.unit)).collect();
        let shortages: Vec<Value> = short
            .iter()
            .map(|(i, q)| json!({ "item_id": i.id, "name": i.name, "requested": q, "available": i.stock }))
            .collect();
        return Err(AppError::conflict(Text::new(
            format!("資機材が足りません：{}。", ja.join("、")),
            format!("Not enough equipment: {}.", en.join("; ")),
        ))
        .coded("short_stock")
        .with_field("loans")
        .with_details(json!({ "shortages": shortages })));
    }
    if items.is_empty() {
        return Ok(());
    }
    let lines = items
        .iter()
        .map(|(i, q)| LentLine { item_id: i.id, name: i.name.clone(), qty: *q, stock: i.stock - q })
        .collect();
    let lent = ItemsLent { team_id, team_no: team_no.to_string(), lines };
    let event = tx.append(clock, actor, Some(team_no.to_string()), &lent).await?;
    let at = stamp(clock.now());
    for (item, qty) in &items {
        team_row(tx, (item.id, Movement::Lent, *qty, -qty), (team_id, team_no), &at, event.seq).await?;
        LowWatch::of(item).check(tx, clock, actor, item.id).await?;
    }
    Ok(())
}

#[derive(Clone, Copy, Default)]
struct Count {
    returned: i64,
    lost: i64,
    damaged: i64,
}

impl Count {
    fn accounted(self) -> i64 {
        self.returned + self.lost + self.damaged
    }
}

/// 返却: counts a team's equipment back (event `items.returned`).
///
/// For a durable item, returned + lost + damaged must be what the team has
/// out: less is 409 `equipment_shortfall` with `details.shortfalls` (the
/// return completes once the missing ones are recorded as lost or damaged).
/// For a consumable, whatever is not returned, lost or damaged was used up
/// (`consumed`). More than is out, a negative count, or a line for an item
/// the team did not take is 422. A team with nothing out and no lines writes
/// nothing.
pub async fn settle(
    tx: &mut WriteTx,
    clock: &Clock,
    actor: &Actor,
    team_id: i64,
    team_no: &str,
    lines: &[ReturnLine],
) -> Result<(), AppError> {
    for (i, line) in lines.iter().enumerate() {
        for (name, value) in [("returned", line.returned), ("lost", line.lost), ("damaged", line.damaged)] {
            if !(0..=MAX_QTY).contains(&value) {
                return Err(invalid(
                    &format!("returns[{i}].{name}"),
                    "数は0以上で入力してください。",
                    format!("{name} is a whole number from 0."),
                ));
            }
        }
    }
    let out = store::outstanding(tx.conn(), team_id).await?;
    let counts = summed(
        lines.iter().map(|l| (l.item_id, Count { returned: l.returned, lost: l.lost, damaged: l.damaged })),
        |total, c| {
            total.returned += c.returned;
            total.lost += c.lost;
            total.damaged += c.damaged;
        },
    );
    for (index, item_id, count) in &counts {
        let Some(taken) = out.iter().find(|o| o.item_id == *item_id) else {
            let field = format!("returns[{index}].item_id");
            return Err(match store::item(tx.conn(), *item_id).await? {
                Some(item) => invalid(
                    &field,
                    format!("{team_no}は「{}」を借りていません。", item.name),
                    format!("{team_no} did not take any {}.", item.name),
                ),
                None => unknown_item(field, *item_id),
            });
        };
        if count.accounted() > taken.qty {
            return Err(invalid(
                &format!("returns[{index}].returned"),
                format!(
                    "「{}」の貸出は{}{}です（返却・紛失・破損の合計{}{}）。",
                    taken.name,
                    taken.qty,
                    taken.unit,
                    count.accounted(),
                    taken.unit
                ),
                format!("{team_no} has {} {} of {} out, not {}.", taken.qty, taken.unit, taken.name, count.accounted()),
            ));
        }
    }
    let count_of =
        |item_id: i64| counts.iter().find(|(_, id, _)| *id == item_id).map(|(_, _, c)| *c).unwrap_or_default();
    let shortfalls: Vec<(&OutLine, i64)> = out
        .iter()
        .filter(|o| o.kind == ItemKind::Durable)
        .map(|o| (o, count_of(o.item_id).accounted()))
        .filter(|(o, accounted)| *accounted < o.qty)
        .collect();
    if !shortfalls.is_empty() {
        let ja: Vec<String> =
            shortfalls.iter().map(|(o, a)| format!("「{}」{}{}中{}{}", o.name, o.qty, o.unit, a, o.unit)).collect();
        let en: Vec<String> = shortfalls.iter().map(|(o, a)| format!("{}: {a} of {}", o.name, o.qty)).collect();
        let details: Vec<Value> = shortfalls
            .iter()
            .map(|(o, a)| json!({ "item_id": o.item_id, "name": o.name, "out": o.qty, "accounted": a }))
            .collect();
        return Err(AppError::conflict(Text::new(
            format!(
                "{team_no}の資機材が揃っていません：{}。見つからないものは紛失・破損として記録してください。",
                ja.join("、")
            ),
            format!(
                "{team_no}'s equipment is not all accounted for: {}. Record what is missing as lost or damaged.",
                en.join("; ")
            ),
        ))
        .coded("equipment_shortfall")
        .with_field("returns")
        .with_details(json!({ "shortfalls": details })));
    }
    if out.is_empty() {
        return Ok(());
    }
    let mut rows = Vec::with_capacity(out.len());
    let mut data_lines = Vec::with_capacity(out.len());
    for taken in &out {
        let count = count_of(taken.item_id);
        let consumed = taken.qty - count.accounted();
        let stock = store::stock(tx.conn(), taken.item_id).await? + count.returned;
        data_lines.push(ReturnedLine {
            item_id: taken.item_id,
            name: taken.name.clone(),
            out: taken.qty,
            returned: count.returned,
            lost: count.lost,
            damaged: count.damaged,
            consumed,
            stock,
        });
        rows.push((taken.item_id, count, consumed));
    }
    let returned = ItemsReturned { team_id, team_no: team_no.to_string(), lines: data_lines };
    let event = tx.append(clock, actor, Some(team_no.to_string()), &returned).await?;
    let at = stamp(clock.now());
    let team = (team_id, team_no);
    for (item_id, count, consumed) in rows {
        for (kind, qty, delta) in [
            (Movement::Returned, count.returned, count.returned),
            (Movement::Lost, count.lost, 0),
            (Movement::Damaged, count.damaged, 0),
            (Movement::Consumed, consumed, 0),
        ] {
            if qty > 0 {
                team_row(tx, (item_id, kind, qty, delta), team, &at, event.seq).await?;
            }
        }
    }
    // Returns only add to stock on hand: no item can become low here.
    Ok(())
}

//! 抽選: applications until `lottery_closes_at`, then one draw.
//!
//! The draw is recorded (`hub_lottery_draws`: seed, algorithm, order) so
//! anyone can run it again: algorithm `sha256-rank-v1` sorts the applications
//! by the SHA-256 of `"<seed>:<booking id>"` (lower case hex, ascending; the
//! booking id breaks a tie). Seats go in that order while the next one fits;
//! from the first that does not, everyone waits, in that order. So every
//! applicant gets exactly one outcome: booked or waitlisted. With a shell:
//! `printf '%s' "$SEED:$ID" | sha256sum` for each id, then `sort`.

use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::mails::{self, About, MailBooking};
use super::openings::{self, Opening};
use super::profiles;
use crate::error::{AppError, Class};
use crate::hub::contract::booking::LotteryDrawn;
use crate::hub::db::HubDb;
use crate::hub::events::{HubActor, HubTx};
use crate::hub::state::HubState;
use crate::i18n::Text;

pub const ALGORITHM: &str = "sha256-rank-v1";

/// The booking ids in drawn order.
pub fn draw_order(seed: &str, applications: &[i64]) -> Vec<i64> {
    let mut ranked: Vec<([u8; 32], i64)> =
        applications.iter().map(|id| (Sha256::digest(format!("{seed}:{id}").as_bytes()).into(), *id)).collect();
    ranked.sort();
    ranked.into_iter().map(|(_, id)| id).collect()
}

/// A draw as recorded, and its re-run.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = HubLotteryDraw)]
pub struct RecordedDraw {
    pub opening_id: i64,
    pub seed: String,
    pub algorithm: String,
    /// Booking ids in the order drawn.
    pub drawn_order: Vec<i64>,
    /// The same draw run again now from the seed: equal to `drawn_order`.
    pub rerun_order: Vec<i64>,
    pub drawn_at: chrono::DateTime<chrono::Utc>,
}

pub async fn recorded(db: &HubDb, opening_id: i64) -> Result<Option<RecordedDraw>, sqlx::Error> {
    let row: Option<(String, String, Vec<i64>, chrono::DateTime<chrono::Utc>)> =
        sqlx::query_as("SELECT seed, algorithm, drawn_order, drawn_at FROM hub_lottery_draws WHERE opening_id = $1")
            .bind(opening_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(|(seed, algorithm, drawn_order, drawn_at)| {
        let mut applications = drawn_order.clone();
        applications.sort();
        RecordedDraw {
            opening_id,
            rerun_order: draw_order(&seed, &applications),
            seed,
            algorithm,
            drawn_order,
            drawn_at,
        }
    }))
}

fn refused(code: &'static str, ja: &'static str, en: &'static str) -> AppError {
    AppError::new(Class::Conflict, code, Text::new(ja, en))
}

/// Draws `opening_id`'s lottery once its applications are closed (staff, or
/// the hub's job when the time comes). Runs under the opening's lock, so two
/// processes never both draw.
pub async fn draw(state: &HubState, actor: &HubActor, opening: &Opening) -> Result<RecordedDraw, AppError> {
    let mut tx = HubTx::begin(&state.db).await?;
    let opening = openings::lock(&mut tx, opening.id).await?.ok_or_else(openings::not_found)?;
    if opening.mode != "lottery" {
        return Err(refused("not_a_lottery", "この募集は抽選ではありません。", "This opening is not a lottery."));
    }
    if !matches!(opening.state.as_str(), "open" | "closed") {
        return Err(refused(
            "opening_not_open",
            "この募集は抽選できる状態ではありません。",
            "This opening cannot be drawn now.",
        ));
    }
    if opening.lottery_closes_at.is_some_and(|closes| chrono::Utc::now() < closes) {
        return Err(refused(
            "lottery_not_closed",
            "抽選の申込締切がまだです。締切後に抽選してください。",
            "Applications are still open: draw after they close.",
        ));
    }
    let done: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM hub_lottery_draws WHERE opening_id = $1)")
        .bind(opening.id)
        .fetch_one(tx.conn())
        .await?;
    if done {
        return Err(refused("already_drawn", "この抽選は抽選済みです。", "This lottery was already drawn."));
    }
    let applications: Vec<(i64, i64, i32, String)> = sqlx::query_as(
        "SELECT id, account_id, seats, qr_token FROM hub_bookings WHERE opening_id = $1 AND status = 'applied' ORDER BY id",
    )
    .bind(opening.id)
    .fetch_all(tx.conn())
    .await?;
    let mut seed_bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut seed_bytes);
    let seed = crate::hex::encode(&seed_bytes);
    let ids: Vec<i64> = applications.iter().map(|a| a.0).collect();
    let order = draw_order(&seed, &ids);
    let mut free = opening.quota - opening.booked_seats;
    let mut seated = true;
    let (mut won, mut waiting) = (0i64, 0i64);
    for id in &order {
        let (_, account_id, seats, qr_token) = applications.iter().find(|a| a.0 == *id).expect("drawn from these");
        seated = seated && *seats <= free;
        let about = if seated {
            free -= seats;
            won += 1;
            sqlx::query("UPDATE hub_bookings SET status = 'booked', changed_at = now() WHERE id = $1")
                .bind(id)
                .execute(tx.conn())
                .await?;
            About::Booked
        } else {
            waiting += 1;
            sqlx::query(
                "UPDATE hub_bookings SET status = 'waitlisted', waitlist_order = nextval('hub_waitlist_order'),
                        changed_at = now() WHERE id = $1",
            )
            .bind(id)
            .execute(tx.conn())
            .await?;
            About::Waitlisted
        };
        let to = profiles::recipient(tx.conn(), *account_id).await?;
        let mail = MailBooking { id: *id, qr_token, opening: &opening, qr_png: None };
        mails::queue(&mut tx, &state.config.mail.from, about, &mail, &to).await?;
    }
    sqlx::query("UPDATE hub_openings SET booked_seats = quota - $2 WHERE id = $1")
        .bind(opening.id)
        .bind(free)
        .execute(tx.conn())
        .await?;
    sqlx::query("INSERT INTO hub_lottery_draws (opening_id, seed, algorithm, drawn_order) VALUES ($1, $2, $3, $4)")
        .bind(opening.id)
        .bind(&seed)
        .bind(ALGORITHM)
        .bind(&order)
        .execute(tx.conn())
        .await?;
    let event = LotteryDrawn {
        opening_id: opening.id,
        seed: seed.clone(),
        algorithm: ALGORITHM.into(),
        applicants: order.len() as i64,
        won,
        waitlisted: waiting,
    };
    tx.append(actor, Some(format!("opening:{}", opening.id)), &event).await?;
    tx.commit().await?;
    Ok(RecordedDraw {
        opening_id: opening.id,
        seed,
        algorithm: ALGORITHM.into(),
        rerun_order: order.clone(),
        drawn_order: order,
        drawn_at: chrono::Utc::now(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_depends_only_on_the_seed_and_the_ids() {
        let ids: Vec<i64> = (1..=50).collect();
        let a = draw_order("00ff", &ids);
        let mut reversed = ids.clone();
        reversed.reverse();
        assert_eq!(a, draw_order("00ff", &reversed), "the input order does not matter");
        assert_ne!(a, draw_order("00fe", &ids), "another seed, another order");
        let mut sorted = a.clone();
        sorted.sort();
        assert_eq!(sorted, ids, "everyone once");
        // The documented rule, by hand: sha256("00ff:<id>") ascending.
        let first = ids.iter().min_by_key(|id| crate::hex::encode(&Sha256::digest(format!("00ff:{id}")))).unwrap();
        assert_eq!(a[0], *first);
    }
}

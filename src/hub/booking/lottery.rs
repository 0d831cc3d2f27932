//! 抽選: applications until `lottery_closes_at`, then one draw.
//!
//! The draw is recorded (`hub_lottery_draws`: seed, algorithm, order) so
//! anyone can run it again: algorithm `sha256-rank-v1` sorts the applications
//! by the SHA-256 of `"<seed>:<booking id>"` (lower case hex, ascending; the
//! booking id breaks a tie). Seats go in that order while the next one fits;
//! from the first that does not, everyone waits, in that order. So every
//! applicant gets exactly one outcome: booked or waitlisted. With a shell:
//! `printf '%s' "$SEED:$ID" | sha256sum` for each id, then `sort`.
//!
//! With `--lottery-weigh-no-shows` (off by default) the algorithm is
//! `sha256-rank-noshow-v1`: applications sorted by the applicant's no-show
//! count (booked on a day its center reported, and not come: see
//! [`super::attendance`]; days before the opening's) ascending, then as
//! `sha256-rank-v1`. The counts used are recorded with the draw (in drawn
//! order), so a re-run gives the same order whatever happened since.

use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::attendance;
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
/// [`ALGORITHM`] after the no-show count, ascending (`--lottery-weigh-no-shows`).
pub const ALGORITHM_NO_SHOWS: &str = "sha256-rank-noshow-v1";

/// The booking ids in drawn order.
pub fn draw_order(seed: &str, applications: &[i64]) -> Vec<i64> {
    let mut ranked: Vec<([u8; 32], i64)> =
        applications.iter().map(|id| (Sha256::digest(format!("{seed}:{id}").as_bytes()).into(), *id)).collect();
    ranked.sort();
    ranked.into_iter().map(|(_, id)| id).collect()
}

/// The booking ids in drawn order by `sha256-rank-noshow-v1`: `(booking id,
/// no-show count)` by the count ascending, then as [`draw_order`].
pub fn draw_order_weighed(seed: &str, applications: &[(i64, i64)]) -> Vec<i64> {
    let mut ranked: Vec<(i64, [u8; 32], i64)> = applications
        .iter()
        .map(|(id, no_shows)| (*no_shows, Sha256::digest(format!("{seed}:{id}").as_bytes()).into(), *id))
        .collect();
    ranked.sort();
    ranked.into_iter().map(|(_, _, id)| id).collect()
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
    /// `sha256-rank-noshow-v1` only: each applicant's no-show count used, in
    /// `drawn_order`'s order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_shows: Option<Vec<i64>>,
}

/// The order `algorithm` gives `drawn` (booking ids) from `seed`, with the
/// recorded counts for the weighed one.
fn rerun(seed: &str, algorithm: &str, drawn: &[i64], no_shows: Option<&[i64]>) -> Vec<i64> {
    match (algorithm, no_shows) {
        (ALGORITHM_NO_SHOWS, Some(counts)) => {
            let applications: Vec<(i64, i64)> = drawn.iter().copied().zip(counts.iter().copied()).collect();
            draw_order_weighed(seed, &applications)
        }
        _ => {
            let mut applications = drawn.to_vec();
            applications.sort();
            draw_order(seed, &applications)
        }
    }
}

pub async fn recorded(db: &HubDb, opening_id: i64) -> Result<Option<RecordedDraw>, sqlx::Error> {
    type Row = (String, String, Vec<i64>, chrono::DateTime<chrono::Utc>, Option<Vec<i64>>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT seed, algorithm, drawn_order, drawn_at, no_shows FROM hub_lottery_draws WHERE opening_id = $1",
    )
    .bind(opening_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(seed, algorithm, drawn_order, drawn_at, no_shows)| RecordedDraw {
        opening_id,
        rerun_order: rerun(&seed, &algorithm, &drawn_order, no_shows.as_deref()),
        seed,
        algorithm,
        drawn_order,
        drawn_at,
        no_shows,
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
    let (algorithm, order, no_shows) = if state.config.lottery_weigh_no_shows {
        let accounts: Vec<i64> = applications.iter().map(|a| a.1).collect();
        let counts = attendance::no_show_counts(tx.conn(), &accounts, opening.day).await?;
        let weighed: Vec<(i64, i64)> =
            applications.iter().map(|a| (a.0, counts.get(&a.1).copied().unwrap_or(0))).collect();
        let order = draw_order_weighed(&seed, &weighed);
        let used = order.iter().map(|id| weighed.iter().find(|w| w.0 == *id).map_or(0, |w| w.1)).collect();
        (ALGORITHM_NO_SHOWS, order, Some(used))
    } else {
        (ALGORITHM, draw_order(&seed, &ids), None)
    };
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
    sqlx::query(
        "INSERT INTO hub_lottery_draws (opening_id, seed, algorithm, drawn_order, no_shows) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(opening.id)
    .bind(&seed)
    .bind(algorithm)
    .bind(&order)
    .bind(&no_shows)
    .execute(tx.conn())
    .await?;
    let event = LotteryDrawn {
        opening_id: opening.id,
        seed: seed.clone(),
        algorithm: algorithm.into(),
        applicants: order.len() as i64,
        won,
        waitlisted: waiting,
    };
    tx.append(actor, Some(format!("opening:{}", opening.id)), &event).await?;
    tx.commit().await?;
    Ok(RecordedDraw {
        opening_id: opening.id,
        seed,
        algorithm: algorithm.into(),
        rerun_order: order.clone(),
        drawn_order: order,
        drawn_at: chrono::Utc::now(),
        no_shows,
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

    #[test]
    fn weighed_fewer_no_shows_first_then_the_plain_rank_and_zero_counts_give_the_plain_order() {
        let ids: Vec<i64> = (1..=30).collect();
        let plain = draw_order("00ff", &ids);
        let zeros: Vec<(i64, i64)> = ids.iter().map(|id| (*id, 0)).collect();
        assert_eq!(draw_order_weighed("00ff", &zeros), plain, "no no-shows: the same order as sha256-rank-v1");
        let weighed: Vec<(i64, i64)> =
            ids.iter().map(|id| (*id, i64::from(*id % 3 == 0) + i64::from(*id == 9))).collect();
        let order = draw_order_weighed("00ff", &weighed);
        let count = |id: &i64| weighed.iter().find(|w| w.0 == *id).unwrap().1;
        assert!(order.windows(2).all(|w| count(&w[0]) <= count(&w[1])), "counts ascending");
        assert_eq!(order.last(), Some(&9), "two no-shows: last");
        let untouched: Vec<i64> = order.iter().copied().filter(|id| count(id) == 0).collect();
        let expected: Vec<i64> = plain.iter().copied().filter(|id| count(id) == 0).collect();
        assert_eq!(untouched, expected, "within a count, the plain rank");
        let counts: Vec<i64> = order.iter().map(count).collect();
        assert_eq!(rerun("00ff", ALGORITHM_NO_SHOWS, &order, Some(&counts)), order);
        assert_eq!(rerun("00ff", ALGORITHM, &plain, None), plain);
    }
}

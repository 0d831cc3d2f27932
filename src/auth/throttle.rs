//! Login throttling by account *and* source address, so that nobody on the
//! center's Wi-Fi can lock staff out by failing on purpose:
//! - 5 failures for one account from one address within 5 minutes lock that
//!   account for that address for 5 minutes; the right password from any other
//!   device still logs in;
//! - 20 failures from one address (any accounts: password spraying) lock that
//!   address out for 5 minutes;
//! - 50 failures for one account from all addresses together lock it for 5
//!   minutes on every device that has failed recently — never on a device
//!   that has not.
//!
//! Kept in memory on purpose: a restart forgets it, and a flood of bad logins
//! never turns into database writes (only the start of a lockout is logged).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const MAX_FAILURES: usize = 5;
pub const MAX_FAILURES_PER_SOURCE: usize = 20;
pub const MAX_FAILURES_PER_ACCOUNT: usize = 50;
pub const WINDOW: Duration = Duration::from_secs(5 * 60);
pub const LOCKOUT: Duration = Duration::from_secs(5 * 60);
/// Bounds memory when someone sprays random usernames.
const MAX_TRACKED: usize = 10_000;

/// What a lockout that just began covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One account, from one address.
    AccountFromSource,
    /// Every account, from one address.
    Source,
    /// One account, from every address that has been failing.
    Account,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::AccountFromSource => "account_from_source",
            Scope::Source => "source",
            Scope::Account => "account",
        }
    }
}

#[derive(Default)]
pub struct LoginThrottle {
    tables: Mutex<Tables>,
}

#[derive(Default)]
struct Tables {
    pairs: HashMap<(String, IpAddr), Record>,
    sources: HashMap<IpAddr, Record>,
    accounts: HashMap<String, Record>,
}

#[derive(Default)]
struct Record {
    failures: Vec<Instant>,
    /// Attempts whose password check is still running: counted up front, so
    /// parallel guesses cannot all slip past the limit.
    in_flight: usize,
    locked_until: Option<Instant>,
}

/// One login attempt that holds its place in the count until it ends.
pub struct Attempt<'a> {
    throttle: &'a LoginThrottle,
    account: String,
    source: IpAddr,
    ended: bool,
}

impl LoginThrottle {
    /// Starts an attempt, or `Err(seconds to wait)` while this account is
    /// locked for this address, or the address is locked, or the account is
    /// locked and this address has been failing.
    pub fn begin(&self, username: &str, source: IpAddr, now: Instant) -> Result<Attempt<'_>, u64> {
        let account = key(username);
        let mut tables = self.tables.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        tables.forget_stale(now);
        let pair = (account.clone(), source);
        let locked = [
            tables.pairs.get(&pair).and_then(|r| r.locked(now)),
            tables.sources.get(&source).and_then(|r| r.locked(now)),
            tables
                .accounts
                .get(&account)
                .and_then(|r| r.locked(now))
                .filter(|_| tables.pairs.get(&pair).is_some_and(|r| r.failing(now))),
        ];
        if let Some(wait) = locked.into_iter().flatten().max() {
            return Err(wait);
        }
        let record = tables.pairs.entry(pair).or_default();
        record.failures.retain(|t| now.duration_since(*t) < WINDOW);
        if record.failures.len() + record.in_flight >= MAX_FAILURES {
            // Attempts still running may yet fail; wait for them.
            return Err(1);
        }
        record.in_flight += 1;
        Ok(Attempt { throttle: self, account, source, ended: false })
    }
}

impl Tables {
    fn forget_stale(&mut self, now: Instant) {
        if self.pairs.len() >= MAX_TRACKED {
            self.pairs.retain(|_, r| r.is_live(now));
        }
        if self.sources.len() >= MAX_TRACKED {
            self.sources.retain(|_, r| r.is_live(now));
        }
        if self.accounts.len() >= MAX_TRACKED {
            self.accounts.retain(|_, r| r.is_live(now));
        }
    }
}

impl Attempt<'_> {
    /// A wrong password: counts it, and returns the lockouts it started.
    pub fn failed(mut self, now: Instant) -> Vec<Scope> {
        let mut began = Vec::new();
        self.end(|tables, pair, source, account| {
            for (scope, record, limit) in [
                (Scope::AccountFromSource, tables.pairs.entry(pair).or_default(), MAX_FAILURES),
                (Scope::Source, tables.sources.entry(source).or_default(), MAX_FAILURES_PER_SOURCE),
                (Scope::Account, tables.accounts.entry(account).or_default(), MAX_FAILURES_PER_ACCOUNT),
            ] {
                if record.fail(now, limit) {
                    began.push(scope);
                }
            }
        });
        began
    }

    pub fn succeeded(mut self) {
        self.end(|tables, pair, _, _| {
            if let Some(record) = tables.pairs.get_mut(&pair) {
                record.failures.clear();
            }
        });
    }

    fn end(&mut self, update: impl FnOnce(&mut Tables, (String, IpAddr), IpAddr, String)) {
        self.ended = true;
        let mut tables = self.throttle.tables.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let pair = (self.account.clone(), self.source);
        if let Some(record) = tables.pairs.get_mut(&pair) {
            record.in_flight = record.in_flight.saturating_sub(1);
        }
        update(&mut tables, pair, self.source, self.account.clone());
    }
}

impl Drop for Attempt<'_> {
    /// An attempt abandoned midway (the client hung up) frees its place.
    fn drop(&mut self) {
        if !self.ended {
            self.end(|_, _, _, _| {});
        }
    }
}

impl Record {
    /// Seconds left of a lockout in force.
    fn locked(&self, now: Instant) -> Option<u64> {
        self.locked_until.filter(|until| *until > now).map(|until| (until - now).as_secs().max(1))
    }

    /// Failed within the window (or is locked).
    fn failing(&self, now: Instant) -> bool {
        self.locked(now).is_some() || self.failures.iter().any(|t| now.duration_since(*t) < WINDOW)
    }

    /// Counts a failure; `true` when it starts a lockout.
    fn fail(&mut self, now: Instant, limit: usize) -> bool {
        self.failures.retain(|t| now.duration_since(*t) < WINDOW);
        self.failures.push(now);
        if self.failures.len() < limit || self.locked(now).is_some() {
            return false;
        }
        self.locked_until = Some(now + LOCKOUT);
        self.failures.clear();
        true
    }

    fn is_live(&self, now: Instant) -> bool {
        self.in_flight > 0 || self.failing(now)
    }
}

/// Usernames are case-insensitive in the table, so they are here too.
fn key(username: &str) -> String {
    username.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HERE: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 168, 1, 30));
    const DESK: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 168, 1, 20));

    fn fail(throttle: &LoginThrottle, username: &str, from: IpAddr, at: Instant) -> Vec<Scope> {
        throttle.begin(username, from, at).expect("not locked yet").failed(at)
    }

    #[test]
    fn five_failures_lock_the_account_for_that_address_only() {
        let throttle = LoginThrottle::default();
        let t0 = Instant::now();
        for i in 0..4 {
            assert!(fail(&throttle, "Yamada", HERE, t0 + Duration::from_secs(i)).is_empty());
        }
        let began = fail(&throttle, "yamada", HERE, t0 + Duration::from_secs(5));
        assert_eq!(began, [Scope::AccountFromSource]);
        assert!(throttle.begin("YAMADA", HERE, t0 + Duration::from_secs(6)).is_err());
        // The desk that has not been failing still gets in.
        throttle.begin("yamada", DESK, t0 + Duration::from_secs(6)).unwrap().succeeded();
        assert!(throttle.begin("yamada", HERE, t0 + Duration::from_secs(5) + LOCKOUT).is_ok());
    }

    #[test]
    fn failures_older_than_the_window_do_not_count() {
        let throttle = LoginThrottle::default();
        let t0 = Instant::now();
        for i in 0..4 {
            fail(&throttle, "sato", HERE, t0 + Duration::from_secs(i));
        }
        fail(&throttle, "sato", HERE, t0 + WINDOW + Duration::from_secs(10));
        assert!(throttle.begin("sato", HERE, t0 + WINDOW + Duration::from_secs(11)).is_ok());
    }

    #[test]
    fn spraying_many_accounts_from_one_address_locks_the_address() {
        let throttle = LoginThrottle::default();
        let now = Instant::now();
        let mut began = Vec::new();
        for i in 0..MAX_FAILURES_PER_SOURCE {
            began.extend(fail(&throttle, &format!("user{}", i % 10), HERE, now));
        }
        assert_eq!(began, [Scope::Source]);
        assert!(throttle.begin("admin", HERE, now).is_err());
        assert!(throttle.begin("admin", DESK, now).is_ok());
    }

    #[test]
    fn an_account_failed_from_many_addresses_locks_only_the_failing_ones() {
        let throttle = LoginThrottle::default();
        let now = Instant::now();
        let mut began = Vec::new();
        for i in 0..MAX_FAILURES_PER_ACCOUNT {
            let from = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, (i / 200) as u8, (i % 200) as u8 + 1));
            began.extend(fail(&throttle, "admin", from, now));
        }
        assert_eq!(began, [Scope::Account]);
        assert!(throttle.begin("admin", IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1)), now).is_err());
        assert!(throttle.begin("admin", DESK, now).is_ok(), "a device that never failed");
    }

    #[test]
    fn parallel_attempts_count_before_their_password_checks_finish() {
        let throttle = LoginThrottle::default();
        let now = Instant::now();
        let running: Vec<_> = (0..MAX_FAILURES).map(|_| throttle.begin("kato", HERE, now).unwrap()).collect();
        assert!(throttle.begin("kato", HERE, now).is_err(), "a sixth parallel guess waits");
        drop(running); // abandoned attempts free their places
        assert!(throttle.begin("kato", HERE, now).is_ok());
    }
}

//! A count of open things (connections, lobby screens), in total and per
//! client address. A [`Permit`] holds one place until it is dropped.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

pub struct Budget {
    total: usize,
    per_address: usize,
    open: Mutex<Open>,
}

#[derive(Default)]
struct Open {
    total: usize,
    by_address: HashMap<IpAddr, usize>,
}

/// One place in a [`Budget`], given back on drop.
pub struct Permit {
    budget: Arc<Budget>,
    address: IpAddr,
}

impl Budget {
    pub fn new(total: usize, per_address: usize) -> Arc<Budget> {
        Arc::new(Budget { total, per_address, open: Mutex::default() })
    }

    /// A place for `address`, unless the total or its own share is used up.
    pub fn admit(self: &Arc<Self>, address: IpAddr) -> Option<Permit> {
        let mut open = self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mine = open.by_address.get(&address).copied().unwrap_or(0);
        if open.total >= self.total || mine >= self.per_address {
            return None;
        }
        open.total += 1;
        open.by_address.insert(address, mine + 1);
        Some(Permit { budget: self.clone(), address })
    }

    /// Places in use.
    pub fn in_use(&self) -> usize {
        self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).total
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut open = self.budget.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        open.total = open.total.saturating_sub(1);
        if let Some(count) = open.by_address.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                open.by_address.remove(&self.address);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_limited_in_total_and_per_address_and_given_back() {
        let budget = Budget::new(3, 2);
        let (a, b, c) = ([10, 0, 0, 1].into(), [10, 0, 0, 2].into(), [10, 0, 0, 3].into());
        let first = budget.admit(a).unwrap();
        let _second = budget.admit(a).unwrap();
        assert!(budget.admit(a).is_none(), "a's share is used up");
        let _third = budget.admit(b).unwrap();
        assert!(budget.admit(c).is_none(), "the total is used up");
        drop(first);
        let _fourth = budget.admit(c).expect("a place given back is free again");
        assert_eq!(budget.in_use(), 3);
    }
}

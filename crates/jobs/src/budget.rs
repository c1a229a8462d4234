//! Rate budgets of this worker process: publishes per minute per account and per network (GCRA
//! via governor). A call waits for its turn instead of provoking a 429. The budgets are per
//! process: with several worker processes, give each its share. What a network itself reports
//! (429 with a reset) is shared by all processes through the queue (`queue::defer_account`).

use std::{collections::BTreeMap, num::NonZeroU32, sync::Arc};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

#[derive(Clone)]
pub struct Budgets {
    per_account: Option<Arc<DefaultKeyedRateLimiter<String>>>,
    per_network: Arc<BTreeMap<String, DefaultKeyedRateLimiter<()>>>,
}

impl Budgets {
    /// `per_account_per_minute` 0 means no account budget; networks missing from the map have
    /// no network budget.
    pub fn new(per_account_per_minute: u32, per_network_per_minute: &BTreeMap<String, u32>) -> Self {
        let quota = |n: u32| NonZeroU32::new(n).map(Quota::per_minute);
        Self {
            per_account: quota(per_account_per_minute).map(|q| Arc::new(RateLimiter::keyed(q))),
            per_network: Arc::new(per_network_per_minute.iter().filter_map(|(network, n)| quota(*n).map(|q| (network.clone(), RateLimiter::keyed(q)))).collect()),
        }
    }

    /// Waits until both the network's and the account's budgets allow one more publish.
    pub async fn wait_turn(&self, network: &str, account: &str) {
        if let Some(limiter) = self.per_network.get(network) {
            limiter.until_key_ready(&()).await;
        }
        if let Some(limiter) = &self.per_account {
            limiter.until_key_ready(&account.to_owned()).await;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// The first `n` turns in a minute are free, the next one is not (checked without waiting).
    #[test]
    fn a_budget_allows_its_quota_then_holds_back() {
        let budgets = Budgets::new(3, &BTreeMap::from([("x".to_owned(), 5)]));
        let account = budgets.per_account.as_ref().unwrap();
        for _ in 0..3 {
            assert!(account.check_key(&"a".to_owned()).is_ok());
        }
        assert!(account.check_key(&"a".to_owned()).is_err(), "the fourth publish of the minute waits");
        assert!(account.check_key(&"b".to_owned()).is_ok(), "another account has its own budget");
        let x = budgets.per_network.get("x").unwrap();
        for _ in 0..5 {
            assert!(x.check_key(&()).is_ok());
        }
        assert!(x.check_key(&()).is_err());
        assert!(Budgets::new(0, &BTreeMap::new()).per_account.is_none(), "0 means no budget");
    }
}

//! A circuit breaker per provider: after `threshold` consecutive failures the provider is
//! skipped for `cooldown`, then one trial call is let through (half-open); its success closes
//! the breaker, its failure opens it again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BreakerPolicy {
    pub threshold: u32,
    pub cooldown: Duration,
}

impl Default for BreakerPolicy {
    fn default() -> Self {
        BreakerPolicy { threshold: 5, cooldown: Duration::from_secs(30) }
    }
}

#[derive(Debug, Default)]
struct State {
    failures: u32,
    open_until: Option<Instant>,
    trial_out: bool,
}

#[derive(Debug)]
pub struct Breaker {
    policy: BreakerPolicy,
    state: Mutex<State>,
}

impl Breaker {
    pub fn new(policy: BreakerPolicy) -> Self {
        Breaker { policy, state: Mutex::new(State::default()) }
    }

    /// Whether a call may go out now. In the half-open state only one caller gets `true`.
    pub fn allow(&self) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match state.open_until {
            None => true,
            Some(until) if Instant::now() < until => false,
            Some(_) if state.trial_out => false,
            Some(_) => {
                state.trial_out = true;
                true
            }
        }
    }

    pub fn success(&self) {
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *state = State::default();
    }

    pub fn failure(&self) {
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        state.failures = state.failures.saturating_add(1);
        state.trial_out = false;
        if state.failures >= self.policy.threshold {
            state.open_until = Some(Instant::now() + self.policy.cooldown);
        }
    }

    pub fn is_open(&self) -> bool {
        let state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        state.open_until.is_some()
    }
}

/// The breakers of one process, one per provider name, shared by every workspace's chain.
#[derive(Debug, Default)]
pub struct Breakers {
    policy: BreakerPolicy,
    map: Mutex<HashMap<String, Arc<Breaker>>>,
}

impl Breakers {
    pub fn new(policy: BreakerPolicy) -> Self {
        Breakers { policy, map: Mutex::new(HashMap::new()) }
    }

    pub fn get(&self, provider: &str) -> Arc<Breaker> {
        let mut map = self.map.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        map.entry(provider.to_owned()).or_insert_with(|| Arc::new(Breaker::new(self.policy))).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_threshold_and_closes_after_a_good_trial() {
        let breaker = Breaker::new(BreakerPolicy { threshold: 2, cooldown: Duration::from_secs(3600) });
        assert!(breaker.allow());
        breaker.failure();
        assert!(breaker.allow(), "one failure is not enough");
        breaker.failure();
        assert!(!breaker.allow(), "open during the cooldown");

        let breaker = Breaker::new(BreakerPolicy { threshold: 1, cooldown: Duration::ZERO });
        breaker.failure();
        assert!(breaker.allow(), "half-open: one trial");
        assert!(!breaker.allow(), "only one trial at a time");
        breaker.failure();
        assert!(breaker.allow(), "the failed trial reopened it; the next cooldown (zero) passed");
        breaker.success();
        assert!(!breaker.is_open());
        assert!(breaker.allow() && breaker.allow());
    }
}

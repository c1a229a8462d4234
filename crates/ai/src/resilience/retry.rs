//! Retry timing: exponential backoff, or the provider's own `retry-after` when it gave one.

use std::time::Duration;

use crate::error::AiError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Calls per provider, the first included.
    pub attempts: u32,
    /// The first backoff; doubled each retry.
    pub base: Duration,
    /// No single wait is longer: a `retry-after` beyond it means "fall back now" instead.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { attempts: 3, base: Duration::from_millis(250), max_wait: Duration::from_secs(10) }
    }
}

impl RetryPolicy {
    /// How long to wait before retry number `retry` (1-based) after `error`, or `None` when the
    /// error is not worth retrying on this provider.
    pub fn wait(&self, retry: u32, error: &AiError) -> Option<Duration> {
        if retry >= self.attempts || !error.kind.is_transient() {
            return None;
        }
        match error.retry_after {
            Some(after) if after > self.max_wait => None,
            Some(after) => Some(after),
            None => {
                let factor = 2u32.saturating_pow(retry.saturating_sub(1));
                Some(self.base.saturating_mul(factor).min(self.max_wait))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn error(kind: ErrorKind, after: Option<u64>) -> AiError {
        let mut error = AiError::new(kind, "p", "m");
        error.retry_after = after.map(Duration::from_secs);
        error
    }

    #[test]
    fn backoff_doubles_and_honours_retry_after() {
        let policy = RetryPolicy { attempts: 4, base: Duration::from_millis(100), max_wait: Duration::from_secs(5) };
        assert_eq!(policy.wait(1, &error(ErrorKind::Unavailable, None)), Some(Duration::from_millis(100)));
        assert_eq!(policy.wait(2, &error(ErrorKind::Timeout, None)), Some(Duration::from_millis(200)));
        assert_eq!(policy.wait(3, &error(ErrorKind::RateLimited, Some(2))), Some(Duration::from_secs(2)));
        assert_eq!(policy.wait(4, &error(ErrorKind::Unavailable, None)), None, "attempts used up");
        assert_eq!(policy.wait(1, &error(ErrorKind::RateLimited, Some(60))), None, "too long: fall back instead");
        assert_eq!(policy.wait(1, &error(ErrorKind::InvalidRequest, None)), None);
        assert_eq!(policy.wait(1, &error(ErrorKind::QuotaExceeded, None)), None);
    }
}

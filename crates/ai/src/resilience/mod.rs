//! What stands between a caller and flaky providers: retries with backoff that honour
//! `retry-after` (`retry`), a circuit breaker per provider (`breaker`), a cache of identical
//! requests (`cache`), and the chain that tries providers in order (`chain`).

pub mod breaker;
pub mod cache;
pub mod chain;
pub mod retry;

pub use breaker::{Breaker, BreakerPolicy, Breakers};
pub use cache::{Cache, CacheStats};
pub use chain::{Answer, Chain, ChainError, Link};
pub use retry::RetryPolicy;

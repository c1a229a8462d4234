//! The time source. Production reads the system clock; tests move it forward to expire codes
//! and tokens without sleeping.

use std::sync::{
    Arc,
    atomic::{AtomicI64, Ordering},
};

use zenalto_domain::Timestamp;

#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset_millis: Arc<AtomicI64>,
}

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    pub fn now(&self) -> Timestamp {
        Timestamp::from_millis(Timestamp::now().as_millis() + self.offset_millis.load(Ordering::Relaxed))
    }

    /// Moves this clock (and every clone of it) forward.
    pub fn advance_secs(&self, secs: i64) {
        self.offset_millis.fetch_add(secs * 1000, Ordering::Relaxed);
    }
}

//! Pure types and rules of Zenalto: identifiers, parsed values, roles and permissions.
//! Nothing in this crate performs I/O; everything here can be unit-tested in isolation.

pub mod email;
pub mod ids;
pub mod password;
pub mod posts;
pub mod publishing;
pub mod roles;
pub mod schedule;
pub mod secret;
pub mod time;

pub use email::EmailAddress;
pub use ids::*;
pub use password::Password;
pub use roles::{Permission, Role};
pub use secret::Secret;
pub use time::Timestamp;

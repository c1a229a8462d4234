//! Request extractors: the body parser with envelope errors, the caller, their workspace
//! rights, request metadata for the audit log, client IP and pagination.

pub mod caller;
pub mod client_ip;
pub mod json;
pub mod meta;
pub mod pagination;
pub mod workspace;

pub use caller::{Caller, SignedInUser};
pub use client_ip::ClientIp;
pub use json::ApiJson;
pub use meta::Meta;
pub use pagination::PageQuery;
pub use workspace::WorkspaceAccess;

//! Repositories, one module per table family.

pub mod ai;
pub mod ai_models;
pub mod assistant;
mod dynamic;
pub mod api_keys;
pub mod audit;
pub mod email_codes;
pub mod invitations;
pub mod outbox;
pub mod recovery_codes;
pub mod sessions;
pub mod users;
pub mod workspaces;
pub mod attempts;
pub mod notifications;
pub mod posts;
pub mod sandbox;
pub mod social_accounts;
pub mod connections;
pub mod targets;
pub mod versions;
pub mod media;
pub mod media_folders;
pub mod media_uploads;
pub mod inbox;
pub mod metrics;
pub mod agents;

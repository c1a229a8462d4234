//! HTTP-level integration tests: every case runs against the real server on SQLite and on
//! PostgreSQL (see `zenalto_testkit::both_backends!`). One test binary, one module per area.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod sessions;
mod two_factor;
mod invitations;
mod workspaces;
mod api_keys;
mod audit;
mod tenancy;
mod conventions;
mod rate_limits;
mod mail;
mod cli;
mod connections;
mod networks;
mod concurrency;
mod publishing;
mod media;
mod ai;
mod ai_writing;
mod assistant;
mod insights;
mod agents;
mod ai_models;
mod ai_timing;
mod ai_templates;

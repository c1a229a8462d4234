//! Workspaces, members, invitations and API keys.

mod api_keys;
mod invitations;
mod members;
mod workspace;

pub use api_keys::{CreatedApiKey, NewApiKeyInput};
pub use invitations::InvitationRow;

//! The agents' tables: account profiles, the approval trail and rejection reasons, the brand
//! voice, and agent runs with their steps. Every query names its workspace.

pub mod approvals;
pub mod profiles;
pub mod runs;
pub mod voice;

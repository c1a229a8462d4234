//! The agents: account profiles, the approval queue, the brand voice, and the pipeline that
//! fills a week with drafts for approval (on demand, and weekly per account). They act through
//! the same services and permission checks as people (architecture invariant 8).

pub mod approvals;
mod autofill;
pub mod pipeline;
pub mod profiles;
pub mod runs;
pub mod voice;

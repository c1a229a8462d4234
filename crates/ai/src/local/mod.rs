//! The local engine: language processing over the workspace's own data, with no provider and
//! no canned text. Everything here is deterministic and pure.

pub mod describe;
pub mod draft;
pub mod fit;
pub mod hashtags;
pub mod keywords;
mod lexicon;
pub mod optimize;
pub mod predict;
pub mod readability;
pub mod rewrite;
pub mod risk;
pub mod sentiment;
pub mod voice;
pub mod templates;
pub mod timing;
mod words;

pub use sentiment::{Sentiment, sentiment};

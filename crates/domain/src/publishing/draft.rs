//! The post as the user composed it for one network, before anything is uploaded.

use serde::{Deserialize, Serialize};

use super::media::MediaFacts;

/// One network's version of a post: what [`super::validate`] checks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// The post text (caption on Instagram, description on YouTube and Pinterest).
    pub text: String,
    #[serde(default)]
    pub media: Vec<MediaFacts>,
    /// A link attached as a card or destination (Facebook, LinkedIn, Pinterest, Bluesky), not a
    /// link typed into the text.
    #[serde(default)]
    pub link: Option<String>,
    /// Posted as a reply or comment right after the post, where the network allows it.
    #[serde(default)]
    pub first_comment: Option<String>,
    /// A separate title (YouTube video title, Pin title).
    #[serde(default)]
    pub title: Option<String>,
}

impl Draft {
    /// A text-only draft.
    pub fn text(text: impl Into<String>) -> Self {
        Draft { text: text.into(), ..Draft::default() }
    }
}

//! Posts and their targets: what a post says, the states it moves through, and how the state of
//! the whole post follows from the states of its targets (one per connected account).

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

/// What a post says. Per-account overrides use the same shape with every field optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PostContent {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub media_ids: Vec<String>,
    #[serde(default)]
    pub hashtags: Vec<String>,
    #[serde(default)]
    pub mentions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// A per-network version of the content: only what differs from the post's own.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContentOverride {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl PostContent {
    /// The content as one target publishes it: the post's, with the target's overrides on top.
    /// Hashtags not already in the text are appended, so every network gets them.
    pub fn for_target(&self, overrides: Option<&ContentOverride>) -> PostContent {
        let mut content = self.clone();
        if let Some(o) = overrides {
            if let Some(text) = &o.text {
                content.text = text.clone();
            }
            if let Some(media) = &o.media_ids {
                content.media_ids = media.clone();
            }
            if o.first_comment.is_some() {
                content.first_comment = o.first_comment.clone();
            }
            if o.title.is_some() {
                content.title = o.title.clone();
            }
        }
        content
    }

    /// The text that goes out: the text, then any hashtag the text does not already carry.
    pub fn rendered_text(&self) -> String {
        let mut text = self.text.clone();
        let missing: Vec<String> = self
            .hashtags
            .iter()
            .map(|tag| format!("#{}", tag.trim_start_matches('#')))
            .filter(|tag| !text.split_whitespace().any(|word| word.eq_ignore_ascii_case(tag)))
            .collect();
        if !missing.is_empty() {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&missing.join(" "));
        }
        text
    }
}

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$(Self::$variant),*];
            pub fn as_str(&self) -> &'static str {
                match self { $(Self::$variant => $text),* }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok(Self::$variant),)*
                    other => Err(format!("unknown {}: {other}", stringify!($name))),
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                value.parse()
            }
        }
    };
}

string_enum!(
    /// The state of a post as a whole.
    PostStatus {
        Draft => "draft",
        PendingApproval => "pending_approval",
        Scheduled => "scheduled",
        Publishing => "publishing",
        Published => "published",
        PartiallyPublished => "partially_published",
        Failed => "failed",
        Cancelled => "cancelled",
    }
);

string_enum!(
    /// The state of one target (one account).
    TargetStatus {
        Draft => "draft",
        Scheduled => "scheduled",
        Publishing => "publishing",
        Published => "published",
        Failed => "failed",
        Cancelled => "cancelled",
    }
);

impl PostStatus {
    /// Whether people may still change the post (its content, targets or time).
    pub fn is_editable(&self) -> bool {
        matches!(self, Self::Draft | Self::PendingApproval | Self::Scheduled | Self::Failed | Self::Cancelled)
    }

    /// The post's state once a publish run has moved its targets: published when all are,
    /// partially published when some are and the rest have failed, publishing while any is still on its way.
    pub fn from_targets(targets: &[TargetStatus]) -> PostStatus {
        let count = |s: TargetStatus| targets.iter().filter(|t| **t == s).count();
        let (published, failed, in_flight) = (count(TargetStatus::Published), count(TargetStatus::Failed), count(TargetStatus::Publishing));
        if in_flight > 0 {
            PostStatus::Publishing
        } else if published == targets.len() && published > 0 {
            PostStatus::Published
        } else if published > 0 {
            PostStatus::PartiallyPublished
        } else if failed > 0 {
            PostStatus::Failed
        } else if count(TargetStatus::Scheduled) > 0 {
            PostStatus::Scheduled
        } else if count(TargetStatus::Cancelled) == targets.len() && !targets.is_empty() {
            PostStatus::Cancelled
        } else {
            PostStatus::Draft
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use TargetStatus as T;

    #[test]
    fn post_status_follows_its_targets() {
        let cases: &[(&[TargetStatus], PostStatus)] = &[
            (&[T::Published, T::Published], PostStatus::Published),
            (&[T::Published, T::Failed], PostStatus::PartiallyPublished),
            (&[T::Failed, T::Failed], PostStatus::Failed),
            (&[T::Published, T::Publishing], PostStatus::Publishing),
            (&[T::Scheduled, T::Failed], PostStatus::Failed),
            (&[T::Scheduled], PostStatus::Scheduled),
            (&[T::Cancelled], PostStatus::Cancelled),
            (&[T::Draft], PostStatus::Draft),
        ];
        for (targets, expected) in cases {
            assert_eq!(PostStatus::from_targets(targets), *expected, "{targets:?}");
        }
    }

    #[test]
    fn statuses_round_trip_through_text() {
        for s in PostStatus::ALL {
            assert_eq!(s.as_str().parse::<PostStatus>().unwrap(), *s);
            assert_eq!(serde_json::to_value(s).unwrap(), serde_json::json!(s.as_str()));
        }
        assert!("stuck".parse::<PostStatus>().is_err());
    }

    #[test]
    fn overrides_replace_only_what_they_name_and_hashtags_are_appended_once() {
        let content = PostContent { text: "Launch day #rust".into(), hashtags: vec!["rust".into(), "#tokio".into()], ..Default::default() };
        let o = ContentOverride { title: Some("Launch".into()), ..Default::default() };
        let target = content.for_target(Some(&o));
        assert_eq!(target.title.as_deref(), Some("Launch"));
        assert_eq!(target.rendered_text(), "Launch day #rust\n\n#tokio");
    }
}

//! Newtype identifiers. Every id is a UUIDv7 (time-ordered, so ids sort by creation and keep
//! B-tree inserts local) stored as its canonical text form on both database backends.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($($(#[$meta:meta])* $name:ident),* $(,)?) => {$(
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl From<Uuid> for $name {
            fn from(value: Uuid) -> Self {
                Self(value)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl TryFrom<String> for $name {
            type Error = uuid::Error;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                value.parse()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    UserId,
    WorkspaceId,
    /// A login session; all refresh tokens issued within one login share it (a token family).
    SessionId,
    InvitationId,
    ApiKeyId,
    AuditEntryId,
    MailId,
    EmailCodeId,
    /// A social account connected to a workspace.
    AccountId,
    PostId,
    /// One account a post goes to.
    TargetId,
    PostVersionId,
    JobId,
    /// One committed try at publishing a target (the publishing ledger).
    AttemptId,
    NotificationId,
    SandboxPostId,
    /// A file in a workspace's media library.
    MediaId,
    MediaFolderId,
    /// A resumable upload session.
    UploadId,
    /// An inbox conversation: a post's comments or a direct-message thread.
    ConversationId,
    /// One message of an inbox conversation.
    MessageId,
    /// One fetch of an account's figures.
    AccountMetricsId,
);

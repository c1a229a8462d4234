//! TikTok's envelope, `{"data":…,"error":{"code","message","log_id"}}`, where `code` is `ok` on
//! success and a readable string otherwise — sometimes with HTTP 200 (`spam_risk_too_many_posts`
//! comes back that way), so the code is read before the status.
//! <https://developers.tiktok.com/doc/tiktok-api-v2-error-handling>

use reqwest::{StatusCode, header::HeaderMap};
use serde::Deserialize;
use zenalto_domain::{Timestamp, publishing::Network};

use crate::{PublishError, http};

#[derive(Clone, Debug, Default, Deserialize)]
pub(super) struct ApiError {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub log_id: String,
}

/// What a TikTok error code means for the queue. `scope` is the permission the endpoint needs,
/// named when TikTok says it is missing.
pub(super) fn classify(status: StatusCode, headers: &HeaderMap, error: &ApiError, scope: &str, now: Timestamp) -> PublishError {
    let detail = if error.log_id.is_empty() { error.message.clone() } else { format!("{} (log id {})", error.message, error.log_id) };
    let permanent = |what: &str| PublishError::Permanent { message: format!("TikTok refused the post: {what} ({detail})") };
    match error.code.as_str() {
        "access_token_invalid" => PublishError::Reconnect { message: format!("TikTok no longer accepts this account's access: connect it again ({detail})") },
        "scope_not_authorized" | "scope_permission_missed" => PublishError::Reconnect {
            message: format!("TikTok needs the {scope} permission, which this connection lacks: connect the account again and allow it ({detail})"),
        },
        "rate_limit_exceeded" => PublishError::RateLimited {
            message: format!("TikTok rate limit reached ({detail})"),
            reset_at: http::rate_limit_reset(headers, now).or(Some(now.plus_seconds(60))),
        },
        "spam_risk_too_many_posts" => permanent("the account reached TikTok's daily limit of posts through apps; post again tomorrow"),
        "spam_risk_too_many_pending_share" => permanent("too many posts of this account are still waiting for TikTok's review"),
        "spam_risk_user_banned_from_posting" => permanent("TikTok does not let this account post right now"),
        "reached_active_user_cap" => permanent("Zenalto's TikTok app reached its daily number of posting creators"),
        "unaudited_client_can_only_post_to_private_accounts" => {
            permanent("Zenalto's TikTok app is not audited yet, so it may only post to private accounts with SELF_ONLY visibility")
        }
        "url_ownership_unverified" => permanent(
            "the media address is on a domain not verified for Zenalto's TikTok app; verify server.public_url's domain in the TikTok developer portal",
        ),
        "privacy_level_option_mismatch" => permanent("the visibility asked for is not one this creator may use"),
        "invalid_file_upload" => permanent("the file does not meet TikTok's specifications"),
        "invalid_params" => permanent("the request was malformed"),
        "internal_error" => PublishError::Transient { message: format!("TikTok had an internal error ({detail})"), retry_after_secs: None },
        _ => http::classify(Network::TikTok, status, headers, &format!("{}: {detail}", error.code), now),
    }
}

/// The outcome a `FAILED` publish reports in `fail_reason`.
pub(super) fn failed(reason: &str) -> PublishError {
    let message = match reason {
        // Nothing was published: another attempt is safe.
        "internal" | "video_pull_failed" | "photo_pull_failed" => {
            return PublishError::Transient { message: format!("TikTok could not finish the post ({reason}); it was not published"), retry_after_secs: None };
        }
        "file_format_check_failed" => "TikTok cannot read the file's format".to_owned(),
        "duration_check_failed" => "the video is longer or shorter than TikTok allows for this creator".to_owned(),
        "frame_rate_check_failed" => "the video's frame rate is not one TikTok accepts".to_owned(),
        "picture_size_check_failed" => "the picture's size is not one TikTok accepts".to_owned(),
        "publish_cancelled" => "the post was cancelled".to_owned(),
        "auth_removed" => return PublishError::Reconnect { message: "the creator removed Zenalto's access to TikTok: connect the account again".into() },
        "spam_risk_too_many_posts" => "the account reached TikTok's daily limit of posts through apps".to_owned(),
        "spam_risk_user_banned_from_posting" | "spam_risk" => "TikTok does not let this account post right now".to_owned(),
        other => format!("TikTok did not publish the post ({other})"),
    };
    PublishError::Permanent { message: format!("{message} [{reason}]") }
}

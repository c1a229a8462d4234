//! The resumable upload protocol
//! (<https://developers.google.com/youtube/v3/guides/using_resumable_upload_protocol>): a POST
//! with the video's metadata opens a session (its URI comes back in `Location`), the bytes go up
//! in PUTs of multiples of 256 KiB with `Content-Range`, each answered by `308 Resume Incomplete`
//! and a `Range` of what arrived, the last by the video resource. After an interrupted chunk the
//! adapter asks the session what it has (`Content-Range: bytes */TOTAL`) and goes on from there;
//! a final chunk whose answer was lost is found complete the same way, so it is never uploaded
//! twice.

use reqwest::{StatusCode, header};
use serde_json::Value;
use zenalto_domain::publishing::Network;

use super::{YouTubeConnector, errors, wire::Video};
use crate::{MediaAttachment, PublishError, http};

/// Chunks are multiples of this (the protocol's rule for every chunk but the last).
pub(super) const CHUNK_UNIT: usize = 256 * 1024;
/// Times the adapter asks the session where it stands after a failed chunk before giving up.
const MAX_RECOVERIES: u32 = 3;

enum Progress {
    Done(Video),
    /// The next byte the session expects.
    Next(usize),
}

impl YouTubeConnector {
    /// Opens an upload session for `metadata` (a `video` resource) and returns its URI.
    pub(super) async fn open_session(&self, token: &str, metadata: &Value, media: &MediaAttachment) -> Result<String, PublishError> {
        let url = format!("{}/videos?uploadType=resumable&part=snippet,status", self.upload);
        let mime = if media.mime.starts_with("video/") { media.mime.as_str() } else { "application/octet-stream" };
        let request =
            self.http.post(url).bearer_auth(token).header("X-Upload-Content-Length", media.bytes.len()).header("X-Upload-Content-Type", mime).json(metadata);
        let response = self.call(request).await?;
        response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_owned).ok_or_else(|| PublishError::Transient {
            message: "YouTube opened an upload session without saying where to send the video".into(),
            retry_after_secs: None,
        })
    }

    /// Sends the bytes to the session, resuming after interruptions.
    pub(super) async fn upload(&self, token: &str, session: &str, media: &MediaAttachment) -> Result<Video, PublishError> {
        let bytes = &media.bytes;
        let total = bytes.len();
        let mut offset = 0;
        let mut recoveries = 0;
        loop {
            let end = (offset + self.chunk_size).min(total);
            let chunk = bytes.slice(offset..end);
            let request = self
                .http
                .put(session)
                .bearer_auth(token)
                .header(header::CONTENT_TYPE, media.mime.as_str())
                .header(header::CONTENT_RANGE, format!("bytes {offset}-{}/{total}", end - 1))
                .body(chunk);
            match self.progress(request).await {
                Ok(Progress::Done(video)) => return Ok(video),
                Ok(Progress::Next(next)) => offset = next,
                Err(error @ (PublishError::Unknown { .. } | PublishError::Transient { .. })) if recoveries < MAX_RECOVERIES => {
                    recoveries += 1;
                    tracing::warn!(network = "youtube", offset, error = %error, "a chunk of the upload failed; asking the session what it has");
                    let query =
                        self.http.put(session).bearer_auth(token).header(header::CONTENT_RANGE, format!("bytes */{total}")).header(header::CONTENT_LENGTH, 0);
                    match self.progress(query).await? {
                        Progress::Done(video) => return Ok(video),
                        Progress::Next(next) => offset = next,
                    }
                }
                Err(error) => return Err(error),
            }
            if offset >= total {
                // The session claims everything arrived but did not answer with the video:
                // ask once more instead of sending nothing.
                let query =
                    self.http.put(session).bearer_auth(token).header(header::CONTENT_RANGE, format!("bytes */{total}")).header(header::CONTENT_LENGTH, 0);
                return match self.progress(query).await? {
                    Progress::Done(video) => Ok(video),
                    Progress::Next(_) => Err(PublishError::Transient {
                        message: "YouTube received the whole video but did not finish the upload".into(),
                        retry_after_secs: None,
                    }),
                };
            }
        }
    }

    async fn progress(&self, request: reqwest::RequestBuilder) -> Result<Progress, PublishError> {
        let response = http::send(Network::YouTube, request).await?;
        let status = response.status();
        if status == StatusCode::PERMANENT_REDIRECT {
            // `Range: bytes=0-N` (absent when nothing arrived yet).
            let next = response
                .headers()
                .get(header::RANGE)
                .and_then(|v| v.to_str().ok())
                .and_then(|range| range.rsplit('-').next())
                .and_then(|last| last.trim().parse::<usize>().ok())
                .map_or(0, |last| last + 1);
            return Ok(Progress::Next(next));
        }
        if status.is_success() {
            return http::json(Network::YouTube, response).await.map(Progress::Done);
        }
        if status == StatusCode::NOT_FOUND || status == StatusCode::GONE {
            // The session expired: nothing was created, a new attempt starts over.
            return Err(PublishError::Transient { message: "YouTube's upload session expired before the video was complete".into(), retry_after_secs: None });
        }
        Err(errors::from_response(response).await)
    }
}

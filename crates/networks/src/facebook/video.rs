//! Videos on a Page through the resumable upload of `/{page-id}/videos` on
//! `graph-video.facebook.com` (<https://developers.facebook.com/docs/video-api/guides/publishing>):
//! `upload_phase=start` with the size, `transfer` of each chunk Meta asks for (its
//! `start_offset`/`end_offset`), `finish` with the description, then status checks until the
//! video is ready.

use reqwest::multipart::{Form, Part};
use serde::Deserialize;
use serde_json::Value;

use super::FacebookConnector;
use crate::{
    MediaAttachment, PublishError,
    meta::{
        graph::Success,
        poll::{self, Status},
    },
};

#[derive(Deserialize)]
struct Started {
    video_id: String,
    upload_session_id: String,
    start_offset: Value,
    end_offset: Value,
}

#[derive(Deserialize)]
struct Transferred {
    start_offset: Value,
    end_offset: Value,
}

#[derive(Deserialize)]
struct VideoStatus {
    #[serde(default)]
    status: Option<StatusField>,
}

#[derive(Deserialize)]
struct StatusField {
    #[serde(default)]
    video_status: Option<String>,
}

/// Meta sends offsets as strings ("0", "1048576"); accept numbers too.
fn offset(value: &Value) -> Option<usize> {
    match value {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64().and_then(|n| usize::try_from(n).ok()),
        _ => None,
    }
}

fn bad_offsets() -> PublishError {
    PublishError::Transient {
        message: "Facebook asked for an impossible part of the video; the upload starts again"
            .into(),
        retry_after_secs: None,
    }
}

impl FacebookConnector {
    /// Uploads and publishes the video; its id is the post id.
    pub(super) async fn upload_video(
        &self,
        token: &str,
        page: &str,
        video: &MediaAttachment,
        description: &str,
        title: Option<&str>,
    ) -> Result<String, PublishError> {
        let url = format!("{}/{}/{page}/videos", self.video_base, self.graph.version);
        let size = video.bytes.len().to_string();
        let started: Started = self
            .graph
            .call(
                self.graph
                    .http
                    .post(&url)
                    .bearer_auth(token)
                    .form(&[("upload_phase", "start"), ("file_size", size.as_str())]),
            )
            .await?;
        let (mut start, mut end) = (
            offset(&started.start_offset).ok_or_else(bad_offsets)?,
            offset(&started.end_offset).ok_or_else(bad_offsets)?,
        );
        // Each answer moves the window forward; a window that does not move or leaves the file is refused.
        while start < video.bytes.len() {
            if end <= start || end > video.bytes.len() {
                return Err(bad_offsets());
            }
            let chunk = Part::bytes(video.bytes.slice(start..end).to_vec())
                .file_name(video.file_name.clone());
            let form = Form::new()
                .text("upload_phase", "transfer")
                .text("upload_session_id", started.upload_session_id.clone())
                .text("start_offset", start.to_string())
                .part("video_file_chunk", chunk);
            let moved: Transferred = self.graph.post_multipart(token, url.clone(), form).await?;
            let (next_start, next_end) = (
                offset(&moved.start_offset).ok_or_else(bad_offsets)?,
                offset(&moved.end_offset).ok_or_else(bad_offsets)?,
            );
            if next_start <= start {
                return Err(bad_offsets());
            }
            (start, end) = (next_start, next_end);
        }
        let mut finish = vec![
            ("upload_phase", "finish"),
            ("upload_session_id", started.upload_session_id.as_str()),
            ("description", description),
        ];
        if let Some(title) = title.filter(|t| !t.trim().is_empty()) {
            finish.push(("title", title));
        }
        let done: Success = self
            .graph
            .call(self.graph.http.post(&url).bearer_auth(token).form(&finish))
            .await?;
        if !done.success {
            return Err(PublishError::Transient {
                message: "Facebook did not confirm the end of the video upload".into(),
                retry_after_secs: None,
            });
        }
        self.wait_for_video(token, &started.video_id).await?;
        Ok(started.video_id)
    }

    /// After `finish` the video is posted and appears once processed. Only a processing error
    /// fails the publish; anything else (still processing after the checks, a failed check) is
    /// logged and the post counts as made: retrying would upload it twice.
    async fn wait_for_video(&self, token: &str, video_id: &str) -> Result<(), PublishError> {
        let check = || async {
            let answer: VideoStatus = self
                .graph
                .get(token, video_id, &[("fields", "status")])
                .await?;
            let status = answer
                .status
                .and_then(|s| s.video_status)
                .unwrap_or_default();
            Ok(match status.as_str() {
                "ready" => Status::Ready,
                "error" => Status::Failed("the video could not be processed".into()),
                "expired" => Status::Failed("the upload expired".into()),
                _ => Status::Pending,
            })
        };
        match poll::until_ready(self.graph.network, self.polling, "video", check).await {
            Ok(()) => Ok(()),
            Err(failed @ PublishError::Permanent { .. }) => Err(failed),
            Err(other) => {
                tracing::warn!(network = "facebook", video = %video_id, error = %other, "the video is uploaded but not ready yet; Facebook publishes it when processing ends");
                Ok(())
            }
        }
    }
}

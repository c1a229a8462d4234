//! Derivatives of videos and animated GIFs for a network whose limits they miss: cropped into
//! its aspect range and scaled into its frame limits by ffmpeg; a video re-encoded as H.264/AAC
//! MP4 at a bitrate that fits its size limit, a GIF redrawn smaller until it does. A video
//! longer or shorter than the network allows is refused: cutting it would change the post.

use bytes::Bytes;
use zenalto_domain::publishing::{KindRules, MediaKind, Network};
use zenalto_domain::WorkspaceId;
use zenalto_media::transcode::{self, Reshape};
use zenalto_media::video;
use zenalto_store::repo::media::{AssetRow, DerivativeRow};

use super::{asset_prefix, ingest::storage_error, parse_kind};
use crate::{Result, ServiceError, Services};

/// Smaller GIFs tried, each this much smaller than the last, before giving up on a size limit.
const GIF_TRIES: [f64; 4] = [1.0, 0.75, 0.55, 0.4];

impl Services {
    pub(super) async fn moving_derivative(&self, workspace: WorkspaceId, row: &AssetRow, network: Network, rules: &KindRules) -> Result<DerivativeRow> {
        let kind = parse_kind(&row.kind).ok_or_else(|| ServiceError::internal("stored media kind is invalid"))?;
        let (Some(width), Some(height)) = (row.width.and_then(|w| u32::try_from(w).ok()), row.height.and_then(|h| u32::try_from(h).ok())) else {
            return Err(ServiceError::UnsupportedMedia(format!(
                "this {}'s frame size is unknown (ffprobe could not read it), so it cannot be fitted to {}",
                kind.noun(),
                network.label()
            )));
        };
        let duration = row.duration_ms.and_then(|d| u64::try_from(d).ok());
        if let (Some(bounds), Some(ms)) = (&rules.duration_ms, duration)
            && (bounds.value.min.is_some_and(|min| ms < min) || bounds.value.max.is_some_and(|max| ms > max))
        {
            return Err(ServiceError::UnsupportedMedia(format!(
                "this video lasts {:.1} s, outside what {} takes; trim it and upload that version",
                ms as f64 / 1000.0,
                network.label()
            )));
        }
        let dir = tempfile::tempdir().map_err(ServiceError::internal)?;
        let input = dir.path().join("original");
        let original = self.media.get(&row.storage_key).await.map_err(storage_error)?;
        tokio::fs::write(&input, &original).await.map_err(ServiceError::internal)?;
        let shape = transcode::reshape(rules, width, height);
        let limit = rules.max_bytes.as_ref().map(|m| m.value);
        let ffmpeg = &self.settings.media.ffmpeg;
        let unsupported = |e: transcode::TranscodeError| ServiceError::UnsupportedMedia(e.to_string());
        let (output, mime, made) = if kind == MediaKind::Video {
            let output = dir.path().join("derivative.mp4");
            transcode::transcode_video(ffmpeg, &input, &output, &shape, transcode::video_bitrate(limit, duration)).await.map_err(unsupported)?;
            (output, "video/mp4", shape)
        } else {
            let output = dir.path().join("derivative.gif");
            let mut made = None;
            for factor in GIF_TRIES {
                let smaller: Reshape = shape.smaller(factor);
                transcode::resize_gif(ffmpeg, &input, &output, &smaller).await.map_err(unsupported)?;
                let size = tokio::fs::metadata(&output).await.map_err(ServiceError::internal)?.len();
                if limit.is_none_or(|max| size <= max) {
                    made = Some(smaller);
                    break;
                }
            }
            let made = made.ok_or_else(|| {
                ServiceError::UnsupportedMedia(format!("this GIF cannot be brought under {}'s limit of {} bytes; shorten it", network.label(), limit.unwrap_or_default()))
            })?;
            (output, "image/gif", made)
        };
        let bytes = tokio::fs::read(&output).await.map_err(ServiceError::internal)?;
        if limit.is_some_and(|max| bytes.len() as u64 > max) {
            return Err(ServiceError::UnsupportedMedia(format!("this video cannot be brought under {}'s size limit; shorten it", network.label())));
        }
        // The encoder decides the final frame size to the pixel; ask rather than assume.
        let probed = video::probe_video(&self.settings.media.ffprobe, &output).await;
        let (w, h) = (probed.width.unwrap_or(made.width), probed.height.unwrap_or(made.height));
        let ext = if mime == "video/mp4" { "mp4" } else { "gif" };
        let key = format!("{}network-{network}.{ext}", asset_prefix(&workspace.to_string(), &row.id.to_string()));
        let size = i64::try_from(bytes.len()).map_err(ServiceError::internal)?;
        self.media.put(&key, Bytes::from(bytes)).await.map_err(storage_error)?;
        Ok(DerivativeRow { variant: format!("network:{network}"), storage_key: key, mime: mime.to_owned(), bytes: size, width: i64::from(w), height: i64::from(h) })
    }
}

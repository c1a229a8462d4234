//! Per-network derivatives of videos and animated GIFs, made by ffmpeg (Debian's package): a
//! centred crop into the network's aspect range, a scale into its frame limits, and for videos
//! H.264/AAC in MP4 at a bitrate that keeps the file under the size limit; for GIFs a new
//! palette at the smaller size. Length is never cut: a video too long for a network is refused
//! by the caller, since dropping its end would change what the author posts.

use std::path::Path;
use std::time::Duration;

use tokio::process::Command;
use zenalto_domain::publishing::KindRules;

use crate::derive::{crop_for, fit_scale};

/// A transcode may take a while on two cores; longer than this is a fault.
const TRANSCODE_TIMEOUT: Duration = Duration::from_secs(600);
/// Audio kept in a video derivative, bits per second.
const AUDIO_BITRATE: u64 = 128_000;
/// No derivative is encoded above this, whatever the size limit allows.
const MAX_VIDEO_BITRATE: u64 = 8_000_000;

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TranscodeError(pub String);

/// What to do to each frame: an optional centred crop `(x, y, width, height)`, then a scale to
/// `width × height`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reshape {
    pub crop: Option<(u32, u32, u32, u32)>,
    pub width: u32,
    pub height: u32,
}

impl Reshape {
    fn filter(&self) -> String {
        let crop = self.crop.map(|(x, y, w, h)| format!("crop={w}:{h}:{x}:{y},")).unwrap_or_default();
        format!("{crop}scale={}:{}:flags=lanczos", self.width, self.height)
    }

    /// The same, `factor` smaller (for another try under a size limit).
    pub fn smaller(&self, factor: f64) -> Reshape {
        Reshape { width: even((f64::from(self.width) * factor) as u32), height: even((f64::from(self.height) * factor) as u32), ..*self }
    }
}

/// Rounds down to an even number of at least 2: H.264 in 4:2:0 needs even frame sizes.
fn even(n: u32) -> u32 {
    (n & !1).max(2)
}

/// The crop and output size for frames of `width × height` under `rules`.
pub fn reshape(rules: &KindRules, width: u32, height: u32) -> Reshape {
    let crop = rules.aspect_ratio.as_ref().and_then(|range| crop_for(&range.value, width, height));
    let (w, h) = crop.map_or((width, height), |(_, _, w, h)| (w, h));
    let scale = fit_scale(rules, w, h).min(1.0);
    Reshape { crop, width: even((f64::from(w) * scale).floor() as u32), height: even((f64::from(h) * scale).floor() as u32) }
}

/// The video bitrate that keeps `duration_ms` of video plus audio under `max_bytes` with a 10 %
/// margin for the container, capped at 8 Mb/s; `None` without a limit (quality-based encoding).
pub fn video_bitrate(max_bytes: Option<u64>, duration_ms: Option<u64>) -> Option<u64> {
    let (max, ms) = (max_bytes?, duration_ms.filter(|ms| *ms > 0)?);
    let total = (max as f64 * 8.0 * 0.9) / (ms as f64 / 1000.0);
    Some((total as u64).saturating_sub(AUDIO_BITRATE).clamp(100_000, MAX_VIDEO_BITRATE))
}

/// Encodes `input` to an MP4 (H.264, AAC if there is sound) at `output`.
pub async fn transcode_video(ffmpeg: &str, input: &Path, output: &Path, shape: &Reshape, bitrate: Option<u64>) -> Result<(), TranscodeError> {
    let mut command = Command::new(ffmpeg);
    command.args(["-v", "error", "-y", "-i"]).arg(input);
    command.args(["-map", "0:v:0", "-map", "0:a:0?", "-vf", &shape.filter(), "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"]);
    match bitrate {
        Some(rate) => command.args(["-b:v", &rate.to_string(), "-maxrate", &rate.to_string(), "-bufsize", &(rate * 2).to_string()]),
        None => command.args(["-crf", "23", "-maxrate", &MAX_VIDEO_BITRATE.to_string(), "-bufsize", &(MAX_VIDEO_BITRATE * 2).to_string()]),
    };
    command.args(["-c:a", "aac", "-b:a", &AUDIO_BITRATE.to_string(), "-movflags", "+faststart", "-f", "mp4"]).arg(output);
    run(ffmpeg, command).await
}

/// Redraws an animated GIF at `shape`, with a palette made for the new frames.
pub async fn resize_gif(ffmpeg: &str, input: &Path, output: &Path, shape: &Reshape) -> Result<(), TranscodeError> {
    let filter = format!("{},split[a][b];[a]palettegen[p];[b][p]paletteuse", shape.filter());
    let mut command = Command::new(ffmpeg);
    command.args(["-v", "error", "-y", "-i"]).arg(input).args(["-vf", &filter, "-f", "gif"]).arg(output);
    run(ffmpeg, command).await
}

async fn run(ffmpeg: &str, mut command: Command) -> Result<(), TranscodeError> {
    command.kill_on_drop(true);
    let output = match tokio::time::timeout(TRANSCODE_TIMEOUT, command.output()).await {
        Err(_) => return Err(TranscodeError(format!("{ffmpeg} did not finish within {} s", TRANSCODE_TIMEOUT.as_secs()))),
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(TranscodeError(format!("{ffmpeg} is not installed on this server, so videos and GIFs cannot be converted (install Debian's ffmpeg package)")));
        }
        Ok(Err(e)) => return Err(TranscodeError(format!("{ffmpeg} could not run: {e}"))),
        Ok(Ok(output)) => output,
    };
    if !output.status.success() {
        return Err(TranscodeError(format!("ffmpeg could not convert the file: {}", String::from_utf8_lossy(&output.stderr).trim())));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use zenalto_domain::publishing::{AspectRange, Bounds, Fact, MediaKind, Ratio};

    fn x_video() -> KindRules {
        KindRules {
            width: Some(Fact::official(Bounds::between(32, 1280), "")),
            height: Some(Fact::official(Bounds::between(32, 1024), "")),
            aspect_ratio: Some(Fact::official(AspectRange::new(Ratio::new(1, 3), Ratio::new(3, 1)), "")),
            ..KindRules::new(MediaKind::Video)
        }
    }

    #[test]
    fn scales_into_the_frame_limits_with_even_sizes() {
        assert_eq!(reshape(&x_video(), 1920, 1080), Reshape { crop: None, width: 1280, height: 720 });
        // 4:1 is cropped to 3:1 first (height kept), then scaled under 1280 wide.
        let shape = reshape(&x_video(), 2000, 500);
        assert_eq!(shape.crop, Some((250, 0, 1500, 500)));
        assert_eq!((shape.width, shape.height), (1280, 426));
        assert_eq!(reshape(&x_video(), 641, 361), Reshape { crop: None, width: 640, height: 360 });
    }

    #[test]
    fn bitrate_keeps_the_file_under_the_limit() {
        // 10 s under 5 MB: 5 MB × 8 × 0.9 / 10 s = 3.6 Mb/s, minus the audio.
        assert_eq!(video_bitrate(Some(5_000_000), Some(10_000)), Some(3_600_000 - AUDIO_BITRATE));
        assert_eq!(video_bitrate(Some(1_000_000_000), Some(10_000)), Some(MAX_VIDEO_BITRATE));
        assert_eq!(video_bitrate(None, Some(10_000)), None);
    }
}

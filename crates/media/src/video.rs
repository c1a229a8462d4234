//! Videos: duration, codec and frame size through `ffprobe`, and a poster thumbnail through
//! `ffmpeg` (Debian's `ffmpeg` package). Where the tools are missing the video is still stored,
//! and the asset carries a message saying what could not be measured and why.

use std::{path::Path, time::Duration};

use serde::Deserialize;
use tokio::process::Command;

/// A tool that does not answer within this time is treated as failed.
const TOOL_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VideoProbe {
    pub duration_ms: Option<u64>,
    pub codec: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// Set when the video could not be measured (tool missing or failing), for people.
    pub capability: Option<String>,
}

#[derive(Deserialize)]
struct Output {
    #[serde(default)]
    streams: Vec<Stream>,
    format: Option<Format>,
}

#[derive(Deserialize)]
struct Stream {
    codec_type: Option<String>,
    codec_name: Option<String>,
    width: Option<u32>,
    height: Option<u32>,
    duration: Option<String>,
}

#[derive(Deserialize)]
struct Format {
    duration: Option<String>,
}

fn missing(tool: &str, e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::NotFound {
        format!("{tool} is not installed on this server, so the video's duration, codec and frame size are unknown (install Debian's ffmpeg package)")
    } else {
        format!("{tool} could not run: {e}")
    }
}

/// Runs `ffprobe` on `file`.
pub async fn probe_video(ffprobe: &str, file: &Path) -> VideoProbe {
    let mut command = Command::new(ffprobe);
    command.args(["-v", "error", "-print_format", "json", "-show_format", "-show_streams"]).arg(file).kill_on_drop(true);
    let output = match tokio::time::timeout(TOOL_TIMEOUT, command.output()).await {
        Err(_) => return VideoProbe { capability: Some(format!("{ffprobe} did not answer within {} s", TOOL_TIMEOUT.as_secs())), ..Default::default() },
        Ok(Err(e)) => return VideoProbe { capability: Some(missing(ffprobe, &e)), ..Default::default() },
        Ok(Ok(output)) => output,
    };
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        return VideoProbe { capability: Some(format!("ffprobe could not read the video: {}", err.trim())), ..Default::default() };
    }
    match serde_json::from_slice::<Output>(&output.stdout) {
        Ok(parsed) => facts(parsed),
        Err(e) => VideoProbe { capability: Some(format!("ffprobe answered something unexpected: {e}")), ..Default::default() },
    }
}

fn facts(output: Output) -> VideoProbe {
    let video = output.streams.iter().find(|s| s.codec_type.as_deref() == Some("video"));
    let seconds = output.format.and_then(|f| f.duration).or_else(|| video.and_then(|v| v.duration.clone()));
    let duration_ms = seconds.and_then(|s| s.trim().parse::<f64>().ok()).filter(|s| s.is_finite() && *s >= 0.0).map(|s| (s * 1000.0).round() as u64);
    VideoProbe {
        duration_ms,
        codec: video.and_then(|v| v.codec_name.clone()),
        width: video.and_then(|v| v.width),
        height: video.and_then(|v| v.height),
        capability: if video.is_none() { Some("ffprobe found no video stream".into()) } else { None },
    }
}

/// A JPEG poster frame no larger than `side` on its longest side, or `None` when ffmpeg is
/// missing or fails (the asset simply has no thumbnail then).
pub async fn poster(ffmpeg: &str, file: &Path, side: u32) -> Option<Vec<u8>> {
    let scale = format!("scale='min({side},iw)':'min({side},ih)':force_original_aspect_ratio=decrease");
    let mut command = Command::new(ffmpeg);
    command
        .args(["-v", "error", "-i"])
        .arg(file)
        .args(["-frames:v", "1", "-vf", &scale, "-f", "image2", "-c:v", "mjpeg", "pipe:1"])
        .kill_on_drop(true);
    let output = tokio::time::timeout(TOOL_TIMEOUT, command.output()).await.ok()?.ok()?;
    (output.status.success() && !output.stdout.is_empty()).then_some(output.stdout)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_ffprobe_json() {
        let json = r#"{"streams":[{"codec_type":"audio","codec_name":"aac"},{"codec_type":"video","codec_name":"h264","width":640,"height":360}],"format":{"duration":"2.500000"}}"#;
        let probe = facts(serde_json::from_str(json).unwrap());
        assert_eq!(probe, VideoProbe { duration_ms: Some(2500), codec: Some("h264".into()), width: Some(640), height: Some(360), capability: None });
    }

    #[tokio::test]
    async fn a_missing_tool_is_reported_plainly() {
        let probe = probe_video("/nonexistent/ffprobe", Path::new("x.mp4")).await;
        assert!(probe.capability.unwrap().contains("not installed"));
    }
}

//! What a file is, from its first bytes (magic numbers), never from its name or the type the
//! client claims: an `.exe` renamed `.png` is still an executable and is refused.

use zenalto_domain::publishing::MediaKind;

/// Bytes enough for every signature the library accepts (MP4's `ftyp` box sits at offset 4).
pub const HEAD_BYTES: usize = 8192;

/// An accepted file type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sniffed {
    pub mime: &'static str,
    pub kind: MediaKind,
    /// The file extension used for stored objects.
    pub ext: &'static str,
}

/// What the bytes are, when the library accepts them; otherwise the type they were recognised
/// as (or `None` when unrecognised), for the refusal message.
pub fn sniff(head: &[u8]) -> Result<Sniffed, Option<&'static str>> {
    let found = infer::get(head);
    let sniffed = match found.map(|t| t.mime_type()) {
        Some("image/jpeg") => Sniffed { mime: "image/jpeg", kind: MediaKind::Image, ext: "jpg" },
        Some("image/png") => Sniffed { mime: "image/png", kind: MediaKind::Image, ext: "png" },
        Some("image/webp") => Sniffed { mime: "image/webp", kind: MediaKind::Image, ext: "webp" },
        Some("image/gif") => Sniffed { mime: "image/gif", kind: MediaKind::Gif, ext: "gif" },
        Some("video/mp4") | Some("video/x-m4v") => Sniffed { mime: "video/mp4", kind: MediaKind::Video, ext: "mp4" },
        Some("video/quicktime") => Sniffed { mime: "video/quicktime", kind: MediaKind::Video, ext: "mov" },
        Some("video/webm") => Sniffed { mime: "video/webm", kind: MediaKind::Video, ext: "webm" },
        other => return Err(other),
    };
    Ok(sniffed)
}

/// The types [`sniff`] accepts, for messages and documentation.
pub const ACCEPTED: &[&str] = &["image/jpeg", "image/png", "image/webp", "image/gif", "video/mp4", "video/quicktime", "video/webm"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_decide_not_names() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").map(|s| s.mime), Ok("image/png"));
        assert_eq!(sniff(b"GIF89a\x01\0\x01\0").map(|s| s.kind), Ok(MediaKind::Gif));
        // A Windows executable's "MZ" header, whatever the file is called.
        assert!(sniff(b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0").is_err_and(|found| found.is_some()));
        assert_eq!(sniff(b"just some text"), Err(None));
    }
}

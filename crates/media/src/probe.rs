//! Images: dimensions, EXIF orientation applied and metadata (location) stripped, dominant
//! colours and a thumbnail. CPU-bound: callers run it on a blocking thread.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, codecs::jpeg::JpegEncoder};

use crate::sniff::Sniffed;

/// Longest side of a thumbnail.
pub const THUMB_SIDE: u32 = 320;

#[derive(Debug, thiserror::Error)]
#[error("the image cannot be read: {0}")]
pub struct ProbeError(pub String);

impl From<image::ImageError> for ProbeError {
    fn from(e: image::ImageError) -> Self {
        ProbeError(e.to_string())
    }
}

/// What probing an image found, and what to store.
#[derive(Debug)]
pub struct ImageProbe {
    /// As displayed: after the EXIF orientation is applied.
    pub width: u32,
    pub height: u32,
    /// Up to five colours, most frequent first, as `#rrggbb`.
    pub colors: Vec<String>,
    /// The file re-encoded without its metadata (orientation applied), when it carried EXIF.
    /// `None`: the original bytes are stored as they are.
    pub cleaned: Option<Vec<u8>>,
    /// Whether the EXIF held a location (GPS) that cleaning removed.
    pub location_removed: bool,
    /// Whether a rotation or flip from EXIF was applied to the pixels.
    pub orientation_applied: bool,
    /// A JPEG no larger than [`THUMB_SIDE`] on its longest side.
    pub thumbnail: Vec<u8>,
}

pub(crate) fn format_of(mime: &str) -> Option<ImageFormat> {
    ImageFormat::from_mime_type(mime)
}

/// Decodes with the EXIF orientation applied; also returns the raw EXIF block, if any.
pub fn decode(bytes: &[u8], mime: &str) -> Result<(DynamicImage, Option<Vec<u8>>, bool), ProbeError> {
    let format = format_of(mime).ok_or_else(|| ProbeError(format!("{mime} is not an image format")))?;
    let mut decoder = ImageReader::with_format(Cursor::new(bytes), format).into_decoder()?;
    let orientation = decoder.orientation()?;
    let exif = decoder.exif_metadata()?;
    let mut image = DynamicImage::from_decoder(decoder)?;
    let rotated = orientation != image::metadata::Orientation::NoTransforms;
    image.apply_orientation(orientation);
    Ok((image, exif, rotated))
}

pub fn probe_image(bytes: &[u8], sniffed: &Sniffed) -> Result<ImageProbe, ProbeError> {
    let (image, exif, rotated) = decode(bytes, sniffed.mime)?;
    let location_removed = exif.as_deref().is_some_and(has_location);
    // An animated GIF would lose its frames if re-encoded; GIFs carry no EXIF anyway.
    let cleaned = match (&exif, sniffed.mime) {
        (Some(_), "image/jpeg" | "image/png" | "image/webp") => Some(encode(&image, sniffed.mime, 90)?),
        _ => None,
    };
    Ok(ImageProbe {
        width: image.width(),
        height: image.height(),
        colors: dominant_colors(&image, 5),
        cleaned,
        location_removed,
        orientation_applied: rotated,
        thumbnail: thumbnail(&image)?,
    })
}

/// Encodes in `mime`'s format (JPEG at `quality`; PNG and WebP lossless), with no metadata.
pub fn encode(image: &DynamicImage, mime: &str, quality: u8) -> Result<Vec<u8>, ProbeError> {
    let mut out = Vec::new();
    match mime {
        "image/jpeg" => image.to_rgb8().write_with_encoder(JpegEncoder::new_with_quality(&mut out, quality))?,
        "image/png" => image.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)?,
        "image/webp" => image.to_rgba8().write_to(&mut Cursor::new(&mut out), ImageFormat::WebP)?,
        "image/gif" => image.write_to(&mut Cursor::new(&mut out), ImageFormat::Gif)?,
        other => return Err(ProbeError(format!("cannot write {other}"))),
    }
    Ok(out)
}

pub fn thumbnail(image: &DynamicImage) -> Result<Vec<u8>, ProbeError> {
    encode(&image.thumbnail(THUMB_SIDE, THUMB_SIDE), "image/jpeg", 80)
}

/// Longest side of the picture shown to a vision model: enough to see what is in it, and
/// within every provider's size limits (Anthropic suggests at most about 1.15 megapixels).
pub const VISION_SIDE: u32 = 1024;

/// The picture a vision model is shown: the first frame, orientation applied, scaled down to
/// [`VISION_SIDE`], as JPEG.
pub fn vision_preview(bytes: &[u8], mime: &str) -> Result<Vec<u8>, ProbeError> {
    let (image, _, _) = decode(bytes, mime)?;
    let image = if image.width().max(image.height()) > VISION_SIDE { image.thumbnail(VISION_SIDE, VISION_SIDE) } else { image };
    encode(&image.into_rgb8().into(), "image/jpeg", 85)
}

/// Whether an EXIF block holds any GPS field.
fn has_location(exif: &[u8]) -> bool {
    exif::Reader::new().read_raw(exif.to_vec()).is_ok_and(|parsed| parsed.fields().any(|f| f.ifd_num == exif::In::PRIMARY && f.tag.context() == exif::Context::Gps))
}

/// The most frequent colours of a 64-pixel sample, on a 4-bit-per-channel grid (so shades of
/// one colour count together), each reported as the mean of its cell.
pub fn dominant_colors(image: &DynamicImage, n: usize) -> Vec<String> {
    let sample = image.thumbnail(64, 64).to_rgb8();
    let mut cells: std::collections::HashMap<u16, (u64, [u64; 3])> = std::collections::HashMap::new();
    for pixel in sample.pixels() {
        let [r, g, b] = pixel.0;
        let cell = (u16::from(r >> 4) << 8) | (u16::from(g >> 4) << 4) | u16::from(b >> 4);
        let entry = cells.entry(cell).or_insert((0, [0; 3]));
        entry.0 += 1;
        for (sum, value) in entry.1.iter_mut().zip([r, g, b]) {
            *sum += u64::from(value);
        }
    }
    let mut ranked: Vec<(u16, (u64, [u64; 3]))> = cells.into_iter().collect();
    ranked.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
    ranked
        .into_iter()
        .take(n)
        .map(|(_, (count, sums))| {
            let [r, g, b] = sums.map(|s| s / count.max(1));
            format!("#{r:02x}{g:02x}{b:02x}")
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};

    #[test]
    fn the_dominant_colour_comes_first() {
        let mut img = RgbImage::from_pixel(100, 100, Rgb([200, 20, 20]));
        for x in 0..30 {
            for y in 0..100 {
                img.put_pixel(x, y, Rgb([10, 10, 240]));
            }
        }
        let colors = dominant_colors(&DynamicImage::ImageRgb8(img), 5);
        assert_eq!(colors.len(), 2, "{colors:?}");
        assert!(colors[0].starts_with("#c"), "red is most of the picture: {colors:?}");
    }
}

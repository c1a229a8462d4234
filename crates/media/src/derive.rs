//! Per-network derivatives of an image: cropped (centred) into the network's aspect-ratio
//! range, scaled into its width, height and pixel limits, converted to a format it accepts, and
//! recompressed (then scaled down) until it fits its size limit. Pure and CPU-bound.

use image::{DynamicImage, imageops::FilterType};
use zenalto_domain::publishing::{AspectRange, KindRules};

use crate::probe::{ProbeError, decode, encode};

/// A derivative ready to store.
#[derive(Debug)]
pub struct Derived {
    pub bytes: Vec<u8>,
    pub mime: &'static str,
    pub width: u32,
    pub height: u32,
}

/// JPEG qualities tried in turn before the image is scaled down further.
const QUALITIES: [u8; 5] = [90, 80, 70, 60, 50];

/// The output format: the original's when the network takes it, else the first of JPEG, PNG,
/// WebP it takes (JPEG when it names none).
fn output_mime(original: &str, rules: &KindRules) -> &'static str {
    let accepts = |mime: &str| rules.mime_types.as_ref().is_none_or(|allowed| allowed.value.iter().any(|a| a == mime || a == "image/*"));
    let candidates: [&'static str; 3] = ["image/jpeg", "image/png", "image/webp"];
    if let Some(same) = candidates.iter().find(|m| **m == original && accepts(m)) {
        return same;
    }
    candidates.into_iter().find(|m| accepts(m)).unwrap_or("image/jpeg")
}

/// The largest centred crop of `width × height` inside `range`, or `None` when it already fits.
pub fn crop_for(range: &AspectRange, width: u32, height: u32) -> Option<(u32, u32, u32, u32)> {
    if range.contains(width, height) || width == 0 || height == 0 {
        return None;
    }
    let (w, h) = (u64::from(width), u64::from(height));
    // Too wide: keep the height, narrow to the widest ratio. Too tall: keep the width.
    let (cw, ch) = if w * u64::from(range.max.height) > u64::from(range.max.width) * h {
        (h * u64::from(range.max.width) / u64::from(range.max.height), h)
    } else {
        (w, w * u64::from(range.min.height) / u64::from(range.min.width))
    };
    let (cw, ch) = (u32::try_from(cw).ok()?.max(1), u32::try_from(ch).ok()?.max(1));
    Some(((width - cw) / 2, (height - ch) / 2, cw, ch))
}

/// The largest scale ≤ 1 that fits the width, height and pixel limits.
pub(crate) fn fit_scale(rules: &KindRules, width: u32, height: u32) -> f64 {
    let mut scale: f64 = 1.0;
    if let Some(max) = rules.width.as_ref().and_then(|b| b.value.max) {
        scale = scale.min(f64::from(max) / f64::from(width));
    }
    if let Some(max) = rules.height.as_ref().and_then(|b| b.value.max) {
        scale = scale.min(f64::from(max) / f64::from(height));
    }
    if let Some(max) = &rules.max_pixels {
        let pixels = f64::from(width) * f64::from(height);
        scale = scale.min((max.value as f64 / pixels).sqrt());
    }
    scale
}

fn scaled(image: &DynamicImage, scale: f64) -> DynamicImage {
    if scale >= 1.0 {
        return image.clone();
    }
    let w = ((f64::from(image.width()) * scale).floor() as u32).max(1);
    let h = ((f64::from(image.height()) * scale).floor() as u32).max(1);
    image.resize_exact(w, h, FilterType::Lanczos3)
}

/// Whether a file already meets every limit of `rules` that the derivative would fix.
pub fn fits(rules: &KindRules, mime: &str, bytes: u64, width: u32, height: u32) -> bool {
    let mime_ok = rules.mime_types.as_ref().is_none_or(|allowed| allowed.value.iter().any(|a| a == mime || a == "image/*"));
    let bytes_ok = rules.max_bytes.as_ref().is_none_or(|max| bytes <= max.value);
    let width_ok = rules.width.as_ref().is_none_or(|b| b.value.max.is_none_or(|max| width <= max));
    let height_ok = rules.height.as_ref().is_none_or(|b| b.value.max.is_none_or(|max| height <= max));
    let pixels_ok = rules.max_pixels.as_ref().is_none_or(|max| u64::from(width) * u64::from(height) <= max.value);
    let aspect_ok = rules.aspect_ratio.as_ref().is_none_or(|range| range.value.contains(width, height));
    mime_ok && bytes_ok && width_ok && height_ok && pixels_ok && aspect_ok
}

/// Makes the derivative of an image (`bytes` of type `mime`) for a network's `rules`.
pub fn derive_image(bytes: &[u8], mime: &str, rules: &KindRules) -> Result<Derived, ProbeError> {
    let (mut image, _, _) = decode(bytes, mime)?;
    if let Some(range) = &rules.aspect_ratio
        && let Some((x, y, w, h)) = crop_for(&range.value, image.width(), image.height())
    {
        image = image.crop_imm(x, y, w, h);
    }
    image = scaled(&image, fit_scale(rules, image.width(), image.height()));
    let out = output_mime(mime, rules);
    let limit = rules.max_bytes.as_ref().map(|m| m.value);
    let mut scale = 1.0;
    // Each round tries the qualities (JPEG) or the one lossless encoding; when even the smallest
    // is too large, the next round shrinks by the square root of the size ratio (bytes grow
    // roughly with pixels), with a cheaper filter than the first, dimension-fitting resize.
    for _ in 0..8 {
        let candidate = if scale < 1.0 {
            let w = ((f64::from(image.width()) * scale).floor() as u32).max(1);
            let h = ((f64::from(image.height()) * scale).floor() as u32).max(1);
            image.resize_exact(w, h, FilterType::Triangle)
        } else {
            image.clone()
        };
        let qualities: &[u8] = if out == "image/jpeg" { &QUALITIES } else { &[100] };
        let mut smallest = u64::MAX;
        for &quality in qualities {
            let bytes = encode(&candidate, out, quality)?;
            if limit.is_none_or(|max| bytes.len() as u64 <= max) {
                return Ok(Derived { bytes, mime: out, width: candidate.width(), height: candidate.height() });
            }
            smallest = smallest.min(bytes.len() as u64);
        }
        let ratio = limit.unwrap_or(smallest) as f64 / smallest as f64;
        scale *= (ratio.sqrt() * 0.95).clamp(0.3, 0.9);
    }
    Err(ProbeError(format!("cannot bring the image under {} bytes", limit.unwrap_or_default())))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use zenalto_domain::publishing::Ratio;

    #[test]
    fn crops_centred_into_the_range() {
        let instagram = AspectRange::new(Ratio::new(4, 5), Ratio::new(191, 100));
        assert_eq!(crop_for(&instagram, 1000, 1000), None);
        // 3:1 is too wide: the height stays, the width becomes 1.91 × 400.
        assert_eq!(crop_for(&instagram, 1200, 400), Some((218, 0, 764, 400)));
        // 1:2 is too tall: the width stays, the height becomes 5/4 × 400.
        assert_eq!(crop_for(&instagram, 400, 800), Some((0, 150, 400, 500)));
    }
}

//! A figure from a network's documentation together with where it came from and how far we trust
//! it. Networks change their limits without notice, so every limit carries its source: the
//! validator blocks scheduling only on figures that someone has actually read somewhere, and
//! merely warns on figures nobody could confirm (see `/work/shared/design/networks.md`).

use serde::Serialize;

use super::report::Severity;

/// How well a figure is backed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Stated in the network's own documentation (or its published source code).
    Official,
    /// Only third-party material (client libraries, aggregators) states it.
    ThirdParty,
    /// Nobody could confirm it; `source` is the page to check it against.
    Unconfirmed,
}

/// A limit with its provenance. `source` is a URL: for official figures the page that states
/// them; for third-party and unconfirmed ones the official page that should confirm them (the
/// third-party material is named in networks.md).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fact<T> {
    pub value: T,
    pub confidence: Confidence,
    pub source: &'static str,
}

impl<T> Fact<T> {
    pub const fn official(value: T, source: &'static str) -> Self {
        Fact { value, confidence: Confidence::Official, source }
    }

    pub const fn third_party(value: T, source: &'static str) -> Self {
        Fact { value, confidence: Confidence::ThirdParty, source }
    }

    pub const fn unconfirmed(value: T, source: &'static str) -> Self {
        Fact { value, confidence: Confidence::Unconfirmed, source }
    }

    /// The same figure, demoted to unconfirmed: for reusing a limit somewhere it was not
    /// documented (e.g. a post's text limit applied to its first comment).
    pub fn assumed(self) -> Self {
        Fact { confidence: Confidence::Unconfirmed, ..self }
    }

    /// How hard a breach of this figure is reported. Third-party figures still block: they are
    /// the strictest figure we know, and a post the network rejects at publish time is worse
    /// than one the user fixes now. Unconfirmed figures only warn, so a guess never stops a post.
    pub fn severity(&self) -> Severity {
        match self.confidence {
            Confidence::Official | Confidence::ThirdParty => Severity::Error,
            Confidence::Unconfirmed => Severity::Warning,
        }
    }

    /// Text appended to user-facing messages so people know a warning rests on a guess.
    pub(crate) fn hedge(&self) -> &'static str {
        match self.confidence {
            Confidence::Official | Confidence::ThirdParty => "",
            Confidence::Unconfirmed => " (this limit is not confirmed, so the post may still go through)",
        }
    }
}

/// An inclusive range with optional ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Bounds<T> {
    pub min: Option<T>,
    pub max: Option<T>,
}

impl<T: PartialOrd + Copy> Bounds<T> {
    pub const fn between(min: T, max: T) -> Self {
        Bounds { min: Some(min), max: Some(max) }
    }

    pub const fn at_most(max: T) -> Self {
        Bounds { min: None, max: Some(max) }
    }

    /// Whether `value` lies outside the range.
    pub fn excludes(&self, value: T) -> bool {
        self.min.is_some_and(|min| value < min) || self.max.is_some_and(|max| value > max)
    }
}

/// A width:height ratio. Compared by cross-multiplication, so 4:5 and 1.91:1 (191:100) are exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Ratio {
    pub width: u32,
    pub height: u32,
}

impl Ratio {
    pub const fn new(width: u32, height: u32) -> Self {
        Ratio { width, height }
    }

    /// Whether a `width × height` frame is taller (smaller w/h) than this ratio.
    fn frame_is_taller(self, width: u32, height: u32) -> bool {
        // w/h < self.w/self.h  ⇔  w·self.h < self.w·h (all positive; u64 cannot overflow).
        u64::from(width) * u64::from(self.height) < u64::from(self.width) * u64::from(height)
    }

    /// Whether a `width × height` frame is wider (larger w/h) than this ratio.
    fn frame_is_wider(self, width: u32, height: u32) -> bool {
        u64::from(width) * u64::from(self.height) > u64::from(self.width) * u64::from(height)
    }
}

/// "4:5", "3:1"; a side of 100 reads as a decimal of the other, so 191:100 is "1.91:1" and
/// 100:240 is "1:2.4", the way networks write them.
impl std::fmt::Display for Ratio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hundredths = |n: u32| {
            let fraction = format!("{:02}", n % 100);
            let fraction = fraction.trim_end_matches('0');
            if fraction.is_empty() { format!("{}", n / 100) } else { format!("{}.{fraction}", n / 100) }
        };
        match (self.width, self.height) {
            (width, 100) => write!(f, "{}:1", hundredths(width)),
            (100, height) => write!(f, "1:{}", hundredths(height)),
            (width, height) => write!(f, "{width}:{height}"),
        }
    }
}

/// The allowed aspect ratios, from the tallest (`min`, e.g. 1:3) to the widest (`max`, e.g. 3:1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct AspectRange {
    pub min: Ratio,
    pub max: Ratio,
}

impl AspectRange {
    pub const fn new(min: Ratio, max: Ratio) -> Self {
        AspectRange { min, max }
    }

    /// Whether a `width × height` frame is within the range. Zero-sized frames never are.
    pub fn contains(&self, width: u32, height: u32) -> bool {
        width > 0 && height > 0 && !self.min.frame_is_taller(width, height) && !self.max.frame_is_wider(width, height)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aspect_ranges_include_their_ends_and_exclude_beyond() {
        let x_video = AspectRange::new(Ratio::new(1, 3), Ratio::new(3, 1));
        let instagram = AspectRange::new(Ratio::new(4, 5), Ratio::new(191, 100));
        let cases = [
            (x_video, 1280, 720, true),
            (x_video, 300, 900, true),
            (x_video, 900, 300, true),
            (x_video, 299, 900, false),
            (x_video, 901, 300, false),
            (x_video, 0, 300, false),
            (instagram, 1080, 1350, true),
            (instagram, 1080, 566, true),
            (instagram, 1080, 565, false),
            (instagram, 1080, 1920, false),
        ];
        for (range, width, height, inside) in cases {
            assert_eq!(range.contains(width, height), inside, "{width}x{height} in {}..{}", range.min, range.max);
        }
    }

    #[test]
    fn ratios_display_the_way_networks_write_them() {
        for (ratio, shown) in [((4, 5), "4:5"), ((3, 1), "3:1"), ((191, 100), "1.91:1"), ((100, 240), "1:2.4"), ((240, 100), "2.4:1")] {
            assert_eq!(Ratio::new(ratio.0, ratio.1).to_string(), shown);
        }
    }

    #[test]
    fn bounds_are_inclusive() {
        let bounds = Bounds::between(500_u64, 1_200_000);
        assert!(!bounds.excludes(500) && !bounds.excludes(1_200_000));
        assert!(bounds.excludes(499) && bounds.excludes(1_200_001));
        assert!(!Bounds::at_most(3_u32).excludes(0));
    }

    #[test]
    fn only_unconfirmed_figures_downgrade_to_warnings() {
        assert_eq!(Fact::official(1, "u").severity(), Severity::Error);
        assert_eq!(Fact::third_party(1, "u").severity(), Severity::Error);
        assert_eq!(Fact::unconfirmed(1, "u").severity(), Severity::Warning);
        assert_eq!(Fact::official(1, "u").assumed().severity(), Severity::Warning);
    }
}

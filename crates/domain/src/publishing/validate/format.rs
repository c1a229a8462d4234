//! Numbers as people read them in messages.

use crate::publishing::table::{GB, KB, MB, MINUTE, SECOND};

/// "8 GB", "1.5 MB", "512 bytes" (decimal units, as networks write them).
pub(super) fn bytes(n: u64) -> String {
    let scaled = |unit: u64, name: &str| format!("{} {name}", one_decimal(n, unit));
    match n {
        n if n >= GB => scaled(GB, "GB"),
        n if n >= MB => scaled(MB, "MB"),
        n if n >= KB => scaled(KB, "KB"),
        n => format!("{n} bytes"),
    }
}

/// "20 min", "2 min 30 s", "0.5 s".
pub(super) fn duration(ms: u64) -> String {
    let minutes = ms / MINUTE;
    let rest = ms % MINUTE;
    match (minutes, rest) {
        (0, rest) => format!("{} s", one_decimal(rest, SECOND)),
        (minutes, 0) => format!("{minutes} min"),
        (minutes, rest) => format!("{minutes} min {} s", one_decimal(rest, SECOND)),
    }
}

/// `n / unit` with at most one decimal, truncated so a limit never reads as met when it is not.
fn one_decimal(n: u64, unit: u64) -> String {
    let tenths = u128::from(n) * 10 / u128::from(unit);
    if tenths % 10 == 0 { format!("{}", tenths / 10) } else { format!("{}.{}", tenths / 10, tenths % 10) }
}

/// "1" → "1 image", "2" → "2 images".
pub(super) fn plural(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_sizes_and_durations_readably() {
        let sizes = [(512, "512 bytes"), (5 * MB, "5 MB"), (5_300_000, "5.3 MB"), (8 * GB, "8 GB"), (1_999, "1.9 KB")];
        for (n, shown) in sizes {
            assert_eq!(bytes(n), shown);
        }
        let durations = [(500, "0.5 s"), (15 * SECOND, "15 s"), (20 * MINUTE, "20 min"), (150 * SECOND, "2 min 30 s")];
        for (ms, shown) in durations {
            assert_eq!(duration(ms), shown);
        }
        assert_eq!(plural(1, "image"), "1 image");
        assert_eq!(plural(3, "hashtag"), "3 hashtags");
    }
}

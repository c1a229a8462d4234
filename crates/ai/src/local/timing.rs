//! Best time to post, from an account's own engagement by hour of the week, shrunk toward a
//! prior curve where the account has few posts (empirical Bayes).
//!
//! Each slot's relative engagement (its posts' mean over the account's mean) is blended with
//! the prior: `(n·observed + k·prior) / (n + k)`. The pseudo-count `k` is estimated from the
//! account itself — the noise within slots over the spread between slots (method of moments) —
//! so a steady account trusts a few posts per slot, a noisy one needs many.
//!
//! The prior curve is OUR ASSUMPTION, not measured data: the usual shape of social audiences
//! (weekdays above weekends; mornings, lunch and early evening above the night), in the time
//! zone the caller asks for. No source in this repository measures it; it only fills gaps.

use serde::Serialize;
use zenalto_domain::publishing::Network;

pub const SLOTS: usize = 168;

/// One published post: its hour of the week in the caller's zone (`weekday * 24 + hour`,
/// Monday = 0) and its engagement.
#[derive(Clone, Copy, Debug)]
pub struct Observation {
    pub slot: usize,
    pub engagement: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Slot {
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u8,
    pub hour: u8,
    /// Expected engagement relative to the account's average post (1.0 = average).
    pub score: f64,
    /// The account's posts in this slot.
    pub posts: usize,
    /// 0–1: the weight of the account's own posts in the score, n / (n + k); 0 = prior only.
    pub confidence: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Ranking {
    pub slots: Vec<Slot>,
    /// Posts with figures the ranking used.
    pub samples: usize,
    /// The shrinkage pseudo-count k (posts a slot needs to weigh as much as the prior).
    pub prior_weight: f64,
}

/// The assumed relative engagement of each hour of the week for a network (mean 1).
pub fn prior(network: Option<Network>) -> [f64; SLOTS] {
    // Hours: night low, a morning rise, lunch and early-evening peaks.
    const HOURS: [f64; 24] = [
        0.35, 0.25, 0.2, 0.2, 0.25, 0.4, 0.6, 0.85, 1.1, 1.2, 1.15, 1.2, 1.35, 1.3, 1.15, 1.1,
        1.15, 1.3, 1.4, 1.35, 1.2, 1.0, 0.75, 0.5,
    ];
    let (weekday, weekend) = match network {
        // Professional networks live on weekdays; visual and video ones peak in the evening and at weekends.
        Some(Network::LinkedIn) => (1.15, 0.5),
        Some(Network::Instagram | Network::TikTok | Network::YouTube | Network::Pinterest) => {
            (0.95, 1.1)
        }
        _ => (1.05, 0.85),
    };
    let mut out = [0.0; SLOTS];
    for (slot, value) in out.iter_mut().enumerate() {
        let (day, hour) = (slot / 24, slot % 24);
        *value = HOURS[hour] * if day < 5 { weekday } else { weekend };
    }
    let mean = out.iter().sum::<f64>() / SLOTS as f64;
    out.map(|v| v / mean)
}

/// Slots ranked best first, at most `limit`.
pub fn rank(observations: &[Observation], prior: &[f64; SLOTS], limit: usize) -> Ranking {
    let valid: Vec<Observation> = observations
        .iter()
        .copied()
        .filter(|o| o.slot < SLOTS && o.engagement.is_finite())
        .collect();
    let mean = valid.iter().map(|o| o.engagement.max(0.0)).sum::<f64>() / valid.len().max(1) as f64;
    let mut posts = [0usize; SLOTS];
    let mut sums = [0.0; SLOTS];
    let mut squares = [0.0; SLOTS];
    for o in &valid {
        let relative = if mean > 0.0 {
            o.engagement.max(0.0) / mean
        } else {
            1.0
        };
        posts[o.slot] += 1;
        sums[o.slot] += relative;
        squares[o.slot] += relative * relative;
    }
    let k = prior_weight(&posts, &sums, &squares);
    let mut slots: Vec<Slot> = (0..SLOTS)
        .map(|s| {
            let n = posts[s] as f64;
            let score = (sums[s] + k * prior[s]) / (n + k);
            Slot {
                weekday: (s / 24) as u8,
                hour: (s % 24) as u8,
                score: round(score),
                posts: posts[s],
                confidence: round(n / (n + k)),
            }
        })
        .collect();
    slots.sort_by(|a, b| b.score.total_cmp(&a.score).then(b.posts.cmp(&a.posts)));
    slots.truncate(limit.clamp(1, SLOTS));
    Ranking {
        slots,
        samples: valid.len(),
        prior_weight: round(k),
    }
}

/// k = within-slot variance / between-slot variance of the slot means (method of moments),
/// kept within 1–50: with too little data to estimate it, 5 posts weigh as much as the prior.
fn prior_weight(posts: &[usize; SLOTS], sums: &[f64; SLOTS], squares: &[f64; SLOTS]) -> f64 {
    let used: Vec<usize> = (0..SLOTS).filter(|s| posts[*s] > 0).collect();
    let (mut within, mut df) = (0.0, 0.0);
    for s in &used {
        let n = posts[*s] as f64;
        within += squares[*s] - sums[*s] * sums[*s] / n;
        df += n - 1.0;
    }
    if df < 10.0 || used.len() < 8 {
        return 5.0;
    }
    let within = within / df;
    let means: Vec<f64> = used.iter().map(|s| sums[*s] / posts[*s] as f64).collect();
    let grand = means.iter().sum::<f64>() / means.len() as f64;
    let spread = means.iter().map(|m| (m - grand).powi(2)).sum::<f64>() / (means.len() - 1) as f64;
    let noise_in_means =
        used.iter().map(|s| within / posts[*s] as f64).sum::<f64>() / used.len() as f64;
    let between = (spread - noise_in_means).max(1e-3);
    (within / between).clamp(1.0, 50.0)
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
#[path = "timing_tests.rs"]
mod tests;

//! The model against synthetic histories with a structure we put in: it has to find it again
//! on posts it did not see, and beat the workspace mean.

#![allow(clippy::unwrap_used)]

use zenalto_domain::publishing::Network;

use super::*;

/// xorshift64*: reproducible noise without a dependency.
pub(crate) struct Noise(u64);

impl Noise {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }
    pub(crate) fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Standard normal (Box–Muller).
    pub(crate) fn normal(&mut self) -> f64 {
        let (u, v) = (self.next().max(1e-12), self.next());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

const TEXTS: [&str; 6] = [
    "Fresh sourdough out of the oven this morning",
    "Our barista team tried a new single origin roast",
    "Three tips for a crisp crust at home #baking",
    "The market stall is open all weekend long #market",
    "Meet Ana, who bakes our croissants every night",
    "New opening hours from next week, see you soon",
];

/// `n` posts: engagement 20 on Mastodon, ×0.5 on X, ×1.4 with a question, ×2 at 18:00, ×1.5 on
/// Tuesdays, times log-normal noise of σ = `sigma`.
pub(crate) fn history(n: usize, sigma: f64, seed: u64) -> Vec<(String, Network, u8, u8, f64)> {
    let mut noise = Noise::new(seed);
    (0..n)
        .map(|i| {
            let question = noise.next() < 0.4;
            let text = format!(
                "{}{}",
                TEXTS[i % TEXTS.len()],
                if question {
                    ". What would you pick?"
                } else {
                    "."
                }
            );
            let network = if noise.next() < 0.5 {
                Network::Mastodon
            } else {
                Network::X
            };
            let hour = (noise.next() * 24.0) as u8 % 24;
            let weekday = (noise.next() * 7.0) as u8 % 7;
            let mut engagement = 20.0 * if network == Network::X { 0.5 } else { 1.0 };
            engagement *= if question { 1.4 } else { 1.0 }
                * if hour == 18 { 2.0 } else { 1.0 }
                * if weekday == 1 { 1.5 } else { 1.0 };
            (
                text,
                network,
                hour,
                weekday,
                (engagement * (sigma * noise.normal()).exp()).round(),
            )
        })
        .collect()
}

fn samples(rows: &[(String, Network, u8, u8, f64)]) -> Vec<Sample<'_>> {
    rows.iter()
        .map(|(text, network, hour, weekday, engagement)| Sample {
            shape: PostShape {
                text,
                network: *network,
                hour: *hour,
                weekday: *weekday,
                images: 0,
                videos: 0,
            },
            engagement: *engagement,
        })
        .collect()
}

fn effect(model: &Model, name: &str) -> f64 {
    model
        .effects()
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap()
        .1
}

#[test]
fn the_model_recovers_a_known_structure_and_beats_the_mean() {
    let rows = history(600, 0.3, 7);
    let (model, cv) = train(&samples(&rows)).unwrap();
    eprintln!("600 posts, σ=0.3: {cv:?}");
    assert!(cv.model.r2 > 0.6 && cv.baseline.r2 <= 0.0, "{cv:?}");
    assert!(cv.model.mae < 0.7 * cv.baseline.mae, "{cv:?}");
    assert!(cv.model.spearman.unwrap() > 0.7, "{cv:?}");
    // The question's effect as the model prices a draft with and without it (the extra words
    // move length and readability too, so the single weight alone understates it).
    let shape = |text| PostShape {
        text,
        network: Network::Mastodon,
        hour: 10,
        weekday: 3,
        images: 0,
        videos: 0,
    };
    let question = (model.predict_log(&shape(
        "Fresh sourdough out of the oven this morning. What would you pick?",
    )) - model
        .predict_log(&shape("Fresh sourdough out of the oven this morning.")))
    .exp();
    assert!((1.25..1.6).contains(&question), "question ×{question}");
    let x = effect(&model, "network_x") / effect(&model, "network_mastodon");
    assert!((0.4..0.62).contains(&x), "X against Mastodon ×{x}");
    // One-hot hours: 18:00 against 10:00 is the ratio the history was built with (×2).
    let evening = effect(&model, "hour_18") / effect(&model, "hour_10");
    assert!(
        (1.6..2.5).contains(&evening),
        "18:00 against 10:00 ×{evening}"
    );
    eprintln!("question ×{question:.2}, X/Mastodon ×{x:.2}, 18:00/10:00 ×{evening:.2}");
}

#[test]
fn the_interval_covers_most_held_out_posts_and_predictions_order_them() {
    let (model, cv) = train(&samples(&history(400, 0.3, 11))).unwrap();
    let fresh = history(200, 0.3, 99);
    let mut inside = 0;
    for (text, network, hour, weekday, engagement) in &fresh {
        let estimate = model.estimate(
            &PostShape {
                text,
                network: *network,
                hour: *hour,
                weekday: *weekday,
                images: 0,
                videos: 0,
            },
            &cv,
        );
        assert!(estimate.low <= estimate.expected && estimate.expected <= estimate.high);
        inside += usize::from((estimate.low..=estimate.high).contains(engagement));
    }
    let coverage = inside as f64 / fresh.len() as f64;
    eprintln!(
        "80 % interval covers {coverage:.2} of 200 new posts; confidence {}",
        confidence(&cv)
    );
    assert!((0.65..0.95).contains(&coverage), "{coverage}");
}

#[test]
fn pure_noise_is_not_mistaken_for_a_pattern() {
    let mut noise = Noise::new(5);
    let rows: Vec<(String, Network, u8, u8, f64)> = (0..200)
        .map(|i| {
            (
                TEXTS[i % 6].to_owned(),
                Network::Mastodon,
                (i % 24) as u8,
                (i % 7) as u8,
                (20.0 * (0.5 * noise.normal()).exp()).round(),
            )
        })
        .collect();
    let (_, cv) = train(&samples(&rows)).unwrap();
    eprintln!("pure noise, 200 posts: {cv:?}; confidence {}", confidence(&cv));
    assert!(
        cv.model.r2 < 0.15,
        "nothing to learn, so nothing learnt: {cv:?}"
    );
    assert!(confidence(&cv) < 0.15);
}

#[test]
fn too_few_posts_train_nothing() {
    assert!(train(&samples(&history(MIN_SAMPLES - 1, 0.3, 1))).is_none());
    assert!(train(&samples(&history(MIN_SAMPLES, 0.3, 1))).is_some());
}

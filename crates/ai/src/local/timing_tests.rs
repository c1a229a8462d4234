#![allow(clippy::unwrap_used)]

use super::*;
use crate::local::predict::tests::Noise;

/// `weeks` weeks of `per_week` posts at random hours; Tuesday 18:00 gets 3×, the night hours
/// (0–5) half, with log-normal noise σ = 0.4.
fn history(per_week: usize, weeks: usize, seed: u64) -> Vec<Observation> {
    let mut noise = Noise::new(seed);
    (0..per_week * weeks)
        .map(|_| {
            // Posts cluster where people post (Tue 18:00 gets its share and more).
            let slot = if noise.next() < 0.1 {
                24 + 18
            } else {
                (noise.next() * SLOTS as f64) as usize % SLOTS
            };
            let base = if slot == 24 + 18 {
                3.0
            } else if slot % 24 < 6 {
                0.5
            } else {
                1.0
            };
            Observation {
                slot,
                engagement: 30.0 * base * (0.4 * noise.normal()).exp(),
            }
        })
        .collect()
}

#[test]
fn a_strong_slot_comes_out_on_top() {
    let ranking = rank(&history(20, 26, 3), &prior(None), 5);
    eprintln!(
        "520 posts: top {:?}, k = {}",
        ranking.slots[0], ranking.prior_weight
    );
    assert_eq!(
        (ranking.slots[0].weekday, ranking.slots[0].hour),
        (1, 18),
        "{ranking:?}"
    );
    assert!(
        ranking.slots[0].score > 2.0 && ranking.slots[0].confidence > 0.8,
        "{ranking:?}"
    );
    assert_eq!(ranking.samples, 520);
}

#[test]
fn with_no_history_the_prior_decides_with_no_confidence() {
    let ranking = rank(&[], &prior(Some(Network::LinkedIn)), 3);
    assert!(
        ranking
            .slots
            .iter()
            .all(|s| s.weekday < 5 && s.confidence == 0.0 && s.posts == 0),
        "{ranking:?}"
    );
    assert_eq!(ranking.slots[0].hour, 18);
}

#[test]
fn one_lucky_post_is_shrunk_toward_the_prior() {
    // A single Sunday 03:00 post with 10× engagement among ordinary daytime posts.
    let mut observations: Vec<Observation> = (0..40)
        .map(|i| Observation {
            slot: 9 + (i % 5) * 24,
            engagement: 20.0,
        })
        .collect();
    observations.push(Observation {
        slot: 6 * 24 + 3,
        engagement: 200.0,
    });
    let ranking = rank(&observations, &prior(None), SLOTS);
    let night = ranking
        .slots
        .iter()
        .find(|s| s.weekday == 6 && s.hour == 3)
        .unwrap();
    assert!(
        night.score < 200.0 / (1000.0 / 41.0),
        "shrunk below its raw ratio: {night:?}"
    );
    assert!(night.confidence < 0.5, "{night:?}");
}

#[test]
fn priors_average_one_and_follow_their_network() {
    for network in [None, Some(Network::LinkedIn), Some(Network::Instagram)] {
        let curve = prior(network);
        assert!((curve.iter().sum::<f64>() / SLOTS as f64 - 1.0).abs() < 1e-9);
    }
    let linkedin = prior(Some(Network::LinkedIn));
    assert!(
        linkedin[2 * 24 + 12] > 2.0 * linkedin[5 * 24 + 12],
        "LinkedIn: a weekday lunch beats Saturday's"
    );
}

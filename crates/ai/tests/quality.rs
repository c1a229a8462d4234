//! The local engine's quality on labelled data written for it (not drawn from the lexicon's
//! own examples). Prints the figures reported in docs/ai.md; asserts floors so a regression
//! fails. Run: `cargo test -p zenalto-ai --test quality -- --nocapture`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use zenalto_ai::local::hashtags::{PastPost, suggest};
use zenalto_ai::local::sentiment::{Label, sentiment};

use Label::{Negative as N, Neutral as O, Positive as P};

/// 90 sentences in the register of social posts and replies: 30 positive, 30 negative, 30
/// neutral, a third of them with negation, intensifiers, emoji or "but".
const LABELLED: &[(&str, Label)] = &[
    ("Loving the new menu, the pasta is fantastic", P),
    ("Thanks for the quick reply, really helpful team", P),
    ("Best coffee in town, hands down ☕😍", P),
    ("The update made everything so much faster!", P),
    ("Our team is proud to announce the award 🎉", P),
    ("Delivery was late but the cake was absolutely delicious", P),
    ("Not bad at all, I'd recommend it", P),
    ("Such a beautiful venue and friendly staff", P),
    ("I can't believe how easy the setup was", P),
    ("Great workshop yesterday, learned a lot", P),
    ("The app isn't perfect but support fixed my issue in minutes", P),
    ("Wow, the new colours look stunning", P),
    ("Happy customers make our day 🙂", P),
    ("Super impressed with the build quality", P),
    ("Congrats to the whole crew on the launch!", P),
    ("This is my favourite place for brunch", P),
    ("Never had a problem with them, very reliable", P),
    ("The concert was incredible 🔥🔥", P),
    ("Smooth checkout and a nice discount", P),
    ("We enjoyed every minute of the tour", P),
    ("Really glad we switched to this service", P),
    ("The staff were kind and the room was clean", P),
    ("Excited to see you all at the meetup!", P),
    ("It works exactly as promised 👍", P),
    ("Thank you for the lovely feedback", P),
    ("Brilliant talk, very inspiring", P),
    ("The fries were cold, but honestly the burger was amazing", P),
    ("Fast shipping and great packaging", P),
    ("Couldn't be happier with the result", P),
    ("Our volunteers did an outstanding job", P),
    ("The app keeps crashing since the update", N),
    ("Worst customer service I have ever had", N),
    ("Still waiting for my refund, this is unacceptable", N),
    ("The food was cold and bland 😞", N),
    ("Not happy with the new pricing at all", N),
    ("Great idea but the execution is terrible", N),
    ("My order arrived broken and nobody answers", N),
    ("So disappointed with the quality this time", N),
    ("The website is down again 😡", N),
    ("I hate waiting forty minutes for a table", N),
    ("The instructions are confusing and the parts are missing", N),
    ("Looks nice but it stopped working after a week", N),
    ("Rude staff and a dirty room", N),
    ("This is a waste of money", N),
    ("Not worth the price", N),
    ("The login error is so frustrating", N),
    ("The event was cancelled without any notice", N),
    ("Terrible battery life 👎", N),
    ("I'm sad to see the shop close", N),
    ("The checkout process is a nightmare", N),
    ("They ignored my complaint twice", N),
    ("The coffee tasted stale and the cups were dirty", N),
    ("The new design is ugly and slow", N),
    ("Awful experience, would not recommend", N),
    ("The train was delayed and we lost our connection", N),
    ("Nothing good to say about this update", N),
    ("Our parcel is lost and support is useless", N),
    ("I don't like the new layout", N),
    ("Prices went up and quality went down, meh", N),
    ("It was okay but the service was really poor", N),
    ("The store opens at 9am on Saturdays", O),
    ("We are moving to a new office next month", O),
    ("The webinar starts at 3pm Central European Time", O),
    ("Our menu changes every season", O),
    ("Registration closes on Friday", O),
    ("The report covers the first quarter", O),
    ("Parking is available behind the building", O),
    ("The team meets every Tuesday", O),
    ("Version 2.3 is available for download", O),
    ("Tickets are sold at the entrance", O),
    ("The library has two floors", O),
    ("Our podcast episode is out on Monday", O),
    ("The recipe uses flour, water and salt", O),
    ("Send your questions to the address below", O),
    ("The workshop lasts two hours", O),
    ("We ship to Germany, France and Spain", O),
    ("The survey has ten questions", O),
    ("The office is closed on public holidays", O),
    ("This thread explains how billing works", O),
    ("Orders placed after noon ship the next day", O),
    ("The bus stops in front of the museum", O),
    ("The new schedule is in the attached file", O),
    ("Our CEO will speak at the conference", O),
    ("The warehouse is in the north of the city", O),
    ("The form asks for your name and email", O),
    ("Each box contains twelve bottles", O),
    ("The meeting notes are in the shared folder", O),
    ("The course has six modules", O),
    ("We post updates every Wednesday", O),
    ("The building has a lift and a ramp", O),
];

#[test]
fn sentiment_accuracy_on_labelled_sentences() {
    let labels = [P, O, N];
    let mut confusion = [[0usize; 3]; 3];
    let mut wrong = Vec::new();
    for (text, want) in LABELLED {
        let got = sentiment(text).label;
        let (i, j) = (labels.iter().position(|l| l == want).unwrap(), labels.iter().position(|l| *l == got).unwrap());
        confusion[i][j] += 1;
        if got != *want {
            wrong.push(format!("{text:?}: want {want:?}, got {got:?} ({})", sentiment(text).compound));
        }
    }
    let correct: usize = (0..3).map(|i| confusion[i][i]).sum();
    let accuracy = correct as f64 / LABELLED.len() as f64;
    println!("sentiment: {correct}/{} correct, accuracy {:.1}%", LABELLED.len(), accuracy * 100.0);
    for (i, label) in labels.iter().enumerate() {
        let recall = confusion[i][i] as f64 / confusion[i].iter().sum::<usize>() as f64;
        let predicted: usize = (0..3).map(|r| confusion[r][i]).sum();
        let precision = if predicted == 0 { 0.0 } else { confusion[i][i] as f64 / predicted as f64 };
        println!("  {label:?}: precision {:.1}%, recall {:.1}%, row {:?}", precision * 100.0, recall * 100.0, confusion[i]);
    }
    for line in &wrong {
        println!("  miss: {line}");
    }
    assert!(accuracy >= 0.80, "accuracy fell to {accuracy:.3}");
}

/// A synthetic workspace with a known structure: three topics, each with its own vocabulary and
/// tag; posts with the topic's tag did three times better than untagged ones; a generic tag
/// appears on every topic. A held-out draft on each topic (a new combination of the topic's
/// words) should get its topic's tag first.
#[test]
fn hashtag_suggestions_find_the_topic_tag() {
    let topics = [
        ("running", ["marathon", "training", "trail", "shoes", "interval", "pace", "recovery", "stretching"]),
        ("baking", ["sourdough", "starter", "flour", "dough", "oven", "croissant", "butter", "crust"]),
        ("gardening", ["tomato", "seedlings", "compost", "soil", "pruning", "roses", "watering", "beds"]),
    ];
    let mut history = Vec::new();
    for (tag, vocabulary) in &topics {
        for k in 0..5 {
            let text = vocabulary[k..k + 3].join(" ");
            history.push(PastPost { text: format!("Our {text} notes #{tag}"), engagement: 30.0 });
            history.push(PastPost { text: format!("More {text} notes"), engagement: 10.0 });
        }
        history.push(PastPost { text: format!("Weekly {} news #update", vocabulary[0]), engagement: 5.0 });
    }
    let mut hits = 0;
    for (tag, vocabulary) in &topics {
        let held_out = format!("{} and {} with {}", vocabulary[0], vocabulary[4], vocabulary[7]);
        let first = suggest(&held_out, &history, 3).into_iter().next().map(|s| s.tag);
        if first.as_deref() == Some(*tag) {
            hits += 1;
        } else {
            println!("  miss: {held_out:?} → {first:?}");
        }
    }
    println!("hashtags: topic tag ranked first for {hits}/{} held-out drafts", topics.len());
    assert_eq!(hits, topics.len());
}

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

/// A small bakery's voice: short, warm sentences, "we" and "you", an emoji, a hashtag or two,
/// exclamation marks.
fn bakery() -> Vec<String> {
    [
        "Fresh sourdough is out of the oven! Come grab a warm loaf before noon 🍞 #sourdough",
        "We baked cinnamon rolls this morning. You know what to do! 😋 #bakery",
        "Our rye bread is back! We missed it too. See you at the counter 🥖 #sourdough #bakery",
        "Saturday means croissants. We start baking at 5am so you don't have to! ☕",
        "Try our new seeded loaf! It's crunchy, nutty and warm 🍞 #bakery",
        "We love our regulars! Thank you for another lovely week at the bakery 💛 #sourdough",
    ]
    .map(String::from)
    .to_vec()
}

#[test]
fn a_draft_in_the_voice_scores_clearly_higher_than_one_out_of_it() {
    let profile = learn(&bakery()).unwrap();
    assert_eq!(profile.samples, 6);
    assert!(profile.vocabulary.iter().any(|w| w == "sourdough" || w == "bakery" || w == "loaf"), "{:?}", profile.vocabulary);

    let in_voice = score(&profile, "Warm sourdough loaves are back this Friday! We saved one for you 🍞 #sourdough");
    let out_of_voice = score(
        &profile,
        "Furthermore, the organisation hereby announces that, following a comprehensive strategic review of its operational framework and \
         stakeholder commitments, the quarterly production schedule for baked goods will be adjusted accordingly across all regional locations.",
    );
    assert!(in_voice.score >= 70, "{in_voice:#?}");
    assert!(out_of_voice.score + 30 <= in_voice.score, "in {} vs out {}: {out_of_voice:#?}", in_voice.score, out_of_voice.score);
    // The explanations name what is off, in words.
    let findings = out_of_voice.findings.join(" | ");
    assert!(findings.contains("Sentences about"), "{findings}");
    assert!(findings.contains("More formal than usual"), "{findings}");
    assert!(findings.contains("Fewer emoji"), "{findings}");
}

#[test]
fn sentence_length_is_explained_as_a_multiple_of_the_usual() {
    let examples: Vec<String> =
        ["We bake bread daily. Come by soon.", "We open at seven. Fresh rolls wait.", "Our ovens start early. Bread is ready."].map(String::from).to_vec();
    let profile = learn(&examples).unwrap();
    let long = score(&profile, "We bake the bread every single morning before dawn with flour from the mill down the road.");
    let sentence = long.dimensions.iter().find(|d| d.dimension == "sentenceLength").unwrap();
    assert!(sentence.explanation.starts_with("Sentences about"), "{}", sentence.explanation);
    assert!(sentence.explanation.contains("times as long as your usual") || sentence.explanation.contains("twice as long"), "{}", sentence.explanation);
    assert!(sentence.score < 50, "{sentence:?}");
}

#[test]
fn who_speaks_matters() {
    let profile = learn(&bakery()).unwrap();
    let first_person = score(&profile, "I made my favourite loaf today and I think I got it right! 🍞 #sourdough");
    let i = first_person.dimensions.iter().find(|d| d.dimension == "i").unwrap();
    assert!(i.score < 50, "{i:?}");
    assert!(i.explanation.contains("More \"I\" than usual"), "{}", i.explanation);
}

#[test]
fn nothing_to_learn_from_is_none_and_the_profile_round_trips() {
    assert!(learn(&["  ".to_owned()]).is_none());
    let profile = learn(&bakery()).unwrap();
    let json = serde_json::to_string(&profile).unwrap();
    assert_eq!(serde_json::from_str::<VoiceProfile>(&json).unwrap(), profile);
}


//! A hand-written sentiment lexicon in the VADER style: valence from -4 (most negative) to +4,
//! with boosters, negations and emoji. Written for social-media copy about products, events
//! and customer service; small on purpose, measured in docs/ai.md.

pub(crate) const WORDS: &[(&str, f64)] = &[
    // positive
    ("good", 1.9), ("great", 3.1), ("excellent", 3.2), ("amazing", 2.8), ("awesome", 3.1), ("fantastic", 3.0),
    ("wonderful", 2.9), ("love", 3.2), ("loved", 2.9), ("loves", 2.7), ("loving", 2.9), ("lovely", 2.8), ("like", 1.5),
    ("liked", 1.8), ("likes", 1.6), ("enjoy", 2.2), ("enjoyed", 2.3), ("happy", 2.7), ("glad", 2.0), ("pleased", 1.9),
    ("delighted", 3.0), ("thrilled", 2.9), ("excited", 2.3), ("exciting", 2.2), ("best", 3.2), ("better", 1.9),
    ("nice", 1.8), ("beautiful", 2.9), ("brilliant", 2.8), ("perfect", 2.7), ("superb", 3.1), ("outstanding", 3.0),
    ("impressive", 2.4), ("impressed", 2.3), ("helpful", 1.9), ("useful", 1.9), ("easy", 1.9), ("fast", 1.3),
    ("quick", 1.2), ("smooth", 1.5), ("reliable", 1.9), ("recommend", 1.5), ("recommended", 1.7), ("thanks", 1.9),
    ("thank", 1.5), ("grateful", 2.0), ("appreciate", 1.7), ("appreciated", 1.9), ("win", 2.8), ("won", 2.7),
    ("winning", 2.4), ("success", 2.7), ("successful", 2.8), ("proud", 2.1), ("fun", 2.3), ("cool", 1.3),
    ("favorite", 2.0), ("favourite", 2.0), ("incredible", 2.7), ("friendly", 2.2), ("fresh", 1.3), ("delicious", 2.7),
    ("gorgeous", 3.0), ("stunning", 2.8), ("satisfied", 1.8), ("celebrate", 2.7), ("congrats", 2.4),
    ("congratulations", 2.9), ("yay", 2.4), ("wow", 2.8), ("fine", 0.8), ("okay", 0.9), ("ok", 0.9), ("worth", 0.9),
    ("solid", 1.3), ("clean", 1.7), ("valuable", 2.1), ("affordable", 1.5), ("bargain", 1.6), ("free", 1.2),
    ("improved", 1.9), ("improve", 1.9), ("fixed", 0.9), ("works", 1.0), ("worked", 0.9), ("wins", 2.7),
    ("elegant", 2.1), ("intuitive", 1.9), ("seamless", 2.0), ("powerful", 1.8), ("joy", 2.8), ("hope", 1.9),
    ("hopeful", 2.0), ("inspiring", 2.4), ("inspired", 2.2), ("welcome", 2.0), ("smile", 1.5), ("laugh", 2.1),
    // negative
    ("bad", -2.5), ("terrible", -2.9), ("awful", -2.6), ("horrible", -2.9), ("worst", -3.1), ("worse", -2.1),
    ("hate", -2.7), ("hated", -3.2), ("hates", -1.9), ("poor", -2.1), ("disappointed", -2.3), ("disappointing", -2.2),
    ("disappointment", -2.3), ("sad", -2.1), ("angry", -2.3), ("annoying", -2.0), ("annoyed", -1.7), ("broken", -2.1),
    ("broke", -1.8), ("bug", -1.2), ("buggy", -2.0), ("crash", -1.7), ("crashes", -1.9), ("crashed", -1.9),
    ("slow", -1.2), ("fail", -2.5), ("failed", -2.3), ("fails", -2.3), ("failure", -2.3), ("problem", -1.7),
    ("problems", -1.7), ("issue", -1.0), ("issues", -1.2), ("useless", -1.8), ("waste", -1.8), ("wasted", -2.2),
    ("rude", -2.0), ("unhelpful", -1.9), ("frustrating", -2.1), ("frustrated", -2.4), ("confusing", -1.3),
    ("confused", -1.3), ("expensive", -1.0), ("overpriced", -1.9), ("refund", -0.8), ("scam", -2.7), ("late", -0.8),
    ("delay", -1.3), ("delayed", -1.2), ("cancelled", -1.2), ("canceled", -1.2), ("lost", -1.3), ("missing", -1.2),
    ("wrong", -2.1), ("error", -1.7), ("errors", -1.6), ("ugly", -2.3), ("boring", -1.3), ("mess", -1.5),
    ("nightmare", -2.7), ("disaster", -3.1), ("sucks", -1.5), ("suck", -1.9), ("unacceptable", -2.0),
    ("complaint", -1.6), ("complain", -1.5), ("never", -0.6), ("difficult", -1.5), ("hard", -0.4), ("painful", -1.9),
    ("sorry", -0.3), ("unfortunately", -1.5), ("dirty", -1.9), ("cold", -0.4), ("stale", -1.6), ("bland", -1.3),
    ("meh", -0.8), ("fake", -2.1), ("dead", -3.3), ("down", -0.6), ("outage", -1.8), ("ignored", -1.6), ("worried", -1.9),
    ("fear", -2.2), ("scared", -1.9), ("sick", -2.3), ("tired", -1.9), ("hurt", -2.4), ("pain", -2.3), ("lose", -1.7),
    ("loss", -1.3), ("miss", -0.6), ("dislike", -1.6), ("regret", -1.9), ("mediocre", -1.5), ("lame", -1.8),
];

/// Words that strengthen (positive) or soften (negative) the next sentiment word.
pub(crate) const BOOSTERS: &[(&str, f64)] = &[
    ("absolutely", 0.293), ("amazingly", 0.293), ("completely", 0.293), ("extremely", 0.293), ("incredibly", 0.293),
    ("really", 0.293), ("so", 0.293), ("super", 0.293), ("totally", 0.293), ("very", 0.293), ("truly", 0.293),
    ("highly", 0.293), ("most", 0.293), ("especially", 0.293), ("utterly", 0.293), ("insanely", 0.293), ("such", 0.293),
    ("barely", -0.293), ("hardly", -0.293), ("kind", -0.293), ("kinda", -0.293), ("slightly", -0.293),
    ("somewhat", -0.293), ("sort", -0.293), ("sorta", -0.293), ("little", -0.293), ("marginally", -0.293),
    ("partly", -0.293), ("occasionally", -0.293), ("fairly", -0.2), ("pretty", 0.15), ("quite", 0.15),
];

pub(crate) const NEGATIONS: &[&str] = &[
    "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "nowhere", "cannot", "can't", "cant", "don't",
    "dont", "doesn't", "doesnt", "didn't", "didnt", "isn't", "isnt", "aren't", "arent", "wasn't", "wasnt", "weren't",
    "won't", "wont", "wouldn't", "wouldnt", "shouldn't", "couldn't", "hasn't", "haven't", "hadn't", "without", "ain't",
];

pub(crate) const EMOJI: &[(&str, f64)] = &[
    ("😀", 2.0), ("😃", 2.0), ("😄", 2.2), ("😁", 2.0), ("😊", 2.2), ("🙂", 1.2), ("😍", 3.0), ("🥰", 3.0), ("😘", 2.3),
    ("❤", 2.8), ("❤️", 2.8), ("💕", 2.6), ("💖", 2.6), ("👍", 1.9), ("👏", 2.0), ("🙌", 2.2), ("🎉", 2.5), ("🥳", 2.6),
    ("🔥", 1.5), ("✨", 1.2), ("💯", 2.0), ("😂", 1.6), ("🤣", 1.6), ("😎", 1.7), ("🤩", 2.8), ("🙏", 1.3), ("⭐", 1.5),
    ("😢", -2.0), ("😭", -2.2), ("😞", -2.0), ("😔", -1.8), ("😠", -2.6), ("😡", -2.9), ("🤬", -3.2), ("👎", -2.0),
    ("💔", -2.5), ("😤", -1.8), ("😩", -2.0), ("😫", -2.0), ("🙄", -1.4), ("😒", -1.6), ("🤮", -2.8), ("😱", -1.5),
    ("😕", -1.2), ("☹", -1.9), ("☹️", -1.9), ("🙁", -1.5), ("💩", -2.0),
];

pub(crate) fn valence(word: &str) -> Option<f64> {
    WORDS.iter().find(|(w, _)| *w == word).map(|(_, v)| *v)
}

pub(crate) fn booster(word: &str) -> Option<f64> {
    BOOSTERS.iter().find(|(w, _)| *w == word).map(|(_, v)| *v)
}

pub(crate) fn is_negation(word: &str) -> bool {
    NEGATIONS.contains(&word) || word.ends_with("n't")
}

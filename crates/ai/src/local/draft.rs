//! Template-based drafts filled from the brief, one per template kind, fitted to each network
//! and scored. The words are the user's (topic, points, call to action) and the workspace's
//! (hashtags from its history); the templates only arrange them.

use serde::{Deserialize, Serialize};
use zenalto_domain::publishing::{Network, Severity};

use super::fit::{Fitted, fit};
use super::hashtags::{PastPost, suggest};
use super::readability::readability;
use super::sentiment::sentiment;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Brief {
    /// What the post is about, in a few words ("our new oat-milk latte").
    pub topic: String,
    /// Facts to mention, one per entry.
    #[serde(default)]
    pub points: Vec<String>,
    /// What the reader should do ("Try it this week").
    #[serde(default)]
    pub call_to_action: Option<String>,
    #[serde(default)]
    pub link: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Template {
    Promotional,
    Educational,
    Storytelling,
    Engagement,
}

impl Template {
    pub const ALL: [Template; 4] = [Template::Promotional, Template::Educational, Template::Engagement, Template::Storytelling];
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Variation {
    /// The template a local draft came from; `None` for a provider's text.
    pub template: Option<Template>,
    pub fitted: Fitted,
    /// 0 to 100.
    pub quality: u32,
    /// Why the score is what it is, one finding per entry.
    pub reasoning: Vec<String>,
}

fn sentence(text: &str) -> String {
    let text = text.trim().trim_end_matches(['.', '!', '?']);
    let mut chars = text.chars();
    let mut out: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
    if !out.is_empty() {
        out.push('.');
    }
    out
}

fn fill(template: Template, brief: &Brief) -> String {
    let topic = brief.topic.trim();
    let points: Vec<String> = brief.points.iter().map(|p| sentence(p)).filter(|p| !p.is_empty()).collect();
    let cta = brief.call_to_action.as_deref().map(sentence).unwrap_or_default();
    let mut lines: Vec<String> = match template {
        Template::Promotional => vec![format!("Introducing {topic}!"), points.join(" "), cta],
        Template::Educational => {
            let list: Vec<String> = points.iter().map(|p| format!("• {p}")).collect();
            vec![format!("What to know about {topic}:"), list.join("\n"), cta]
        }
        Template::Storytelling => {
            let mut story = vec![format!("It started with a simple idea: {topic}.")];
            story.extend(points.iter().cloned());
            story.push(cta);
            vec![story.join(" ")]
        }
        Template::Engagement => vec![
            format!("Have you tried {topic}?"),
            points.first().cloned().unwrap_or_default(),
            "Tell us what you think in the comments.".to_owned(),
        ],
    };
    if let Some(link) = &brief.link {
        lines.push(link.clone());
    }
    lines.retain(|l| !l.trim().is_empty());
    lines.join("\n\n")
}

/// Up to `n` variations for `network`, best first.
pub fn variations(brief: &Brief, network: Network, history: &[PastPost], n: usize) -> Vec<Variation> {
    let seed = format!("{} {}", brief.topic, brief.points.join(" "));
    let rules = zenalto_domain::publishing::NetworkRules::for_network(network);
    let room = rules.recommended_max_hashtags.as_ref().map(|f| f.value).unwrap_or(3).min(3);
    let tags: Vec<String> = suggest(&seed, history, room).into_iter().map(|s| format!("#{}", s.tag)).collect();
    let mut out: Vec<Variation> = Template::ALL
        .iter()
        .take(n.max(1))
        .map(|template| {
            let mut text = fill(*template, brief);
            if !tags.is_empty() {
                text.push_str("\n\n");
                text.push_str(&tags.join(" "));
            }
            let fitted = fit(network, &text, false);
            let (quality, reasoning) = score(&fitted, brief);
            Variation { template: Some(*template), fitted, quality, reasoning }
        })
        .collect();
    out.sort_by_key(|v| std::cmp::Reverse(v.quality));
    out
}

/// A text from elsewhere (a provider) fitted to `network` and scored like a local draft, with
/// the author's own reasoning first.
pub fn assess(brief: &Brief, network: Network, text: &str, reasoning: Option<&str>) -> Variation {
    let fitted = fit(network, text, false);
    let (quality, mut reasons) = score(&fitted, brief);
    if let Some(reasoning) = reasoning.filter(|r| !r.trim().is_empty()) {
        reasons.insert(0, reasoning.trim().to_owned());
    }
    Variation { template: None, fitted, quality, reasoning: reasons }
}

/// A transparent score: starts at 100 and loses points for each finding.
pub fn score(fitted: &Fitted, brief: &Brief) -> (u32, Vec<String>) {
    let mut quality: i32 = 100;
    let mut reasons = Vec::new();
    let errors = fitted.report.with_severity(Severity::Error).count() as i32;
    let warnings = fitted.report.with_severity(Severity::Warning).count() as i32;
    if errors > 0 {
        quality -= 60;
        reasons.push(format!("{errors} validation error(s) for {}: it cannot be scheduled as is", fitted.network.label()));
    }
    if warnings > 0 {
        quality -= 10 * warnings;
        reasons.push(format!("{warnings} validation warning(s)"));
    }
    let ease = readability(&fitted.text).flesch_reading_ease;
    if ease < 30.0 {
        quality -= 20;
        reasons.push(format!("hard to read (Flesch {ease:.0}; aim for 60+)"));
    } else if ease < 60.0 {
        quality -= 8;
        reasons.push(format!("fairly hard to read (Flesch {ease:.0}; aim for 60+)"));
    } else {
        reasons.push(format!("easy to read (Flesch {ease:.0})"));
    }
    let mood = sentiment(&fitted.text).compound;
    if mood < -0.05 {
        quality -= 10;
        reasons.push(format!("reads negative (sentiment {mood:.2})"));
    }
    if brief.call_to_action.is_some() && !fitted.text.contains(brief.call_to_action.as_deref().map(|c| c.trim().trim_end_matches('.')).unwrap_or_default()) {
        quality -= 10;
        reasons.push("the call to action was cut to fit".into());
    }
    let missing = brief.points.iter().filter(|p| !fitted.text.to_lowercase().contains(&p.trim().trim_end_matches('.').to_lowercase())).count();
    if missing > 0 {
        quality -= 5 * missing as i32;
        reasons.push(format!("{missing} point(s) of the brief left out"));
    }
    if fitted.steps.iter().any(|s| s.contains("cut")) {
        quality -= 10;
        reasons.push("shortened with a cut; consider a thread or fewer points".into());
    }
    (quality.clamp(0, 100) as u32, reasons)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_use_the_brief_and_pass_validation() {
        let brief = Brief {
            topic: "our oat-milk latte".into(),
            points: vec!["made with local oats".into(), "available all winter".into()],
            call_to_action: Some("Try it this week".into()),
            link: None,
        };
        let history = vec![PastPost { text: "New latte art class #latte #coffee".into(), engagement: 50.0 }];
        let out = variations(&brief, Network::X, &history, 3);
        assert_eq!(out.len(), 3);
        for variation in &out {
            assert!(variation.fitted.text.contains("oat-milk latte"), "{variation:?}");
            assert!(!variation.fitted.report.blocks_scheduling());
            assert!(!variation.reasoning.is_empty());
        }
        assert!(out.iter().any(|v| v.fitted.text.contains("#latte")));
    }
}

//! Content creation: one draft per planned post through the ordinary generation path
//! (`ai_generate`: the workspace's providers when configured and within budget, else the local
//! engine), with the account's profile and the brand voice in the guidance. Of the variations,
//! the one written at the planned angle, most consistent with the voice and of the best quality
//! wins; the local engine's text is then put in the profile's tone by its rewrite rules.

use serde::Serialize;
use zenalto_ai::local::draft::Brief;
use zenalto_ai::local::fit::fit;
use zenalto_ai::local::rewrite::{Style, rewrite};
use zenalto_ai::local::voice::{VoiceProfile, score};
use zenalto_domain::publishing::{Network, Severity};

use super::research::Research;
use super::strategy::PlannedPost;
use crate::agents::profiles::AccountProfile;
use crate::{Access, Result, Services};

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Drafted {
    pub theme: String,
    pub text: String,
    /// "local", "cache" or the provider kind that wrote it.
    pub engine: String,
    pub quality: u32,
    pub quality_reasoning: Vec<String>,
    /// Why this variation was picked.
    pub picked_because: String,
}

/// What the providers are told beyond the brief.
pub fn guidance(profile: &AccountProfile, voice: Option<&VoiceProfile>, research: &Research) -> String {
    let mut parts = vec![format!("Tone: {}.", profile.tone)];
    if !profile.audience.is_empty() {
        parts.push(format!("Audience: {}.", profile.audience));
    }
    if !profile.goals.is_empty() {
        parts.push(format!("Goals: {}.", profile.goals));
    }
    if let Some(voice) = voice {
        let usual = |key: &str| voice.dimensions.iter().find(|d| d.dimension == key).map(|d| d.mean).unwrap_or_default();
        parts.push(format!(
            "Brand voice: about {:.0} words per sentence, {:.0} characters per post, {:.1} emoji and {:.1} hashtags per post; characteristic words: {}.",
            usual("sentenceLength"),
            usual("postLength"),
            usual("emoji"),
            usual("hashtags"),
            voice.vocabulary.iter().take(12).cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    if !research.rejection_reasons.is_empty() {
        parts.push(format!("Earlier drafts were rejected because: {}.", research.rejection_reasons.join("; ")));
    }
    parts.join(" ")
}

fn tone_style(tone: &str) -> Option<Style> {
    match tone {
        "professional" | "authoritative" | "informative" => Some(Style::Formal),
        "friendly" | "playful" => Some(Style::Casual),
        _ => None,
    }
}

/// The draft for one planned post, with the generation's provider, model, tokens and cost.
pub async fn write(
    services: &Services,
    access: &Access,
    network: Network,
    planned: &PlannedPost,
    profile: &AccountProfile,
    voice: Option<&VoiceProfile>,
    guide: &str,
) -> Result<(Drafted, crate::ai::Generation)> {
    let brief = Brief { topic: planned.theme.clone(), ..Default::default() };
    let generation = services.ai_generate_with(access, &brief, &[network], 4, guide).await?;
    let variations = generation.networks.iter().flat_map(|n| n.variations.iter());
    let rank = |v: &zenalto_ai::local::draft::Variation| {
        let at_angle = if v.template == Some(planned.angle) { 15.0 } else { 0.0 };
        let consistency = voice.map(|p| f64::from(score(p, &v.fitted.text).score)).unwrap_or(50.0);
        f64::from(v.quality) * 0.5 + consistency * 0.5 + at_angle
    };
    let best = variations.max_by(|a, b| rank(a).total_cmp(&rank(b)));
    let Some(best) = best else {
        let drafted = Drafted {
            theme: planned.theme.clone(),
            text: String::new(),
            engine: generation.engine.clone(),
            quality: 0,
            quality_reasoning: vec!["no variation came back".into()],
            picked_because: String::new(),
        };
        return Ok((drafted, generation));
    };
    let mut text = best.fitted.text.clone();
    let mut reasoning = best.reasoning.clone();
    if generation.engine == "local"
        && let Some(style) = tone_style(&profile.tone)
    {
        let toned = rewrite(&text, style);
        let refit = fit(network, &toned.text, false);
        if !toned.applied.is_empty() && refit.report.with_severity(Severity::Error).count() == 0 {
            reasoning.push(format!("put in a {} tone: {}", profile.tone, toned.applied.join(", ")));
            text = refit.text;
        }
    }
    let picked_because = format!(
        "{} variation of {}: quality {}, {}{}",
        best.template.map(|t| format!("{t:?}").to_lowercase()).unwrap_or_else(|| "provider".into()),
        generation.networks.iter().map(|n| n.variations.len()).sum::<usize>(),
        best.quality,
        voice.map(|p| format!("brand-voice consistency {}", score(p, &best.fitted.text).score)).unwrap_or_else(|| "no brand voice learned yet".into()),
        if best.template == Some(planned.angle) { ", at the planned angle" } else { "" }
    );
    let drafted =
        Drafted { theme: planned.theme.clone(), text, engine: generation.engine.clone(), quality: best.quality, quality_reasoning: reasoning, picked_because };
    Ok((drafted, generation))
}

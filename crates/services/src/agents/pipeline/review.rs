//! Review: every draft is checked by the publishing engine's validation for its network, scored
//! against the brand voice, and screened for risky content (the rule list in
//! `zenalto_ai::local::risk`, plus phrases of the account's past rejection reasons). A draft
//! that fails validation is not submitted; flags travel with the draft to the approver.

use serde::Serialize;
use zenalto_ai::local::risk::{Flag, flags};
use zenalto_ai::local::voice::{VoiceProfile, score};
use zenalto_domain::publishing::{Draft, Issue, Network, Severity, validate};

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reviewed {
    pub passes_validation: bool,
    pub issues: Vec<Issue>,
    pub voice_score: Option<u32>,
    pub voice_findings: Vec<String>,
    pub flags: Vec<Flag>,
}

pub fn review(network: Network, text: &str, voice: Option<&VoiceProfile>, rejected_phrases: &[String]) -> Reviewed {
    let report = validate(network, &Draft::text(text));
    let passes_validation = !text.trim().is_empty() && report.issues.iter().all(|i| i.severity != Severity::Error);
    let consistency = voice.map(|v| score(v, text));
    Reviewed {
        passes_validation,
        issues: report.issues,
        voice_score: consistency.as_ref().map(|c| c.score),
        voice_findings: consistency.map(|c| c.findings).unwrap_or_default(),
        flags: flags(text, rejected_phrases),
    }
}

//! The prompt template library: built-in templates per purpose, each a post skeleton with
//! declared `{{variables}}` and instructions for a provider, and the one renderer shared with
//! the workspace's own templates. Rendering is strict: a declared variable left unset, or a
//! value for a variable the template does not declare, is an error naming it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Variable {
    /// Letters, digits and `_`: what goes between `{{` and `}}`.
    pub name: String,
    pub description: String,
    /// An optional variable renders as nothing when unset.
    #[serde(default = "yes")]
    pub required: bool,
}

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Builtin {
    pub id: &'static str,
    pub name: &'static str,
    pub category: &'static str,
    /// What a provider is told about the post's purpose.
    pub instructions: &'static str,
    /// The post skeleton.
    pub body: &'static str,
    pub variables: Vec<Variable>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    #[error("the template uses {{{{{0}}}}} but it is not declared")]
    Undeclared(String),
    #[error("no value for the required variable {0}")]
    Missing(String),
    #[error("{0} is not a variable of this template")]
    Unknown(String),
    #[error("{0} is not a valid variable name: use letters, digits and _")]
    BadName(String),
}

fn var(name: &str, description: &str, required: bool) -> Variable {
    Variable {
        name: name.into(),
        description: description.into(),
        required,
    }
}

/// The built-in templates.
pub fn builtins() -> Vec<Builtin> {
    let cta = || var("call_to_action", "What the reader should do", false);
    vec![
        Builtin {
            id: "promotional",
            name: "Promotional",
            category: "promotional",
            instructions: "Lead with the benefit to the reader, then the offer; end with the call to action. No exaggeration.",
            body: "{{product}}: {{benefit}}. {{offer}}\n\n{{call_to_action}}",
            variables: vec![
                var("product", "What is promoted", true),
                var("benefit", "Why the reader should care", true),
                var("offer", "Price, discount or availability", false),
                cta(),
            ],
        },
        Builtin {
            id: "educational",
            name: "Educational tip",
            category: "educational",
            instructions: "Teach one useful thing in plain words; the tip first, then why it works.",
            body: "Tip about {{topic}}: {{tip}}\n\nWhy it works: {{reason}}\n\n{{call_to_action}}",
            variables: vec![
                var("topic", "The subject", true),
                var("tip", "The advice itself", true),
                var("reason", "Why it works", true),
                cta(),
            ],
        },
        Builtin {
            id: "storytelling",
            name: "Story",
            category: "storytelling",
            instructions: "Tell a short story with a beginning, a turn and an outcome; concrete details, first person plural.",
            body: "{{setting}}. Then {{turn}}. {{outcome}}.\n\n{{call_to_action}}",
            variables: vec![
                var("setting", "Where and when it starts", true),
                var("turn", "What changed", true),
                var("outcome", "How it ended", true),
                cta(),
            ],
        },
        Builtin {
            id: "engagement",
            name: "Question to the audience",
            category: "engagement",
            instructions: "Start a conversation: one clear question the audience can answer in a few words.",
            body: "{{context}}\n\n{{question}}",
            variables: vec![
                var("context", "One or two sentences to set the scene", true),
                var("question", "The question to ask", true),
            ],
        },
        Builtin {
            id: "announcement",
            name: "Announcement",
            category: "announcement",
            instructions: "Say what is new, when, and what it means for the reader; the facts first.",
            body: "{{news}}, from {{date}}. {{details}}\n\n{{call_to_action}}",
            variables: vec![
                var("news", "What is new", true),
                var("date", "When it starts", true),
                var("details", "What it means for the reader", false),
                cta(),
            ],
        },
        Builtin {
            id: "behind_the_scenes",
            name: "Behind the scenes",
            category: "behind_the_scenes",
            instructions: "Show the people and the work behind the product; warm and specific.",
            body: "Behind the scenes: {{who}} {{activity}}. {{detail}}",
            variables: vec![
                var("who", "Who is shown", true),
                var("activity", "What they are doing", true),
                var("detail", "A detail only insiders know", false),
            ],
        },
    ]
}

pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 40
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The variable names a body uses, in order of first use.
pub fn used_in(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            // An unclosed `{{` is reported as an undeclared variable rather than swallowing the rest.
            out.push(format!("{{{{{}", after.trim()));
            break;
        };
        let name = after[..end].trim().to_owned();
        if !out.contains(&name) {
            out.push(name);
        }
        rest = &after[end + 2..];
    }
    out
}

/// Checks that a template's body uses only declared, well-named variables.
pub fn check(body: &str, variables: &[Variable]) -> Result<(), RenderError> {
    if let Some(bad) = variables.iter().find(|v| !valid_name(&v.name)) {
        return Err(RenderError::BadName(bad.name.clone()));
    }
    match used_in(body)
        .into_iter()
        .find(|name| !variables.iter().any(|v| &v.name == name))
    {
        Some(name) => Err(RenderError::Undeclared(name)),
        None => Ok(()),
    }
}

/// Fills `body` with `values`. Optional variables left unset render as nothing; lines left
/// empty and doubled spaces are tidied away.
pub fn render(
    body: &str,
    variables: &[Variable],
    values: &BTreeMap<String, String>,
) -> Result<String, RenderError> {
    check(body, variables)?;
    if let Some(unknown) = values
        .keys()
        .find(|k| !variables.iter().any(|v| &v.name == *k))
    {
        return Err(RenderError::Unknown(unknown.clone()));
    }
    if let Some(missing) = variables
        .iter()
        .find(|v| v.required && values.get(&v.name).is_none_or(|s| s.trim().is_empty()))
    {
        return Err(RenderError::Missing(missing.name.clone()));
    }
    let mut out = String::new();
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").unwrap_or(after.len());
        out.push_str(
            values
                .get(after[..end].trim())
                .map(|s| s.trim())
                .unwrap_or_default(),
        );
        rest = after.get(end + 2..).unwrap_or_default();
    }
    out.push_str(rest);
    let lines: Vec<String> = out
        .lines()
        // Only whitespace is tidied: the user's own punctuation is theirs.
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    Ok(lines
        .join("\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty() && *p != ".")
        .collect::<Vec<_>>()
        .join("\n\n"))
}

#[cfg(test)]
#[path = "templates_tests.rs"]
mod tests;

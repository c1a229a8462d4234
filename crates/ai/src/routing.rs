//! Routing by task: simple tasks go to a provider's cheap model when one is configured.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    Generate,
    Rewrite,
    Translate,
    Hashtags,
    Analyze,
    /// Describing a picture (vision).
    AltText,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    Cheap,
    Standard,
}

impl Task {
    pub fn as_str(self) -> &'static str {
        match self {
            Task::Generate => "generate",
            Task::Rewrite => "rewrite",
            Task::Translate => "translate",
            Task::Hashtags => "hashtags",
            Task::Analyze => "analyze",
            Task::AltText => "alt_text",
        }
    }

    /// Short, well-specified outputs (hashtags, labels) do not need the best model; writing does.
    pub fn tier(self) -> Tier {
        match self {
            Task::Hashtags | Task::Analyze => Tier::Cheap,
            Task::Generate | Task::Rewrite | Task::Translate | Task::AltText => Tier::Standard,
        }
    }
}

/// The model a link uses for a task.
pub fn model_for<'a>(task: Task, model: &'a str, cheap_model: Option<&'a str>) -> &'a str {
    match (task.tier(), cheap_model) {
        (Tier::Cheap, Some(cheap)) if !cheap.is_empty() => cheap,
        _ => model,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_tasks_take_the_cheap_model() {
        assert_eq!(model_for(Task::Hashtags, "big", Some("small")), "small");
        assert_eq!(model_for(Task::Generate, "big", Some("small")), "big");
        assert_eq!(model_for(Task::Analyze, "big", None), "big");
    }
}

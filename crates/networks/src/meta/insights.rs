//! The insights answer shared by Facebook, Instagram and Threads:
//! `{"data":[{"name","period","values":[{"value"}]}]}`, or `total_value` for totals.

use serde::Deserialize;
use serde_json::Value;

/// One metric of an insights answer: `{"name", "values": [{"value": …}]}`, or `total_value`.
#[derive(Deserialize)]
pub struct Insight {
    pub name: String,
    #[serde(default)]
    pub values: Vec<InsightValue>,
    #[serde(default)]
    pub total_value: Option<InsightValue>,
}

#[derive(Deserialize)]
pub struct InsightValue {
    #[serde(default)]
    pub value: Value,
}

impl Insight {
    /// The latest value as a count (objects broken down by type are summed).
    pub fn count(&self) -> Option<u64> {
        let value = self
            .total_value
            .as_ref()
            .map(|v| &v.value)
            .or_else(|| self.values.last().map(|v| &v.value))?;
        match value {
            Value::Number(n) => n.as_u64(),
            Value::Object(parts) => Some(parts.values().filter_map(Value::as_u64).sum()),
            _ => None,
        }
    }
}

pub fn find(insights: &[Insight], name: &str) -> Option<u64> {
    insights
        .iter()
        .find(|i| i.name == name)
        .and_then(Insight::count)
}

//! Cost per request from a configurable price table, and monthly budgets.
//!
//! Prices are in US dollars per million tokens, which is exactly micro-dollars per token, so
//! costs are kept as integer micro-dollars (`cost_micros`) with no rounding drift when summed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::types::Usage;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Price {
    /// USD per million input tokens.
    pub input: f64,
    /// USD per million output tokens.
    pub output: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PriceTable {
    /// By model name; a key ending in `*` matches every model with that prefix.
    pub models: BTreeMap<String, Price>,
}

impl PriceTable {
    /// The price of a model: an exact entry, else the longest matching prefix entry.
    pub fn price(&self, model: &str) -> Option<Price> {
        if let Some(price) = self.models.get(model) {
            return Some(*price);
        }
        self.models
            .iter()
            .filter_map(|(key, price)| key.strip_suffix('*').filter(|prefix| model.starts_with(prefix)).map(|p| (p.len(), *price)))
            .max_by_key(|(len, _)| *len)
            .map(|(_, price)| price)
    }

    /// The cost of one call in micro-dollars; zero for a model without a price (local models).
    pub fn cost_micros(&self, model: &str, usage: Usage) -> u64 {
        let Some(price) = self.price(model) else { return 0 };
        let cost = usage.input_tokens as f64 * price.input + usage.output_tokens as f64 * price.output;
        if cost.is_finite() && cost > 0.0 { cost.round() as u64 } else { 0 }
    }
}

/// Why a call may not go out.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the workspace's monthly AI budget of ${limit} is used up (${spent} spent this month); raise it in the AI settings or write it yourself", limit = dollars(*.limit_micros), spent = dollars(*.spent_micros))]
pub struct BudgetExceeded {
    pub limit_micros: u64,
    pub spent_micros: u64,
}

fn dollars(micros: u64) -> String {
    format!("{:.2}", micros as f64 / 1_000_000.0)
}

/// Checks a monthly budget before a call. `None` means no budget.
pub fn check_budget(limit_micros: Option<u64>, spent_micros: u64) -> Result<(), BudgetExceeded> {
    match limit_micros {
        Some(limit) if spent_micros >= limit => Err(BudgetExceeded { limit_micros: limit, spent_micros }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_in_micro_dollars_with_prefix_prices() {
        let mut table = PriceTable::default();
        table.models.insert("gpt-4o-mini".into(), Price { input: 0.15, output: 0.60 });
        table.models.insert("claude-*".into(), Price { input: 3.0, output: 15.0 });
        table.models.insert("claude-3-haiku*".into(), Price { input: 0.25, output: 1.25 });
        let usage = Usage { input_tokens: 1000, output_tokens: 500 };
        assert_eq!(table.cost_micros("gpt-4o-mini", usage), 450);
        assert_eq!(table.cost_micros("claude-sonnet-4", usage), 10_500);
        assert_eq!(table.cost_micros("claude-3-haiku-2024", usage), 875);
        assert_eq!(table.cost_micros("llama3", usage), 0);
    }

    #[test]
    fn budgets_stop_calls_once_spent() {
        assert!(check_budget(None, u64::MAX).is_ok());
        assert!(check_budget(Some(5_000_000), 4_999_999).is_ok());
        let error = check_budget(Some(5_000_000), 5_000_000).err();
        assert_eq!(
            error.map(|e| e.to_string()).as_deref(),
            Some("the workspace's monthly AI budget of $5.00 is used up ($5.00 spent this month); raise it in the AI settings or write it yourself")
        );
    }
}

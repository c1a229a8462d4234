//! A workspace's provider chain: settings (keys encrypted with the vault, never returned),
//! the monthly budget, the chain built from them for a call, and the usage ledger.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::json;
use zenalto_ai::pricing::{Price, PriceTable};
use zenalto_ai::providers::{Endpoint, anthropic::Anthropic, gemini::Gemini, openai::OpenAi};
use zenalto_ai::resilience::{BreakerPolicy, Breakers, Cache, Chain, Link, RetryPolicy};
use zenalto_ai::{Provider, Usage};
use zenalto_domain::{Permission, Timestamp, WorkspaceId};
use zenalto_store::Conn;
use zenalto_store::repo::ai::{self as repo, AiSettingsRow, NewUsage, UsageLine};

use crate::{Access, RequestMeta, Result, ServiceError, Services, audit};

const MAX_PROVIDERS: usize = 5;

/// Process-wide AI state: breakers per provider, the response cache, and the call policy.
pub struct Shared {
    pub breakers: Arc<Breakers>,
    pub cache: Arc<Cache>,
    pub retry: RetryPolicy,
    pub call_timeout: Duration,
}

impl Shared {
    pub fn new(settings: &zenalto_settings::AiSettings) -> Self {
        let breaker = BreakerPolicy { threshold: settings.breaker_threshold.max(1), cooldown: Duration::from_secs(settings.breaker_cooldown_secs) };
        let retry = RetryPolicy {
            attempts: settings.retry_attempts.max(1),
            base: Duration::from_millis(settings.retry_base_ms),
            max_wait: Duration::from_secs(settings.retry_max_wait_secs),
        };
        Shared {
            breakers: Arc::new(Breakers::new(breaker)),
            cache: Arc::new(Cache::new(Duration::from_secs(settings.cache_ttl_secs), settings.cache_entries.max(1))),
            retry,
            call_timeout: Duration::from_secs(settings.call_timeout_secs.max(1)),
        }
    }
}

/// One provider as stored (the key as vault ciphertext).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Stored {
    kind: String,
    base_url: String,
    model: String,
    cheap_model: Option<String>,
    input_price: Option<f64>,
    output_price: Option<f64>,
    key: Option<String>,
    /// Whether the model takes pictures (alt text and captions are asked only of those).
    #[serde(default)]
    vision: bool,
}

/// One provider as the API sets it.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProviderInput {
    /// openai (any OpenAI-compatible server), anthropic, gemini
    pub kind: String,
    pub base_url: String,
    pub model: String,
    pub cheap_model: Option<String>,
    /// USD per million input / output tokens, for the cost of each call.
    pub input_price: Option<f64>,
    pub output_price: Option<f64>,
    /// Omitted: keep the key already stored for this position if the kind and URL are unchanged.
    pub api_key: Option<String>,
    /// The model takes pictures (GPT-4o, Claude, Gemini, LLaVA…): it is asked for alt text.
    #[serde(default)]
    pub vision: bool,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SettingsInput {
    pub providers: Vec<ProviderInput>,
    pub monthly_budget_micros: Option<i64>,
}

/// One provider as the API shows it: never the key, only whether one is set.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderView {
    pub kind: String,
    pub base_url: String,
    pub model: String,
    pub cheap_model: Option<String>,
    pub input_price: Option<f64>,
    pub output_price: Option<f64>,
    pub key_set: bool,
    pub vision: bool,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    pub providers: Vec<ProviderView>,
    pub monthly_budget_micros: Option<i64>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageReport {
    /// The first instant of the current month (UTC), RFC 3339.
    pub since: String,
    pub spent_micros: i64,
    pub monthly_budget_micros: Option<i64>,
    pub lines: Vec<UsageLineView>,
    pub cache_hits: u64,
    pub cache_misses: u64,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageLineView {
    pub provider: String,
    pub model: String,
    pub requests: i64,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub cost_micros: i64,
}

impl From<UsageLine> for UsageLineView {
    fn from(l: UsageLine) -> Self {
        UsageLineView { provider: l.provider, model: l.model, requests: l.requests, input_tokens: l.input_tokens, output_tokens: l.output_tokens, cost_micros: l.cost_micros }
    }
}

/// A workspace's chain ready to call, with what cost needs.
pub(crate) struct Configured {
    pub chain: Chain,
    pub prices: PriceTable,
    pub budget: Option<i64>,
    /// The model each provider of the chain uses, by provider name (for a stream's cost).
    pub models: std::collections::HashMap<String, String>,
}

fn view(stored: &[Stored]) -> Vec<ProviderView> {
    stored
        .iter()
        .map(|s| ProviderView {
            kind: s.kind.clone(),
            base_url: s.base_url.clone(),
            model: s.model.clone(),
            cheap_model: s.cheap_model.clone(),
            input_price: s.input_price,
            output_price: s.output_price,
            key_set: s.key.is_some(),
            vision: s.vision,
        })
        .collect()
}

fn parse(row: &Option<AiSettingsRow>) -> Result<Vec<Stored>> {
    match row {
        None => Ok(Vec::new()),
        Some(row) => serde_json::from_str(&row.providers).map_err(|e| ServiceError::Internal(format!("stored AI settings are unreadable: {e}"))),
    }
}

/// The first instant of the month `now` falls in, UTC.
pub(crate) fn month_start(now: Timestamp) -> Timestamp {
    let Ok(at) = jiff::Timestamp::from_millisecond(now.as_millis()) else { return now };
    let date = at.to_zoned(jiff::tz::TimeZone::UTC).date();
    let first = jiff::civil::date(date.year(), date.month(), 1);
    first.to_zoned(jiff::tz::TimeZone::UTC).map(|z| Timestamp::from_millis(z.timestamp().as_millisecond())).unwrap_or(now)
}

impl Services {
    /// The provider chain and budget (settings:view). Keys are never returned.
    pub async fn ai_settings(&self, access: &Access) -> Result<SettingsView> {
        access.require(Permission::SettingsView)?;
        let mut conn = self.db.read().await?;
        let row = repo::get_settings(&mut conn, access.workspace_id).await?;
        Ok(SettingsView { providers: view(&parse(&row)?), monthly_budget_micros: row.and_then(|r| r.monthly_budget_micros) })
    }

    /// Replaces the provider chain and budget (settings:update), audited without the keys.
    pub async fn set_ai_settings(&self, access: &Access, input: SettingsInput, meta: &RequestMeta) -> Result<SettingsView> {
        access.require(Permission::SettingsUpdate)?;
        if input.providers.len() > MAX_PROVIDERS {
            return Err(ServiceError::field("providers", format!("at most {MAX_PROVIDERS} providers")));
        }
        if input.monthly_budget_micros.is_some_and(|b| b < 0) {
            return Err(ServiceError::field("monthlyBudgetMicros", "a budget cannot be negative"));
        }
        let mut tx = self.db.begin().await?;
        let previous = parse(&repo::get_settings(&mut tx, access.workspace_id).await?)?;
        let mut stored = Vec::with_capacity(input.providers.len());
        for (i, p) in input.providers.into_iter().enumerate() {
            if !matches!(p.kind.as_str(), "openai" | "anthropic" | "gemini") {
                return Err(ServiceError::field(&format!("providers[{i}].kind"), "one of openai, anthropic, gemini"));
            }
            let url = url::Url::parse(&p.base_url).ok().filter(|u| matches!(u.scheme(), "http" | "https"));
            if url.is_none() {
                return Err(ServiceError::field(&format!("providers[{i}].baseUrl"), "an http(s) URL"));
            }
            if p.model.trim().is_empty() {
                return Err(ServiceError::field(&format!("providers[{i}].model"), "name the model"));
            }
            if [p.input_price, p.output_price].iter().flatten().any(|x| !x.is_finite() || *x < 0.0) {
                return Err(ServiceError::field(&format!("providers[{i}].inputPrice"), "prices are USD per million tokens, 0 or more"));
            }
            let key = match p.api_key.as_deref().map(str::trim) {
                Some("") => None,
                Some(key) => Some(self.keys.keyring.encrypt(key).map_err(|e| ServiceError::Internal(e.to_string()))?),
                None => previous.get(i).filter(|old| old.kind == p.kind && old.base_url == p.base_url).and_then(|old| old.key.clone()),
            };
            stored.push(Stored { kind: p.kind, base_url: p.base_url, model: p.model, cheap_model: p.cheap_model.filter(|m| !m.trim().is_empty()), input_price: p.input_price, output_price: p.output_price, key, vision: p.vision });
        }
        let providers = serde_json::to_string(&stored).map_err(|e| ServiceError::Internal(e.to_string()))?;
        repo::put_settings(&mut tx, access.workspace_id, &AiSettingsRow { providers, monthly_budget_micros: input.monthly_budget_micros }, self.now()).await?;
        let chain: Vec<_> = stored.iter().map(|s| json!({ "kind": s.kind, "baseUrl": s.base_url, "model": s.model, "keySet": s.key.is_some() })).collect();
        let event = audit::Event {
            action: "ai.settings.update",
            resource_type: "workspace",
            resource_id: Some(access.workspace_id.to_string()),
            changes: Some(json!({ "providers": chain, "monthlyBudgetMicros": input.monthly_budget_micros })),
        };
        audit::record(&mut tx, access, meta, event, self).await?;
        tx.commit().await.map_err(zenalto_store::StoreError::from)?;
        Ok(SettingsView { providers: view(&stored), monthly_budget_micros: input.monthly_budget_micros })
    }

    /// This month's spend per provider and model, the budget, and the process's cache counters
    /// (settings:view).
    pub async fn ai_usage(&self, access: &Access) -> Result<UsageReport> {
        access.require(Permission::SettingsView)?;
        let since = month_start(self.now());
        let mut conn = self.db.read().await?;
        let lines = repo::usage_since(&mut conn, access.workspace_id, since).await?;
        let budget = repo::get_settings(&mut conn, access.workspace_id).await?.and_then(|r| r.monthly_budget_micros);
        let stats = self.ai.cache.stats();
        Ok(UsageReport {
            since: since.to_string(),
            spent_micros: lines.iter().map(|l| l.cost_micros).sum(),
            monthly_budget_micros: budget,
            lines: lines.into_iter().map(UsageLineView::from).collect(),
            cache_hits: stats.hits,
            cache_misses: stats.misses,
        })
    }

    /// The workspace's chain, or `None` when no provider is configured.
    pub(crate) async fn ai_chain(&self, workspace: WorkspaceId) -> Result<Option<Configured>> {
        self.ai_chain_of(workspace, |_| true).await
    }

    /// The workspace's vision-capable providers as a chain, or `None` when it has none.
    pub(crate) async fn ai_vision_chain(&self, workspace: WorkspaceId) -> Result<Option<Configured>> {
        self.ai_chain_of(workspace, |s| s.vision).await
    }

    async fn ai_chain_of(&self, workspace: WorkspaceId, wanted: impl Fn(&Stored) -> bool) -> Result<Option<Configured>> {
        let mut conn = self.db.read().await?;
        let row = repo::get_settings(&mut conn, workspace).await?;
        let stored: Vec<Stored> = parse(&row)?.into_iter().filter(|s| wanted(s)).collect();
        if stored.is_empty() {
            return Ok(None);
        }
        let mut links = Vec::new();
        let mut prices = PriceTable::default();
        let mut models = std::collections::HashMap::new();
        for s in &stored {
            let key = match &s.key {
                Some(sealed) => Some(self.keys.keyring.decrypt(sealed).map_err(|e| ServiceError::Internal(e.to_string()))?),
                None => None,
            };
            let mut endpoint = Endpoint::new(s.base_url.clone(), key);
            endpoint.timeout = self.ai.call_timeout;
            // Breakers are per provider endpoint, so one workspace's outage is everyone's signal.
            let name = format!("{}#{}", s.kind, s.base_url);
            let provider: Arc<dyn Provider> = match s.kind.as_str() {
                "anthropic" => Arc::new(Anthropic::new(name, endpoint)),
                "gemini" => Arc::new(Gemini::new(name, endpoint)),
                _ => Arc::new(OpenAi::new(name, endpoint)),
            };
            let price = Price { input: s.input_price.unwrap_or(0.0), output: s.output_price.unwrap_or(0.0) };
            for model in std::iter::once(&s.model).chain(s.cheap_model.iter()) {
                prices.models.entry(model.clone()).or_insert(price);
            }
            models.insert(provider.name().to_owned(), s.model.clone());
            links.push(Link { provider, model: s.model.clone(), cheap_model: s.cheap_model.clone() });
        }
        let chain = Chain::new(links, self.ai.retry, self.ai.breakers.clone(), Some(self.ai.cache.clone()), workspace.to_string());
        Ok(Some(Configured { chain, prices, budget: row.and_then(|r| r.monthly_budget_micros), models }))
    }

    /// Records one provider answer's tokens and cost (a cache hit is recorded at zero).
    pub(crate) async fn ai_record(&self, conn: &mut Conn, workspace: WorkspaceId, task: &str, answer: (&str, &str), usage: Usage, cost: u64) -> Result<()> {
        let (provider, model) = answer;
        let usage = NewUsage {
            task,
            provider,
            model,
            input_tokens: i64::try_from(usage.input_tokens).unwrap_or(i64::MAX),
            output_tokens: i64::try_from(usage.output_tokens).unwrap_or(i64::MAX),
            cost_micros: i64::try_from(cost).unwrap_or(i64::MAX),
        };
        repo::insert_usage(conn, workspace, &usage, self.now()).await?;
        Ok(())
    }
}

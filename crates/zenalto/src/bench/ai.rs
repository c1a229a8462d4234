//! `zenalto bench ai`: latency of the local engine's operations and of a response-cache hit,
//! measured in process (no server, no network). The local engine works on a synthetic
//! workspace history of `--history` posts; the cache is measured through the real `Chain` with
//! a provider stub that answers at once, so a hit's figure is the chain's own cost (request
//! hashing, lookup, clone) and a miss's is that plus storing the answer.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use zenalto_ai::local::draft::{Brief, variations};
use zenalto_ai::local::fit::fit;
use zenalto_ai::local::hashtags::{PastPost, suggest};
use zenalto_ai::local::keywords::{Corpus, rake, tf_idf};
use zenalto_ai::local::predict::{PostShape, Sample, train};
use zenalto_ai::local::readability::readability;
use zenalto_ai::local::rewrite::{Style, rewrite};
use zenalto_ai::local::sentiment;
use zenalto_ai::local::timing::{Observation, SLOTS, prior, rank};
use zenalto_ai::resilience::{Breakers, Cache, Chain, Link, RetryPolicy};
use zenalto_ai::routing::Task;
use zenalto_ai::{AiError, ChatRequest, ChatResponse, DeltaStream, Finish, Message, Provider, Usage};
use zenalto_domain::publishing::Network;

#[derive(clap::Args)]
pub struct AiArgs {
    /// Calls per operation.
    #[arg(long, default_value_t = 2000)]
    iterations: usize,
    /// Posts in the synthetic workspace history.
    #[arg(long, default_value_t = 1000)]
    history: usize,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Row {
    operation: &'static str,
    median_us: f64,
    p99_us: f64,
}

/// A provider that answers at once, so the chain's own cost is what is measured.
struct Instant0;

#[async_trait::async_trait]
impl Provider for Instant0 {
    fn name(&self) -> &str {
        "stub"
    }
    async fn chat(&self, request: &ChatRequest) -> Result<ChatResponse, AiError> {
        Ok(ChatResponse { model: request.model.clone(), text: "an answer of a few words".into(), tool_calls: vec![], usage: Usage { input_tokens: 40, output_tokens: 6 }, finish: Finish::Stop })
    }
    async fn stream(&self, _request: &ChatRequest) -> Result<DeltaStream, AiError> {
        Ok(Box::pin(futures::stream::empty()))
    }
}

const DRAFT: &str = "Our spring sourdough workshop is back! Learn to feed a starter, shape a loaf and bake a crisp crust at home. \
Every Saturday morning in April, all flour included. Book a seat today #baking #sourdough";

fn history(posts: usize) -> Vec<PastPost> {
    let topics = [
        ("baking", ["sourdough", "starter", "flour", "dough", "oven", "croissant", "butter", "crust"]),
        ("coffee", ["espresso", "beans", "roast", "latte", "barista", "grinder", "crema", "filter"]),
        ("events", ["workshop", "tasting", "saturday", "market", "festival", "class", "tickets", "morning"]),
    ];
    (0..posts)
        .map(|i| {
            let (tag, words) = topics[i % topics.len()];
            let k = i % 6;
            PastPost { text: format!("New {} {} and {} this week #{tag}", words[k], words[k + 1], words[k + 2]), engagement: (i % 50) as f64 }
        })
        .collect()
}

/// A published post shape for the `i`-th post of the synthetic history: cycling hours and networks.
fn shape(i: usize, text: &str) -> PostShape<'_> {
    PostShape { text, network: [Network::X, Network::Mastodon][i % 2], hour: (i * 7 % 24) as u8, weekday: (i % 7) as u8, images: i % 3 / 2, videos: 0 }
}

fn time<T>(iterations: usize, mut op: impl FnMut() -> T) -> (f64, f64) {
    let mut samples: Vec<Duration> = (0..iterations.max(1))
        .map(|_| {
            let start = Instant::now();
            black_box(op());
            start.elapsed()
        })
        .collect();
    summarise(&mut samples)
}

fn summarise(samples: &mut [Duration]) -> (f64, f64) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1e6;
    ((at(0.5) * 10.0).round() / 10.0, (at(0.99) * 10.0).round() / 10.0)
}

pub async fn run(args: AiArgs) -> anyhow::Result<()> {
    let n = args.iterations;
    let history = history(args.history);
    let corpus = Corpus::new(history.iter().map(|p| p.text.as_str()));
    let brief = Brief {
        topic: "our spring sourdough workshop".into(),
        points: vec!["every Saturday morning in April".into(), "all flour included".into()],
        call_to_action: Some("Book a seat today".into()),
        link: None,
    };
    let mut rows = Vec::new();
    let mut add = |operation, (median_us, p99_us)| rows.push(Row { operation, median_us, p99_us });
    add("sentiment", time(n, || sentiment(DRAFT)));
    add("key phrases (RAKE)", time(n, || rake(DRAFT, 10)));
    add("TF-IDF vs history", time(n, || tf_idf(DRAFT, &corpus, 10)));
    add("corpus build (history)", time(n.min(200), || Corpus::new(history.iter().map(|p| p.text.as_str()))));
    add("hashtags (history)", time(n.min(500), || suggest(DRAFT, &history, 5)));
    add("readability", time(n, || readability(DRAFT)));
    add("rewrite (shorten)", time(n, || rewrite(DRAFT, Style::Shorten)));
    add("fit to X", time(n, || fit(Network::X, DRAFT, false)));
    add("generate 3 variations for X", time(n.min(500), || variations(&brief, Network::X, &history, 3)));
    // The history as published posts at cycling hours and networks, for the model and timing.
    let samples: Vec<Sample<'_>> = history.iter().enumerate().map(|(i, p)| Sample { shape: shape(i, &p.text), engagement: p.engagement }).collect();
    add("train prediction model (5-fold CV)", time(n.min(10), || train(&samples)));
    if let Some((model, cv)) = train(&samples) {
        add("predict one draft", time(n, || model.estimate(&shape(3, DRAFT), &cv)));
    }
    let observations: Vec<Observation> = samples.iter().map(|s| Observation { slot: (s.shape.weekday as usize * 24 + s.shape.hour as usize) % SLOTS, engagement: s.engagement }).collect();
    add("best times (history)", time(n.min(500), || rank(&observations, &prior(Some(Network::X)), 10)));

    let cache = Arc::new(Cache::new(Duration::from_secs(86_400), 100_000));
    let link = Link { provider: Arc::new(Instant0), model: "stub".into(), cheap_model: None };
    let chain = Chain::new(vec![link], RetryPolicy::default(), Arc::new(Breakers::default()), Some(cache.clone()), "bench");
    let request = |i: usize| ChatRequest::new("", vec![Message::system("Write social posts."), Message::user(format!("{DRAFT} ({i})"))]);
    let mut misses = Vec::with_capacity(n);
    for i in 0..n {
        let request = request(i);
        let start = Instant::now();
        black_box(chain.complete(Task::Generate, &request).await?);
        misses.push(start.elapsed());
    }
    let mut hits = Vec::with_capacity(n);
    for i in 0..n {
        let request = request(i);
        let start = Instant::now();
        let answer = chain.complete(Task::Generate, &request).await?;
        hits.push(start.elapsed());
        anyhow::ensure!(answer.cached, "expected a cache hit");
    }
    let miss = summarise(&mut misses);
    let hit = summarise(&mut hits);
    rows.push(Row { operation: "chain: cache miss (stub provider)", median_us: miss.0, p99_us: miss.1 });
    rows.push(Row { operation: "chain: cache hit", median_us: hit.0, p99_us: hit.1 });

    if args.json {
        println!("{}", serde_json::to_string(&serde_json::json!({ "iterations": n, "history": args.history, "rows": rows }))?);
    } else {
        println!("zenalto bench ai — {n} calls per operation, history of {} posts, {} CPUs", args.history, std::thread::available_parallelism().map(|p| p.get()).unwrap_or(1));
        println!("{:<36} {:>12} {:>12}", "operation", "median µs", "p99 µs");
        for row in &rows {
            println!("{:<36} {:>12.1} {:>12.1}", row.operation, row.median_us, row.p99_us);
        }
        let stats = cache.stats();
        println!("cache: {} hits, {} misses, {} entries", stats.hits, stats.misses, stats.entries);
    }
    Ok(())
}

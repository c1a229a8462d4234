//! `zenalto bench media`: upload throughput of generated real images and a short generated
//! video against a real `zenalto serve` child (one-request multipart and resumable 1 MiB
//! chunks, probing and storing included), and the latency of probing + thumbnail and of
//! per-network derivatives, measured in-process on the same images.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use serde::Serialize;
use zenalto_domain::publishing::{MediaKind, Network, NetworkRules};
use zenalto_media::{derive, probe, transcode};

use super::{load, server, server::Target};

#[derive(clap::Args)]
pub struct MediaArgs {
    /// Images generated per kind (photo-like JPEG, detailed PNG).
    #[arg(long, default_value_t = 4)]
    images: usize,
    /// Length of the generated video, in seconds (needs ffmpeg).
    #[arg(long, default_value_t = 10)]
    video_secs: u32,
    /// sqlite (a file in a fresh data folder) or postgres (a fresh database created through
    /// --database-url, dropped afterwards).
    #[arg(long, default_value = "sqlite", value_parser = ["sqlite", "postgres"])]
    backend: String,
    /// PostgreSQL URL whose role may create databases (for --backend postgres).
    #[arg(long, env = "ZENALTO__DATABASE__URL")]
    database_url: Option<String>,
    /// Keep media in this S3-compatible store (e.g. moto at http://127.0.0.1:5055) instead of
    /// the data folder; a fresh bucket is created with an unsigned PUT, as moto and MinIO in
    /// anonymous mode accept.
    #[arg(long)]
    s3_endpoint: Option<String>,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Report {
    cpus: usize,
    database: String,
    storage: String,
    uploads: Vec<Upload>,
    processing: Vec<Processing>,
}

#[derive(Serialize)]
struct Upload {
    what: String,
    files: usize,
    mib: f64,
    seconds: f64,
    mib_per_sec: f64,
    median_ms: f64,
}

#[derive(Serialize)]
struct Processing {
    what: String,
    runs: usize,
    median_ms: f64,
    max_ms: f64,
}

/// A photo-like picture: smooth gradients with a little texture.
fn photo(width: u32, height: u32, seed: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| {
        let texture = ((x.wrapping_mul(7) ^ y.wrapping_mul(13)).wrapping_add(seed) % 17) as u8;
        Rgb([((x * 255 / width) as u8).wrapping_add(texture), ((y * 255 / height) as u8).wrapping_add(seed as u8), (((x + y) * 127 / (width + height)) as u8) ^ texture])
    }))
}

/// A detailed picture (a screenshot-like pattern with noise): hard to compress.
fn detailed(width: u32, height: u32, seed: u32) -> DynamicImage {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let [a, b, _, _] = state.to_le_bytes();
        Rgb([a / 2 + (x % 128) as u8, b / 2 + (y % 128) as u8, ((x ^ y) % 256) as u8])
    }))
}

fn encode(image: &DynamicImage, format: ImageFormat) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    image.write_to(&mut std::io::Cursor::new(&mut out), format).context("cannot encode a test image")?;
    Ok(out)
}

fn video(seconds: u32, width: u32, height: u32) -> anyhow::Result<Vec<u8>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("clip.mp4");
    let source = format!("testsrc2=duration={seconds}:size={width}x{height}:rate=30");
    let output = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-f", "lavfi", "-i", &source, "-pix_fmt", "yuv420p"])
        .arg(&path)
        .output()
        .context("ffmpeg is needed to generate the test video (Debian's ffmpeg package)")?;
    if !output.status.success() {
        bail!("ffmpeg failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(std::fs::read(path)?)
}

/// Settings for an S3-compatible store with a fresh bucket.
async fn s3_env(endpoint: &str) -> anyhow::Result<Vec<(String, String)>> {
    let bucket = format!("zenalto-bench-{}", uuid::Uuid::new_v4().simple());
    let response = reqwest::Client::new().put(format!("{}/{bucket}", endpoint.trim_end_matches('/'))).send().await.with_context(|| format!("cannot reach {endpoint}"))?;
    if !response.status().is_success() {
        bail!("creating the bucket at {endpoint} answered {}", response.status());
    }
    let pairs = [
        ("ZENALTO__MEDIA__STORAGE", "s3"),
        ("ZENALTO__MEDIA__S3__ENDPOINT", endpoint),
        ("ZENALTO__MEDIA__S3__BUCKET", bucket.as_str()),
        ("ZENALTO__MEDIA__S3__ACCESS_KEY_ID", "bench"),
        ("ZENALTO__MEDIA__S3__SECRET_ACCESS_KEY", "bench"),
    ];
    Ok(pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect())
}

/// An animated GIF from ffmpeg's test pattern, with its own palette.
fn animated_gif(seconds: u32, width: u32, height: u32) -> anyhow::Result<Vec<u8>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("clip.gif");
    let output = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-f", "lavfi", "-i", &format!("testsrc=duration={seconds}:size={width}x{height}:rate=15")])
        .args(["-vf", "split[a][b];[a]palettegen[p];[b][p]paletteuse"])
        .arg(&path)
        .output()
        .context("ffmpeg is needed to generate the test GIF")?;
    if !output.status.success() {
        bail!("ffmpeg failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(std::fs::read(path)?)
}

/// One transcode of `bytes` for `network`, timed.
async fn moving(what: &str, bytes: &[u8], ext: &str, network: Network, kind: MediaKind, size: (u32, u32)) -> anyhow::Result<Processing> {
    let dir = tempfile::tempdir()?;
    let input = dir.path().join(format!("in.{ext}"));
    std::fs::write(&input, bytes)?;
    let rules = NetworkRules::for_network(network);
    let rules = rules.media.kind(kind).context("the network takes no such media")?;
    let shape = transcode::reshape(rules, size.0, size.1);
    let started = Instant::now();
    if kind == MediaKind::Video {
        let limit = rules.max_bytes.as_ref().map(|m| m.value);
        transcode::transcode_video("ffmpeg", &input, &dir.path().join("out.mp4"), &shape, transcode::video_bitrate(limit, None)).await?;
    } else {
        // As the service does: smaller until under the size limit.
        let output = dir.path().join("out.gif");
        let limit = rules.max_bytes.as_ref().map(|m| m.value);
        for (tries, factor) in [1.0, 0.75, 0.55, 0.4].into_iter().enumerate() {
            transcode::resize_gif("ffmpeg", &input, &output, &shape.smaller(factor)).await?;
            if limit.is_none_or(|max| std::fs::metadata(&output).is_ok_and(|m| m.len() <= max)) {
                let elapsed = ms(started.elapsed());
                return Ok(Processing { what: format!("{what}, {} tries", tries + 1), runs: 1, median_ms: elapsed, max_ms: elapsed });
            }
        }
        bail!("the GIF did not fit under the limit");
    }
    let elapsed = ms(started.elapsed());
    Ok(Processing { what: what.to_owned(), runs: 1, median_ms: elapsed, max_ms: elapsed })
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(samples: &mut [f64]) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    (samples.get(samples.len() / 2).copied().unwrap_or(0.0), samples.last().copied().unwrap_or(0.0))
}

struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
    workspace: String,
}

impl Client {
    async fn multipart(&self, name: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let boundary = "zenalto-bench-boundary";
        let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\r\n").into_bytes();
        body.extend_from_slice(bytes);
        body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
        let response = self
            .http
            .post(format!("{}/api/v1/workspaces/{}/media", self.base, self.workspace))
            .bearer_auth(&self.token)
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .body(body)
            .send()
            .await?;
        if !response.status().is_success() {
            bail!("upload {name} answered {}: {}", response.status(), response.text().await.unwrap_or_default());
        }
        Ok(())
    }

    async fn resumable(&self, name: &str, mime: &str, bytes: &[u8], chunk: usize) -> anyhow::Result<()> {
        let uploads = format!("{}/api/v1/workspaces/{}/media-uploads", self.base, self.workspace);
        let session: serde_json::Value = self
            .http
            .post(&uploads)
            .bearer_auth(&self.token)
            .json(&serde_json::json!({ "name": name, "mimeType": mime, "totalBytes": bytes.len() }))
            .send()
            .await?
            .json()
            .await?;
        let id = session["id"].as_str().context("no upload id")?;
        for (i, piece) in bytes.chunks(chunk).enumerate() {
            let response = self.http.put(format!("{uploads}/{id}?offset={}", i * chunk)).bearer_auth(&self.token).body(piece.to_vec()).send().await?;
            if !response.status().is_success() {
                bail!("chunk {i} of {name} answered {}", response.status());
            }
        }
        let response = self.http.post(format!("{uploads}/{id}/complete")).bearer_auth(&self.token).send().await?;
        if !response.status().is_success() {
            bail!("completing {name} answered {}: {}", response.status(), response.text().await.unwrap_or_default());
        }
        Ok(())
    }
}

async fn timed_uploads(client: &Client, what: &str, files: &[(String, Vec<u8>)], resumable: bool) -> anyhow::Result<Upload> {
    let mut each = Vec::new();
    let started = Instant::now();
    for (name, bytes) in files {
        let one = Instant::now();
        if resumable {
            client.resumable(name, "video/mp4", bytes, 1024 * 1024).await?;
        } else {
            client.multipart(name, bytes).await?;
        }
        each.push(ms(one.elapsed()));
    }
    let seconds = started.elapsed().as_secs_f64();
    let mib = files.iter().map(|(_, b)| b.len()).sum::<usize>() as f64 / (1024.0 * 1024.0);
    Ok(Upload { what: what.to_owned(), files: files.len(), mib, seconds, mib_per_sec: mib / seconds.max(1e-9), median_ms: median(&mut each).0 })
}

pub async fn run(args: MediaArgs) -> anyhow::Result<()> {
    let n = args.images.max(1);
    let mut photos = Vec::new();
    let mut details = Vec::new();
    for i in 0..n {
        let seed = u32::try_from(i).unwrap_or_default() + 1;
        photos.push((format!("photo-{i}.jpg"), encode(&photo(4000, 3000, seed), ImageFormat::Jpeg)?, "image/jpeg"));
        details.push((format!("detail-{i}.png"), encode(&detailed(1920, 1080, seed), ImageFormat::Png)?, "image/png"));
    }
    let clip = video(args.video_secs, 1280, 720)?;
    let full_hd = video(args.video_secs, 1920, 1080)?;

    // Uploads through a real server (SQLite, local folder).
    let exe = std::env::current_exe().context("cannot find the zenalto executable")?;
    let dir = tempfile::tempdir().context("cannot create a temporary data folder")?;
    let mut databases = match args.backend.as_str() {
        "postgres" => Some(server::Databases::connect(args.database_url.as_deref().context("--backend postgres needs --database-url")?).await?),
        _ => None,
    };
    let database = match databases.as_mut() {
        Some(databases) => Some(databases.create().await?),
        None => None,
    };
    let env = match &args.s3_endpoint {
        Some(endpoint) => s3_env(endpoint).await?,
        None => Vec::new(),
    };
    let target = Target { exe: &exe, data_dir: dir.path(), database: database.as_deref(), env: &env };
    target.create_user()?;
    let (srv, _) = target.serve().await?;
    let http = reqwest::Client::builder().timeout(Duration::from_secs(300)).build()?;
    let token = load::login(&http, &srv.base).await?;
    let me: serde_json::Value = http.get(format!("{}/api/v1/me", srv.base)).bearer_auth(&token).send().await?.json().await?;
    let workspace = me["workspaces"][0]["id"].as_str().context("the bench user has no workspace")?.to_owned();
    let client = Client { http, base: srv.base.clone(), token, workspace };
    let files = |list: &[(String, Vec<u8>, &str)]| -> Vec<(String, Vec<u8>)> { list.iter().map(|(n, b, _)| (n.clone(), b.clone())).collect() };
    let mut uploads = vec![
        timed_uploads(&client, "4000×3000 JPEG, one request", &files(&photos), false).await?,
        timed_uploads(&client, "1920×1080 PNG, one request", &files(&details), false).await?,
    ];
    uploads.push(timed_uploads(&client, &format!("{} s 720p MP4, 1 MiB chunks", args.video_secs), &[("clip.mp4".into(), clip)], true).await?);
    srv.stop().await?;

    // Probing + thumbnail and derivatives, in-process on the same bytes.
    let mut processing = Vec::new();
    let networks = [Network::Instagram, Network::X, Network::Bluesky, Network::LinkedIn];
    for (label, list) in [("4000×3000 JPEG", &photos), ("1920×1080 PNG", &details)] {
        let mut probe_ms = Vec::new();
        let mut derive_ms: Vec<Vec<f64>> = vec![Vec::new(); networks.len()];
        for (_, bytes, mime) in list.iter() {
            let sniffed = zenalto_media::sniff(bytes).map_err(|_| anyhow::anyhow!("the generated image was not recognised"))?;
            let started = Instant::now();
            probe::probe_image(bytes, &sniffed)?;
            probe_ms.push(ms(started.elapsed()));
            for (i, network) in networks.iter().enumerate() {
                let rules = NetworkRules::for_network(*network);
                let kind = rules.media.kind(MediaKind::Image).context("network takes no images")?;
                let started = Instant::now();
                derive::derive_image(bytes, mime, kind)?;
                derive_ms[i].push(ms(started.elapsed()));
            }
        }
        let (median_ms, max_ms) = median(&mut probe_ms);
        processing.push(Processing { what: format!("{label}: probe + thumbnail"), runs: list.len(), median_ms, max_ms });
        for (network, mut samples) in networks.iter().zip(derive_ms) {
            let (median_ms, max_ms) = median(&mut samples);
            processing.push(Processing { what: format!("{label}: derivative for {}", network.label()), runs: list.len(), median_ms, max_ms });
        }
    }

    // Videos and GIFs outside a network's limits, through ffmpeg as the service does it.
    processing.push(moving("1920×1080 MP4 → X (1280×720 H.264)", &full_hd, "mp4", Network::X, MediaKind::Video, (1920, 1080)).await?);
    let gif = animated_gif(4, 800, 600)?;
    processing.push(moving("800×600 4 s GIF → Bluesky (redrawn under 1 MB)", &gif, "gif", Network::Bluesky, MediaKind::Gif, (800, 600)).await?);
    if let Some(databases) = databases {
        databases.drop_all().await?;
    }

    let report = Report {
        cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
        database: args.backend.clone(),
        storage: if args.s3_endpoint.is_some() { "S3-compatible store".into() } else { "local data folder".into() },
        uploads,
        processing,
    };
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
        return Ok(());
    }
    println!("zenalto bench media — {} CPUs, {}, media in the {}", report.cpus, report.database, report.storage);
    println!("uploads (probe, thumbnail and store included)        files      MiB      s    MiB/s  median ms/file");
    for u in &report.uploads {
        println!("  {:<50} {:>5} {:>8.1} {:>6.2} {:>8.1} {:>14.0}", u.what, u.files, u.mib, u.seconds, u.mib_per_sec, u.median_ms);
    }
    println!("processing (in-process)                                         runs  median ms   max ms");
    for p in &report.processing {
        println!("  {:<60} {:>5} {:>10.1} {:>8.1}", p.what, p.runs, p.median_ms, p.max_ms);
    }
    Ok(())
}

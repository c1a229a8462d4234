//! The web UI and the interactive API docs, embedded from `web/dist` at build time (read from
//! disk in debug builds). Unknown non-API paths get `index.html` so the SPA's router handles
//! them. When the UI was not built, a page says how to build it.

use axum::{
    extract::Path,
    http::{StatusCode, Uri, header},
    response::{Html, IntoResponse, Response},
};
use rust_embed::Embed;

#[derive(Embed)]
#[folder = "../../web/dist"]
#[allow_missing = true]
struct Assets;

const NOT_BUILT: &str = "<!doctype html><title>Zenalto</title><h1>Zenalto</h1>\
<p>The web UI has not been built into this binary. Start Zenalto with <code>./scripts/start</code>, which builds it, \
or run <code>npm ci &amp;&amp; npm run build</code> in <code>web/</code> and rebuild.</p>\
<p>The API is up: see <a href=\"/api/openapi.json\">/api/openapi.json</a> and <a href=\"/health\">/health</a>.</p>";

fn serve(path: &str) -> Option<Response> {
    let file = Assets::get(path)?;
    let mime = file.metadata.mimetype().to_owned();
    // Vite fingerprints everything under assets/, so those never change; HTML must revalidate.
    let cache = if path.starts_with("assets/") { "public, max-age=31536000, immutable" } else { "no-cache" };
    let etag = format!("\"{}\"", hex_prefix(&file.metadata.sha256_hash()));
    Some(([(header::CONTENT_TYPE, mime), (header::CACHE_CONTROL, cache.to_owned()), (header::ETAG, etag)], file.data).into_response())
}

fn hex_prefix(hash: &[u8; 32]) -> String {
    hash.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// SPA fallback for every GET that no API route matched.
pub async fn spa(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if let Some(response) = (!path.is_empty()).then(|| serve(path)).flatten() {
        return response;
    }
    serve("index.html").unwrap_or_else(|| (StatusCode::OK, Html(NOT_BUILT)).into_response())
}

/// `/api/docs`: Swagger UI over `/api/openapi.json`.
pub async fn docs() -> Response {
    serve("api-docs/index.html").unwrap_or_else(|| (StatusCode::SERVICE_UNAVAILABLE, Html(NOT_BUILT)).into_response())
}

pub async fn docs_asset(Path(file): Path<String>) -> Response {
    serve(&format!("api-docs/{file}")).unwrap_or_else(|| crate::error::ApiError::not_found().into_response())
}

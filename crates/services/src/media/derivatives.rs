//! Per-network derivatives, made on first request and cached (`media_derivatives`): an image
//! cropped into the network's aspect-ratio range, scaled into its dimension limits, converted to
//! a format it takes and recompressed under its size limit. A file that already meets every
//! limit is its own derivative. Videos and animated GIFs that do not fit are converted by ffmpeg
//! (`video_derivative.rs`).

use bytes::Bytes;
use zenalto_domain::{
    MediaId, Permission, WorkspaceId,
    publishing::{MediaKind, Network, NetworkRules},
};
use zenalto_media::derive;
use zenalto_store::{
    StoreError,
    repo::{media, media::AssetRow, media::DerivativeRow},
};

use super::{asset_prefix, ingest::storage_error, parse_kind};
use crate::{Access, Result, ServiceError, Services};

/// A derivative as the API shows it.
#[derive(Clone, Debug)]
pub struct Derivative {
    pub network: Network,
    pub mime: String,
    pub bytes: u64,
    pub width: u32,
    pub height: u32,
    /// Whether the original met every limit and is used as it is.
    pub original: bool,
}

fn ext(mime: &str) -> &'static str {
    match mime {
        "image/png" => "png",
        "image/webp" => "webp",
        "image/gif" => "gif",
        _ => "jpg",
    }
}

impl Services {
    /// The derivative of an asset for `network` (post:read), made now if it is not cached.
    pub async fn media_derivative(&self, access: &Access, id: MediaId, network: Network) -> Result<Derivative> {
        access.require(Permission::PostRead)?;
        let mut conn = self.db.read().await?;
        let row = media::get(&mut conn, access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        drop(conn);
        let d = self.derivative_row(access.workspace_id, &row, network).await?;
        Ok(Derivative {
            network,
            original: d.storage_key == row.storage_key,
            mime: d.mime,
            bytes: u64::try_from(d.bytes).unwrap_or_default(),
            width: u32::try_from(d.width).unwrap_or_default(),
            height: u32::try_from(d.height).unwrap_or_default(),
        })
    }

    pub(crate) async fn derivative_row(&self, workspace: WorkspaceId, row: &AssetRow, network: Network) -> Result<DerivativeRow> {
        let variant = format!("network:{network}");
        let mut conn = self.db.read().await?;
        if let Some(cached) = media::get_derivative(&mut conn, workspace, row.id, &variant).await? {
            return Ok(cached);
        }
        drop(conn);
        let kind = parse_kind(&row.kind).ok_or_else(|| ServiceError::internal("stored media kind is invalid"))?;
        let rules = NetworkRules::for_network(network);
        let Some(kind_rules) = rules.media.kind(kind) else {
            return Err(ServiceError::UnsupportedMedia(format!("{} does not accept {}s", network.label(), kind.noun())));
        };
        let (width, height) = (row.width.and_then(|w| u32::try_from(w).ok()), row.height.and_then(|h| u32::try_from(h).ok()));
        let bytes = u64::try_from(row.bytes).unwrap_or_default();
        let fits = match (width, height) {
            (Some(w), Some(h)) => derive::fits(kind_rules, &row.mime, bytes, w, h),
            _ => kind_rules.max_bytes.as_ref().is_none_or(|m| bytes <= m.value),
        };
        let derived = if fits {
            DerivativeRow { variant, storage_key: row.storage_key.clone(), mime: row.mime.clone(), bytes: row.bytes, width: row.width.unwrap_or(0), height: row.height.unwrap_or(0) }
        } else if kind != MediaKind::Image {
            self.moving_derivative(workspace, row, network, kind_rules).await?
        } else {
            let original = self.media.get(&row.storage_key).await.map_err(storage_error)?;
            let (mime, rules) = (row.mime.clone(), kind_rules.clone());
            let made = tokio::task::spawn_blocking(move || derive::derive_image(&original, &mime, &rules))
                .await
                .map_err(ServiceError::internal)?
                .map_err(|e| ServiceError::UnsupportedMedia(e.to_string()))?;
            let key = format!("{}network-{network}.{}", asset_prefix(&workspace.to_string(), &row.id.to_string()), ext(made.mime));
            let size = i64::try_from(made.bytes.len()).map_err(ServiceError::internal)?;
            self.media.put(&key, Bytes::from(made.bytes)).await.map_err(storage_error)?;
            DerivativeRow { variant, storage_key: key, mime: made.mime.to_owned(), bytes: size, width: i64::from(made.width), height: i64::from(made.height) }
        };
        let mut tx = self.db.begin().await?;
        media::insert_derivative(&mut tx, workspace, row.id, &derived, self.now()).await?;
        let stored = media::get_derivative(&mut tx, workspace, row.id, &derived.variant).await?.ok_or(ServiceError::NotFound)?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(stored)
    }
}

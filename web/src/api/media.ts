// The media library: assets, folders, tags, bulk actions, uploads with progress (large files
// through a resumable session), signed URLs for thumbnails, edits.

import { api } from './client';
import { RESUMABLE_FROM_BYTES, uploadResumable } from './resumable';
import type { components } from './schema';

export type MediaAsset = components['schemas']['MediaAsset'];
export type MediaFolder = components['schemas']['MediaFolder'];
export type MediaBulkItem = components['schemas']['MediaBulkItem'];
export type MediaPatch = components['schemas']['MediaPatch'];
export type Uploaded = components['schemas']['Uploaded'];
type SignedUrl = components['schemas']['SignedUrl'];

/** What the library can be searched by; empty values are left out of the query. */
export interface MediaFilter {
  name?: string;
  type?: string;
  tag?: string;
  folderId?: string;
  from?: string;
  to?: string;
  cursor?: string;
}

export type BulkRequest =
  | { action: 'addTags' | 'removeTags'; tags: string[] }
  | { action: 'move'; folderId: string | null }
  | { action: 'delete' };

const base = (ws: string) => `/api/v1/workspaces/${ws}/media`;

function query(filter: MediaFilter): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value);
  return params.toString();
}

export const media = {
  list: (ws: string, name: string, type: string, filter: Omit<MediaFilter, 'name' | 'type'> = {}) =>
    api.get<{ items: MediaAsset[]; nextCursor?: string | null }>(`${base(ws)}?${query({ name, type, ...filter })}`),
  /**
   * One request for small files, a resumable session for large ones (`onResume` is told when a
   * dropped connection made it start again from the server's offset).
   */
  upload: (ws: string, file: File, onProgress: (fraction: number) => void, folderId?: string | null, onResume?: (offset: number) => void) => {
    if (file.size > RESUMABLE_FROM_BYTES) return uploadResumable(ws, file, onProgress, { folderId, onResume });
    const form = new FormData();
    form.append('file', file, file.name);
    if (folderId) form.append('folderId', folderId);
    return api.upload<Uploaded>(base(ws), form, onProgress);
  },
  thumbnailUrl: (ws: string, id: string) => api.post<SignedUrl>(`${base(ws)}/${id}/signed-url`, { variant: 'thumbnail' }),
  setAltText: (ws: string, id: string, altText: string) => api.patch<MediaAsset>(`${base(ws)}/${id}`, { altText }),
  update: (ws: string, id: string, patch: MediaPatch) => api.patch<MediaAsset>(`${base(ws)}/${id}`, patch),
  remove: (ws: string, id: string) => api.delete<void>(`${base(ws)}/${id}`),
  bulk: (ws: string, ids: string[], request: BulkRequest) => api.post<MediaBulkItem[]>(`${base(ws)}/bulk`, { ids, ...request }),
  folders: (ws: string) => api.get<MediaFolder[]>(`/api/v1/workspaces/${ws}/media-folders`),
  createFolder: (ws: string, name: string) => api.post<MediaFolder>(`/api/v1/workspaces/${ws}/media-folders`, { name }),
  deleteFolder: (ws: string, id: string) => api.delete<void>(`/api/v1/workspaces/${ws}/media-folders/${id}`),
};

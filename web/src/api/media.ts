// The media library: assets, uploads with progress, signed URLs for thumbnails, edits.

import { api } from './client';
import type { components } from './schema';

export type MediaAsset = components['schemas']['MediaAsset'];
export type Uploaded = components['schemas']['Uploaded'];
type SignedUrl = components['schemas']['SignedUrl'];

const base = (ws: string) => `/api/v1/workspaces/${ws}/media`;

export const media = {
  list: (ws: string, name: string, type: string) =>
    api.get<{ items: MediaAsset[] }>(`${base(ws)}?${new URLSearchParams({ ...(name ? { name } : {}), ...(type ? { type } : {}) })}`),
  upload: (ws: string, file: File, onProgress: (fraction: number) => void) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return api.upload<Uploaded>(base(ws), form, onProgress);
  },
  thumbnailUrl: (ws: string, id: string) => api.post<SignedUrl>(`${base(ws)}/${id}/signed-url`, { variant: 'thumbnail' }),
  setAltText: (ws: string, id: string, altText: string) => api.patch<MediaAsset>(`${base(ws)}/${id}`, { altText }),
};

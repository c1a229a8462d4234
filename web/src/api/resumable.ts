// Resumable uploads for large files: open a session, send chunks with `?offset=`, and when a chunk
// fails on the way (a dropped connection, a 409 for an offset the server did not expect, a 5xx)
// ask the server for the confirmed offset and carry on from there, with a growing pause between
// attempts. The server stores a chunk only when it arrived whole, so resending is always safe.

import { api, ApiError } from './client';
import type { components } from './schema';

export type UploadSession = components['schemas']['UploadSession'];
type Uploaded = components['schemas']['Uploaded'];

/** Files above this size go through a resumable session instead of one request. */
export const RESUMABLE_FROM_BYTES = 8 * 1024 * 1024;
/** Bytes per chunk; below the server's default `media.chunk_max_bytes` (8 MiB). */
export const CHUNK_BYTES = 4 * 1024 * 1024;

export interface ResumableOptions {
  folderId?: string | null;
  chunkBytes?: number;
  /** Failed attempts in a row before giving up. */
  retries?: number;
  /** Waits between attempts (tests pass a quick one). */
  sleep?: (ms: number) => Promise<void>;
  /** Told each time the upload starts again from the server's offset. */
  onResume?: (offset: number) => void;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** 1 s, 2 s, 4 s, 8 s… capped at 15 s. */
export const backoff = (attempt: number) => Math.min(15_000, 1000 * 2 ** (attempt - 1));

/** Failures worth another try: the connection, a busy or failing server, an offset out of step. */
function retryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.status === 0 || error.status === 409 || error.status === 408 || error.status === 429 || error.status >= 500 || error.code === 'TOKEN_EXPIRED';
}

export async function uploadResumable(
  workspace: string,
  file: File,
  onProgress: (fraction: number) => void,
  options: ResumableOptions = {},
): Promise<Uploaded> {
  const { chunkBytes = CHUNK_BYTES, retries = 5, sleep = wait, onResume } = options;
  const base = `/api/v1/workspaces/${workspace}/media-uploads`;
  const session = await api.post<UploadSession>(base, {
    name: file.name,
    mimeType: file.type || 'application/octet-stream',
    totalBytes: file.size,
    folderId: options.folderId ?? null,
  });
  const total = file.size;
  const report = (sent: number) => onProgress(total === 0 ? 1 : Math.min(1, sent / total));
  let offset = session.receivedBytes;
  let failures = 0;
  let resync = false;
  report(offset);
  for (;;) {
    try {
      if (resync) {
        offset = (await api.get<UploadSession>(`${base}/${session.id}`)).receivedBytes;
        resync = false;
        onResume?.(offset);
        report(offset);
      }
      if (offset >= total) break;
      const start = offset;
      const end = Math.min(total, start + chunkBytes);
      const confirmed = await api.sendBytes<UploadSession>('PUT', `${base}/${session.id}?offset=${start}`, file.slice(start, end), (fraction) =>
        report(start + fraction * (end - start)),
      );
      offset = confirmed.receivedBytes;
      failures = 0;
      report(offset);
    } catch (error) {
      failures += 1;
      if (!retryable(error) || failures > retries) throw error;
      if (error instanceof ApiError && error.code === 'TOKEN_EXPIRED') await api.refresh();
      await sleep(backoff(failures));
      resync = true;
    }
  }
  return api.post<Uploaded>(`${base}/${session.id}/complete`);
}

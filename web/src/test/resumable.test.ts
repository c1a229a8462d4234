import { afterEach, describe, expect, it, vi } from 'vitest';
import { media } from '../api/media';
import { uploadResumable, type UploadSession } from '../api/resumable';
import { envelope, json } from './helpers';

// A stand-in XMLHttpRequest: each send is answered by the test's `answer` for that request.
interface Sent {
  method: string;
  url: string;
  size: number;
  text: Promise<string>;
}
type Answer = (xhr: FakeXhr, sent: Sent) => void;
let answer: Answer;
const sent: Sent[] = [];

class FakeXhr {
  status = 0;
  responseText = '';
  method = '';
  url = '';
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  ontimeout: (() => void) | null = null;
  headers: Record<string, string> = {};
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: Blob | FormData) {
    const blob = body instanceof Blob ? body : new Blob();
    const s = { method: this.method, url: this.url, size: blob.size, text: blob.text() };
    sent.push(s);
    queueMicrotask(() => answer(this, s));
  }
  respond(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
  drop(afterFraction: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded: afterFraction * 100, total: 100 });
    this.onerror?.();
  }
}

const session = (receivedBytes: number): UploadSession => ({
  id: 'u1',
  name: 'clip.mp4',
  mimeType: 'video/mp4',
  totalBytes: 10,
  receivedBytes,
  expiresAt: '2026-12-02T00:00:00Z',
});

const sessionTokens = {
  accessToken: 'a2',
  refreshToken: 'r2',
  tokenType: 'Bearer',
  expiresIn: 900,
  user: { id: 'u1', email: 'ada@example.org', name: 'Ada', emailVerified: true, twoFactorEnabled: false, createdAt: '2026-11-24T00:00:00Z' },
};

const asset = {
  id: 'm9',
  name: 'clip.mp4',
  type: 'video',
  mime: 'video/mp4',
  bytes: 10,
  sha256: 'cd',
  colors: [],
  probe: {},
  tags: [],
  hasThumbnail: false,
  createdAt: '2026-12-01T00:00:00Z',
  updatedAt: '2026-12-01T00:00:00Z',
};

function stubFetch(responses: Record<string, () => Response>) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  const fetcher = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    const path = String(input);
    calls.push({ method, path, body: init.body ? JSON.parse(String(init.body)) : undefined });
    const make = responses[`${method} ${path}`];
    if (!make) throw new Error(`unexpected ${method} ${path}`);
    return make();
  });
  vi.stubGlobal('fetch', fetcher);
  return calls;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  sent.length = 0;
  localStorage.clear();
});

const base = '/api/v1/workspaces/w1/media-uploads';

describe('uploadResumable', () => {
  it('resumes from the offset the server confirms after a chunk is cut off mid-way', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const calls = stubFetch({
      [`POST ${base}`]: () => json(201, session(0)),
      // The chunk at 4 was stored before the connection dropped: the server says 8.
      [`GET ${base}/u1`]: () => json(200, session(8)),
      [`POST ${base}/u1/complete`]: () => json(201, { asset, duplicate: false }),
    });
    let cut = false;
    answer = (xhr, s) => {
      const offset = Number(new URL(s.url, 'http://x').searchParams.get('offset'));
      if (offset === 4 && !cut) {
        cut = true;
        return xhr.drop(0.5);
      }
      xhr.respond(200, session(offset + s.size));
    };
    const progress: number[] = [];
    const resumedAt: number[] = [];
    const pauses: number[] = [];
    const file = new File(['0123456789'], 'clip.mp4', { type: 'video/mp4' });
    const result = await uploadResumable('w1', file, (f) => progress.push(f), {
      chunkBytes: 4,
      sleep: async (ms) => void pauses.push(ms),
      onResume: (o) => resumedAt.push(o),
    });

    expect(result.asset.id).toBe('m9');
    expect(sent.map((s) => s.url)).toEqual([`${base}/u1?offset=0`, `${base}/u1?offset=4`, `${base}/u1?offset=8`]);
    expect(sent.map((s) => s.method)).toEqual(['PUT', 'PUT', 'PUT']);
    expect(await sent[2].text).toBe('89');
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([`POST ${base}`, `GET ${base}/u1`, `POST ${base}/u1/complete`]);
    expect(calls[0].body).toEqual({ name: 'clip.mp4', mimeType: 'video/mp4', totalBytes: 10, folderId: null });
    expect(resumedAt).toEqual([8]);
    expect(pauses).toEqual([1000]);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toContain(0.6); // halfway through the chunk at 4 before the drop
  });

  it('backs off longer each time the connection stays down, and gives up after the retries', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    stubFetch({
      [`POST ${base}`]: () => json(201, session(0)),
      [`GET ${base}/u1`]: () => json(200, session(0)),
    });
    answer = (xhr) => xhr.drop(0);
    const pauses: number[] = [];
    const file = new File(['0123456789'], 'clip.mp4', { type: 'video/mp4' });
    await expect(uploadResumable('w1', file, () => undefined, { chunkBytes: 4, retries: 3, sleep: async (ms) => void pauses.push(ms) })).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
    });
    expect(pauses).toEqual([1000, 2000, 4000]);
    expect(sent).toHaveLength(4);
  });

  it('does not retry a refusal such as a chunk over the limit', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    stubFetch({ [`POST ${base}`]: () => json(201, session(0)) });
    answer = (xhr) => xhr.respond(413, { error: { code: 'PAYLOAD_TOO_LARGE', message: 'chunks are at most 4 bytes', requestId: 'r' } });
    const file = new File(['0123456789'], 'clip.mp4', { type: 'video/mp4' });
    await expect(uploadResumable('w1', file, () => undefined, { chunkBytes: 4, sleep: async () => undefined })).rejects.toMatchObject({
      status: 413,
      message: 'chunks are at most 4 bytes',
    });
    expect(sent).toHaveLength(1);
  });

  it('refreshes an access token that ran out during a long upload and carries on', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    localStorage.setItem('zenalto.refresh', 'r1');
    const calls = stubFetch({
      [`POST ${base}`]: () => json(201, session(0)),
      'POST /api/v1/auth/refresh': () => json(200, { ...sessionTokens, refreshToken: 'r2' }),
      [`GET ${base}/u1`]: () => json(200, session(4)),
      [`POST ${base}/u1/complete`]: () => json(201, { asset, duplicate: false }),
    });
    let expired = false;
    answer = (xhr, s) => {
      const offset = Number(new URL(s.url, 'http://x').searchParams.get('offset'));
      if (offset === 4 && !expired) {
        expired = true;
        return xhr.respond(401, { error: { code: 'TOKEN_EXPIRED', message: 'the access token expired', requestId: 'r' } });
      }
      xhr.respond(200, session(offset + s.size));
    };
    const file = new File(['0123456789'], 'clip.mp4', { type: 'video/mp4' });
    await uploadResumable('w1', file, () => undefined, { chunkBytes: 4, sleep: async () => undefined });
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([`POST ${base}`, 'POST /api/v1/auth/refresh', `GET ${base}/u1`, `POST ${base}/u1/complete`]);
    expect(sent.map((s) => s.url)).toEqual([`${base}/u1?offset=0`, `${base}/u1?offset=4`, `${base}/u1?offset=4`, `${base}/u1?offset=8`]);
    expect(localStorage.getItem('zenalto.refresh')).toBe('r2');
  });

  it('refuses before any byte is sent when the plan has no room', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    stubFetch({ [`POST ${base}`]: () => envelope(413, 'PAYLOAD_TOO_LARGE', 'videos are at most 100 MB on this plan') });
    const file = new File(['0123456789'], 'clip.mp4', { type: 'video/mp4' });
    await expect(uploadResumable('w1', file, () => undefined)).rejects.toMatchObject({ message: 'videos are at most 100 MB on this plan' });
    expect(sent).toHaveLength(0);
  });
});

describe('media.upload', () => {
  it('sends small files in one request and large ones through a session', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    stubFetch({
      [`POST ${base}`]: () => json(201, { ...session(0), totalBytes: 9 * 1024 * 1024 }),
      [`POST ${base}/u1/complete`]: () => json(201, { asset, duplicate: false }),
    });
    answer = (xhr, s) => {
      if (s.method === 'POST') return xhr.respond(201, { asset, duplicate: false });
      const offset = Number(new URL(s.url, 'http://x').searchParams.get('offset'));
      xhr.respond(200, session(offset + s.size));
    };
    await media.upload('w1', new File(['small'], 'a.png', { type: 'image/png' }), () => undefined);
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /api/v1/workspaces/w1/media']);
    sent.length = 0;
    await media.upload('w1', new File([new Uint8Array(9 * 1024 * 1024)], 'big.mp4', { type: 'video/mp4' }), () => undefined);
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual([`PUT ${base}/u1?offset=0`, `PUT ${base}/u1?offset=4194304`, `PUT ${base}/u1?offset=8388608`]);
  });
});

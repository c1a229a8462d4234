// The API client: JSON over fetch, bearer tokens, one transparent refresh on TOKEN_EXPIRED, and
// every failure turned into an ApiError carrying the envelope's code, message and field details.

import type { Session } from './types';

export const REFRESH_KEY = 'zenalto.refresh';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> | null,
    readonly requestId: string | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Per-field messages of a VALIDATION_ERROR (or a CONFLICT naming a field). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    if (this.details && (this.code === 'VALIDATION_ERROR' || this.code === 'CONFLICT')) {
      for (const [field, message] of Object.entries(this.details)) {
        if (typeof message === 'string') out[field] = message;
      }
    }
    return out;
  }
}

type Listener = (session: Session | null) => void;

export class ApiClient {
  private accessToken: string | null = null;
  private refreshing: Promise<boolean> | null = null;
  private listeners = new Set<Listener>();

  constructor(
    private readonly fetcher: typeof fetch = (...args) => fetch(...args),
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> = localStorage,
  ) {}

  onSession(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  hasRefreshToken(): boolean {
    return this.storage.getItem(REFRESH_KEY) !== null;
  }

  /** Stores a new session (after login, verification or refresh). */
  setSession(session: Session | null): void {
    this.accessToken = session?.accessToken ?? null;
    if (session) this.storage.setItem(REFRESH_KEY, session.refreshToken);
    else this.storage.removeItem(REFRESH_KEY);
    this.listeners.forEach((l) => l(session));
  }

  async request<T>(method: string, path: string, body?: unknown, retried = false, extraHeaders: Record<string, string> = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json', ...extraHeaders };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.accessToken) headers.Authorization = `Bearer ${this.accessToken}`;
    const response = await this.fetcher(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.ok) {
      if (response.status === 204 || response.status === 202) return undefined as T;
      const text = await response.text();
      return (text ? JSON.parse(text) : undefined) as T;
    }
    const error = await toApiError(response);
    if (error.code === 'TOKEN_EXPIRED' && !retried && path !== '/api/v1/auth/refresh' && (await this.refresh())) {
      return this.request<T>(method, path, body, true, extraHeaders);
    }
    throw error;
  }

  /** Exchanges the stored refresh token; concurrent callers share one refresh. */
  refresh(): Promise<boolean> {
    if (!this.refreshing) {
      this.refreshing = (async () => {
        const refreshToken = this.storage.getItem(REFRESH_KEY);
        if (!refreshToken) return false;
        try {
          const session = await this.request<Session>('POST', '/api/v1/auth/refresh', { refreshToken }, true);
          this.setSession(session);
          return true;
        } catch {
          this.setSession(null);
          return false;
        }
      })().finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  /**
   * POSTs `body` asking for Server-Sent Events and calls `onEvent` with each event's JSON data as
   * it arrives (the assistant's streamed replies).
   */
  async stream(path: string, body: unknown, onEvent: (event: unknown) => void): Promise<void> {
    const headers: Record<string, string> = { Accept: 'text/event-stream', 'Content-Type': 'application/json' };
    if (this.accessToken) headers.Authorization = `Bearer ${this.accessToken}`;
    const response = await this.fetcher(path, { method: 'POST', headers, body: JSON.stringify(body) });
    if (!response.ok || !response.body) throw await toApiError(response);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trimStart())
          .join('\n');
        if (data) onEvent(JSON.parse(data));
      }
    }
  }

  get<T>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T>(path: string, body: unknown = {}, headers: Record<string, string> = {}) {
    return this.request<T>('POST', path, body, false, headers);
  }
  put<T>(path: string, body: unknown) {
    return this.request<T>('PUT', path, body);
  }
  patch<T>(path: string, body: unknown) {
    return this.request<T>('PATCH', path, body);
  }
  delete<T>(path: string) {
    return this.request<T>('DELETE', path);
  }

  /**
   * Sends a multipart form with upload progress (fetch reports none): `onProgress` gets the
   * fraction sent, 0–1. Failures become an ApiError like any request's.
   */
  upload<T>(path: string, form: FormData, onProgress: (fraction: number) => void): Promise<T> {
    return this.sendWithProgress<T>('POST', path, form, onProgress);
  }

  /**
   * Sends raw bytes (`application/octet-stream`) with upload progress: the chunks of a resumable
   * upload. A dropped connection is an ApiError with status 0 and code NETWORK_ERROR.
   */
  sendBytes<T>(method: string, path: string, bytes: Blob, onProgress: (fraction: number) => void): Promise<T> {
    return this.sendWithProgress<T>(method, path, bytes, onProgress, 'application/octet-stream');
  }

  private sendWithProgress<T>(method: string, path: string, body: XMLHttpRequestBodyInit, onProgress: (fraction: number) => void, contentType?: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(method, path);
      xhr.setRequestHeader('Accept', 'application/json');
      if (contentType) xhr.setRequestHeader('Content-Type', contentType);
      if (this.accessToken) xhr.setRequestHeader('Authorization', `Bearer ${this.accessToken}`);
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
      const interrupted = () => reject(new ApiError(0, 'NETWORK_ERROR', 'The upload was interrupted. Check your connection and try again.', null, null));
      xhr.onerror = interrupted;
      xhr.onabort = interrupted;
      xhr.ontimeout = interrupted;
      xhr.onload = async () => {
        const response = new Response(xhr.responseText || null, { status: xhr.status, headers: { 'Content-Type': 'application/json' } });
        if (xhr.status >= 200 && xhr.status < 300) resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T);
        else reject(await toApiError(response));
      };
      xhr.send(body);
    });
  }

  /** Downloads a file with the bearer token (for CSV exports). */
  async download(path: string): Promise<Blob> {
    const response = await this.fetcher(path, { headers: this.accessToken ? { Authorization: `Bearer ${this.accessToken}` } : {} });
    if (!response.ok) throw await toApiError(response);
    return response.blob();
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  let envelope: { error?: { code?: string; message?: string; details?: Record<string, unknown> | null; requestId?: string } } = {};
  try {
    envelope = await response.json();
  } catch {
    // Not JSON: a proxy or a crash in front of the API.
  }
  const e = envelope.error;
  return new ApiError(
    response.status,
    e?.code ?? 'INTERNAL_ERROR',
    e?.message ?? `The server answered ${response.status}.`,
    e?.details ?? null,
    e?.requestId ?? response.headers.get('x-request-id'),
  );
}

export const api = new ApiClient();

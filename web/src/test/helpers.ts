// Test doubles: a scripted fetch answering queued responses, and an in-memory storage.

export interface Call {
  path: string;
  init: RequestInit;
}

export function scriptedFetch(responses: Response[]) {
  const calls: Call[] = [];
  const fetcher = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    calls.push({ path: String(input), init });
    const next = responses.shift();
    if (!next) throw new Error(`unexpected request to ${String(input)}`);
    return next;
  }) as typeof fetch;
  return { fetcher, calls };
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

export function envelope(status: number, code: string, message: string, details: Record<string, unknown> | null = null): Response {
  return json(status, { error: { code, message, details, timestamp: '2026-11-24T00:00:00.000Z', requestId: 'req-1' } });
}

export function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
}

export const session = (access: string, refresh: string) => ({
  accessToken: access,
  refreshToken: refresh,
  tokenType: 'Bearer',
  expiresIn: 900,
  user: { id: 'u1', email: 'ada@example.org', name: 'Ada', emailVerified: true, twoFactorEnabled: false, createdAt: '2026-11-24T00:00:00.000Z' },
});

/** A route of `routedFetch`: a method and a URL pattern, answered by a function of the call. */
export interface Route {
  method: string;
  url: RegExp;
  respond: (call: Call) => Response;
}

/**
 * A fetch double for pages: each request is answered by the first route matching its method and
 * URL (so the order of a page's parallel requests does not matter); any other request fails the test.
 */
export function routedFetch(routes: Route[]) {
  const calls: Call[] = [];
  const fetcher = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const call = { path: String(input), init };
    calls.push(call);
    const method = (init.method ?? 'GET').toUpperCase();
    const route = routes.find((r) => r.method === method && r.url.test(call.path));
    if (!route) throw new Error(`unexpected request: ${method} ${call.path}`);
    return route.respond(call);
  }) as typeof fetch;
  const to = (method: string, url: RegExp) => calls.filter((c) => (c.init.method ?? 'GET').toUpperCase() === method && url.test(c.path));
  return { fetcher, calls, to };
}

export const bodyOf = (call: Call): unknown => JSON.parse(String(call.init.body));
export const headerOf = (call: Call, name: string): string | undefined => (call.init.headers as Record<string, string> | undefined)?.[name];

import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError, REFRESH_KEY } from '../api/client';
import { envelope, json, memoryStorage, scriptedFetch, session } from './helpers';

async function failure(request: Promise<unknown>): Promise<ApiError> {
  try {
    await request;
  } catch (error) {
    return error as ApiError;
  }
  throw new Error('the request was expected to fail');
}

describe('ApiClient', () => {
  it('turns the error envelope into an ApiError with field messages', async () => {
    const { fetcher } = scriptedFetch([envelope(422, 'VALIDATION_ERROR', 'some fields are invalid', { email: 'must be a valid e-mail address' })]);
    const client = new ApiClient(fetcher, memoryStorage());
    const error = await failure(client.post('/api/v1/auth/register', {}));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.status).toBe(422);
    expect(error.requestId).toBe('req-1');
    expect(error.fieldErrors()).toEqual({ email: 'must be a valid e-mail address' });
  });

  it('refreshes once on TOKEN_EXPIRED and retries with the new access token', async () => {
    const storage = memoryStorage({ [REFRESH_KEY]: 'refresh-1' });
    const { fetcher, calls } = scriptedFetch([
      envelope(401, 'TOKEN_EXPIRED', 'the token has expired'),
      json(200, session('access-2', 'refresh-2')),
      json(200, { ok: true }),
    ]);
    const client = new ApiClient(fetcher, storage);
    client.setSession(session('access-1', 'refresh-1') as never);
    await expect(client.get('/api/v1/me')).resolves.toEqual({ ok: true });
    expect(calls.map((c) => c.path)).toEqual(['/api/v1/me', '/api/v1/auth/refresh', '/api/v1/me']);
    expect(JSON.parse(String(calls[1].init.body))).toEqual({ refreshToken: 'refresh-1' });
    expect((calls[2].init.headers as Record<string, string>).Authorization).toBe('Bearer access-2');
    expect(storage.getItem(REFRESH_KEY)).toBe('refresh-2');
  });

  it('does not loop when the retried request expires again, and signs out when refresh fails', async () => {
    const storage = memoryStorage({ [REFRESH_KEY]: 'spent' });
    const { fetcher, calls } = scriptedFetch([envelope(401, 'TOKEN_EXPIRED', 'expired'), envelope(401, 'INVALID_TOKEN', 'revoked')]);
    const client = new ApiClient(fetcher, storage);
    const error = await failure(client.get('/api/v1/me'));
    expect(error.code).toBe('TOKEN_EXPIRED');
    expect(calls).toHaveLength(2);
    expect(storage.getItem(REFRESH_KEY)).toBeNull();
  });

  it('reports an unreadable error body with the HTTP status', async () => {
    const { fetcher } = scriptedFetch([new Response('Bad Gateway', { status: 502 })]);
    const error = await failure(new ApiClient(fetcher, memoryStorage()).get('/api/v1/me'));
    expect(error.code).toBe('INTERNAL_ERROR');
    expect(error.message).toContain('502');
  });
});

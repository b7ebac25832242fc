import { describe, expect, it } from 'vitest';
import { ApiError, send } from './api.js';

const respond =
  (status: number, body?: unknown, contentType = 'application/json') =>
  async () =>
    new Response(body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body), {
      status,
      headers: { 'content-type': contentType },
    });

describe('api client', () => {
  it('sends JSON with a body and nothing without one', async () => {
    const seen: RequestInit[] = [];
    const fetcher = async (_url: RequestInfo | URL, init?: RequestInit) => {
      seen.push(init!);
      return new Response(null, { status: 204 });
    };
    await send('POST', '/api/x', { a: 1 }, fetcher as typeof fetch);
    await send('DELETE', '/api/x', undefined, fetcher as typeof fetch);
    expect(seen[0]).toMatchObject({ method: 'POST', body: '{"a":1}', credentials: 'same-origin' });
    expect((seen[0]!.headers as Record<string, string>)['content-type']).toBe('application/json');
    expect(seen[1]!.body).toBeUndefined();
    expect((seen[1]!.headers as Record<string, string>)['content-type']).toBeUndefined();
  });

  it('turns the error envelope into an ApiError with code, message and field issues', async () => {
    const body = {
      error: {
        code: 'VALIDATION_FAILED',
        message: 'Some fields need attention.',
        details: { issues: [{ path: '/email', message: 'Enter a valid email address.' }] },
      },
    };
    const error = (await send('POST', '/api/auth/register', {}, respond(400, body) as typeof fetch).catch(
      (e: unknown) => e,
    )) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', message: 'Some fields need attention.' });
    expect(error.fieldMessage('email')).toBe('Enter a valid email address.');
    expect(error.fieldMessage('password')).toBeUndefined();
  });

  it('keeps the retry delay of a throttled request', async () => {
    const body = {
      error: { code: 'TOO_MANY_ATTEMPTS', message: 'Try again in 4 minutes.', details: { retryAfterSeconds: 240 } },
    };
    const error = await send('POST', '/api/auth/sign-in', {}, respond(429, body) as typeof fetch).catch((e) => e);
    expect(error).toMatchObject({ status: 429, code: 'TOO_MANY_ATTEMPTS', retryAfterSeconds: 240 });
  });

  it('reports a network failure and a non-JSON error page plainly', async () => {
    const offline = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(send('GET', '/api/session', undefined, offline as typeof fetch)).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
      message: expect.stringMatching(/Cannot reach LexForum/),
    });
    await expect(
      send('GET', '/api/session', undefined, respond(502, '<html>Bad gateway</html>', 'text/html') as typeof fetch),
    ).rejects.toMatchObject({
      status: 502,
      code: 'INTERNAL_ERROR',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { ApiError, send } from './api.js';
import { reauthPrompt } from './reauth.svelte.js';

const REAUTH = {
  error: { code: 'REAUTH_REQUIRED', message: 'Confirm it is you.', details: { methods: ['password', 'passkey'] } },
};

/** A server that asks for confirmation until `confirmedAfter` requests were refused, then answers. */
function server(refusals: number) {
  const calls: string[] = [];
  const fetcher = async (url: RequestInfo | URL) => {
    calls.push(String(url));
    if (calls.length <= refusals) return new Response(JSON.stringify(REAUTH), { status: 403 });
    return new Response(JSON.stringify({ ok: String(url) }), { status: 200 });
  };
  return { calls, fetcher: fetcher as typeof fetch };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('re-authentication in the API client', () => {
  it('asks once, with the methods the server named, then retries the request as it was', async () => {
    const { calls, fetcher } = server(1);
    const pending = send<{ ok: string }>('POST', '/api/account/sessions/revoke-others', undefined, fetcher);
    await tick();
    expect(reauthPrompt.open).toBe(true);
    expect(reauthPrompt.methods).toEqual(['password', 'passkey']);
    reauthPrompt.confirmed();
    await expect(pending).resolves.toEqual({ ok: '/api/account/sessions/revoke-others' });
    expect(calls).toEqual(['/api/account/sessions/revoke-others', '/api/account/sessions/revoke-others']);
    expect(reauthPrompt.open).toBe(false);
  });

  it('lets several waiting requests share one confirmation', async () => {
    const { calls, fetcher } = server(2);
    const a = send('DELETE', '/api/a', undefined, fetcher);
    const b = send('DELETE', '/api/b', undefined, fetcher);
    await tick();
    expect(reauthPrompt.open).toBe(true);
    reauthPrompt.confirmed();
    await expect(Promise.all([a, b])).resolves.toEqual([{ ok: '/api/a' }, { ok: '/api/b' }]);
    expect(calls).toHaveLength(4);
  });

  it('fails every waiting request with its original error when the member cancels', async () => {
    const { calls, fetcher } = server(2);
    const a = send('POST', '/api/a', undefined, fetcher).catch((e: unknown) => e);
    const b = send('POST', '/api/b', undefined, fetcher).catch((e: unknown) => e);
    await tick();
    reauthPrompt.cancelled();
    for (const error of await Promise.all([a, b])) {
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: 403, code: 'REAUTH_REQUIRED' });
    }
    expect(calls).toHaveLength(2);
  });

  it('does not ask a second time for the retried request', async () => {
    const { calls, fetcher } = server(5);
    const pending = send('POST', '/api/a', undefined, fetcher).catch((e: unknown) => e);
    await tick();
    reauthPrompt.confirmed();
    expect(await pending).toMatchObject({ code: 'REAUTH_REQUIRED' });
    expect(reauthPrompt.open).toBe(false);
    expect(calls).toHaveLength(2);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';

const CSP =
  "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;font-src 'self';" +
  "connect-src 'self';object-src 'none';base-uri 'self';form-action 'self';frame-ancestors 'none'";

describe('Security headers', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it.each([
    ['a JSON read', 'GET', '/api/health', 200],
    ['a refused request', 'GET', '/api/notifications', 401],
    ['an unknown API path', 'GET', '/api/nothing-here', 404],
    ['a bad body', 'POST', '/api/auth/sign-in', 400],
  ] as const)('are the same on %s', async (_name, method, url, status) => {
    t = await buildTestApp();
    const res = await t.request({ method, url, ...(method === 'POST' ? { body: { email: 1 } } : {}) });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-security-policy']).toBe(CSP);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(res.headers['cross-origin-embedder-policy']).toBeUndefined();
    // Plain http: no HSTS, no upgrade of insecure requests.
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('add HSTS and upgrade-insecure-requests when the forum is served over https', async () => {
    t = await buildTestApp({ env: { PUBLIC_ORIGIN: 'https://forum.example' } });
    const res = await t.request({ method: 'GET', url: '/api/health', headers: { origin: 'https://forum.example' } });
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers['content-security-policy']).toBe(`${CSP};upgrade-insecure-requests`);
  });
});

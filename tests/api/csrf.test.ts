import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, errorCode, type TestApp } from '../helpers/app.js';

describe('CSRF protection', () => {
  let t: TestApp;
  let cookie: string;
  beforeEach(async () => {
    t = await buildTestApp();
    cookie = await t.loginAs(await t.createUser());
  });
  afterEach(async () => t.close());

  const patch = (headers: Record<string, string>) =>
    t.request({
      method: 'PATCH',
      url: '/api/account',
      cookie,
      noOrigin: true,
      headers,
      body: { displayName: 'Changed Name' },
    });

  it.each([
    ['no Origin and no Sec-Fetch-Site', {}],
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['a look-alike Origin', { origin: 'http://localhost:3000.evil.example' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site', origin: 'http://localhost:3000' }],
    ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
    ['Sec-Fetch-Site: none', { 'sec-fetch-site': 'none' }],
  ])('refuses a state-changing request with %s', async (_label, headers) => {
    const res = await patch(headers);
    expect(res.statusCode).toBe(403);
    expect(errorCode(res)).toBe('CSRF_REJECTED');
    const me = await t.request({ method: 'GET', url: '/api/account', cookie });
    expect(me.json().user.displayName).toBe('Test Member');
  });

  it.each([
    ['Sec-Fetch-Site: same-origin', { 'sec-fetch-site': 'same-origin' }],
    ['the forum’s own Origin', { origin: 'http://localhost:3000' }],
  ])('accepts a request with %s', async (_label, headers) => {
    expect((await patch(headers)).statusCode).toBe(200);
  });

  it('refuses a forged sign-in and sign-out too', async () => {
    const signOut = await t.request({ method: 'POST', url: '/api/auth/sign-out', cookie, noOrigin: true });
    expect(signOut.statusCode).toBe(403);
    const signIn = await t.request({
      method: 'POST',
      url: '/api/auth/sign-in',
      noOrigin: true,
      headers: { origin: 'https://evil.example' },
      body: { email: 'a@b.example', password: 'whatever password' },
    });
    expect(signIn.statusCode).toBe(403);
  });

  it('lets safe methods through without an Origin', async () => {
    expect((await t.request({ method: 'GET', url: '/api/account', cookie, noOrigin: true })).statusCode).toBe(200);
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { users } from '@lexforum/db';
import { bestLocale, LOCALE_COOKIE, type CurrentUser, type UserEnvelope } from '@lexforum/shared';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, errorCode, TEST_PASSWORD, type TestApp } from '../helpers/app.js';

describe('Interface language API', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(async () => t.close());

  const setLocale = (cookie: string, body: unknown) =>
    t.request({ method: 'PUT', url: '/api/account/locale', cookie, body });
  const sessionUser = async (cookie: string) =>
    (await t.request({ method: 'GET', url: '/api/session', cookie })).json<{ user: CurrentUser }>().user;

  describe('PUT /api/account/locale', () => {
    it('saves the language on the account, for members and applicants alike', async () => {
      for (const role of ['member', 'applicant'] as const) {
        const cookie = await t.loginAs(await t.createUser({ role }));
        expect((await sessionUser(cookie)).locale).toBeNull();
        const res = await setLocale(cookie, { locale: 'ar' });
        expect(res.statusCode, role).toBe(200);
        expect(res.json<UserEnvelope>().user.locale).toBe('ar');
        expect((await sessionUser(cookie)).locale).toBe('ar');
      }
    });

    it('is what a sign-in on another device answers with', async () => {
      const user = await t.createUser();
      await setLocale(await t.loginAs(user), { locale: 'es' });
      const other = await t.request({
        method: 'POST',
        url: '/api/auth/sign-in',
        body: { email: user.email, password: TEST_PASSWORD },
        headers: { 'accept-language': 'en-US,en;q=0.9' },
      });
      expect(other.json<UserEnvelope>().user.locale).toBe('es');
    });

    it.each([
      ['an unknown language', { locale: 'de' }],
      ['a regional tag', { locale: 'fr-FR' }],
      ['a number', { locale: 1 }],
      ['no language', {}],
      ['an extra field', { locale: 'fr', theme: 'dark' }],
    ])('refuses %s with 400', async (_, body) => {
      const cookie = await t.loginAs(await t.createUser());
      const res = await setLocale(cookie, body);
      expect(res.statusCode).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
      expect((await sessionUser(cookie)).locale).toBeNull();
    });

    it('needs a session', async () => {
      const res = await t.request({ method: 'PUT', url: '/api/account/locale', body: { locale: 'fr' } });
      expect(res.statusCode).toBe(401);
      expect(errorCode(res)).toBe('UNAUTHENTICATED');
    });
  });

  describe('POST /api/auth/register', () => {
    /** Registers and answers the stored account's language (registration itself says nothing). */
    const register = async (body: Record<string, unknown>, headers: Record<string, string> = {}) => {
      const email = `${Math.random().toString(36).slice(2)}@court.example`;
      const res = await t.request({
        method: 'POST',
        url: '/api/auth/register',
        headers,
        body: { email, password: TEST_PASSWORD, ...body },
      });
      const stored = t.handle.db.select().from(users).where(eq(users.email, email)).get();
      return { res, locale: stored?.locale };
    };

    it('keeps the interface language the applicant registered in', async () => {
      const { res, locale } = await register({ displayName: 'Awa Diop', locale: 'fr' }, { 'accept-language': 'es' });
      expect(res.statusCode).toBe(202);
      expect(locale).toBe('fr');
    });

    it("else takes the browser's best match, else English", async () => {
      const arabic = await register({ displayName: 'Leila Haddad' }, { 'accept-language': 'de;q=0.9,ar-MA;q=0.8' });
      expect(arabic.locale).toBe('ar');
      const german = await register({ displayName: 'Jonas Weber' }, { 'accept-language': 'de-DE' });
      expect(german.locale).toBe('en');
    });

    it('refuses a language outside the four', async () => {
      const { res } = await register({ displayName: 'Jonas Weber', locale: 'de' });
      expect(res.statusCode).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
    });
  });

  describe('GET /api/reference/*', () => {
    it('carries the names in the other languages', async () => {
      const cookie = await t.loginAs(await t.createUser());
      const { jurisdictions } = (await t.request({ method: 'GET', url: '/api/reference/jurisdictions', cookie })).json<{
        jurisdictions: { code: string; translations: Record<string, unknown> }[];
      }>();
      for (const j of jurisdictions) expect(j.translations, j.code).toBeTypeOf('object');
      const { topics } = (await t.request({ method: 'GET', url: '/api/reference/topics', cookie })).json<{
        topics: { translations: object }[];
      }>();
      expect(topics.every((topic) => typeof topic.translations === 'object')).toBe(true);
      const { instruments } = (await t.request({ method: 'GET', url: '/api/reference/instruments', cookie })).json<{
        instruments: { translations: object }[];
      }>();
      expect(instruments.every((i) => typeof i.translations === 'object')).toBe(true);
    });
  });
});

describe('bestLocale', () => {
  it.each([
    ['fr-CA,fr;q=0.9,en;q=0.5', 'fr'],
    ['en-US,en;q=0.9', 'en'],
    ['de-DE,de;q=0.9,es;q=0.3', 'es'],
    ['es;q=0.2,ar;q=0.8', 'ar'],
    ['fr;q=0,en', 'en'],
    ['*', null],
    ['', null],
  ])('%s → %s', (header, expected) => {
    expect(bestLocale(header)).toBe(expected);
  });
  it('reads navigator.languages too', () => {
    expect(bestLocale(['pt-BR', 'es-419', 'en'])).toBe('es');
  });
});

describe('The served page', () => {
  let dist: string;
  let t: TestApp;
  beforeAll(() => {
    dist = mkdtempSync(join(tmpdir(), 'lexforum-web-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><html lang="en" dir="ltr"><title>LexForum</title></html>');
  });
  afterAll(() => rmSync(dist, { recursive: true, force: true }));
  beforeEach(async () => {
    t = await buildTestApp({ env: { WEB_DIST: dist } });
  });
  afterEach(async () => t.close());

  const page = (url: string, headers: Record<string, string> = {}, cookie?: string) =>
    t.request({ method: 'GET', url, headers, ...(cookie ? { cookie } : {}) });

  it('has lang and dir from Accept-Language, on / and on a client route', async () => {
    for (const url of ['/', '/threads/abc']) {
      const res = await page(url, { 'accept-language': 'ar-MA,fr;q=0.5' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<html lang="ar" dir="rtl">');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(String(res.headers['vary'])).toMatch(/Accept-Language/);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    }
    expect((await page('/', { 'accept-language': 'fr-CA' })).body).toContain('<html lang="fr" dir="ltr">');
    expect((await page('/', { 'accept-language': 'de' })).body).toContain('<html lang="en" dir="ltr">');
  });

  it("prefers the menu's cookie to the browser, and the account's language to both", async () => {
    const chosen = await page('/', { 'accept-language': 'fr' }, `${LOCALE_COOKIE}=es`);
    expect(chosen.body).toContain('<html lang="es" dir="ltr">');
    expect(chosen.cookies.find((c) => c.name === LOCALE_COOKIE)).toBeUndefined();

    const user = await t.createUser();
    const session = await t.loginAs(user);
    await t.request({ method: 'PUT', url: '/api/account/locale', cookie: session, body: { locale: 'ar' } });
    const res = await page('/', { 'accept-language': 'fr', cookie: `${session}; ${LOCALE_COOKIE}=es` });
    expect(res.body).toContain('<html lang="ar" dir="rtl">');
    // The client reads the cookie: it is set to the account's language for the script to follow.
    expect(res.cookies.find((c) => c.name === LOCALE_COOKIE)?.value).toBe('ar');
  });
});

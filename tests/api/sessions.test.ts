import { sessions } from '@lexforum/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  DAY,
  errorCode,
  HOUR,
  MINUTE,
  sessionCookie,
  TEST_PASSWORD,
  type TestApp,
} from '../helpers/app.js';

describe('Sessions API', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp({
      env: { SESSION_IDLE_TIMEOUT_SECONDS: String(2 * 3600), SESSION_MAX_AGE_SECONDS: String(24 * 3600) },
    });
  });
  afterEach(async () => t.close());

  const account = (cookie: string) => t.request({ method: 'GET', url: '/api/account', cookie });

  describe('token storage', () => {
    it('stores only a SHA-256 of the secret, never the token', async () => {
      const cookie = await t.loginAs(await t.createUser());
      const token = decodeURIComponent(cookie.split('=')[1]!);
      const [id, secret] = token.split('.') as [string, string];
      expect(id).toMatch(/^[a-z2-7]{24}$/);
      expect(secret).toMatch(/^[a-z2-7]{52}$/); // 32 random bytes = 256 bits
      const row = t.handle.db.select().from(sessions).get()!;
      expect(row.id).toBe(id);
      expect(row.secretHash).toHaveLength(32);
      const dump = JSON.stringify(t.handle.sqlite.prepare('select * from sessions').all());
      expect(dump).not.toContain(secret);
    });
  });

  describe('expiry', () => {
    it('ends a session left idle past the idle timeout', async () => {
      const cookie = await t.loginAs(await t.createUser());
      t.clock.advance(2 * HOUR - MINUTE);
      expect((await account(cookie)).statusCode).toBe(200);
      // Use refreshed the idle deadline: another almost-two hours is still fine.
      t.clock.advance(2 * HOUR - MINUTE);
      expect((await account(cookie)).statusCode).toBe(200);
      t.clock.advance(2 * HOUR);
      const res = await account(cookie);
      expect(res.statusCode).toBe(401);
      expect(errorCode(res)).toBe('UNAUTHENTICATED');
      expect(t.handle.db.select().from(sessions).all()).toHaveLength(0);
    });

    it('ends an active session at its absolute lifetime', async () => {
      const cookie = await t.loginAs(await t.createUser());
      for (let elapsed = 0; elapsed < DAY - HOUR; elapsed += HOUR) {
        t.clock.advance(HOUR);
        expect((await account(cookie)).statusCode).toBe(200);
      }
      t.clock.advance(HOUR);
      expect((await account(cookie)).statusCode).toBe(401);
    });

    it('sets the cookie to expire at the absolute deadline', async () => {
      const user = await t.createUser();
      const res = await t.request({
        method: 'POST',
        url: '/api/auth/sign-in',
        body: { email: user.email, password: TEST_PASSWORD },
      });
      const cookie = res.cookies.find((c) => c.name === 'lexforum_session')!;
      expect(new Date(cookie.expires!).getTime()).toBe(t.clock.now().getTime() + DAY);
    });
  });

  describe('GET /api/account/sessions', () => {
    it('lists the user’s own sessions, marks the current one, and shows no one else’s', async () => {
      const user = await t.createUser();
      const other = await t.createUser();
      await t.loginAs(other);
      await t.request({
        method: 'POST',
        url: '/api/auth/sign-in',
        body: { email: user.email, password: TEST_PASSWORD },
        headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' },
      });
      t.clock.advance(MINUTE);
      const cookie = await t.loginAs(user);
      const res = await t.request({ method: 'GET', url: '/api/account/sessions', cookie });
      expect(res.statusCode).toBe(200);
      const list = res.json().sessions;
      expect(list).toHaveLength(2);
      expect(list[0]).toMatchObject({ current: true });
      expect(list[1]).toMatchObject({
        current: false,
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0',
        ip: '127.0.0.1',
      });
      expect(new Date(list[0].expiresAt).getTime()).toBe(t.clock.now().getTime() + 2 * HOUR);
    });

    it('requires a session', async () => {
      const res = await t.request({ method: 'GET', url: '/api/account/sessions' });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'Sign in to continue.' } });
    });
  });

  describe('DELETE /api/account/sessions/:id', () => {
    it('ends another of the user’s sessions', async () => {
      const user = await t.createUser();
      const laptop = await t.loginAs(user);
      const phone = await t.loginAs(user);
      const list = (await t.request({ method: 'GET', url: '/api/account/sessions', cookie: laptop })).json().sessions;
      const phoneId = list.find((s: { current: boolean }) => !s.current).id;
      const res = await t.request({ method: 'DELETE', url: `/api/account/sessions/${phoneId}`, cookie: laptop });
      expect(res.statusCode).toBe(204);
      expect((await account(phone)).statusCode).toBe(401);
      expect((await account(laptop)).statusCode).toBe(200);
    });

    it('ending the current session signs out and clears the cookie', async () => {
      const cookie = await t.loginAs(await t.createUser());
      const id = decodeURIComponent(cookie.split('=')[1]!).split('.')[0];
      const res = await t.request({ method: 'DELETE', url: `/api/account/sessions/${id}`, cookie });
      expect(res.statusCode).toBe(204);
      expect(res.cookies.find((c) => c.name === 'lexforum_session')?.value).toBe('');
      expect((await account(cookie)).statusCode).toBe(401);
    });

    it('answers 404 for someone else’s session and leaves it alone', async () => {
      const victim = await t.loginAs(await t.createUser());
      const attacker = await t.loginAs(await t.createUser());
      const victimId = decodeURIComponent(victim.split('=')[1]!).split('.')[0];
      const res = await t.request({ method: 'DELETE', url: `/api/account/sessions/${victimId}`, cookie: attacker });
      expect(res.statusCode).toBe(404);
      expect(errorCode(res)).toBe('NOT_FOUND');
      expect((await account(victim)).statusCode).toBe(200);
    });

    it('validates the id', async () => {
      const cookie = await t.loginAs(await t.createUser());
      const res = await t.request({ method: 'DELETE', url: '/api/account/sessions/NOT..valid', cookie });
      expect(res.statusCode).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
    });
  });

  describe('POST /api/account/sessions/revoke-others', () => {
    it('ends every other session and keeps this one', async () => {
      const user = await t.createUser();
      const others = [await t.loginAs(user), await t.loginAs(user)];
      const mine = await t.loginAs(user);
      const res = await t.request({ method: 'POST', url: '/api/account/sessions/revoke-others', cookie: mine });
      expect(res.json()).toEqual({ revoked: 2 });
      for (const c of others) expect((await account(c)).statusCode).toBe(401);
      expect((await account(mine)).statusCode).toBe(200);
    });
  });

  describe('POST /api/account/password', () => {
    it('changes the password and ends the other sessions', async () => {
      const user = await t.createUser();
      const other = await t.loginAs(user);
      const mine = await t.loginAs(user);
      const res = await t.request({
        method: 'POST',
        url: '/api/account/password',
        cookie: mine,
        body: { currentPassword: TEST_PASSWORD, newPassword: 'an entirely new passphrase' },
      });
      expect(res.statusCode).toBe(204);
      expect((await account(other)).statusCode).toBe(401);
      expect((await account(mine)).statusCode).toBe(200);
      const relogin = await t.request({
        method: 'POST',
        url: '/api/auth/sign-in',
        body: { email: user.email, password: 'an entirely new passphrase' },
      });
      expect(relogin.statusCode).toBe(200);
      sessionCookie(relogin);
    });

    it.each([
      [
        'a wrong current password',
        { currentPassword: 'not my password!', newPassword: 'an entirely new passphrase' },
        401,
        '/currentPassword',
      ],
      ['a common new password', { currentPassword: TEST_PASSWORD, newPassword: 'qwerty123456' }, 400, '/newPassword'],
      [
        'a new password built from the forum’s name',
        { currentPassword: TEST_PASSWORD, newPassword: 'ilovelexforum' },
        400,
        '/newPassword',
      ],
      [
        'a new password built from the member’s name',
        { currentPassword: TEST_PASSWORD, newPassword: 'TestMember2026!' },
        400,
        '/newPassword',
      ],
    ])('refuses %s', async (_label, body, status, path) => {
      const cookie = await t.loginAs(await t.createUser());
      const res = await t.request({ method: 'POST', url: '/api/account/password', cookie, body });
      expect(res.statusCode).toBe(status);
      expect(res.json().error.details.issues[0].path).toBe(path);
    });
  });

  describe('cookie policy', () => {
    it('uses Secure and the __Host- prefix when the public origin is https', async () => {
      const https = await buildTestApp({ env: { PUBLIC_ORIGIN: 'https://forum.example.org' } });
      try {
        const user = await https.createUser();
        const res = await https.request({
          method: 'POST',
          url: '/api/auth/sign-in',
          body: { email: user.email, password: TEST_PASSWORD },
        });
        const cookie = res.cookies[0]!;
        expect(cookie).toMatchObject({
          name: '__Host-lexforum_session',
          secure: true,
          httpOnly: true,
          path: '/',
          sameSite: 'Lax',
        });
        expect(cookie.domain).toBeUndefined();
        expect(res.headers['strict-transport-security']).toContain('max-age=31536000');
        const me = await https.request({ method: 'GET', url: '/api/account', cookie: sessionCookie(res) });
        expect(me.statusCode).toBe(200);
      } finally {
        await https.close();
      }
    });
  });
});

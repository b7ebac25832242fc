import { sessions, users } from '@lexforum/db';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAdmin } from '../../server/src/modules/users/create-admin.js';
import { buildTestApp, errorCode, MINUTE, sessionCookie, TEST_PASSWORD, type TestApp } from '../helpers/app.js';

const register = (t: TestApp, body: Record<string, unknown>) =>
  t.request({ method: 'POST', url: '/api/auth/register', body });
const signIn = (t: TestApp, email: string, password: string, headers?: Record<string, string>) =>
  t.request({ method: 'POST', url: '/api/auth/sign-in', body: { email, password }, ...(headers ? { headers } : {}) });

describe('Auth API', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(async () => t.close());

  describe('POST /api/auth/register', () => {
    const valid = {
      email: 'Prosecutor@Justice.example',
      password: 'a long and unusual passphrase',
      displayName: 'Ama Mensah',
    };

    it('creates an unverified applicant without signing it in, and never returns the password hash', async () => {
      const res = await register(t, valid);
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({ status: 'verification_sent' });
      expect(res.body).not.toContain('argon2');
      expect(res.cookies.find((c) => c.name === 'lexforum_session')).toBeUndefined();

      const stored = t.handle.db.select().from(users).where(eq(users.email, valid.email)).get()!;
      expect(stored).toMatchObject({ displayName: 'Ama Mensah', role: 'applicant', emailVerifiedAt: null });
      // The full cost (the members tests create carry a cheap hash: tests/helpers/app.ts).
      expect(stored.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(t.handle.db.select().from(sessions).all()).toHaveLength(0);
    });

    it('answers an address already used, whatever its case, exactly as a new one', async () => {
      const first = await register(t, valid);
      const again = await register(t, { ...valid, email: 'prosecutor@JUSTICE.example', displayName: 'Ama Mensah B' });
      expect(again.statusCode).toBe(first.statusCode);
      expect(again.body).toBe(first.body);
      expect(t.handle.db.select().from(users).all()).toHaveLength(1);
    });

    it.each([
      ['a short password', { password: 'short pass' }, '/password', /at least 12/],
      ['a common password', { password: 'qwerty123456' }, '/password', /too common/],
      ['a common password with digits added', { password: 'password2024!!' }, '/password', /too common/],
      ['a password that repeats one character', { password: 'aaaaaaaaaaaaaaa' }, '/password', /repeats/],
      ['a password containing the email', { password: 'prosecutor-rocks-2026' }, '/password', /email/],
      ['a password built from the forum’s name', { password: 'lexforum2026!' }, '/password', /forum’s name/],
      ['a password built from the name', { password: 'AmaMensah1984!' }, '/password', /your name/],
      ['an invalid email', { email: 'not-an-email' }, '/email', /valid email/],
      ['an email with spaces inside', { email: 'a b@c.example' }, '/email', /valid email/],
      ['an empty display name', { displayName: '' }, '/displayName', /at least 2/],
      ['a display name with a bidi override', { displayName: 'Ama\u202EnasneM' }, '/displayName', /invisible/],
      ['a display name padded with spaces', { displayName: ' Ama ' }, '/displayName', /spaces/],
    ])('refuses %s with a per-field error', async (_label, patch, path, message) => {
      const res = await register(t, { ...valid, ...patch });
      expect(res.statusCode).toBe(400);
      const issue = res.json().error.details.issues.find((i: { path: string }) => i.path === path);
      expect(issue?.message).toMatch(message);
      expect(t.handle.db.select().from(users).all()).toHaveLength(0);
    });

    it('reports every bad field at once', async () => {
      const res = await register(t, { email: 'x', password: 'short', displayName: '' });
      expect(res.statusCode).toBe(400);
      expect(
        res
          .json()
          .error.details.issues.map((i: { path: string }) => i.path)
          .sort(),
      ).toEqual(['/displayName', '/email', '/password']);
    });

    it.each([
      ['a missing field', { email: 'a@b.example', password: 'x'.repeat(12) }, '/displayName'],
      ['an unknown field', { ...valid, role: 'admin' }, '/role'],
      ['a wrong type', { ...valid, email: 42 }, '/email'],
    ])('refuses %s by schema with its path', async (_label, body, path) => {
      const res = await register(t, body);
      expect(res.statusCode).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
      expect(res.json().error.details.issues.map((i: { path: string }) => i.path)).toContain(path);
    });

    it('is rate-limited per IP', async () => {
      const limited = await buildTestApp({ env: { REGISTRATIONS_PER_HOUR_PER_IP: '2' } });
      try {
        for (let i = 0; i < 2; i++) {
          const ok = await register(limited, {
            ...valid,
            email: `r${i}@court.example`,
            displayName: `Ama Mensah ${i}`,
          });
          expect(ok.statusCode).toBe(202);
        }
        const res = await register(limited, { ...valid, email: 'r3@court.example', displayName: 'Ama Mensah 3' });
        expect(res.statusCode).toBe(429);
        expect(errorCode(res)).toBe('RATE_LIMITED');
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      } finally {
        await limited.close();
      }
    });
  });

  describe('POST /api/auth/sign-in', () => {
    it('signs in case-insensitively and starts a new session each time', async () => {
      const user = await t.createUser({ email: 'judge@court.example' });
      const first = await signIn(t, 'JUDGE@court.example', TEST_PASSWORD);
      expect(first.statusCode).toBe(200);
      expect(first.json().user.id).toBe(user.id);
      const second = await signIn(t, 'judge@court.example', TEST_PASSWORD);
      expect(sessionCookie(second)).not.toBe(sessionCookie(first));
      expect(t.handle.db.select().from(sessions).where(eq(sessions.userId, user.id)).all()).toHaveLength(2);
    });

    it('replaces the session a browser already had instead of keeping both', async () => {
      const user = await t.createUser();
      const cookie = await t.loginAs(user);
      const res = await t.request({
        method: 'POST',
        url: '/api/auth/sign-in',
        cookie,
        body: { email: user.email, password: TEST_PASSWORD },
      });
      expect(res.statusCode).toBe(200);
      expect(t.handle.db.select().from(sessions).all()).toHaveLength(1);
      expect((await t.request({ method: 'GET', url: '/api/account', cookie })).statusCode).toBe(401);
    });

    it('says the same thing for an unknown account and a wrong password', async () => {
      await t.createUser({ email: 'known@court.example' });
      const unknown = await signIn(t, 'nobody@court.example', TEST_PASSWORD);
      const wrong = await signIn(t, 'known@court.example', 'not the right password');
      expect(unknown.statusCode).toBe(401);
      expect(wrong.statusCode).toBe(401);
      expect(unknown.json()).toEqual(wrong.json());
      expect(unknown.json().error).toEqual({ code: 'INVALID_CREDENTIALS', message: 'Invalid email or password.' });
    });

    it('refuses a suspended account even with the right password', async () => {
      const user = await t.createUser({ status: 'suspended' });
      const res = await signIn(t, user.email, TEST_PASSWORD);
      expect(res.statusCode).toBe(403);
      expect(errorCode(res)).toBe('SUSPENDED');
    });

    it('throttles repeated failures per account from one IP with 429 and Retry-After, then lets the window pass', async () => {
      const user = await t.createUser();
      for (let i = 0; i < t.config.SIGN_IN_MAX_FAILURES_PER_ACCOUNT_IP; i++) {
        expect((await signIn(t, user.email, `wrong password ${i}`)).statusCode).toBe(401);
      }
      // From that IP even the right password waits: the throttle answers before any password is checked.
      const blocked = await signIn(t, user.email.toUpperCase(), TEST_PASSWORD);
      expect(blocked.statusCode).toBe(429);
      expect(errorCode(blocked)).toBe('TOO_MANY_ATTEMPTS');
      const retryAfter = Number(blocked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(t.config.SIGN_IN_FAILURE_WINDOW_SECONDS);
      expect(blocked.json().error.details.retryAfterSeconds).toBe(retryAfter);
      expect(blocked.json().error.message).toMatch(/Try again in \d+ minutes?/);

      t.clock.advance(retryAfter * 1000);
      expect((await signIn(t, user.email, TEST_PASSWORD)).statusCode).toBe(200);
    });

    it('throttles repeated failures per IP across accounts', async () => {
      const ip = await buildTestApp({ env: { SIGN_IN_MAX_FAILURES_PER_IP: '3' } });
      try {
        for (let i = 0; i < 3; i++)
          expect((await signIn(ip, `user${i}@court.example`, 'wrong password!')).statusCode).toBe(401);
        const user = await ip.createUser();
        const res = await signIn(ip, user.email, TEST_PASSWORD);
        expect(res.statusCode).toBe(429);
        expect(errorCode(res)).toBe('TOO_MANY_ATTEMPTS');
        ip.clock.advance(ip.config.SIGN_IN_FAILURE_WINDOW_SECONDS * 1000 + MINUTE);
        expect((await signIn(ip, user.email, TEST_PASSWORD)).statusCode).toBe(200);
      } finally {
        await ip.close();
      }
    });
  });

  describe('POST /api/auth/sign-out', () => {
    it('deletes the session and clears the cookie', async () => {
      const user = await t.createUser();
      const cookie = await t.loginAs(user);
      const res = await t.request({ method: 'POST', url: '/api/auth/sign-out', cookie });
      expect(res.statusCode).toBe(204);
      expect(res.cookies.find((c) => c.name === 'lexforum_session')?.value).toBe('');
      expect(t.handle.db.select().from(sessions).all()).toHaveLength(0);
      expect((await t.request({ method: 'GET', url: '/api/account', cookie })).statusCode).toBe(401);
    });
  });

  describe('GET /api/session', () => {
    it('answers null when signed out and the user when signed in', async () => {
      expect((await t.request({ method: 'GET', url: '/api/session' })).json()).toEqual({ user: null });
      const user = await t.createUser({ displayName: 'Camille Durand' });
      const cookie = await t.loginAs(user);
      const res = await t.request({ method: 'GET', url: '/api/session', cookie });
      expect(res.json().user).toMatchObject({ id: user.id, displayName: 'Camille Durand', role: 'member' });
    });

    it('clears a cookie whose secret was tampered with', async () => {
      const cookie = await t.loginAs(await t.createUser());
      const forged = `${cookie.slice(0, -4)}aaaa`;
      const res = await t.request({ method: 'GET', url: '/api/session', cookie: forged });
      expect(res.json()).toEqual({ user: null });
      expect(res.cookies.find((c) => c.name === 'lexforum_session')?.value).toBe('');
    });
  });

  describe('create-admin (the CLI’s use case)', () => {
    it('refuses a password built from the forum’s name or the admin’s name, like every other path', async () => {
      const input = { email: 'chief@registry.example', displayName: 'Chief Registrar' };
      for (const password of ['lexforum-admin-2026', 'ChiefRegistrar2026!']) {
        await expect(createAdmin(t.handle.db, { ...input, password })).rejects.toMatchObject({
          statusCode: 400,
          details: { issues: [{ path: '/password' }] },
        });
      }
      const admin = await createAdmin(t.handle.db, { ...input, password: 'quiet ledger under the stairs' });
      expect(admin.role).toBe('admin');
    });
  });
});

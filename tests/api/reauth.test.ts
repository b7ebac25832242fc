import { securityEvents, sessions, users } from '@lexforum/db';
import type { AccountSecurity, PasskeyAdded, ReauthState, RecoveryCodes, SessionList } from '@lexforum/shared';
import type { UserRow } from '@lexforum/db';
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, errorCode, MINUTE, TEST_PASSWORD, type RequestOptions, type TestApp } from '../helpers/app.js';
import { enrolPasskey, passkeyOptions, softAuthenticatorFor } from '../helpers/passkeys.js';
import { TEST_TOTP_KEY, totpCode } from '../helpers/totp.js';
import type { RequestOptions as PasskeyRequestOptions, SoftAuthenticator } from '../helpers/webauthn.js';

describe('Re-authentication API', () => {
  let t: TestApp;
  let authenticator: SoftAuthenticator;
  beforeEach(async () => {
    t = await buildTestApp({ env: { SIGN_IN_MAX_FAILURES_PER_ACCOUNT_IP: '3' } });
    authenticator = softAuthenticatorFor(t);
  });
  afterEach(async () => t.close());

  const STALE = 10 * MINUTE;
  const reauth = (cookie: string, body: unknown) =>
    t.request({ method: 'POST', url: '/api/auth/reauth', cookie, body });
  const reauthUntil = async (cookie: string) =>
    ((await t.request({ method: 'GET', url: '/api/account/security', cookie })).json() as AccountSecurity).reauthUntil;

  describe('POST /api/auth/reauth', () => {
    it('confirms with the password and opens the window for ten minutes', async () => {
      const cookie = await t.loginAs(await t.createUser());
      t.clock.advance(STALE);
      expect(await reauthUntil(cookie)).toBeNull();
      const res = await reauth(cookie, { password: TEST_PASSWORD });
      expect(res.statusCode).toBe(200);
      const until = new Date(t.clock.now().getTime() + 10 * MINUTE).toISOString();
      expect(res.json()).toEqual({ reauthUntil: until });
      expect(await reauthUntil(cookie)).toBe(until);
      const guarded = await t.request({ method: 'POST', url: '/api/account/sessions/revoke-others', cookie });
      expect(guarded.statusCode).toBe(200);
    });

    it('refuses a wrong password, keeps the session stale, and throttles like sign-in', async () => {
      const cookie = await t.loginAs(await t.createUser());
      t.clock.advance(STALE);
      for (let i = 0; i < 3; i += 1) {
        const res = await reauth(cookie, { password: 'not my password at all' });
        expect(res.statusCode).toBe(401);
        expect(errorCode(res)).toBe('INVALID_CREDENTIALS');
        expect(res.json().error.details.issues[0]).toMatchObject({ path: '/password', code: 'password_incorrect' });
      }
      expect(await reauthUntil(cookie)).toBeNull();
      const throttled = await reauth(cookie, { password: TEST_PASSWORD });
      expect(throttled.statusCode).toBe(429);
      expect(errorCode(throttled)).toBe('TOO_MANY_ATTEMPTS');
    });

    it('needs a session', async () => {
      const res = await t.request({ method: 'POST', url: '/api/auth/reauth', body: { password: TEST_PASSWORD } });
      expect(res.statusCode).toBe(401);
    });

    it('confirms with an authenticator code, once per time step', async () => {
      const cookie = await t.loginAs(await t.createUser({ role: 'moderator' }));
      t.clock.advance(STALE);
      const code = totpCode(TEST_TOTP_KEY, t.clock.now());
      const res = await reauth(cookie, { method: 'totp', code });
      expect(res.statusCode, res.body).toBe(200);
      expect(await reauthUntil(cookie)).not.toBeNull();
      t.clock.advance(STALE);
      const later = await reauth(cookie, { method: 'totp', code: totpCode(TEST_TOTP_KEY, t.clock.now()) });
      expect(later.statusCode).toBe(200);
      // The same step's code a second time: a replay.
      const again = await reauth(cookie, { method: 'totp', code: totpCode(TEST_TOTP_KEY, t.clock.now()) });
      expect(errorCode(again)).toBe('CODE_ALREADY_USED');
    });

    it('refuses a wrong code under the code field, counts it, and keeps the session stale', async () => {
      const user = await t.createUser({ role: 'moderator' });
      const cookie = await t.loginAs(user);
      t.clock.advance(STALE);
      const res = await reauth(cookie, {
        method: 'totp',
        // Any six digits but the codes of the accepted steps (now and one either side).
        code: ['000000', '111111', '222222', '333333'].find(
          (c) => ![-1, 0, 1].some((d) => totpCode(TEST_TOTP_KEY, t.clock.now().getTime() + d * 30_000) === c),
        ),
      });
      expect(res.statusCode).toBe(400);
      expect(errorCode(res)).toBe('INVALID_CODE');
      expect(res.json().error.details.issues[0]).toMatchObject({ path: '/code' });
      expect(await reauthUntil(cookie)).toBeNull();
      const failures = t.handle.db
        .select()
        .from(securityEvents)
        .where(and(eq(securityEvents.userId, user.id), eq(securityEvents.kind, 'second_factor_failed')))
        .all();
      expect(failures).toHaveLength(1);
    });

    it('confirms with a recovery code, which then no longer works', async () => {
      const cookie = await t.loginAs(await t.createUser({ role: 'moderator' }));
      const made = await t.request({ method: 'POST', url: '/api/account/recovery-codes', cookie });
      expect(made.statusCode, made.body).toBe(200);
      const [code] = (made.json() as RecoveryCodes).codes as [string];
      t.clock.advance(STALE);
      expect((await reauth(cookie, { method: 'recovery_code', code })).statusCode).toBe(200);
      t.clock.advance(STALE);
      const reused = await reauth(cookie, { method: 'recovery_code', code });
      expect(reused.statusCode).toBe(400);
      expect(['INVALID_CODE', 'CODE_ALREADY_USED']).toContain(errorCode(reused));
      expect(await reauthUntil(cookie)).toBeNull();
    });

    it('refuses a code from an account without an authenticator app', async () => {
      const cookie = await t.loginAs(await t.createUser());
      t.clock.advance(STALE);
      const res = await reauth(cookie, { method: 'totp', code: '123456' });
      expect(res.statusCode).toBe(400);
      expect(errorCode(res)).toBe('INVALID_CODE');
    });
  });

  describe('POST /api/auth/reauth/passkey', () => {
    async function staleMemberWithPasskey() {
      const user = await t.createUser();
      const cookie = await t.loginAs(user);
      const added = await enrolPasskey(t, cookie, authenticator);
      expect(added.statusCode).toBe(201);
      t.clock.advance(STALE);
      return { user, cookie, passkey: (added.json() as PasskeyAdded).passkey };
    }
    const options = (cookie: string) =>
      passkeyOptions<PasskeyRequestOptions>(t, '/api/auth/reauth/passkey/options', cookie);
    const answer = (cookie: string, response: unknown) =>
      t.request({ method: 'POST', url: '/api/auth/reauth/passkey', cookie, body: { response } });

    it('confirms with one of the account’s passkeys', async () => {
      const { cookie, passkey } = await staleMemberWithPasskey();
      const offered = await options(cookie);
      expect(offered.allowCredentials?.map((c) => c.id)).toEqual([passkey.id]);
      const res = await answer(cookie, authenticator.authenticate(offered));
      expect(res.statusCode).toBe(200);
      expect((res.json() as ReauthState).reauthUntil).toBe(
        new Date(t.clock.now().getTime() + 10 * MINUTE).toISOString(),
      );
      expect(await reauthUntil(cookie)).not.toBeNull();
    });

    it('refuses a wrong origin, a spent challenge and another account’s passkey', async () => {
      const { cookie } = await staleMemberWithPasskey();
      const wrongOrigin = await answer(
        cookie,
        authenticator.authenticate(await options(cookie), { origin: 'https://evil.example' }),
      );
      expect(wrongOrigin.statusCode).toBe(401);
      expect(errorCode(wrongOrigin)).toBe('PASSKEY_FAILED');

      const good = authenticator.authenticate(await options(cookie));
      expect((await answer(cookie, good)).statusCode).toBe(200);
      t.clock.advance(STALE);
      expect(errorCode(await answer(cookie, good))).toBe('PASSKEY_FAILED');

      const otherKey = softAuthenticatorFor(t);
      expect((await enrolPasskey(t, await t.loginAs(await t.createUser()), otherKey)).statusCode).toBe(201);
      const [otherCredential] = otherKey.credentials.keys();
      const foreign = await answer(
        cookie,
        otherKey.authenticate(await options(cookie), { credentialId: otherCredential! }),
      );
      expect(errorCode(foreign)).toBe('PASSKEY_FAILED');
      expect(await reauthUntil(cookie)).toBeNull();
    });

    it('offers no prompt to an account without passkeys', async () => {
      const cookie = await t.loginAs(await t.createUser());
      const res = await t.request({ method: 'POST', url: '/api/auth/reauth/passkey/options', cookie });
      expect(res.statusCode).toBe(400);
      expect(errorCode(res)).toBe('PASSKEY_FAILED');
    });
  });

  describe('guarded routes', () => {
    interface Guarded {
      name: string;
      /** Who acts (a member unless said), and the request to send as them. */
      role?: 'admin';
      request: (ctx: {
        user: UserRow;
        cookie: string;
        other: UserRow;
        otherSessionId: string;
      }) => Omit<RequestOptions, 'cookie'>;
      /** The status once confirmed. */
      ok: number;
    }

    const GUARDED: Guarded[] = [
      {
        name: 'start adding a passkey',
        request: () => ({ method: 'POST', url: '/api/account/passkeys/options' }),
        ok: 200,
      },
      {
        name: 'end another session',
        request: ({ otherSessionId }) => ({ method: 'DELETE', url: `/api/account/sessions/${otherSessionId}` }),
        ok: 204,
      },
      {
        name: 'end every other session',
        request: () => ({ method: 'POST', url: '/api/account/sessions/revoke-others' }),
        ok: 200,
      },
      {
        name: 'change a role',
        role: 'admin',
        request: ({ other }) => ({
          method: 'PUT',
          url: `/api/admin/users/${other.id}/role`,
          body: { role: 'member', reason: 'Stepped down.' },
        }),
        ok: 200,
      },
      {
        name: 'set jurisdictions',
        role: 'admin',
        request: ({ other }) => ({
          method: 'PUT',
          url: `/api/admin/users/${other.id}/jurisdictions`,
          body: { jurisdictions: ['KE'] },
        }),
        ok: 200,
      },
      {
        name: 'suspend',
        role: 'admin',
        request: ({ other }) => ({
          method: 'POST',
          url: `/api/admin/users/${other.id}/suspend`,
          body: { reason: 'Spam.' },
        }),
        ok: 200,
      },
      {
        name: 'reinstate',
        role: 'admin',
        request: ({ other }) => ({
          method: 'POST',
          url: `/api/admin/users/${other.id}/reinstate`,
          body: { reason: 'Appeal upheld.' },
        }),
        ok: 200,
      },
      {
        name: 'change settings',
        role: 'admin',
        request: () => ({ method: 'PATCH', url: '/api/admin/settings', body: { reverificationMonths: 36 } }),
        ok: 200,
      },
    ];

    async function setUp(c: Guarded) {
      const user = await t.createUser({ role: c.role ?? 'member' });
      const cookie = await t.loginAs(user);
      const second = await t.loginAs(user);
      const list = (
        await t.request({ method: 'GET', url: '/api/account/sessions', cookie: second })
      ).json() as SessionList;
      const otherSessionId = list.sessions.find((s) => s.current)!.id;
      const other = await t.createUser({
        role: 'moderator',
        ...(c.name === 'reinstate' ? { status: 'suspended' as const, suspendedReason: 'Spam.' } : {}),
      });
      return { user, cookie, other, otherSessionId };
    }

    it.each(GUARDED)('lets a fresh session $name', async (c) => {
      const ctx = await setUp(c);
      t.clock.advance(STALE - 1000);
      const res = await t.request({ ...c.request(ctx), cookie: ctx.cookie });
      expect(res.statusCode, res.body).toBe(c.ok);
    });

    it.each(GUARDED)('asks a stale session to confirm before it may $name, then lets it', async (c) => {
      const ctx = await setUp(c);
      t.clock.advance(STALE);
      const stale = await t.request({ ...c.request(ctx), cookie: ctx.cookie });
      expect(stale.statusCode).toBe(403);
      // Staff made by the test helpers have an authenticator app (staff must have a second factor).
      const methods = c.role === 'admin' ? ['password', 'totp', 'recovery_code'] : ['password'];
      expect(stale.json().error).toMatchObject({ code: 'REAUTH_REQUIRED', details: { methods } });
      expect((await reauth(ctx.cookie, { password: TEST_PASSWORD })).statusCode).toBe(200);
      const confirmed = await t.request({ ...c.request(ctx), cookie: ctx.cookie });
      expect(confirmed.statusCode, confirmed.body).toBe(c.ok);
    });

    it('tells a member on an admin route "forbidden", not "confirm"', async () => {
      const cookie = await t.loginAs(await t.createUser());
      t.clock.advance(STALE);
      const res = await t.request({
        method: 'PATCH',
        url: '/api/admin/settings',
        cookie,
        body: { reverificationMonths: 36 },
      });
      expect(res.statusCode).toBe(403);
      expect(errorCode(res)).toBe('FORBIDDEN');
    });

    it('lets a stale session sign itself out', async () => {
      const cookie = await t.loginAs(await t.createUser());
      t.clock.advance(STALE);
      const current = (await t.request({ method: 'GET', url: '/api/account/sessions', cookie })).json() as SessionList;
      const res = await t.request({
        method: 'DELETE',
        url: `/api/account/sessions/${current.sessions[0]!.id}`,
        cookie,
      });
      expect(res.statusCode).toBe(204);
    });

    it('lists the ways the account can confirm', async () => {
      const user = await t.createUser();
      const cookie = await t.loginAs(user);
      expect((await enrolPasskey(t, cookie, authenticator)).statusCode).toBe(201);
      t.clock.advance(STALE);
      const withPasskey = await t.request({ method: 'POST', url: '/api/account/sessions/revoke-others', cookie });
      expect(withPasskey.json().error.details.methods).toEqual(['password', 'passkey', 'recovery_code']);
      t.handle.db
        .update(users)
        .set({ totpKey: Buffer.alloc(20, 7) })
        .where(eq(users.id, user.id))
        .run();
      const withBoth = await t.request({ method: 'POST', url: '/api/account/sessions/revoke-others', cookie });
      expect(withBoth.json().error.details.methods).toEqual(['password', 'totp', 'passkey', 'recovery_code']);
    });
  });

  describe('POST /api/account/password', () => {
    it('takes the right current password as the confirmation, even in a stale session', async () => {
      const user = await t.createUser();
      const cookie = await t.loginAs(user);
      t.clock.advance(STALE);
      const res = await t.request({
        method: 'POST',
        url: '/api/account/password',
        cookie,
        body: { currentPassword: TEST_PASSWORD, newPassword: 'a new and much longer passphrase 77' },
      });
      expect(res.statusCode).toBe(204);
      const session = t.handle.db.select().from(sessions).where(eq(sessions.userId, user.id)).get()!;
      expect(session.reauthAt).toEqual(t.clock.now());
      expect((await t.request({ method: 'POST', url: '/api/account/sessions/revoke-others', cookie })).statusCode).toBe(
        200,
      );
    });

    it('does not count a wrong current password', async () => {
      const cookie = await t.loginAs(await t.createUser());
      t.clock.advance(STALE);
      const res = await t.request({
        method: 'POST',
        url: '/api/account/password',
        cookie,
        body: { currentPassword: 'wrong wrong wrong wrong', newPassword: 'a new and much longer passphrase 77' },
      });
      expect(res.statusCode).toBe(401);
      expect(await reauthUntil(cookie)).toBeNull();
    });
  });
});

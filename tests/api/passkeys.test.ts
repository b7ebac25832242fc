import { authChallenges, securityEvents, signInChallenges, users, webauthnCredentials } from '@lexforum/db';
import type { AccountSecurity, PasskeyAdded } from '@lexforum/shared';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, errorCode, MINUTE, sessionCookie, type TestApp } from '../helpers/app.js';
import { enrolPasskey, passkeyOptions, pendingSignInCookie, softAuthenticatorFor } from '../helpers/passkeys.js';
import type { CreationOptions, RequestOptions, SoftAuthenticator } from '../helpers/webauthn.js';

describe('Passkeys API', () => {
  let t: TestApp;
  let authenticator: SoftAuthenticator;
  beforeEach(async () => {
    t = await buildTestApp({ env: { SIGN_IN_MAX_FAILURES_PER_ACCOUNT_IP: '4' } });
    authenticator = softAuthenticatorFor(t);
  });
  afterEach(async () => t.close());

  const security = async (cookie: string) =>
    (await t.request({ method: 'GET', url: '/api/account/security', cookie })).json() as AccountSecurity;
  const eventsOf = (userId: string) =>
    t.handle.db.select().from(securityEvents).where(eq(securityEvents.userId, userId)).all();
  const userRow = (id: string) => t.handle.db.select().from(users).where(eq(users.id, id)).get()!;

  /** A signed-in member with one passkey of `authenticator`. */
  async function memberWithPasskey(overrides: Parameters<TestApp['createUser']>[0] = {}) {
    const user = await t.createUser(overrides);
    const cookie = await t.loginAs(user);
    const res = await enrolPasskey(t, cookie, authenticator);
    expect(res.statusCode).toBe(201);
    return { user, cookie, passkey: (res.json() as PasskeyAdded).passkey };
  }

  describe('POST /api/account/passkeys/options', () => {
    it('offers registration for this site and this account, excluding the passkeys it already has', async () => {
      const { user, cookie, passkey } = await memberWithPasskey();
      const res = await t.request({ method: 'POST', url: '/api/account/passkeys/options', cookie });
      expect(res.statusCode).toBe(200);
      const { options } = res.json() as {
        options: CreationOptions & {
          rp: { id: string; name: string };
          user: { name: string };
          excludeCredentials: { id: string }[];
          authenticatorSelection: Record<string, string>;
        };
      };
      expect(options.rp).toEqual({ id: new URL(t.config.publicOrigin).hostname, name: 'LexForum' });
      expect(options.user.name).toBe(user.email);
      expect(Buffer.from(options.user.id, 'base64url').toString()).toBe(user.id);
      expect(options.excludeCredentials.map((c) => c.id)).toEqual([passkey.id]);
      expect(options.authenticatorSelection).toMatchObject({ residentKey: 'preferred', userVerification: 'preferred' });
      const kept = t.handle.db.select().from(authChallenges).all();
      expect(kept).toHaveLength(1);
      expect(kept[0]!.key).toMatch(/:passkey_register$/);
      expect(kept[0]!.value).toBe(options.challenge);
    });

    it('asks for a recent confirmation, and refuses anyone signed out', async () => {
      const cookie = await t.loginAs(await t.createUser());
      t.clock.advance(11 * MINUTE);
      const stale = await t.request({ method: 'POST', url: '/api/account/passkeys/options', cookie });
      expect(stale.statusCode).toBe(403);
      expect(errorCode(stale)).toBe('REAUTH_REQUIRED');
      const anonymous = await t.request({ method: 'POST', url: '/api/account/passkeys/options' });
      expect(anonymous.statusCode).toBe(401);
    });
  });

  describe('POST /api/account/passkeys', () => {
    it('verifies the answer, stores the passkey, sets the second-factor flag and records the event', async () => {
      const user = await t.createUser();
      const cookie = await t.loginAs(user);
      expect(userRow(user.id).secondFactor).toBe(false);
      const res = await enrolPasskey(t, cookie, authenticator, '  Work laptop ');
      expect(res.statusCode).toBe(201);
      const added = res.json() as PasskeyAdded;
      // The account's first second factor: ten recovery codes come with it, shown once.
      expect(added.codes).toHaveLength(10);
      expect(new Set(added.codes).size).toBe(10);
      for (const code of added.codes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
      expect((await security(cookie)).recoveryCodesLeft).toBe(10);
      expect(added.passkey).toMatchObject({ name: 'Work laptop', lastUsedAt: null, backedUp: false });
      expect(authenticator.credentials.has(added.passkey.id)).toBe(true);
      const row = t.handle.db.select().from(webauthnCredentials).get()!;
      expect(row).toMatchObject({ id: added.passkey.id, userId: user.id, counter: 0, transports: ['internal'] });
      expect(row.publicKey.length).toBeGreaterThan(60);
      expect(userRow(user.id).secondFactor).toBe(true);
      expect((await security(cookie)).passkeys.map((p) => p.name)).toEqual(['Work laptop']);
      const event = eventsOf(user.id).find((e) => e.kind === 'passkey_added');
      expect(event?.detail).toEqual({ name: 'Work laptop' });
      // The challenge was spent.
      expect(t.handle.db.select().from(authChallenges).all()).toHaveLength(0);
      // A second passkey keeps the codes the member already has.
      const second = await enrolPasskey(t, cookie, softAuthenticatorFor(t), 'Phone');
      expect(second.statusCode).toBe(201);
      expect((second.json() as PasskeyAdded).codes).toEqual([]);
      expect((await security(cookie)).recoveryCodesLeft).toBe(10);
    });

    it.each([
      ['from another origin', { origin: 'https://evil.example' }],
      ['for another challenge', { challenge: Buffer.from('not the challenge we issued').toString('base64url') }],
      ['for another site', { rpId: 'evil.example' }],
    ])('refuses an answer made %s', async (_case, overrides) => {
      const user = await t.createUser();
      const cookie = await t.loginAs(user);
      const res = await enrolPasskey(t, cookie, authenticator, 'Laptop', overrides);
      expect(res.statusCode).toBe(400);
      expect(errorCode(res)).toBe('PASSKEY_FAILED');
      expect(t.handle.db.select().from(webauthnCredentials).all()).toHaveLength(0);
      expect(userRow(user.id).secondFactor).toBe(false);
    });

    it('refuses an answer with no challenge issued, a spent one, or an expired one', async () => {
      const cookie = await t.loginAs(await t.createUser());
      const options = await passkeyOptions<CreationOptions>(t, '/api/account/passkeys/options', cookie);
      const response = authenticator.register(options);
      const add = (name: string) =>
        t.request({ method: 'POST', url: '/api/account/passkeys', cookie, body: { name, response } });
      expect((await add('A')).statusCode).toBe(201);
      const again = await add('A again');
      expect(again.statusCode).toBe(400);
      expect(errorCode(again)).toBe('PASSKEY_FAILED');

      const late = await passkeyOptions<CreationOptions>(t, '/api/account/passkeys/options', cookie);
      t.clock.advance(5 * MINUTE + 1);
      const expired = await t.request({
        method: 'POST',
        url: '/api/account/passkeys',
        cookie,
        body: { name: 'B', response: authenticator.register(late) },
      });
      expect(errorCode(expired)).toBe('PASSKEY_FAILED');
      expect(t.handle.db.select().from(webauthnCredentials).all()).toHaveLength(1);
    });

    it("refuses the answer to another session's challenge", async () => {
      const user = await t.createUser();
      const first = await t.loginAs(user);
      const second = await t.loginAs(user);
      const options = await passkeyOptions<CreationOptions>(t, '/api/account/passkeys/options', first);
      const res = await t.request({
        method: 'POST',
        url: '/api/account/passkeys',
        cookie: second,
        body: { name: 'Laptop', response: authenticator.register(options) },
      });
      expect(errorCode(res)).toBe('PASSKEY_FAILED');
    });

    it.each([
      ['blank', '   ', 'required'],
      ['too long', 'x'.repeat(61), 'too_long'],
      ['with a control character', 'Lap\u0007top', 'invisible_characters'],
    ])('refuses a name that is %s, naming the field', async (_case, name, code) => {
      const cookie = await t.loginAs(await t.createUser());
      const res = await enrolPasskey(t, cookie, authenticator, name);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.issues).toEqual([expect.objectContaining({ path: '/name', code })]);
    });

    it('refuses a second passkey with the same name on the account', async () => {
      const { cookie } = await memberWithPasskey();
      const res = await enrolPasskey(t, cookie, authenticator, 'laptop');
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.issues[0]).toMatchObject({ path: '/name' });
    });

    it('asks for a recent confirmation', async () => {
      const cookie = await t.loginAs(await t.createUser());
      const options = await passkeyOptions<CreationOptions>(t, '/api/account/passkeys/options', cookie);
      t.clock.advance(10 * MINUTE);
      const res = await t.request({
        method: 'POST',
        url: '/api/account/passkeys',
        cookie,
        body: { name: 'Laptop', response: authenticator.register(options) },
      });
      expect(errorCode(res)).toBe('REAUTH_REQUIRED');
    });
  });

  describe('PATCH /api/account/passkeys/:id', () => {
    it('renames a passkey', async () => {
      const { cookie, passkey } = await memberWithPasskey();
      const res = await t.request({
        method: 'PATCH',
        url: `/api/account/passkeys/${passkey.id}`,
        cookie,
        body: { name: 'Phone' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().passkey).toMatchObject({ id: passkey.id, name: 'Phone' });
      expect((await security(cookie)).passkeys[0]!.name).toBe('Phone');
    });

    it("answers 404 for another member's passkey, and a bad name with 400", async () => {
      const { passkey } = await memberWithPasskey();
      const other = await t.loginAs(await t.createUser());
      const res = await t.request({
        method: 'PATCH',
        url: `/api/account/passkeys/${passkey.id}`,
        cookie: other,
        body: { name: 'Mine now' },
      });
      expect(res.statusCode).toBe(404);
      expect(t.handle.db.select().from(webauthnCredentials).get()!.name).toBe('Laptop');
    });
  });

  describe('DELETE /api/account/passkeys/:id', () => {
    it('removes a passkey, clears the second-factor flag and records the event', async () => {
      const { user, cookie, passkey } = await memberWithPasskey();
      const res = await t.request({ method: 'DELETE', url: `/api/account/passkeys/${passkey.id}`, cookie });
      expect(res.statusCode).toBe(204);
      expect(t.handle.db.select().from(webauthnCredentials).all()).toHaveLength(0);
      expect(userRow(user.id).secondFactor).toBe(false);
      expect(eventsOf(user.id).find((e) => e.kind === 'passkey_removed')?.detail).toEqual({ name: 'Laptop' });
    });

    it("answers 404 for another member's passkey and leaves it", async () => {
      const { passkey } = await memberWithPasskey();
      const other = await t.loginAs(await t.createUser());
      const res = await t.request({ method: 'DELETE', url: `/api/account/passkeys/${passkey.id}`, cookie: other });
      expect(res.statusCode).toBe(404);
      expect(t.handle.db.select().from(webauthnCredentials).all()).toHaveLength(1);
    });

    it("refuses to remove a staff member's only second factor, but not one of two", async () => {
      const { user, cookie, passkey } = await memberWithPasskey({ role: 'moderator', secondFactor: false });
      const only = await t.request({ method: 'DELETE', url: `/api/account/passkeys/${passkey.id}`, cookie });
      expect(only.statusCode).toBe(409);
      expect(errorCode(only)).toBe('LAST_SECOND_FACTOR');
      expect((await enrolPasskey(t, cookie, authenticator, 'Key')).statusCode).toBe(201);
      const oneOfTwo = await t.request({ method: 'DELETE', url: `/api/account/passkeys/${passkey.id}`, cookie });
      expect(oneOfTwo.statusCode).toBe(204);
      expect(userRow(user.id).secondFactor).toBe(true);
    });

    it('lets a staff member remove a passkey when TOTP remains', async () => {
      const { cookie, passkey, user } = await memberWithPasskey({ role: 'admin', secondFactor: false });
      t.handle.db
        .update(users)
        .set({ totpKey: Buffer.alloc(20, 1) })
        .where(eq(users.id, user.id))
        .run();
      const res = await t.request({ method: 'DELETE', url: `/api/account/passkeys/${passkey.id}`, cookie });
      expect(res.statusCode).toBe(204);
    });

    it('asks for a recent confirmation', async () => {
      const { cookie, passkey } = await memberWithPasskey();
      t.clock.advance(11 * MINUTE);
      const res = await t.request({ method: 'DELETE', url: `/api/account/passkeys/${passkey.id}`, cookie });
      expect(errorCode(res)).toBe('REAUTH_REQUIRED');
      expect(t.handle.db.select().from(webauthnCredentials).all()).toHaveLength(1);
    });
  });

  describe('POST /api/auth/sign-in/passkey', () => {
    const signInOptions = async (pending: string) =>
      passkeyOptions<RequestOptions>(t, '/api/auth/sign-in/passkey/options', pending);
    const answer = (pending: string, response: unknown) =>
      t.request({ method: 'POST', url: '/api/auth/sign-in/passkey', cookie: pending, body: { response } });

    it('signs in with a passkey after the password step, and spends the pending sign-in', async () => {
      const { user, passkey } = await memberWithPasskey();
      const pending = pendingSignInCookie(t, user);
      const options = await signInOptions(pending);
      expect(options.allowCredentials?.map((c) => c.id)).toEqual([passkey.id]);
      t.clock.advance(MINUTE);
      const res = await answer(pending, authenticator.authenticate(options));
      expect(res.statusCode).toBe(200);
      expect(res.json().user.id).toBe(user.id);
      const session = sessionCookie(res);
      expect((await t.request({ method: 'GET', url: '/api/account', cookie: session })).statusCode).toBe(200);
      expect(res.cookies.find((c) => c.name === 'lexforum_pending')?.value).toBe('');
      expect(t.handle.db.select().from(signInChallenges).all()).toHaveLength(0);
      const row = t.handle.db.select().from(webauthnCredentials).get()!;
      expect(row.counter).toBe(1);
      expect(row.lastUsedAt).toEqual(t.clock.now());
      // finishSignIn's event: this test browser sent no known-device cookie.
      expect(eventsOf(user.id).filter((e) => e.kind === 'sign_in_new_device')).toHaveLength(2);
    });

    it('answers SIGN_IN_EXPIRED without a pending sign-in, or once it has expired', async () => {
      const { user } = await memberWithPasskey();
      const none = await t.request({ method: 'POST', url: '/api/auth/sign-in/passkey/options' });
      expect(none.statusCode).toBe(401);
      expect(errorCode(none)).toBe('SIGN_IN_EXPIRED');
      const forged = await t.request({
        method: 'POST',
        url: '/api/auth/sign-in/passkey/options',
        cookie: 'lexforum_pending=abc.def',
      });
      expect(errorCode(forged)).toBe('SIGN_IN_EXPIRED');

      const pending = pendingSignInCookie(t, user);
      const options = await signInOptions(pending);
      t.clock.advance(5 * MINUTE);
      const late = await answer(pending, authenticator.authenticate(options));
      expect(late.statusCode).toBe(401);
      expect(errorCode(late)).toBe('SIGN_IN_EXPIRED');
    });

    it("refuses another account's passkey, counts the failure and records it", async () => {
      const { user } = await memberWithPasskey();
      const intruderKey = softAuthenticatorFor(t);
      const intruder = await t.createUser();
      expect((await enrolPasskey(t, await t.loginAs(intruder), intruderKey)).statusCode).toBe(201);
      const pending = pendingSignInCookie(t, user);
      const options = await signInOptions(pending);
      const [intruderCredential] = intruderKey.credentials.keys();
      const res = await answer(pending, intruderKey.authenticate(options, { credentialId: intruderCredential! }));
      expect(res.statusCode).toBe(401);
      expect(errorCode(res)).toBe('PASSKEY_FAILED');
      expect(res.cookies.find((c) => c.name === 'lexforum_session')).toBeUndefined();
      expect(t.handle.db.select().from(signInChallenges).get()!.failures).toBe(1);
      expect(eventsOf(user.id).find((e) => e.kind === 'second_factor_failed')?.detail).toEqual({
        method: 'passkey',
      });
    });

    it.each([
      ['from another origin', { origin: 'https://evil.example' }],
      ['for another challenge', { challenge: Buffer.from('guess').toString('base64url') }],
    ])('refuses an answer made %s', async (_case, overrides) => {
      const { user } = await memberWithPasskey();
      const pending = pendingSignInCookie(t, user);
      const res = await answer(pending, authenticator.authenticate(await signInOptions(pending), overrides));
      expect(errorCode(res)).toBe('PASSKEY_FAILED');
    });

    it('refuses a replayed answer and a counter that went backwards', async () => {
      const { user } = await memberWithPasskey();
      const pending = pendingSignInCookie(t, user);
      const options = await signInOptions(pending);
      authenticator.authenticate(options); // counter 1: used somewhere, never sent
      authenticator.authenticate(options); // counter 2
      const signIn = authenticator.authenticate(options, { counter: 5 });
      expect((await answer(pending, signIn)).statusCode).toBe(200);

      const next = pendingSignInCookie(t, user);
      await signInOptions(next);
      // The same answer again: its challenge was spent.
      expect(errorCode(await answer(next, signIn))).toBe('PASSKEY_FAILED');
      // A fresh challenge signed with a counter lower than the last one seen: a cloned key.
      const cloned = authenticator.authenticate(await signInOptions(next), { counter: 3 });
      expect(errorCode(await answer(next, cloned))).toBe('PASSKEY_FAILED');
      expect(t.handle.db.select().from(webauthnCredentials).get()!.counter).toBe(5);
    });

    it('refuses an answer for which no options were asked', async () => {
      const { user, passkey } = await memberWithPasskey();
      const pending = pendingSignInCookie(t, user);
      const response = authenticator.authenticate({
        challenge: 'AAAA',
        allowCredentials: [{ id: passkey.id }],
      });
      expect(errorCode(await answer(pending, response))).toBe('PASSKEY_FAILED');
    });

    it('ends the pending sign-in after five failures, and throttles like the password', async () => {
      const { user } = await memberWithPasskey();
      const pending = pendingSignInCookie(t, user);
      for (let i = 0; i < 4; i += 1) {
        const options = await signInOptions(pending);
        const res = await answer(pending, authenticator.authenticate(options, { origin: 'https://evil.example' }));
        expect(errorCode(res)).toBe('PASSKEY_FAILED');
      }
      // Four failures from this IP on this account: the sign-in guard's limit in this test.
      const throttled = await t.request({ method: 'POST', url: '/api/auth/sign-in/passkey/options', cookie: pending });
      expect(throttled.statusCode).toBe(429);
      expect(errorCode(throttled)).toBe('TOO_MANY_ATTEMPTS');
      // From elsewhere the guard lets it try; the fifth failure ends the pending sign-in.
      const elsewhere = { remoteAddress: '198.51.100.7' };
      const options = (
        await t.request({ method: 'POST', url: '/api/auth/sign-in/passkey/options', cookie: pending, ...elsewhere })
      ).json().options as RequestOptions;
      const fifth = await t.request({
        method: 'POST',
        url: '/api/auth/sign-in/passkey',
        cookie: pending,
        body: { response: authenticator.authenticate(options, { origin: 'https://evil.example' }) },
        ...elsewhere,
      });
      expect(errorCode(fifth)).toBe('PASSKEY_FAILED');
      expect(t.handle.db.select().from(signInChallenges).all()).toHaveLength(0);
      const after = await t.request({
        method: 'POST',
        url: '/api/auth/sign-in/passkey/options',
        cookie: pending,
        ...elsewhere,
      });
      expect(errorCode(after)).toBe('SIGN_IN_EXPIRED');
    });
  });
});

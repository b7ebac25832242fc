/**
 * TOTP, recovery codes, the two-step sign-in, staff enforcement and the admin reset, through the
 * real app. Codes are computed from the key as an authenticator app would (tests/helpers/totp.ts).
 */
import type { UserRow } from '@lexforum/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  errorCode,
  MINUTE,
  pendingCookie,
  sessionCookie,
  TEST_PASSWORD,
  TEST_TOTP_KEY,
  totpCode,
  type TestApp,
} from '../helpers/app.js';
import { readBlns, requireCorpora } from '../helpers/corpora.js';
import { startThread } from '../helpers/threads.js';
import { decodeBase32 } from '../helpers/totp.js';

const STEP = 30_000;

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(() => t.close());

const post = (url: string, cookie: string | undefined, body?: unknown) =>
  t.request({ method: 'POST', url, ...(cookie ? { cookie } : {}), ...(body !== undefined ? { body } : {}) });

/** Signs in with the password only: the pending cookie of the second step. */
async function startSignIn(user: UserRow, remoteAddress?: string) {
  const res = await t.request({
    method: 'POST',
    url: '/api/auth/sign-in',
    body: { email: user.email, password: TEST_PASSWORD },
    ...(remoteAddress ? { remoteAddress } : {}),
  });
  expect(res.statusCode).toBe(200);
  return { res, pending: pendingCookie(res) };
}

const secondStep = (
  pending: string | undefined,
  method: 'totp' | 'recovery_code',
  code: string,
  remoteAddress?: string,
) =>
  t.request({
    method: 'POST',
    url: '/api/auth/sign-in/second-factor',
    ...(pending ? { cookie: pending } : {}),
    body: { method, code },
    ...(remoteAddress ? { remoteAddress } : {}),
  });

/** A member who enrols TOTP through the API; returns the key, the session and the recovery codes. */
async function enrolledMember(overrides: Partial<UserRow> = {}) {
  const user = await t.createUser(overrides);
  const cookie = await t.loginAs(user);
  const setup = await post('/api/account/totp/setup', cookie);
  expect(setup.statusCode).toBe(200);
  const key = decodeBase32((setup.json() as { secret: string }).secret);
  const confirm = await post('/api/account/totp/confirm', cookie, { code: totpCode(key, t.clock.now()) });
  expect(confirm.statusCode).toBe(200);
  return { user, cookie, key, codes: (confirm.json() as { codes: string[] }).codes };
}

const securityOf = async (cookie: string) =>
  (await t.request({ method: 'GET', url: '/api/account/security', cookie })).json() as {
    hasSecondFactor: boolean;
    totp: { enabled: boolean };
    recoveryCodesLeft: number;
  };

const eventKinds = async (cookie: string) =>
  (
    (await t.request({ method: 'GET', url: '/api/account/security-events', cookie })).json() as {
      events: { kind: string }[];
    }
  ).events.map((e) => e.kind);

describe('Second factor API', () => {
  describe('POST /api/account/totp/setup', () => {
    it('returns a new base32 key and its otpauth URI (issuer LexForum, the account email)', async () => {
      const user = await t.createUser();
      const res = await post('/api/account/totp/setup', await t.loginAs(user));
      expect(res.statusCode).toBe(200);
      const { secret, uri } = res.json() as { secret: string; uri: string };
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(decodeBase32(secret)).toHaveLength(20);
      expect(uri).toMatch(/^otpauth:\/\/totp\/LexForum:/);
      const url = new URL(uri);
      expect(decodeURIComponent(url.pathname)).toContain(user.email);
      expect(url.searchParams.get('secret')).toBe(secret);
      expect(url.searchParams.get('issuer')).toBe('LexForum');
      expect(url.searchParams.get('digits')).toBe('6');
      expect(url.searchParams.get('period')).toBe('30');
    });

    it('asks for a recent confirmation of identity (403 REAUTH_REQUIRED)', async () => {
      const cookie = await t.loginAs(await t.createUser());
      t.clock.advance(11 * MINUTE);
      const res = await post('/api/account/totp/setup', cookie);
      expect(res.statusCode).toBe(403);
      expect(errorCode(res)).toBe('REAUTH_REQUIRED');
    });

    it('refuses the signed-out (401) and an account that already has TOTP (409)', async () => {
      expect((await post('/api/account/totp/setup', undefined)).statusCode).toBe(401);
      const { cookie } = await enrolledMember();
      const res = await post('/api/account/totp/setup', cookie);
      expect(res.statusCode).toBe(409);
    });
  });

  describe('POST /api/account/totp/confirm', () => {
    it('turns the key on with a right code and returns ten recovery codes, once', async () => {
      const { cookie, codes } = await enrolledMember();
      expect(codes).toHaveLength(10);
      for (const code of codes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
      expect(new Set(codes).size).toBe(10);
      const security = await securityOf(cookie);
      expect(security).toMatchObject({ hasSecondFactor: true, totp: { enabled: true }, recoveryCodesLeft: 10 });
      expect(await eventKinds(cookie)).toEqual(expect.arrayContaining(['totp_enabled', 'recovery_codes_generated']));
      const row = t.handle.sqlite.prepare('select code_hash from recovery_codes limit 1').get() as {
        code_hash: Buffer;
      };
      expect(row.code_hash).toHaveLength(32);
    });

    it('refuses a wrong code, a code of another key and an expired setup', async () => {
      const user = await t.createUser();
      const cookie = await t.loginAs(user);
      const setup = await post('/api/account/totp/setup', cookie);
      const key = decodeBase32((setup.json() as { secret: string }).secret);
      const now = t.clock.now();
      const right = totpCode(key, now);
      const wrong = right === '000000' ? '000001' : '000000';
      for (const code of [wrong, totpCode(TEST_TOTP_KEY, now), totpCode(key, now.getTime() + 2 * STEP)]) {
        const res = await post('/api/account/totp/confirm', cookie, { code });
        expect(res.statusCode).toBe(400);
        expect(errorCode(res)).toBe('INVALID_CODE');
      }
      expect((await securityOf(cookie)).hasSecondFactor).toBe(false);
      t.clock.advance(16 * MINUTE);
      // Confirming a key is a factor change: a stale session confirms who it is first.
      const stale = await post('/api/account/totp/confirm', cookie, { code: totpCode(key, t.clock.now()) });
      expect(stale.statusCode).toBe(403);
      expect(errorCode(stale)).toBe('REAUTH_REQUIRED');
      expect((await post('/api/auth/reauth', cookie, { password: TEST_PASSWORD })).statusCode).toBe(200);
      const late = await post('/api/account/totp/confirm', cookie, { code: totpCode(key, t.clock.now()) });
      expect(late.statusCode).toBe(409);
    });

    it('refuses every corpus line as a code without a 500', async () => {
      if (!requireCorpora()) return;
      const cookie = await t.loginAs(await t.createUser());
      await post('/api/account/totp/setup', cookie);
      for (const line of readBlns().slice(0, 300)) {
        const res = await post('/api/account/totp/confirm', cookie, { code: line });
        expect([400]).toContain(res.statusCode);
      }
    });
  });

  describe('POST /api/auth/sign-in', () => {
    it('answers a second-factor challenge, not a session, for an account with TOTP', async () => {
      const { user } = await enrolledMember();
      const { res } = await startSignIn(user);
      const body = res.json() as { secondFactor: { methods: string[]; expiresAt: string } };
      expect(body).not.toHaveProperty('user');
      expect(body.secondFactor.methods).toEqual(['totp', 'recovery_code']);
      expect(new Date(body.secondFactor.expiresAt).getTime()).toBe(t.clock.now().getTime() + 5 * MINUTE);
      expect(res.cookies.find((c) => c.name.endsWith('lexforum_session') && c.value)).toBeUndefined();
    });

    it('the pending state grants nothing else: no session, forum and account routes answer 401', async () => {
      const { user } = await enrolledMember();
      const { pending } = await startSignIn(user);
      const session = await t.request({ method: 'GET', url: '/api/session', cookie: pending });
      expect(session.json()).toEqual({ user: null });
      for (const url of ['/api/threads', '/api/account', '/api/account/security', '/api/notifications']) {
        const res = await t.request({ method: 'GET', url, cookie: pending });
        expect(res.statusCode, url).toBe(401);
      }
      expect((await post('/api/account/totp/setup', pending)).statusCode).toBe(401);
    });
  });

  describe('POST /api/auth/sign-in/second-factor', () => {
    it('signs in with the current code: a session, the pending cookie cleared', async () => {
      const { user, key } = await enrolledMember();
      t.clock.advance(STEP);
      const { pending } = await startSignIn(user);
      const res = await secondStep(pending, 'totp', totpCode(key, t.clock.now()));
      expect(res.statusCode).toBe(200);
      expect((res.json() as { user: { id: string } }).user.id).toBe(user.id);
      const cookie = sessionCookie(res);
      expect(res.cookies.find((c) => c.name.endsWith('lexforum_pending'))?.value).toBe('');
      expect((await t.request({ method: 'GET', url: '/api/session', cookie })).json()).toMatchObject({
        user: { id: user.id },
      });
      expect(await eventKinds(cookie)).toContain('sign_in_new_device');
      // The pending sign-in is over: its cookie opens nothing more.
      const again = await secondStep(pending, 'totp', totpCode(key, t.clock.now().getTime() + STEP));
      expect(errorCode(again)).toBe('SIGN_IN_EXPIRED');
    });

    it('refuses a replayed step (CODE_ALREADY_USED), then takes the next step', async () => {
      const { user, key } = await enrolledMember();
      t.clock.advance(STEP);
      const code = totpCode(key, t.clock.now());
      expect((await secondStep((await startSignIn(user)).pending, 'totp', code)).statusCode).toBe(200);
      const { pending } = await startSignIn(user);
      const replay = await secondStep(pending, 'totp', code);
      expect(replay.statusCode).toBe(400);
      expect(errorCode(replay)).toBe('CODE_ALREADY_USED');
      // An earlier step than the last one used is a replay too.
      const earlier = await secondStep(pending, 'totp', totpCode(key, t.clock.now().getTime() - STEP));
      expect(errorCode(earlier)).toBe('CODE_ALREADY_USED');
      const next = await secondStep(pending, 'totp', totpCode(key, t.clock.now().getTime() + STEP));
      expect(next.statusCode).toBe(200);
    });

    it('accepts one step of drift either way and refuses two', async () => {
      const { user, key } = await enrolledMember();
      for (const [offset, ok] of [
        [-2, false],
        [2, false],
        [-1, true],
        [1, true],
      ] as const) {
        t.clock.advance(10 * STEP);
        t.handle.sqlite.prepare('update users set totp_last_step = null where id = ?').run(user.id);
        const { pending } = await startSignIn(user);
        const res = await secondStep(pending, 'totp', totpCode(key, t.clock.now().getTime() + offset * STEP));
        expect(res.statusCode, `offset ${offset}`).toBe(ok ? 200 : 400);
        if (!ok) expect(errorCode(res)).toBe('INVALID_CODE');
      }
    });

    it('lets only one of two concurrent uses of one code through', async () => {
      const { user, key } = await enrolledMember();
      t.clock.advance(STEP);
      const a = await startSignIn(user);
      const b = await startSignIn(user);
      const code = totpCode(key, t.clock.now());
      const results = await Promise.all([secondStep(a.pending, 'totp', code), secondStep(b.pending, 'totp', code)]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 400]);
    });

    it('answers 401 SIGN_IN_EXPIRED without a pending cookie, with a forged one, and after five minutes', async () => {
      const { user, key } = await enrolledMember();
      t.clock.advance(STEP);
      const code = totpCode(key, t.clock.now());
      expect(errorCode(await secondStep(undefined, 'totp', code))).toBe('SIGN_IN_EXPIRED');
      const { pending } = await startSignIn(user);
      const forged = pending.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a'));
      expect(errorCode(await secondStep(forged, 'totp', code))).toBe('SIGN_IN_EXPIRED');
      t.clock.advance(5 * MINUTE);
      const late = await secondStep(pending, 'totp', totpCode(key, t.clock.now()));
      expect(late.statusCode).toBe(401);
      expect(errorCode(late)).toBe('SIGN_IN_EXPIRED');
    });

    it('ends the pending sign-in after five wrong codes and records each failure', async () => {
      const { user, key } = await enrolledMember();
      const { pending } = await startSignIn(user, '10.0.0.9');
      const right = totpCode(key, t.clock.now().getTime() + STEP);
      const wrong = right === '123456' ? '654321' : '123456';
      for (let i = 0; i < 5; i++)
        expect(errorCode(await secondStep(pending, 'totp', wrong, '10.0.0.9'))).toBe('INVALID_CODE');
      expect(errorCode(await secondStep(pending, 'totp', right, '10.0.0.9'))).toBe('SIGN_IN_EXPIRED');
      const failed = t.handle.sqlite
        .prepare("select count(*) as n from security_events where user_id = ? and kind = 'second_factor_failed'")
        .get(user.id) as { n: number };
      expect(failed.n).toBe(5);
    });

    it('is throttled like the password: wrong codes count toward 429 TOO_MANY_ATTEMPTS', async () => {
      await t.close();
      t = await buildTestApp({ env: { SIGN_IN_MAX_FAILURES_PER_ACCOUNT_IP: '3' } });
      const { user, key } = await enrolledMember();
      const { pending } = await startSignIn(user, '10.0.0.7');
      const right = totpCode(key, t.clock.now().getTime() + STEP);
      const wrong = right === '123456' ? '654321' : '123456';
      for (let i = 0; i < 3; i++) await secondStep(pending, 'totp', wrong, '10.0.0.7');
      const blocked = await secondStep(pending, 'totp', right, '10.0.0.7');
      expect(blocked.statusCode).toBe(429);
      expect(errorCode(blocked)).toBe('TOO_MANY_ATTEMPTS');
      // The password from this place waits too.
      const password = await t.request({
        method: 'POST',
        url: '/api/auth/sign-in',
        body: { email: user.email, password: TEST_PASSWORD },
        remoteAddress: '10.0.0.7',
      });
      expect(password.statusCode).toBe(429);
    });

    it('takes a recovery code once, however it is typed, and counts it used', async () => {
      const { user, codes } = await enrolledMember();
      const typed = ` ${codes[0]!.toUpperCase().replace('-', ' - ')} `;
      const first = await secondStep((await startSignIn(user)).pending, 'recovery_code', typed);
      expect(first.statusCode).toBe(200);
      const cookie = sessionCookie(first);
      expect((await securityOf(cookie)).recoveryCodesLeft).toBe(9);
      expect(await eventKinds(cookie)).toContain('recovery_code_used');
      const reuse = await secondStep((await startSignIn(user)).pending, 'recovery_code', codes[0]!);
      expect(reuse.statusCode).toBe(400);
      expect(errorCode(reuse)).toBe('CODE_ALREADY_USED');
      const unknown = await secondStep((await startSignIn(user)).pending, 'recovery_code', 'aaaaa-aaaaa');
      expect(errorCode(unknown)).toBe('INVALID_CODE');
    });

    it('refuses a recovery code of another account', async () => {
      const a = await enrolledMember();
      const b = await enrolledMember();
      const res = await secondStep((await startSignIn(a.user)).pending, 'recovery_code', b.codes[0]!);
      expect(errorCode(res)).toBe('INVALID_CODE');
    });

    it('refuses every corpus line as a code without a 500', async () => {
      if (!requireCorpora()) return;
      await t.close();
      t = await buildTestApp({
        env: {
          SIGN_IN_MAX_FAILURES_PER_ACCOUNT_IP: '100000',
          SIGN_IN_MAX_FAILURES_PER_IP: '100000',
          SIGN_IN_MAX_FAILURES_PER_ACCOUNT: '100000',
        },
      });
      const { user } = await enrolledMember();
      let pending = (await startSignIn(user)).pending;
      let tries = 0;
      for (const line of readBlns().slice(0, 200)) {
        for (const method of ['totp', 'recovery_code'] as const) {
          if (tries++ % 4 === 0) {
            // A day on each time: an account may give ten wrong answers a day (then 429).
            t.clock.advance(24 * 60 * MINUTE);
            pending = (await startSignIn(user)).pending;
          }
          const res = await secondStep(pending, method, line);
          expect([400, 401]).toContain(res.statusCode);
        }
      }
    });
  });

  describe('POST /api/account/recovery-codes', () => {
    it('makes a new set and voids the old one', async () => {
      const { user, cookie, codes } = await enrolledMember();
      const res = await post('/api/account/recovery-codes', cookie);
      expect(res.statusCode).toBe(200);
      const fresh = (res.json() as { codes: string[] }).codes;
      expect(fresh).toHaveLength(10);
      expect(fresh).not.toContain(codes[1]);
      const old = await secondStep((await startSignIn(user)).pending, 'recovery_code', codes[1]!);
      expect(errorCode(old)).toBe('INVALID_CODE');
      const now = await secondStep((await startSignIn(user)).pending, 'recovery_code', fresh[1]!);
      expect(now.statusCode).toBe(200);
    });

    it('needs a second factor (409) and a recent confirmation (403 REAUTH_REQUIRED)', async () => {
      const plain = await t.loginAs(await t.createUser());
      expect((await post('/api/account/recovery-codes', plain)).statusCode).toBe(409);
      const { cookie } = await enrolledMember();
      t.clock.advance(11 * MINUTE);
      expect(errorCode(await post('/api/account/recovery-codes', cookie))).toBe('REAUTH_REQUIRED');
    });
  });

  describe('DELETE /api/account/totp', () => {
    it('removes a member’s TOTP and recovery codes: the password alone signs in again', async () => {
      const { user, cookie } = await enrolledMember();
      const res = await t.request({ method: 'DELETE', url: '/api/account/totp', cookie });
      expect(res.statusCode).toBe(204);
      expect(await securityOf(cookie)).toMatchObject({ hasSecondFactor: false, recoveryCodesLeft: 0 });
      expect(await eventKinds(cookie)).toContain('totp_disabled');
      const signIn = await t.request({
        method: 'POST',
        url: '/api/auth/sign-in',
        body: { email: user.email, password: TEST_PASSWORD },
      });
      expect(signIn.json()).toHaveProperty('user');
    });

    it('refuses to remove a staff member’s only factor (409 LAST_SECOND_FACTOR)', async () => {
      const moderator = await t.createUser({ role: 'moderator' });
      const cookie = await t.loginAs(moderator);
      const res = await t.request({ method: 'DELETE', url: '/api/account/totp', cookie });
      expect(res.statusCode).toBe(409);
      expect(errorCode(res)).toBe('LAST_SECOND_FACTOR');
    });

    it('asks for a recent confirmation', async () => {
      const { cookie } = await enrolledMember();
      t.clock.advance(11 * MINUTE);
      expect(errorCode(await t.request({ method: 'DELETE', url: '/api/account/totp', cookie }))).toBe(
        'REAUTH_REQUIRED',
      );
    });
  });
});

describe('Staff second-factor enforcement API', () => {
  const STAFF_ROUTES = [
    '/api/vetting/applications',
    '/api/vetting/reverification',
    '/api/moderation/queue',
    '/api/audit',
    '/api/admin/users',
    '/api/admin/settings',
    '/api/threads',
    '/api/members',
    '/api/search?q=court',
  ];

  it('answers 403 SECOND_FACTOR_REQUIRED on every staff and forum route until enrolment', async () => {
    const author = await t.createUser();
    const thread = await startThread(t, { user: author, cookie: await t.loginAs(author) });
    const threadUrl = [`/api/threads/${thread.thread.id}`];
    for (const role of ['moderator', 'admin'] as const) {
      const staff = await t.createUser({ role, secondFactor: false });
      const cookie = await t.loginAs(staff);
      const session = (await t.request({ method: 'GET', url: '/api/session', cookie })).json() as {
        user: { access: string };
      };
      expect(session.user.access).toBe('second_factor_required');
      for (const url of [...STAFF_ROUTES, ...threadUrl]) {
        const res = await t.request({ method: 'GET', url, cookie });
        expect(res.statusCode, `${role} ${url}`).toBe(403);
        expect(errorCode(res), `${role} ${url}`).toBe('SECOND_FACTOR_REQUIRED');
      }
      // The account, its security page and enrolment stay open.
      for (const url of [
        '/api/account',
        '/api/account/security',
        '/api/account/security-events',
        '/api/notifications',
      ]) {
        expect((await t.request({ method: 'GET', url, cookie })).statusCode, url).toBe(200);
      }
      const setup = await post('/api/account/totp/setup', cookie);
      expect(setup.statusCode).toBe(200);
      const key = decodeBase32((setup.json() as { secret: string }).secret);
      const confirm = await post('/api/account/totp/confirm', cookie, { code: totpCode(key, t.clock.now()) });
      expect(confirm.statusCode).toBe(200);
      expect((confirm.json() as { codes: string[] }).codes).toHaveLength(10);
      for (const url of STAFF_ROUTES) {
        if (role === 'moderator' && url.startsWith('/api/admin')) continue;
        expect((await t.request({ method: 'GET', url, cookie })).statusCode, `${role} ${url} after`).toBe(200);
      }
      expect((await post('/api/auth/sign-out', cookie)).statusCode).toBe(204);
    }
  });
});

describe('Promotion to staff API', () => {
  it('a member promoted to moderator is told to set up a second factor, and staff routes wait for it', async () => {
    const admin = await t.createUser({ role: 'admin' });
    const promoted = await t.createUser({ displayName: 'Camille Promoted' });
    const cookie = await t.loginAs(promoted);
    const res = await t.request({
      method: 'PUT',
      url: `/api/admin/users/${promoted.id}/role`,
      cookie: await t.loginAs(admin),
      body: { role: 'moderator', reason: 'Appointed for France.' },
    });
    expect(res.statusCode).toBe(200);
    const latest = (
      (await t.request({ method: 'GET', url: '/api/notifications', cookie })).json() as {
        notifications: { kind: string; link: string }[];
      }
    ).notifications[0];
    expect(latest).toMatchObject({ kind: 'role_changed', link: '/account/security' });
    const session = (await t.request({ method: 'GET', url: '/api/session', cookie })).json() as {
      user: { access: string };
    };
    expect(session.user.access).toBe('second_factor_required');
    expect(errorCode(await t.request({ method: 'GET', url: '/api/vetting/applications', cookie }))).toBe(
      'SECOND_FACTOR_REQUIRED',
    );
  });
});

describe('Admin second-factor reset API', () => {
  describe('DELETE /api/admin/users/:id/second-factor', () => {
    it('removes the member’s factors and sessions, and audits it with the admin as actor', async () => {
      const admin = await t.createUser({ role: 'admin' });
      const adminCookie = await t.loginAs(admin);
      const { user, cookie } = await enrolledMember();
      const res = await t.request({
        method: 'DELETE',
        url: `/api/admin/users/${user.id}/second-factor`,
        cookie: adminCookie,
      });
      expect(res.statusCode).toBe(200);
      expect((await t.request({ method: 'GET', url: '/api/session', cookie })).json()).toEqual({ user: null });
      const row = t.handle.sqlite
        .prepare(
          'select second_factor, totp_key, (select count(*) from recovery_codes r where r.user_id = u.id) as codes from users u where id = ?',
        )
        .get(user.id) as { second_factor: number; totp_key: Buffer | null; codes: number };
      expect(row).toEqual({ second_factor: 0, totp_key: null, codes: 0 });
      const audit = t.handle.sqlite
        .prepare("select actor_id from audit_log where action = 'security.second_factor_reset' and target_id = ?")
        .get(user.id) as { actor_id: string } | undefined;
      expect(audit?.actor_id).toBe(admin.id);
      // The password alone signs in again.
      const signIn = await t.request({
        method: 'POST',
        url: '/api/auth/sign-in',
        body: { email: user.email, password: TEST_PASSWORD },
      });
      expect(signIn.json()).toHaveProperty('user');
    });

    it('a reset moderator must enrol again', async () => {
      const admin = await t.createUser({ role: 'admin' });
      const moderator = await t.createUser({ role: 'moderator' });
      const res = await t.request({
        method: 'DELETE',
        url: `/api/admin/users/${moderator.id}/second-factor`,
        cookie: await t.loginAs(admin),
      });
      expect(res.statusCode).toBe(200);
      const cookie = await t.loginAs(moderator);
      expect(errorCode(await t.request({ method: 'GET', url: '/api/moderation/queue', cookie }))).toBe(
        'SECOND_FACTOR_REQUIRED',
      );
    });

    it('refuses non-admins (403), a stale confirmation (REAUTH_REQUIRED), oneself (403) and unknown ids (404)', async () => {
      const admin = await t.createUser({ role: 'admin' });
      const moderator = await t.createUser({ role: 'moderator' });
      const member = await t.createUser();
      const url = (id: string) => `/api/admin/users/${id}/second-factor`;
      const modRes = await t.request({ method: 'DELETE', url: url(member.id), cookie: await t.loginAs(moderator) });
      expect(modRes.statusCode).toBe(403);
      const adminCookie = await t.loginAs(admin);
      expect((await t.request({ method: 'DELETE', url: url(admin.id), cookie: adminCookie })).statusCode).toBe(403);
      expect(
        (await t.request({ method: 'DELETE', url: url('00000000-0000-4000-8000-000000000000'), cookie: adminCookie }))
          .statusCode,
      ).toBe(404);
      t.clock.advance(11 * MINUTE);
      const stale = await t.request({ method: 'DELETE', url: url(member.id), cookie: adminCookie });
      expect(errorCode(stale)).toBe('REAUTH_REQUIRED');
    });
  });
});

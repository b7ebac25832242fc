/**
 * What a member does to take an account back must close every door an intruder may have opened:
 * an address-change link requested by someone else dies with a password reset or change, ending
 * the other sessions, or a reset of the second factors. Also: staff without a second factor read
 * none of the forum through their notifications, a suspension from the moderation queue needs a
 * recent confirmation, and a day's wrong second-factor answers are capped per account.
 */
import { emailTokens, recoveryCodes } from '@lexforum/db';
import type { NotificationPage, PasskeyAdded } from '@lexforum/shared';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
import { linkToken, startMailServer, type TestMailServer } from '../helpers/mail.js';
import { enrolPasskey, softAuthenticatorFor } from '../helpers/passkeys.js';
import { replyTo, startThread } from '../helpers/threads.js';

let mail: TestMailServer;
beforeAll(async () => {
  mail = await startMailServer();
});
afterAll(async () => mail.close());

const NEW_PASSWORD = 'a fresh and private passphrase 7';

describe('Taking an account back', () => {
  let t: TestApp;
  beforeEach(async () => {
    mail.clear();
    t = await buildTestApp({ env: { SMTP_URL: mail.url } });
  });
  afterEach(async () => t.close());

  const post = (url: string, cookie?: string, body?: unknown) =>
    t.request({ method: 'POST', url, ...(cookie ? { cookie } : {}), ...(body !== undefined ? { body } : {}) });
  const delivered = async () => {
    await t.app.mail.deliver();
    await t.app.mail.idle();
  };
  const liveLinks = (userId: string, purpose: 'change_email' | 'reset_password') =>
    t.handle.db
      .select()
      .from(emailTokens)
      .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)))
      .all();

  /** An intruder in the member's session asks to move the account to their address. */
  async function intruderAsksForAddressChange() {
    const user = await t.createUser();
    const intruder = await t.loginAs(user);
    const res = await t.request({
      method: 'PUT',
      url: '/api/account/email',
      cookie: intruder,
      body: { email: 'intruder@evil.example' },
    });
    expect(res.statusCode, res.body).toBe(202);
    await delivered();
    const token = linkToken(await mail.linkTo('intruder@evil.example', '/verify-email'));
    expect(liveLinks(user.id, 'change_email')).toHaveLength(1);
    return { user, intruder, token };
  }

  const confirmChange = (token: string) => post('/api/account/email/confirm', undefined, { token });

  it('a password reset voids the address-change link', async () => {
    const { user, token } = await intruderAsksForAddressChange();
    expect((await post('/api/auth/password-reset', undefined, { email: user.email })).statusCode).toBe(202);
    await delivered();
    const reset = linkToken(await mail.linkTo(user.email, '/reset-password'));
    const done = await post('/api/auth/password-reset/confirm', undefined, { token: reset, password: NEW_PASSWORD });
    expect(done.statusCode, done.body).toBe(200);
    expect(liveLinks(user.id, 'change_email')).toHaveLength(0);
    const late = await confirmChange(token);
    expect(late.statusCode).toBeGreaterThanOrEqual(400);
    expect(errorCode(late)).toBe('LINK_USED');
  });

  it('a password change voids it, and so does ending the other sessions', async () => {
    for (const action of ['password', 'sessions'] as const) {
      const { user, token } = await intruderAsksForAddressChange();
      const owner = await t.loginAs(user);
      const res =
        action === 'password'
          ? await post('/api/account/password', owner, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD })
          : await post('/api/account/sessions/revoke-others', owner);
      expect(res.statusCode, res.body).toBeLessThan(300);
      expect(liveLinks(user.id, 'change_email'), action).toHaveLength(0);
      expect(errorCode(await confirmChange(token))).toBe('LINK_USED');
    }
  });

  it("an administrator's reset of the member's second factors voids it", async () => {
    const { user, token } = await intruderAsksForAddressChange();
    const admin = await t.loginAs(await t.createUser({ role: 'admin' }));
    const res = await t.request({ method: 'DELETE', url: `/api/admin/users/${user.id}/second-factor`, cookie: admin });
    expect(res.statusCode, res.body).toBe(200);
    expect(errorCode(await confirmChange(token))).toBe('LINK_USED');
  });

  it('an address change voids a reset link sent to the old address', async () => {
    const user = await t.createUser();
    expect((await post('/api/auth/password-reset', undefined, { email: user.email })).statusCode).toBe(202);
    await delivered();
    const reset = linkToken(await mail.linkTo(user.email, '/reset-password'));
    const cookie = await t.loginAs(user);
    const change = await t.request({
      method: 'PUT',
      url: '/api/account/email',
      cookie,
      body: { email: 'new.address@court.example' },
    });
    expect(change.statusCode).toBe(202);
    await delivered();
    const token = linkToken(await mail.linkTo('new.address@court.example', '/verify-email'));
    expect((await post('/api/account/email/confirm', cookie, { token })).statusCode).toBe(200);
    const late = await post('/api/auth/password-reset/confirm', undefined, { token: reset, password: NEW_PASSWORD });
    expect(errorCode(late)).toBe('LINK_USED');
  });
});

describe('Staff without a second factor', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(async () => t.close());

  it('see only the notice of their role in their notifications, not forum content', async () => {
    const moderator = await t.createUser({ role: 'moderator' });
    const modCookie = await t.loginAs(moderator);
    const memberUser = await t.createUser();
    const member = { user: memberUser, cookie: await t.loginAs(memberUser) };
    const thread = await startThread(t, { user: moderator, cookie: modCookie });
    await replyTo(t, member, thread.thread.id, null, 'A reply about the seized consignment in Mombasa.');
    const list = async (cookie: string) =>
      (await t.request({ method: 'GET', url: '/api/notifications', cookie })).json() as NotificationPage;
    expect((await list(modCookie)).notifications.map((n) => n.kind)).toContain('reply_to_post');

    const admin = await t.loginAs(await t.createUser({ role: 'admin' }));
    const reset = await t.request({
      method: 'DELETE',
      url: `/api/admin/users/${moderator.id}/second-factor`,
      cookie: admin,
    });
    expect(reset.statusCode, reset.body).toBe(200);
    // Signed in again with the password alone: the account and enrolment only.
    const bare = await t.loginAs(moderator);
    const page = await list(bare);
    expect(page.notifications).toEqual([]);
    await replyTo(t, member, thread.thread.id, null, 'Another reply about the consignment.');
    expect((await list(bare)).notifications).toEqual([]);
    const unread = await t.request({ method: 'GET', url: '/api/notifications?unread=true', cookie: bare });
    expect(unread.statusCode).toBe(200);
  });
});

describe('Suspension from the moderation queue', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(async () => t.close());

  it('needs a recent confirmation, like every suspension', async () => {
    const admin = await t.loginAs(await t.createUser({ role: 'admin' }));
    const authorUser = await t.createUser();
    const author = { user: authorUser, cookie: await t.loginAs(authorUser) };
    const thread = await startThread(t, author);
    const url = `/api/moderation/posts/${thread.posts[0]!.id}/suspend-author`;
    t.clock.advance(11 * MINUTE);
    const stale = await t.request({ method: 'POST', url, cookie: admin, body: { reason: 'Repeated spam.' } });
    expect(stale.statusCode).toBe(403);
    expect(errorCode(stale)).toBe('REAUTH_REQUIRED');
    expect(
      (await t.request({ method: 'POST', url: '/api/auth/reauth', cookie: admin, body: { password: TEST_PASSWORD } }))
        .statusCode,
    ).toBe(200);
    const fresh = await t.request({ method: 'POST', url, cookie: admin, body: { reason: 'Repeated spam.' } });
    expect(fresh.statusCode, fresh.body).toBe(200);
  });
});

describe('Wrong second-factor answers', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp({
      env: {
        SIGN_IN_MAX_FAILURES_PER_ACCOUNT: '1000',
        SIGN_IN_MAX_FAILURES_PER_ACCOUNT_IP: '1000',
        SIGN_IN_MAX_FAILURES_PER_IP: '1000',
      },
    });
  });
  afterEach(async () => t.close());

  it('are capped at ten a day per account, even through fresh passwords', async () => {
    const user = await t.createUser({ role: 'moderator' });
    const wrong = ['000000', '111111', '222222', '333333'].find(
      (c) => ![-1, 0, 1].some((d) => totpCode(TEST_TOTP_KEY, t.clock.now().getTime() + d * 30_000) === c),
    )!;
    const start = async () => {
      const res = await post(t, '/api/auth/sign-in', undefined, { email: user.email, password: TEST_PASSWORD });
      expect(res.statusCode).toBe(200);
      return pendingCookie(res);
    };
    let answered = 0;
    while (answered < 10) {
      const pending = await start();
      for (let i = 0; i < 4 && answered < 10; i++, answered++) {
        const res = await post(t, '/api/auth/sign-in/second-factor', pending, { method: 'totp', code: wrong });
        expect(errorCode(res)).toBe('INVALID_CODE');
      }
    }
    const pending = await start();
    const right = await post(t, '/api/auth/sign-in/second-factor', pending, {
      method: 'totp',
      code: totpCode(TEST_TOTP_KEY, t.clock.now()),
    });
    expect(right.statusCode).toBe(429);
    expect(errorCode(right)).toBe('TOO_MANY_ATTEMPTS');
    // A day later the account may try again.
    t.clock.advance(24 * 60 * MINUTE + 1000);
    const later = await post(t, '/api/auth/sign-in/second-factor', await start(), {
      method: 'totp',
      code: totpCode(TEST_TOTP_KEY, t.clock.now()),
    });
    expect(later.statusCode, later.body).toBe(200);
    expect(sessionCookie(later)).toBeTruthy();
  });
});

describe('The last second factor', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(async () => t.close());

  it('takes the recovery codes with it', async () => {
    const user = await t.createUser();
    const cookie = await t.loginAs(user);
    const added = await enrolPasskey(t, cookie, softAuthenticatorFor(t), 'Laptop');
    expect(added.statusCode).toBe(201);
    const { passkey, codes } = added.json() as PasskeyAdded;
    expect(codes).toHaveLength(10);
    const removed = await t.request({ method: 'DELETE', url: `/api/account/passkeys/${passkey.id}`, cookie });
    expect(removed.statusCode, removed.body).toBe(204);
    const left = t.handle.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id)).all();
    expect(left).toEqual([]);
    // Nor would one of them confirm who the member is any more.
    t.clock.advance(11 * MINUTE);
    const reauth = await post(t, '/api/auth/reauth', cookie, { method: 'recovery_code', code: codes[0] });
    expect(errorCode(reauth)).toBe('INVALID_CODE');
  });
});

function post(t: TestApp, url: string, cookie?: string, body?: unknown) {
  return t.request({ method: 'POST', url, ...(cookie ? { cookie } : {}), ...(body !== undefined ? { body } : {}) });
}

/**
 * Email as a real component, against a real SMTP server: registration that tells nobody which
 * addresses have accounts, address verification, address change, forgotten passwords, the
 * administrator's reset link, and an outbox that loses nothing when the SMTP server fails.
 */
import { auditLog, mailOutbox, securityEvents, sessions, users } from '@lexforum/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
import { readBlns, requireCorpora } from '../helpers/corpora.js';
import { linkToken, startMailServer, type TestMailServer } from '../helpers/mail.js';
import { COMPLETE_APPLICATION } from '../helpers/vetting.js';

const NEW_PASSWORD = 'a fresh and private passphrase 7';

let mail: TestMailServer;
beforeAll(async () => {
  mail = await startMailServer();
});
afterAll(async () => mail.close());

/** A test app whose mail goes to the test SMTP server. */
const mailApp = (env: Record<string, string> = {}) => buildTestApp({ env: { SMTP_URL: mail.url, ...env } });

const post = (t: TestApp, url: string, body?: unknown, cookie?: string) =>
  t.request({ method: 'POST', url, ...(body !== undefined ? { body } : {}), ...(cookie ? { cookie } : {}) });

const events = (t: TestApp, userId: string) =>
  t.handle.db
    .select()
    .from(securityEvents)
    .where(eq(securityEvents.userId, userId))
    .all()
    .map((e) => e.kind);

/** Waits until the app has delivered what it queued. */
const delivered = async (t: TestApp) => {
  await t.app.mail.deliver();
  await t.app.mail.idle();
};

describe('Email links API', () => {
  let t: TestApp;
  beforeEach(async () => {
    mail.clear();
    mail.refuseWith(null);
    t = await mailApp();
  });
  afterEach(async () => t.close());

  describe('POST /api/auth/register', () => {
    const body = {
      email: 'Awa.Diop@Parquet.example',
      password: 'a long and unusual passphrase',
      displayName: 'Awa Diop',
    };

    it('emails a new address a verification link in the language registered in, and signs nobody in', async () => {
      const res = await post(t, '/api/auth/register', { ...body, locale: 'fr' });
      expect(res.statusCode).toBe(202);
      expect(res.cookies.find((c) => c.name.endsWith('lexforum_session'))).toBeUndefined();
      const received = await mail.lastTo('awa.diop@parquet.example');
      expect(received.subject).toMatch(/Confirmez votre adresse/);
      expect(received.parsed.html).toContain('lang="fr"');
      expect(received.text).toContain('Awa Diop');
      const link = await mail.linkTo('awa.diop@parquet.example', '/verify-email');
      expect(link.startsWith(`${t.config.publicOrigin}/verify-email#token=`)).toBe(true);
      // Only a hash of the secret is stored.
      const token = linkToken(link);
      const stored = t.handle.db.select().from(users).where(eq(users.email, body.email)).get()!;
      expect(stored.emailVerifiedAt).toBeNull();
      expect(JSON.stringify(t.handle.sqlite.prepare('select * from email_tokens').all())).not.toContain(
        token.split('.')[1],
      );
    });

    it('answers an address that has an account exactly as a new one, and tells its owner instead', async () => {
      const owner = await t.createUser({ email: 'judge@court.example', displayName: 'Judge Owner', locale: 'es' });
      const known = await post(t, '/api/auth/register', { ...body, email: 'JUDGE@court.example' });
      const fresh = await post(t, '/api/auth/register', { ...body, email: 'new@court.example', displayName: 'Awa B' });
      expect(known.statusCode).toBe(fresh.statusCode);
      expect(known.body).toBe(fresh.body);
      expect(known.headers['set-cookie']).toEqual(fresh.headers['set-cookie']);

      const notice = await mail.lastTo('judge@court.example');
      expect(notice.subject).toMatch(/Intento de registro/);
      expect(notice.text).toContain(`${t.config.publicOrigin}/forgot-password`);
      expect(notice.text).not.toMatch(/#token=/);
      expect(t.handle.db.select().from(users).where(eq(users.id, owner.id)).get()!.passwordHash).toBe(
        owner.passwordHash,
      );

      // Repeated attempts do not flood the owner: one notice an hour.
      await post(t, '/api/auth/register', { ...body, email: 'judge@court.example' });
      await delivered(t);
      expect(mail.to('judge@court.example')).toHaveLength(1);
    });

    it('still refuses a display name that is taken, whatever the address', async () => {
      await t.createUser({ email: 'someone@court.example', displayName: 'Kwame Asante' });
      const known = await post(t, '/api/auth/register', {
        ...body,
        email: 'someone@court.example',
        displayName: 'Kwame Asante',
      });
      const fresh = await post(t, '/api/auth/register', {
        ...body,
        email: 'other@court.example',
        displayName: 'Kwame Asante',
      });
      expect(known.statusCode).toBe(400);
      expect(fresh.body).toBe(known.body);
    });
  });

  describe('POST /api/auth/verify-email', () => {
    let n = 0;
    async function registered(email = 'applicant@court.example') {
      await post(t, '/api/auth/register', {
        email,
        password: 'a long and unusual passphrase',
        displayName: `Lina Haddad ${++n}`,
      });
      return linkToken(await mail.linkTo(email, '/verify-email'));
    }

    it('verifies the address, records it, and signs this browser in', async () => {
      const token = await registered();
      const res = await post(t, '/api/auth/verify-email', { token });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().user).toMatchObject({ email: 'applicant@court.example', emailVerified: true });
      const me = await t.request({ method: 'GET', url: '/api/session', cookie: sessionCookie(res) });
      expect(me.json().user.emailVerified).toBe(true);
      const user = t.handle.db.select().from(users).where(eq(users.email, 'applicant@court.example')).get()!;
      expect(user.emailVerifiedAt).not.toBeNull();
      expect(events(t, user.id)).toEqual(expect.arrayContaining(['email_verified']));
    });

    it('refuses a link used before, expired, altered, or of another purpose, each with its own code', async () => {
      const token = await registered();
      expect((await post(t, '/api/auth/verify-email', { token })).statusCode).toBe(200);
      const again = await post(t, '/api/auth/verify-email', { token });
      expect([again.statusCode, errorCode(again)]).toEqual([410, 'LINK_USED']);

      const second = await registered('second@court.example');
      t.clock.advance(48 * HOUR);
      const late = await post(t, '/api/auth/verify-email', { token: second });
      expect([late.statusCode, errorCode(late)]).toEqual([410, 'LINK_EXPIRED']);

      const [id, secret] = second.split('.') as [string, string];
      // The last character always changes (a secret ending in "a" must not stay as it was).
      const altered = `${id}.${secret.slice(0, -1)}${secret.endsWith('a') ? 'b' : 'a'}`;
      for (const bad of [altered, `${id}`, 'x.y', `${id}.${secret}.z`, ' ']) {
        const res = await post(t, '/api/auth/verify-email', { token: bad });
        expect([res.statusCode, errorCode(res)], bad).toEqual([400, 'LINK_INVALID']);
      }

      const member = await t.createUser({ email: 'member@court.example' });
      await post(t, '/api/auth/password-reset', { email: member.email });
      const resetToken = linkToken(await mail.linkTo(member.email, '/reset-password'));
      const wrong = await post(t, '/api/auth/verify-email', { token: resetToken });
      expect(errorCode(wrong)).toBe('LINK_INVALID');
    });

    it('verifies without signing in when another account is signed in, or the account has a second factor', async () => {
      const token = await registered();
      const other = await t.loginAs(await t.createUser());
      const res = await post(t, '/api/auth/verify-email', { token }, other);
      expect(res.statusCode).toBe(200);
      expect(res.json().user).toBeNull();
      expect(res.cookies.find((c) => c.name.endsWith('lexforum_session') && c.value)).toBeUndefined();

      const second = await registered('factor@court.example');
      t.handle.db.update(users).set({ secondFactor: true }).where(eq(users.email, 'factor@court.example')).run();
      const guarded = await post(t, '/api/auth/verify-email', { token: second });
      expect(guarded.json().user).toBeNull();
      expect(
        t.handle.db.select().from(users).where(eq(users.email, 'factor@court.example')).get()!.emailVerifiedAt,
      ).not.toBeNull();
    });
  });

  describe('POST /api/account/email/verification', () => {
    it('sends a new link that replaces the old one, at most once a minute, and not once verified', async () => {
      await post(t, '/api/auth/register', {
        email: 'resend@court.example',
        password: 'a long and unusual passphrase',
        displayName: 'Resend Person',
      });
      const first = linkToken(await mail.linkTo('resend@court.example', '/verify-email'));
      const user = t.handle.db.select().from(users).where(eq(users.email, 'resend@court.example')).get()!;
      const cookie = await t.loginAs(user, 'a long and unusual passphrase');
      expect((await t.request({ method: 'GET', url: '/api/session', cookie })).json().user.emailVerified).toBe(false);

      t.clock.advance(2 * MINUTE);
      expect((await post(t, '/api/account/email/verification', undefined, cookie)).statusCode).toBe(202);
      await expect.poll(() => mail.to('resend@court.example').length).toBe(2);
      const soon = await post(t, '/api/account/email/verification', undefined, cookie);
      expect([soon.statusCode, errorCode(soon)]).toEqual([429, 'RATE_LIMITED']);
      expect(soon.json().error.details.retryAfterSeconds).toBeGreaterThan(0);

      expect(errorCode(await post(t, '/api/auth/verify-email', { token: first }))).toBe('LINK_USED');
      const second = linkToken(await mail.linkTo('resend@court.example', '/verify-email'));
      expect((await post(t, '/api/auth/verify-email', { token: second }, cookie)).json().user.emailVerified).toBe(true);
      t.clock.advance(2 * MINUTE);
      expect((await post(t, '/api/account/email/verification', undefined, cookie)).statusCode).toBe(409);
      expect((await post(t, '/api/account/email/verification')).statusCode).toBe(401);
    });
  });

  describe('POST /api/application/submit', () => {
    it('refuses an application before the address is verified, and takes it after', async () => {
      await post(t, '/api/auth/register', {
        email: 'apply@court.example',
        password: 'a long and unusual passphrase',
        displayName: 'Applicant Person',
      });
      const user = t.handle.db.select().from(users).where(eq(users.email, 'apply@court.example')).get()!;
      const cookie = await t.loginAs(user, 'a long and unusual passphrase');
      const draft = await t.request({ method: 'PUT', url: '/api/application', cookie, body: COMPLETE_APPLICATION });
      expect(draft.statusCode).toBe(200);
      const early = await post(t, '/api/application/submit', undefined, cookie);
      expect([early.statusCode, errorCode(early)]).toEqual([403, 'EMAIL_UNVERIFIED']);

      const token = linkToken(await mail.linkTo('apply@court.example', '/verify-email'));
      expect((await post(t, '/api/auth/verify-email', { token }, cookie)).statusCode).toBe(200);
      expect((await post(t, '/api/application/submit', undefined, cookie)).statusCode).toBe(200);
    });
  });

  describe('PUT /api/account/email', () => {
    it('sends a link to the new address and a notice to the old one; the link switches the address', async () => {
      const user = await t.createUser({ email: 'old@court.example', displayName: 'Moving Judge' });
      const cookie = await t.loginAs(user);
      const res = await t.request({
        method: 'PUT',
        url: '/api/account/email',
        cookie,
        body: { email: 'New@Court.example' },
      });
      expect(res.statusCode, res.body).toBe(202);
      expect(res.json()).toEqual({ pendingEmail: 'New@Court.example' });

      const notice = await mail.lastTo('old@court.example');
      expect(notice.subject).toMatch(/change of your email address was requested/);
      expect(notice.text).toContain('New@Court.example');
      expect(notice.text).not.toMatch(/#(token|change)=/);
      const link = await mail.linkTo('new@court.example', '/verify-email');
      const security = await t.request({ method: 'GET', url: '/api/account/security', cookie });
      expect(security.json()).toMatchObject({ email: 'old@court.example', pendingEmail: 'New@Court.example' });

      const confirmed = await post(t, '/api/account/email/confirm', { token: linkToken(link) }, cookie);
      expect(confirmed.statusCode, confirmed.body).toBe(200);
      expect(confirmed.json().user).toMatchObject({ email: 'New@Court.example', emailVerified: true });
      expect(events(t, user.id)).toContain('email_changed');
      expect(
        (
          await t.request({
            method: 'POST',
            url: '/api/auth/sign-in',
            body: { email: 'new@court.example', password: TEST_PASSWORD },
          })
        ).statusCode,
      ).toBe(200);
      expect(
        (
          await t.request({
            method: 'POST',
            url: '/api/auth/sign-in',
            body: { email: 'old@court.example', password: TEST_PASSWORD },
          })
        ).statusCode,
      ).toBe(401);

      const reused = await post(t, '/api/account/email/confirm', { token: linkToken(link) });
      expect(errorCode(reused)).toBe('LINK_USED');
    });

    it('asks for a recent confirmation of identity', async () => {
      const cookie = await t.loginAs(await t.createUser());
      t.clock.advance(11 * MINUTE);
      const res = await t.request({
        method: 'PUT',
        url: '/api/account/email',
        cookie,
        body: { email: 'x@court.example' },
      });
      expect([res.statusCode, errorCode(res)]).toEqual([403, 'REAUTH_REQUIRED']);
      await delivered(t);
      expect(mail.messages).toHaveLength(0);
    });

    it('answers a taken address like any other; the link then refuses it', async () => {
      await t.createUser({ email: 'taken@court.example' });
      const cookie = await t.loginAs(await t.createUser({ email: 'mover@court.example' }));
      const res = await t.request({
        method: 'PUT',
        url: '/api/account/email',
        cookie,
        body: { email: 'taken@court.example' },
      });
      expect(res.statusCode).toBe(202);
      const token = linkToken(await mail.linkTo('taken@court.example', '/verify-email'));
      const confirm = await post(t, '/api/account/email/confirm', { token }, cookie);
      expect([confirm.statusCode, errorCode(confirm)]).toEqual([409, 'EMAIL_TAKEN']);
    });

    it('refuses the link in a browser signed in to another account, an expired link, and bad addresses', async () => {
      const cookie = await t.loginAs(await t.createUser({ email: 'a@court.example' }));
      await t.request({ method: 'PUT', url: '/api/account/email', cookie, body: { email: 'b@court.example' } });
      const token = linkToken(await mail.linkTo('b@court.example', '/verify-email'));
      const stranger = await t.loginAs(await t.createUser());
      const wrong = await post(t, '/api/account/email/confirm', { token }, stranger);
      expect([wrong.statusCode, errorCode(wrong)]).toEqual([403, 'LINK_INVALID']);
      t.clock.advance(DAY);
      expect(errorCode(await post(t, '/api/account/email/confirm', { token }))).toBe('LINK_EXPIRED');

      const fresh = await t.loginAs(await t.createUser({ email: 'c@court.example' }));
      for (const email of ['not an address', 'c@court.example', 'C@COURT.example', '']) {
        const res = await t.request({ method: 'PUT', url: '/api/account/email', cookie: fresh, body: { email } });
        expect([res.statusCode, errorCode(res)], email).toEqual([400, 'VALIDATION_FAILED']);
      }
    });
  });

  describe('POST /api/auth/password-reset', () => {
    it('answers the same whether or not the address has an account, and emails only an account', async () => {
      await t.createUser({ email: 'known@court.example' });
      const known = await post(t, '/api/auth/password-reset', { email: 'KNOWN@court.example' });
      const unknown = await post(t, '/api/auth/password-reset', { email: 'nobody@court.example' });
      expect(known.statusCode).toBe(202);
      expect(unknown.body).toBe(known.body);
      expect(unknown.statusCode).toBe(known.statusCode);
      const link = await mail.linkTo('known@court.example', '/reset-password');
      expect(link).toMatch(/\/reset-password#token=/);
      await delivered(t);
      expect(mail.to('nobody@court.example')).toHaveLength(0);

      const typo = await post(t, '/api/auth/password-reset', { email: 'known@court' });
      expect([typo.statusCode, typo.json().error.details.issues[0].path]).toEqual([400, '/email']);
    });

    it('is throttled per address, known or not, and per IP', async () => {
      await t.createUser({ email: 'known@court.example' });
      for (const email of ['known@court.example', 'nobody@court.example']) {
        for (let i = 0; i < 3; i++) expect((await post(t, '/api/auth/password-reset', { email })).statusCode).toBe(202);
        const res = await post(t, '/api/auth/password-reset', { email });
        expect([res.statusCode, errorCode(res)]).toEqual([429, 'RATE_LIMITED']);
        expect(res.json().error.details.retryAfterSeconds).toBeGreaterThan(0);
      }
      t.clock.advance(HOUR);
      expect((await post(t, '/api/auth/password-reset', { email: 'known@court.example' })).statusCode).toBe(202);

      const perIp = await mailApp({ PASSWORD_RESETS_PER_HOUR_PER_IP: '2' });
      try {
        const ask = (email: string, ip: string) =>
          perIp.request({ method: 'POST', url: '/api/auth/password-reset', body: { email }, remoteAddress: ip });
        expect((await ask('a@x.example', '203.0.113.5')).statusCode).toBe(202);
        expect((await ask('b@x.example', '203.0.113.5')).statusCode).toBe(202);
        expect((await ask('c@x.example', '203.0.113.5')).statusCode).toBe(429);
        expect((await ask('c@x.example', '203.0.113.6')).statusCode).toBe(202);
      } finally {
        await perIp.close();
      }
    });
  });

  describe('POST /api/auth/password-reset/confirm', () => {
    async function resetLink(email: string) {
      await post(t, '/api/auth/password-reset', { email });
      return linkToken(await mail.linkTo(email, '/reset-password'));
    }

    it('sets the new password, ends every session, notifies the member and signs in', async () => {
      const user = await t.createUser({ email: 'forgot@court.example', emailVerifiedAt: null });
      const otherDevice = await t.loginAs(user);
      const token = await resetLink(user.email);
      expect((await post(t, '/api/auth/password-reset/check', { token })).json().expiresAt).toBe(
        new Date(t.clock.now().getTime() + HOUR).toISOString(),
      );

      const res = await post(t, '/api/auth/password-reset/confirm', { token, password: NEW_PASSWORD });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().user).toMatchObject({ id: user.id, emailVerified: true });
      const cookie = sessionCookie(res);
      expect((await t.request({ method: 'GET', url: '/api/account', cookie })).statusCode).toBe(200);
      expect((await t.request({ method: 'GET', url: '/api/account', cookie: otherDevice })).statusCode).toBe(401);
      expect(t.handle.db.select().from(sessions).where(eq(sessions.userId, user.id)).all()).toHaveLength(1);
      expect(events(t, user.id)).toContain('password_reset');

      await expect
        .poll(() => mail.to(user.email).map((m) => m.subject))
        .toContainEqual(expect.stringMatching(/Your password was reset/));
      const notice = mail.to(user.email).at(-1)!;
      expect(notice.text).not.toMatch(/#token=/);

      const signIn = (password: string) =>
        t.request({ method: 'POST', url: '/api/auth/sign-in', body: { email: user.email, password } });
      expect((await signIn(NEW_PASSWORD)).statusCode).toBe(200);
      expect((await signIn(TEST_PASSWORD)).statusCode).toBe(401);

      const again = await post(t, '/api/auth/password-reset/confirm', { token, password: 'yet another passphrase 99' });
      expect([again.statusCode, errorCode(again)]).toEqual([410, 'LINK_USED']);
    });

    it('holds the new password to the registration policy without spending the link', async () => {
      const user = await t.createUser({ email: 'weak@court.example', displayName: 'Nadia Benali' });
      const token = await resetLink(user.email);
      for (const password of ['short', 'password1234', 'Nadia Benali 2026']) {
        const res = await post(t, '/api/auth/password-reset/confirm', { token, password });
        expect([res.statusCode, errorCode(res)], password).toEqual([400, 'VALIDATION_FAILED']);
        expect(res.json().error.details.issues[0].path).toBe('/password');
      }
      expect((await post(t, '/api/auth/password-reset/confirm', { token, password: NEW_PASSWORD })).statusCode).toBe(
        200,
      );
    });

    it('refuses an expired link, and an older link once a newer one is sent', async () => {
      const user = await t.createUser({ email: 'late@court.example' });
      const first = await resetLink(user.email);
      t.clock.advance(MINUTE);
      mail.clear();
      const second = await resetLink(user.email);
      expect(errorCode(await post(t, '/api/auth/password-reset/check', { token: first }))).toBe('LINK_USED');
      t.clock.advance(HOUR);
      const late = await post(t, '/api/auth/password-reset/confirm', { token: second, password: NEW_PASSWORD });
      expect([late.statusCode, errorCode(late)]).toEqual([410, 'LINK_EXPIRED']);
    });

    it('asks for the second factor instead of signing in when the account has one', async () => {
      const user = await t.createUser({
        email: 'twofactor@court.example',
        secondFactor: true,
        totpKey: Buffer.alloc(20, 7),
      });
      const token = await resetLink(user.email);
      const res = await post(t, '/api/auth/password-reset/confirm', { token, password: NEW_PASSWORD });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().secondFactor.methods).toEqual(['totp', 'recovery_code']);
      expect(res.cookies.find((c) => c.name.endsWith('lexforum_session') && c.value)).toBeUndefined();
      expect(res.cookies.find((c) => c.name.endsWith('lexforum_pending'))?.value).toBeTruthy();
      expect(t.handle.db.select().from(sessions).where(eq(sessions.userId, user.id)).all()).toHaveLength(0);
    });
  });

  describe('POST /api/admin/users/:id/password-reset', () => {
    it('emails the member a reset link, audited with the administrator as actor', async () => {
      const admin = await t.createUser({ role: 'admin', displayName: 'Chief Admin' });
      const member = await t.createUser({ email: 'locked.out@court.example', locale: 'ar' });
      const cookie = await t.loginAs(admin);
      const res = await post(t, `/api/admin/users/${member.id}/password-reset`, undefined, cookie);
      expect(res.statusCode, res.body).toBe(202);
      expect(res.json()).toEqual({ sentTo: 'locked.out@court.example' });
      expect(res.body).not.toMatch(/token/);

      const received = await mail.lastTo(member.email);
      expect(received.parsed.html).toContain('dir="rtl"');
      const token = linkToken(await mail.linkTo(member.email, '/reset-password'));
      const row = t.handle.db
        .select()
        .from(securityEvents)
        .where(and(eq(securityEvents.userId, member.id), eq(securityEvents.kind, 'password_reset_sent_by_admin')))
        .get();
      expect(row?.actorId).toBe(admin.id);
      const audit = t.handle.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.action, 'security.password_reset_sent_by_admin'))
        .get();
      expect(audit).toMatchObject({ actorId: admin.id, targetId: member.id });
      expect((await post(t, '/api/auth/password-reset/confirm', { token, password: NEW_PASSWORD })).statusCode).toBe(
        200,
      );
    });

    it('is for administrators with a recent confirmation only', async () => {
      const member = await t.createUser();
      const moderator = await t.loginAs(await t.createUser({ role: 'moderator' }));
      expect((await post(t, `/api/admin/users/${member.id}/password-reset`, undefined, moderator)).statusCode).toBe(
        403,
      );
      const admin = await t.loginAs(await t.createUser({ role: 'admin' }));
      const missing = await post(
        t,
        '/api/admin/users/00000000-0000-4000-8000-000000000000/password-reset',
        undefined,
        admin,
      );
      expect(missing.statusCode).toBe(404);
      t.clock.advance(11 * MINUTE);
      const stale = await post(t, `/api/admin/users/${member.id}/password-reset`, undefined, admin);
      expect([stale.statusCode, errorCode(stale)]).toEqual([403, 'REAUTH_REQUIRED']);
      expect((await post(t, `/api/admin/users/${member.id}/password-reset`)).statusCode).toBe(401);
    });
  });
});

describe('Mail delivery', () => {
  beforeEach(() => {
    mail.clear();
    mail.refuseWith(null);
  });

  it.each([451, 550])('keeps a message the SMTP server refuses (%i) and delivers it on a later try', async (code) => {
    const t = await mailApp();
    try {
      mail.refuseWith(code);
      const res = await post(t, '/api/auth/password-reset', {
        email: (await t.createUser({ email: 'r@court.example' })).email,
      });
      expect(res.statusCode).toBe(202);
      await delivered(t);
      const [row] = t.handle.db.select().from(mailOutbox).all();
      expect(row).toMatchObject({ status: 'pending', attempts: 1, template: 'password_reset' });
      expect(row!.lastError).toMatch(new RegExp(String(code)));
      expect(mail.messages).toHaveLength(0);

      mail.refuseWith(null);
      await delivered(t);
      expect(mail.messages).toHaveLength(0); // not due yet: the first retry waits a minute
      t.clock.advance(MINUTE);
      await delivered(t);
      const received = await mail.lastTo('r@court.example');
      expect(received.text).toMatch(/#token=/);
      const sent = t.handle.db.select().from(mailOutbox).get()!;
      expect(sent).toMatchObject({ status: 'sent', attempts: 1, textBody: '', htmlBody: '' });
    } finally {
      await t.close();
    }
  });

  it('keeps every message while the SMTP server is down, backing off, and never gives up on an outage', async () => {
    const down = await startMailServer();
    const url = down.url;
    await down.close();
    const t = await buildTestApp({ env: { SMTP_URL: url } });
    try {
      const res = await post(t, '/api/auth/register', {
        email: 'down@court.example',
        password: 'a long and unusual passphrase',
        displayName: 'Down Server',
      });
      expect(res.statusCode).toBe(202);
      await delivered(t);
      let row = t.handle.db.select().from(mailOutbox).get()!;
      expect(row).toMatchObject({ status: 'pending', attempts: 1 });
      expect(row.lastError).toMatch(/ECONNREFUSED|connect/i);
      const gaps: number[] = [];
      let last = row.nextAttemptAt.getTime();
      // Fourteen more tries, a week: the backoff grows to 12 hours and stays there; a connection
      // failure never counts towards giving up.
      for (let i = 0; i < 14; i++) {
        t.clock.advance(row.nextAttemptAt.getTime() - t.clock.now().getTime());
        await delivered(t);
        row = t.handle.db.select().from(mailOutbox).get()!;
        gaps.push(row.nextAttemptAt.getTime() - last);
        last = row.nextAttemptAt.getTime();
      }
      expect(gaps.slice(0, 3)).toEqual([5 * MINUTE, 30 * MINUTE, 2 * HOUR]);
      expect(gaps.slice(-3)).toEqual([12 * HOUR, 12 * HOUR, 12 * HOUR]);
      expect(row).toMatchObject({ status: 'pending', attempts: 15, rejections: 0 });
      expect(row.textBody).toContain('/verify-email#token=');
    } finally {
      await t.close();
    }
  });

  it('writes .eml files to MAIL_DIR and logs each link when there is no SMTP server', async () => {
    const lines: string[] = [];
    const t = await buildTestApp({
      logger: { level: 'info', stream: { write: (line: string) => void lines.push(line) } },
    });
    try {
      await t.createUser({ email: 'dev@court.example' });
      await post(t, '/api/auth/password-reset', { email: 'dev@court.example' });
      await delivered(t);
      const logged = lines.map((l) => JSON.parse(l).msg as string).find((m) => m?.startsWith('mail written'));
      expect(logged).toMatch(
        /dev@court\.example \(password_reset\); link: http:\/\/localhost:3000\/reset-password#token=/,
      );
      const file = /mail written to (\S+\.eml)/.exec(logged!)![1]!;
      expect(file.startsWith(t.config.mailDir)).toBe(true);
      const { readFileSync } = await import('node:fs');
      const eml = readFileSync(file, 'utf8');
      expect(eml).toMatch(/Content-Type: multipart\/alternative/);
      expect(eml).toMatch(/To: dev@court\.example/);
    } finally {
      await t.close();
    }
  });
});

const corpora = requireCorpora();

describe.runIf(corpora)('Email fields against blns.json', () => {
  const strings = corpora ? readBlns() : [];
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({
      env: { PASSWORD_RESETS_PER_HOUR_PER_EMAIL: '100000', PASSWORD_RESETS_PER_HOUR_PER_IP: '100000' },
    });
  });
  afterAll(async () => t.close());

  it('answers every string as a password-reset address with 202 or a 400, never more', async () => {
    for (const value of strings) {
      const res = await post(t, '/api/auth/password-reset', { email: value });
      expect([202, 400], JSON.stringify(value)).toContain(res.statusCode);
    }
  });

  it('answers every string as a new address with 202, 400 or the hourly limit, and every link token with a 4xx', async () => {
    let cookie = await t.loginAs(await t.createUser({ email: 'blns@court.example' }));
    const valid = await t.request({
      method: 'PUT',
      url: '/api/account/email',
      cookie,
      body: { email: 'ok@court.example' },
    });
    expect(valid.statusCode).toBe(202);
    for (const value of strings) {
      const res = await t.request({ method: 'PUT', url: '/api/account/email', cookie, body: { email: value } });
      expect([202, 400, 429], JSON.stringify(value)).toContain(res.statusCode);
      if (res.statusCode === 429) {
        t.clock.advance(HOUR);
        cookie = await t.loginAs(await t.createUser());
      }
      for (const url of ['/api/auth/verify-email', '/api/account/email/confirm', '/api/auth/password-reset/check']) {
        const link = await post(t, url, { token: value });
        expect(link.statusCode, `${url} ${JSON.stringify(value)}`).toBeGreaterThanOrEqual(400);
        expect(link.statusCode, `${url} ${JSON.stringify(value)}`).toBeLessThan(500);
      }
    }
  });
});

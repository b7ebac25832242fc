/**
 * The emails that tell a member about their account's security: a sign-in from a new device, a
 * password change, an administrator's reset of their second factors, and a promotion to staff
 * that asks them to set one up. Against a real SMTP server.
 */
import { mailOutbox } from '@lexforum/db';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, sessionCookie, TEST_PASSWORD, type TestApp } from '../helpers/app.js';
import { startMailServer, type TestMailServer } from '../helpers/mail.js';

let mail: TestMailServer;
beforeAll(async () => {
  mail = await startMailServer();
});
afterAll(async () => mail.close());

const CHROME_ON_LINUX =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';

describe('Security notices by email', () => {
  let t: TestApp;
  beforeEach(async () => {
    mail.clear();
    t = await buildTestApp({ env: { SMTP_URL: mail.url } });
  });
  afterEach(async () => t.close());

  const delivered = async () => {
    await t.app.mail.deliver();
    await t.app.mail.idle();
  };
  const templates = () =>
    t.handle.db.select({ to: mailOutbox.toAddress, template: mailOutbox.template }).from(mailOutbox).all();

  async function signIn(email: string, device?: string) {
    const res = await t.request({
      method: 'POST',
      url: '/api/auth/sign-in',
      body: { email, password: TEST_PASSWORD },
      headers: { 'user-agent': CHROME_ON_LINUX, ...(device ? { cookie: device } : {}) },
      remoteAddress: '198.51.100.23',
    });
    expect(res.statusCode, res.body).toBe(200);
    const d = res.cookies.find((c) => c.name.endsWith('lexforum_device'))!;
    return { session: sessionCookie(res), device: `${d.name}=${d.value}` };
  }

  describe('a sign-in from a new device', () => {
    it('is emailed from the second device on, with the device and network, but not for a known device', async () => {
      const user = await t.createUser({ locale: 'fr' });
      const first = await signIn(user.email);
      await signIn(user.email, first.device);
      expect(templates()).toEqual([]);
      await signIn(user.email);
      await delivered();
      const notice = await mail.lastTo(user.email);
      expect(templates()).toEqual([{ to: user.email, template: 'new_device_sign_in' }]);
      // In the member's language, naming the browser and the network, linking to the security page.
      expect(notice.text).toContain('Chrome');
      expect(notice.text).toContain('198.51.100.0/24');
      expect(notice.text).toContain(`${t.config.publicOrigin}/account/security`);
      expect(notice.html).toContain('<html lang="fr"');
    });
  });

  describe('POST /api/account/password', () => {
    it('emails a notice with a way back in, and records the change', async () => {
      const user = await t.createUser();
      const { session } = await signIn(user.email);
      const res = await t.request({
        method: 'POST',
        url: '/api/account/password',
        cookie: session,
        body: { currentPassword: TEST_PASSWORD, newPassword: 'another quite private phrase 9' },
      });
      expect(res.statusCode, res.body).toBe(204);
      await delivered();
      const notice = await mail.lastTo(user.email);
      expect(templates().map((m) => m.template)).toEqual(['password_changed_notice']);
      expect(notice.text).toContain(`${t.config.publicOrigin}/forgot-password`);
      expect(notice.text).not.toContain('another quite private phrase 9');
    });

    it('sends nothing when the current password is wrong', async () => {
      const user = await t.createUser();
      const { session } = await signIn(user.email);
      const res = await t.request({
        method: 'POST',
        url: '/api/account/password',
        cookie: session,
        body: { currentPassword: 'not the password at all', newPassword: 'another quite private phrase 9' },
      });
      expect(res.statusCode).toBe(401);
      expect(templates()).toEqual([]);
    });
  });

  describe('DELETE /api/admin/users/:id/second-factor', () => {
    it('emails the member whose second factors an administrator removed', async () => {
      const admin = await t.createUser({ role: 'admin' });
      const member = await t.createUser({ role: 'moderator' });
      const cookie = await t.loginAs(admin);
      const res = await t.request({ method: 'DELETE', url: `/api/admin/users/${member.id}/second-factor`, cookie });
      expect(res.statusCode, res.body).toBe(200);
      await delivered();
      const notice = await mail.lastTo(member.email);
      expect(notice.text).toContain(`${t.config.publicOrigin}/account/security`);
      expect(
        templates()
          .filter((m) => m.to === member.email)
          .map((m) => m.template),
      ).toEqual(['second_factor_reset_notice']);
    });
  });

  describe('PUT /api/admin/users/:id/role', () => {
    it.each(['moderator', 'admin'] as const)(
      'asks a member made %s without a second factor to set one up',
      async (role) => {
        const admin = await t.createUser({ role: 'admin' });
        const member = await t.createUser();
        const cookie = await t.loginAs(admin);
        const res = await t.request({
          method: 'PUT',
          url: `/api/admin/users/${member.id}/role`,
          cookie,
          body: { role, reason: 'Joins the vetting team.' },
        });
        expect(res.statusCode, res.body).toBe(200);
        await delivered();
        const notice = await mail.lastTo(member.email);
        expect(notice.text).toContain(`${t.config.publicOrigin}/account/security`);
        expect(
          templates()
            .filter((m) => m.to === member.email)
            .map((m) => m.template),
        ).toEqual(['staff_second_factor_required']);
      },
    );

    it('sends nothing to a member who already has a second factor, or who is made a member', async () => {
      const admin = await t.createUser({ role: 'admin' });
      const enrolled = await t.createUser({ role: 'moderator' });
      const cookie = await t.loginAs(admin);
      for (const [user, role] of [
        [enrolled, 'admin'],
        [enrolled, 'member'],
      ] as const) {
        const res = await t.request({
          method: 'PUT',
          url: `/api/admin/users/${user.id}/role`,
          cookie,
          body: { role, reason: 'Reorganised.' },
        });
        expect(res.statusCode, res.body).toBe(200);
      }
      expect(templates().filter((m) => m.to === enrolled.email)).toEqual([]);
    });
  });
});

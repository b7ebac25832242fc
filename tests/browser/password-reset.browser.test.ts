/**
 * A member who forgot the password, in Chromium: asks for a link on the sign-in page, opens the
 * link from the email the SMTP test server received, chooses a new password and is signed in;
 * the member's other device (a second browser context) is signed out. Also the screens around
 * email links at phone width: the email card with a pending address, a used link.
 */
import type { DbHandle } from '@lexforum/db';
import type { App } from '@lexforum/server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addPeople,
  chromiumAvailable,
  launchChromium,
  scenario,
  screenshot,
  signIn,
  startForum,
  watchForProblems,
} from '../helpers/browser.js';
import { startMailServer, type TestMailServer } from '../helpers/mail.js';
import { freshTotpCode } from '../helpers/totp.js';

const available = chromiumAvailable();
const OLD_PASSWORD = 'harbour lantern evidence 1984';
const NEW_PASSWORD = 'quiet orchard statute 2031';
const EMAIL = 'nadia.benali@justice.example';

describe.runIf(available)('Password reset in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let browser: Browser;
  let origin: string;
  let mail: TestMailServer;

  beforeAll(async () => {
    mail = await startMailServer();
    ({ app, handle, origin } = await startForum({}, { env: { SMTP_URL: mail.url } }));
    await addPeople(handle, [{ email: EMAIL, name: 'Nadia Benali', role: 'member', code: 'MA' }], OLD_PASSWORD);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    handle?.close();
    await mail?.close();
  });

  it('forgot password → the emailed link → a new password → signed in, the other device signed out', async () => {
    const office = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const phone = await browser.newContext({ viewport: { width: 375, height: 812 } });
    await scenario('password-reset', [office, phone], async () => {
      // The other device: signed in on the office computer.
      const desk = await office.newPage();
      await signIn(desk, origin, EMAIL, OLD_PASSWORD);
      await desk.goto(`${origin}/account`);
      await expect.poll(() => desk.getByRole('heading', { name: 'Account', level: 1 }).isVisible()).toBe(true);

      // On the phone, the password is forgotten.
      const page = await phone.newPage();
      const problems = watchForProblems(page);
      await page.goto(`${origin}/sign-in`);
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await expect
        .poll(() => page.getByRole('heading', { name: 'Forgot your password', level: 1 }).isVisible())
        .toBe(true);
      await screenshot(page, 'forgot-password-phone');
      await page.getByLabel('Email').fill(EMAIL);
      await page.getByRole('button', { name: 'Send the link' }).click();
      await expect.poll(() => page.getByRole('heading', { name: 'Check your email', level: 1 }).isVisible()).toBe(true);
      await screenshot(page, 'forgot-password-sent-phone');

      const received = await mail.lastTo(EMAIL);
      expect(received.subject).toMatch(/Choose a new password/);
      expect(received.parsed.html).toContain('Choose a new password');
      const link = await mail.linkTo(EMAIL, '/reset-password');
      await page.goto(link);
      await expect
        .poll(() => page.getByRole('heading', { name: 'Choose a new password', level: 1 }).isVisible())
        .toBe(true);
      // The secret is taken off the address bar at once.
      expect(new URL(page.url()).hash).toBe('');
      await screenshot(page, 'reset-password-phone');

      // The policy of registration applies, with the server's reason under the field.
      const field = page.getByLabel('New password', { exact: true });
      await field.fill('password1234');
      await page.getByRole('button', { name: 'Save the new password' }).click();
      await expect.poll(() => page.getByText('This password is too common').isVisible()).toBe(true);
      await field.fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Save the new password' }).click();

      // Signed in on the phone, on the forum's home page.
      await expect.poll(() => page.url()).toBe(`${origin}/`);
      await expect.poll(() => page.getByRole('button', { name: /Account menu/ }).isVisible()).toBe(true);
      await expect
        .poll(() =>
          mail
            .to(EMAIL)
            .map((m) => m.subject)
            .join('\n'),
        )
        .toMatch(/Your password was reset/);

      // The office computer was signed out: its next page asks to sign in.
      await desk.goto(`${origin}/account`);
      await expect.poll(() => desk.getByRole('heading', { name: 'Sign in', level: 1 }).isVisible()).toBe(true);
      await signIn(desk, origin, EMAIL, NEW_PASSWORD);

      // The link was single use: opened again, it says so and offers a new one.
      const again = await phone.newPage();
      await again.goto(link);
      await expect.poll(() => again.getByRole('heading', { name: 'This link cannot be used' }).isVisible()).toBe(true);
      await expect.poll(() => again.getByText('already been used').isVisible()).toBe(true);
      await expect.poll(() => again.getByRole('link', { name: 'Ask for a new link' }).isVisible()).toBe(true);
      await screenshot(again, 'reset-link-used-phone');

      // The email card: change the address; the pending address shows until its link is opened.
      await page.goto(`${origin}/account/security`);
      await page.getByLabel('New email address').fill('n.benali@justice.example');
      await page.getByRole('button', { name: 'Change address' }).click();
      await expect
        .poll(() => page.getByText('Waiting for confirmation: n.benali@justice.example').isVisible())
        .toBe(true);
      await screenshot(page, 'security-email-card-phone');
      await page.goto(await mail.linkTo('n.benali@justice.example', '/verify-email'));
      await expect
        .poll(() => page.getByRole('heading', { name: 'Email address changed', level: 1 }).isVisible())
        .toBe(true);
      await screenshot(page, 'email-changed-phone');
      expect(problems).toEqual([]);
    });
  });

  it('a reset on an account with a second factor ends at the second step, not signed in by the link alone', async () => {
    const MODERATOR = 'omar.haddad@justice.example';
    await addPeople(handle, [{ email: MODERATOR, name: 'Omar Haddad', role: 'moderator', code: 'MA' }], OLD_PASSWORD);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await scenario('password-reset-second-factor', [context], async () => {
      const page = await context.newPage();
      const problems = watchForProblems(page);
      await page.goto(`${origin}/forgot-password`);
      await page.getByLabel('Email').fill(MODERATOR);
      await page.getByRole('button', { name: 'Send the link' }).click();
      await expect.poll(() => page.getByRole('heading', { name: 'Check your email', level: 1 }).isVisible()).toBe(true);
      await page.goto(await mail.linkTo(MODERATOR, '/reset-password'));
      await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Save the new password' }).click();

      // The sign-in page opens at its second step; nothing is open until the code is given.
      const code = page.getByLabel('Authentication code');
      await expect.poll(() => code.isVisible()).toBe(true);
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      const session = await page.request.get(`${origin}/api/session`);
      expect((await session.json()).user).toBeNull();
      await code.fill(await freshTotpCode(MODERATOR));
      await page.getByRole('button', { name: 'Verify' }).click();
      await expect.poll(() => page.getByRole('button', { name: /Account menu/ }).isVisible()).toBe(true);
      expect(new URL(page.url()).pathname).not.toBe('/sign-in');
      expect(problems).toEqual([]);
    });
  });
});

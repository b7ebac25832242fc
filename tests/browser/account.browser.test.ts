/**
 * A person in Chromium: create an account, sign out, sign in, see the session on the account page,
 * end another device's session and then this one. Runs against the real server on a free port,
 * serving the built web client, with a real SQLite file.
 */
import type { DbHandle } from '@lexforum/db';
import type { App } from '@lexforum/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, startForum, launchChromium, scenario, watchForProblems } from '../helpers/browser.js';
import { startMailServer, type TestMailServer } from '../helpers/mail.js';

const available = chromiumAvailable();

describe.runIf(available)('Accounts in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let browser: Browser;
  let origin: string;
  let mail: TestMailServer;

  beforeAll(async () => {
    mail = await startMailServer();
    ({ app, handle, origin } = await startForum({}, { env: { SMTP_URL: mail.url } }));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await mail?.close();
    await browser?.close();
    await app?.close();
    handle?.close();
  });

  async function signIn(page: Page, email: string, password: string): Promise<void> {
    await page.goto(`${origin}/sign-in?next=%2Faccount`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Account', level: 1 }).isVisible()).toBe(true);
  }

  it('create account → sign out → sign in → see the session → end it', async () => {
    const laptop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      userAgent:
        'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1',
    });
    await scenario('account-flow', [laptop, phone], async () => {
      const page = await laptop.newPage();
      const problems = watchForProblems(page);
      const email = 'ama.mensah@justice.example';
      const password = 'cocoa harbour evidence 1987';

      // Create an account from the landing page.
      await page.goto(origin);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(/compare notes/);
      expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([
        'en',
        'ltr',
      ]);
      // The API docs are for signed-in members (API_DOCS): a visitor is not offered the link.
      expect(await page.getByRole('link', { name: 'API documentation' }).count()).toBe(0);
      await page.getByRole('link', { name: 'Request access' }).first().click();
      await expect.poll(() => page.getByRole('heading', { name: 'Create account' }).isVisible()).toBe(true);

      // A too-common password is refused with the server's reason under the field.
      await page.getByLabel('Display name').fill('Ama Mensah');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password', { exact: true }).fill('qwerty123456');
      await page.getByRole('button', { name: 'Create account' }).click();
      await expect.poll(() => page.getByText('This password is too common').isVisible()).toBe(true);

      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Create account' }).click();
      // Nobody is signed in until the address is confirmed by the link emailed to it.
      await expect.poll(() => page.getByRole('heading', { name: 'Check your email', level: 1 }).isVisible()).toBe(true);
      await page.goto(await mail.linkTo(email, '/verify-email'));
      await expect
        .poll(() => page.getByRole('heading', { name: 'Address confirmed', level: 1 }).isVisible())
        .toBe(true);
      await page.getByRole('button', { name: 'Continue' }).click();
      // A new account is an applicant: it lands on its application, and can reach its account.
      await expect
        .poll(() => page.getByRole('heading', { name: 'Membership application', level: 1 }).isVisible())
        .toBe(true);
      await expect.poll(() => page.url()).toBe(`${origin}/apply`);
      await page.goto(`${origin}/account`);
      await expect.poll(() => page.getByRole('heading', { name: 'Account', level: 1 }).isVisible()).toBe(true);
      await expect.poll(() => page.getByText('Not yet verified').isVisible()).toBe(true);

      // Sign out through the account menu (keyboard: Escape closes it, so open it again).
      const menuButton = page.getByRole('button', { name: /Account menu/ });
      await menuButton.click();
      await page.keyboard.press('Escape');
      expect(await menuButton.getAttribute('aria-expanded')).toBe('false');
      await menuButton.click();
      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await expect.poll(() => page.getByRole('link', { name: 'Sign in' }).first().isVisible()).toBe(true);

      // Signed out, the account page sends you to sign in and back.
      await page.goto(`${origin}/account`);
      await expect.poll(() => page.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(true);
      await expect.poll(() => page.url()).toContain('next=%2Faccount');

      // A wrong password shows the server's message.
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password', { exact: true }).fill('not the password at all');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Invalid email or password.');

      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByRole('heading', { name: 'Account', level: 1 }).isVisible()).toBe(true);

      // A second device signs in too.
      const phonePage = await phone.newPage();
      await signIn(phonePage, email, password);

      // The laptop sees both sessions, its own marked.
      await page.reload();
      const sessions = page.getByRole('region', { name: 'Active sessions' });
      await expect.poll(() => sessions.getByRole('listitem').count()).toBe(2);
      await expect.poll(() => sessions.getByText('This device').isVisible()).toBe(true);
      await expect.poll(() => sessions.getByText('Safari on iOS').isVisible()).toBe(true);

      // End the phone's session: the phone is signed out.
      await sessions.getByRole('button', { name: /Sign out session Safari on iOS/ }).click();
      await expect.poll(() => sessions.getByRole('listitem').count()).toBe(1);
      await phonePage.goto(`${origin}/account`);
      await expect.poll(() => phonePage.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(true);

      // End this session: signed out here as well.
      await sessions.getByRole('button', { name: 'Sign out this device (Chrome on Linux)' }).click();
      await expect.poll(() => page.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(true);
      const me = await page.evaluate(async () => (await fetch('/api/session')).json());
      expect(me).toEqual({ user: null });

      expect(problems).toEqual([]);
    });
  });

  it('shows the not-found page for an unknown address', async () => {
    const context = await browser.newContext();
    await scenario('not-found', [context], async () => {
      const page = await context.newPage();
      await page.goto(`${origin}/no/such/page`);
      await expect.poll(() => page.getByRole('heading', { name: 'Page not found' }).isVisible()).toBe(true);
      await page.getByRole('link', { name: 'Go to the home page' }).click();
      await expect.poll(() => page.url()).toBe(`${origin}/`);
    });
  });
});

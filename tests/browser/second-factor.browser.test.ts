/**
 * The sign-in's second step in Chromium: a wrong code is refused in place, the recovery-code field
 * is one click away, a pending sign-in that ended sends the person back to the password with a
 * message, and the right code from the authenticator app signs in.
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
  startForum,
  watchForProblems,
} from '../helpers/browser.js';
import { freshTotpCode, totpCode, TEST_TOTP_KEY, totpStepAt } from '../helpers/totp.js';

const available = chromiumAvailable();
const PASSWORD = 'cocoa harbour evidence 1987';
const MODERATOR = 'ines.moreau@justice.example';

describe.runIf(available)('Two-step sign-in in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    ({ app, handle, origin } = await startForum());
    await addPeople(handle, [{ email: MODERATOR, name: 'Inès Moreau', role: 'moderator' }], PASSWORD);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    handle?.close();
  });

  it('refuses a wrong code in place, restarts an ended sign-in, and signs in with the app’s code', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await scenario('second-factor-sign-in', [context], async () => {
      const page = await context.newPage();
      const problems = watchForProblems(page);
      const password = async () => {
        await page.getByLabel('Email').fill(MODERATOR);
        await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await expect.poll(() => page.getByRole('heading', { name: 'Two-step sign-in' }).isVisible()).toBe(true);
      };
      await page.goto(`${origin}/sign-in`);
      await password();
      const code = page.getByLabel('Authentication code');
      expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
      expect(await code.getAttribute('inputmode')).toBe('numeric');

      // A code two steps old is not accepted.
      await code.fill(totpCode(TEST_TOTP_KEY, 0, { step: totpStepAt(Date.now()) - 3 }));
      await page.getByRole('button', { name: 'Verify' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/not right/i);

      // The recovery code field is one click away, and back.
      await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
      await expect.poll(() => page.getByLabel('Recovery code').isVisible()).toBe(true);
      await page.getByRole('button', { name: 'Use the authenticator app instead' }).click();

      // The pending sign-in ends (here: removed, as expiry or five wrong codes would): back to
      // the password, told why.
      handle.sqlite.prepare('delete from sign_in_challenges').run();
      await code.fill(await freshTotpCode(MODERATOR));
      await page.getByRole('button', { name: 'Verify' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/took too long/);
      await expect.poll(() => page.getByLabel('Password', { exact: true }).isVisible()).toBe(true);

      await password();
      await code.fill(await freshTotpCode(MODERATOR));
      await page.getByRole('button', { name: 'Verify' }).click();
      await expect.poll(() => page.url()).toBe(`${origin}/`);
      expect(problems).toEqual([]);
    });
  });
});

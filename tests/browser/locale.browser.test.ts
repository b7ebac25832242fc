/**
 * The interface language in Chromium: a new visitor whose browser asks for French gets the forum in
 * French before anything is chosen, switches to Arabic from the header and the page turns right to
 * left (the header mirrored), registers, and on another device whose browser asks for English the
 * account's Arabic wins at sign-in. Messages are read from the message files, so the test holds
 * whatever the translators write.
 */
import type { DbHandle } from '@lexforum/db';
import type { App } from '@lexforum/server';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, scenario, startForum, watchForProblems } from '../helpers/browser.js';
import { startMailServer, type TestMailServer } from '../helpers/mail.js';

const available = chromiumAvailable();
type Messages = Record<string, unknown>;
const messages = (locale: string): Messages =>
  JSON.parse(readFileSync(new URL(`../../web/messages/${locale}.json`, import.meta.url), 'utf8')) as Messages;
const text = (locale: string, key: string) => {
  const value = messages(locale)[key];
  if (typeof value !== 'string') throw new Error(`${locale}.json has no plain message ${key}`);
  return value;
};

const documentLocale = (page: Page) =>
  page.evaluate(() => `${document.documentElement.lang} ${document.documentElement.dir}`);
const h1 = (page: Page) => page.getByRole('heading', { level: 1 }).first().textContent();
/** The horizontal middle of an element, in CSS pixels from the left of the window. */
async function middleX(page: Page, selector: string): Promise<number> {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} is not on screen`);
  return box.x + box.width / 2;
}

describe.runIf(available)('Interface language in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
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

  it('French from the browser → Arabic from the header → registered → Arabic on another device', async () => {
    const laptop = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    const other = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    await scenario('locale-flow', [laptop, other], async () => {
      const page = await laptop.newPage();
      const problems = watchForProblems(page);

      // The server wrote lang and dir into the page it served, before any script ran.
      const served = await page.request.get(origin, { headers: { 'accept-language': 'fr-FR,fr;q=0.9' } });
      expect(await served.text()).toContain('<html lang="fr" dir="ltr">');

      await page.goto(origin);
      await expect.poll(() => documentLocale(page)).toBe('fr ltr');
      await expect.poll(() => h1(page)).toBe(text('fr', 'landing_title'));

      // The header's language menu names each language in itself.
      await page.locator('header button[aria-haspopup="true"]').click();
      const arabic = page.locator('header button[lang="ar"]');
      expect(await arabic.textContent()).toBe('العربية');
      expect(await page.locator('header button[lang="fr"]').getAttribute('aria-current')).toBe('true');
      await arabic.click();

      // The same page, loaded again in Arabic and laid out right to left.
      await expect.poll(() => documentLocale(page)).toBe('ar rtl');
      expect(page.url()).toBe(`${origin}/`);
      await expect.poll(() => h1(page)).toBe(text('ar', 'landing_title'));
      expect(await h1(page)).not.toBe(text('en', 'landing_title'));
      const direction = await page.evaluate(() => getComputedStyle(document.body).direction);
      expect(direction).toBe('rtl');
      // The wordmark now sits at the right, the language menu at the left.
      expect(await middleX(page, 'header .wordmark')).toBeGreaterThan(
        await middleX(page, 'header button[aria-haspopup="true"]'),
      );

      // Registration, in Arabic: the account keeps the language.
      await page.goto(`${origin}/register`);
      await expect.poll(() => h1(page)).toBe(text('ar', 'register_title'));
      await page.locator('#displayName').fill('ليلى حداد');
      await page.locator('#email').fill('leila.haddad@justice.example');
      await page.locator('#password').fill('cedar harbour evidence 1991');
      await page.locator('form button[type="submit"]').click();
      await expect.poll(() => h1(page)).toBe(text('ar', 'register_sent_title'));
      // The email is in Arabic too; its link confirms the address and signs in.
      const received = await mail.lastTo('leila.haddad@justice.example');
      expect(received.parsed.html).toContain('dir="rtl"');
      await page.goto(await mail.linkTo('leila.haddad@justice.example', '/verify-email'));
      await expect.poll(() => h1(page)).toBe(text('ar', 'verify_done_title'));
      await page.goto(`${origin}/apply`);
      await expect.poll(() => page.url()).toBe(`${origin}/apply`);
      await expect.poll(() => h1(page)).toBe(text('ar', 'apply_title'));
      expect(await documentLocale(page)).toBe('ar rtl');
      // Signed in, the header is mirrored too: the wordmark right of the account menu.
      expect(await middleX(page, 'header .wordmark')).toBeGreaterThan(
        await middleX(page, 'header button[aria-controls="account-menu"]'),
      );

      // Another device, whose browser asks for English: English until the sign-in, then Arabic.
      const second = await other.newPage();
      const secondProblems = watchForProblems(second);
      await second.goto(`${origin}/sign-in`);
      await expect.poll(() => documentLocale(second)).toBe('en ltr');
      await second.locator('#email').fill('leila.haddad@justice.example');
      await second.locator('#password').fill('cedar harbour evidence 1991');
      await second.locator('form button[type="submit"]').click();
      await expect.poll(() => second.url()).toBe(`${origin}/apply`);
      await expect.poll(() => documentLocale(second)).toBe('ar rtl');
      await expect.poll(() => h1(second)).toBe(text('ar', 'apply_title'));
      // And it stays Arabic on the next visit: the server serves the page in it.
      await second.reload();
      await expect.poll(() => documentLocale(second)).toBe('ar rtl');

      expect([...problems, ...secondProblems]).toEqual([]);
    });
  }, 60_000);
});

/**
 * A thread written in Arabic, read in another interface language, in Chromium: a member in Rabat
 * writes an Arabic thread (Arabic title and body, with a French citation quoted inside), choosing
 * Arabic in the composer; a member whose interface is French finds it in the list by its language
 * label and the language filter, and opens it: the title and the post read right to left while the
 * interface around them stays left to right, and the French citation inside reads left to right.
 *
 * The French interface is asked for the way the client will keep it (the account's locale and
 * paraglide's cookie and storage key); until the message files land the checks use structure
 * (ids, `lang`, `dir`, computed direction), not French words.
 */
import type { DbHandle } from '@lexforum/db';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '@lexforum/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addPeople,
  chromiumAvailable,
  forumClient,
  launchChromium,
  scenario,
  signIn,
  startForum,
  watchForProblems,
} from '../helpers/browser.js';
import { repoRoot } from '../helpers/process.js';

const available = chromiumAvailable();
const arMessages = JSON.parse(readFileSync(join(repoRoot, 'web/messages/ar.json'), 'utf8')) as Record<string, unknown>;
/** An interface message in Arabic, from the message file the client is built from. */
function ar(key: string): string {
  const text = arMessages[key];
  if (typeof text !== 'string') throw new Error(`no Arabic message ${key}`);
  return text;
}

const PASSWORD = 'cedar lantern appeal 2031';
const AUTHOR = { email: 'salma.benali@justice.example', name: 'سلمى بن علي', role: 'member', code: 'MA' } as const;
const READER = { email: 'awa.diop@justice.example', name: 'Awa Diop', role: 'member', code: 'SN' } as const;
const ARABIC_TITLE = 'التعاون القضائي في تسليم المطلوبين بين الدول';
const ENGLISH_TITLE = 'Mutual legal assistance for electronic evidence held abroad';
const CITATION = 'La coopération judiciaire repose sur la confiance mutuelle entre les autorités.';
const ARABIC_BODY = [
  'تطرح هذه المسألة صعوبات عملية في تنفيذ طلبات التسليم بين الدول الأطراف.',
  '',
  `> ${CITATION}`,
  '',
  'ما هي الممارسات المتبعة لديكم في هذا الشأن؟',
].join('\n');

describe.runIf(available)('Thread language in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    ({ app, handle, origin } = await startForum());
    const ids = await addPeople(handle, [AUTHOR, READER], PASSWORD);
    // The reader chose French for their interface; the author Arabic.
    const setLocale = handle.sqlite.prepare('update users set locale = ? where id = ?');
    setLocale.run('fr', ids[READER.email]);
    setLocale.run('ar', ids[AUTHOR.email]);
    // A thread in English, which the language filter leaves out.
    const client = forumClient(origin, PASSWORD);
    await client.api(await client.cookieOf(READER.email), 'POST', '/api/threads', {
      kind: 'discussion',
      title: ENGLISH_TITLE,
      language: 'en',
      jurisdictions: ['SN'],
      topics: ['money-laundering'],
      citations: [],
      body: 'How long do your requests for stored e-mail take to be answered?',
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    handle?.close();
  });

  async function person(): Promise<[BrowserContext, Page, string[]]> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    // A step that cannot happen fails with its locator, well inside the test's own timeout.
    page.setDefaultTimeout(10_000);
    return [context, page, watchForProblems(page)];
  }

  const direction = (page: Page, selector: string) =>
    page
      .locator(selector)
      .first()
      .evaluate((el) => getComputedStyle(el).direction);

  it('an Arabic thread is written, labelled, filtered and read right to left in a French interface', async () => {
    const [authorContext, author] = await person();
    // The reader signs in on an English page; the account's French follows them in.
    const [readerContext, reader] = await person();

    await scenario('thread-language', [authorContext, readerContext], async () => {
      // The author, whose interface is Arabic, writes in Arabic: the composer offers the interface's
      // language first, the forum's four languages leading the list.
      await signIn(author, origin, AUTHOR.email, PASSWORD);
      await author.goto(`${origin}/threads/new`);
      expect(await author.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([
        'ar',
        'rtl',
      ]);
      await author.getByLabel(ar('composer_field_title'), { exact: true }).fill(ARABIC_TITLE);
      const language = author.getByLabel(ar('composer_field_language'));
      await expect.poll(() => language.inputValue()).toBe('ar');
      expect(
        await language
          .locator('optgroup')
          .first()
          .locator('option')
          .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)),
      ).toEqual(['en', 'fr', 'es', 'ar']);
      // Type-ahead pickers match in English as well as in the reader's language.
      await author.getByRole('combobox', { name: ar('composer_jurisdictions'), exact: true }).fill('Morocco');
      await author.getByRole('option', { name: /المغرب/ }).click();
      await author.getByRole('combobox', { name: ar('composer_topics'), exact: true }).fill('laundering');
      await author.getByRole('option', { name: /غسل الأموال/ }).click();
      await author.getByLabel(ar('composer_body'), { exact: true }).fill(ARABIC_BODY);
      await author.getByRole('button', { name: ar('composer_submit') }).click();
      await expect.poll(() => author.getByRole('heading', { level: 1, name: ARABIC_TITLE }).isVisible()).toBe(true);

      // The reader finds it in the list, marked as written in Arabic.
      await signIn(reader, origin, READER.email, PASSWORD);
      await reader.goto(`${origin}/`);
      await expect.poll(() => reader.evaluate(() => document.documentElement.lang)).toBe('fr');
      const arabicRow = reader.locator('li').filter({ has: reader.getByRole('link', { name: ARABIC_TITLE }) });
      await expect.poll(() => arabicRow.locator('[data-language="ar"] [lang="ar"]').isVisible()).toBe(true);
      expect(await arabicRow.getByRole('link', { name: ARABIC_TITLE }).getAttribute('lang')).toBe('ar');
      await expect.poll(() => reader.getByRole('link', { name: ENGLISH_TITLE }).isVisible()).toBe(true);

      // Filtered by Arabic, the list keeps only it, and says so in its address.
      await reader.locator('#home-language').selectOption('ar');
      await expect.poll(() => reader.url()).toContain('language=ar');
      await expect.poll(() => reader.getByRole('link', { name: ENGLISH_TITLE }).count()).toBe(0);
      await expect.poll(() => reader.getByRole('link', { name: ARABIC_TITLE }).isVisible()).toBe(true);
      // The address alone brings the filter back.
      await reader.reload();
      await expect.poll(() => reader.locator('#home-language').inputValue()).toBe('ar');
      await expect.poll(() => reader.getByRole('link', { name: ENGLISH_TITLE }).count()).toBe(0);

      // Opened, the Arabic title and post read right to left inside a left-to-right interface.
      await reader.getByRole('link', { name: ARABIC_TITLE }).click();
      const title = reader.getByRole('heading', { level: 1, name: ARABIC_TITLE });
      await expect.poll(() => title.isVisible()).toBe(true);
      expect(await title.getAttribute('lang')).toBe('ar');
      expect(await title.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
      expect(await reader.evaluate(() => getComputedStyle(document.body).direction)).toBe('ltr');
      expect(await direction(reader, '.thread-head .action-row')).toBe('ltr');
      const body = '#post-1 .cooked';
      expect(await reader.locator(body).getAttribute('lang')).toBe('ar');
      expect(await direction(reader, `${body} > p`)).toBe('rtl');
      // The French citation quoted inside the Arabic post reads left to right.
      const quote = reader.locator(`${body} blockquote p`).first();
      expect(await quote.textContent()).toBe(CITATION);
      expect(await quote.evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
      // The author's Arabic name inside the interface's sentence is isolated from it.
      await expect
        .poll(() => reader.locator('.thread-head bdi').filter({ hasText: AUTHOR.name }).first().textContent())
        .toBe(AUTHOR.name);
    });
  }, 30_000);
});

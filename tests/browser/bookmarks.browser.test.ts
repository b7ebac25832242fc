/**
 * Bookmarks in Chromium. Otieno bookmarks Claire's reply from the thread page with a note and a
 * reminder a day ahead: the button turns to "Bookmarked". His bookmarks page (from the account
 * menu) lists it with the note and the reminder; he changes the note there, then removes it and
 * sees the empty state. axe finds nothing on the page.
 */
import type { DbHandle } from '@lexforum/db';
import type { App } from '@lexforum/server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeViolations, runAxe, settled } from '../helpers/a11y.js';
import {
  addPeople,
  chromiumAvailable,
  forumClient,
  launchChromium,
  scenario,
  screenshot,
  signIn,
  startForum,
  watchForProblems,
} from '../helpers/browser.js';
import { threadBody } from '../helpers/threads.js';

const available = chromiumAvailable();

const PASSWORD = 'ledger harbour evidence 2051';
const CLAIRE = { email: 'claire.martin@justice.example', name: 'Claire Martin', code: 'FR', role: 'member' } as const;
const OTIENO = { email: 'otieno.were@judiciary.example', name: 'Otieno Were', code: 'KE', role: 'member' } as const;
const TITLE = 'Confiscation of proceeds from counterfeit tobacco';
const REPLY = 'The Court of Cassation allowed confiscation of the whole turnover in 2021.';

describe.runIf(available)('Bookmarks in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let browser: Browser;
  let origin: string;
  let threadUrl: string;

  beforeAll(async () => {
    ({ app, handle, origin } = await startForum());
    await addPeople(handle, [CLAIRE, OTIENO], PASSWORD);
    const { cookieOf, api } = forumClient(origin, PASSWORD);
    const claire = await cookieOf(CLAIRE.email);
    const created = await api(claire, 'POST', '/api/threads', threadBody('discussion', { title: TITLE }));
    const threadId = (created['thread'] as { id: string }).id;
    await api(claire, 'POST', `/api/threads/${threadId}/posts`, { body: REPLY });
    threadUrl = `${origin}/threads/${threadId}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    handle?.close();
  });

  it('saves a reply with a note and a reminder, lists it, edits and removes it', async () => {
    // bypassCSP: axe is injected as an inline script (helpers/a11y.ts).
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    await scenario('bookmarks', [context], async () => {
      const page = await context.newPage();
      const problems = watchForProblems(page);
      await signIn(page, origin, OTIENO.email, PASSWORD);
      await page.goto(threadUrl);
      const reply = page.getByRole('article').filter({ hasText: REPLY });
      await expect.poll(() => reply.isVisible(), { timeout: 10_000 }).toBe(true);
      await reply.getByRole('button', { name: `Bookmark the post by ${CLAIRE.name}` }).click();
      const dialog = page.getByRole('dialog', { name: 'Bookmark this post' });
      await dialog.getByLabel('Note (only you see it)').fill('Cite in the Mombasa appeal.');
      const tomorrow = new Date(Date.now() + 86_400_000);
      const pad = (n: number) => String(n).padStart(2, '0');
      await dialog
        .getByLabel('Remind me on')
        .fill(`${tomorrow.getFullYear()}-${pad(tomorrow.getMonth() + 1)}-${pad(tomorrow.getDate())}T09:30`);
      await dialog.getByRole('button', { name: 'Save bookmark' }).click();
      await expect.poll(() => dialog.isVisible()).toBe(false);
      await expect.poll(() => reply.getByRole('button', { name: /^Bookmarked/ }).isVisible()).toBe(true);

      // From the account menu to the bookmarks page.
      await page.getByRole('button', { name: new RegExp(OTIENO.name) }).click();
      await page.getByRole('link', { name: 'Bookmarks' }).click();
      await expect
        .poll(() => page.getByRole('heading', { name: 'Bookmarks', level: 1 }).isVisible(), { timeout: 10_000 })
        .toBe(true);
      const item = page.getByRole('listitem').filter({ hasText: TITLE });
      await expect.poll(() => item.textContent()).toContain('Cite in the Mombasa appeal.');
      expect(await item.textContent()).toContain(REPLY);
      expect(await item.textContent()).toContain('Reminder:');
      await settled(page);
      expect(describeViolations('bookmarks page', await runAxe(page))).toEqual([]);
      await screenshot(page, 'bookmarks-page');

      await item.getByRole('button', { name: 'Edit' }).click();
      const edit = page.getByRole('dialog', { name: 'Your bookmark' });
      await edit.getByLabel('Note (only you see it)').fill('Cited in the appeal brief.');
      await edit.getByRole('button', { name: 'Save bookmark' }).click();
      await expect.poll(() => item.textContent()).toContain('Cited in the appeal brief.');

      await item.getByRole('button', { name: 'Remove bookmark' }).click();
      await expect.poll(() => page.getByText('No bookmarks yet').isVisible()).toBe(true);
      expect(problems).toEqual([]);
    });
  }, 90_000);
});

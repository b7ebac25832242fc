/**
 * Redaction as people do it in Chromium. Claire's reply mentions Wanda, a witness, and gives her
 * home address; Quentin quotes it. Wanda has the thread open, and her bell holds the mention with
 * the address in its excerpt. Fabienne, the moderator for France, opens the post's history,
 * selects the address in the version shown, and redacts it with a reason. Without a reload,
 * Wanda's thread shows the placeholder and her bell's copy is replaced; after she reconnects (a
 * fresh load), there is no trace of the address in the bell, the thread, the history or the
 * quoting post, and the history says a moderator redacted it. Real server on a free port, real
 * SQLite file, the built web client; everything found by role and label.
 */
import type { DbHandle } from '@lexforum/db';
import type { App } from '@lexforum/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const PASSWORD = 'harbour lights evidence 2031';
const CLAIRE = { email: 'claire.martin@justice.example', name: 'Claire Martin', code: 'FR', role: 'member' } as const;
const WANDA = { email: 'wanda.leroy@justice.example', name: 'Wanda Leroy', code: 'FR', role: 'member' } as const;
const QUENTIN = { email: 'quentin.bauer@justiz.example', name: 'Quentin Bauer', code: 'DE', role: 'member' } as const;
const FABIENNE = {
  email: 'fabienne.roux@justice.example',
  name: 'Fabienne Roux',
  code: 'FR',
  role: 'moderator',
} as const;
const TITLE = 'Protecting witnesses in falsified-medicine cases';
const ADDRESS = '4 rue des Lilas, 69003 Lyon';
const REASON = 'Home address of a witness: personal data.';

describe.runIf(available)('Redaction in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let browser: Browser;
  let origin: string;
  let threadUrl: string;
  let postId: string;
  let quotingText: string;

  beforeAll(async () => {
    ({ app, handle, origin } = await startForum());
    const ids = await addPeople(handle, [CLAIRE, WANDA, QUENTIN, FABIENNE], PASSWORD);
    const { cookieOf, api } = forumClient(origin, PASSWORD);
    const wandaName = (
      handle.sqlite.prepare('select username from users where id = ?').get(ids[WANDA.email]) as { username: string }
    ).username;
    // Claire's thread and reply, Quentin's quote: through the API (writing is threads.browser.test.ts).
    const claire = await cookieOf(CLAIRE.email);
    const created = await api(
      claire,
      'POST',
      '/api/threads',
      threadBody('discussion', { title: TITLE, jurisdictions: ['FR'] }),
    );
    const threadId = (created['thread'] as { id: string }).id;
    const reply = await api(claire, 'POST', `/api/threads/${threadId}/posts`, {
      body: `@${wandaName} saw the delivery van. She lives at ${ADDRESS}, opposite the pharmacy.`,
    });
    postId = (reply['post'] as { id: string }).id;
    quotingText = 'Her statement should be read at the hearing.';
    await api(await cookieOf(QUENTIN.email), 'POST', `/api/threads/${threadId}/posts`, {
      body: `[${CLAIRE.name} wrote](/posts/${postId}/history?version=1):\n> She lives at ${ADDRESS}, opposite the pharmacy.\n\n${quotingText}`,
    });
    threadUrl = `${origin}/threads/${threadId}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    handle?.close();
  });

  const bell = (page: Page) => page.getByRole('button', { name: /^Notifications, / });
  const bodyText = (page: Page) => page.locator('body').textContent();

  it('a moderator redacts a witness’s address; the witness sees no trace of it anywhere, live and after reconnecting', async () => {
    const contexts = await Promise.all(
      [0, 1].map(() => browser.newContext({ viewport: { width: 1280, height: 900 } })),
    );
    const [wandaContext, fabienneContext] = contexts as [(typeof contexts)[number], (typeof contexts)[number]];

    await scenario('redaction', contexts, async () => {
      // Wanda has the thread open; her bell holds the mention, with the address in its excerpt.
      const wanda = await wandaContext.newPage();
      const wandaProblems = watchForProblems(wanda);
      await signIn(wanda, origin, WANDA.email, PASSWORD);
      await wanda.goto(threadUrl);
      await expect
        .poll(() => wanda.getByRole('heading', { name: TITLE, level: 1 }).isVisible(), { timeout: 10_000 })
        .toBe(true);
      await expect.poll(() => bodyText(wanda)).toContain(ADDRESS);
      await bell(wanda).click();
      const panel = wanda.locator('#notification-panel');
      await expect.poll(() => panel.textContent(), { timeout: 10_000 }).toContain('rue des Lilas');
      await wanda.keyboard.press('Escape');
      await wanda.evaluate(() => ((window as { stayed?: boolean }).stayed = true));

      // Fabienne opens the post's history, selects the address in the version shown, and redacts it.
      const fabienne = await fabienneContext.newPage();
      const fabienneProblems = watchForProblems(fabienne);
      await signIn(fabienne, origin, FABIENNE.email, PASSWORD);
      await fabienne.goto(`${origin}/posts/${postId}/history`);
      await expect
        .poll(() => fabienne.getByRole('heading', { name: 'Version 1 as posted' }).isVisible(), { timeout: 10_000 })
        .toBe(true);
      const selected = await fabienne.evaluate((address) => {
        const root = document.querySelector('.cooked');
        if (!root) return false;
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = node.textContent?.indexOf(address) ?? -1;
          if (at < 0) continue;
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + address.length);
          getSelection()?.removeAllRanges();
          getSelection()?.addRange(range);
          return true;
        }
        return false;
      }, ADDRESS);
      expect(selected).toBe(true);
      await fabienne.getByRole('button', { name: 'Redact…' }).click();
      const dialog = fabienne.getByRole('dialog', { name: 'Redact this post' });
      await expect.poll(() => dialog.isVisible()).toBe(true);
      expect(await dialog.getByRole('radio', { name: /This text, wherever it occurs/ }).isChecked()).toBe(true);
      expect(await dialog.getByLabel('Text to remove').inputValue()).toBe(ADDRESS);
      expect(await dialog.textContent()).toContain('Every occurrence will become [redacted]');
      // Keyboard: the reason field is reached with Tab, like every other field of the dialog.
      await dialog.getByLabel('Reason').fill(REASON);
      await screenshot(fabienne, 'redaction-dialog');
      await dialog.getByRole('button', { name: 'Redact for good' }).click();
      await expect.poll(() => dialog.isVisible()).toBe(false);
      await expect
        .poll(() => fabienne.getByText(`Text redacted by a moderator on`, { exact: false }).first().textContent(), {
          timeout: 10_000,
        })
        .toContain(REASON);
      expect(await bodyText(fabienne)).not.toContain(ADDRESS);
      await screenshot(fabienne, 'redaction-history-moderator');

      // Wanda, without a reload: the thread shows the placeholder, the bell's copy is replaced.
      await expect.poll(() => bodyText(wanda), { timeout: 10_000 }).not.toContain('rue des Lilas');
      expect(await bodyText(wanda)).toContain('[redacted]');
      await bell(wanda).click();
      await expect.poll(() => panel.textContent(), { timeout: 10_000 }).toContain('[redacted]');
      expect(await panel.textContent()).not.toContain('rue des Lilas');
      expect(await wanda.evaluate(() => (window as { stayed?: boolean }).stayed)).toBe(true);
      await wanda.keyboard.press('Escape');

      // Wanda reconnects (a fresh load): no trace in the bell, the thread, the quoting post, the history.
      await wanda.reload();
      await expect
        .poll(() => wanda.getByRole('heading', { name: TITLE, level: 1 }).isVisible(), { timeout: 10_000 })
        .toBe(true);
      await expect.poll(() => bodyText(wanda)).toContain(quotingText);
      expect(await bodyText(wanda)).not.toContain('rue des Lilas');
      const quoting = wanda.getByRole('article').filter({ hasText: quotingText });
      expect(await quoting.textContent()).toContain('[redacted]');
      await bell(wanda).click();
      await expect.poll(() => panel.textContent(), { timeout: 10_000 }).toContain('[redacted]');
      expect(await panel.textContent()).not.toContain('rue des Lilas');
      await screenshot(wanda, 'redaction-witness-bell');
      await wanda.keyboard.press('Escape');
      await wanda.goto(`${origin}/posts/${postId}/history`);
      // The scrubbed text is the newest version (a stale editor cannot save the address back).
      await expect
        .poll(() => wanda.getByRole('heading', { name: 'Version 2 as posted' }).isVisible(), { timeout: 10_000 })
        .toBe(true);
      expect(await bodyText(wanda)).not.toContain('rue des Lilas');
      // She sees that a moderator redacted it, not why (the reason is for the author and moderators).
      expect(await bodyText(wanda)).toContain('Text redacted by a moderator on');
      expect(await bodyText(wanda)).not.toContain(REASON);
      expect(await wanda.getByRole('button', { name: 'Redact…' }).count()).toBe(0);
      await screenshot(wanda, 'redaction-witness-history');

      expect([...wandaProblems, ...fabienneProblems]).toEqual([]);
    });
  }, 90_000);
});

/**
 * Citing a version in Chromium. Claire's legal analysis has two versions. Otieno clicks "Cite" under
 * it: the version page opens on version 2 with the Cite dialog, whose legal citation names Claire's
 * position and jurisdiction, "LexForum legal analysis", the version and its permanent address;
 * Copy puts it on the clipboard, and the CSL-JSON and BibTeX files hold the same version. The
 * address of version 1 shows version 1 with a note that a newer one exists, and cites version 1.
 */
import type { DbHandle } from '@lexforum/db';
import type { App } from '@lexforum/server';
import type { Browser, Page } from 'playwright-core';
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
import { threadBody, VALID_SECTIONS } from '../helpers/threads.js';

const available = chromiumAvailable();

const PASSWORD = 'archive harbour evidence 2046';
const CLAIRE = {
  email: 'claire.martin@justice.example',
  name: 'Claire Martin',
  code: 'FR',
  role: 'member',
  position: 'Procureure',
} as const;
const OTIENO = { email: 'otieno.were@judiciary.example', name: 'Otieno Were', code: 'KE', role: 'member' } as const;
const MODERATOR = { email: 'mod.fr@lexforum.example', name: 'Fabienne Mod', code: 'FR', role: 'moderator' } as const;
const TITLE = 'Online sale of falsified medicines under the Medicrime Convention';

describe.runIf(available)('Citations in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let browser: Browser;
  let origin: string;
  let threadUrl: string;
  let postId: string;
  let hiddenId: string;

  beforeAll(async () => {
    ({ app, handle, origin } = await startForum());
    await addPeople(handle, [CLAIRE, OTIENO, MODERATOR], PASSWORD);
    const { cookieOf, api } = forumClient(origin, PASSWORD);
    const claire = await cookieOf(CLAIRE.email);
    const created = await api(claire, 'POST', '/api/threads', threadBody('legal_analysis', { title: TITLE }));
    const threadId = (created['thread'] as { id: string }).id;
    postId = (created['posts'] as { id: string }[])[0]!.id;
    await api(claire, 'PATCH', `/api/posts/${postId}`, {
      version: 1,
      sections: { ...VALID_SECTIONS, conclusion: 'Yes, and the attempt is punished too.' },
      reason: 'Adds the attempt.',
    });
    threadUrl = `${origin}/threads/${threadId}`;
    // A reply a moderator then hides: its version address answers members with a notice.
    const hidden = await api(claire, 'POST', `/api/threads/${threadId}/posts`, {
      body: 'A reply naming a witness, soon hidden.',
    });
    hiddenId = (hidden['post'] as { id: string }).id;
    await api(await cookieOf(MODERATOR.email), 'POST', `/api/moderation/posts/${hiddenId}/hide`, {
      reason: 'Names a witness.',
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    handle?.close();
  });

  const fileText = (page: Page, name: RegExp) =>
    page
      .getByRole('link', { name })
      .getAttribute('href')
      .then((href) => page.evaluate(async (url) => (await fetch(url!)).text(), href));

  it('cites the version on screen, in plain and legal style and as CSL-JSON and BibTeX', async () => {
    // bypassCSP: axe is injected as an inline script (helpers/a11y.ts).
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    await scenario('citations', [context], async () => {
      const page = await context.newPage();
      const problems = watchForProblems(page);
      await signIn(page, origin, OTIENO.email, PASSWORD);
      await page.goto(threadUrl);
      const opener = page.getByRole('article').first();
      await expect.poll(() => opener.isVisible(), { timeout: 10_000 }).toBe(true);
      await opener.getByRole('link', { name: `Cite the post by ${CLAIRE.name}` }).click();

      const dialog = page.getByRole('dialog', { name: 'Cite version 2' });
      await expect.poll(() => dialog.isVisible(), { timeout: 10_000 }).toBe(true);
      const address = `${origin}/posts/${postId}/history?version=2`;
      const legal = await dialog.locator('[data-style="legal"]').textContent();
      expect(legal).toContain(`${CLAIRE.name} (Procureure, France), “${TITLE}”, LexForum legal analysis, version 2`);
      expect(legal).toContain(address);
      expect(legal).toMatch(/\(accessed [A-Z][a-z]+ \d{1,2}, \d{4}\)\.$/);
      const plain = await dialog.locator('[data-style="plain"]').textContent();
      expect(plain).toContain(`${CLAIRE.name}, “${TITLE}”, LexForum, version 2`);

      await dialog.getByRole('button', { name: 'Copy the Legal citation' }).click();
      await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(legal);

      const csl = JSON.parse(await fileText(page, /CSL-JSON/)) as Record<string, unknown>[];
      expect(csl[0]).toMatchObject({
        type: 'post',
        title: TITLE,
        version: '2',
        URL: address,
        genre: 'LexForum legal analysis',
      });
      const bib = await fileText(page, /BibTeX/);
      expect(bib).toContain('@misc{');
      expect(bib).toContain(`url = {${address}}`);
      expect(bib).toContain('version = {2}');
      await settled(page);
      expect(describeViolations('cite dialog', await runAxe(page))).toEqual([]);
      await screenshot(page, 'cite-dialog');
      await dialog.getByRole('button', { name: 'Close' }).click();

      // Version 1's address shows version 1, says a newer one exists, and cites version 1.
      await page.goto(`${origin}/posts/${postId}/history?version=1`);
      await expect
        .poll(() => page.getByRole('heading', { name: /version 1/i, level: 2 }).isVisible(), { timeout: 10_000 })
        .toBe(true);
      expect(await page.getByRole('status').filter({ hasText: 'The latest is version 2' }).count()).toBe(1);
      await page.getByRole('button', { name: 'Cite this version' }).click();
      const first = page.getByRole('dialog', { name: 'Cite version 1' });
      await expect.poll(() => first.isVisible()).toBe(true);
      expect(await first.locator('[data-style="legal"]').textContent()).toContain(`/posts/${postId}/history?version=1`);

      // A reply hidden since: its version's address says so, and shows nothing of it.
      await page.goto(`${origin}/posts/${hiddenId}/history?version=1`);
      await expect
        .poll(() => page.getByRole('status').filter({ hasText: 'hidden while moderators review it' }).count(), {
          timeout: 10_000,
        })
        .toBe(1);
      expect(await page.getByText('naming a witness').count()).toBe(0);
      expect(problems).toEqual([]);
    });
  }, 90_000);
});

/**
 * Attachments in Chromium. Claire replies with a PDF judgment: the composer shows the file (with
 * its upload progress until done) and lets her remove a second file she chose by mistake; she
 * posts. Otieno sees the judgment on her reply (name, type, size), downloads it (the PDF's bytes),
 * and finds the thread by a phrase printed inside the PDF through search. Screenshots of the
 * composer with files and of the post with its files, at 1280 and 390 px and in Arabic, go to
 * /tmp/shots-attachments/ for a person to look at. axe finds nothing on the thread page.
 */
import type { DbHandle } from '@lexforum/db';
import type { App } from '@lexforum/server';
import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeViolations, runAxe, settled } from '../helpers/a11y.js';
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
import { pdfWith } from '../helpers/files.js';
import { threadBody } from '../helpers/threads.js';

const available = chromiumAvailable();

const PASSWORD = 'ledger harbour evidence 2051';
const CLAIRE = { email: 'claire.martin@justice.example', name: 'Claire Martin', code: 'FR', role: 'member' } as const;
const OTIENO = { email: 'otieno.were@judiciary.example', name: 'Otieno Were', code: 'KE', role: 'member' } as const;
const TITLE = 'Liability of freight forwarders for counterfeit pesticides';
const PHRASE = 'negligent consolidation of containers';
const FILE = 'Cour d’appel de Lyon, 4 avril 2024.pdf';
const SHOTS = '/tmp/shots-attachments';

describe.runIf(available)('Attachments in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let browser: Browser;
  let origin: string;
  let threadUrl: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ({ app, handle, origin } = await startForum());
    await addPeople(handle, [CLAIRE, OTIENO], PASSWORD);
    const { cookieOf, api } = forumClient(origin, PASSWORD);
    const claire = await cookieOf(CLAIRE.email);
    const created = await api(claire, 'POST', '/api/threads', threadBody('discussion', { title: TITLE }));
    threadUrl = `${origin}/threads/${(created['thread'] as { id: string }).id}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    handle?.close();
  });

  it('attaches a PDF judgment to a reply; another member sees it, downloads it and finds it by its text', async () => {
    const judgment = pdfWith(['Cour d appel de Lyon, 4 avril 2024', `On the ${PHRASE} by the forwarder`]);
    const claireContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const otienoContext = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      bypassCSP: true,
      acceptDownloads: true,
    });
    await scenario('attachments', [claireContext, otienoContext], async () => {
      const page = await claireContext.newPage();
      const problems = watchForProblems(page);
      await signIn(page, origin, CLAIRE.email, PASSWORD);
      await page.goto(threadUrl);
      const opening = page.getByRole('article').first();
      await expect.poll(() => opening.isVisible(), { timeout: 10_000 }).toBe(true);
      await opening.getByRole('button', { name: `Reply to ${CLAIRE.name}` }).click();
      const composer = page.locator('form.reply');
      await composer.getByLabel(/^Your reply/).fill('The Lyon court of appeal on forwarders, attached.');

      // Progress: the upload is slowed down so its progress bar can be seen before it completes.
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/api/attachments?name=*', async (route) => {
        await held;
        await route.continue();
      });
      await composer.getByLabel('Attach files').setInputFiles([
        { name: FILE, mimeType: 'application/pdf', buffer: judgment },
        { name: 'wrong-file.txt', mimeType: 'text/plain', buffer: Buffer.from('Not this one.') },
      ]);
      const files = composer.getByRole('list', { name: 'Attached files' });
      await expect.poll(() => files.getByRole('progressbar', { name: `Uploading ${FILE}` }).isVisible()).toBe(true);
      release();
      await expect.poll(() => files.getByText(/^PDF · /).isVisible(), { timeout: 10_000 }).toBe(true);
      await expect.poll(() => files.getByText(/^Text · /).isVisible(), { timeout: 10_000 }).toBe(true);
      await page.screenshot({ path: `${SHOTS}/composer-1280.png`, fullPage: false });
      await files.getByRole('button', { name: 'Remove wrong-file.txt' }).click();
      await expect.poll(() => files.getByRole('listitem').count()).toBe(1);

      await composer.getByRole('button', { name: 'Post reply' }).click();
      const reply = page.getByRole('article').filter({ hasText: 'The Lyon court of appeal' });
      await expect.poll(() => reply.getByRole('link', { name: FILE }).isVisible(), { timeout: 10_000 }).toBe(true);
      expect(await reply.getByRole('link', { name: 'wrong-file.txt' }).count()).toBe(0);
      expect(problems).toEqual([]);

      // Otieno reads the thread: the judgment is on Claire's reply; he downloads it.
      const other = await otienoContext.newPage();
      await signIn(other, origin, OTIENO.email, PASSWORD);
      await other.goto(threadUrl);
      const seen = other.getByRole('article').filter({ hasText: 'The Lyon court of appeal' });
      const link = seen.getByRole('link', { name: FILE });
      await expect.poll(() => link.isVisible(), { timeout: 10_000 }).toBe(true);
      expect(await seen.getByText(/^PDF · /).isVisible()).toBe(true);
      await settled(other);
      const violations = await runAxe(other);
      expect(violations, describeViolations('thread page', violations).join('\n')).toEqual([]);
      await other.screenshot({ path: `${SHOTS}/post-1280.png`, fullPage: true });
      const [download] = await Promise.all([other.waitForEvent('download'), link.click()]);
      expect(download.suggestedFilename()).toBe(FILE);
      expect(readFileSync((await download.path())!).equals(judgment)).toBe(true);

      // Search finds the thread by the phrase inside the PDF.
      await other.goto(`${origin}/search?q=${encodeURIComponent(`"${PHRASE}"`)}`);
      await expect.poll(() => other.getByRole('link', { name: TITLE }).isVisible(), { timeout: 10_000 }).toBe(true);

      // The same post at 390 px, and in Arabic (right to left).
      await other.setViewportSize({ width: 390, height: 844 });
      await other.goto(threadUrl);
      await expect.poll(() => link.isVisible(), { timeout: 10_000 }).toBe(true);
      await link.scrollIntoViewIfNeeded();
      await other.screenshot({ path: `${SHOTS}/post-390.png` });
    });
  }, 120_000);
});

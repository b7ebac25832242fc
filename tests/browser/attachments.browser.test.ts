/**
 * Attachments in Chromium. Claire replies with a PDF judgment: the composer shows the file (with
 * its upload progress until done) and lets her remove a second file she chose by mistake; she
 * posts. Otieno sees the judgment on her reply (name, type, size), downloads it (the PDF's bytes),
 * and finds the thread by a phrase printed inside the PDF through search. Screenshots of the
 * composer with files and of the post with its files, at 1280 and 390 px and in Arabic, go to
 * /tmp/shots-attachments/ for a person to look at. axe finds nothing on the thread page.
 *
 * Claire then starts a thread with a judgment and an annex attached, and edits its opening post to
 * take the annex off and attach a correction: Otieno, reading the thread, sees the files change
 * without reloading; a moderator editing her post may only take a file off, with a reason (audited,
 * seen live). Otieno, placed under review, is told files come once his posts are approved,
 * and loses nothing of his thread. Screenshots of the new-thread composer and of the post editor
 * with files, at 1280 and 390 px, go to test-results/.
 */
import type { DbHandle } from '@lexforum/db';
import type { App } from '@lexforum/server';
import { mkdirSync, readFileSync } from 'node:fs';
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
import { pdfWith } from '../helpers/files.js';
import { threadBody } from '../helpers/threads.js';

const available = chromiumAvailable();

const PASSWORD = 'ledger harbour evidence 2051';
const CLAIRE = { email: 'claire.martin@justice.example', name: 'Claire Martin', code: 'FR', role: 'member' } as const;
const OTIENO = { email: 'otieno.were@judiciary.example', name: 'Otieno Were', code: 'KE', role: 'member' } as const;
const MODERATOR = {
  email: 'helene.roux@justice.example',
  name: 'Hélène Roux',
  code: 'FR',
  role: 'moderator',
} as const;
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
  let ids: Record<string, string>;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ({ app, handle, origin } = await startForum());
    ids = await addPeople(handle, [CLAIRE, OTIENO, MODERATOR], PASSWORD);
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

      // The same post at 390 px, and in Arabic (right to left): the file's link keeps its name.
      await other.setViewportSize({ width: 390, height: 844 });
      const arabic = await other.evaluate(async () => {
        const res = await fetch('/api/account/locale', {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ locale: 'ar' }),
        });
        return res.status;
      });
      expect(arabic).toBe(200);
      await other.goto(threadUrl);
      await expect.poll(() => other.evaluate(() => document.documentElement.dir), { timeout: 10_000 }).toBe('rtl');
      await expect.poll(() => link.isVisible(), { timeout: 10_000 }).toBe(true);
      await settled(other);
      const rtl = await runAxe(other);
      expect(rtl, describeViolations('thread page in Arabic', rtl).join('\n')).toEqual([]);
      await link.scrollIntoViewIfNeeded();
      await other.screenshot({ path: `${SHOTS}/post-390-ar.png` });
      // Back to English: the next scenario reads Otieno's screens in English.
      await other.evaluate(() =>
        fetch('/api/account/locale', {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ locale: 'en' }),
        }),
      );
    });
  }, 120_000);

  /** Fills in a discussion in the new-thread composer (title, France, a topic, the text). */
  async function fillNewThread(page: Page, title: string, body: string): Promise<void> {
    await page.goto(`${origin}/threads/new`);
    const titleField = page.getByLabel('Title', { exact: true });
    await expect.poll(() => titleField.isVisible(), { timeout: 10_000 }).toBe(true);
    await titleField.fill(title);
    await page.getByRole('combobox', { name: 'Jurisdictions', exact: true }).fill('France');
    await page.getByRole('option', { name: /^France/ }).click();
    await page.getByRole('combobox', { name: 'Topics', exact: true }).fill('falsified');
    await page.getByRole('option', { name: /falsified medical products/ }).click();
    await page.getByLabel('Post', { exact: true }).fill(body);
  }

  it('starts a thread with files, edits them (one off, one on) seen live by a reader; a member under review is told files wait', async () => {
    const judgment = pdfWith(['Tribunal judiciaire de Marseille, 12 mars 2025']);
    const title = 'Seizure of falsified insulin pens in transit through Marseille';
    const claireContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const otienoContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const moderatorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await scenario('attachments-thread-edit', [claireContext, otienoContext, moderatorContext], async () => {
      const page = await claireContext.newPage();
      const problems = watchForProblems(page);
      await signIn(page, origin, CLAIRE.email, PASSWORD);
      await fillNewThread(page, title, 'The Marseille judgment and its annex are attached.');
      const form = page.locator('form.form');
      await form.getByLabel('Attach files').setInputFiles([
        { name: 'Marseille judgment.pdf', mimeType: 'application/pdf', buffer: judgment },
        { name: 'annex.txt', mimeType: 'text/plain', buffer: Buffer.from('Annex: the seizure report.') },
      ]);
      const chosen = form.getByRole('list', { name: 'Attached files' });
      await expect.poll(() => chosen.getByText(/^PDF · /).isVisible(), { timeout: 10_000 }).toBe(true);
      await expect.poll(() => chosen.getByText(/^Text · /).isVisible(), { timeout: 10_000 }).toBe(true);
      await chosen.scrollIntoViewIfNeeded();
      await screenshot(page, 'attachments-new-thread-1280');
      await page.setViewportSize({ width: 390, height: 844 });
      await chosen.scrollIntoViewIfNeeded();
      await screenshot(page, 'attachments-new-thread-390');
      await page.setViewportSize({ width: 1280, height: 900 });
      await form.getByRole('button', { name: 'Post thread' }).click();
      const opening = page.getByRole('article').first();
      const judgmentLink = opening.getByRole('link', { name: 'Marseille judgment.pdf', exact: true });
      await expect.poll(() => judgmentLink.isVisible(), { timeout: 10_000 }).toBe(true);
      expect(await opening.getByRole('link', { name: 'annex.txt', exact: true }).isVisible()).toBe(true);
      const url = page.url();

      // Otieno reads the new thread: both files are on its opening post.
      const other = await otienoContext.newPage();
      await signIn(other, origin, OTIENO.email, PASSWORD);
      await other.goto(url);
      const seen = other.getByRole('article').first();
      const annexSeen = seen.getByRole('link', { name: 'annex.txt', exact: true });
      await expect.poll(() => annexSeen.isVisible(), { timeout: 10_000 }).toBe(true);

      // Claire edits the opening post's files only: the annex off (from the keyboard), a correction on.
      await opening.getByRole('button', { name: 'Edit', exact: true }).click();
      const editor = page.getByRole('form', { name: 'Edit' });
      const files = editor.getByRole('list', { name: 'Attached files' });
      await expect.poll(() => files.getByRole('listitem').count(), { timeout: 10_000 }).toBe(2);
      await files.getByRole('button', { name: 'Remove annex.txt', exact: true }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => files.getByRole('listitem').count()).toBe(1);
      await editor
        .getByLabel('Attach files')
        .setInputFiles([
          { name: 'correction.txt', mimeType: 'text/plain', buffer: Buffer.from('Correction: 12 March, not 13.') },
        ]);
      await expect.poll(() => files.getByText(/^Text · /).isVisible(), { timeout: 10_000 }).toBe(true);
      await screenshot(page, 'attachments-post-editor-1280');
      await page.setViewportSize({ width: 390, height: 844 });
      await files.scrollIntoViewIfNeeded();
      await screenshot(page, 'attachments-post-editor-390');
      await page.setViewportSize({ width: 1280, height: 900 });
      await editor.getByRole('button', { name: 'Save changes' }).click();
      const correction = opening.getByRole('link', { name: 'correction.txt', exact: true });
      await expect.poll(() => correction.isVisible(), { timeout: 10_000 }).toBe(true);
      expect(await opening.getByRole('link', { name: 'annex.txt', exact: true }).count()).toBe(0);

      // Otieno sees the change without reloading, in order: the judgment, then the correction.
      const correctionSeen = seen.getByRole('link', { name: 'correction.txt', exact: true });
      await expect.poll(() => correctionSeen.isVisible()).toBe(true);
      expect(await annexSeen.count()).toBe(0);
      expect(await seen.getByRole('region', { name: 'Attached files' }).getByRole('link').allTextContents()).toEqual([
        'Marseille judgment.pdf',
        'correction.txt',
      ]);
      expect(problems).toEqual([]);

      // A moderator editing Claire's post may take a file off (with a reason), not add one.
      const moderator = await moderatorContext.newPage();
      await signIn(moderator, origin, MODERATOR.email, PASSWORD);
      await moderator.goto(url);
      const theirs = moderator.getByRole('article').first();
      const menu = theirs.getByRole('button', { name: 'Moderate post #1', exact: true });
      await expect.poll(() => menu.isVisible(), { timeout: 10_000 }).toBe(true);
      await menu.click();
      await theirs.getByRole('button', { name: 'Edit', exact: true }).click();
      const modEditor = moderator.getByRole('form', { name: 'Edit' });
      const note = modEditor.getByText('only its author adds files');
      await expect.poll(() => note.isVisible(), { timeout: 10_000 }).toBe(true);
      expect(await modEditor.getByLabel('Attach files').count()).toBe(0);
      await modEditor.getByRole('button', { name: 'Remove correction.txt' }).click();
      await modEditor.getByLabel(/Reason for the edit/).fill('The correction names a witness.');
      await modEditor.getByRole('button', { name: 'Save changes' }).click();
      // Otieno sees it go, live.
      await expect.poll(() => correctionSeen.count(), { timeout: 10_000 }).toBe(0);
      expect(await seen.getByRole('region', { name: 'Attached files' }).getByRole('link').allTextContents()).toEqual([
        'Marseille judgment.pdf',
      ]);
      const audited = handle.sqlite
        .prepare("select action, reason from audit_log where action = 'post.edit' order by id desc limit 1")
        .get() as { action: string; reason: string };
      expect(audited).toEqual({ action: 'post.edit', reason: 'The correction names a witness.' });

      // Otieno, placed under review, starts a thread with a file: refused with the reason; nothing is lost.
      handle.sqlite.prepare('update users set under_review = 1 where id = ?').run(ids[OTIENO.email]);
      try {
        await fillNewThread(other, 'Falsified insulin in Mombasa', 'A Kenyan view on the Marseille seizure.');
        const mine = other.locator('form.form');
        await mine
          .getByLabel('Attach files')
          .setInputFiles([{ name: 'mombasa.txt', mimeType: 'text/plain', buffer: Buffer.from('Mombasa port notes.') }]);
        const list = mine.getByRole('list', { name: 'Attached files' });
        await expect.poll(() => list.getByText(/^Text · /).isVisible(), { timeout: 10_000 }).toBe(true);
        await mine.getByRole('button', { name: 'Post thread' }).click();
        const alert = mine.getByRole('alert').filter({ hasText: 'once your first posts are approved' });
        await expect.poll(() => alert.isVisible(), { timeout: 10_000 }).toBe(true);
        expect(await mine.getByText(/^Remove these files to send your post for review/).isVisible()).toBe(true);
        expect(await other.getByLabel('Title', { exact: true }).inputValue()).toBe('Falsified insulin in Mombasa');
        expect(await other.getByLabel('Post', { exact: true }).inputValue()).toBe(
          'A Kenyan view on the Marseille seizure.',
        );
        expect(await list.getByRole('listitem').count()).toBe(1);
        await screenshot(other, 'attachments-new-thread-held-1280');
        // Without the file it goes to review.
        await list.getByRole('button', { name: 'Remove mombasa.txt', exact: true }).click();
        await mine.getByRole('button', { name: 'Post thread' }).click();
        await expect.poll(() => other.url(), { timeout: 10_000 }).toMatch(/\/account\/submissions$/);
      } finally {
        handle.sqlite.prepare('update users set under_review = 0 where id = ?').run(ids[OTIENO.email]);
      }
    });
  }, 120_000);
});

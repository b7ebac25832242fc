/**
 * Moderation as people do it in Chromium. Claire's reply names a minor; Otieno reports it for
 * confidential data from the thread page; Fabienne, the moderator for France, finds it in her queue
 * (/moderation), opens it and hides it with a reason. Ana, who has the thread open, sees the hidden
 * notice in its place without a reload (and no longer the text); Claire's bell counts the notice,
 * and her post shows her the reason; the audit log page shows the entry. Real server on a free
 * port, real SQLite file, the built web client; everything found by role and label.
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
  signIn,
  startForum,
  watchForProblems,
} from '../helpers/browser.js';
import { threadBody } from '../helpers/threads.js';

const available = chromiumAvailable();

const PASSWORD = 'harbour lights evidence 2031';
const CLAIRE = { email: 'claire.martin@justice.example', name: 'Claire Martin', code: 'FR', role: 'member' } as const;
const OTIENO = { email: 'otieno.were@judiciary.example', name: 'Otieno Were', code: 'KE', role: 'member' } as const;
const ANA = { email: 'ana.silva@justice.example', name: 'Ana Silva', code: 'FR', role: 'member' } as const;
const FABIENNE = {
  email: 'fabienne.roux@justice.example',
  name: 'Fabienne Roux',
  code: 'FR',
  role: 'moderator',
} as const;
const ADMIN = { email: 'admin@lexforum.example', name: 'Forum Admin', code: 'FR', role: 'admin' } as const;
const TITLE = 'Sentencing minors for trafficking falsified medicines';
const SECRET = 'The accused, Jules Petitjean (16), of 4 rue des Lilas, admitted the sales.';
const REASON = 'Names a minor and his address: identifying details of a live case.';

describe.runIf(available)('Moderation in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let browser: Browser;
  let origin: string;
  let threadUrl: string;

  beforeAll(async () => {
    ({ app, handle, origin } = await startForum());
    await addPeople(handle, [CLAIRE, OTIENO, ANA, FABIENNE, ADMIN], PASSWORD);
    const { cookieOf, api } = forumClient(origin, PASSWORD);
    // The settings this scenario relies on, stated: no pre-moderation, two confidential reports to hide.
    await api(await cookieOf(ADMIN.email), 'PATCH', '/api/admin/settings', {
      premoderatedPosts: 0,
      confidentialReportsToHide: 2,
    });
    // Claire's thread and her reply, through the API (writing them in the browser is threads.browser.test.ts).
    const claire = await cookieOf(CLAIRE.email);
    const created = await api(
      claire,
      'POST',
      '/api/threads',
      threadBody('discussion', { title: TITLE, jurisdictions: ['FR'] }),
    );
    const threadId = (created['thread'] as { id: string }).id;
    await api(claire, 'POST', `/api/threads/${threadId}/posts`, { body: SECRET });
    threadUrl = `${origin}/threads/${threadId}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    handle?.close();
  });

  const bellName = (page: Page) => page.getByRole('button', { name: /^Notifications, / }).getAttribute('aria-label');
  /** Claire's reply in the thread page: the article that holds (or held) the text. */
  const replyIn = (page: Page) => page.getByRole('article').nth(1);

  it('a report for confidential data reaches the moderator, who hides the post; the reader sees it go live, the author sees why, the audit log has it', async () => {
    const contexts = await Promise.all(
      [0, 1, 2, 3].map(() => browser.newContext({ viewport: { width: 1280, height: 900 } })),
    );
    const [anaContext, otienoContext, fabienneContext, claireContext] = contexts as [
      (typeof contexts)[number],
      (typeof contexts)[number],
      (typeof contexts)[number],
      (typeof contexts)[number],
    ];

    await scenario('moderation', contexts, async () => {
      // Ana has the thread open, with Claire's reply in it.
      const ana = await anaContext.newPage();
      const anaProblems = watchForProblems(ana);
      await signIn(ana, origin, ANA.email, PASSWORD);
      await ana.goto(threadUrl);
      await expect.poll(() => ana.getByRole('heading', { name: TITLE, level: 1 }).isVisible()).toBe(true);
      await expect.poll(() => replyIn(ana).textContent()).toContain('Jules Petitjean');
      await ana.evaluate(() => ((window as { stayed?: boolean }).stayed = true));

      // Otieno reports the reply for confidential data.
      const otieno = await otienoContext.newPage();
      const otienoProblems = watchForProblems(otieno);
      await signIn(otieno, origin, OTIENO.email, PASSWORD);
      await otieno.goto(threadUrl);
      const target = otieno.getByRole('article').filter({ hasText: 'Jules Petitjean' });
      await target.getByRole('button', { name: `Report post by ${CLAIRE.name}` }).click();
      const dialog = otieno.getByRole('dialog', { name: 'Report this post' });
      await dialog.getByRole('radio', { name: /Confidential case information or personal data/ }).check();
      await dialog.getByLabel('Note for the moderators').fill('Name and address of a minor defendant.');
      await dialog.getByRole('button', { name: 'Send report' }).click();
      await expect.poll(() => otieno.getByRole('dialog', { name: 'Report sent' }).isVisible()).toBe(true);
      await otieno.getByRole('button', { name: 'Close' }).click();
      // One report does not hide it.
      await expect.poll(() => replyIn(ana).textContent()).toContain('Jules Petitjean');

      // Fabienne, moderator for France, finds it in her queue and hides it with a reason.
      const fabienne = await fabienneContext.newPage();
      const fabienneProblems = watchForProblems(fabienne);
      await signIn(fabienne, origin, FABIENNE.email, PASSWORD);
      await fabienne.goto(`${origin}/moderation`);
      await expect.poll(() => fabienne.getByRole('heading', { name: 'Moderation', level: 1 }).isVisible()).toBe(true);
      const queue = fabienne.getByRole('region', { name: 'Queue items' });
      const row = queue.getByRole('link', { name: new RegExp(TITLE) });
      await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
      await row.click();
      await expect.poll(() => fabienne.url()).toMatch(/\/moderation\/\d+$/);
      const decision = fabienne.getByRole('region', { name: 'Decision' });
      await expect.poll(() => decision.isVisible()).toBe(true);
      await expect.poll(() => fabienne.getByText('Name and address of a minor defendant.').isVisible()).toBe(true);
      await decision.getByRole('radio', { name: /Hide the post/ }).check();
      await decision.getByLabel('Reason', { exact: false }).fill(REASON);
      await decision.getByRole('button', { name: 'Hide the post' }).click();
      await expect.poll(() => fabienne.getByText('The post is hidden.').first().isVisible()).toBe(true);

      // Ana's open thread: the notice takes the reply's place, without a reload.
      await expect
        .poll(() => replyIn(ana).textContent(), { timeout: 10_000 })
        .toContain('This post is hidden while moderators review it.');
      expect(await ana.locator('body').textContent()).not.toContain('Jules Petitjean');
      expect(await ana.locator('body').textContent()).not.toContain(REASON);
      expect(await ana.evaluate(() => (window as { stayed?: boolean }).stayed)).toBe(true);

      // Claire is told, and sees the reason on her post (marked hidden).
      const claire = await claireContext.newPage();
      const claireProblems = watchForProblems(claire);
      await signIn(claire, origin, CLAIRE.email, PASSWORD);
      await expect.poll(() => bellName(claire), { timeout: 10_000 }).toBe('Notifications, 1 unread');
      await claire.getByRole('button', { name: /^Notifications, / }).click();
      const panel = claire.getByRole('region', { name: 'Notifications' });
      // Her notification's own link: the panel's "See all" link is there before the list has loaded.
      await panel.getByRole('link', { name: /^A moderator hid your post/ }).click();
      await expect.poll(() => claire.url()).toContain(threadUrl.replace(origin, ''));
      const own = claire.getByRole('article').filter({ hasText: 'Jules Petitjean' });
      await expect.poll(() => own.textContent(), { timeout: 10_000 }).toContain(REASON);
      expect(await own.textContent()).toContain('Hidden');
      // The notifications page opened directly (a full load) lists the notice with its reason.
      await claire.goto(`${origin}/notifications`);
      await expect
        .poll(() => claire.getByRole('main').textContent(), { timeout: 10_000 })
        .toContain('A moderator hid your post');
      expect(await claire.getByRole('main').textContent()).toContain(REASON);

      // The audit log shows the entry, with its reason.
      await fabienne.goto(`${origin}/audit`);
      await expect.poll(() => fabienne.getByText(REASON).first().isVisible(), { timeout: 10_000 }).toBe(true);

      expect([...anaProblems, ...otienoProblems, ...fabienneProblems, ...claireProblems]).toEqual([]);
    });
    // Four people in four browser contexts: about 25 s on an idle 2-core machine, so more than
    // the suite's 30 s default when the machine is busy.
  }, 90_000);
});

/**
 * Real time, as two members see it in Chromium: Claire has her question open (a long one, so the
 * reply lands below the fold) and the forum home in a second tab; Otieno, in another browser
 * context, replies. Without a reload, Claire's thread page gets the reply (with the "1 new reply"
 * button) and the bell in both her tabs counts it; she opens the notification from the bell in
 * the first tab, which takes her to the reply, and the count falls in the second tab too. Real
 * server on a free port, real SQLite file, the built web client.
 */
import type { DbHandle } from '@lexforum/db';
import type { App } from '@lexforum/server';
import type { Browser, Page } from 'playwright-core';
import type { ThreadWithPosts } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addPeople,
  chromiumAvailable,
  forumClient,
  launchChromium,
  scenario,
  signIn as signInAs,
  startForum,
  watchForProblems,
} from '../helpers/browser.js';
import { threadBody } from '../helpers/threads.js';

const available = chromiumAvailable();

const PASSWORD = 'harbour lights evidence 2031';
const CLAIRE = { email: 'claire.martin@justice.example', name: 'Claire Martin', code: 'FR', role: 'member' } as const;
const OTIENO = { email: 'otieno.were@judiciary.example', name: 'Otieno Were', code: 'KE', role: 'member' } as const;
const TITLE = 'Test purchases online: is the evidence admissible in your courts?';
const REPLY = 'In Kenya the High Court admitted a test purchase made by a customs officer under cover.';
/** Long enough that a reply at the end starts below the first screen. */
const OPENING = Array.from(
  { length: 30 },
  (_, i) => `Paragraph ${i + 1}: our investigators bought falsified medicines from a marketplace seller.`,
).join('\n\n');

describe.runIf(available)('Real time in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let browser: Browser;
  let origin: string;
  let threadUrl: string;

  beforeAll(async () => {
    ({ app, handle, origin } = await startForum());
    await addPeople(handle, [CLAIRE, OTIENO], PASSWORD);
    // Claire's question, through the API (writing it in the browser is threads.browser.test.ts).
    const cookie = await forumClient(origin, PASSWORD).cookieOf(CLAIRE.email);
    const created = await fetch(`${origin}/api/threads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, cookie },
      body: JSON.stringify(threadBody('question', { title: TITLE, body: OPENING })),
    });
    const text = await created.text();
    expect(created.status, text).toBe(201);
    threadUrl = `${origin}/threads/${(JSON.parse(text) as { thread: { id: string } }).thread.id}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    handle?.close();
  });

  const bell = (page: Page) => page.getByRole('button', { name: /^Notifications, / });
  const bellName = (page: Page) => bell(page).getAttribute('aria-label');

  it("a reply reaches the open thread and the bell without a reload; opening it from the bell clears the other tab's count", async () => {
    const claireContext = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const otienoContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });

    await scenario('realtime', [claireContext, otienoContext], async () => {
      // Claire: the thread in one tab, the forum home in another; nothing unread yet.
      const thread = await claireContext.newPage();
      const problems = watchForProblems(thread);
      await signInAs(thread, origin, CLAIRE.email, PASSWORD);
      await thread.goto(threadUrl);
      await expect.poll(() => thread.getByRole('heading', { name: TITLE, level: 1 }).isVisible()).toBe(true);
      const home = await claireContext.newPage();
      const homeProblems = watchForProblems(home);
      await home.goto(`${origin}/`);
      for (const page of [thread, home]) await expect.poll(() => bellName(page)).toBe('Notifications, none unread');
      // Set on the pages' windows: still there at the end means neither tab was reloaded.
      for (const page of [thread, home]) await page.evaluate(() => ((window as { stayed?: boolean }).stayed = true));

      // Otieno replies to Claire's question in his own browser.
      const otieno = await otienoContext.newPage();
      await signInAs(otieno, origin, OTIENO.email, PASSWORD);
      await otieno.goto(threadUrl);
      await otieno
        .getByRole('button', { name: `Reply to ${CLAIRE.name}` })
        .first()
        .click();
      await otieno.getByLabel('Your reply', { exact: true }).fill(REPLY);
      await otieno.getByRole('button', { name: 'Post reply' }).click();
      await expect.poll(() => otieno.getByText('Your reply is posted.').isVisible()).toBe(true);

      // Claire's thread tab: the reply is in the page, below the fold, with the "new reply" button.
      const reply = thread.getByRole('article', { name: OTIENO.name });
      await expect.poll(() => reply.count(), { timeout: 10_000 }).toBe(1);
      await expect.poll(() => reply.textContent()).toContain(REPLY);
      await expect.poll(() => thread.getByRole('button', { name: '1 new reply' }).isVisible()).toBe(true);
      // Both her tabs count it.
      for (const page of [thread, home]) await expect.poll(() => bellName(page)).toBe('Notifications, 1 unread');

      // She opens it from the bell in the thread tab: it takes her to the reply and is read.
      await bell(thread).click();
      const panel = thread.getByRole('region', { name: 'Notifications' });
      await panel.getByRole('link', { name: new RegExp(`^${OTIENO.name} replied to your post`) }).click();
      await expect.poll(() => reply.isVisible()).toBe(true);
      await expect.poll(() => reply.evaluate((el) => el.getBoundingClientRect().top < window.innerHeight)).toBe(true);
      // The count falls in both tabs, the home tab included, still without a reload.
      for (const page of [thread, home]) await expect.poll(() => bellName(page)).toBe('Notifications, none unread');
      for (const page of [thread, home]) {
        expect(await page.evaluate(() => (window as { stayed?: boolean }).stayed)).toBe(true);
      }
      expect([...problems, ...homeProblems]).toEqual([]);
    });
  });

  it('a tab that was offline says so, and on its return gets what it missed without a reload', async () => {
    const claireContext = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const otienoContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });

    await scenario('realtime-offline', [claireContext, otienoContext], async () => {
      const thread = await claireContext.newPage();
      const problems = watchForProblems(thread);
      await signInAs(thread, origin, CLAIRE.email, PASSWORD);
      await thread.goto(threadUrl);
      await expect.poll(() => bellName(thread)).toBe('Notifications, none unread');
      await thread.evaluate(() => ((window as { stayed?: boolean }).stayed = true));
      const replies = () => thread.getByRole('article', { name: OTIENO.name }).count();
      // What the server has now, and the page showing it, before the network goes.
      const threadId = threadUrl.split('/threads/')[1]!;
      const current = await thread.request.get(`${origin}/api/threads/${threadId}`);
      const before = ((await current.json()) as ThreadWithPosts).posts.filter(
        (p) => p.author.displayName === OTIENO.name,
      ).length;
      await expect.poll(replies).toBe(before);
      const status = thread.getByRole('status').filter({ hasText: /Offline|Reconnecting/ });

      // The network goes: the page says so.
      await claireContext.setOffline(true);
      await expect.poll(() => status.textContent()).toMatch(/Offline/);

      // Meanwhile Otieno answers twice.
      const otieno = await otienoContext.newPage();
      await signInAs(otieno, origin, OTIENO.email, PASSWORD);
      for (const body of ['First point while you were away.', 'Second point while you were away.']) {
        const res = await otieno.request.post(`${origin}/api/threads/${threadId}/posts`, {
          headers: { origin },
          data: { body },
        });
        expect(res.status()).toBe(201);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await bellName(thread)).toBe('Notifications, none unread');

      // Back online: the missed notifications are replayed, the thread re-read, the notice gone.
      await claireContext.setOffline(false);
      await expect.poll(() => bellName(thread), { timeout: 10_000 }).toBe('Notifications, 2 unread');
      await expect.poll(replies, { timeout: 10_000 }).toBe(before + 2);
      await expect.poll(() => status.count()).toBe(0);
      expect(await thread.evaluate(() => (window as { stayed?: boolean }).stayed)).toBe(true);
      expect(problems).toEqual([]);
    });
  });
});

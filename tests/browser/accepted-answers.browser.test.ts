/**
 * A question's accepted answer in Chromium. Claire asked whether the online sale of falsified
 * medicines is an offence in its own right; Otieno and Ana answered. Claire marks Otieno's reply
 * from the reply itself: the "Accepted answer" panel appears right under her question with his
 * name and first words, his reply is marked, and Ana, who has the thread open, sees both arrive
 * without a reload. The thread list says the question is answered; Claire takes the mark back
 * and the panel goes, for Ana too. axe finds nothing on the page with the panel.
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
import { threadBody } from '../helpers/threads.js';

const available = chromiumAvailable();

const PASSWORD = 'lantern quay evidence 2044';
const CLAIRE = { email: 'claire.martin@justice.example', name: 'Claire Martin', code: 'FR', role: 'member' } as const;
const OTIENO = { email: 'otieno.were@judiciary.example', name: 'Otieno Were', code: 'KE', role: 'member' } as const;
const ANA = { email: 'ana.silva@justice.example', name: 'Ana Silva', code: 'BR', role: 'member' } as const;
const ADMIN = { email: 'admin@lexforum.example', name: 'Forum Admin', code: 'FR', role: 'admin' } as const;
const TITLE = 'Is the online sale of falsified medicines an offence in its own right?';
const ANSWER = 'Yes in Kenya: section 31 of the Pharmacy and Poisons Act reaches the online seller directly.';
const OTHER = 'In Brazil it is prosecuted as a crime against public health, whatever the channel.';

describe.runIf(available)('Accepted answers in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let browser: Browser;
  let origin: string;
  let threadUrl: string;

  beforeAll(async () => {
    ({ app, handle, origin } = await startForum());
    await addPeople(handle, [CLAIRE, OTIENO, ANA, ADMIN], PASSWORD);
    const { cookieOf, api } = forumClient(origin, PASSWORD);
    await api(await cookieOf(ADMIN.email), 'PATCH', '/api/admin/settings', { premoderatedPosts: 0 });
    const created = await api(
      await cookieOf(CLAIRE.email),
      'POST',
      '/api/threads',
      threadBody('question', { title: TITLE, jurisdictions: ['FR', 'KE', 'BR'] }),
    );
    const threadId = (created['thread'] as { id: string }).id;
    await api(await cookieOf(OTIENO.email), 'POST', `/api/threads/${threadId}/posts`, { body: ANSWER });
    await api(await cookieOf(ANA.email), 'POST', `/api/threads/${threadId}/posts`, { body: OTHER });
    threadUrl = `${origin}/threads/${threadId}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    handle?.close();
  });

  const panel = (page: Page) => page.getByRole('region', { name: 'Accepted answer' });
  const replyBy = (page: Page, text: string) => page.getByRole('article').filter({ hasText: text }).last();

  it('the asker marks a reply; it shows under the question, live for other readers, in the list, and goes when unmarked', async () => {
    // bypassCSP: axe is injected as an inline script (helpers/a11y.ts).
    const claireContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const anaContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await scenario('accepted-answers', [claireContext, anaContext], async () => {
      const ana = await anaContext.newPage();
      const anaProblems = watchForProblems(ana);
      await signIn(ana, origin, ANA.email, PASSWORD);
      await ana.goto(threadUrl);
      await expect.poll(() => replyBy(ana, OTHER).isVisible(), { timeout: 10_000 }).toBe(true);
      // Ana did not ask: she has no button to mark an answer.
      expect(await ana.getByRole('button', { name: /^Mark as the answer/ }).count()).toBe(0);
      expect(await panel(ana).count()).toBe(0);

      const claire = await claireContext.newPage();
      const claireProblems = watchForProblems(claire);
      await signIn(claire, origin, CLAIRE.email, PASSWORD);
      await claire.goto(threadUrl);
      await expect.poll(() => replyBy(claire, ANSWER).isVisible(), { timeout: 10_000 }).toBe(true);
      await claire.getByRole('button', { name: `Mark as the answer: the reply by ${OTIENO.name}` }).click();

      await expect.poll(() => panel(claire).isVisible()).toBe(true);
      expect(await panel(claire).textContent()).toContain(OTIENO.name);
      expect(await panel(claire).textContent()).toContain(ANSWER);
      expect(await panel(claire).textContent()).toContain(`Marked by ${CLAIRE.name}`);
      await expect.poll(() => replyBy(claire, ANSWER).textContent()).toContain('Accepted answer');
      // Only the other reply still offers the mark (it would replace this one).
      expect(await claire.getByRole('button', { name: /^Mark as the answer/ }).count()).toBe(1);
      await settled(claire);
      expect(describeViolations('thread with an accepted answer', await runAxe(claire))).toEqual([]);
      await screenshot(claire, 'accepted-answer-wide');

      // Ana sees it arrive, without a reload, on a phone-sized screen.
      await expect.poll(() => panel(ana).isVisible(), { timeout: 10_000 }).toBe(true);
      expect(await panel(ana).textContent()).toContain(ANSWER);
      await expect.poll(() => replyBy(ana, ANSWER).textContent()).toContain('Accepted answer');
      await screenshot(ana, 'accepted-answer-phone');

      // "Read the whole answer" leads to the reply.
      await panel(claire).getByRole('link', { name: 'Read the whole answer' }).click();
      await expect.poll(() => claire.url()).toMatch(/#post-2$/);

      // The thread list says the question is answered.
      await claire.goto(`${origin}/`);
      const row = claire.getByRole('listitem').filter({ hasText: TITLE });
      await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('Answered');

      // Claire takes the mark back: the panel goes, for Ana too.
      await claire.goto(threadUrl);
      await expect.poll(() => panel(claire).isVisible(), { timeout: 10_000 }).toBe(true);
      await panel(claire).getByRole('button', { name: 'Remove the mark' }).click();
      await expect.poll(() => panel(claire).count()).toBe(0);
      await expect.poll(() => panel(ana).count(), { timeout: 10_000 }).toBe(0);
      expect(await replyBy(ana, ANSWER).textContent()).not.toContain('Accepted answer');

      expect([...claireProblems, ...anaProblems]).toEqual([]);
    });
  }, 90_000);
});

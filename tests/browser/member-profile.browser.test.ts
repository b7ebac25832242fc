/**
 * A member's profile in Chromium lists their contributions: Claire opens Otieno's profile from his
 * name on a reply and sees the thread he started; "Replies" lists his replies newest first, with a
 * link to each reply's place, and "Show more" brings the next twenty. Ana, who wrote nothing, has
 * an empty state that says so. axe finds nothing on the page.
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

const PASSWORD = 'mooring ledger evidence 2039';
const CLAIRE = { email: 'claire.martin@justice.example', name: 'Claire Martin', code: 'FR', role: 'member' } as const;
const OTIENO = { email: 'otieno.were@judiciary.example', name: 'Otieno Were', code: 'KE', role: 'member' } as const;
const ANA = { email: 'ana.silva@justice.example', name: 'Ana Silva', code: 'BR', role: 'member' } as const;
const CLAIRES = 'Seizing counterfeit pesticides at the port of Le Havre';
const OTIENOS = 'Forfeiture of vehicles used to smuggle ivory';
const REPLIES = 22;

describe.runIf(available)('Member profiles in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let browser: Browser;
  let origin: string;
  let threadId: string;
  let ids: Record<string, string>;

  beforeAll(async () => {
    // Otieno writes more replies in a moment than the posting budget lets a member.
    ({ app, handle, origin } = await startForum({}, { env: { BUDGET_POSTS_BURST: '100' } }));
    ids = await addPeople(handle, [CLAIRE, OTIENO, ANA], PASSWORD);
    const { cookieOf, api } = forumClient(origin, PASSWORD);
    const claire = await cookieOf(CLAIRE.email);
    const otieno = await cookieOf(OTIENO.email);
    const created = await api(claire, 'POST', '/api/threads', threadBody('discussion', { title: CLAIRES }));
    threadId = (created['thread'] as { id: string }).id;
    await api(otieno, 'POST', '/api/threads', threadBody('question', { title: OTIENOS, jurisdictions: ['KE'] }));
    for (let i = 1; i <= REPLIES; i++) {
      await api(otieno, 'POST', `/api/threads/${threadId}/posts`, { body: `Otieno's point number ${i}.` });
    }
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    handle?.close();
  });

  it("lists a member's threads and replies, pages on, and says when there is nothing", async () => {
    // bypassCSP: axe is injected as an inline script (helpers/a11y.ts).
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    await scenario('member-profile', [context], async () => {
      const page = await context.newPage();
      const problems = watchForProblems(page);
      await signIn(page, origin, CLAIRE.email, PASSWORD);
      await page.goto(`${origin}/threads/${threadId}`);
      await page
        .getByRole('article')
        .filter({ hasText: "Otieno's point number 1." })
        .getByRole('link', { name: OTIENO.name, exact: true })
        .click();
      await expect
        .poll(() => page.getByRole('heading', { name: OTIENO.name, level: 1 }).isVisible(), { timeout: 10_000 })
        .toBe(true);

      const contributions = page.getByRole('region', { name: 'Contributions' });
      await expect
        .poll(() => contributions.getByRole('link', { name: OTIENOS }).isVisible(), { timeout: 10_000 })
        .toBe(true);
      expect(await contributions.getByRole('link', { name: CLAIRES }).count()).toBe(0);

      await contributions.getByRole('button', { name: 'Replies' }).click();
      const items = contributions.getByRole('listitem');
      await expect.poll(() => items.count()).toBe(20);
      expect(await items.first().textContent()).toContain(`Otieno's point number ${REPLIES}.`);
      expect(await items.first().getByRole('link', { name: CLAIRES }).getAttribute('href')).toBe(
        `/threads/${threadId}#post-${REPLIES + 1}`,
      );
      await settled(page);
      expect(describeViolations('member profile', await runAxe(page))).toEqual([]);
      await screenshot(page, 'member-profile-replies');
      await contributions.getByRole('button', { name: 'Show more' }).click();
      await expect.poll(() => items.count()).toBe(REPLIES);
      expect(await contributions.getByRole('button', { name: 'Show more' }).count()).toBe(0);
      expect(await items.last().textContent()).toContain("Otieno's point number 1.");

      await page.goto(`${origin}/members/${ids[ANA.email]}`);
      await expect
        .poll(() => page.getByRole('heading', { name: ANA.name, level: 1 }).isVisible(), { timeout: 10_000 })
        .toBe(true);
      await expect
        .poll(() => page.getByRole('region', { name: 'Contributions' }).textContent())
        .toContain(`${ANA.name} has not started a thread you can read.`);
      expect(problems).toEqual([]);
    });
  }, 90_000);
});

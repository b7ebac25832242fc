/**
 * A held edit in Chromium. Claire is under review; she edits her approved reply from the thread
 * page: the editor says it went for review, her post reads as before, marked "Your edit is awaiting
 * review". Her "Your submissions" page lists the edit as awaiting review. Fabienne, moderator for
 * France, opens it from her queue, labelled "Edit", reads the current and proposed words side by
 * side and approves it. Claire's submissions page, still open, shows it approved without a reload.
 */
import type { DbHandle } from '@lexforum/db';
import type { App } from '@lexforum/server';
import type { Browser } from 'playwright-core';
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
const CLAIRE = { email: 'claire.martin@justice.example', name: 'Claire Martin', role: 'member' } as const;
const FABIENNE = { email: 'fabienne.roux@justice.example', name: 'Fabienne Roux', role: 'moderator' } as const;
const TITLE = 'Online pharmacies selling unlicensed slimming pills';
const ORIGINAL = 'The court of Lyon confiscated the domain names in March.';
const EDITED = 'The court of Lyon confiscated the domain names and the servers in March.';

describe.runIf(available)('Held edits in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let browser: Browser;
  let origin: string;
  let threadUrl: string;

  beforeAll(async () => {
    ({ app, handle, origin } = await startForum());
    const ids = await addPeople(handle, [CLAIRE, FABIENNE], PASSWORD);
    const claireId = ids[CLAIRE.email]!;
    const { cookieOf, api } = forumClient(origin, PASSWORD);
    // Claire's thread and reply are published; then a moderator places her under review.
    const claire = await cookieOf(CLAIRE.email);
    const created = await api(claire, 'POST', '/api/threads', threadBody('discussion', { title: TITLE }));
    const threadId = (created['thread'] as { id: string }).id;
    await api(claire, 'POST', `/api/threads/${threadId}/posts`, { body: ORIGINAL });
    await api(await cookieOf(FABIENNE.email), 'PUT', `/api/moderation/users/${claireId}/review`, {
      underReview: true,
      reason: 'Several posts named parties to live cases.',
    });
    threadUrl = `${origin}/threads/${threadId}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    handle?.close();
  });

  it('an edit by a member under review waits for the moderator; her submissions page shows the decision live', async () => {
    const [claireContext, fabienneContext] = await Promise.all(
      [0, 1].map(() => browser.newContext({ viewport: { width: 1280, height: 900 } })),
    );
    await scenario('held-edit', [claireContext!, fabienneContext!], async () => {
      const claire = await claireContext!.newPage();
      const claireProblems = watchForProblems(claire);
      await signIn(claire, origin, CLAIRE.email, PASSWORD);
      await claire.goto(threadUrl);
      const own = claire.getByRole('article').filter({ hasText: 'confiscated the domain names' });
      await expect.poll(() => own.count(), { timeout: 10_000 }).toBe(1);
      await own.getByRole('button', { name: 'Edit', exact: true }).click();
      const editor = claire.getByRole('form', { name: 'Edit' });
      await editor.getByLabel('Post', { exact: true }).fill(EDITED);
      await editor.getByRole('button', { name: 'Save changes' }).click();
      await expect.poll(() => claire.getByText('Your edit is awaiting review.').isVisible()).toBe(true);
      expect(await own.textContent()).toContain(ORIGINAL);
      expect(await own.textContent()).not.toContain('and the servers');

      // Her submissions: the edit, awaiting review.
      await claire.goto(`${origin}/account/submissions`);
      const entry = claire.getByRole('listitem').filter({ hasText: `Edit of a post in “${TITLE}”` });
      await expect.poll(() => entry.count(), { timeout: 10_000 }).toBe(1);
      await expect.poll(() => entry.textContent()).toContain('Awaiting review');
      await claire.evaluate(() => ((window as { stayed?: boolean }).stayed = true));

      // Fabienne finds it in her queue as an edit and reads the words that change.
      const fabienne = await fabienneContext!.newPage();
      const fabienneProblems = watchForProblems(fabienne);
      await signIn(fabienne, origin, FABIENNE.email, PASSWORD);
      await fabienne.goto(`${origin}/moderation`);
      const queue = fabienne.getByRole('region', { name: 'Queue items' });
      const row = queue.getByRole('listitem').filter({ hasText: TITLE });
      await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
      expect(await row.textContent()).toContain('Edit of post #2');
      await row.getByRole('link', { name: new RegExp(TITLE) }).click();
      await expect.poll(() => fabienne.url()).toMatch(/\/moderation\/\d+$/);
      await expect.poll(() => fabienne.getByRole('heading', { name: 'The proposed change' }).isVisible()).toBe(true);
      await expect.poll(() => fabienne.locator('ins.diff-ins').first().textContent()).toContain('servers');
      const decision = fabienne.getByRole('region', { name: 'Decision' });
      await decision.getByRole('radio', { name: /Approve/ }).check();
      await decision.getByRole('button', { name: 'Approve' }).click();
      await expect
        .poll(() => fabienne.getByText('The submission is approved and published.').first().isVisible())
        .toBe(true);

      // Claire's page, never reloaded, reads the decision.
      await expect.poll(() => entry.textContent(), { timeout: 10_000 }).toContain('Approved');
      expect(await claire.evaluate(() => (window as { stayed?: boolean }).stayed)).toBe(true);
      await claire.goto(threadUrl);
      await expect.poll(() => own.textContent(), { timeout: 10_000 }).toContain('and the servers');
      expect(claireProblems).toEqual([]);
      expect(fabienneProblems).toEqual([]);
    });
  }, 90_000);
});

/**
 * A late autosave in Chromium: a member types a reply in the inline composer, the autosave leaves
 * but is held on the wire, the member posts, and only then does the autosave reach the server. The
 * reply is posted once; the composer does not come back with the posted text, and "Your drafts"
 * on the home page does not list it.
 */
import type { DbHandle } from '@lexforum/db';
import type { App } from '@lexforum/server';
import type { Browser, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addPeople,
  chromiumAvailable,
  launchChromium,
  scenario,
  signIn,
  startForum,
  watchForProblems,
} from '../helpers/browser.js';

const available = chromiumAvailable();
const PASSWORD = 'cocoa harbour evidence 1987';
const MEMBER = { email: 'claire.martin@justice.example', name: 'Claire Martin' };
const TITLE = 'Test purchases by investigators: admissible in your courts?';
const REPLY = 'In France a test purchase is admissible when the investigator does not incite the offence.';

describe.runIf(available)('Drafts in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    ({ app, handle, origin } = await startForum());
    await addPeople(
      handle,
      [{ ...MEMBER, role: 'member', position: 'Procureure', institution: 'Parquet de Paris' }],
      PASSWORD,
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    handle?.close();
  });

  it('discards an autosave that lands after the reply was posted', { timeout: 90_000 }, async () => {
    const context = await browser.newContext();
    await scenario('late-draft', [context], async () => {
      const page = await context.newPage();
      const problems = watchForProblems(page);
      await signIn(page, origin, MEMBER.email, PASSWORD);
      const created = await page.request.post(`${origin}/api/threads`, {
        headers: { origin },
        data: {
          kind: 'question',
          title: TITLE,
          jurisdictions: ['FR'],
          topics: ['medical-products'],
          citations: [],
          body: 'Is a test purchase by an investigator admissible evidence in your jurisdiction?',
        },
      });
      expect(created.status()).toBe(201);
      const threadId = ((await created.json()) as { thread: { id: string } }).thread.id;

      // Autosaves leave the page but are held until the reply is posted.
      const held: Route[] = [];
      await page.route('**/api/drafts/reply/**', async (route) => {
        if (route.request().method() === 'PUT') held.push(route);
        else await route.continue();
      });
      await page.goto(`${origin}/threads/${threadId}`);
      await page.getByRole('button', { name: 'Reply to the thread' }).click();
      await page.getByLabel('Your reply', { exact: true }).fill(REPLY);
      await expect.poll(() => held.length, { timeout: 10_000 }).toBeGreaterThan(0);

      await page.getByRole('button', { name: 'Post reply' }).click();
      await expect.poll(() => page.getByText('Your reply is posted.').isVisible()).toBe(true);
      await expect.poll(() => page.getByText(REPLY).count()).toBe(1);

      const landed = page.waitForResponse(
        (r) => r.request().method() === 'PUT' && r.url().includes('/api/drafts/reply/'),
      );
      for (const route of held) await route.continue();
      const late = await landed;
      expect(await late.json()).toEqual({ draft: null, discarded: true });

      // The composer stays closed and empty, now and after a reload.
      await expect.poll(() => page.getByLabel('Your reply', { exact: true }).count()).toBe(0);
      await page.unroute('**/api/drafts/reply/**');
      await page.reload();
      await expect.poll(() => page.getByRole('heading', { name: TITLE }).isVisible()).toBe(true);
      expect(await page.getByLabel('Your reply', { exact: true }).count()).toBe(0);
      await page.getByRole('button', { name: 'Reply to the thread' }).click();
      expect(await page.getByLabel('Your reply', { exact: true }).inputValue()).toBe('');

      // "Your drafts" on the home page does not list it.
      const listed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/drafts');
      await page.goto(`${origin}/`);
      expect(await (await listed).json()).toEqual({ drafts: [] });
      await expect.poll(() => page.getByRole('heading', { level: 1 }).isVisible()).toBe(true);
      expect(await page.getByRole('heading', { name: 'Your drafts' }).count()).toBe(0);
      expect(await page.getByText(`A reply in “${TITLE}”`).count()).toBe(0);
      expect(problems).toEqual([]);
    });
  });
});

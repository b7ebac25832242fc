/**
 * Staff marks in Chromium: a moderator's reply shows the shield mark ("Forum moderator") beside the
 * name, a member's post shows none, and the member directory marks the moderator's card.
 */
import type { DbHandle } from '@lexforum/db';
import type { App } from '@lexforum/server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../server/src/modules/auth/session.js';
import {
  addPeople,
  chromiumAvailable,
  launchChromium,
  scenario,
  screenshot,
  signIn,
  startForum,
  watchForProblems,
} from '../helpers/browser.js';
import { threadBody } from '../helpers/threads.js';

const available = chromiumAvailable();
const PASSWORD = 'cocoa harbour evidence 1987';

describe.runIf(available)('Staff marks in the browser', () => {
  let app: App;
  let handle: DbHandle;
  let browser: Browser;
  let origin: string;
  let threadId: string;

  beforeAll(async () => {
    ({ app, handle, origin } = await startForum());
    const details = { position: 'Procureure', institution: 'Parquet de Paris', languages: ['fr', 'en'] };
    const ids = await addPeople(
      handle,
      [
        { email: 'claire.martin@justice.example', name: 'Claire Martin', role: 'member', ...details },
        { email: 'camille.laurent@justice.example', name: 'Camille Laurent', role: 'moderator', ...details },
      ],
      PASSWORD,
    );
    const memberId = ids['claire.martin@justice.example']!;
    const moderatorId = ids['camille.laurent@justice.example']!;
    const now = new Date();

    const as = (userId: string) => {
      const { token } = createSession(handle.db, userId, { userAgent: null, ip: null }, now);
      return { origin, cookie: `lexforum_session=${token}` };
    };
    const opened = await app.inject({
      method: 'POST',
      url: '/api/threads',
      headers: as(memberId),
      payload: threadBody('discussion', { jurisdictions: ['FR'] }),
    });
    expect(opened.statusCode, opened.body).toBe(201);
    threadId = opened.json().thread.id;
    const replied = await app.inject({
      method: 'POST',
      url: `/api/threads/${threadId}/posts`,
      headers: as(moderatorId),
      payload: { body: 'Please keep witnesses’ names out of this thread.' },
    });
    expect(replied.statusCode, replied.body).toBe(201);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    handle?.close();
  });

  it('marks the moderator’s post and card, not the member’s', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watchForProblems(page);
    await scenario('staff-marks', [context], async () => {
      await signIn(page, origin, 'claire.martin@justice.example', PASSWORD);
      await page.goto(`${origin}/threads/${threadId}`);
      const byModerator = page.getByRole('article', { name: 'Camille Laurent' });
      await expect.poll(() => byModerator.getByRole('img', { name: 'Forum moderator' }).isVisible()).toBe(true);
      const byMember = page.getByRole('article', { name: 'Claire Martin' });
      await expect.poll(() => byMember.isVisible()).toBe(true);
      expect(await byMember.getByRole('img', { name: /Forum (moderator|administrator)/ }).count()).toBe(0);
      // The mark is not part of the name: the name link reads only the name.
      expect(await byModerator.getByRole('link', { name: 'Camille Laurent', exact: true }).count()).toBe(1);
      await screenshot(page, 'staff-marks-thread');

      await page.goto(`${origin}/members`);
      const card = page.getByRole('listitem').filter({ hasText: 'Camille Laurent' });
      await expect.poll(() => card.getByRole('img', { name: 'Forum moderator' }).isVisible()).toBe(true);
      await screenshot(page, 'staff-marks-members');
      expect(problems).toEqual([]);
    });
  }, 60_000);
});

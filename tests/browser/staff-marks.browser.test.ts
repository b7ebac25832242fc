/**
 * Staff marks in Chromium: a moderator's reply shows the shield mark ("Forum moderator") beside the
 * name, a member's post shows none, and the member directory marks the moderator's card.
 */
import { moderatorJurisdictions, type DbHandle } from '@lexforum/db';
import type { App } from '@lexforum/server';
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/src/modules/auth/password.js';
import { createSession } from '../../server/src/modules/auth/session.js';
import { insertUser } from '../../server/src/modules/users/users.repository.js';
import {
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
    const passwordHash = await hashPassword(PASSWORD);
    const now = new Date();
    const person = (email: string, displayName: string, role: 'member' | 'moderator') =>
      insertUser(handle.db, {
        id: randomUUID(),
        email,
        displayName,
        passwordHash,
        status: 'active',
        role,
        profession: 'prosecutor',
        position: 'Procureure',
        institution: 'Parquet de Paris',
        jurisdictionCode: 'FR',
        languages: ['fr', 'en'],
        verifiedAt: now,
        createdAt: now,
        updatedAt: now,
      });
    const member = person('claire.martin@justice.example', 'Claire Martin', 'member');
    const moderator = person('camille.laurent@justice.example', 'Camille Laurent', 'moderator');
    handle.db.insert(moderatorJurisdictions).values({ userId: moderator.id, jurisdictionCode: 'FR' }).run();

    const as = (userId: string) => {
      const { token } = createSession(handle.db, userId, { userAgent: null, ip: null }, now);
      return { origin, cookie: `lexforum_session=${token}` };
    };
    const opened = await app.inject({
      method: 'POST',
      url: '/api/threads',
      headers: as(member.id),
      payload: threadBody('discussion', { jurisdictions: ['FR'] }),
    });
    expect(opened.statusCode, opened.body).toBe(201);
    threadId = opened.json().thread.id;
    const replied = await app.inject({
      method: 'POST',
      url: `/api/threads/${threadId}/posts`,
      headers: as(moderator.id),
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

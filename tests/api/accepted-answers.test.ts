/**
 * A question's accepted answer (issue 18): the question's author or a moderator in scope marks
 * one reply; it shows right under the question (`acceptedAnswers`), the list and search say the
 * question is answered, the mark is audited, its author is told, and a reply taken out of view
 * answers nothing while it is so, on every path (page, cached page, list, search).
 */
import type { SearchPage, ThreadDetail, ThreadPage, ThreadWithPosts } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import {
  auditRows,
  configure,
  expectError,
  lastAuditId,
  moderatePost,
  notifiedDuring,
  ok,
  quickAdmin,
  quickMember,
  quickModerator,
  reply,
  send,
  thread,
} from '../helpers/moderation.js';
import type { Actor } from '../helpers/vetting.js';

describe('Accepted answers API', () => {
  let t: TestApp;
  let asker: Actor;
  let answerer: Actor;
  let other: Actor;
  let modFR: Actor;
  let modKE: Actor;

  beforeAll(async () => {
    t = await buildTestApp();
    await configure(t, { premoderatedPosts: 0 });
    asker = await quickMember(t, 'FR', { displayName: 'Claire Asker' });
    answerer = await quickMember(t, 'KE', { displayName: 'Wanjiru Answer' });
    other = await quickMember(t, 'BR', { displayName: 'Otávio Other' });
    modFR = await quickModerator(t, ['FR'], { displayName: 'Fabienne Mod' });
    modKE = await quickModerator(t, ['KE'], { displayName: 'Kamau Mod' });
  });
  afterAll(async () => t?.close());

  const accept = (who: Actor, threadId: string, postId: string) =>
    send(t, who, 'PUT', `/api/threads/${threadId}/answer`, { postId });
  const unaccept = (who: Actor, threadId: string) => send(t, who, 'DELETE', `/api/threads/${threadId}/answer`);
  const page = (who: Actor, threadId: string) => ok<ThreadWithPosts>(t, who, 'GET', `/api/threads/${threadId}`);
  const listed = async (who: Actor, threadId: string) =>
    (await ok<ThreadPage>(t, who, 'GET', '/api/threads?kind=question&limit=50')).threads.find((x) => x.id === threadId);

  async function question(title = 'Is the online sale of falsified medicines an offence in its own right?') {
    const opened = await thread(t, asker, { kind: 'question', jurisdictions: ['FR'], title });
    const first = await reply(t, answerer, opened.thread.id, 'Yes: **article L.5421-2** makes it one since 2012.');
    const second = await reply(t, other, opened.thread.id, 'Only when the seller knows the goods are falsified.');
    return { id: opened.thread.id, first, second };
  }

  it("lets the question's author mark a reply, shows it under the question, tells its author and audits it", async () => {
    const q = await question();
    const before = lastAuditId(t);
    const told = await notifiedDuring(t, answerer, async () => {
      const res = await accept(asker, q.id, q.first.id);
      expect(res.statusCode, res.body).toBe(200);
      const { thread: detail } = res.json() as { thread: ThreadDetail };
      expect(detail.answered).toBe(true);
      expect(detail.canAccept).toBe(true);
      expect(detail.acceptedAnswers).toEqual([
        expect.objectContaining({
          jurisdiction: null,
          postId: q.first.id,
          number: q.first.number,
          author: expect.objectContaining({ id: answerer.user.id, displayName: 'Wanjiru Answer' }),
          excerpt: 'Yes: article L.5421-2 makes it one since 2012.',
          acceptedBy: { id: asker.user.id, displayName: 'Claire Asker' },
        }),
      ]);
    });
    expect(told).toEqual([
      expect.objectContaining({
        kind: 'answer_accepted',
        link: `/threads/${q.id}#post-${q.first.number}`,
        actor: expect.objectContaining({ id: asker.user.id }),
      }),
    ]);
    expect(auditRows(t, { after: before })).toEqual([
      expect.objectContaining({
        action: 'thread.accept_answer',
        actorId: asker.user.id,
        targetType: 'thread',
        targetId: q.id,
        targetUserId: answerer.user.id,
        jurisdictionCode: 'FR',
        before: { answer: null },
        after: { answer: q.first.id },
      }),
    ]);

    // Every reader sees it, from the cached page too (read twice), and the list says answered.
    for (const who of [other, other, modKE]) {
      const { thread: seen } = await page(who, q.id);
      expect(seen.acceptedAnswers.map((a) => a.postId)).toEqual([q.first.id]);
      expect(seen.canAccept).toBe(false);
    }
    expect((await listed(other, q.id))?.answered).toBe(true);
  });

  it("tells the answer's author unless they turned that kind of notification off", async () => {
    const q = await question('Does the online sale need a separate offence, or is fraud enough?');
    const prefs = (channel: string) =>
      send(t, answerer, 'PUT', '/api/notifications/preferences', {
        preferences: [{ kind: 'answer_accepted', channel }],
      });
    expect((await prefs('off')).statusCode).toBe(200);
    try {
      const told = await notifiedDuring(t, answerer, async () => {
        expect((await accept(asker, q.id, q.first.id)).statusCode).toBe(200);
      });
      expect(told).toEqual([]);
    } finally {
      expect((await prefs('desktop')).statusCode).toBe(200);
    }
  });

  it('replaces the mark with another reply, and takes it back, each on the record', async () => {
    const q = await question('Does the law punish the possession of counterfeit pesticides for sale?');
    expect((await accept(asker, q.id, q.first.id)).statusCode).toBe(200);
    expectError(await accept(asker, q.id, q.first.id), 409, 'INVALID_STATE');
    const before = lastAuditId(t);
    const replaced = await accept(asker, q.id, q.second.id);
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect((replaced.json() as { thread: ThreadDetail }).thread.acceptedAnswers.map((a) => a.postId)).toEqual([
      q.second.id,
    ]);
    const removed = await unaccept(asker, q.id);
    expect(removed.statusCode, removed.body).toBe(200);
    const { thread: after } = removed.json() as { thread: ThreadDetail };
    expect(after.acceptedAnswers).toEqual([]);
    expect(after.answered).toBe(false);
    expectError(await unaccept(asker, q.id), 409, 'INVALID_STATE');
    expect(auditRows(t, { after: before }).map((r) => [r.action, r.before, r.after])).toEqual([
      ['thread.accept_answer', { answer: q.first.id }, { answer: q.second.id }],
      ['thread.unaccept_answer', { answer: q.second.id }, { answer: null }],
    ]);
    expect((await listed(other, q.id))?.answered).toBe(false);
  });

  it('is for the asker and the moderators in scope only', async () => {
    const q = await question('Is tobacco smuggling a customs or a criminal offence?');
    expectError(await accept(answerer, q.id, q.first.id), 403, 'FORBIDDEN');
    expectError(await accept(other, q.id, q.second.id), 403, 'FORBIDDEN');
    expectError(await accept(modKE, q.id, q.first.id), 403, 'FORBIDDEN');
    expect((await page(answerer, q.id)).thread.canAccept).toBe(false);
    expect((await page(modFR, q.id)).thread.canAccept).toBe(true);
    const byMod = await accept(modFR, q.id, q.first.id);
    expect(byMod.statusCode, byMod.body).toBe(200);
    expectError(await unaccept(other, q.id), 403, 'FORBIDDEN');
    const admin = await quickAdmin(t);
    expect((await unaccept(admin, q.id)).statusCode).toBe(200);
    expect((await send(t, null, 'PUT', `/api/threads/${q.id}/answer`, { postId: q.first.id })).statusCode).toBe(401);
  });

  it('refuses what is not a reply of this question in view, and threads that are not questions', async () => {
    const q = await question('May a court order the destruction of seized fuel?');
    const elsewhere = await question('May customs destroy seized goods without a court order?');
    expectError(await accept(asker, q.id, elsewhere.first.id), 400, 'VALIDATION_FAILED');
    expectError(await accept(asker, q.id, 'no-such-post'), 400, 'VALIDATION_FAILED');
    const opener = (await page(asker, q.id)).posts[0]!;
    expectError(await accept(asker, q.id, opener.id), 400, 'VALIDATION_FAILED');
    expectError(await send(t, asker, 'PUT', `/api/threads/${q.id}/answer`, {}), 400, 'VALIDATION_FAILED');
    expectError(
      await send(t, asker, 'PUT', `/api/threads/${q.id}/answer`, { postId: q.first.id, extra: 1 }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(await accept(asker, 'not-a-thread', q.first.id), 404);

    const discussion = await thread(t, asker, { kind: 'discussion', jurisdictions: ['FR'] });
    const answer = await reply(t, answerer, discussion.thread.id, 'A reply to a discussion.');
    expectError(await accept(asker, discussion.thread.id, answer.id), 409, 'INVALID_STATE');
    expect((await page(asker, discussion.thread.id)).thread.canAccept).toBe(false);

    // A reply hidden by a moderator cannot be marked.
    expect(
      (await moderatePost(t, modFR, q.second.id, 'hide', { reason: 'Off topic for this question.' })).statusCode,
    ).toBe(200);
    expectError(await accept(asker, q.id, q.second.id), 400, 'VALIDATION_FAILED');
  });

  it('answers nothing while its reply is hidden, on every path, and again once it is restored', async () => {
    const q = await question('Is the sale of falsified medicines online punished more severely?');
    expect((await accept(asker, q.id, q.first.id)).statusCode).toBe(200);
    await page(other, q.id); // cached for plain members
    expect(
      (await moderatePost(t, modFR, q.first.id, 'hide', { reason: 'Names a party to a pending case.' })).statusCode,
    ).toBe(200);
    for (const who of [other, asker, answerer, modFR]) {
      const { thread: seen } = await page(who, q.id);
      expect(seen.acceptedAnswers).toEqual([]);
      expect(seen.answered).toBe(false);
    }
    expect((await listed(other, q.id))?.answered).toBe(false);
    expect((await moderatePost(t, modFR, q.first.id, 'restore', { reason: 'The name is gone.' })).statusCode).toBe(200);
    expect((await page(other, q.id)).thread.acceptedAnswers.map((a) => a.postId)).toEqual([q.first.id]);
    expect((await listed(other, q.id))?.answered).toBe(true);
  });

  it('shows answered questions in search, and filters them with status:answered and status:unanswered', async () => {
    const answered = await question('Quarantined wildlife trade: which court hears the forfeiture?');
    const open = await question('Quarantined wildlife trade: who bears the cost of storage?');
    expect((await accept(asker, answered.id, answered.first.id)).statusCode).toBe(200);
    const search = async (q: string) => {
      const res = await send(t, other, 'GET', `/api/search?${new URLSearchParams({ q })}`);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as SearchPage).results.map((r) => [r.thread.id, r.thread.answered]);
    };
    expect(await search('quarantined wildlife')).toEqual(
      expect.arrayContaining([
        [answered.id, true],
        [open.id, false],
      ]),
    );
    expect(await search('quarantined wildlife status:answered')).toEqual([[answered.id, true]]);
    expect(await search('quarantined wildlife status:unanswered')).toEqual([[open.id, false]]);
  });
});

/**
 * Held edits over the socket: while an edit waits for review nothing of it is pushed to anyone
 * reading the thread; when a moderator decides a held post or edit, its author hears
 * `submission.decided` (live, and on replay) and their submissions read the decision.
 */
import type { PendingSubmission, SubmissionList } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  configure,
  ok,
  pendingReply,
  quickMember,
  quickModerator,
  reply,
  send,
  thread,
} from '../helpers/moderation.js';
import type { Actor } from '../helpers/vetting.js';
import { listenTestApp, type ListeningTestApp } from '../helpers/ws.js';

describe('Held edits over the socket', () => {
  let t: ListeningTestApp;
  let modFR: Actor, author: Actor, reader: Actor;
  const underReview = (who: Actor, on: boolean) =>
    t.handle.sqlite.prepare('update users set under_review = ? where id = ?').run(on ? 1 : 0, who.user.id);
  const statusOf = async (id: number) =>
    (await ok<SubmissionList>(t, author, 'GET', '/api/account/submissions')).submissions.find((s) => s.id === id)
      ?.status;

  beforeAll(async () => {
    t = await listenTestApp();
    await configure(t, { premoderatedPosts: 0 });
    modFR = await quickModerator(t, ['FR']);
    author = await quickMember(t, 'FR', { displayName: 'Arthur' });
    reader = await quickMember(t, 'FR', { displayName: 'Rita' });
  });
  afterAll(async () => t?.close());

  it('pushes nothing of a held edit or retitle to readers, and the edit once approved', async () => {
    const op = await thread(t, author, { jurisdictions: ['FR'] });
    const post = await reply(t, author, op.thread.id, 'Text before the held edit.');
    const readerSocket = await t.connectAs(reader);
    await readerSocket.subscribe({ channel: 'thread', threadId: op.thread.id });
    const listSocket = await t.connectAs(reader);
    await listSocket.subscribe({ channel: 'threads' });
    underReview(author, true);
    const edit = await send(t, author, 'PATCH', `/api/posts/${post.id}`, { version: 1, body: 'Zanzibarheld text.' });
    expect(edit.statusCode, edit.body).toBe(202);
    const title = await send(t, author, 'PATCH', `/api/threads/${op.thread.id}`, { title: 'Quokkaheld title here' });
    expect(title.statusCode, title.body).toBe(202);
    for (const socket of [readerSocket, listSocket]) {
      await socket.expectNothing((m) => JSON.stringify(m).includes('Zanzibarheld'));
      await socket.expectNothing((m) => JSON.stringify(m).includes('Quokkaheld'));
      await socket.expectNothing(
        (m) => m.type === 'live' && 'threadId' in m.event && m.event.threadId === op.thread.id,
      );
    }

    const pending = (edit.json() as { pending: PendingSubmission }).pending;
    await ok(t, modFR, 'POST', `/api/moderation/queue/${pending.id}/approve`, {});
    const updated = await readerSocket.nextLive('post.updated', (e) => e.post.id === post.id);
    expect(updated.post.cooked).toContain('Zanzibarheld');
    expect(updated.post.version).toBe(2);
    readerSocket.close();
    listSocket.close();
    underReview(author, false);
  });

  it('tells the author live when a moderator decides a held reply or edit, and their list reads it', async () => {
    const op = await thread(t, reader, { jurisdictions: ['FR'] });
    const post = await reply(t, author, op.thread.id, 'An approved reply to edit.');
    underReview(author, true);
    const socket = await t.connectAs(author);
    const heldReply = await pendingReply(t, author, op.thread.id, 'A held reply.');
    const heldEdit = (
      (await send(t, author, 'PATCH', `/api/posts/${post.id}`, { version: 1, body: 'A held edit.' })).json() as {
        pending: PendingSubmission;
      }
    ).pending;
    expect(await statusOf(heldReply.id)).toBe('pending');
    expect(await statusOf(heldEdit.id)).toBe('pending');

    await ok(t, modFR, 'POST', `/api/moderation/queue/${heldReply.id}/approve`, {});
    const approved = await socket.nextEvent('submission.decided', (e) => e.submissionId === heldReply.id);
    expect(approved.event).toEqual({ type: 'submission.decided', submissionId: heldReply.id, status: 'approved' });
    expect(await statusOf(heldReply.id)).toBe('approved');

    await ok(t, modFR, 'POST', `/api/moderation/queue/${heldEdit.id}/reject`, { reason: 'Not this wording.' });
    const rejected = await socket.nextEvent('submission.decided', (e) => e.submissionId === heldEdit.id);
    expect(rejected.event.status).toBe('rejected');
    expect(await statusOf(heldEdit.id)).toBe('rejected');

    // A tab that was closed hears both decisions when it comes back.
    const later = await t.connectAs(author, approved.seq - 1);
    const replayed = (await later.replayed()).filter((m) => m.event.type === 'submission.decided');
    expect(replayed.map((m) => m.event)).toEqual([approved.event, rejected.event]);
    socket.close();
    later.close();
    underReview(author, false);
  });
});

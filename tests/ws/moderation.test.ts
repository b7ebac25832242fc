/**
 * Moderation over the socket: what thread readers, list readers, authors and reporters hear when a
 * moderator acts. A hidden post is pushed withheld (never its text); a pending submission pushes
 * nothing at all until it is approved, and then exactly what a new post pushes; thread actions push
 * `thread.updated`; a hidden opening post pushes `thread.removed` to the list; a move pushes
 * `posts.moved` to the source and `post.created` to the target. Real server on a free port, real
 * SQLite file, real `ws` clients.
 */
import type { Post, ServerMessage } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  configure,
  itemOfSubmission,
  ok,
  pendingReply,
  quickMember,
  quickModerator,
  reply,
  report,
  thread,
} from '../helpers/moderation.js';
import type { Actor } from '../helpers/vetting.js';
import { isEvent, isLive, listenTestApp, type ListeningTestApp } from '../helpers/ws.js';

const REASON = 'Names a protected witness.';

describe('Moderation over the socket', () => {
  let t: ListeningTestApp;
  let modFR: Actor;
  let author: Actor;
  let reader: Actor;

  beforeAll(async () => {
    t = await listenTestApp();
    await configure(t, { premoderatedPosts: 0, confidentialReportsToHide: 2 });
    modFR = await quickModerator(t, ['FR'], { displayName: 'Fabienne Moderator' });
    author = await quickMember(t, 'FR', { displayName: 'Arthur Author' });
    reader = await quickMember(t, 'FR', { displayName: 'Rita Reader' });
  });
  afterAll(async () => t?.close());

  const mentions = (word: string) => (m: ServerMessage) => JSON.stringify(m).includes(word);

  describe('hide and restore', () => {
    it("push the post withheld to readers (no text), the author's notification with the reason, and the text back on restore", async () => {
      const opened = await thread(t, author, { jurisdictions: ['FR'] });
      const post = await reply(t, author, opened.thread.id, 'The witness is Kilimanjarowitness.');
      const readerSocket = await t.connectAs(reader);
      const authorSocket = await t.connectAs(author);
      await readerSocket.subscribe({ channel: 'thread', threadId: opened.thread.id });

      await ok(t, modFR, 'POST', `/api/moderation/posts/${post.id}/hide`, { reason: REASON });
      const hidden = await readerSocket.nextLive('post.updated', (e) => e.post.id === post.id);
      expect(hidden.post).toMatchObject({
        state: 'hidden',
        withheld: true,
        cooked: '',
        sections: null,
        moderation: null,
      });
      const told = await authorSocket.nextEvent('notification.created');
      expect(told.event.notification.kind).toBe('content_moderated');
      expect(JSON.stringify(told.event.notification)).toContain(REASON);
      await readerSocket.expectNothing(mentions('Kilimanjarowitness'));
      await readerSocket.expectNothing(mentions(REASON));
      await readerSocket.expectNothing(isEvent('notification.created'));

      await ok(t, modFR, 'POST', `/api/moderation/posts/${post.id}/restore`, { reason: 'Public record after all.' });
      const restored = await readerSocket.nextLive('post.updated', (e) => e.post.id === post.id);
      expect(restored.post).toMatchObject({ state: 'visible', withheld: false });
      expect(restored.post.cooked).toContain('Kilimanjarowitness');
    });

    it('pushes an automatic hide the same way, and tells the reporters when it is decided', async () => {
      const opened = await thread(t, author, { jurisdictions: ['FR'] });
      const post = await reply(t, author, opened.thread.id, 'Case file number 2026/4471 attached.');
      const readerSocket = await t.connectAs(reader);
      await readerSocket.subscribe({ channel: 'thread', threadId: opened.thread.id });
      const reporters = [await quickMember(t, 'DE'), await quickMember(t, 'DE')];
      const reporterSockets = [await t.connectAs(reporters[0]!), await t.connectAs(reporters[1]!)];
      for (const r of reporters) await report(t, r, post.id, 'confidential_data');
      const hidden = await readerSocket.nextLive('post.updated', (e) => e.post.id === post.id);
      expect(hidden.post).toMatchObject({ state: 'hidden', withheld: true, cooked: '' });
      await readerSocket.expectNothing(mentions('2026/4471'));

      await ok(t, modFR, 'POST', `/api/moderation/posts/${post.id}/delete`, { reason: REASON });
      for (const socket of reporterSockets) {
        const resolved = await socket.nextEvent(
          'notification.created',
          (e) => e.notification.kind === 'report_resolved',
        );
        expect(resolved.event.notification.kind).toBe('report_resolved');
      }
    });
  });

  describe('pre-moderation', () => {
    it('pushes nothing for a pending reply; approval pushes the new post and notifies like any reply', async () => {
      await configure(t, { premoderatedPosts: 2 });
      try {
        const host = await quickMember(t, 'FR');
        await configure(t, { premoderatedPosts: 0 });
        const opened = await thread(t, host, { jurisdictions: ['FR'] });
        await configure(t, { premoderatedPosts: 2 });
        const newcomer = await quickMember(t, 'FR', { displayName: 'Nina Newcomer' });
        const hostSocket = await t.connectAs(host);
        const readerSocket = await t.connectAs(reader);
        await readerSocket.subscribe({ channel: 'thread', threadId: opened.thread.id });
        await readerSocket.subscribe({ channel: 'threads' });
        await hostSocket.subscribe({ channel: 'thread', threadId: opened.thread.id });

        const pending = await pendingReply(t, newcomer, opened.thread.id, 'Hello from Mombasawitness.');
        await readerSocket.expectNothing();
        await hostSocket.expectNothing();

        const item = (await itemOfSubmission(t, modFR, pending.id))!;
        await ok(t, modFR, 'POST', `/api/moderation/queue/${item.id}/approve`, {});
        const created = await readerSocket.nextLive('post.created', (e) => e.threadId === opened.thread.id);
        expect(created.post.cooked).toContain('Mombasawitness');
        expect(created.post.author.id).toBe(newcomer.user.id);
        await readerSocket.nextLive('thread.activity', (e) => e.threadId === opened.thread.id);
        const notified = await hostSocket.nextEvent('notification.created');
        expect(notified.event.notification).toMatchObject({
          threadId: opened.thread.id,
          actor: { id: newcomer.user.id },
        });
      } finally {
        await configure(t, { premoderatedPosts: 0 });
      }
    });

    it('pushes nothing for a pending thread; rejection reaches only its author', async () => {
      await configure(t, { premoderatedPosts: 2 });
      try {
        const newcomer = await quickMember(t, 'FR');
        const newcomerSocket = await t.connectAs(newcomer);
        const readerSocket = await t.connectAs(reader);
        await readerSocket.subscribe({ channel: 'threads' });
        await ok(t, reader, 'PUT', '/api/follows/jurisdiction/FR');
        const res = await t.request({
          method: 'POST',
          url: '/api/threads',
          cookie: newcomer.cookie,
          body: {
            kind: 'discussion',
            title: 'A thread that waits',
            jurisdictions: ['FR'],
            topics: ['food-fraud'],
            citations: [],
            body: 'It waits for review.',
          },
        });
        expect(res.statusCode, res.body).toBe(202);
        await readerSocket.expectNothing();
        const item = (await itemOfSubmission(t, modFR, res.json().pending.id))!;
        await ok(t, modFR, 'POST', `/api/moderation/queue/${item.id}/reject`, {
          reason: 'Duplicate of an earlier thread.',
        });
        const told = await newcomerSocket.nextEvent('notification.created');
        expect(JSON.stringify(told.event.notification)).toContain('Duplicate of an earlier thread.');
        await readerSocket.expectNothing();
        await ok(t, reader, 'DELETE', '/api/follows/jurisdiction/FR');
      } finally {
        await configure(t, { premoderatedPosts: 0 });
      }
    });
  });

  describe('threads', () => {
    it('lock, pin and resolve push thread.updated with the new state to the thread readers', async () => {
      const opened = await thread(t, author, { kind: 'question', jurisdictions: ['FR'] });
      const readerSocket = await t.connectAs(reader);
      await readerSocket.subscribe({ channel: 'thread', threadId: opened.thread.id });
      const act = (action: string, body: object = { reason: REASON }) =>
        ok(t, modFR, 'POST', `/api/moderation/threads/${opened.thread.id}/${action}`, body);

      await act('lock');
      expect(await readerSocket.nextLive('thread.updated')).toMatchObject({
        threadId: opened.thread.id,
        locked: true,
        state: 'visible',
      });
      await act('pin', { reason: REASON, jurisdiction: 'FR' });
      expect(await readerSocket.nextLive('thread.updated')).toMatchObject({ pin: { jurisdiction: 'FR' } });
      await act('resolve');
      expect(await readerSocket.nextLive('thread.updated')).toMatchObject({ resolved: true, locked: true });
      await act('unlock');
      expect(await readerSocket.nextLive('thread.updated')).toMatchObject({ locked: false });
      await readerSocket.expectNothing(isLive('thread.updated'));
    });

    it("marking a question's answer pushes thread.updated with it, and its author hears of it", async () => {
      const opened = await thread(t, author, { kind: 'question', jurisdictions: ['FR'] });
      const answer = await reply(t, reader, opened.thread.id, 'Article 7 of the convention answers it.');
      const readerSocket = await t.connectAs(reader);
      await readerSocket.subscribe({ channel: 'thread', threadId: opened.thread.id });
      await ok(t, author, 'PUT', `/api/threads/${opened.thread.id}/answer`, { postId: answer.id });
      expect(await readerSocket.nextLive('thread.updated')).toMatchObject({
        answered: true,
        acceptedAnswers: [
          { postId: answer.id, number: answer.number, excerpt: 'Article 7 of the convention answers it.' },
        ],
      });
      const told = await readerSocket.nextEvent(
        'notification.created',
        (e) => e.notification.kind === 'answer_accepted',
      );
      expect(told.event.notification).toMatchObject({
        kind: 'answer_accepted',
        link: `/threads/${opened.thread.id}#post-${answer.number}`,
      });
      await ok(t, modFR, 'DELETE', `/api/threads/${opened.thread.id}/answer`);
      expect(await readerSocket.nextLive('thread.updated')).toMatchObject({ answered: false, acceptedAnswers: [] });
    });

    it('hiding an opening post pushes thread.removed to the list and withholds it from thread readers', async () => {
      const opened = await thread(t, author, {
        jurisdictions: ['FR'],
        title: 'Sensitive title Serengetiwitness',
        body: 'The opening text names Ngorongorowitness.',
      });
      const listSocket = await t.connectAs(reader);
      await listSocket.subscribe({ channel: 'threads' });
      const threadSocket = await t.connectAs(reader);
      await threadSocket.subscribe({ channel: 'thread', threadId: opened.thread.id });
      await ok(t, modFR, 'POST', `/api/moderation/posts/${opened.posts[0]!.id}/hide`, { reason: REASON });
      expect(await listSocket.nextLive('thread.removed')).toEqual({
        type: 'thread.removed',
        threadId: opened.thread.id,
      });
      const updated = await threadSocket.nextLive('post.updated', (e) => e.post.id === opened.posts[0]!.id);
      expect(updated.post.withheld).toBe(true);
      await threadSocket.expectNothing(mentions('Ngorongorowitness'));
      await listSocket.expectNothing(mentions('Serengetiwitness'));
    });

    it('a move pushes posts.moved to the source readers and post.created to the target readers', async () => {
      const source = await thread(t, author, { jurisdictions: ['FR'] });
      const target = await thread(t, reader, { jurisdictions: ['FR'], title: 'The target thread' });
      const moved = await reply(t, author, source.thread.id, 'Move me.');
      const child: Post = await reply(t, reader, source.thread.id, 'And me.', moved.id);
      const sourceSocket = await t.connectAs(reader);
      await sourceSocket.subscribe({ channel: 'thread', threadId: source.thread.id });
      const targetSocket = await t.connectAs(author);
      await targetSocket.subscribe({ channel: 'thread', threadId: target.thread.id });

      await ok(t, modFR, 'POST', `/api/moderation/posts/${moved.id}/move`, {
        reason: REASON,
        toThreadId: target.thread.id,
      });
      const gone = await sourceSocket.nextLive('posts.moved');
      expect(gone).toMatchObject({
        threadId: source.thread.id,
        toThreadId: target.thread.id,
        toThreadTitle: 'The target thread',
        replyCount: 0,
      });
      expect([...gone.postIds].sort()).toEqual([moved.id, child.id].sort());
      const arrivals = [
        await targetSocket.nextLive('post.created', (e) => e.threadId === target.thread.id),
        await targetSocket.nextLive('post.created', (e) => e.threadId === target.thread.id),
      ];
      expect(arrivals.map((a) => a.post.id)).toEqual([moved.id, child.id]);
      expect(arrivals[1]!.replyCount).toBe(2);
    });
  });
});

/**
 * What members see of moderated content, through every read route: hidden and deleted posts are a
 * notice to other members (withheld, no text, no reason) while their author and the moderators in
 * scope still read them, marked; a thread whose opening post is hidden leaves the list, the tag
 * counts and the author's thread list; reply counts count visible replies. Pending submissions
 * (pre-moderation) exist for nobody but their author and the moderators until approved, notify
 * nobody, and on approval become ordinary posts with the ordinary notifications. Search is one more
 * read route: a member (the author too) finds nothing of it, a moderator in scope and an admin find
 * it marked, a moderator out of scope does not; a pending submission is found by nobody. The oracle
 * for "invisible" is the text itself: a secret word must not appear in any answer a member gets.
 */
import type {
  PendingSubmission,
  Post,
  SearchPage,
  SimilarPage,
  SuggestPage,
  TagCounts,
  ThreadPage,
  ThreadWithPosts,
} from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import {
  configure,
  expectError,
  itemOfSubmission,
  lastAuditId,
  moderationAuditSince,
  moderationSnapshot,
  notificationsOf,
  ok,
  pendingReply,
  quickAdmin,
  quickMember,
  quickModerator,
  reply,
  send,
  storedNotifications,
  thread,
} from '../helpers/moderation.js';
import type { Actor } from '../helpers/vetting.js';

const REASON = 'Names a protected witness.';
let secrets = 0;
/** A word that appears nowhere else, to look for in answers. */
const secret = () => `Zanzibarwitness${++secrets}x`;

describe('Moderation API: what members see', () => {
  let t: TestApp;
  let admin: Actor;
  let modFR: Actor;
  let modKE: Actor;
  let author: Actor;
  let reader: Actor;

  beforeAll(async () => {
    t = await buildTestApp();
    await configure(t, { premoderatedPosts: 0, confidentialReportsToHide: 2 });
    admin = await quickAdmin(t);
    modFR = await quickModerator(t, ['FR']);
    modKE = await quickModerator(t, ['KE']);
    author = await quickMember(t, 'FR', { displayName: 'Arthur Author' });
    reader = await quickMember(t, 'FR', { displayName: 'Rita Reader' });
  });
  afterAll(async () => t?.close());

  const get = (who: Actor, url: string) => send(t, who, 'GET', url);
  /** A search as `who` (it must answer 200); the results. */
  const search = async (who: Actor, q: string) => {
    const res = await get(who, `/api/search?q=${encodeURIComponent(q)}&limit=50`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as SearchPage).results;
  };
  /** Asserts that searching `word` shows `who` nothing of it: no result, the word in no result. */
  const findsNothing = async (who: Actor, word: string, label: string) => {
    const results = await search(who, word);
    expect(
      results.map((r) => r.thread.id),
      label,
    ).toEqual([]);
    expect(JSON.stringify(results).toLowerCase(), label).not.toContain(word.toLowerCase());
  };
  /** The similar threads and suggestions (visible threads only, whoever asks) for `title`. */
  const titleSearches = async (who: Actor, title: string, word: string) => {
    const similar = await ok<SimilarPage>(t, who, 'GET', `/api/search/similar?title=${encodeURIComponent(title)}`);
    const suggest = await ok<SuggestPage>(t, who, 'GET', `/api/search/suggest?q=${encodeURIComponent(word)}`);
    return [...similar.threads.map((x) => x.id), ...suggest.threads.map((x) => x.id)];
  };
  /** Every read route that could show the post's text, for `who`. */
  const readEverywhere = async (who: Actor, threadId: string, postId: string) => ({
    thread: await get(who, `/api/threads/${threadId}`),
    post: await get(who, `/api/posts/${postId}`),
    source: await get(who, `/api/posts/${postId}/source`),
    history: await get(who, `/api/posts/${postId}/revisions`),
  });

  describe.each(['hide', 'delete'] as const)('a reply after %s', (action) => {
    it('is a notice to other members on every read route, with no text and no reason', async () => {
      const word = secret();
      const opened = await thread(t, author, { jurisdictions: ['FR'] });
      const post = await reply(t, author, opened.thread.id, `The witness is ${word}.`);
      await ok(t, modFR, 'POST', `/api/moderation/posts/${post.id}/${action}`, { reason: REASON });

      for (const who of [reader, modKE]) {
        const seen = await readEverywhere(who, opened.thread.id, post.id);
        for (const [route, res] of Object.entries(seen)) {
          expect(res.statusCode, `${route}: ${res.body}`).toBeLessThan(500);
          expect(res.body, `${route} shows the text`).not.toContain(word);
          expect(res.body, `${route} shows the reason`).not.toContain(REASON);
        }
        expect(seen.thread.statusCode).toBe(200);
        const inThread = (seen.thread.json() as ThreadWithPosts).posts.find((p) => p.id === post.id);
        expect(inThread, 'the notice keeps its place').toMatchObject({
          state: action === 'hide' ? 'hidden' : 'deleted',
          withheld: true,
          cooked: '',
          sections: null,
          moderation: null,
          canReport: false,
        });
        if (seen.post.statusCode === 200) expect((seen.post.json() as { post: Post }).post.withheld).toBe(true);
        await findsNothing(who, word, `search as ${who === reader ? 'a member' : 'a moderator out of scope'}`);
      }
      // Search shows what everyone may read and the staff in scope: the author does not find it either.
      await findsNothing(author, word, 'search as the author');
      // The opening post is still visible: the thread is still found by its other words.
      const open = await search(reader, `${opened.thread.title} -${word}`);
      expect(open.map((r) => r.thread.id)).toContain(opened.thread.id);
    });

    it('is read, marked, by its author and the moderators in scope', async () => {
      const word = secret();
      const opened = await thread(t, author, { jurisdictions: ['FR'] });
      const post = await reply(t, author, opened.thread.id, `The witness is ${word}.`);
      await ok(t, modFR, 'POST', `/api/moderation/posts/${post.id}/${action}`, { reason: REASON });
      for (const who of [author, modFR, admin]) {
        const page = await ok<ThreadWithPosts>(t, who, 'GET', `/api/threads/${opened.thread.id}`);
        const seen = page.posts.find((p) => p.id === post.id)!;
        expect(seen).toMatchObject({ withheld: false, state: action === 'hide' ? 'hidden' : 'deleted' });
        expect(seen.cooked).toContain(word);
        expect(seen.moderation).toMatchObject({ reason: REASON, automatic: false, by: { id: modFR.user.id } });
        const one = await ok<{ post: Post }>(t, who, 'GET', `/api/posts/${post.id}`);
        expect(one.post.cooked).toContain(word);
        const history = await get(who, `/api/posts/${post.id}/revisions`);
        expect(history.statusCode).toBe(200);
        expect(history.body).toContain(word);
      }
      for (const who of [modFR, admin]) {
        const results = await search(who, word);
        expect(results.map((r) => r.thread.id)).toEqual([opened.thread.id]);
        expect(results[0]!.thread.state).toBe('visible');
        expect(results[0]!.posts.map((p) => [p.id, p.state])).toEqual([
          [post.id, action === 'hide' ? 'hidden' : 'deleted'],
        ]);
        expect(results[0]!.posts[0]!.snippet.some((s) => s.hit && s.text === word)).toBe(true);
      }
      // The author still reads their source while hidden (to fix it), not once deleted.
      const source = await get(author, `/api/posts/${post.id}/source`);
      if (action === 'hide') expect(source.body).toContain(word);
    });
  });

  describe('counts', () => {
    it('replyCount counts visible replies only; postCount keeps the highest number; restore puts it back', async () => {
      const word = secret();
      const opened = await thread(t, author, { jurisdictions: ['FR'] });
      const first = await reply(t, reader, opened.thread.id, `Counted, then hidden: ${word}.`);
      await reply(t, reader, opened.thread.id);
      const summary = async () =>
        (await ok<ThreadPage>(t, reader, 'GET', `/api/threads?author=${author.user.id}&limit=100`)).threads.find(
          (x) => x.id === opened.thread.id,
        )!;
      expect(await summary()).toMatchObject({ replyCount: 2, postCount: 3 });
      await ok(t, modFR, 'POST', `/api/moderation/posts/${first.id}/hide`, { reason: REASON });
      expect(await summary()).toMatchObject({ replyCount: 1, postCount: 3 });
      await findsNothing(reader, word, 'search while hidden');
      const detail = await ok<ThreadWithPosts>(t, reader, 'GET', `/api/threads/${opened.thread.id}`);
      expect(detail.thread).toMatchObject({ replyCount: 1, postCount: 3 });
      await ok(t, modFR, 'POST', `/api/moderation/posts/${first.id}/restore`, { reason: 'Witness name was public.' });
      expect(await summary()).toMatchObject({ replyCount: 2, postCount: 3 });
      const found = await search(reader, word);
      expect(found.map((r) => [r.thread.id, r.posts.map((p) => [p.id, p.state])])).toEqual([
        [opened.thread.id, [[first.id, 'visible']]],
      ]);
    });
  });

  describe('a moved reply', () => {
    it('is found in its new thread only, in the scope of its new thread', async () => {
      const word = secret();
      const from = await thread(t, author, { jurisdictions: ['FR'] });
      const to = await thread(t, author, { jurisdictions: ['INT'] });
      const post = await reply(t, reader, from.thread.id, `Moved words: ${word}.`);
      expect((await search(reader, word)).map((r) => r.thread.id)).toEqual([from.thread.id]);
      await ok(t, modFR, 'POST', `/api/moderation/posts/${post.id}/move`, { reason: REASON, toThreadId: to.thread.id });
      const moved = await search(reader, word);
      expect(moved.map((r) => [r.thread.id, r.posts.map((p) => [p.id, p.number])])).toEqual([
        [to.thread.id, [[post.id, 2]]],
      ]);
      // Hidden in its new thread (international: every moderator's scope).
      await ok(t, modFR, 'POST', `/api/moderation/posts/${post.id}/hide`, { reason: REASON });
      await findsNothing(reader, word, 'search as a member');
      for (const who of [modKE, modFR, admin]) {
        const results = await search(who, word);
        expect(results.map((r) => [r.thread.id, r.posts.map((p) => p.state)])).toEqual([[to.thread.id, ['hidden']]]);
      }
    });
  });

  describe('a thread whose opening post is hidden', () => {
    it('leaves the list, the tag counts and the author filter for members; 404 to them; its author and moderators in scope open it', async () => {
      const word = secret();
      const counts = async () => ok<TagCounts>(t, reader, 'GET', '/api/threads/tag-counts');
      const before = await counts();
      const opened = await thread(t, author, {
        jurisdictions: ['FR'],
        topics: ['illicit-fuel'],
        title: `Fuel smuggling and ${word}`,
      });
      const withThread = await counts();
      expect(withThread.topics['illicit-fuel']).toBe((before.topics['illicit-fuel'] ?? 0) + 1);
      // Before: found by its words, by similar titles and in suggestions.
      expect((await search(reader, word)).map((r) => r.thread.id)).toEqual([opened.thread.id]);
      const titled = await titleSearches(reader, `Fuel smuggling and ${word}`, word);
      expect(titled.filter((id) => id === opened.thread.id)).toHaveLength(2);
      await ok(t, modFR, 'POST', `/api/moderation/posts/${opened.posts[0]!.id}/hide`, { reason: REASON });

      expect(await counts()).toEqual(before);
      for (const url of [
        '/api/threads?limit=100',
        `/api/threads?author=${author.user.id}`,
        '/api/threads?topic=illicit-fuel',
        '/api/threads?sort=newest',
      ]) {
        const res = await get(reader, url);
        expect(res.statusCode).toBe(200);
        expect(res.body, url).not.toContain(word);
        expect(res.body, url).not.toContain(opened.thread.id);
      }
      expectError(await get(reader, `/api/threads/${opened.thread.id}`), 404);
      expectError(await get(modKE, `/api/threads/${opened.thread.id}`), 404);
      // Search: by its words, by its operators alone, by its title while composing, in suggestions.
      for (const [who, label] of [
        [reader, 'a member'],
        [modKE, 'a moderator out of scope'],
        [author, 'its author'],
      ] as const) {
        await findsNothing(who, word, `search as ${label}`);
        const byTopic = await search(who, 'topic:illicit-fuel jurisdiction:FR');
        expect(
          byTopic.map((r) => r.thread.id),
          label,
        ).not.toContain(opened.thread.id);
        expect(await titleSearches(who, `Fuel smuggling and ${word}`, word), label).not.toContain(opened.thread.id);
      }
      for (const who of [modFR, admin]) {
        const results = await search(who, word);
        expect(results.map((r) => r.thread.id)).toEqual([opened.thread.id]);
        expect(results[0]!.thread.state).toBe('hidden');
        expect(results[0]!.posts.map((p) => [p.number, p.state])).toEqual([[1, 'hidden']]);
        const byTopic = await search(who, 'topic:illicit-fuel jurisdiction:FR');
        expect(byTopic.map((r) => r.thread.id)).toContain(opened.thread.id);
      }
      const replyRes = await send(t, reader, 'POST', `/api/threads/${opened.thread.id}/posts`, { body: 'Hello?' });
      expect(replyRes.statusCode).toBe(404);

      for (const who of [author, modFR]) {
        const page = await ok<ThreadWithPosts>(t, who, 'GET', `/api/threads/${opened.thread.id}`);
        expect(page.thread.state).toBe('hidden');
      }
    });
  });

  // ---- Pre-moderation ---------------------------------------------------------------------------

  describe('pre-moderation (premoderatedPosts 2)', () => {
    let host: Actor;
    let follower: Actor;
    let hostThread: ThreadWithPosts;

    beforeAll(async () => {
      await configure(t, { premoderatedPosts: 0 });
      host = await quickMember(t, 'FR', { displayName: 'Hugo Host' });
      follower = await quickMember(t, 'FR', { displayName: 'Fiona Follower' });
      // Made while pre-moderation is off, so these two have posts of their own.
      hostThread = await thread(t, host, { jurisdictions: ['FR'] });
      await reply(t, follower, hostThread.thread.id);
      await reply(t, follower, hostThread.thread.id);
      await ok(t, follower, 'PUT', `/api/follows/thread/${hostThread.thread.id}`);
      await configure(t, { premoderatedPosts: 2 });
    });
    afterAll(async () => configure(t, { premoderatedPosts: 0 }));

    it("holds a new member's first posts (202 pending): nothing is created, counted or notified", async () => {
      const newcomer = await quickMember(t, 'FR', { displayName: 'Nina Newcomer' });
      const word = secret();
      const before = {
        host: storedNotifications(t, host.user.id).length,
        follower: storedNotifications(t, follower.user.id).length,
        posts: (t.handle.sqlite.prepare('select count(*) as n from posts').get() as { n: number }).n,
      };
      const res = await send(t, newcomer, 'POST', `/api/threads/${hostThread.thread.id}/posts`, {
        body: `Hello, ${word}.`,
      });
      expect(res.statusCode, res.body).toBe(202);
      const pending = (res.json() as { pending: PendingSubmission }).pending;
      expect(pending).toMatchObject({
        kind: 'reply',
        status: 'pending',
        threadId: hostThread.thread.id,
        title: hostThread.thread.title,
        postId: null,
        reason: null,
        decidedAt: null,
      });
      expect(pending.cooked).toContain(word);
      expect((t.handle.sqlite.prepare('select count(*) as n from posts').get() as { n: number }).n).toBe(before.posts);
      expect(storedNotifications(t, host.user.id)).toHaveLength(before.host);
      expect(storedNotifications(t, follower.user.id)).toHaveLength(before.follower);

      for (const who of [reader, host, modKE]) {
        const page = await get(who, `/api/threads/${hostThread.thread.id}`);
        expect(page.body).not.toContain(word);
        expect((page.json() as ThreadWithPosts).thread.pending).toEqual([]);
        expect((await get(who, '/api/threads?limit=100')).body).not.toContain(word);
      }
      // Nobody finds a pending post by search, not even its author or an admin: it is not a post yet.
      for (const who of [reader, host, modKE, modFR, admin, newcomer]) await findsNothing(who, word, 'search');
      const own = await ok<ThreadWithPosts>(t, newcomer, 'GET', `/api/threads/${hostThread.thread.id}`);
      expect(own.thread.pending.map((p) => p.id)).toEqual([pending.id]);
      expect(own.posts.some((p) => p.cooked.includes(word))).toBe(false);
      const list = await ok<{ submissions: PendingSubmission[] }>(t, newcomer, 'GET', '/api/account/submissions');
      expect(list.submissions.map((s) => [s.id, s.status])).toEqual([[pending.id, 'pending']]);
      // The moderators in scope see it in the queue.
      expect(await itemOfSubmission(t, modFR, pending.id)).toMatchObject({
        kind: 'submission',
        author: { id: newcomer.user.id },
      });
      expect(await itemOfSubmission(t, modKE, pending.id)).toBeUndefined();
    });

    it('holds a new thread too, out of the list and the tag counts', async () => {
      const newcomer = await quickMember(t, 'FR');
      const word = secret();
      const tags = await ok<TagCounts>(t, reader, 'GET', '/api/threads/tag-counts');
      const res = await send(t, newcomer, 'POST', '/api/threads', {
        kind: 'discussion',
        title: `Pending thread ${word}`,
        jurisdictions: ['FR'],
        topics: ['food-fraud'],
        citations: [],
        body: `About ${word}.`,
      });
      expect(res.statusCode, res.body).toBe(202);
      expect(res.json().pending).toMatchObject({ kind: 'thread', threadId: null, title: `Pending thread ${word}` });
      expect(await ok<TagCounts>(t, reader, 'GET', '/api/threads/tag-counts')).toEqual(tags);
      expect((await get(reader, '/api/threads?limit=100')).body).not.toContain(word);
      expect((await get(newcomer, '/api/threads?limit=100')).body).not.toContain(word);
      for (const who of [reader, newcomer, modFR, admin]) {
        await findsNothing(who, word, 'search');
        const similar = await get(who, `/api/search/similar?title=${encodeURIComponent(`Pending thread ${word}`)}`);
        const suggest = await get(who, `/api/search/suggest?q=${word}`);
        for (const res of [similar, suggest]) {
          expect(res.statusCode).toBe(200);
          expect(res.body).not.toContain(word);
        }
      }
      const item = await itemOfSubmission(t, modFR, res.json().pending.id);
      expect(item?.thread).toMatchObject({ id: null, title: `Pending thread ${word}` });
    });

    it('approval creates the post then, with the ordinary notifications, and counts it; the third post goes straight in', async () => {
      const newcomer = await quickMember(t, 'FR', { displayName: 'Omar Onboarding' });
      const word = secret();
      const first = await pendingReply(t, newcomer, hostThread.thread.id, `First, ${word}.`);
      const item = (await itemOfSubmission(t, modFR, first.id))!;
      const hostBefore = storedNotifications(t, host.user.id).length;
      const mark = lastAuditId(t);

      const res = await send(t, modFR, 'POST', `/api/moderation/queue/${item.id}/approve`, {});
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().item).toMatchObject({ status: 'closed', resolution: { action: 'approved' } });
      expect(moderationAuditSince(t, mark).map((r) => r.action)).toEqual(['submission.approve']);

      const page = await ok<ThreadWithPosts>(t, reader, 'GET', `/api/threads/${hostThread.thread.id}`);
      const created = page.posts.find((p) => p.cooked.includes(word));
      expect(created).toMatchObject({
        state: 'visible',
        withheld: false,
        author: expect.objectContaining({ id: newcomer.user.id }),
      });
      const found = await search(reader, word);
      expect(found.map((r) => [r.thread.id, r.posts.map((p) => p.id)])).toEqual([
        [hostThread.thread.id, [created!.id]],
      ]);
      const hostNow = storedNotifications(t, host.user.id);
      expect(hostNow.length).toBe(hostBefore + 1);
      expect(hostNow.at(-1)?.threadId).toBe(hostThread.thread.id);
      const mine = await ok<{ submissions: PendingSubmission[] }>(t, newcomer, 'GET', '/api/account/submissions');
      expect(mine.submissions.find((s) => s.id === first.id)).toMatchObject({
        status: 'approved',
        postId: created!.id,
      });
      expect(
        (await ok<ThreadWithPosts>(t, newcomer, 'GET', `/api/threads/${hostThread.thread.id}`)).thread.pending,
      ).toEqual([]);
      expectError(await send(t, modFR, 'POST', `/api/moderation/queue/${item.id}/approve`, {}), 409, 'INVALID_STATE');
      expectError(
        await send(t, modFR, 'POST', `/api/moderation/queue/${item.id}/reject`, { reason: REASON }),
        409,
        'INVALID_STATE',
      );

      // One post made: the second still waits, the third (two posts in) goes straight in.
      const second = await pendingReply(t, newcomer, hostThread.thread.id);
      await ok(t, modFR, 'POST', `/api/moderation/queue/${(await itemOfSubmission(t, modFR, second.id))!.id}/approve`, {
        reason: 'Fine.',
      });
      expect(
        (await send(t, newcomer, 'POST', `/api/threads/${hostThread.thread.id}/posts`, { body: 'Third.' })).statusCode,
      ).toBe(201);
    });

    it('approving a new thread creates it, in the list', async () => {
      const newcomer = await quickMember(t, 'FR');
      const word = secret();
      const res = await send(t, newcomer, 'POST', '/api/threads', {
        kind: 'discussion',
        title: `Approved thread ${word}`,
        jurisdictions: ['FR'],
        topics: ['food-fraud'],
        citations: [],
        body: `About ${word}.`,
      });
      expect(res.statusCode, res.body).toBe(202);
      const item = (await itemOfSubmission(t, modFR, res.json().pending.id))!;
      await ok(t, modFR, 'POST', `/api/moderation/queue/${item.id}/approve`, {});
      expect((await get(reader, '/api/threads?limit=100')).body).toContain(word);
      const found = await search(reader, word);
      expect(found.map((r) => r.thread.title)).toEqual([`Approved thread ${word}`]);
      const approvedId = found[0]!.thread.id;
      const titled = await titleSearches(reader, `Approved thread ${word}`, word);
      expect(titled.filter((id) => id === approvedId)).toHaveLength(2);
      const mine = await ok<{ submissions: PendingSubmission[] }>(t, newcomer, 'GET', '/api/account/submissions');
      expect(mine.submissions[0]).toMatchObject({
        status: 'approved',
        threadId: expect.any(String),
        postId: expect.any(String),
      });
    });

    it('rejection creates nothing and tells the author why', async () => {
      const newcomer = await quickMember(t, 'FR');
      const word = secret();
      const pending = await pendingReply(t, newcomer, hostThread.thread.id, `Rejected ${word}.`);
      const item = (await itemOfSubmission(t, modFR, pending.id))!;
      const before = (t.handle.sqlite.prepare('select count(*) as n from posts').get() as { n: number }).n;
      const mark = lastAuditId(t);
      for (const body of [{}, { reason: 'no' }])
        expectError(await send(t, modFR, 'POST', `/api/moderation/queue/${item.id}/reject`, body), 400);
      const res = await send(t, modFR, 'POST', `/api/moderation/queue/${item.id}/reject`, {
        reason: 'Contains a case number.',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(moderationAuditSince(t, mark).map((r) => [r.action, r.reason])).toEqual([
        ['submission.reject', 'Contains a case number.'],
      ]);
      expect((t.handle.sqlite.prepare('select count(*) as n from posts').get() as { n: number }).n).toBe(before);
      const told = (await notificationsOf(t, newcomer))[0];
      expect(told?.kind).toBe('content_moderated');
      expect(JSON.stringify(told)).toContain('Contains a case number.');
      const mine = await ok<{ submissions: PendingSubmission[] }>(t, newcomer, 'GET', '/api/account/submissions');
      expect(mine.submissions.find((s) => s.id === pending.id)).toMatchObject({
        status: 'rejected',
        reason: 'Contains a case number.',
        postId: null,
      });
      expect((await get(reader, `/api/threads/${hostThread.thread.id}`)).body).not.toContain(word);
      for (const who of [reader, newcomer, modFR, admin]) await findsNothing(who, word, 'search');
    });

    it('never holds staff posts', async () => {
      const freshMod = await quickModerator(t, ['DE']);
      const freshAdmin = await quickAdmin(t);
      for (const who of [freshMod, freshAdmin]) {
        expect(
          (await send(t, who, 'POST', `/api/threads/${hostThread.thread.id}/posts`, { body: 'Staff reply.' }))
            .statusCode,
        ).toBe(201);
      }
    });

    it('holds every post of a member under review, however many they wrote', async () => {
      // The follower has two posts already: not held for being new.
      expect(
        (await send(t, follower, 'POST', `/api/threads/${hostThread.thread.id}/posts`, { body: 'Not held.' }))
          .statusCode,
      ).toBe(201);
      await ok(t, modFR, 'PUT', `/api/moderation/users/${follower.user.id}/review`, {
        reason: REASON,
        underReview: true,
      });
      const before = moderationSnapshot(t);
      const held = await send(t, follower, 'POST', `/api/threads/${hostThread.thread.id}/posts`, { body: 'Held.' });
      expect(held.statusCode, held.body).toBe(202);
      expect(moderationSnapshot(t)).not.toBe(before);
      await ok(t, modFR, 'PUT', `/api/moderation/users/${follower.user.id}/review`, {
        reason: 'Lifted.',
        underReview: false,
      });
    });

    it('does not reveal a pending reply through the mention picker', async () => {
      const quiet = await quickMember(t, 'FR', { displayName: 'Quentin Quiet' });
      await pendingReply(t, quiet, hostThread.thread.id);
      const picker = await ok<{ members: { id: string; inThread: boolean }[] }>(
        t,
        reader,
        'GET',
        `/api/members/mentionable?q=quentin&threadId=${hostThread.thread.id}`,
      );
      expect(picker.members.find((m) => m.id === quiet.user.id)?.inThread ?? false).toBe(false);
    });

    it('answers a pending reply to a locked thread with 409 THREAD_LOCKED, not 202', async () => {
      const newcomer = await quickMember(t, 'FR');
      // The follower has posts of their own: their thread is not held.
      const opened = await thread(t, follower, { jurisdictions: ['FR'] });
      await ok(t, modFR, 'POST', `/api/moderation/threads/${opened.thread.id}/lock`, { reason: REASON });
      expectError(
        await send(t, newcomer, 'POST', `/api/threads/${opened.thread.id}/posts`, { body: 'Late.' }),
        409,
        'THREAD_LOCKED',
      );
    });
  });
});

/**
 * Moderation through the real app: reports (one open report per member per post, automatic hiding
 * on confidential-data reports), the review queue (scope, order, filters, claims), the actions on
 * posts and threads, moderator edits and retags, and members placed under review. Every action must
 * write exactly one audit entry with its reason (before/after where content changes), notify the
 * author with the reason, and close the reports it decides; bad input is a 4xx with the error
 * shape, never a 500. FR content: the FR moderator is in scope, the KE moderator is not.
 */
import type { Post, ReviewItem, ReviewItemDetail, ThreadDetail, ThreadPage, ThreadWithPosts } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, errorCode, MINUTE, TEST_PASSWORD, type TestApp } from '../helpers/app.js';
import {
  auditRows,
  configure,
  expectError,
  itemOfPost,
  lastAuditId,
  moderatePost,
  moderationAuditSince,
  moderationSnapshot,
  notificationsOf,
  ok,
  queue,
  quickAdmin,
  quickMember,
  quickModerator,
  report,
  reply,
  send,
  thread,
  notifiedDuring,
  type PostAction,
} from '../helpers/moderation.js';
import type { Actor } from '../helpers/vetting.js';

const REASON = 'Names the defendant, a minor, in breach of the rules.';

describe('Moderation API', () => {
  let t: TestApp;
  let admin: Actor;
  let modFR: Actor;
  let modKE: Actor;
  let author: Actor;
  let reader: Actor;

  beforeAll(async () => {
    t = await buildTestApp();
    await configure(t, { premoderatedPosts: 0, confidentialReportsToHide: 2, moderatorsCanSuspend: false });
    admin = await quickAdmin(t, { displayName: 'Ada Admin' });
    modFR = await quickModerator(t, ['FR'], { displayName: 'Fabienne Moderator' });
    modKE = await quickModerator(t, ['KE'], { displayName: 'Kamau Moderator' });
    author = await quickMember(t, 'FR', { displayName: 'Arthur Author' });
    reader = await quickMember(t, 'FR', { displayName: 'Rita Reader' });
  });
  afterAll(async () => t?.close());

  /** A fresh FR thread by the author with one reply of theirs. */
  const content = async (jurisdictions = ['FR'], kind: 'discussion' | 'question' = 'discussion') => {
    const opened = await thread(t, author, { kind, jurisdictions });
    const post = await reply(t, author, opened.thread.id, 'The defendant, aged 16, was named in the file.');
    return { thread: opened.thread, opener: opened.posts[0]!, post };
  };
  const reporterOf = () => quickMember(t, 'DE', { displayName: 'Reporting Member' });
  const postAs = async (who: Actor, postId: string) =>
    (await ok<{ post: Post }>(t, who, 'GET', `/api/posts/${postId}`)).post;
  const stateOf = (postId: string) =>
    (t.handle.sqlite.prepare('select state from posts where id = ?').get(postId) as { state: string }).state;
  const lastNotification = async (who: Actor) => (await notificationsOf(t, who))[0];

  // ---- Reports ----------------------------------------------------------------------------------

  describe('POST /api/posts/:id/reports', () => {
    it('files a report and puts the post in the queue of the moderators in scope only', async () => {
      const { post, thread: th } = await content();
      const reporter = await reporterOf();
      expect((await postAs(reporter, post.id)).canReport).toBe(true);
      const res = await send(t, reporter, 'POST', `/api/posts/${post.id}/reports`, {
        reason: 'inaccurate_law',
        note: 'Article 7 was amended in 2024.',
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().report).toMatchObject({
        postId: post.id,
        reason: 'inaccurate_law',
        note: 'Article 7 was amended in 2024.',
        status: 'open',
        resolvedAt: null,
      });
      expect((await postAs(reporter, post.id)).canReport).toBe(false);

      const item = await itemOfPost(t, modFR, post.id);
      expect(item).toMatchObject({
        kind: 'post',
        status: 'open',
        reportCount: 1,
        reasons: [{ reason: 'inaccurate_law', count: 1 }],
        post: { id: post.id, number: post.number, state: 'visible' },
        thread: { id: th.id, title: th.title },
        author: { id: author.user.id },
        claimedBy: null,
        resolution: null,
      });
      expect(await itemOfPost(t, modKE, post.id), 'out of scope').toBeUndefined();
      expect(await itemOfPost(t, admin, post.id)).toBeDefined();
      // Reporting does not hide anything.
      expect((await postAs(reader, post.id)).withheld).toBe(false);
    });

    it('refuses a second open report by the same member (409 ALREADY_REPORTED); others add to the same item', async () => {
      const { post } = await content();
      const [first, second] = [await reporterOf(), await reporterOf()];
      await report(t, first, post.id, 'off_topic');
      const before = moderationSnapshot(t);
      for (const reason of ['off_topic', 'spam']) {
        const again = await send(t, first, 'POST', `/api/posts/${post.id}/reports`, { reason });
        expectError(again, 409, 'ALREADY_REPORTED');
      }
      expect(moderationSnapshot(t)).toBe(before);
      await report(t, second, post.id, 'spam');
      const item = await itemOfPost(t, modFR, post.id);
      expect(item?.reportCount).toBe(2);
      expect(item?.reasons).toEqual(
        expect.arrayContaining([
          { reason: 'off_topic', count: 1 },
          { reason: 'spam', count: 1 },
        ]),
      );
      const items = (await queue(t, modFR)).items.filter((i) => i.post?.id === post.id);
      expect(items).toHaveLength(1);
    });

    it('lets a member report again once their earlier report was resolved', async () => {
      const { post } = await content();
      const reporter = await reporterOf();
      await report(t, reporter, post.id, 'off_topic');
      await ok(t, modFR, 'POST', `/api/moderation/posts/${post.id}/dismiss`, {
        reason: 'On topic: it is about tobacco.',
      });
      expect((await postAs(reporter, post.id)).canReport).toBe(true);
      expect((await send(t, reporter, 'POST', `/api/posts/${post.id}/reports`, { reason: 'spam' })).statusCode).toBe(
        201,
      );
    });

    it('refuses a report on your own post (403 FORBIDDEN) and shows canReport false there', async () => {
      const { post } = await content();
      expect((await postAs(author, post.id)).canReport).toBe(false);
      expectError(await send(t, author, 'POST', `/api/posts/${post.id}/reports`, { reason: 'spam' }), 403, 'FORBIDDEN');
    });

    const BAD_REPORTS: { what: string; body: unknown }[] = [
      { what: 'no body', body: undefined },
      { what: 'no reason', body: {} },
      { what: 'an unknown reason', body: { reason: 'rude' } },
      { what: 'a reason that is not a string', body: { reason: 7 } },
      { what: '"other" without a note', body: { reason: 'other' } },
      { what: '"other" with a short note', body: { reason: 'other', note: 'no' } },
      { what: '"other" with a blank note', body: { reason: 'other', note: '      ' } },
      { what: 'a note over 500 characters', body: { reason: 'other', note: 'x'.repeat(501) } },
      { what: 'an unknown field', body: { reason: 'spam', severity: 'high' } },
      { what: 'a note that is not a string', body: { reason: 'spam', note: 7 } },
    ];

    it.each(BAD_REPORTS)('refuses $what with 400 and the error shape, changing nothing', async ({ body }) => {
      const { post } = await content();
      const reporter = await reporterOf();
      const before = moderationSnapshot(t);
      const res = await send(t, reporter, 'POST', `/api/posts/${post.id}/reports`, body);
      expectError(res, 400);
      expect(moderationSnapshot(t)).toBe(before);
    });

    it('accepts "other" with a note of 3 to 500 characters', async () => {
      const { post } = await content();
      const res = await send(t, await reporterOf(), 'POST', `/api/posts/${post.id}/reports`, {
        reason: 'other',
        note: 'x'.repeat(500),
      });
      expect(res.statusCode, res.body).toBe(201);
    });

    it.each([
      { what: 'an unknown post', id: 'nosuchpost0000000000', status: [404] },
      { what: 'a malformed id', id: '%27%20or%201%3D1', status: [400, 404] },
      { what: 'an over-long id', id: 'a'.repeat(300), status: [400, 404] },
    ])('answers $what with a 4xx error, not a 500', async ({ id, status }) => {
      const res = await send(t, reader, 'POST', `/api/posts/${id}/reports`, { reason: 'spam' });
      expect(status, res.body).toContain(res.statusCode);
      expectError(res, res.statusCode);
    });

    it('answers 404 for a hidden or deleted post', async () => {
      for (const action of ['hide', 'delete'] as const) {
        const { post } = await content();
        await ok(t, modFR, 'POST', `/api/moderation/posts/${post.id}/${action}`, { reason: REASON });
        expectError(await send(t, reader, 'POST', `/api/posts/${post.id}/reports`, { reason: 'spam' }), 404);
      }
    });

    it('hides the post at once when open confidential-data reports reach confidentialReportsToHide (2)', async () => {
      const { post } = await content();
      const [a, b, c] = [await reporterOf(), await reporterOf(), await reporterOf()];
      await report(t, a, post.id, 'confidential_data');
      await report(t, b, post.id, 'off_topic');
      expect(stateOf(post.id), 'one confidential report and one of another reason').toBe('visible');
      const mark = lastAuditId(t);
      await report(t, c, post.id, 'confidential_data');
      expect(stateOf(post.id)).toBe('hidden');
      const own = await postAs(author, post.id);
      expect(own.state).toBe('hidden');
      expect(own.moderation).toMatchObject({ automatic: true, by: null });
      const audit = moderationAuditSince(t, mark);
      expect(audit.map((r) => r.action)).toEqual(['post.auto_hide']);
      expect(audit[0]).toMatchObject({ targetId: post.id, targetUserId: author.user.id, actorId: null });
      // As data: the client words it; no English sentence of the server's in the body.
      expect(await lastNotification(author)).toMatchObject({
        kind: 'content_moderated',
        params: { action: 'auto_hide' },
        body: null,
        legacyTitle: null,
      });
      // Still in the queue, for a moderator to decide.
      expect((await itemOfPost(t, modFR, post.id))?.post?.state).toBe('hidden');
    });

    it('never hides automatically when confidentialReportsToHide is 0', async () => {
      await configure(t, { confidentialReportsToHide: 0 });
      try {
        const { post } = await content();
        for (let i = 0; i < 3; i++) await report(t, await reporterOf(), post.id, 'confidential_data');
        expect(stateOf(post.id)).toBe('visible');
      } finally {
        await configure(t, { confidentialReportsToHide: 2 });
      }
    });
  });

  // ---- The queue --------------------------------------------------------------------------------

  describe('GET /api/moderation/queue', () => {
    it('lists open items oldest first and closed ones newest first, only in scope, with counts', async () => {
      const fresh = await buildTestApp();
      try {
        await configure(fresh, { premoderatedPosts: 0, confidentialReportsToHide: 0 });
        const fr = await quickModerator(fresh, ['FR']);
        const ke = await quickModerator(fresh, ['KE']);
        const writer = await quickMember(fresh, 'FR');
        const reporters = [await quickMember(fresh, 'DE'), await quickMember(fresh, 'DE')];
        const posts: Post[] = [];
        for (const jurisdictions of [['FR'], ['KE'], ['FR'], ['INT']]) {
          const opened = await thread(fresh, writer, { jurisdictions });
          posts.push(await reply(fresh, writer, opened.thread.id));
        }
        for (const [i, post] of posts.entries()) {
          await report(fresh, reporters[0]!, post.id, i === 2 ? 'confidential_data' : 'spam');
          fresh.clock.advance(MINUTE);
        }
        await report(fresh, reporters[1]!, posts[0]!.id, 'off_topic');

        const frQueue = await queue(fresh, fr);
        expect(frQueue.items.map((i) => i.post?.id)).toEqual([posts[0]!.id, posts[2]!.id, posts[3]!.id]);
        expect(frQueue.counts).toMatchObject({ open: 3, reports: 3, submissions: 0, confidential: 1, claimedByYou: 0 });
        const keQueue = await queue(fresh, ke);
        expect(keQueue.items.map((i) => i.post?.id)).toEqual([posts[1]!.id, posts[3]!.id]);
        expect(keQueue.counts.open).toBe(2);

        expect((await queue(fresh, fr, 'reason=confidential_data')).items.map((i) => i.post?.id)).toEqual([
          posts[2]!.id,
        ]);
        expect((await queue(fresh, fr, 'kind=submission')).items).toEqual([]);
        const paged = await ok<{ items: ReviewItem[]; nextCursor: number | null }>(
          fresh,
          fr,
          'GET',
          '/api/moderation/queue?limit=2',
        );
        expect(paged.items).toHaveLength(2);
        expect(paged.nextCursor).not.toBeNull();

        await ok(fresh, fr, 'POST', `/api/moderation/posts/${posts[0]!.id}/hide`, { reason: REASON });
        fresh.clock.advance(MINUTE);
        await ok(fresh, fr, 'POST', `/api/moderation/posts/${posts[2]!.id}/dismiss`, {
          reason: 'Nothing confidential.',
        });
        const closed = await queue(fresh, fr, 'status=closed');
        expect(closed.items.map((i) => i.post?.id)).toEqual([posts[2]!.id, posts[0]!.id]);
        expect(closed.items[0]!.resolution).toMatchObject({
          action: 'dismissed',
          reason: 'Nothing confidential.',
          by: { id: fr.user.id },
        });
        expect(closed.items[1]!.resolution).toMatchObject({ action: 'hidden', reason: REASON });
        expect((await queue(fresh, fr)).counts.open).toBe(1);
        // The KE moderator never sees FR items, open or closed.
        expect((await queue(fresh, ke, 'status=closed')).items).toEqual([]);
      } finally {
        await fresh.close();
      }
    });

    it.each([
      'status=pending',
      'kind=thread',
      'reason=rude',
      'limit=0',
      'limit=101',
      'cursor=abc',
      'cursor=-1',
      'sort=newest',
    ])('refuses ?%s with 400', async (query) => {
      expectError(await send(t, modFR, 'GET', `/api/moderation/queue?${query}`), 400);
    });
  });

  describe('GET /api/moderation/queue/:id', () => {
    it('gives the post, its parent, thread, revisions, every report with its reporter, the author record and can', async () => {
      const { post, opener, thread: th } = await content();
      const reporter = await reporterOf();
      await report(t, reporter, post.id, 'confidential_data');
      const item = (await itemOfPost(t, modFR, post.id))!;
      const detail = await ok<ReviewItemDetail>(t, modFR, 'GET', `/api/moderation/queue/${item.id}`);
      expect(detail.item.id).toBe(item.id);
      expect(detail.post).toMatchObject({ id: post.id, canModerate: true });
      expect(detail.parent?.id).toBe(opener.id);
      expect(detail.thread?.id).toBe(th.id);
      expect(detail.revisions.map((r) => r.version)).toEqual([1]);
      expect(detail.reports).toEqual([
        expect.objectContaining({
          reason: 'confidential_data',
          status: 'open',
          reporter: expect.objectContaining({ id: reporter.user.id }),
        }),
      ]);
      expect(detail.authorRecord.author).toMatchObject({
        id: author.user.id,
        underReview: false,
        jurisdictionCode: 'FR',
      });
      expect(detail.can).toEqual({ act: true, suspend: false });
      const asAdmin = await ok<ReviewItemDetail>(t, admin, 'GET', `/api/moderation/queue/${item.id}`);
      expect(asAdmin.can).toEqual({ act: true, suspend: true });
    });

    it.each([
      { what: 'an unknown id', id: '999999', status: 404 },
      { what: 'a non-numeric id', id: 'abc', status: 400 },
      { what: 'zero', id: '0', status: 400 },
    ])('answers $what with $status', async ({ id, status }) => {
      expectError(await send(t, modFR, 'GET', `/api/moderation/queue/${id}`), status);
      expectError(await send(t, modFR, 'POST', `/api/moderation/queue/${id}/claim`), status);
      expectError(await send(t, modFR, 'POST', `/api/moderation/queue/${id}/reject`, { reason: REASON }), status);
    });
  });

  describe('POST/DELETE /api/moderation/queue/:id/claim', () => {
    it("blocks others' actions while claimed (409 CLAIMED_BY_OTHER), frees on release, lets admins override, expires", async () => {
      const { post } = await content(['FR', 'KE']);
      await report(t, await reporterOf(), post.id, 'spam');
      const item = (await itemOfPost(t, modFR, post.id))!;
      const claimed = await ok<{ item: ReviewItem }>(t, modFR, 'POST', `/api/moderation/queue/${item.id}/claim`);
      expect(claimed.item.claimedBy).toMatchObject({ id: modFR.user.id });
      expect((await queue(t, modFR)).counts.claimedByYou).toBeGreaterThanOrEqual(1);

      expectError(await send(t, modKE, 'POST', `/api/moderation/queue/${item.id}/claim`), 409, 'CLAIMED_BY_OTHER');
      const before = moderationSnapshot(t);
      expectError(await moderatePost(t, modKE, post.id, 'hide'), 409, 'CLAIMED_BY_OTHER');
      // Releasing someone else's claim: a conflict (CLAIMED_BY_OTHER, or INVALID_STATE "not yours").
      expectError(await send(t, modKE, 'DELETE', `/api/moderation/queue/${item.id}/claim`), 409);
      expect(moderationSnapshot(t)).toBe(before);

      const released = await ok<{ item: ReviewItem }>(t, modFR, 'DELETE', `/api/moderation/queue/${item.id}/claim`);
      expect(released.item.claimedBy).toBeNull();
      await ok(t, modKE, 'POST', `/api/moderation/queue/${item.id}/claim`);
      // An admin may act over someone's claim.
      const res = await moderatePost(t, admin, post.id, 'warn');
      expect(res.statusCode, res.body).toBe(200);

      // Claims expire after claimMinutes (60 by default).
      const other = await content(['FR']);
      await report(t, await reporterOf(), other.post.id, 'spam');
      const second = (await itemOfPost(t, modFR, other.post.id))!;
      await ok(t, admin, 'POST', `/api/moderation/queue/${second.id}/claim`);
      expectError(await send(t, modFR, 'POST', `/api/moderation/queue/${second.id}/claim`), 409, 'CLAIMED_BY_OTHER');
      t.clock.advance(61 * MINUTE);
      const taken = await send(t, modFR, 'POST', `/api/moderation/queue/${second.id}/claim`);
      expect(taken.statusCode, taken.body).toBe(200);
    });

    it('writes one audit entry per claim and per release', async () => {
      const { post } = await content();
      await report(t, await reporterOf(), post.id, 'spam');
      const item = (await itemOfPost(t, modFR, post.id))!;
      const mark = lastAuditId(t);
      await ok(t, modFR, 'POST', `/api/moderation/queue/${item.id}/claim`);
      await ok(t, modFR, 'DELETE', `/api/moderation/queue/${item.id}/claim`);
      expect(moderationAuditSince(t, mark).map((r) => r.action)).toEqual(['review.claim', 'review.release']);
    });
  });

  // ---- Actions on posts -------------------------------------------------------------------------

  describe('POST /api/moderation/posts/:id/<action>', () => {
    interface ActionCase {
      action: PostAction;
      audit: string;
      resolution: string;
      reportStatus: 'upheld' | 'dismissed';
      state: string;
      notice: 'content_moderated' | 'moderation_warning';
      setup?: 'hidden';
    }
    const ACTIONS: ActionCase[] = [
      {
        action: 'hide',
        audit: 'post.hide',
        resolution: 'hidden',
        reportStatus: 'upheld',
        state: 'hidden',
        notice: 'content_moderated',
      },
      {
        action: 'delete',
        audit: 'post.delete',
        resolution: 'deleted',
        reportStatus: 'upheld',
        state: 'deleted',
        notice: 'content_moderated',
      },
      {
        action: 'warn',
        audit: 'user.warn',
        resolution: 'dismissed',
        reportStatus: 'upheld',
        state: 'visible',
        notice: 'moderation_warning',
      },
      {
        action: 'dismiss',
        audit: 'report.dismiss',
        resolution: 'dismissed',
        reportStatus: 'dismissed',
        state: 'visible',
        notice: 'content_moderated',
      },
      {
        action: 'restore',
        audit: 'post.restore',
        resolution: 'restored',
        // Restoring says the reports were unfounded.
        reportStatus: 'dismissed',
        state: 'visible',
        notice: 'content_moderated',
        setup: 'hidden',
      },
    ];

    it.each(ACTIONS)(
      '$action: one audit entry with the reason, the author told why, the reports and the item closed',
      async (c) => {
        const { post } = await content();
        const reporter = await reporterOf();
        // A hidden post cannot be reported: restore gets one that reports hid, its item still open.
        if (c.setup === 'hidden') {
          await report(t, await reporterOf(), post.id, 'confidential_data');
          await report(t, reporter, post.id, 'confidential_data');
          expect(stateOf(post.id)).toBe('hidden');
        } else {
          await report(t, reporter, post.id, 'off_topic');
        }
        const item = (await itemOfPost(t, modFR, post.id))!;
        const mark = lastAuditId(t);
        const reason = `Because of rule 4 (${c.action}).`;
        let res!: Awaited<ReturnType<typeof moderatePost>>;
        const toAuthor = await notifiedDuring(t, author, async () => {
          const toReporter = await notifiedDuring(t, reporter, async () => {
            res = await moderatePost(t, modFR, post.id, c.action, { reason });
          });
          expect(toReporter.map((n) => n.kind)).toEqual(['report_resolved']);
        });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json().post).toMatchObject({ id: post.id, state: c.state, withheld: false });

        const audit = moderationAuditSince(t, mark);
        expect(audit, JSON.stringify(audit)).toHaveLength(1);
        expect(audit[0]).toMatchObject({
          action: c.audit,
          actorId: modFR.user.id,
          reason,
          targetUserId: author.user.id,
        });
        expect(stateOf(post.id)).toBe(c.state);

        // Dismissing unfounded reports on a visible post may tell the author nothing; all else must.
        if (c.action !== 'dismiss' || toAuthor.length > 0) {
          expect(toAuthor.map((n) => n.kind)).toEqual([c.notice]);
          expect(JSON.stringify(toAuthor[0])).toContain(reason);
        }

        const closed = await itemOfPost(t, modFR, post.id, 'closed');
        expect(closed?.id).toBe(item.id);
        expect(closed?.resolution).toMatchObject({ reason, by: { id: modFR.user.id } });
        expect(await itemOfPost(t, modFR, post.id)).toBeUndefined();
        const stored = t.handle.sqlite.prepare('select status from reports where post_id = ?').all(post.id) as {
          status: string;
        }[];
        expect(new Set(stored.map((r) => r.status))).toEqual(new Set([c.reportStatus]));
      },
    );

    it('records the resolution of each action on its item', async () => {
      const got: Record<string, string | undefined> = {};
      for (const c of ACTIONS) {
        const { post } = await content();
        const reason = c.setup === 'hidden' ? 'confidential_data' : 'spam';
        await report(t, await reporterOf(), post.id, reason);
        if (c.setup === 'hidden') await report(t, await reporterOf(), post.id, reason);
        await ok(t, modFR, 'POST', `/api/moderation/posts/${post.id}/${c.action}`, { reason: REASON });
        got[c.action] = (await itemOfPost(t, modFR, post.id, 'closed'))?.resolution?.action;
      }
      expect(got).toEqual({
        hide: 'hidden',
        delete: 'deleted',
        warn: expect.any(String),
        dismiss: 'dismissed',
        restore: 'restored',
      });
    });

    it('warn leaves the post as it was and tells nobody else', async () => {
      const { post } = await content();
      const before = await postAs(reader, post.id);
      await ok(t, modFR, 'POST', `/api/moderation/posts/${post.id}/warn`, { reason: 'Mind the naming rules.' });
      const after = await postAs(reader, post.id);
      expect(after).toEqual(before);
      expect((await notificationsOf(t, reader)).some((n) => JSON.stringify(n).includes('Mind the naming rules.'))).toBe(
        false,
      );
    });

    const BAD_REASONS: { what: string; body: unknown }[] = [
      { what: 'no body', body: undefined },
      { what: 'no reason', body: {} },
      { what: 'an empty reason', body: { reason: '' } },
      { what: 'a two-character reason', body: { reason: 'no' } },
      { what: 'a blank reason', body: { reason: '          ' } },
      { what: 'a reason over 500 characters', body: { reason: 'x'.repeat(501) } },
      { what: 'a reason that is not a string', body: { reason: 42 } },
      { what: 'an unknown field', body: { reason: REASON, notify: false } },
    ];
    const REASONED: PostAction[] = ['hide', 'delete', 'warn', 'dismiss', 'suspend-author'];

    it.each(BAD_REASONS)('refuses $what with 400 on every post action, changing nothing', async ({ body }) => {
      const { post } = await content();
      await report(t, await reporterOf(), post.id, 'spam');
      const toThreadId = (await content()).thread.id;
      const problems: string[] = [];
      const before = moderationSnapshot(t);
      for (const action of REASONED) {
        const res = await send(t, admin, 'POST', `/api/moderation/posts/${post.id}/${action}`, body);
        if (res.statusCode !== 400 || !errorCode(res)) problems.push(`${action}: ${res.statusCode} ${res.body}`);
      }
      const moved = await send(t, admin, 'POST', `/api/moderation/posts/${post.id}/move`, {
        ...(body as object),
        toThreadId,
      });
      if (moved.statusCode !== 400) problems.push(`move: ${moved.statusCode} ${moved.body}`);
      expect(problems, problems.join('\n')).toEqual([]);
      expect(moderationSnapshot(t)).toBe(before);
    });

    it('accepts a reason of exactly 3 and of exactly 500 characters', async () => {
      for (const reason of ['abc', 'x'.repeat(500)]) {
        const { post } = await content();
        const res = await moderatePost(t, modFR, post.id, 'hide', { reason });
        expect(res.statusCode, res.body).toBe(200);
      }
    });

    it('answers 409 INVALID_STATE to transitions that make no sense, changing nothing', async () => {
      const { post } = await content();
      const cases: [PostAction, number][] = [];
      const tryIt = async (action: PostAction) => {
        const before = moderationSnapshot(t);
        const res = await moderatePost(t, modFR, post.id, action);
        cases.push([action, res.statusCode]);
        if (res.statusCode === 409) {
          expect(errorCode(res)).toBe('INVALID_STATE');
          expect(moderationSnapshot(t)).toBe(before);
        }
      };
      await tryIt('restore'); // visible
      await ok(t, modFR, 'POST', `/api/moderation/posts/${post.id}/hide`, { reason: REASON });
      await tryIt('hide'); // hidden already
      await ok(t, modFR, 'POST', `/api/moderation/posts/${post.id}/delete`, { reason: REASON });
      await tryIt('delete'); // deleted already
      await tryIt('hide'); // deleted: no longer hideable
      expect(cases).toEqual([
        ['restore', 409],
        ['hide', 409],
        ['delete', 409],
        ['hide', 409],
      ]);
    });

    it('answers 404 for an unknown post and 4xx for a malformed id on every action', async () => {
      const problems: string[] = [];
      for (const action of ['dismiss', 'hide', 'restore', 'delete', 'warn', 'suspend-author'] as const) {
        const unknown = await moderatePost(t, admin, 'nosuchpost0000000000', action);
        if (unknown.statusCode !== 404 || !errorCode(unknown))
          problems.push(`${action} unknown: ${unknown.statusCode}`);
        const bad = await moderatePost(t, admin, '..%2F..%2Fetc', action);
        if (bad.statusCode < 400 || bad.statusCode >= 500) problems.push(`${action} malformed: ${bad.statusCode}`);
      }
      expect(problems, problems.join('\n')).toEqual([]);
    });

    it('dismiss restores a post that reports hid automatically, and marks the reports dismissed', async () => {
      const { post } = await content();
      const reporters = [await reporterOf(), await reporterOf()];
      for (const r of reporters) await report(t, r, post.id, 'confidential_data');
      expect(stateOf(post.id)).toBe('hidden');
      const mark = lastAuditId(t);
      const res = await moderatePost(t, modFR, post.id, 'dismiss', { reason: 'The name is public record.' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().post).toMatchObject({ state: 'visible', moderation: null });
      expect(stateOf(post.id)).toBe('visible');
      expect(moderationAuditSince(t, mark).map((r) => r.action)).toEqual(['report.dismiss']);
      expect(t.handle.sqlite.prepare('select status from reports where post_id = ?').all(post.id)).toEqual([
        { status: 'dismissed' },
        { status: 'dismissed' },
      ]);
      for (const r of reporters) expect((await lastNotification(r))?.kind).toBe('report_resolved');
      expect((await postAs(reader, post.id)).withheld).toBe(false);
    });

    it('suspend-author suspends the author, by an admin, with one audit entry', async () => {
      const victim = await quickMember(t, 'FR');
      const opened = await thread(t, victim, { jurisdictions: ['FR'] });
      // A suspension needs a recent confirmation (this file's clock has moved on since sign-in).
      expect((await send(t, admin, 'POST', '/api/auth/reauth', { password: TEST_PASSWORD })).statusCode).toBe(200);
      const mark = lastAuditId(t);
      const res = await moderatePost(t, admin, opened.posts[0]!.id, 'suspend-author', { reason: REASON });
      expect(res.statusCode, res.body).toBe(200);
      const audit = moderationAuditSince(t, mark);
      expect(audit.map((r) => r.action)).toEqual(['user.suspend']);
      expect(audit[0]).toMatchObject({ reason: REASON, targetUserId: victim.user.id });
      // Refused at once: as suspended, or signed out (sessions revoked).
      expect(['SUSPENDED', 'UNAUTHENTICATED']).toContain(errorCode(await send(t, victim, 'GET', '/api/threads')));
    });

    describe('move', () => {
      it('moves the post and its replies, in order, to the end of the other thread under its opening post', async () => {
        const source = await thread(t, author, { jurisdictions: ['FR'] });
        const target = await thread(t, reader, { jurisdictions: ['FR'] });
        await reply(t, reader, target.thread.id, 'A reply already in the target.');
        const moved = await reply(t, author, source.thread.id, 'The post to move.');
        const child = await reply(t, reader, source.thread.id, 'A reply to the moved post.', moved.id);
        const stays = await reply(t, reader, source.thread.id, 'A reply that stays.');
        const mark = lastAuditId(t);

        const res = await moderatePost(t, modFR, moved.id, 'move', {
          reason: 'Same case as the other thread.',
          toThreadId: target.thread.id,
        });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json().post).toMatchObject({
          id: moved.id,
          threadId: target.thread.id,
          parentId: target.posts[0]!.id,
        });

        const audit = moderationAuditSince(t, mark);
        expect(audit.map((r) => r.action)).toEqual(['post.move']);
        expect(audit[0]!.reason).toBe('Same case as the other thread.');

        const after = await ok<ThreadWithPosts>(t, reader, 'GET', `/api/threads/${target.thread.id}`);
        expect(after.posts.map((p) => p.id).slice(-2)).toEqual([moved.id, child.id]);
        expect(after.posts.find((p) => p.id === child.id)?.parentId).toBe(moved.id);
        const numbers = after.posts.map((p) => p.number);
        expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
        expect(new Set(numbers).size).toBe(numbers.length);
        expect(after.thread.replyCount).toBe(3);

        const left = await ok<ThreadWithPosts>(t, reader, 'GET', `/api/threads/${source.thread.id}`);
        expect(left.posts.map((p) => p.id)).toEqual([source.posts[0]!.id, stays.id]);
        expect(left.thread.replyCount).toBe(1);
        expect(JSON.stringify(await lastNotification(author))).toContain('Same case as the other thread.');
      });

      it('refuses to move an opening post (400), to its own thread, or to an unknown thread (404)', async () => {
        const source = await content();
        const target = await content();
        const before = moderationSnapshot(t);
        const opener = await moderatePost(t, modFR, source.opener.id, 'move', {
          reason: REASON,
          toThreadId: target.thread.id,
        });
        expectError(opener, 400);
        const same = await moderatePost(t, modFR, source.post.id, 'move', {
          reason: REASON,
          toThreadId: source.thread.id,
        });
        expect(same.statusCode, same.body).toBeGreaterThanOrEqual(400);
        expect(same.statusCode, same.body).toBeLessThan(500);
        // An unknown target in the body: 404, or 400 naming the field.
        const unknown = await moderatePost(t, modFR, source.post.id, 'move', {
          reason: REASON,
          toThreadId: 'nosuchthread',
        });
        expect([400, 404], unknown.body).toContain(unknown.statusCode);
        expectError(unknown, unknown.statusCode);
        expectError(
          await moderatePost(t, modFR, source.post.id, 'move', { reason: REASON, toThreadId: 'bad id!' }),
          400,
        );
        expect(moderationSnapshot(t)).toBe(before);
      });

      it("refuses to move into a thread outside the moderator's scope", async () => {
        const source = await content(['FR']);
        const target = await thread(t, reader, { jurisdictions: ['KE'] });
        const res = await moderatePost(t, modFR, source.post.id, 'move', {
          reason: REASON,
          toThreadId: target.thread.id,
        });
        expect(res.statusCode, res.body).toBe(403);
      });
    });
  });

  // ---- Moderator edits --------------------------------------------------------------------------

  describe('PATCH /api/posts/:id (as a moderator)', () => {
    it("writes a moderator's revision, marks the post, audits before/after and tells the author why", async () => {
      const { post } = await content();
      const mark = lastAuditId(t);
      const res = await send(t, modFR, 'PATCH', `/api/posts/${post.id}`, {
        version: 1,
        body: 'The defendant, a minor, was named in the file.',
        reason: 'Removed the age of a minor.',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().post).toMatchObject({ version: 2, editedByModerator: true });
      const history = await ok<{ revisions: { version: number; byModerator: boolean; editor: { id: string } }[] }>(
        t,
        reader,
        'GET',
        `/api/posts/${post.id}/revisions`,
      );
      expect(history.revisions.map((r) => [r.version, r.byModerator, r.editor.id])).toEqual([
        [1, false, author.user.id],
        [2, true, modFR.user.id],
      ]);
      expect((await postAs(reader, post.id)).editedByModerator).toBe(true);

      const audit = moderationAuditSince(t, mark);
      expect(audit.map((r) => r.action)).toEqual(['post.edit']);
      expect(audit[0]).toMatchObject({
        actorId: modFR.user.id,
        reason: 'Removed the age of a minor.',
        targetId: post.id,
      });
      expect(JSON.stringify(audit[0]!.before)).toContain('aged 16');
      expect(JSON.stringify(audit[0]!.after)).toContain('a minor, was named');
      const told = await lastNotification(author);
      expect(told?.kind).toBe('content_moderated');
      expect(JSON.stringify(told)).toContain('Removed the age of a minor.');

      // The author's own edit afterwards is the author's again, and is not audited as moderation.
      const mark2 = lastAuditId(t);
      const own = await send(t, author, 'PATCH', `/api/posts/${post.id}`, {
        version: 2,
        body: 'My own wording again.',
      });
      expect(own.statusCode, own.body).toBe(200);
      expect(own.json().post.editedByModerator).toBe(false);
      expect(moderationAuditSince(t, mark2)).toEqual([]);
    });

    it.each([
      { what: 'no reason', extra: {} },
      { what: 'a two-character reason', extra: { reason: 'ok' } },
      { what: 'a blank reason', extra: { reason: '     ' } },
    ])('refuses a moderator edit with $what (400), changing nothing', async ({ extra }) => {
      const { post } = await content();
      const before = moderationSnapshot(t);
      const res = await send(t, modFR, 'PATCH', `/api/posts/${post.id}`, { version: 1, body: 'Changed.', ...extra });
      expectError(res, 400);
      expect(moderationSnapshot(t)).toBe(before);
    });
  });

  // ---- Threads ----------------------------------------------------------------------------------

  describe('POST /api/moderation/threads/:id/<action>', () => {
    const onThread = (who: Actor, id: string, action: string, body: unknown = { reason: REASON }) =>
      send(t, who, 'POST', `/api/moderation/threads/${id}/${action}`, body);

    it('lock: members get 409 THREAD_LOCKED on reply, moderators in scope and admins still reply; unlock reopens', async () => {
      const { thread: th } = await content();
      const mark = lastAuditId(t);
      const locked = await onThread(modFR, th.id, 'lock', { reason: 'The case is sub judice.' });
      expect(locked.statusCode, locked.body).toBe(200);
      expect(locked.json().thread).toMatchObject({
        id: th.id,
        locked: true,
        lock: { reason: 'The case is sub judice.', automatic: false, by: { id: modFR.user.id } },
      });
      expect(moderationAuditSince(t, mark).map((r) => [r.action, r.reason])).toEqual([
        ['thread.lock', 'The case is sub judice.'],
      ]);
      expect(JSON.stringify(await lastNotification(author))).toContain('The case is sub judice.');

      const view = await ok<ThreadWithPosts>(t, reader, 'GET', `/api/threads/${th.id}`);
      expect(view.thread).toMatchObject({ locked: true, canReply: false });
      for (const who of [reader, author, modKE]) {
        const before = moderationSnapshot(t);
        expectError(
          await send(t, who, 'POST', `/api/threads/${th.id}/posts`, { body: 'One more thing.' }),
          409,
          'THREAD_LOCKED',
        );
        expect(moderationSnapshot(t)).toBe(before);
      }
      expect((await ok<ThreadWithPosts>(t, modFR, 'GET', `/api/threads/${th.id}`)).thread.canReply).toBe(true);
      for (const who of [modFR, admin])
        expect((await send(t, who, 'POST', `/api/threads/${th.id}/posts`, { body: 'Staff note.' })).statusCode).toBe(
          201,
        );

      expectError(await onThread(modFR, th.id, 'lock'), 409, 'INVALID_STATE');
      expect((await onThread(modFR, th.id, 'unlock', { reason: 'Judgment delivered.' })).statusCode).toBe(200);
      expect((await ok<ThreadWithPosts>(t, reader, 'GET', `/api/threads/${th.id}`)).thread).toMatchObject({
        locked: false,
        lock: null,
        canReply: true,
      });
      expect(
        (await send(t, reader, 'POST', `/api/threads/${th.id}/posts`, { body: 'Now it is open.' })).statusCode,
      ).toBe(201);
      expectError(await onThread(modFR, th.id, 'unlock'), 409, 'INVALID_STATE');
    });

    it('pin: global pins (admins) and jurisdiction pins show on the first page of matching lists only', async () => {
      const global = (await content(['FR'])).thread;
      const frPin = (await content(['FR'])).thread;
      const kePin = (await thread(t, reader, { jurisdictions: ['KE'] })).thread;
      expect((await onThread(admin, global.id, 'pin', { reason: 'Forum rules.', jurisdiction: null })).statusCode).toBe(
        200,
      );
      const pinned = await onThread(modFR, frPin.id, 'pin', { reason: 'Key French case.', jurisdiction: 'FR' });
      expect(pinned.statusCode, pinned.body).toBe(200);
      expect(pinned.json().thread.pin).toEqual({ jurisdiction: 'FR' });
      expect(
        (await onThread(modKE, kePin.id, 'pin', { reason: 'Key Kenyan case.', jurisdiction: 'KE' })).statusCode,
      ).toBe(200);
      expectError(
        await onThread(modFR, frPin.id, 'pin', { reason: 'Again.', jurisdiction: 'FR' }),
        409,
        'INVALID_STATE',
      );

      const ids = (page: ThreadPage) => page.pinned.map((p) => p.id).sort();
      const all = await ok<ThreadPage>(t, reader, 'GET', '/api/threads?limit=1');
      expect(ids(all)).toEqual([global.id]);
      const fr = await ok<ThreadPage>(t, reader, 'GET', '/api/threads?jurisdiction=FR&limit=1');
      expect(ids(fr)).toEqual([global.id, frPin.id].sort());
      expect(fr.pinned.find((p) => p.id === frPin.id)?.pin).toEqual({ jurisdiction: 'FR' });
      const both = await ok<ThreadPage>(t, reader, 'GET', '/api/threads?jurisdiction=FR&jurisdiction=KE&limit=1');
      expect(ids(both)).toEqual([global.id, frPin.id, kePin.id].sort());
      const next = await ok<ThreadPage>(
        t,
        reader,
        'GET',
        `/api/threads?jurisdiction=FR&limit=1&cursor=${fr.nextCursor}`,
      );
      expect(next.pinned).toEqual([]);

      expect((await onThread(modFR, frPin.id, 'unpin', { reason: 'Superseded.' })).statusCode).toBe(200);
      expect(ids(await ok<ThreadPage>(t, reader, 'GET', '/api/threads?jurisdiction=FR'))).toEqual([global.id]);
      expectError(await onThread(modFR, frPin.id, 'unpin'), 409, 'INVALID_STATE');
      expect((await onThread(admin, global.id, 'unpin', { reason: 'Rules moved.' })).statusCode).toBe(200);
    });

    it('resolve and unresolve: questions only (400 otherwise), with a resolution note', async () => {
      const question = (await content(['FR'], 'question')).thread;
      const res = await onThread(modFR, question.id, 'resolve', { reason: 'Answered by the Cour de cassation.' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().thread).toMatchObject({
        resolved: true,
        resolution: { reason: 'Answered by the Cour de cassation.' },
      });
      expect(
        (await ok<ThreadPage>(t, reader, 'GET', '/api/threads?kind=question')).threads.find((x) => x.id === question.id)
          ?.resolved,
      ).toBe(true);
      expectError(await onThread(modFR, question.id, 'resolve'), 409, 'INVALID_STATE');
      expect(
        (await onThread(modFR, question.id, 'unresolve', { reason: 'Appeal pending.' })).json().thread,
      ).toMatchObject({ resolved: false, resolution: null });
      const discussion = (await content(['FR'])).thread;
      const before = moderationSnapshot(t);
      expectError(await onThread(modFR, discussion.id, 'resolve'), 400);
      expect(moderationSnapshot(t)).toBe(before);
    });

    it('writes exactly one audit entry per action, with its reason', async () => {
      const question = (await content(['FR'], 'question')).thread;
      const steps: [string, Record<string, unknown>, string][] = [
        ['lock', { reason: 'Reason one.' }, 'thread.lock'],
        ['unlock', { reason: 'Reason two.' }, 'thread.unlock'],
        ['pin', { reason: 'Reason three.', jurisdiction: 'FR' }, 'thread.pin'],
        ['unpin', { reason: 'Reason four.' }, 'thread.unpin'],
        ['resolve', { reason: 'Reason five.' }, 'thread.resolve'],
        ['unresolve', { reason: 'Reason six.' }, 'thread.unresolve'],
      ];
      for (const [action, body, audited] of steps) {
        const mark = lastAuditId(t);
        const res = await onThread(modFR, question.id, action, body);
        expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
        const rows = moderationAuditSince(t, mark);
        expect(
          rows.map((r) => [r.action, r.reason, r.targetId]),
          action,
        ).toEqual([[audited, body['reason'], question.id]]);
      }
    });

    it.each(['lock', 'unlock', 'pin', 'unpin', 'resolve', 'unresolve'])(
      '%s: refuses a missing or short reason (400) and an unknown thread (404)',
      async (action) => {
        const { thread: th } = await content(['FR'], 'question');
        for (const body of [{}, { reason: 'no' }, { reason: '   ' }]) {
          const res = await onThread(modFR, th.id, action, action === 'pin' ? { ...body, jurisdiction: 'FR' } : body);
          expectError(res, 400);
        }
        const body = action === 'pin' ? { reason: REASON, jurisdiction: 'FR' } : { reason: REASON };
        expectError(await onThread(admin, 'nosuchthread', action, body), 404);
      },
    );

    it('pin refuses a malformed jurisdiction (400)', async () => {
      const { thread: th } = await content();
      for (const jurisdiction of ['fr', 'F', 'FRANCEEEE', 7]) {
        expectError(await onThread(admin, th.id, 'pin', { reason: REASON, jurisdiction }), 400);
      }
      expectError(await onThread(admin, th.id, 'pin', { reason: REASON }), 400);
    });
  });

  describe('PATCH /api/threads/:id (moderator retag)', () => {
    it('retags with a reason, audits thread.retag with before/after tags, tells the author', async () => {
      const { thread: th } = await content(['FR']);
      const mark = lastAuditId(t);
      const res = await send(t, modFR, 'PATCH', `/api/threads/${th.id}`, {
        jurisdictions: ['FR', 'INT'],
        topics: ['illicit-tobacco'],
        reason: 'It is about tobacco, across borders.',
      });
      expect(res.statusCode, res.body).toBe(200);
      const updated = res.json().thread as ThreadDetail;
      expect(updated.jurisdictions.map((j) => j.code).sort()).toEqual(['FR', 'INT']);
      const audit = moderationAuditSince(t, mark);
      expect(audit.map((r) => r.action)).toEqual(['thread.retag']);
      expect(audit[0]!.reason).toBe('It is about tobacco, across borders.');
      expect(JSON.stringify(audit[0]!.before)).toContain('medical-products');
      expect(JSON.stringify(audit[0]!.after)).toContain('illicit-tobacco');
      expect(JSON.stringify(audit[0]!.after)).toContain('INT');
      expect(JSON.stringify(await lastNotification(author))).toContain('It is about tobacco, across borders.');
    });

    it('requires a reason from a moderator (400), and the author needs none', async () => {
      const { thread: th } = await content(['FR']);
      expectError(await send(t, modFR, 'PATCH', `/api/threads/${th.id}`, { topics: ['illicit-tobacco'] }), 400);
      expectError(
        await send(t, modFR, 'PATCH', `/api/threads/${th.id}`, { topics: ['illicit-tobacco'], reason: 'x' }),
        400,
      );
      const mark = lastAuditId(t);
      expect(
        (await send(t, author, 'PATCH', `/api/threads/${th.id}`, { topics: ['illicit-tobacco'] })).statusCode,
      ).toBe(200);
      expect(auditRows(t, { after: mark, action: 'thread.retag' })).toEqual([]);
    });
  });

  // ---- Members under review ---------------------------------------------------------------------

  describe('PUT /api/moderation/users/:id/review', () => {
    it('places a member under review (their posts wait) and lifts it, one audit entry each', async () => {
      await configure(t, { premoderatedPosts: 0 });
      const watched = await quickMember(t, 'FR');
      const { thread: th } = await content();
      const mark = lastAuditId(t);
      const res = await send(t, modFR, 'PUT', `/api/moderation/users/${watched.user.id}/review`, {
        reason: 'Shared a case file last week.',
        underReview: true,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ member: { id: watched.user.id, underReview: true } });
      const audit = moderationAuditSince(t, mark);
      expect(audit.map((r) => [r.action, r.reason, r.targetUserId])).toEqual([
        ['user.review', 'Shared a case file last week.', watched.user.id],
      ]);
      expect((await send(t, watched, 'POST', `/api/threads/${th.id}/posts`, { body: 'Held back.' })).statusCode).toBe(
        202,
      );

      await ok(t, modFR, 'PUT', `/api/moderation/users/${watched.user.id}/review`, {
        reason: 'Cleared.',
        underReview: false,
      });
      expect((await send(t, watched, 'POST', `/api/threads/${th.id}/posts`, { body: 'Straight in.' })).statusCode).toBe(
        201,
      );
    });

    it.each([
      { what: 'no underReview', body: { reason: REASON } },
      { what: 'a short reason', body: { reason: 'no', underReview: true } },
      { what: 'underReview as a string', body: { reason: REASON, underReview: 'yes' } },
    ])('refuses $what (400)', async ({ body }) => {
      const watched = await quickMember(t, 'FR');
      expectError(await send(t, modFR, 'PUT', `/api/moderation/users/${watched.user.id}/review`, body), 400);
    });

    it('answers 404 for an unknown member and refuses staff (4xx)', async () => {
      expectError(
        await send(t, admin, 'PUT', '/api/moderation/users/00000000-0000-0000-0000-000000000000/review', {
          reason: REASON,
          underReview: true,
        }),
        404,
      );
      const res = await send(t, admin, 'PUT', `/api/moderation/users/${modKE.user.id}/review`, {
        reason: REASON,
        underReview: true,
      });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
    });
  });
});

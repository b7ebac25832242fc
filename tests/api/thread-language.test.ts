/**
 * Threads carry the language they are written in: chosen when the thread is started (by default
 * the author's interface language, else English), corrected like the title and tags (by its author,
 * or by a moderator in scope with a reason, on the record; held for review like any other change
 * when the author's posts are), returned with every thread, and a filter of the list and search.
 */
import type {
  PendingSubmission,
  PostHistory,
  SearchPage,
  ThreadDetail,
  ThreadPage,
  ThreadWithPosts,
} from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import {
  auditRows,
  configure,
  expectError,
  lastAuditId,
  ok,
  quickMember,
  quickModerator,
  send,
  thread,
} from '../helpers/moderation.js';
import { threadBody } from '../helpers/threads.js';
import type { Actor } from '../helpers/vetting.js';

describe('Thread language API', () => {
  let t: TestApp;
  let english: Actor, arabic: Actor, other: Actor, modFR: Actor;
  const underReview = (who: Actor, on: boolean) =>
    t.handle.sqlite.prepare('update users set under_review = ? where id = ?').run(on ? 1 : 0, who.user.id);
  const list = (who: Actor, query: string) => ok<ThreadPage>(t, who, 'GET', `/api/threads?${query}`);

  beforeAll(async () => {
    t = await buildTestApp();
    await configure(t, { premoderatedPosts: 0 });
    english = await quickMember(t, 'FR', { displayName: 'No Locale' });
    arabic = await quickMember(t, 'FR', { displayName: 'سلمى', locale: 'ar' });
    other = await quickMember(t, 'FR', { displayName: 'Someone Else' });
    modFR = await quickModerator(t, ['FR']);
  });
  afterAll(async () => t?.close());

  describe('POST /api/threads', () => {
    it('defaults to English for an author who never chose an interface language', async () => {
      const { thread: created } = await thread(t, english);
      expect(created.language).toBe('en');
    });

    it('defaults to the author’s interface language', async () => {
      const { thread: created } = await thread(t, arabic, { title: 'الأدوية المغشوشة عبر الإنترنت' });
      expect(created.language).toBe('ar');
    });

    it('takes the language chosen in the composer over the interface language', async () => {
      const { thread: created } = await thread(t, arabic, { language: 'fr' });
      expect(created.language).toBe('fr');
      const again = await ok<ThreadWithPosts>(t, other, 'GET', `/api/threads/${created.id}`);
      expect(again.thread.language).toBe('fr');
    });

    it.each(['xx', 'EN', 'fra', '', 'en-GB'])('refuses the unknown language code %j with 400', async (language) => {
      const res = await send(t, english, 'POST', '/api/threads', threadBody('discussion', { language } as never));
      expectError(res, 400, 'VALIDATION_FAILED');
    });

    it('keeps the language of a thread held for review, and gives it on approval', async () => {
      underReview(arabic, true);
      try {
        const res = await send(t, arabic, 'POST', '/api/threads', threadBody('discussion'));
        expect(res.statusCode, res.body).toBe(202);
        const { pending } = res.json() as { pending: PendingSubmission };
        // The author switches interface language before a moderator gets to it: the thread keeps its own.
        t.handle.sqlite.prepare(`update users set locale = 'es' where id = ?`).run(arabic.user.id);
        await ok(t, modFR, 'POST', `/api/moderation/queue/${pending.id}/approve`, {});
        const { threads } = await list(other, `author=${arabic.user.id}&limit=100`);
        expect(threads.find((x) => x.title === pending.title)?.language).toBe('ar');
      } finally {
        underReview(arabic, false);
        t.handle.sqlite.prepare(`update users set locale = 'ar' where id = ?`).run(arabic.user.id);
      }
    });
  });

  describe('GET /api/threads?language=', () => {
    it('lists only the threads in that language, alone or with other filters, and pages through them', async () => {
      const ar1 = await thread(t, arabic, { language: 'ar', title: 'تسليم المطلوبين بين الدول' });
      const ar2 = await thread(t, english, { language: 'ar', kind: 'question', title: 'سؤال عن الأدلة الرقمية' });
      const es = await thread(t, english, { language: 'es', jurisdictions: ['ES'] });
      const onlyArabic = await list(other, 'language=ar&limit=100');
      expect(onlyArabic.threads.length).toBeGreaterThanOrEqual(2);
      expect(onlyArabic.threads.every((x) => x.language === 'ar')).toBe(true);
      expect(onlyArabic.threads.map((x) => x.id)).toEqual(expect.arrayContaining([ar1.thread.id, ar2.thread.id]));
      expect((await list(other, 'language=ar&kind=question')).threads.map((x) => x.id)).toEqual([ar2.thread.id]);
      // A tag page's list is the same query with its tag fixed.
      expect((await list(other, 'jurisdiction=ES&language=es')).threads.map((x) => x.id)).toEqual([es.thread.id]);
      expect((await list(other, 'jurisdiction=ES&language=ar')).threads).toEqual([]);
      // Pages of one language follow each other with the cursor.
      const first = await list(other, 'language=ar&limit=1');
      const second = await list(other, `language=ar&limit=1&cursor=${first.nextCursor}`);
      expect(first.threads[0]!.id).not.toBe(second.threads[0]!.id);
      expect(second.threads[0]!.language).toBe('ar');
      // Every row of the unfiltered list says its language.
      const all = await list(other, 'limit=100');
      expect(all.threads.find((x) => x.id === es.thread.id)?.language).toBe('es');
    });

    it('reads the latest threads of one language from the language index', () => {
      const plan = t.handle.sqlite
        .prepare(
          `explain query plan select id from threads where state = 'visible' and language = ?
           order by last_post_at desc, id desc limit 26`,
        )
        .all('ar') as { detail: string }[];
      expect(plan.map((p) => p.detail).join('\n')).toContain('threads_language_idx');
    });

    it('refuses an unknown language with 400', async () => {
      expectError(await send(t, other, 'GET', '/api/threads?language=klingon'), 400, 'VALIDATION_FAILED');
    });
  });

  describe('PATCH /api/threads/:id (language)', () => {
    it('lets the author correct the language: a new version of the opening post, pushed as a change', async () => {
      const op = await thread(t, english, { title: 'Written in French, marked English' });
      const res = await send(t, english, 'PATCH', `/api/threads/${op.thread.id}`, { language: 'fr' });
      expect(res.statusCode, res.body).toBe(200);
      expect((res.json() as { thread: ThreadDetail }).thread.language).toBe('fr');
      const history = await ok<PostHistory>(t, other, 'GET', `/api/posts/${op.posts[0]!.id}/revisions`);
      expect(history.revisions.map((r) => r.meta?.language)).toEqual(['en', 'fr']);
      expect(history.revisions.at(-1)).toMatchObject({ version: 2, byModerator: false });
      // The same language again changes nothing.
      await ok(t, english, 'PATCH', `/api/threads/${op.thread.id}`, { language: 'fr' });
      const after = await ok<PostHistory>(t, other, 'GET', `/api/posts/${op.posts[0]!.id}/revisions`);
      expect(after.revisions).toHaveLength(2);
    });

    it('refuses another member (403) and an unknown code (400)', async () => {
      const op = await thread(t, english);
      expectError(await send(t, other, 'PATCH', `/api/threads/${op.thread.id}`, { language: 'fr' }), 403, 'FORBIDDEN');
      expectError(await send(t, english, 'PATCH', `/api/threads/${op.thread.id}`, { language: 'zz' }), 400);
      expect((await ok<ThreadWithPosts>(t, other, 'GET', `/api/threads/${op.thread.id}`)).thread.language).toBe('en');
    });

    it('lets a moderator in scope correct it with a reason, on the record', async () => {
      const op = await thread(t, english);
      expectError(await send(t, modFR, 'PATCH', `/api/threads/${op.thread.id}`, { language: 'ar' }), 400);
      const since = lastAuditId(t);
      const res = await send(t, modFR, 'PATCH', `/api/threads/${op.thread.id}`, {
        language: 'ar',
        reason: 'The thread is written in Arabic.',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect((res.json() as { thread: ThreadDetail }).thread.language).toBe('ar');
      const [row] = auditRows(t, { action: 'thread.retag', after: since });
      expect(row).toMatchObject({ before: { language: 'en' }, after: { language: 'ar' } });
      const history = await ok<PostHistory>(t, english, 'GET', `/api/posts/${op.posts[0]!.id}/revisions`);
      expect(history.revisions.at(-1)).toMatchObject({ byModerator: true, meta: { language: 'ar' } });
    });

    it('holds the change of a member under review, and applies it on approval', async () => {
      const op = await thread(t, english);
      underReview(english, true);
      try {
        const res = await send(t, english, 'PATCH', `/api/threads/${op.thread.id}`, { language: 'es' });
        expect(res.statusCode, res.body).toBe(202);
        const { pending } = res.json() as { pending: PendingSubmission };
        expect(pending.change).toMatchObject({ current: { language: 'en' }, proposed: { language: 'es' } });
        expect((await ok<ThreadWithPosts>(t, other, 'GET', `/api/threads/${op.thread.id}`)).thread.language).toBe('en');
        await ok(t, modFR, 'POST', `/api/moderation/queue/${pending.id}/approve`, {});
        expect((await ok<ThreadWithPosts>(t, other, 'GET', `/api/threads/${op.thread.id}`)).thread.language).toBe('es');
      } finally {
        underReview(english, false);
      }
    });
  });

  describe('GET /api/search?language=', () => {
    it('finds only threads in that language, and says each result’s language', async () => {
      const word = 'Extradicionfiltro';
      const es = await thread(t, english, { language: 'es', title: `${word} entre jurisdicciones` });
      const fr = await thread(t, english, { language: 'fr', title: `${word} entre juridictions` });
      const all = await ok<SearchPage>(t, other, 'GET', `/api/search?q=${word}`);
      expect(all.results.map((r) => r.thread.id).sort()).toEqual([es.thread.id, fr.thread.id].sort());
      expect(all.results.find((r) => r.thread.id === es.thread.id)?.thread.language).toBe('es');
      const onlyEs = await ok<SearchPage>(t, other, 'GET', `/api/search?q=${word}&language=es`);
      expect(onlyEs.results.map((r) => r.thread.id)).toEqual([es.thread.id]);
      expect(onlyEs.filters.language).toBe('es');
      expectError(await send(t, other, 'GET', `/api/search?q=${word}&language=xx`), 400, 'VALIDATION_FAILED');
    });
  });
});

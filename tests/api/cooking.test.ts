/**
 * Cooking off the event loop: long markdown is cooked in the worker pool (with the same result as
 * inline, mentions included), refusals on cheap checks cook nothing, drafts keep the excerpt made
 * when they were saved, and the pool's workers end with the app.
 */
import type { Post } from '@lexforum/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, errorCode, type TestApp } from '../helpers/app.js';
import { startThread, threadBody, VALID_SECTIONS } from '../helpers/threads.js';
import { member, type Actor } from '../helpers/vetting.js';

const PARAGRAPH = 'The court of appeal held that **offering** falsified medicines online is itself an offence.\n\n';

describe('Cooking', () => {
  let t: TestApp;
  let alice: Actor;
  let bob: Actor;
  beforeEach(async () => {
    t = await buildTestApp({ COOK_INLINE_MAX_CHARS: 1000 });
    alice = await member(t, { displayName: 'Alice Prosecutor' });
    bob = await member(t, { displayName: 'Bob Judge' });
  });
  afterEach(async () => t.close());

  const cooked = () => ({ ...t.app.cookPool.stats });

  describe('POST /api/threads/:id/posts', () => {
    it('cooks a long reply in a worker, mentions and excerpt included, and a short one inline', async () => {
      const { thread } = await startThread(t, alice);
      const before = cooked();
      const body = `@${bob.user.username} ${PARAGRAPH.repeat(30)}`;
      const res = await t.request({
        method: 'POST',
        url: `/api/threads/${thread.id}/posts`,
        cookie: alice.cookie,
        body: { body },
      });
      expect(res.statusCode, res.body).toBe(201);
      const post = (res.json() as { post: Post }).post;
      expect(cooked().pooled).toBe(before.pooled + 1);
      expect(post.cooked).toContain(`class="mention"`);
      expect(post.cooked).toContain('<strong>offering</strong>');
      const notification = t.handle.sqlite
        .prepare(`select body as excerpt from notifications where user_id = ? and kind = 'mention'`)
        .get(bob.user.id) as { excerpt: string } | undefined;
      expect(notification?.excerpt).toMatch(/^@\S+ The court of appeal held that offering/);

      const short = await t.request({
        method: 'POST',
        url: `/api/threads/${thread.id}/posts`,
        cookie: alice.cookie,
        body: { body: 'A *short* reply.' },
      });
      expect(short.statusCode, short.body).toBe(201);
      expect((short.json() as { post: Post }).post.cooked).toBe('<p>A <em>short</em> reply.</p>\n');
      expect(cooked()).toEqual({ inline: before.inline + 1, pooled: before.pooled + 1 });
    });
  });

  describe('PATCH /api/posts/:id', () => {
    it('refuses a stale edit of a long analysis before cooking any of its sections', async () => {
      const long = PARAGRAPH.repeat(60);
      const { thread, posts } = await startThread(t, alice, threadBody('legal_analysis', {}));
      const opener = posts[0]!;
      const sections = { ...VALID_SECTIONS, analysis: long, relevantFacts: long };
      const edit = (version: number) =>
        t.request({
          method: 'PATCH',
          url: `/api/posts/${opener.id}`,
          cookie: alice.cookie,
          body: { version, sections },
        });
      const before = cooked();
      const stale = await edit(opener.version + 5);
      expect(stale.statusCode, stale.body).toBe(409);
      expect(errorCode(stale)).toBe('CONFLICT');
      expect(cooked()).toEqual(before);

      const fresh = await edit(opener.version);
      expect(fresh.statusCode, fresh.body).toBe(200);
      expect(cooked().pooled).toBe(before.pooled + 1);
      const post = (fresh.json() as { post: Post }).post;
      expect(post.sections?.map((s) => s.key)).toEqual(Object.keys(VALID_SECTIONS));
      expect(thread.id).toBe(post.threadId);
    });
  });

  describe('GET /api/drafts', () => {
    it('lists the excerpt stored when the draft was saved, and makes one once for older rows', async () => {
      const { thread } = await startThread(t, alice);
      const save = await t.request({
        method: 'PUT',
        url: `/api/drafts/reply/${thread.id}`,
        cookie: alice.cookie,
        body: { body: `A **bold** start. ${PARAGRAPH.repeat(40)}` },
      });
      expect(save.statusCode, save.body).toBe(200);
      const stored = () =>
        t.handle.sqlite.prepare('select key, excerpt from drafts where user_id = ? order by key').all(alice.user.id);
      expect(stored()).toEqual([{ key: `reply:${thread.id}`, excerpt: expect.stringMatching(/^A bold start\. /) }]);

      // A draft saved before excerpts were stored.
      t.handle.sqlite
        .prepare(`insert into drafts (user_id, key, data, updated_at) values (?, 'thread', ?, ?)`)
        .run(alice.user.id, JSON.stringify({ title: 'An *old* draft' }), t.clock.now().getTime() - 1000);
      const before = cooked();
      const list = async () => {
        const res = await t.request({ method: 'GET', url: '/api/drafts', cookie: alice.cookie });
        expect(res.statusCode, res.body).toBe(200);
        return (res.json() as { drafts: { key: string; excerpt: string }[] }).drafts.map((d) => [d.key, d.excerpt]);
      };
      expect(await list()).toEqual([
        [`reply:${thread.id}`, expect.stringMatching(/^A bold start\. .*…$/)],
        ['thread', 'An old draft'],
      ]);
      expect(stored()[1]).toEqual({ key: 'thread', excerpt: 'An old draft' });
      const once = cooked();
      expect(once.inline + once.pooled).toBe(before.inline + before.pooled + 1);
      await list();
      expect(cooked()).toEqual(once);
    });
  });

  describe('the pool', () => {
    it('starts workers only when needed and ends them with the app', async () => {
      expect(t.app.cookPool.threads).toBe(0);
      const result = await t.app.cookPool.cook({ markdown: PARAGRAPH.repeat(20) });
      expect(result.cooked).toContain('<strong>offering</strong>');
      expect(t.app.cookPool.threads).toBe(1);
      await t.close();
      expect(t.app.cookPool.threads).toBe(0);
      t = await buildTestApp();
    });
  });
});

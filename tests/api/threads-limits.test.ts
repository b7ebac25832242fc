/**
 * The limits and edges a review of the threads API found: empty-looking posts, HTML that grows
 * far beyond its source, page sizes, long analyses, stale edits, cursors of another sort, dates
 * of law, plain-text excerpts and the badges of suspended members.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, errorCode, type RequestOptions, type TestApp } from '../helpers/app.js';
import { replyTo, startThread, threadBody, VALID_SECTIONS } from '../helpers/threads.js';
import { admin, member, type Actor } from '../helpers/vetting.js';

describe('Threads API limits', () => {
  let t: TestApp;
  let alice: Actor;
  beforeEach(async () => {
    t = await buildTestApp();
    alice = await member(t, { displayName: 'Alice Prosecutor' });
  });
  afterEach(async () => t.close());

  const call = (method: RequestOptions['method'], url: string, who: Actor, body?: unknown) =>
    t.request({ method, url, cookie: who.cookie, body });
  const issuePaths = (res: { json(): unknown }) =>
    ((res.json() as { error?: { details?: { issues?: { path: string }[] } } }).error?.details?.issues ?? []).map(
      (i) => i.path,
    );

  describe('posts that would show nothing', () => {
    it.each([
      ['a link definition only', '[a]: /x'],
      ['zero-width spaces', '\u200b\u200b\u200b'],
      ['Hangul fillers', '\u3164\u3164'],
      ['an entity for a space', '&nbsp;'],
      ['a space entity and a zero-width joiner', '&#160;\u200d'],
    ])('refuses a reply of %s (400 on /body) and stores nothing', async (_name, body) => {
      const { thread } = await startThread(t, alice);
      const res = await call('POST', `/api/threads/${thread.id}/posts`, alice, { body });
      expect(res.statusCode, res.body).toBe(400);
      expect(issuePaths(res)).toEqual(['/body']);
      expect(t.handle.sqlite.prepare('select count(*) as n from posts').get()).toEqual({ n: 1 });
    });

    it('refuses an invisible title before cooking, then an empty-looking analysis section', async () => {
      const sections = { ...VALID_SECTIONS, relevantFacts: '[abcdefghijklmnop]: /x' };
      // The cheap checks (text rules, sizes) refuse first: nothing is cooked for a refused request.
      const res = await call(
        'POST',
        '/api/threads',
        alice,
        threadBody('legal_analysis', { title: '\u200b'.repeat(9), sections }),
      );
      expect(res.statusCode, res.body).toBe(400);
      expect(issuePaths(res)).toEqual(['/title']);
      const cooked = await call('POST', '/api/threads', alice, threadBody('legal_analysis', { sections }));
      expect(cooked.statusCode, cooked.body).toBe(400);
      expect(issuePaths(cooked)).toEqual(['/sections/relevantFacts']);
    });

    it('keeps text whose joiners shape visible characters', async () => {
      const { thread } = await startThread(t, alice);
      const body = 'Agreed 👩\u200d⚖️ — see the note.';
      const post = await replyTo(t, alice, thread.id, null, body);
      expect(post.cooked).toContain('👩\u200d⚖️');
    });
  });

  describe('size', () => {
    it('refuses a post whose HTML grows past the limit (a wall of links), naming the field', async () => {
      const { thread } = await startThread(t, alice);
      const res = await call('POST', `/api/threads/${thread.id}/posts`, alice, { body: 'a.co '.repeat(5_999) });
      expect(res.statusCode, res.body).toBe(400);
      expect(issuePaths(res)).toEqual(['/body']);
      expect(res.json().error.message).toMatch(/too long once formatted/);
    });

    it('accepts a legal analysis of five long sections in a script of 3-byte characters (no 413)', async () => {
      const long = '法'.repeat(18_000);
      const sections = {
        questionPresented: long,
        relevantFacts: long,
        applicableLaw: long,
        analysis: long,
        conclusion: long,
      };
      const res = await call('POST', '/api/threads', alice, threadBody('legal_analysis', { sections }));
      expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
    });

    it('pages a thread of long posts by size, and the next page starts where the first stopped', async () => {
      const { thread } = await startThread(t, alice);
      // Each reply cooks to about 190,000 characters of HTML (linkified domains).
      const heavy = 'a.co '.repeat(2_900);
      for (let i = 0; i < 12; i += 1) await replyTo(t, alice, thread.id, null, heavy);
      const first = (await call('GET', `/api/threads/${thread.id}`, alice)).json();
      expect(first.hasMore).toBe(true);
      expect(first.posts.length).toBeGreaterThan(1);
      expect(first.posts.length).toBeLessThan(13);
      const last = first.posts.at(-1).number;
      const rest = (await call('GET', `/api/threads/${thread.id}?after=${last}`, alice)).json();
      expect(rest.hasMore).toBe(false);
      expect([...first.posts, ...rest.posts].map((p: { number: number }) => p.number)).toEqual(
        Array.from({ length: 13 }, (_, i) => i + 1),
      );
    });
  });

  it('refuses a stale version even when the text is unchanged (409)', async () => {
    const { posts } = await startThread(t, alice);
    const source = (await call('GET', `/api/posts/${posts[0]!.id}/source`, alice)).json();
    const res = await call('PATCH', `/api/posts/${posts[0]!.id}`, alice, { version: 99, body: source.body });
    expect(res.statusCode).toBe(409);
    expect(errorCode(res)).toBe('CONFLICT');
  });

  it('refuses a cursor made for another sort (400)', async () => {
    for (let i = 0; i < 3; i += 1) await startThread(t, alice);
    const first = (await call('GET', '/api/threads?limit=1&sort=latest', alice)).json();
    expect(first.nextCursor).toEqual(expect.any(String));
    const other = await call('GET', `/api/threads?limit=1&sort=replies&cursor=${first.nextCursor}`, alice);
    expect(other.statusCode).toBe(400);
    expect(issuePaths(other)).toEqual(['/cursor']);
  });

  it.each(['0000-01-01', '1899-12-31'])('refuses %s as the date the law is stated as at', async (lawAsOf) => {
    const res = await call(
      'POST',
      '/api/threads',
      alice,
      threadBody('legal_analysis', { analysis: { lawAsOf, personalCapacity: true } }),
    );
    expect(res.statusCode).toBe(400);
    expect(issuePaths(res)).toEqual(['/analysis/lawAsOf']);
  });

  it('lists drafts with plain-text excerpts (no HTML entities)', async () => {
    const { thread } = await startThread(t, alice);
    await call('PUT', '/api/drafts/thread', alice, { title: 'Tom & Jerry <i>' });
    await call('PUT', `/api/drafts/reply/${thread.id}`, alice, { body: 'a < b && c' });
    const drafts = (await call('GET', '/api/drafts', alice)).json().drafts;
    expect(drafts.map((d: { excerpt: string }) => d.excerpt).sort()).toEqual(['Tom & Jerry <i>', 'a < b && c']);
  });

  it("no longer shows a suspended author's badge beside their posts", async () => {
    const boss = await admin(t);
    const { thread } = await startThread(t, alice);
    const reader = await member(t);
    expect((await call('GET', `/api/threads/${thread.id}`, reader)).json().posts[0].author.badge).not.toBeNull();
    const res = await call('POST', `/api/admin/users/${alice.user.id}/suspend`, boss, { reason: 'Shared case files.' });
    expect(res.statusCode, res.body).toBe(200);
    expect((await call('GET', `/api/threads/${thread.id}`, reader)).json().posts[0].author.badge).toBeNull();
  });
});

import type { Post, ThreadSummary, ThreadWithPosts } from '@lexforum/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, errorCode, MINUTE, type RequestOptions, type TestApp } from '../helpers/app.js';
import { replyTo, startThread, threadBody, VALID_SECTIONS } from '../helpers/threads.js';
import { admin, member, moderator, type Actor } from '../helpers/vetting.js';

type Method = RequestOptions['method'];
const issuePaths = (res: { json(): unknown }) =>
  ((res.json() as { error?: { details?: { issues?: { path: string }[] } } }).error?.details?.issues ?? []).map(
    (i) => i.path,
  );

describe('Threads API', () => {
  let t: TestApp;
  let alice: Actor;
  beforeEach(async () => {
    t = await buildTestApp();
    alice = await member(t, { displayName: 'Alice Prosecutor' });
  });
  afterEach(async () => t.close());

  const call = (method: Method, url: string, who: Actor, body?: unknown) =>
    t.request({ method, url, cookie: who.cookie, body });
  const list = async (who: Actor, query = ''): Promise<ThreadSummary[]> => {
    const res = await call('GET', `/api/threads${query}`, who);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().threads;
  };
  const page = async (who: Actor, id: string): Promise<ThreadWithPosts> => {
    const res = await call('GET', `/api/threads/${id}`, who);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const history = async (who: Actor, postId: string) => {
    const res = await call('GET', `/api/posts/${postId}/revisions`, who);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  describe('POST /api/threads', () => {
    it.each(['discussion', 'question', 'case_note'] as const)('starts a %s with a body', async (kind) => {
      const body = threadBody(kind);
      const res = await call('POST', '/api/threads', alice, body);
      expect(res.statusCode, res.body).toBe(201);
      const { thread, posts, hasMore } = res.json() as ThreadWithPosts;
      expect(thread).toMatchObject({
        kind,
        title: body.title,
        jurisdictions: [{ code: 'FR', name: 'France' }],
        topics: [{ code: 'medical-products' }],
        citations: [{ instrument: 'medicrime', shortName: 'Medicrime Convention', provision: 'art. 7' }],
        author: { id: alice.user.id, displayName: 'Alice Prosecutor' },
        lastPoster: { id: alice.user.id },
        replyCount: 0,
        participantCount: 1,
        postCount: 1,
        analysis: null,
        lawAsOf: null,
        canEdit: true,
        canReply: true,
        following: true,
      });
      expect(hasMore).toBe(false);
      expect(posts).toHaveLength(1);
      expect(posts[0]).toMatchObject({ number: 1, parentId: null, parentNumber: null, depth: 0, version: 1 });
      expect(posts[0]!.sections).toBeNull();
      expect(posts[0]!.cooked).toContain('<p>');
      const source = (await call('GET', `/api/posts/${posts[0]!.id}/source`, alice)).json();
      expect(source).toMatchObject({ body: body.body, sections: null, version: 1 });
    });

    it('starts a legal analysis from its five sections and its statement', async () => {
      const res = await call('POST', '/api/threads', alice, threadBody('legal_analysis'));
      expect(res.statusCode, res.body).toBe(201);
      const { thread, posts } = res.json() as ThreadWithPosts;
      expect(thread).toMatchObject({
        kind: 'legal_analysis',
        lawAsOf: '2026-01-01',
        analysis: { lawAsOf: '2026-01-01', personalCapacity: true },
      });
      const opener = posts[0]!;
      expect(opener.sections!.map((s) => s.key)).toEqual([
        'questionPresented',
        'relevantFacts',
        'applicableLaw',
        'analysis',
        'conclusion',
      ]);
      // By key only: the headings come from the client's message files, in the reader's language.
      expect(Object.keys(opener.sections![0]!).sort()).toEqual(['cooked', 'key']);
      expect(opener.sections![3]!.cooked).toContain('<em>offering</em>');
      // The sections carry the HTML; it is not sent twice.
      expect(opener.cooked).toBe('');
      const source = (await call('GET', `/api/posts/${opener.id}/source`, alice)).json();
      expect(source).toMatchObject({ body: null, sections: VALID_SECTIONS });
    });

    it('accepts the boundaries: titles of 8 and 160, an opening post of 20 and 30,000, the law as of today', async () => {
      const cases = [
        threadBody('discussion', { title: 'x'.repeat(8) }),
        threadBody('discussion', { title: 'é'.repeat(160) }),
        threadBody('discussion', { body: 'b'.repeat(20) }),
        threadBody('discussion', { body: 'b'.repeat(30_000) }),
        threadBody('legal_analysis', { analysis: { lawAsOf: '2026-11-22', personalCapacity: true } }),
        threadBody('question', { citations: [], jurisdictions: ['INT', 'EU', 'FR'] }),
        threadBody('question', { citations: [{ instrument: 'medicrime', provision: null }] }),
      ];
      for (const body of cases) {
        const res = await call('POST', '/api/threads', alice, body);
        expect(res.statusCode, `${JSON.stringify(body).slice(0, 120)}: ${res.body.slice(0, 300)}`).toBe(201);
      }
    });

    // [what, body, path named in the refusal]
    const refusals: [string, Record<string, unknown>, string][] = [
      ['a legal analysis without sections', { ...threadBody('legal_analysis'), sections: undefined }, '/sections'],
      ['a legal analysis with a body', { ...threadBody('legal_analysis'), body: 'A body of enough length.' }, '/body'],
      ['a legal analysis without its statement', { ...threadBody('legal_analysis'), analysis: undefined }, '/analysis'],
      [
        'a legal analysis with a missing section',
        { ...threadBody('legal_analysis'), sections: { ...VALID_SECTIONS, conclusion: undefined } },
        '/sections/conclusion',
      ],
      [
        'a legal analysis with a too short section',
        { ...threadBody('legal_analysis'), sections: { ...VALID_SECTIONS, conclusion: 'x' } },
        '/sections/conclusion',
      ],
      [
        'a legal analysis with an unknown section',
        { ...threadBody('legal_analysis'), sections: { ...VALID_SECTIONS, remedies: 'None needed.' } },
        '/sections/remedies',
      ],
      [
        'the law stated as at tomorrow',
        threadBody('legal_analysis', { analysis: { lawAsOf: '2026-11-23', personalCapacity: true } }),
        '/analysis/lawAsOf',
      ],
      [
        'a date that does not exist',
        threadBody('legal_analysis', { analysis: { lawAsOf: '2026-02-30', personalCapacity: true } }),
        '/analysis/lawAsOf',
      ],
      [
        'no personal-capacity statement',
        { ...threadBody('legal_analysis'), analysis: { lawAsOf: '2026-01-01', personalCapacity: false } },
        '/analysis/personalCapacity',
      ],
      ['a discussion with sections', { ...threadBody('discussion'), sections: VALID_SECTIONS }, '/sections'],
      ['a question without a body', { ...threadBody('question'), body: undefined }, '/body'],
      [
        'a case note with a date of law',
        { ...threadBody('case_note'), analysis: { lawAsOf: '2026-01-01', personalCapacity: true } },
        '/analysis',
      ],
      ['an unknown kind', { ...threadBody('discussion'), kind: 'opinion' }, '/kind'],
      ['an unknown jurisdiction', threadBody('discussion', { jurisdictions: ['FR', 'XX'] }), '/jurisdictions/1'],
      ['a lower-case jurisdiction', threadBody('discussion', { jurisdictions: ['fr'] }), '/jurisdictions/0'],
      ['an unknown topic', threadBody('discussion', { topics: ['medical-products', 'piracy'] }), '/topics/1'],
      [
        'an unknown instrument',
        threadBody('discussion', {
          citations: [
            { instrument: 'medicrime', provision: null },
            { instrument: 'no-such-treaty', provision: null },
          ],
        }),
        '/citations/1/instrument',
      ],
      ['a jurisdiction twice', threadBody('discussion', { jurisdictions: ['FR', 'INT', 'FR'] }), '/jurisdictions'],
      ['a topic twice', threadBody('discussion', { topics: ['firearms', 'firearms'] }), '/topics'],
      [
        'a citation twice',
        threadBody('discussion', {
          citations: [
            { instrument: 'medicrime', provision: 'art. 5' },
            { instrument: 'medicrime', provision: 'art. 5' },
          ],
        }),
        '/citations',
      ],
      ['no jurisdiction', threadBody('discussion', { jurisdictions: [] }), '/jurisdictions'],
      ['no topic', threadBody('discussion', { topics: [] }), '/topics'],
      [
        'eleven jurisdictions',
        threadBody('discussion', {
          jurisdictions: ['FR', 'DE', 'IT', 'ES', 'BE', 'NL', 'PT', 'AT', 'PL', 'KE', 'INT'],
        }),
        '/jurisdictions',
      ],
      [
        'a provision of 61 characters',
        threadBody('discussion', { citations: [{ instrument: 'medicrime', provision: 'a'.repeat(61) }] }),
        '/citations/0/provision',
      ],
      ['a title of 7 characters', threadBody('discussion', { title: 'x'.repeat(7) }), '/title'],
      ['a title of 161 characters', threadBody('discussion', { title: 'x'.repeat(161) }), '/title'],
      ['a title starting with a space', threadBody('discussion', { title: ' Falsified medicines' }), '/title'],
      ['a title on two lines', threadBody('discussion', { title: 'Falsified\nmedicines' }), '/title'],
      ['an opening post of 19 characters', threadBody('discussion', { body: 'b'.repeat(19) }), '/body'],
      ['an opening post of 30,001 characters', threadBody('discussion', { body: 'b'.repeat(30_001) }), '/body'],
      ['a body of spaces only', threadBody('discussion', { body: ' '.repeat(40) }), '/body'],
      // Fields the server decides are locked: naming one is a refusal, not silently ignored.
      ['a cooked body', { ...threadBody('discussion'), cooked: '<script>x</script>' }, '/cooked'],
      ['an author', { ...threadBody('discussion'), authorId: 'someone-else' }, '/authorId'],
      ['a post number', { ...threadBody('discussion'), number: 7 }, '/number'],
      ['a version', { ...threadBody('discussion'), version: 3 }, '/version'],
      ['an id', { ...threadBody('discussion'), id: 'chosen-id' }, '/id'],
      ['counters', { ...threadBody('discussion'), replyCount: 40 }, '/replyCount'],
    ];
    it.each(refusals)('refuses %s (400, issue at the path), storing nothing', async (_, body, path) => {
      const res = await call('POST', '/api/threads', alice, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
      expect(issuePaths(res)).toContain(path);
      expect(await list(alice)).toEqual([]);
    });

    it('names every problem at once', async () => {
      const res = await call(
        'POST',
        '/api/threads',
        alice,
        threadBody('discussion', { title: 'short', jurisdictions: ['XX'], topics: ['nope'] }),
      );
      expect(res.statusCode).toBe(400);
      expect(issuePaths(res).sort()).toEqual(['/jurisdictions/0', '/title', '/topics/0']);
    });

    it('names a field the schema refuses once, with the reason that matters', async () => {
      const res = await call(
        'POST',
        '/api/threads',
        alice,
        threadBody('discussion', { citations: [{ instrument: 'medicrime', provision: 'x'.repeat(241) }] }),
      );
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.issues).toEqual([
        {
          path: '/citations/0/provision',
          code: 'too_long',
          params: { max: 240 },
          message: expect.stringMatching(/more than 240 characters/),
        },
      ]);
    });
  });

  describe('PATCH /api/threads/:id', () => {
    it('changes title and tags; a new title is a revision of the opening post, with its reason', async () => {
      const { thread, posts } = await startThread(t, alice, { title: 'The original title' });
      t.clock.advance(MINUTE);
      const res = await call('PATCH', `/api/threads/${thread.id}`, alice, {
        title: 'A clearer title for the thread',
        jurisdictions: ['INT', 'EU'],
        topics: ['firearms'],
        citations: [],
        reason: 'Clearer',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().thread).toMatchObject({
        title: 'A clearer title for the thread',
        jurisdictions: [{ code: 'INT' }, { code: 'EU' }],
        topics: [{ code: 'firearms' }],
        citations: [],
        kind: 'discussion',
      });
      const opener = (await page(alice, thread.id)).posts[0]!;
      expect(opener.version).toBe(2);
      expect(opener.editedAt).toBe(t.clock.now().toISOString());
      const h = await history(alice, posts[0]!.id);
      expect(h.post.threadTitle).toBe('A clearer title for the thread');
      expect(h.revisions.map((r: { version: number; title: string; reason: string | null }) => r)).toMatchObject([
        { version: 1, title: 'The original title', reason: null, body: threadBody().body },
        { version: 2, title: 'A clearer title for the thread', reason: 'Clearer', body: threadBody().body },
      ]);
      // The tags moved with it: filters follow the new tags.
      expect((await list(alice, '?jurisdiction=FR')).map((x) => x.id)).toEqual([]);
      expect((await list(alice, '?jurisdiction=EU')).map((x) => x.id)).toEqual([thread.id]);
      expect((await list(alice, '?instrument=medicrime')).map((x) => x.id)).toEqual([]);
    });

    it('keeps each change of tags as a revision of the opening post, and makes none when nothing changes', async () => {
      const { thread, posts } = await startThread(t, alice);
      const res = await call('PATCH', `/api/threads/${thread.id}`, alice, {
        topics: ['corruption'],
        reason: 'Retagged',
      });
      expect(res.statusCode, res.body).toBe(200);
      const revisions = (await history(alice, posts[0]!.id)).revisions;
      expect(revisions).toHaveLength(2);
      expect(revisions[0]!.meta.topics.map((tag: { code: string }) => tag.code)).toEqual(
        thread.topics.map((x) => x.code),
      );
      expect(revisions[1]).toMatchObject({
        version: 2,
        reason: 'Retagged',
        meta: { topics: [{ code: 'corruption' }] },
      });
      const same = await call('PATCH', `/api/threads/${thread.id}`, alice, { title: thread.title });
      expect(same.statusCode).toBe(200);
      expect((await history(alice, posts[0]!.id)).revisions).toHaveLength(2);
    });

    it("keeps a change of a legal analysis's date of law and citations as a revision, with its reason", async () => {
      const { thread, posts } = await startThread(t, alice, { kind: 'legal_analysis' });
      const res = await call('PATCH', `/api/threads/${thread.id}`, alice, {
        analysis: { lawAsOf: '2025-06-30', personalCapacity: true },
        citations: [{ instrument: 'medicrime', provision: 'art. 6' }],
        reason: 'Law as amended',
      });
      expect(res.statusCode, res.body).toBe(200);
      const reader = await member(t, { displayName: 'Reader' });
      const { revisions } = await history(reader, posts[0]!.id);
      expect(revisions.map((r: { version: number }) => r.version)).toEqual([1, 2]);
      expect(revisions[0]!.meta.lawAsOf).toBe('2026-01-01');
      expect(revisions[1]).toMatchObject({
        reason: 'Law as amended',
        meta: { lawAsOf: '2025-06-30', citations: [{ instrument: 'medicrime', provision: 'art. 6' }] },
      });
      expect((await page(alice, thread.id)).posts[0]!.version).toBe(2);
    });

    it("moves a legal analysis's date of law, never into the future", async () => {
      const { thread } = await startThread(t, alice, { kind: 'legal_analysis' });
      const moved = await call('PATCH', `/api/threads/${thread.id}`, alice, {
        analysis: { lawAsOf: '2026-06-30', personalCapacity: true },
      });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(moved.json().thread).toMatchObject({ lawAsOf: '2026-06-30', analysis: { lawAsOf: '2026-06-30' } });
      const future = await call('PATCH', `/api/threads/${thread.id}`, alice, {
        analysis: { lawAsOf: '2027-01-01', personalCapacity: true },
      });
      expect(future.statusCode).toBe(400);
      expect(issuePaths(future)).toEqual(['/analysis/lawAsOf']);
      expect((await page(alice, thread.id)).thread.lawAsOf).toBe('2026-06-30');
    });

    const refusals: [string, Record<string, unknown>, string][] = [
      ['a kind', { kind: 'legal_analysis' }, '/kind'],
      ['a kind beside a valid title', { title: 'A valid new title', kind: 'question' }, '/kind'],
      ['an author', { authorId: 'x' }, '/authorId'],
      ['a body', { body: 'The body is edited through its post.' }, '/body'],
      ['a date of law on a discussion', { analysis: { lawAsOf: '2026-01-01', personalCapacity: true } }, '/analysis'],
      ['an unknown jurisdiction', { jurisdictions: ['FR', 'ZZ'] }, '/jurisdictions/1'],
      ['no topic', { topics: [] }, '/topics'],
      ['a short title', { title: 'short' }, '/title'],
      ['an empty reason', { title: 'A valid new title', reason: '' }, '/reason'],
      ['a reason of 301 characters', { title: 'A valid new title', reason: 'r'.repeat(301) }, '/reason'],
    ];
    it.each(refusals)('refuses %s, changing nothing', async (_, body, path) => {
      const { thread } = await startThread(t, alice);
      const res = await call('PATCH', `/api/threads/${thread.id}`, alice, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(issuePaths(res)).toContain(path);
      const after = (await page(alice, thread.id)).thread;
      expect(after).toMatchObject({ kind: 'discussion', title: thread.title, jurisdictions: thread.jurisdictions });
    });

    it('refuses an empty change, and answers 404 for an unknown thread', async () => {
      const { thread } = await startThread(t, alice);
      expect((await call('PATCH', `/api/threads/${thread.id}`, alice, {})).statusCode).toBe(400);
      const missing = await call('PATCH', '/api/threads/no-such-thread', alice, { title: 'A valid new title' });
      expect(missing.statusCode).toBe(404);
      expect(errorCode(missing)).toBe('NOT_FOUND');
    });
  });

  describe('GET /api/threads/:id', () => {
    it('shows posts in number order with their place in the tree, badges and cooked HTML', async () => {
      const bob = await member(t, { displayName: 'Bob Judge', profession: 'judge', jurisdictionCode: 'KE' });
      const { thread, posts } = await startThread(t, alice);
      const opener = posts[0]!;
      const r2 = await replyTo(t, bob, thread.id, undefined, 'A reply with a [link](https://example.org/x).');
      const r3 = await replyTo(t, alice, thread.id, r2.id, 'A reply to the reply.');
      const r4 = await replyTo(t, bob, thread.id, r3.id, 'Deeper still.');
      const r5 = await replyTo(t, bob, thread.id, opener.id, 'Back to the top.');

      const view = await page(bob, thread.id);
      expect(view.posts.map((p) => p.number)).toEqual([1, 2, 3, 4, 5]);
      expect(view.posts.map((p) => p.id)).toEqual([opener.id, r2.id, r3.id, r4.id, r5.id]);
      expect(view.posts.map((p) => [p.parentId, p.parentNumber, p.depth, p.replyCount])).toEqual([
        [null, null, 0, 2],
        [opener.id, 1, 1, 1],
        [r2.id, 2, 2, 1],
        [r3.id, 3, 3, 0],
        [opener.id, 1, 1, 0],
      ]);
      expect(view.posts.map((p) => p.canEdit)).toEqual([false, true, false, true, true]);
      expect(view.thread).toMatchObject({ canEdit: false, canReply: true, replyCount: 4, postCount: 5 });
      expect(view.posts[1]!.author).toMatchObject({
        id: bob.user.id,
        displayName: 'Bob Judge',
        badge: { profession: 'judge', jurisdictionCode: 'KE', jurisdictionName: 'Kenya' },
      });
      expect(view.posts[0]!.author.badge).toMatchObject({ profession: 'prosecutor', jurisdictionCode: 'FR' });
      expect(view.posts[0]!.cooked).toContain('<strong>falsified</strong>');
      expect(view.posts[1]!.cooked).toContain(
        '<a href="https://example.org/x" rel="nofollow noopener noreferrer">link</a>',
      );
      // The single-post view agrees with the page.
      const single = await call('GET', `/api/posts/${r3.id}`, bob);
      expect(single.statusCode).toBe(200);
      expect(single.json().post).toEqual({ ...view.posts[2], canEdit: false });
    });

    it('shows no badge for an unvetted author (an admin without verification)', async () => {
      const adm = await admin(t);
      const { posts } = await startThread(t, adm);
      expect(posts[0]!.author.badge).toBeNull();
    });

    it('reads on after a post number', async () => {
      const { thread } = await startThread(t, alice);
      for (let i = 0; i < 3; i++) await replyTo(t, alice, thread.id);
      const res = await call('GET', `/api/threads/${thread.id}?after=2`, alice);
      expect(res.json().posts.map((p: Post) => p.number)).toEqual([3, 4]);
      expect(res.json().hasMore).toBe(false);
    });

    it('answers 404 for an unknown thread or post, and 400 for a malformed id', async () => {
      for (const url of [
        '/api/threads/nope',
        '/api/posts/nope',
        '/api/posts/nope/source',
        '/api/posts/nope/revisions',
      ]) {
        const res = await call('GET', url, alice);
        expect(res.statusCode, url).toBe(404);
        expect(errorCode(res)).toBe('NOT_FOUND');
      }
      expect((await call('GET', '/api/threads/a%20b', alice)).statusCode).toBe(400);
      expect((await call('GET', '/api/threads/x?after=-1', alice)).statusCode).toBe(400);
    });
  });

  describe('POST /api/threads/:id/posts', () => {
    it('counts replies and participants, tracks the last poster, and makes the author follow', async () => {
      const bob = await member(t, { displayName: 'Bob' });
      const carol = await member(t, { displayName: 'Carol' });
      const { thread } = await startThread(t, alice);
      t.clock.advance(MINUTE);
      await replyTo(t, bob, thread.id);
      t.clock.advance(MINUTE);
      await replyTo(t, bob, thread.id);
      t.clock.advance(MINUTE);
      await replyTo(t, alice, thread.id);
      t.clock.advance(MINUTE);
      const last = await replyTo(t, carol, thread.id);
      expect(last.number).toBe(5);
      const [summary] = await list(alice);
      expect(summary).toMatchObject({
        replyCount: 4,
        postCount: 5,
        participantCount: 3,
        lastPoster: { id: carol.user.id, displayName: 'Carol' },
        lastPostAt: t.clock.now().toISOString(),
        createdAt: new Date(t.clock.now().getTime() - 4 * MINUTE).toISOString(),
      });
      const follows = (await call('GET', '/api/follows', carol)).json();
      expect(follows.threads).toEqual([{ id: thread.id, title: thread.title }]);
      expect((await page(carol, thread.id)).thread.following).toBe(true);
      // She had never opened the thread: her reply marks nothing as read.
      expect((await list(carol))[0]).toMatchObject({ lastReadNumber: null, unreadCount: 5 });
    });

    it('counts your own reply as read only when you had read everything before it', async () => {
      const bob = await member(t, { displayName: 'Bob' });
      const { thread } = await startThread(t, alice);
      await replyTo(t, bob, thread.id);
      await call('PUT', `/api/threads/${thread.id}/read`, alice, { lastReadNumber: 2 });
      await replyTo(t, alice, thread.id);
      expect((await list(alice))[0]).toMatchObject({ lastReadNumber: 3, unreadCount: 0 });
      await replyTo(t, bob, thread.id);
      await replyTo(t, bob, thread.id);
      await replyTo(t, alice, thread.id);
      // Bob's two replies (4 and 5) stay unread; so does her own 6, after them.
      expect((await list(alice))[0]).toMatchObject({ lastReadNumber: 3, unreadCount: 3 });
    });

    it("nests a reply to a reply at depth 2 and raises its parent's reply count", async () => {
      const { thread, posts } = await startThread(t, alice);
      const first = await replyTo(t, alice, thread.id, posts[0]!.id);
      expect(first).toMatchObject({ depth: 1, parentId: posts[0]!.id, parentNumber: 1 });
      const nested = await replyTo(t, alice, thread.id, first.id);
      expect(nested).toMatchObject({ depth: 2, parentId: first.id, parentNumber: 2, number: 3 });
      const again = await replyTo(t, alice, thread.id, first.id);
      expect(again.depth).toBe(2);
      const parent = (await call('GET', `/api/posts/${first.id}`, alice)).json().post;
      expect(parent.replyCount).toBe(2);
      // null replies to the opening post, like an absent parentId.
      expect(await replyTo(t, alice, thread.id, null)).toMatchObject({ depth: 1, parentNumber: 1 });
    });

    it('refuses a parent from another thread or an unknown one, storing nothing', async () => {
      const a = await startThread(t, alice);
      const b = await startThread(t, alice);
      const elsewhere = await replyTo(t, alice, b.thread.id);
      for (const parentId of [b.posts[0]!.id, elsewhere.id, 'no-such-post']) {
        const res = await call('POST', `/api/threads/${a.thread.id}/posts`, alice, {
          parentId,
          body: 'Misplaced reply.',
        });
        expect(res.statusCode, parentId).toBe(400);
        expect(issuePaths(res)).toEqual(['/parentId']);
      }
      expect((await page(alice, a.thread.id)).posts).toHaveLength(1);
      expect((await page(alice, a.thread.id)).thread.postCount).toBe(1);
      expect((await call('GET', `/api/posts/${b.posts[0]!.id}`, alice)).json().post.replyCount).toBe(1);
    });

    const refusals: [string, Record<string, unknown>, string][] = [
      ['a body of one character', { body: 'x' }, '/body'],
      ['a body of 30,001 characters', { body: 'x'.repeat(30_001) }, '/body'],
      ['a body of newlines only', { body: '\n\n\n' }, '/body'],
      ['a body with a NUL', { body: 'Hello\u0000world' }, '/body'],
      ['no body', {}, '/body'],
      ['sections', { body: 'A reply.', sections: VALID_SECTIONS }, '/sections'],
      ['a number', { body: 'A reply.', number: 1 }, '/number'],
      ['a depth', { body: 'A reply.', depth: 0 }, '/depth'],
    ];
    it.each(refusals)('refuses %s', async (_, body, path) => {
      const { thread } = await startThread(t, alice);
      const res = await call('POST', `/api/threads/${thread.id}/posts`, alice, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(issuePaths(res)).toContain(path);
      expect((await page(alice, thread.id)).thread.postCount).toBe(1);
    });

    it('accepts a reply of two characters and of 30,000; 404 in an unknown thread', async () => {
      const { thread } = await startThread(t, alice);
      await replyTo(t, alice, thread.id, undefined, 'ok');
      await replyTo(t, alice, thread.id, undefined, 'y'.repeat(30_000));
      const res = await call('POST', '/api/threads/no-such-thread/posts', alice, { body: 'A reply.' });
      expect(res.statusCode).toBe(404);
    });
  });

  describe('PATCH /api/posts/:id', () => {
    it('stores a new version and keeps the previous one as a revision with its reason', async () => {
      const bob = await member(t);
      const { thread } = await startThread(t, alice);
      const reply = await replyTo(t, alice, thread.id, undefined, 'First words.');
      t.clock.advance(MINUTE);
      const res = await call('PATCH', `/api/posts/${reply.id}`, alice, {
        version: 1,
        body: 'Second *words*.',
        reason: 'Typo',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().post).toMatchObject({
        version: 2,
        editedAt: t.clock.now().toISOString(),
        cooked: '<p>Second <em>words</em>.</p>\n',
      });
      t.clock.advance(MINUTE);
      await call('PATCH', `/api/posts/${reply.id}`, alice, { version: 2, body: 'Third words.' });
      const h = await history(bob, reply.id);
      expect(h.post).toMatchObject({ id: reply.id, threadId: thread.id, number: 2, threadTitle: thread.title });
      expect(h.revisions).toMatchObject([
        { version: 1, body: 'First words.', reason: null, title: null, editor: { id: alice.user.id } },
        { version: 2, body: 'Second *words*.', reason: 'Typo', cooked: '<p>Second <em>words</em>.</p>\n' },
        { version: 3, body: 'Third words.', reason: null },
      ]);
      expect(h.revisions.map((r: { createdAt: string }) => r.createdAt)).toEqual([
        new Date(t.clock.now().getTime() - 2 * MINUTE).toISOString(),
        new Date(t.clock.now().getTime() - MINUTE).toISOString(),
        t.clock.now().toISOString(),
      ]);
      const source = (await call('GET', `/api/posts/${reply.id}/source`, alice)).json();
      expect(source).toEqual({ id: reply.id, threadId: thread.id, version: 3, body: 'Third words.', sections: null });
    });

    it('refuses a stale version with 409 CONFLICT and stores nothing', async () => {
      const { thread } = await startThread(t, alice);
      const reply = await replyTo(t, alice, thread.id, undefined, 'Original.');
      expect(
        (await call('PATCH', `/api/posts/${reply.id}`, alice, { version: 1, body: 'From tab one.' })).statusCode,
      ).toBe(200);
      const stale = await call('PATCH', `/api/posts/${reply.id}`, alice, { version: 1, body: 'From tab two.' });
      expect(stale.statusCode).toBe(409);
      expect(errorCode(stale)).toBe('CONFLICT');
      const ahead = await call('PATCH', `/api/posts/${reply.id}`, alice, { version: 5, body: 'From the future.' });
      expect(ahead.statusCode).toBe(409);
      const source = (await call('GET', `/api/posts/${reply.id}/source`, alice)).json();
      expect(source).toMatchObject({ version: 2, body: 'From tab one.' });
      expect((await history(alice, reply.id)).revisions).toHaveLength(2);
    });

    it('makes no revision for an edit that changes nothing', async () => {
      const { thread } = await startThread(t, alice);
      const reply = await replyTo(t, alice, thread.id, undefined, 'Unchanged.');
      const res = await call('PATCH', `/api/posts/${reply.id}`, alice, { version: 1, body: 'Unchanged.' });
      expect(res.statusCode).toBe(200);
      expect(res.json().post).toMatchObject({ version: 1, editedAt: null });
      expect((await history(alice, reply.id)).revisions).toHaveLength(1);
    });

    it('holds an edited opening post to the opening rule (20 characters)', async () => {
      const { posts } = await startThread(t, alice);
      const res = await call('PATCH', `/api/posts/${posts[0]!.id}`, alice, { version: 1, body: 'Too short.' });
      expect(res.statusCode).toBe(400);
      expect(issuePaths(res)).toEqual(['/body']);
    });

    // The same five sections in another key order are not a change (no new version or revision).
    it('makes no revision when the same sections come in another order', async () => {
      const { posts } = await startThread(t, alice, { kind: 'legal_analysis' });
      const reordered = Object.fromEntries(Object.entries(VALID_SECTIONS).reverse());
      const res = await call('PATCH', `/api/posts/${posts[0]!.id}`, alice, { version: 1, sections: reordered });
      expect(res.statusCode).toBe(200);
      expect(res.json().post.version).toBe(1);
      expect((await history(alice, posts[0]!.id)).revisions).toHaveLength(1);
    });

    it('keeps the reply draft when the reply is refused', async () => {
      const { thread } = await startThread(t, alice);
      await call('PUT', `/api/drafts/reply/${thread.id}`, alice, { body: 'Kept.' });
      const res = await call('POST', `/api/threads/${thread.id}/posts`, alice, { parentId: 'nope', body: 'Kept.' });
      expect(res.statusCode).toBe(400);
      expect((await call('GET', `/api/drafts/reply/${thread.id}`, alice)).json().draft.data).toEqual({ body: 'Kept.' });
    });

    it("edits a legal analysis's sections, never as a body", async () => {
      const { posts } = await startThread(t, alice, { kind: 'legal_analysis' });
      const opener = posts[0]!;
      const sections = { ...VALID_SECTIONS, conclusion: 'No: article 7 needs an **intent** to supply.' };
      const res = await call('PATCH', `/api/posts/${opener.id}`, alice, { version: 1, sections });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().post.sections.at(-1).cooked).toContain('<strong>intent</strong>');
      const asBody = await call('PATCH', `/api/posts/${opener.id}`, alice, {
        version: 2,
        body: 'A body of enough length instead.',
      });
      expect(asBody.statusCode).toBe(400);
      expect(issuePaths(asBody)).toContain('/body');
      const h = await history(alice, opener.id);
      expect(h.revisions.map((r: { sections: unknown }) => r.sections)).toEqual([VALID_SECTIONS, sections]);
    });

    const refusals: [string, Record<string, unknown>, string][] = [
      ['no version', { body: 'New words.' }, '/version'],
      ['version 0', { version: 0, body: 'New words.' }, '/version'],
      ['sections on a reply', { version: 1, sections: VALID_SECTIONS }, '/sections'],
      ['a body of one character', { version: 1, body: 'x' }, '/body'],
      ['an empty reason', { version: 1, body: 'New words.', reason: '' }, '/reason'],
      ['a cooked body', { version: 1, body: 'New words.', cooked: '<b>x</b>' }, '/cooked'],
      ['a thread id', { version: 1, body: 'New words.', threadId: 'elsewhere' }, '/threadId'],
    ];
    it.each(refusals)('refuses %s', async (_, body, path) => {
      const { thread } = await startThread(t, alice);
      const reply = await replyTo(t, alice, thread.id, undefined, 'Original.');
      const res = await call('PATCH', `/api/posts/${reply.id}`, alice, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(issuePaths(res)).toContain(path);
      expect((await call('GET', `/api/posts/${reply.id}/source`, alice)).json()).toMatchObject({
        version: 1,
        body: 'Original.',
      });
    });
  });

  describe('PUT /api/threads/:id/read', () => {
    it('shows read state in the list, never moves back and stops at the last post', async () => {
      const bob = await member(t);
      const { thread } = await startThread(t, alice);
      for (let i = 0; i < 4; i++) await replyTo(t, alice, thread.id);
      expect((await list(bob))[0]).toMatchObject({ postCount: 5, lastReadNumber: null, unreadCount: 5 });
      expect((await list(alice))[0]).toMatchObject({ lastReadNumber: 5, unreadCount: 0 });

      const read = async (n: number) => {
        const res = await call('PUT', `/api/threads/${thread.id}/read`, bob, { lastReadNumber: n });
        expect(res.statusCode, res.body).toBe(200);
        return res.json();
      };
      expect(await read(3)).toEqual({ threadId: thread.id, lastReadNumber: 3 });
      expect((await list(bob))[0]).toMatchObject({ lastReadNumber: 3, unreadCount: 2 });
      expect(await read(1)).toEqual({ threadId: thread.id, lastReadNumber: 3 });
      expect(await read(999)).toEqual({ threadId: thread.id, lastReadNumber: 5 });
      expect((await list(bob))[0]).toMatchObject({ lastReadNumber: 5, unreadCount: 0 });
      expect((await page(bob, thread.id)).thread).toMatchObject({ lastReadNumber: 5, unreadCount: 0 });

      await replyTo(t, alice, thread.id);
      expect((await list(bob))[0]).toMatchObject({ lastReadNumber: 5, unreadCount: 1 });
    });

    it('filters to threads with unread posts', async () => {
      const bob = await member(t);
      const a = await startThread(t, alice);
      const b = await startThread(t, alice);
      const c = await startThread(t, bob);
      await replyTo(t, alice, a.thread.id);
      await call('PUT', `/api/threads/${a.thread.id}/read`, bob, { lastReadNumber: 2 });
      await call('PUT', `/api/threads/${b.thread.id}/read`, bob, { lastReadNumber: 1 });
      expect((await list(bob, '?unread=true')).map((x) => x.id)).toEqual([]);
      await replyTo(t, alice, b.thread.id);
      expect((await list(bob, '?unread=true')).map((x) => x.id)).toEqual([b.thread.id]);
      expect((await list(alice, '?unread=true')).map((x) => x.id)).toEqual([c.thread.id]);
      expect((await list(bob, '?unread=false')).length).toBe(3);
    });

    it('refuses a number below 1 and answers 404 for an unknown thread', async () => {
      const { thread } = await startThread(t, alice);
      expect((await call('PUT', `/api/threads/${thread.id}/read`, alice, { lastReadNumber: 0 })).statusCode).toBe(400);
      expect((await call('PUT', `/api/threads/${thread.id}/read`, alice, { lastReadNumber: 1.5 })).statusCode).toBe(
        400,
      );
      expect((await call('PUT', '/api/threads/nope/read', alice, { lastReadNumber: 1 })).statusCode).toBe(404);
    });
  });

  describe('PUT, DELETE and GET /api/follows', () => {
    it('follows and unfollows threads, jurisdictions, topics and instruments', async () => {
      const bob = await member(t);
      const { thread } = await startThread(t, alice);
      for (const [target, key] of [
        ['thread', thread.id],
        ['jurisdiction', 'INT'],
        ['topic', 'firearms'],
        ['instrument', 'medicrime'],
      ]) {
        const res = await call('PUT', `/api/follows/${target}/${key}`, bob);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toEqual({ target, key, following: true });
      }
      // Following twice is harmless.
      expect((await call('PUT', '/api/follows/topic/firearms', bob)).statusCode).toBe(200);
      expect((await call('GET', '/api/follows', bob)).json()).toEqual({
        threads: [{ id: thread.id, title: thread.title }],
        jurisdictions: [{ code: 'INT', name: 'International law' }],
        topics: [{ code: 'firearms', name: expect.any(String) }],
        instruments: [{ code: 'medicrime', name: expect.any(String) }],
      });
      expect((await page(bob, thread.id)).thread.following).toBe(true);

      const off = await call('DELETE', `/api/follows/thread/${thread.id}`, bob);
      expect(off.json()).toEqual({ target: 'thread', key: thread.id, following: false });
      await call('DELETE', '/api/follows/jurisdiction/INT', bob);
      expect((await call('GET', '/api/follows', bob)).json()).toMatchObject({
        threads: [],
        jurisdictions: [],
        topics: [{ code: 'firearms' }],
      });
      expect((await page(bob, thread.id)).thread.following).toBe(false);
    });

    it.each([
      ['thread', 'no-such-thread'],
      ['jurisdiction', 'XX'],
      ['topic', 'no-such-topic'],
      ['instrument', 'no-such-instrument'],
    ])('answers 404 for an unknown %s', async (target, key) => {
      for (const method of ['PUT', 'DELETE'] as const) {
        const res = await call(method, `/api/follows/${target}/${key}`, alice);
        expect(res.statusCode, `${method} ${target}`).toBe(404);
        expect(errorCode(res)).toBe('NOT_FOUND');
      }
      expect((await call('GET', '/api/follows', alice)).json()).toEqual({
        threads: [],
        jurisdictions: [],
        topics: [],
        instruments: [],
      });
    });

    it('refuses an unknown target', async () => {
      expect((await call('PUT', '/api/follows/member/abc', alice)).statusCode).toBe(400);
    });

    it('lists with following=true the threads followed directly, by jurisdiction, topic and instrument', async () => {
      const bob = await member(t);
      const direct = await startThread(t, alice, { jurisdictions: ['KE'], topics: ['corruption'] });
      const byJurisdiction = await startThread(t, alice, { jurisdictions: ['KE', 'INT'], topics: ['corruption'] });
      const byTopic = await startThread(t, alice, { jurisdictions: ['KE'], topics: ['corruption', 'firearms'] });
      const byInstrument = await startThread(t, alice, {
        jurisdictions: ['KE'],
        topics: ['corruption'],
        citations: [{ instrument: 'budapest', provision: 'art. 19' }],
      });
      const neither = await startThread(t, alice, { jurisdictions: ['KE'], topics: ['corruption'] });
      const own = await startThread(t, bob, { jurisdictions: ['KE'], topics: ['corruption'] });
      await call('PUT', `/api/follows/thread/${direct.thread.id}`, bob);
      await call('PUT', '/api/follows/jurisdiction/INT', bob);
      await call('PUT', '/api/follows/topic/firearms', bob);
      await call('PUT', '/api/follows/instrument/budapest', bob);
      const ids = (await list(bob, '?following=true')).map((x) => x.id).sort();
      expect(ids).toEqual([direct, byJurisdiction, byTopic, byInstrument, own].map((x) => x.thread.id).sort());
      expect(ids).not.toContain(neither.thread.id);
      // Alice follows the five threads she started, and nothing else.
      expect(await list(alice, '?following=true')).toHaveLength(5);
    });
  });

  describe('drafts', () => {
    const threadDraft = {
      kind: 'legal_analysis',
      title: 'Half-written analysis',
      jurisdictions: ['FR'],
      sections: { questionPresented: 'Does **it** apply?' },
      lawAsOf: null,
      personalCapacity: false,
    };

    it('keeps a thread draft for another session of the same author, hidden from others', async () => {
      const bob = await member(t);
      const saved = await call('PUT', '/api/drafts/thread', alice, threadDraft);
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.json().draft).toEqual({ updatedAt: t.clock.now().toISOString(), data: threadDraft });
      const otherSession = { ...alice, cookie: await t.loginAs(alice.user) };
      expect(otherSession.cookie).not.toBe(alice.cookie);
      expect((await call('GET', '/api/drafts/thread', otherSession)).json().draft.data).toEqual(threadDraft);
      expect((await call('GET', '/api/drafts/thread', bob)).json()).toEqual({ draft: null });
      expect((await call('GET', '/api/drafts', bob)).json()).toEqual({ drafts: [] });
      expect((await call('GET', '/api/drafts', alice)).json().drafts).toEqual([
        {
          key: 'thread',
          threadId: null,
          threadTitle: null,
          excerpt: 'Half-written analysis',
          updatedAt: t.clock.now().toISOString(),
        },
      ]);
      // Saving again replaces it.
      t.clock.advance(MINUTE);
      await call('PUT', '/api/drafts/thread', otherSession, { ...threadDraft, title: 'Second attempt' });
      expect((await call('GET', '/api/drafts/thread', alice)).json().draft.data.title).toBe('Second attempt');
      expect((await call('GET', '/api/drafts', alice)).json().drafts).toHaveLength(1);
    });

    it('deletes the thread draft when the thread is posted, or when discarded', async () => {
      await call('PUT', '/api/drafts/thread', alice, threadDraft);
      await startThread(t, alice);
      expect((await call('GET', '/api/drafts/thread', alice)).json()).toEqual({ draft: null });
      await call('PUT', '/api/drafts/thread', alice, threadDraft);
      const gone = await call('DELETE', '/api/drafts/thread', alice);
      expect(gone.statusCode).toBe(204);
      expect((await call('GET', '/api/drafts/thread', alice)).json()).toEqual({ draft: null });
    });

    it('keeps a reply draft per thread until the reply is posted', async () => {
      const bob = await member(t);
      const a = await startThread(t, alice);
      const b = await startThread(t, alice);
      const draft = { parentId: a.posts[0]!.id, body: 'I would add that **article 5** ...' };
      const saved = await call('PUT', `/api/drafts/reply/${a.thread.id}`, bob, draft);
      expect(saved.statusCode, saved.body).toBe(200);
      await call('PUT', `/api/drafts/reply/${b.thread.id}`, bob, { body: 'Another reply in progress.' });
      const otherSession = { ...bob, cookie: await t.loginAs(bob.user) };
      expect((await call('GET', `/api/drafts/reply/${a.thread.id}`, otherSession)).json().draft.data).toEqual(draft);
      expect((await call('GET', `/api/drafts/reply/${a.thread.id}`, alice)).json()).toEqual({ draft: null });
      const listed = (await call('GET', '/api/drafts', bob)).json().drafts;
      expect(listed).toHaveLength(2);
      expect(listed.find((d: { threadId: string }) => d.threadId === a.thread.id)).toMatchObject({
        key: `reply:${a.thread.id}`,
        threadTitle: a.thread.title,
        excerpt: 'I would add that article 5 ...',
      });

      await replyTo(t, bob, a.thread.id);
      expect((await call('GET', `/api/drafts/reply/${a.thread.id}`, bob)).json()).toEqual({ draft: null });
      expect((await call('GET', `/api/drafts/reply/${b.thread.id}`, bob)).json().draft).not.toBeNull();
      expect((await call('DELETE', `/api/drafts/reply/${b.thread.id}`, bob)).statusCode).toBe(204);
      expect((await call('GET', '/api/drafts', bob)).json()).toEqual({ drafts: [] });
    });

    it('refuses a reply draft in an unknown thread (404) and oversize drafts (400)', async () => {
      const { thread } = await startThread(t, alice);
      const unknown = await call('PUT', '/api/drafts/reply/no-such-thread', alice, { body: 'Text.' });
      expect(unknown.statusCode).toBe(404);
      const huge = 'x'.repeat(120_001);
      for (const [url, body] of [
        [`/api/drafts/reply/${thread.id}`, { body: huge }],
        ['/api/drafts/thread', { body: huge }],
        ['/api/drafts/thread', { title: 't'.repeat(641) }],
        ['/api/drafts/thread', { sections: { conclusion: 'c'.repeat(80_001) } }],
        ['/api/drafts/thread', { jurisdictions: Array.from({ length: 11 }, () => 'FR') }],
        ['/api/drafts/thread', { surprise: true }],
      ] as const) {
        const res = await call('PUT', url, alice, body);
        expect(res.statusCode, `${url} ${JSON.stringify(body).slice(0, 60)}`).toBe(400);
        expect(errorCode(res)).toBe('VALIDATION_FAILED');
      }
      expect((await call('GET', '/api/drafts', alice)).json()).toEqual({ drafts: [] });
    });
  });

  describe('GET /api/threads/tag-counts', () => {
    it('counts threads per jurisdiction, topic and instrument', async () => {
      expect((await call('GET', '/api/threads/tag-counts', alice)).json()).toEqual({
        jurisdictions: {},
        topics: {},
        instruments: {},
      });
      await startThread(t, alice, { jurisdictions: ['FR', 'INT'], topics: ['medical-products'] });
      await startThread(t, alice, {
        jurisdictions: ['FR'],
        topics: ['firearms', 'corruption'],
        citations: [
          { instrument: 'medicrime', provision: 'art. 5' },
          { instrument: 'medicrime', provision: 'art. 6' },
          { instrument: 'uncac', provision: null },
        ],
      });
      expect((await call('GET', '/api/threads/tag-counts', alice)).json()).toEqual({
        jurisdictions: { FR: 2, INT: 1 },
        topics: { 'medical-products': 1, firearms: 1, corruption: 1 },
        instruments: { medicrime: 2, uncac: 1 },
      });
    });
  });

  describe('GET /api/threads', () => {
    it('combines filters: jurisdictions any-of, topics, instruments, kind and author', async () => {
      const bob = await member(t);
      const fr = await startThread(t, alice, { jurisdictions: ['FR'], topics: ['medical-products'] });
      const intl = await startThread(t, alice, {
        kind: 'question',
        jurisdictions: ['INT'],
        topics: ['firearms'],
        citations: [{ instrument: 'untoc-firearms-protocol', provision: 'art. 3' }],
      });
      const eu = await startThread(t, bob, {
        kind: 'legal_analysis',
        jurisdictions: ['EU', 'FR'],
        topics: ['medical-products', 'e-commerce'],
      });
      const ke = await startThread(t, bob, {
        kind: 'case_note',
        jurisdictions: ['KE'],
        topics: ['corruption'],
        citations: [],
      });
      const ids = async (q: string) => (await list(alice, q)).map((x) => x.id).sort();
      const sorted = (...xs: { thread: { id: string } }[]) => xs.map((x) => x.thread.id).sort();

      expect(await ids('')).toEqual(sorted(fr, intl, eu, ke));
      expect(await ids('?jurisdiction=FR')).toEqual(sorted(fr, eu));
      expect(await ids('?jurisdiction=INT&jurisdiction=KE')).toEqual(sorted(intl, ke));
      expect(await ids('?jurisdiction=EU&jurisdiction=FR')).toEqual(sorted(fr, eu));
      expect(await ids('?topic=medical-products')).toEqual(sorted(fr, eu));
      expect(await ids('?topic=e-commerce&topic=firearms')).toEqual(sorted(intl, eu));
      expect(await ids('?instrument=medicrime')).toEqual(sorted(fr, eu));
      expect(await ids('?instrument=untoc-firearms-protocol&instrument=medicrime')).toEqual(sorted(fr, intl, eu));
      expect(await ids('?kind=legal_analysis')).toEqual(sorted(eu));
      expect(await ids(`?author=${bob.user.id}`)).toEqual(sorted(eu, ke));
      expect(await ids(`?author=${bob.user.id}&jurisdiction=FR`)).toEqual(sorted(eu));
      expect(await ids('?jurisdiction=FR&topic=e-commerce&instrument=medicrime&kind=legal_analysis')).toEqual(
        sorted(eu),
      );
      expect(await ids('?jurisdiction=FR&kind=case_note')).toEqual([]);
      expect(await ids('?jurisdiction=DE')).toEqual([]);
      // A legal analysis shows its date of law in the list.
      expect((await list(alice, '?kind=legal_analysis'))[0]!.lawAsOf).toBe('2026-01-01');
    });

    it('sorts by latest activity, by newest and by replies', async () => {
      const first = await startThread(t, alice);
      t.clock.advance(MINUTE);
      const second = await startThread(t, alice);
      t.clock.advance(MINUTE);
      const third = await startThread(t, alice);
      t.clock.advance(MINUTE);
      await replyTo(t, alice, first.thread.id);
      await replyTo(t, alice, first.thread.id);
      t.clock.advance(MINUTE);
      await replyTo(t, alice, second.thread.id);
      const order = async (q: string) => (await list(alice, q)).map((x) => x.id);
      const [a, b, c] = [first, second, third].map((x) => x.thread.id);
      expect(await order('')).toEqual([b, a, c]);
      expect(await order('?sort=latest')).toEqual([b, a, c]);
      expect(await order('?sort=newest')).toEqual([c, b, a]);
      expect(await order('?sort=replies')).toEqual([a, b, c]);
    });

    describe('cursor pages', () => {
      /** 13 threads with ties in every sort key: the id must break them, the same way on every page. */
      async function seed() {
        const bob = await member(t);
        const ids: string[] = [];
        for (let i = 0; i < 13; i++) {
          if (i % 3 === 0) t.clock.advance(MINUTE); // threes created in the same millisecond
          const { thread } = await startThread(t, i % 2 ? bob : alice);
          ids.push(thread.id);
        }
        for (const [i, id] of ids.entries()) {
          for (let r = 0; r < i % 4; r++) await replyTo(t, alice, id);
        }
        return ids;
      }
      async function walk(query: string, limit: number) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const res = await call(
            'GET',
            `/api/threads?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
            alice,
          );
          expect(res.statusCode, res.body).toBe(200);
          const body = res.json();
          expect(body.threads.length).toBeLessThanOrEqual(limit);
          seen.push(...body.threads.map((x: ThreadSummary) => x.id));
          cursor = body.nextCursor;
          pages++;
          expect(pages).toBeLessThan(50);
        } while (cursor);
        return { seen, pages };
      }

      it.each(['latest', 'newest', 'replies'])(
        'walks every page of the %s sort without duplicates or gaps, in the order of one big page',
        async (sort) => {
          const ids = await seed();
          const whole = (await list(alice, `?sort=${sort}&limit=100`)).map((x) => x.id);
          expect([...whole].sort()).toEqual([...ids].sort());
          for (const limit of [1, 2, 3, 5]) {
            const { seen, pages } = await walk(`&sort=${sort}`, limit);
            expect(new Set(seen).size, `limit ${limit}`).toBe(seen.length);
            expect(seen, `limit ${limit}`).toEqual(whole);
            expect(pages).toBe(Math.ceil(13 / limit));
          }
        },
      );

      it('keeps pages stable with a filter, and with the last page exactly full', async () => {
        await seed();
        const whole = (await list(alice, `?author=${alice.user.id}&limit=100`)).map((x) => x.id);
        expect(whole).toHaveLength(7);
        const { seen } = await walk(`&author=${alice.user.id}`, 7);
        expect(seen).toEqual(whole);
        const lastFull = await call('GET', `/api/threads?limit=7&author=${alice.user.id}`, alice);
        expect(lastFull.json().nextCursor).toBeNull();
      });

      it('does not skip or repeat when a thread on an earlier page gets a reply mid-walk (newest sort)', async () => {
        const ids = await seed();
        const first = await call('GET', '/api/threads?sort=newest&limit=4', alice);
        const body = first.json();
        await replyTo(t, alice, body.threads[0].id);
        const second = await call(
          'GET',
          `/api/threads?sort=newest&limit=100&cursor=${encodeURIComponent(body.nextCursor)}`,
          alice,
        );
        const all = [
          ...body.threads.map((x: ThreadSummary) => x.id),
          ...second.json().threads.map((x: ThreadSummary) => x.id),
        ];
        expect(new Set(all).size).toBe(13);
        expect([...all].sort()).toEqual([...ids].sort());
      });

      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      it.each([
        ['not base64 of JSON', 'abc'],
        ['an object', b64({ value: 1, id: 'x' })],
        ['one element', b64([1])],
        ['a string value', b64(['x', 'y'])],
        ['a float value', b64([1.5, 'y'])],
        ['an oversized id', b64([1, 'x'.repeat(65)])],
        ['characters outside base64url', 'a+b/c=='],
        ['more than 200 characters', 'A'.repeat(201)],
        ['JSON null', b64(null)],
        ['a number id', b64([1, 2])],
      ])('refuses a cursor that is %s with 400, never 500', async (_, cursor) => {
        await startThread(t, alice);
        const res = await call('GET', `/api/threads?cursor=${encodeURIComponent(cursor)}`, alice);
        expect(res.statusCode, res.body).toBe(400);
        expect(errorCode(res)).toBe('VALIDATION_FAILED');
      });

      it('refuses a limit outside 1..100 and unknown query parameters', async () => {
        for (const q of ['limit=0', 'limit=101', 'limit=x', 'sort=oldest', 'kind=essay', 'jurisdiction=fr', 'foo=1']) {
          expect((await call('GET', `/api/threads?${q}`, alice)).statusCode, q).toBe(400);
        }
      });
    });
  });

  describe('staff', () => {
    it('moderators and admins take part like members', async () => {
      const mod = await moderator(t, ['FR']);
      const adm = await admin(t);
      const { thread } = await startThread(t, mod);
      await replyTo(t, adm, thread.id);
      expect((await list(alice))[0]).toMatchObject({ participantCount: 2, lastPoster: { id: adm.user.id } });
    });
  });
});

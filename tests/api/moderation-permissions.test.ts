/**
 * The permission matrix of moderation: every moderation endpoint × every kind of account × the
 * scope of the content, asserted through the real app. Scope is the thread's jurisdictions: the
 * FR moderator covers FR, the KE moderator KE; INT and jurisdictions no moderator covers (BR, here)
 * are every moderator's; admins act everywhere; members never. Each cell gets fresh targets by a
 * fresh author, and a refused cell must leave posts, threads, reports, the queue, the audit log,
 * notifications, accounts and settings exactly as they were.
 */
import type { Post } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, errorCode, type TestApp } from '../helpers/app.js';
import {
  configure,
  moderationSnapshot,
  ok,
  quickActor,
  quickAdmin,
  quickMember,
  quickModerator,
  send,
  thread,
} from '../helpers/moderation.js';
import type { Actor } from '../helpers/vetting.js';

const ACTORS = ['anonymous', 'applicant', 'suspended', 'member', 'author', 'modIn', 'modOut', 'admin'] as const;
type ActorName = (typeof ACTORS)[number];
type Outcome = 'ok' | 'UNAUTHENTICATED' | 'NOT_VETTED' | 'SUSPENDED' | 'FORBIDDEN' | 'NOT_FOUND';
const STATUS: Record<Exclude<Outcome, 'ok'>, number> = {
  UNAUTHENTICATED: 401,
  NOT_VETTED: 403,
  SUSPENDED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
};

/** The jurisdictions the two moderators cover; anything else but INT is covered by nobody. */
const COVERED: Record<'modFR' | 'modKE', string[]> = { modFR: ['FR'], modKE: ['KE'] };
const STAFFED = new Set(Object.values(COVERED).flat());
const inScope = (scope: string[], covers: string[]) =>
  scope.some((code) => code === 'INT' || covers.includes(code) || !STAFFED.has(code));

interface Targets {
  author: Actor;
  threadId: string;
  openerId: string;
  replyId: string;
  /** The open review item of the reported reply. */
  itemId?: number;
  /** The open review item of a pending reply by the author. */
  submissionItemId?: number;
  /** Another thread in the same scope (for move). */
  otherThreadId?: string;
}

type Need = 'reported' | 'claimed' | 'submission' | 'hidden' | 'locked' | 'pinned' | 'resolved' | 'other';

interface Row {
  action: string;
  kind?: 'question';
  needs?: Need[];
  request: (
    x: Targets,
    ctx: { scope: string[]; pinCode: string },
  ) => { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; body?: unknown };
  expect: Record<ActorName, Outcome>;
}

const gate = { anonymous: 'UNAUTHENTICATED', applicant: 'NOT_VETTED', suspended: 'SUSPENDED' } as const;
const members = { ...gate, member: 'ok', author: 'FORBIDDEN', modIn: 'ok', modOut: 'ok', admin: 'ok' } as const;
const staffAnyScope = {
  ...gate,
  member: 'FORBIDDEN',
  author: 'FORBIDDEN',
  modIn: 'ok',
  modOut: 'ok',
  admin: 'ok',
} as const;
const staffInScope = { ...staffAnyScope, modOut: 'FORBIDDEN' } as const;
/** Content taken out of view does not exist for a moderator out of scope (hidden means 404). */
const staffInScopeOfHidden = { ...staffAnyScope, modOut: 'NOT_FOUND' } as const;
const adminOnly = { ...staffInScope, modIn: 'FORBIDDEN' } as const;
const authorOrStaffInScope = { ...staffInScope, author: 'ok' } as const;

const REASON = 'Contains the name of a minor victim.';
const mod = (x: Targets, action: string, body: Record<string, unknown> = { reason: REASON }) =>
  ({ method: 'POST', url: `/api/moderation/posts/${x.replyId}/${action}`, body }) as const;
const modThread = (x: Targets, action: string, body: Record<string, unknown> = { reason: REASON }) =>
  ({ method: 'POST', url: `/api/moderation/threads/${x.threadId}/${action}`, body }) as const;

const MATRIX: Row[] = [
  {
    action: 'report a post',
    request: (x) => ({ method: 'POST', url: `/api/posts/${x.replyId}/reports`, body: { reason: 'off_topic' } }),
    expect: members,
  },
  { action: 'list the queue', request: () => ({ method: 'GET', url: '/api/moderation/queue' }), expect: staffAnyScope },
  {
    action: 'list closed items',
    request: () => ({ method: 'GET', url: '/api/moderation/queue?status=closed&kind=post' }),
    expect: staffAnyScope,
  },
  {
    action: 'open a queue item',
    needs: ['reported'],
    request: (x) => ({ method: 'GET', url: `/api/moderation/queue/${x.itemId}` }),
    expect: staffInScope,
  },
  {
    action: 'claim a queue item',
    needs: ['reported'],
    request: (x) => ({ method: 'POST', url: `/api/moderation/queue/${x.itemId}/claim` }),
    expect: staffInScope,
  },
  {
    action: 'release a claim',
    needs: ['reported', 'claimed'],
    request: (x) => ({ method: 'DELETE', url: `/api/moderation/queue/${x.itemId}/claim` }),
    expect: staffInScope,
  },
  {
    action: 'approve a submission',
    needs: ['submission'],
    request: (x) => ({ method: 'POST', url: `/api/moderation/queue/${x.submissionItemId}/approve`, body: {} }),
    expect: staffInScope,
  },
  {
    action: 'reject a submission',
    needs: ['submission'],
    request: (x) => ({
      method: 'POST',
      url: `/api/moderation/queue/${x.submissionItemId}/reject`,
      body: { reason: REASON },
    }),
    expect: staffInScope,
  },
  { action: 'dismiss reports', needs: ['reported'], request: (x) => mod(x, 'dismiss'), expect: staffInScope },
  { action: 'hide a post', request: (x) => mod(x, 'hide'), expect: staffInScope },
  { action: 'restore a post', needs: ['hidden'], request: (x) => mod(x, 'restore'), expect: staffInScopeOfHidden },
  { action: 'delete a post', request: (x) => mod(x, 'delete'), expect: staffInScope },
  { action: 'warn the author', request: (x) => mod(x, 'warn'), expect: staffInScope },
  // moderatorsCanSuspend is false here (its own test turns it on).
  { action: 'suspend the author', request: (x) => mod(x, 'suspend-author'), expect: adminOnly },
  {
    action: 'move a post',
    needs: ['other'],
    request: (x) => mod(x, 'move', { reason: REASON, toThreadId: x.otherThreadId }),
    expect: staffInScope,
  },
  {
    action: 'edit a post (PATCH /api/posts/:id)',
    request: (x) => ({
      method: 'PATCH',
      url: `/api/posts/${x.replyId}`,
      body: { version: 1, body: 'A reply with the name removed.', reason: REASON },
    }),
    expect: authorOrStaffInScope,
  },
  { action: 'lock a thread', request: (x) => modThread(x, 'lock'), expect: staffInScope },
  { action: 'unlock a thread', needs: ['locked'], request: (x) => modThread(x, 'unlock'), expect: staffInScope },
  {
    action: 'pin a thread within a jurisdiction',
    request: (x, { pinCode }) => modThread(x, 'pin', { reason: REASON, jurisdiction: pinCode }),
    expect: staffInScope,
  },
  {
    action: 'pin a thread globally',
    request: (x) => modThread(x, 'pin', { reason: REASON, jurisdiction: null }),
    expect: adminOnly,
  },
  { action: 'unpin a thread', needs: ['pinned'], request: (x) => modThread(x, 'unpin'), expect: staffInScope },
  { action: 'resolve a question', kind: 'question', request: (x) => modThread(x, 'resolve'), expect: staffInScope },
  {
    action: 'unresolve a question',
    kind: 'question',
    needs: ['resolved'],
    request: (x) => modThread(x, 'unresolve'),
    expect: staffInScope,
  },
  {
    action: 'retag a thread (PATCH /api/threads/:id)',
    request: (x) => ({
      method: 'PATCH',
      url: `/api/threads/${x.threadId}`,
      body: { topics: ['illicit-tobacco'], reason: 'Retagged: it is about tobacco.' },
    }),
    expect: authorOrStaffInScope,
  },
  {
    action: 'place the author under review',
    request: (x) => ({
      method: 'PUT',
      url: `/api/moderation/users/${x.author.user.id}/review`,
      body: { reason: REASON, underReview: true },
    }),
    expect: staffInScope,
  },
  {
    action: 'change moderatorsCanSuspend',
    request: () => ({ method: 'PATCH', url: '/api/admin/settings', body: { moderatorsCanSuspend: false } }),
    expect: adminOnly,
  },
];

describe('Moderation permission matrix (role × scope × action)', () => {
  let t: TestApp;
  let admin: Actor;
  let reporter: Actor;
  const actors = {} as Record<Exclude<ActorName, 'author' | 'modIn' | 'modOut'>, Actor | null>;
  const moderators = {} as Record<'modFR' | 'modKE', Actor>;

  /** The open review item of a post or of the latest submission, read from the table. */
  const openItem = (postId: string | null): number => {
    const row = (
      postId
        ? t.handle.sqlite.prepare("select id from review_items where post_id = ? and status = 'open'").get(postId)
        : t.handle.sqlite
            .prepare("select id from review_items where kind = 'submission' and status = 'open' order by id desc")
            .get()
    ) as { id: number } | undefined;
    if (!row) throw new Error(`no open review item for ${postId ?? 'the submission'}`);
    return row.id;
  };

  /**
   * Fresh content in `scope` by a fresh author (the member's jurisdiction is the scope's first,
   * so "place under review" has the same scope), in the state the row needs.
   */
  const prepare = async (row: Row, scope: string[], actor: Actor | null): Promise<Targets> => {
    const memberCode = scope.find((c) => c !== 'INT') ?? 'FR';
    const author = await quickMember(t, memberCode, { displayName: 'Author' });
    const opened = await thread(t, author, { kind: row.kind ?? 'discussion', jurisdictions: scope });
    const threadId = opened.thread.id;
    const replied = await ok<{ post: Post }>(t, author, 'POST', `/api/threads/${threadId}/posts`, {
      body: 'A reply naming the victim, a minor.',
    });
    const x: Targets = { author, threadId, openerId: opened.posts[0]!.id, replyId: replied.post.id };
    const needs = row.needs ?? [];
    const onThread = (action: string, body: Record<string, unknown> = { reason: REASON }) =>
      ok(t, admin, 'POST', `/api/moderation/threads/${threadId}/${action}`, body);
    if (needs.includes('reported')) {
      await ok(t, reporter, 'POST', `/api/posts/${x.replyId}/reports`, { reason: 'confidential_data' });
      x.itemId = openItem(x.replyId);
    }
    if (needs.includes('claimed') && actor && ['moderator', 'admin'].includes(actor.user.role)) {
      // The actor's own claim, where the actor may claim at all.
      await send(t, actor, 'POST', `/api/moderation/queue/${x.itemId}/claim`);
    }
    if (needs.includes('submission')) {
      t.handle.sqlite.prepare('update users set under_review = 1 where id = ?').run(author.user.id);
      const res = await send(t, author, 'POST', `/api/threads/${threadId}/posts`, { body: 'A pending reply.' });
      if (res.statusCode !== 202) throw new Error(`a reply under review: ${res.statusCode} ${res.body}`);
      x.submissionItemId = openItem(null);
    }
    if (needs.includes('hidden'))
      await ok(t, admin, 'POST', `/api/moderation/posts/${x.replyId}/hide`, { reason: REASON });
    if (needs.includes('locked')) await onThread('lock');
    if (needs.includes('pinned')) await onThread('pin', { reason: REASON, jurisdiction: scope[0] });
    if (needs.includes('resolved')) await onThread('resolve');
    if (needs.includes('other')) x.otherThreadId = (await thread(t, reporter, { jurisdictions: scope })).thread.id;
    return x;
  };

  /** The jurisdiction a moderator would pin within: one of the thread's in their scope, else the first. */
  const pinCodeFor = (scope: string[], covers: string[]) => scope.find((code) => inScope([code], covers)) ?? scope[0]!;

  /** One cell: prepare, act, compare. Returns the problems found, if any. */
  const cell = async (
    row: Row,
    scope: string[],
    name: string,
    actor: Actor | null,
    expected: Outcome,
    pinCode: string,
  ) => {
    const x = await prepare(row, scope, actor);
    const who = name === 'author' ? x.author : actor;
    const { method, url, body } = row.request(x, { scope, pinCode });
    const before = moderationSnapshot(t);
    const res = await send(t, who, method, url, body);
    const got = res.statusCode < 300 ? 'ok' : (errorCode(res) ?? String(res.statusCode));
    const problems: string[] = [];
    const where = `${name} on [${scope.join(',')}]`;
    if (got !== expected) problems.push(`${where}: expected ${expected}, got ${got} (${res.statusCode} ${res.body})`);
    else if (expected !== 'ok' && res.statusCode !== STATUS[expected])
      problems.push(`${where}: status ${res.statusCode}`);
    if (expected !== 'ok' && moderationSnapshot(t) !== before) problems.push(`${where}: refused, yet rows changed`);
    return problems;
  };

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await quickAdmin(t);
    await configure(t, { premoderatedPosts: 0, confidentialReportsToHide: 0, moderatorsCanSuspend: false });
    reporter = await quickMember(t, 'DE', { displayName: 'Reporter' });
    actors.anonymous = null;
    actors.applicant = await quickActor(t, { role: 'applicant', displayName: 'Applicant' });
    actors.suspended = await quickMember(t, 'FR', { status: 'suspended', displayName: 'Suspended' });
    actors.member = await quickMember(t, 'FR', { displayName: 'Other Member' });
    actors.admin = await quickAdmin(t, { displayName: 'Acting Admin' });
    moderators.modFR = await quickModerator(t, COVERED.modFR);
    moderators.modKE = await quickModerator(t, COVERED.modKE);
  });
  afterAll(async () => t?.close());

  describe('on content tagged FR, every account', () => {
    it.each(MATRIX)('$action', async (row) => {
      const problems: string[] = [];
      for (const name of ACTORS) {
        const actor =
          name === 'modIn'
            ? moderators.modFR
            : name === 'modOut'
              ? moderators.modKE
              : name === 'author'
                ? null
                : actors[name];
        problems.push(...(await cell(row, ['FR'], name, actor, row.expect[name], 'FR')));
      }
      expect(problems, `${row.action}\n${problems.join('\n')}`).toEqual([]);
    });
  });

  // The rows whose answer depends on scope, for both moderators, on every shape of scope.
  const SCOPES = [['KE'], ['INT'], ['BR'], ['FR', 'KE'], ['KE', 'BR'], ['FR', 'INT'], ['DE', 'BR']];
  const SCOPED = MATRIX.filter(
    (row) => row.expect.modIn !== row.expect.modOut && row.action !== 'place the author under review',
  );

  describe('scope: the thread has a jurisdiction the moderator covers, or INT, or one nobody covers', () => {
    it.each(SCOPED)('$action', async (row) => {
      const problems: string[] = [];
      for (const scope of SCOPES) {
        for (const name of ['modFR', 'modKE'] as const) {
          const expected = inScope(scope, COVERED[name]) ? row.expect.modIn : row.expect.modOut;
          problems.push(
            ...(await cell(row, scope, name, moderators[name], expected, pinCodeFor(scope, COVERED[name]))),
          );
        }
      }
      expect(problems, `${row.action}\n${problems.join('\n')}`).toEqual([]);
    });

    it("places a member under review in the scope of the member's jurisdiction", async () => {
      const problems: string[] = [];
      for (const code of ['FR', 'KE', 'BR']) {
        for (const name of ['modFR', 'modKE'] as const) {
          const target = await quickMember(t, code);
          const before = moderationSnapshot(t);
          const res = await send(t, moderators[name], 'PUT', `/api/moderation/users/${target.user.id}/review`, {
            reason: REASON,
            underReview: true,
          });
          const expected = inScope([code], COVERED[name]) ? 'ok' : 'FORBIDDEN';
          const got = res.statusCode < 300 ? 'ok' : errorCode(res);
          if (got !== expected)
            problems.push(`${name} on a ${code} member: expected ${expected}, got ${res.statusCode} ${res.body}`);
          if (expected !== 'ok' && moderationSnapshot(t) !== before) problems.push(`${name} on ${code}: rows changed`);
        }
      }
      expect(problems, problems.join('\n')).toEqual([]);
    });

    it("pins within a jurisdiction only if it is one of the thread's and in the moderator's scope", async () => {
      const author = await quickMember(t, 'FR');
      const { thread: mixed } = await thread(t, author, { jurisdictions: ['FR', 'KE'] });
      const pin = (who: Actor, jurisdiction: string) =>
        send(t, who, 'POST', `/api/moderation/threads/${mixed.id}/pin`, { reason: REASON, jurisdiction });
      // In scope through KE, but FR is not theirs.
      expect((await pin(moderators.modKE, 'FR')).statusCode).toBe(403);
      // Not one of the thread's jurisdictions, even for an admin.
      const notTagged = await pin(admin, 'DE');
      expect(notTagged.statusCode, notTagged.body).toBeGreaterThanOrEqual(400);
      expect(notTagged.statusCode, notTagged.body).toBeLessThan(500);
      expect((await pin(moderators.modKE, 'KE')).statusCode).toBe(200);
    });
  });

  describe("a moderator's own post", () => {
    const OWN = MATRIX.filter((row) =>
      [
        'dismiss reports',
        'hide a post',
        'restore a post',
        'delete a post',
        'warn the author',
        'move a post',
        'open a queue item',
      ].includes(row.action),
    );

    it.each(OWN)('refuses to $action on their own post (403 FORBIDDEN)', async (row) => {
      // Content by the FR moderator, in FR: in scope, but theirs.
      const own = await quickModerator(t, ['FR'], { displayName: 'Posting Moderator' });
      const opened = await thread(t, own, { jurisdictions: ['FR'] });
      const replied = await ok<{ post: Post }>(t, own, 'POST', `/api/threads/${opened.thread.id}/posts`, {
        body: 'A reply by a moderator.',
      });
      const x: Targets = {
        author: own,
        threadId: opened.thread.id,
        openerId: opened.posts[0]!.id,
        replyId: replied.post.id,
      };
      if (row.needs?.includes('reported')) {
        await ok(t, reporter, 'POST', `/api/posts/${x.replyId}/reports`, { reason: 'off_topic' });
        x.itemId = openItem(x.replyId);
      }
      if (row.needs?.includes('hidden'))
        await ok(t, admin, 'POST', `/api/moderation/posts/${x.replyId}/hide`, { reason: REASON });
      if (row.needs?.includes('other'))
        x.otherThreadId = (await thread(t, reporter, { jurisdictions: ['FR'] })).thread.id;
      const { method, url, body } = row.request(x, { scope: ['FR'], pinCode: 'FR' });
      const before = moderationSnapshot(t);
      const res = await send(t, own, method, url, body);
      if (row.action === 'open a queue item') {
        // Reading is not acting: either answer is defensible, but never acting rights on it.
        if (res.statusCode === 200) expect(res.json().can.act).toBe(false);
        else expect(res.statusCode).toBe(403);
        return;
      }
      expect(res.statusCode, res.body).toBe(403);
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect(moderationSnapshot(t)).toBe(before);
    });

    it('refuses to report their own post', async () => {
      const own = await quickModerator(t, ['FR']);
      const opened = await thread(t, own, { jurisdictions: ['FR'] });
      const res = await send(t, own, 'POST', `/api/posts/${opened.posts[0]!.id}/reports`, { reason: 'spam' });
      expect(res.statusCode, res.body).toBe(403);
    });
  });

  describe('moderatorsCanSuspend', () => {
    it('lets moderators in scope suspend a member author when on, never staff authors, never out of scope', async () => {
      await configure(t, { moderatorsCanSuspend: true });
      try {
        const suspend = async (who: Actor, jurisdictions: string[], author: Actor) => {
          const opened = await thread(t, author, { jurisdictions });
          const replied = await ok<{ post: Post }>(t, author, 'POST', `/api/threads/${opened.thread.id}/posts`, {
            body: 'A reply.',
          });
          return send(t, who, 'POST', `/api/moderation/posts/${replied.post.id}/suspend-author`, { reason: REASON });
        };
        const out = await suspend(moderators.modKE, ['FR'], await quickMember(t, 'FR'));
        expect(out.statusCode, out.body).toBe(403);
        const staffAuthor = await quickModerator(t, ['DE']);
        const staff = await suspend(moderators.modFR, ['FR'], staffAuthor);
        expect(staff.statusCode, staff.body).toBe(403);
        const adminAuthor = await quickAdmin(t);
        expect((await suspend(admin, ['FR'], adminAuthor)).statusCode).toBe(403);

        const victim = await quickMember(t, 'FR');
        const res = await suspend(moderators.modFR, ['FR'], victim);
        expect(res.statusCode, res.body).toBe(200);
        const row = t.handle.sqlite.prepare('select status from users where id = ?').get(victim.user.id) as {
          status: string;
        };
        expect(row.status).toBe('suspended');
        // The suspended author is refused at once.
        const after = await send(t, victim, 'GET', '/api/threads');
        expect(['SUSPENDED', 'UNAUTHENTICATED']).toContain(errorCode(after));
      } finally {
        await configure(t, { moderatorsCanSuspend: false });
      }
    });
  });
});

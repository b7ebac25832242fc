/**
 * The permission matrix of the threads feature: every route × every kind of account, asserted
 * through the real app. Only vetted, active accounts use the forum; a post or a thread is changed
 * by its author, or by a moderator in scope with a reason (the moderator here covers KE, and the
 * threads are tagged FR, which no moderator covers: FR content is every moderator's). The
 * moderation routes have their own matrix (moderation-permissions). Each cell gets fresh targets,
 * and a refused cell must leave every forum table exactly as it was.
 */
import type { UserRow } from '@lexforum/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../server/src/modules/auth/session.js';
import { buildTestApp, errorCode, type TestApp } from '../helpers/app.js';
import { replyTo, startThread, threadBody } from '../helpers/threads.js';
import { applicant, moderator, type Actor } from '../helpers/vetting.js';

const ACTORS = [
  'anonymous',
  'applicantNone',
  'applicantDraft',
  'applicantSubmitted',
  'applicantInfoRequested',
  'applicantWithdrawn',
  'rejected',
  'suspended',
  'suspendedAdmin',
  'member',
  'moderator',
  'admin',
  'author',
] as const;
type ActorName = (typeof ACTORS)[number];
type Outcome = 'ok' | 'UNAUTHENTICATED' | 'NOT_VETTED' | 'REJECTED' | 'SUSPENDED' | 'FORBIDDEN';
const STATUS: Record<Exclude<Outcome, 'ok'>, number> = {
  UNAUTHENTICATED: 401,
  NOT_VETTED: 403,
  REJECTED: 403,
  SUSPENDED: 403,
  FORBIDDEN: 403,
};

/** What each cell acts on: the author's thread, its opening post and a reply, all fresh. */
interface Targets {
  threadId: string;
  openerId: string;
  replyId: string;
}

interface Row {
  action: string;
  request: (t: Targets) => { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; body?: unknown };
  expect: Record<ActorName, Outcome>;
}

const gate = {
  anonymous: 'UNAUTHENTICATED',
  applicantNone: 'NOT_VETTED',
  applicantDraft: 'NOT_VETTED',
  applicantSubmitted: 'NOT_VETTED',
  applicantInfoRequested: 'NOT_VETTED',
  applicantWithdrawn: 'NOT_VETTED',
  rejected: 'REJECTED',
  suspended: 'SUSPENDED',
  suspendedAdmin: 'SUSPENDED',
} as const;
const members = { ...gate, member: 'ok', moderator: 'ok', admin: 'ok', author: 'ok' } as const;
const authorOrModerator = { ...gate, member: 'FORBIDDEN', moderator: 'ok', admin: 'ok', author: 'ok' } as const;
/** Moderators give a reason for changing someone else's content (the author may too). */
const reason = 'Tidied up by the moderators.';

const MATRIX: Row[] = [
  { action: 'list threads', request: () => ({ method: 'GET', url: '/api/threads' }), expect: members },
  {
    action: 'list followed threads',
    request: () => ({ method: 'GET', url: '/api/threads?following=true&unread=true' }),
    expect: members,
  },
  {
    action: 'start a thread',
    request: () => ({ method: 'POST', url: '/api/threads', body: threadBody('discussion') }),
    expect: members,
  },
  {
    action: 'start a legal analysis',
    request: () => ({ method: 'POST', url: '/api/threads', body: threadBody('legal_analysis') }),
    expect: members,
  },
  { action: 'tag counts', request: () => ({ method: 'GET', url: '/api/threads/tag-counts' }), expect: members },
  {
    action: 'search',
    request: () => ({ method: 'GET', url: '/api/search?q=falsified%20medicines&jurisdiction=FR' }),
    expect: members,
  },
  {
    action: 'search with operators only',
    request: () => ({ method: 'GET', url: '/api/search?q=kind%3Adiscussion%20jurisdiction%3AFR' }),
    expect: members,
  },
  {
    action: 'similar threads while composing',
    request: () => ({ method: 'GET', url: '/api/search/similar?title=Falsified%20medicines%20sold%20online' }),
    expect: members,
  },
  {
    action: 'search suggestions',
    request: () => ({ method: 'GET', url: '/api/search/suggest?q=falsif' }),
    expect: members,
  },
  { action: 'read a thread', request: (t) => ({ method: 'GET', url: `/api/threads/${t.threadId}` }), expect: members },
  {
    action: "change a thread's title",
    request: (t) => ({
      method: 'PATCH',
      url: `/api/threads/${t.threadId}`,
      body: { title: 'A title changed by someone', reason },
    }),
    expect: authorOrModerator,
  },
  {
    action: "change a thread's tags",
    request: (t) => ({ method: 'PATCH', url: `/api/threads/${t.threadId}`, body: { jurisdictions: ['INT'], reason } }),
    expect: authorOrModerator,
  },
  {
    action: 'reply to a thread',
    request: (t) => ({ method: 'POST', url: `/api/threads/${t.threadId}/posts`, body: { body: 'A reply.' } }),
    expect: members,
  },
  {
    action: 'reply to a reply',
    request: (t) => ({
      method: 'POST',
      url: `/api/threads/${t.threadId}/posts`,
      body: { parentId: t.replyId, body: 'A nested reply.' },
    }),
    expect: members,
  },
  {
    action: 'mark a thread read',
    request: (t) => ({ method: 'PUT', url: `/api/threads/${t.threadId}/read`, body: { lastReadNumber: 2 } }),
    expect: members,
  },
  { action: 'read a post', request: (t) => ({ method: 'GET', url: `/api/posts/${t.replyId}` }), expect: members },
  {
    // The same text is in the revision history every member reads.
    action: "read a post's source",
    request: (t) => ({ method: 'GET', url: `/api/posts/${t.replyId}/source` }),
    expect: members,
  },
  {
    action: "read a post's history",
    request: (t) => ({ method: 'GET', url: `/api/posts/${t.replyId}/revisions` }),
    expect: members,
  },
  {
    action: 'edit a reply',
    request: (t) => ({
      method: 'PATCH',
      url: `/api/posts/${t.replyId}`,
      body: { version: 1, body: 'Rewritten.', reason },
    }),
    expect: authorOrModerator,
  },
  {
    action: 'edit an opening post',
    request: (t) => ({
      method: 'PATCH',
      url: `/api/posts/${t.openerId}`,
      body: { version: 1, body: 'An opening post rewritten by someone.', reason },
    }),
    expect: authorOrModerator,
  },
  { action: 'list follows', request: () => ({ method: 'GET', url: '/api/follows' }), expect: members },
  {
    action: 'follow a thread',
    request: (t) => ({ method: 'PUT', url: `/api/follows/thread/${t.threadId}` }),
    expect: members,
  },
  {
    action: 'follow a jurisdiction',
    request: () => ({ method: 'PUT', url: '/api/follows/jurisdiction/FR' }),
    expect: members,
  },
  {
    action: 'unfollow a topic',
    request: () => ({ method: 'DELETE', url: '/api/follows/topic/firearms' }),
    expect: members,
  },
  {
    action: 'unfollow a thread',
    request: (t) => ({ method: 'DELETE', url: `/api/follows/thread/${t.threadId}` }),
    expect: members,
  },
  { action: 'list drafts', request: () => ({ method: 'GET', url: '/api/drafts' }), expect: members },
  { action: 'read the thread draft', request: () => ({ method: 'GET', url: '/api/drafts/thread' }), expect: members },
  {
    action: 'save a thread draft',
    request: () => ({ method: 'PUT', url: '/api/drafts/thread', body: { title: 'Draft title' } }),
    expect: members,
  },
  {
    action: 'discard the thread draft',
    request: () => ({ method: 'DELETE', url: '/api/drafts/thread' }),
    expect: members,
  },
  {
    action: 'read a reply draft',
    request: (t) => ({ method: 'GET', url: `/api/drafts/reply/${t.threadId}` }),
    expect: members,
  },
  {
    action: 'save a reply draft',
    request: (t) => ({ method: 'PUT', url: `/api/drafts/reply/${t.threadId}`, body: { body: 'Draft reply.' } }),
    expect: members,
  },
  {
    action: 'discard a reply draft',
    request: (t) => ({ method: 'DELETE', url: `/api/drafts/reply/${t.threadId}` }),
    expect: members,
  },
];

const FORUM_TABLES = [
  'threads',
  'thread_jurisdictions',
  'thread_topics',
  'thread_instruments',
  'posts',
  'post_revisions',
  'follows',
  'thread_reads',
  'drafts',
];

describe('Threads permission matrix (account × action)', () => {
  let t: TestApp;
  let author: Actor;
  const cookies = {} as Record<ActorName, string | undefined>;
  let seq = 0;

  /** A user with a session made directly (no password hashing: the matrix makes hundreds). */
  const userWithSession = async (overrides: Partial<UserRow>): Promise<Actor> => {
    const user = await t.createUser({ email: `p${seq++}@threads-matrix${seq}.example`, ...overrides });
    const { token } = createSession(t.handle.db, user.id, { userAgent: null, ip: null }, t.clock.now());
    return { user, cookie: `lexforum_session=${token}` };
  };
  const verified = {
    profession: 'prosecutor',
    position: 'Prosecutor',
    institution: 'Parquet',
    jurisdictionCode: 'FR',
  } as const;

  /** Every forum row, to prove that a refusal changed nothing. */
  const snapshot = () =>
    FORUM_TABLES.map((table) => JSON.stringify(t.handle.sqlite.prepare(`select * from ${table}`).all())).join('\n');

  const freshTargets = async (): Promise<Targets> => {
    const { thread, posts } = await startThread(t, author);
    const reply = await replyTo(t, author, thread.id, undefined, 'The author replies.');
    // The author has drafts, so a refusal or someone else's call could only reach them by mistake.
    await t.request({ method: 'PUT', url: '/api/drafts/thread', cookie: author.cookie, body: { title: 'Mine' } });
    await t.request({
      method: 'PUT',
      url: `/api/drafts/reply/${thread.id}`,
      cookie: author.cookie,
      body: { body: 'My draft reply.' },
    });
    return { threadId: thread.id, openerId: posts[0]!.id, replyId: reply.id };
  };

  beforeAll(async () => {
    t = await buildTestApp();
    const reviewer = await moderator(t, ['KE']);
    cookies.anonymous = undefined;
    cookies.applicantNone = (await applicant(t, 'none')).cookie;
    cookies.applicantDraft = (await applicant(t, 'draft')).cookie;
    cookies.applicantSubmitted = (await applicant(t, 'submitted')).cookie;
    cookies.applicantInfoRequested = (await applicant(t, 'info_requested', { reviewer })).cookie;
    cookies.applicantWithdrawn = (await applicant(t, 'withdrawn')).cookie;
    cookies.rejected = (await applicant(t, 'rejected', { reviewer })).cookie;
    cookies.suspended = (
      await userWithSession({ role: 'member', status: 'suspended', verifiedAt: t.clock.now(), ...verified })
    ).cookie;
    cookies.suspendedAdmin = (await userWithSession({ role: 'admin', status: 'suspended' })).cookie;
    cookies.member = (await userWithSession({ role: 'member', verifiedAt: t.clock.now(), ...verified })).cookie;
    cookies.moderator = reviewer.cookie;
    cookies.admin = (await userWithSession({ role: 'admin' })).cookie;
    author = await userWithSession({ role: 'member', verifiedAt: t.clock.now(), ...verified });
    cookies.author = author.cookie;
  });
  afterAll(async () => t.close());

  it.each(MATRIX)('$action', async (row) => {
    const cells: string[] = [];
    for (const actor of ACTORS) {
      const targets = await freshTargets();
      const { method, url, body } = row.request(targets);
      const cookie = cookies[actor];
      const before = snapshot();
      const res = await t.request({ method, url, body, ...(cookie ? { cookie } : {}) });
      const expected = row.expect[actor];
      const got = res.statusCode < 300 ? 'ok' : (errorCode(res) ?? String(res.statusCode));
      if (expected !== 'ok' && res.statusCode !== STATUS[expected]) cells.push(`${actor}: status ${res.statusCode}`);
      if (got !== expected) cells.push(`${actor}: expected ${expected}, got ${got} (${res.statusCode} ${res.body})`);
      if (expected !== 'ok' && snapshot() !== before) cells.push(`${actor}: refused, yet forum rows changed`);
    }
    expect(cells, `${row.action}\n${cells.join('\n')}`).toEqual([]);
  });
});

describe('Threads API: what stays private to its author', () => {
  let t: TestApp;
  let owner: Actor;
  let other: Actor;
  let seq = 0;
  const session = async (overrides: Partial<UserRow>): Promise<Actor> => {
    const user = await t.createUser({ email: `d${seq++}@threads-private${seq}.example`, ...overrides });
    const { token } = createSession(t.handle.db, user.id, { userAgent: null, ip: null }, t.clock.now());
    return { user, cookie: `lexforum_session=${token}` };
  };

  beforeAll(async () => {
    t = await buildTestApp();
    owner = await session({ role: 'member', verifiedAt: t.clock.now(), profession: 'judge', jurisdictionCode: 'FR' });
    other = await session({ role: 'admin' });
  });
  afterAll(async () => t.close());

  it("never shows nor discards another member's drafts, even to an admin", async () => {
    const { thread } = await startThread(t, owner);
    const call = (method: 'GET' | 'PUT' | 'DELETE', url: string, who: Actor, body?: unknown) =>
      t.request({ method, url, cookie: who.cookie, body });
    await call('PUT', '/api/drafts/thread', owner, { title: 'A confidential draft' });
    await call('PUT', `/api/drafts/reply/${thread.id}`, owner, { body: 'A confidential reply draft.' });

    expect((await call('GET', '/api/drafts', other)).json()).toEqual({ drafts: [] });
    expect((await call('GET', '/api/drafts/thread', other)).json()).toEqual({ draft: null });
    expect((await call('GET', `/api/drafts/reply/${thread.id}`, other)).json()).toEqual({ draft: null });
    // Discarding "the" draft discards one's own, never the owner's.
    expect((await call('DELETE', '/api/drafts/thread', other)).statusCode).toBe(204);
    expect((await call('DELETE', `/api/drafts/reply/${thread.id}`, other)).statusCode).toBe(204);
    // Saving one's own does not overwrite the owner's.
    await call('PUT', `/api/drafts/reply/${thread.id}`, other, { body: 'Mine.' });

    expect((await call('GET', '/api/drafts', owner)).json().drafts).toHaveLength(2);
    expect((await call('GET', '/api/drafts/thread', owner)).json().draft.data).toEqual({
      title: 'A confidential draft',
    });
    expect((await call('GET', `/api/drafts/reply/${thread.id}`, owner)).json().draft.data).toEqual({
      body: 'A confidential reply draft.',
    });
  });

  it("shows canEdit only on one's own thread and posts", async () => {
    const { thread } = await startThread(t, owner);
    await replyTo(t, other, thread.id);
    const view = (await t.request({ method: 'GET', url: `/api/threads/${thread.id}`, cookie: other.cookie })).json();
    expect(view.thread.canEdit).toBe(false);
    expect(view.posts.map((p: { canEdit: boolean }) => p.canEdit)).toEqual([false, true]);
    const own = (await t.request({ method: 'GET', url: `/api/threads/${thread.id}`, cookie: owner.cookie })).json();
    expect(own.thread.canEdit).toBe(true);
    expect(own.posts.map((p: { canEdit: boolean }) => p.canEdit)).toEqual([true, false]);
  });
});

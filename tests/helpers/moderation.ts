/**
 * Factories and readers for moderation tests. Accounts get their sessions made directly (no
 * password hashing: the permission matrix makes hundreds); content is made through the real API.
 * Settings are changed through the admin API, as an admin would, so a test states the settings it
 * relies on instead of trusting a default. Audit entries are read from the table itself, so "one
 * entry per action" is counted exactly, whatever the audit API shows to whom.
 */
import { moderatorJurisdictions, type UserRow } from '@lexforum/db';
import type {
  AuditAction,
  Notification,
  PendingSubmission,
  Post,
  ReportReason,
  ReviewItem,
  ReviewQueue,
  SettingsPatch,
  ThreadWithPosts,
} from '@lexforum/shared';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { createSession } from '../../server/src/modules/auth/session.js';
import { TEST_PASSWORD, type RequestOptions, type TestApp } from './app.js';
import { threadBody } from './threads.js';
import type { Actor } from './vetting.js';

type Method = RequestOptions['method'];

let seq = 0;

/** An account with a session made directly. */
export async function quickActor(t: TestApp, overrides: Partial<UserRow> = {}): Promise<Actor> {
  seq++;
  const user = await t.createUser({ email: `m${seq}@moderation${seq}.example`, ...overrides });
  const { token } = createSession(t.handle.db, user.id, { userAgent: null, ip: null }, t.clock.now());
  return { user, cookie: `lexforum_session=${token}` };
}

const verified = (t: TestApp, jurisdictionCode: string) =>
  ({
    verifiedAt: t.clock.now(),
    profession: 'prosecutor',
    position: 'Prosecutor',
    institution: 'Public Prosecution Service',
    jurisdictionCode,
  }) as const;

export const quickMember = (t: TestApp, jurisdictionCode = 'FR', overrides: Partial<UserRow> = {}) =>
  quickActor(t, { role: 'member', displayName: 'Member', ...verified(t, jurisdictionCode), ...overrides });

/** A moderator covering `jurisdictions` (none: a moderator without jurisdictions). */
export async function quickModerator(t: TestApp, jurisdictions: string[], overrides: Partial<UserRow> = {}) {
  const actor = await quickActor(t, {
    role: 'moderator',
    displayName: `Moderator ${jurisdictions.join('+')}`,
    ...verified(t, jurisdictions[0] ?? 'FR'),
    ...overrides,
  });
  if (jurisdictions.length > 0) {
    t.handle.db
      .insert(moderatorJurisdictions)
      .values(jurisdictions.map((jurisdictionCode) => ({ userId: actor.user.id, jurisdictionCode })))
      .run();
  }
  return actor;
}

export const quickAdmin = (t: TestApp, overrides: Partial<UserRow> = {}) =>
  quickActor(t, { role: 'admin', displayName: 'Admin', ...overrides });

// ---- Requests -----------------------------------------------------------------------------------

/** A request as `who` (null: anonymous). */
export function send(t: TestApp, who: Actor | null, method: Method, url: string, body?: unknown) {
  return t.request({ method, url, ...(who ? { cookie: who.cookie } : {}), ...(body !== undefined ? { body } : {}) });
}

/** A request that must succeed (2xx); its JSON. Fails with the answer otherwise. */
export async function ok<T = Record<string, unknown>>(
  t: TestApp,
  who: Actor,
  method: Method,
  url: string,
  body?: unknown,
): Promise<T> {
  const res = await send(t, who, method, url, body);
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return (res.body ? res.json() : {}) as T;
}

/** Asserts an error answer: status, code, and the `{ error: { code, message } }` shape. */
export function expectError(res: LightMyRequestResponse, status: number, code?: string): void {
  const body = res.json() as { error?: { code?: unknown; message?: unknown } };
  expect(res.statusCode, res.body).toBe(status);
  expect(typeof body.error?.code, res.body).toBe('string');
  expect(typeof body.error?.message, res.body).toBe('string');
  if (code) expect(body.error?.code, res.body).toBe(code);
}

const admins = new WeakMap<TestApp, Actor>();

/** Changes settings through the admin API. */
export async function configure(t: TestApp, patch: SettingsPatch): Promise<void> {
  let admin = admins.get(t);
  if (!admin) {
    admin = await quickAdmin(t, { displayName: 'Settings Admin' });
    admins.set(t, admin);
  }
  // Settings changes need a recent confirmation; a test that moved its clock on confirms again.
  await ok(t, admin, 'POST', '/api/auth/reauth', { password: TEST_PASSWORD });
  await ok(t, admin, 'PATCH', '/api/admin/settings', patch);
}

// ---- Content ------------------------------------------------------------------------------------

/** A thread by `who` that must be created at once (201). */
export async function thread(
  t: TestApp,
  who: Actor,
  overrides: Parameters<typeof threadBody>[1] & { kind?: Parameters<typeof threadBody>[0] } = {},
): Promise<ThreadWithPosts> {
  const res = await send(t, who, 'POST', '/api/threads', threadBody(overrides.kind ?? 'discussion', overrides));
  if (res.statusCode !== 201) throw new Error(`POST /api/threads: ${res.statusCode} ${res.body}`);
  return res.json() as ThreadWithPosts;
}

/** A reply by `who` that must be created at once (201). */
export async function reply(t: TestApp, who: Actor, threadId: string, body = `A reply, ${++seq}.`, parentId?: string) {
  const res = await send(t, who, 'POST', `/api/threads/${threadId}/posts`, { body, ...(parentId ? { parentId } : {}) });
  if (res.statusCode !== 201) throw new Error(`POST /api/threads/${threadId}/posts: ${res.statusCode} ${res.body}`);
  return (res.json() as { post: Post }).post;
}

/** A reply that must wait for review (202); the pending submission. */
export async function pendingReply(t: TestApp, who: Actor, threadId: string, body = `A pending reply, ${++seq}.`) {
  const res = await send(t, who, 'POST', `/api/threads/${threadId}/posts`, { body });
  if (res.statusCode !== 202) throw new Error(`expected 202 for a pending reply: ${res.statusCode} ${res.body}`);
  return (res.json() as { pending: PendingSubmission }).pending;
}

export async function report(
  t: TestApp,
  who: Actor,
  postId: string,
  reason: ReportReason = 'off_topic',
  note?: string,
) {
  const res = await send(t, who, 'POST', `/api/posts/${postId}/reports`, { reason, ...(note ? { note } : {}) });
  if (res.statusCode !== 201) throw new Error(`POST /api/posts/${postId}/reports: ${res.statusCode} ${res.body}`);
  return res.json() as { report: { id: number; status: string } };
}

export type PostAction = 'dismiss' | 'hide' | 'restore' | 'delete' | 'warn' | 'suspend-author' | 'move';

/** A moderator's action on a post; the raw answer. */
export function moderatePost(
  t: TestApp,
  who: Actor,
  postId: string,
  action: PostAction,
  body: Record<string, unknown> = { reason: `Moderated: ${action}.` },
) {
  return send(t, who, 'POST', `/api/moderation/posts/${postId}/${action}`, body);
}

/** Every queue page, for `who`. */
export async function queue(t: TestApp, who: Actor, query = ''): Promise<ReviewQueue> {
  const first = await ok<ReviewQueue>(t, who, 'GET', `/api/moderation/queue${query ? `?${query}` : ''}`);
  const items = [...first.items];
  let cursor = first.nextCursor;
  while (cursor !== null) {
    const sep = query ? `?${query}&` : '?';
    const page = await ok<ReviewQueue>(t, who, 'GET', `/api/moderation/queue${sep}cursor=${cursor}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  }
  return { ...first, items, nextCursor: null };
}

/** The queue item of a post (open, unless `status` says closed), as `who` lists it; undefined if not listed. */
export async function itemOfPost(t: TestApp, who: Actor, postId: string, status: 'open' | 'closed' = 'open') {
  const { items } = await queue(t, who, `status=${status}`);
  return items.find((i: ReviewItem) => i.post?.id === postId);
}

/** The queue item of a pending submission, as `who` lists it. */
export async function itemOfSubmission(
  t: TestApp,
  who: Actor,
  submissionId: number,
  status: 'open' | 'closed' = 'open',
) {
  const { items } = await queue(t, who, `status=${status}&kind=submission`);
  return items.find((i: ReviewItem) => i.submission?.id === submissionId);
}

// ---- Readers ------------------------------------------------------------------------------------

export interface AuditRow {
  id: number;
  actorId: string | null;
  action: AuditAction;
  targetType: string;
  targetId: string | null;
  targetUserId: string | null;
  jurisdictionCode: string | null;
  reason: string | null;
  before: unknown;
  after: unknown;
}

/** Audit rows (all, or of these actions), oldest first, JSON columns parsed. */
export function auditRows(t: TestApp, where: { action?: AuditAction; targetId?: string; after?: number } = {}) {
  const rows = t.handle.sqlite
    .prepare(
      `select id, actor_id as actorId, action, target_type as targetType, target_id as targetId,
              target_user_id as targetUserId, jurisdiction_code as jurisdictionCode, reason, before, after
       from audit_log where id > ? order by id`,
    )
    .all(where.after ?? 0) as (Omit<AuditRow, 'before' | 'after'> & { before: string | null; after: string | null })[];
  return rows
    .map((r) => ({
      ...r,
      before: r.before === null ? null : (JSON.parse(r.before) as unknown),
      after: r.after === null ? null : (JSON.parse(r.after) as unknown),
    }))
    .filter((r) => (where.action ? r.action === where.action : true))
    .filter((r) => (where.targetId ? r.targetId === where.targetId : true)) as AuditRow[];
}

/** The id of the latest audit row (0 when empty): pass as `after` to see only what follows. */
export function lastAuditId(t: TestApp): number {
  return (t.handle.sqlite.prepare('select coalesce(max(id), 0) as id from audit_log').get() as { id: number }).id;
}

/** Audit rows of moderation (not settings or sign-ups) written after `after`. */
export function moderationAuditSince(t: TestApp, after: number): AuditRow[] {
  return auditRows(t, { after }).filter((r) => r.action !== 'settings.change');
}

/** The notifications of `who`, newest first, through the API. */
export async function notificationsOf(t: TestApp, who: Actor): Promise<Notification[]> {
  const all: Notification[] = [];
  let before: number | null = null;
  for (;;) {
    const page: { notifications: Notification[]; nextCursor?: number | null } = await ok(
      t,
      who,
      'GET',
      `/api/notifications${before !== null ? `?before=${before}` : ''}`,
    );
    all.push(...page.notifications);
    if (!page.nextCursor || page.notifications.length === 0) return all;
    before = page.nextCursor;
  }
}

/** Runs `action`, then returns the notifications `who` received meanwhile, oldest first. */
export async function notifiedDuring(t: TestApp, who: Actor, action: () => Promise<unknown>): Promise<Notification[]> {
  const before = new Set((await notificationsOf(t, who)).map((n) => n.id));
  await action();
  return (await notificationsOf(t, who)).filter((n) => !before.has(n.id)).reverse();
}

/** Stored notifications of a user, by kind, straight from the table (what a push or the bell would show). */
export function storedNotifications(t: TestApp, userId: string) {
  return t.handle.sqlite
    .prepare(
      'select kind, subject, params, body, link, thread_id as threadId from notifications where user_id = ? order by id',
    )
    .all(userId) as {
    kind: string;
    subject: string | null;
    /** JSON text, as stored. */
    params: string | null;
    body: string | null;
    link: string | null;
    threadId: string | null;
  }[];
}

/** Everything a refused request must leave as it was. */
const MODERATION_STATE = [
  'select * from posts order by id',
  'select * from post_revisions order by post_id, version',
  'select * from threads order by id',
  'select * from thread_jurisdictions order by thread_id, code',
  'select * from reports order by id',
  'select * from review_items order by id',
  'select * from audit_log order by id',
  'select * from notifications order by id',
  'select id, role, status, under_review from users order by id',
  'select * from settings',
];

export function moderationSnapshot(t: TestApp): string {
  return MODERATION_STATE.map((q) => JSON.stringify(t.handle.sqlite.prepare(q).all())).join('\n');
}

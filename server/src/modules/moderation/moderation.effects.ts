/**
 * What every moderation action does besides its own change, in the action's transaction: one
 * audit entry (with the reason and, for content changes, before and after), a notification to the
 * author, and the closing of the post's open review item with its reports (the reporters are told).
 * Also the small reads the thread pages need (the viewer's open reports, their held submissions).
 */
import {
  reports,
  reviewItems,
  sqliteOf,
  users,
  type DbOrTx,
  type PostRow,
  type ReviewItemRow,
  type ThreadRow,
  type UserRow,
} from '@lexforum/db';
import type {
  AuditAction,
  AuditTargetType,
  HeldChange,
  ModerationNoticeAction,
  NotificationParams,
  PendingSubmission,
  ReviewResolution,
  SubmissionKind,
} from '@lexforum/shared';
import { and, eq, sql } from 'drizzle-orm';
import { AppError } from '../../lib/errors.js';
import { prepared } from '../../lib/prepared.js';
import { recordAudit } from '../audit/audit.repository.js';
import { deliverNotifications, type NotificationDraft } from '../notifications/notifier.js';
import type { Outbox } from '../realtime/outbox.js';
import { heldChangeOf } from './held-change.js';

/** A moderation notice to an author: the action, and for submissions which kind was held. */
export type ModerationNotice = NotificationParams & { action: ModerationNoticeAction };

export interface ModerationRecord {
  /** Null when the system acted (reports hid a post automatically). */
  actor: Pick<UserRow, 'id'> | null;
  action: AuditAction;
  /** The post acted on (its author is notified), or null for a thread-wide action on the opener's author. */
  post: Pick<PostRow, 'id' | 'number' | 'authorId'>;
  thread: Pick<ThreadRow, 'id' | 'title' | 'jurisdictions'>;
  reason: string | null;
  before?: unknown;
  after?: unknown;
  /**
   * What the author is told was done (the notification's params; its subject is the thread's
   * title); null: the author is not told (their own action).
   */
  notice: ModerationNotice | null;
  /** Audit target: the post (default), the thread, the author (`user`) or a review item. */
  target?: AuditTargetType;
  /** The target's id when it is a review item. */
  targetId?: string;
  now: Date;
}

/** The jurisdiction an entry is filed under (moderators read the audit entries of theirs). */
export function auditJurisdiction(jurisdictions: readonly string[]): string | null {
  return jurisdictions[0] ?? null;
}

export function recordModeration(tx: DbOrTx, outbox: Outbox, record: ModerationRecord): void {
  const target = record.target ?? 'post';
  recordAudit(
    tx,
    {
      actorId: record.actor?.id ?? null,
      action: record.action,
      targetType: target,
      targetId:
        target === 'thread'
          ? record.thread.id
          : target === 'user'
            ? record.post.authorId
            : (record.targetId ?? record.post.id),
      targetUserId: record.post.authorId,
      jurisdictionCode: auditJurisdiction(record.thread.jurisdictions),
      reason: record.reason,
      before: record.before ?? null,
      after: record.after ?? null,
    },
    record.now,
  );
  if (record.notice && record.post.authorId !== record.actor?.id) {
    notifyAuthor(
      tx,
      outbox,
      {
        userId: record.post.authorId,
        candidates: [
          { kind: record.action === 'user.warn' ? 'moderation_warning' : 'content_moderated', params: record.notice },
        ],
        subject: record.thread.title,
        // A moderator's reason, verbatim; when the system acted its reason is its own English
        // sentence for the audit, and the notice's params say it all (auto_hide).
        body: record.actor ? record.reason : null,
        link: `/threads/${record.thread.id}#post-${record.post.number}`,
        actorId: record.actor?.id ?? null,
        threadId: record.thread.id,
        postId: record.post.id,
      },
      record.now,
    );
  }
}

export function notifyAuthor(tx: DbOrTx, outbox: Outbox, draft: NotificationDraft, now: Date): void {
  deliverNotifications(tx, outbox, [draft], now);
}

/**
 * Closes the post's open review item (if any) and its open reports: upheld unless the moderator
 * dismissed them. Each reporter is told their report was resolved.
 */
export function closeOpenItem(
  tx: DbOrTx,
  outbox: Outbox,
  options: {
    postId: string;
    resolution: ReviewResolution;
    actor: Pick<UserRow, 'id'>;
    reason: string | null;
    now: Date;
  },
): ReviewItemRow | undefined {
  const item = tx
    .select()
    .from(reviewItems)
    .where(and(eq(reviewItems.postId, options.postId), eq(reviewItems.kind, 'post'), eq(reviewItems.status, 'open')))
    .get();
  if (!item) return undefined;
  tx.update(reviewItems)
    .set({
      status: 'closed',
      resolution: options.resolution,
      resolutionReason: options.reason,
      resolvedById: options.actor.id,
      resolvedAt: options.now,
      claimedById: null,
      claimedAt: null,
    })
    .where(eq(reviewItems.id, item.id))
    .run();
  // Restoring says the reports were unfounded, as dismissing does.
  const status = options.resolution === 'dismissed' || options.resolution === 'restored' ? 'dismissed' : 'upheld';
  const closed = tx
    .update(reports)
    .set({ status, resolvedAt: options.now })
    .where(and(eq(reports.itemId, item.id), eq(reports.status, 'open')))
    .returning({ reporterId: reports.reporterId })
    .all();
  deliverNotifications(
    tx,
    outbox,
    closed.map(({ reporterId }) => ({
      userId: reporterId,
      candidates: [{ kind: 'report_resolved' as const, params: { outcome: status } }],
      body: null,
      link: item.threadId ? `/threads/${item.threadId}` : null,
      actorId: options.actor.id,
      threadId: item.threadId,
      postId: null,
    })),
    options.now,
  );
  return item;
}

/** Who holds an item's claim now (a claim lapses after `claimMinutes`), or null. */
export function activeClaimer(
  item: Pick<ReviewItemRow, 'claimedById' | 'claimedAt'>,
  claimMinutes: number,
  now: Date,
): string | null {
  if (!item.claimedById || !item.claimedAt) return null;
  return item.claimedAt.getTime() + claimMinutes * 60_000 > now.getTime() ? item.claimedById : null;
}

/**
 * An open item another moderator holds (within `claimMinutes`) is theirs to decide; admins may
 * step in. Used where a moderator acts on a post outside the queue's own routes (edits).
 */
export function ensureNotClaimedByOther(
  tx: DbOrTx,
  guardian: { user: Pick<UserRow, 'id'>; isAdmin: boolean },
  postId: string,
  claimMinutes: number,
  now: Date,
): void {
  const item = tx
    .select({ claimedById: reviewItems.claimedById, claimedAt: reviewItems.claimedAt, name: users.displayName })
    .from(reviewItems)
    .leftJoin(users, eq(users.id, reviewItems.claimedById))
    .where(and(eq(reviewItems.postId, postId), eq(reviewItems.kind, 'post'), eq(reviewItems.status, 'open')))
    .get();
  const holder = item ? activeClaimer(item, claimMinutes, now) : null;
  if (!holder || guardian.isAdmin || holder === guardian.user.id) return;
  throw new AppError(
    409,
    'CLAIMED_BY_OTHER',
    `${item?.name ?? 'Another moderator'} is reviewing this post. Wait for them, or ask them to release it.`,
  );
}

export interface SubmissionData {
  /** A new thread or reply; or a held edit of a post or of a thread's title and tags (held-edits.ts). */
  type: SubmissionKind;
  body: Record<string, unknown> & { title?: string; parentId?: string | null };
  /** Edits: the post's version the author edited. */
  baseVersion?: number;
}

/** Holds a thread or reply for review: nothing is created, notified or pushed until approval. */
export function insertSubmission(
  tx: DbOrTx,
  values: {
    authorId: string;
    threadId: string | null;
    submission: { type: 'thread' | 'reply'; body: object };
    cooked: string;
    jurisdictions: string[];
    now: Date;
  },
): ReviewItemRow {
  return tx
    .insert(reviewItems)
    .values({
      kind: 'submission',
      authorId: values.authorId,
      threadId: values.threadId,
      submission: values.submission as Record<string, unknown>,
      cooked: values.cooked,
      jurisdictions: values.jurisdictions,
      createdAt: values.now,
    })
    .returning()
    .get();
}

/** `change`: a held edit's current and proposed text (heldChangeOf), null for threads and replies. */
export function submissionView(
  item: ReviewItemRow,
  title: string,
  change: HeldChange | null = null,
): PendingSubmission {
  const data = item.submission as unknown as SubmissionData;
  return {
    id: item.id,
    kind: data.type,
    status: item.status === 'open' ? 'pending' : item.resolution === 'approved' ? 'approved' : 'rejected',
    threadId: item.threadId,
    title,
    parentId: data.type === 'reply' ? ((data.body.parentId as string | null | undefined) ?? null) : null,
    cooked: item.cooked ?? '',
    createdAt: item.createdAt.toISOString(),
    postId: item.postId,
    change,
    reason: item.status === 'closed' ? item.resolutionReason : null,
    decidedAt: item.resolvedAt?.toISOString() ?? null,
  };
}

/** The viewer's own replies and edits held for review in a thread. */
export function pendingSubmissionsIn(db: DbOrTx, userId: string, threadId: string, title: string): PendingSubmission[] {
  return prepared(db, 'moderation.pendingSubmissionsIn', () =>
    db
      .select()
      .from(reviewItems)
      .where(
        and(
          eq(reviewItems.authorId, sql.placeholder('userId')),
          eq(reviewItems.threadId, sql.placeholder('threadId')),
          eq(reviewItems.kind, 'submission'),
          eq(reviewItems.status, 'open'),
        ),
      )
      .orderBy(reviewItems.id)
      .prepare(),
  )
    .all({ userId, threadId })
    .map((item) => submissionView(item, title, heldChangeOf(db, item)));
}

/** Posts of a thread the viewer has an open report on (they cannot report them again). */
export function openReportsBy(db: DbOrTx, userId: string, threadId: string): Set<string> {
  const sqlite = sqliteOf(db);
  const rows = prepared(sqlite, 'moderation.openReportsBy', () =>
    sqlite.prepare<[string, string], { postId: string }>(
      `select r.post_id as postId from reports r join posts p on p.id = r.post_id
        where r.reporter_id = ? and r.status = 'open' and p.thread_id = ?`,
    ),
  ).all(userId, threadId);
  return new Set(rows.map((r) => r.postId));
}

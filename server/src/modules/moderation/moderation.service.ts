/**
 * Moderation: reports, the review queue (reported posts and held submissions, scoped by the
 * thread's jurisdictions), and the actions on posts, threads and authors. Each method checks
 * access first (Guardian), then validates, then writes in one transaction: the change, its audit
 * entry (same transaction), the author's notification, the closing of the review item and its
 * reports; pushes go out after the commit.
 */
import {
  notifications,
  posts,
  reports,
  reviewItems,
  sessions,
  threads,
  users,
  type Db,
  type DbOrTx,
  type PostRow,
  type ReviewItemRow,
  type ThreadRow,
  type UserRow,
} from '@lexforum/db';
import {
  checkText,
  MODERATION_RULES,
  REPORT_REASONS,
  type AuditAction,
  type AuthorRecord,
  type CreateReplyBody,
  type CreateThreadBody,
  type MemberReviewState,
  type PendingSubmission,
  type Post,
  type Report,
  type ReportBody,
  type ReportReason,
  type ReviewCounts,
  type ReviewItem,
  type ReviewItemDetail,
  type ReviewQueue,
  type ReviewQueueQuery,
  type ReviewResolution,
  type SubmissionList,
  type ThreadDetail,
} from '@lexforum/shared';
import { and, asc, desc, eq, gt, inArray, lt, ne, sql } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError, notFound } from '../../lib/errors.js';
import { listAudit, recordAudit } from '../audit/audit.repository.js';
import { readNotificationsAbout } from '../notifications/notifications.repository.js';
import { forbidden, type Guardian } from '../guardian/guardian.js';
import { topics } from '../realtime/hub.js';
import { transact, type Outbox, type Publisher } from '../realtime/outbox.js';
import { readSettings } from '../settings/settings.repository.js';
import { excerptOf } from '../threads/cook.js';
import { readQuotes } from '../threads/quotes.js';
import { reviewScopeSql } from './review-scope.js';
import * as threadRepo from '../threads/threads.repository.js';
import { threadFacts, type ThreadService } from '../threads/threads.service.js';
import {
  auditJurisdiction,
  activeClaimer,
  closeOpenItem,
  notifyAuthor,
  recordModeration,
  submissionView,
  type ModerationNotice,
  type SubmissionData,
} from './moderation.effects.js';
import { heldChangeOf, isHeldEdit } from './held-change.js';
import { approveHeldEdit, queueSubmissionDecided } from './held-edits.js';
import { spendRecoveryLinks } from '../auth/email-tokens.js';

const PAGE_SIZE = 30;
const DECIDED_DAYS = 30;

/** Audit actions that make up an author's moderation record. */
const RECORD_ACTIONS: readonly AuditAction[] = [
  'post.hide',
  'post.auto_hide',
  'post.restore',
  'post.edit',
  'post.delete',
  'post.move',
  'report.dismiss',
  'submission.approve',
  'submission.reject',
  'user.warn',
  'user.review',
  'user.suspend',
  'user.reinstate',
];

export type PostAction = 'dismiss' | 'hide' | 'restore' | 'delete' | 'warn' | 'suspend-author';
export type ThreadAction = 'lock' | 'unlock' | 'unpin' | 'resolve' | 'unresolve';

const invalidState = (message: string) => new AppError(409, 'INVALID_STATE', message);
const claimedByOther = (name: string) =>
  new AppError(409, 'CLAIMED_BY_OTHER', `${name} is reviewing this item. Wait for them, or ask them to release it.`);

export class ModerationService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly realtime: Publisher,
    private readonly threads: ThreadService,
  ) {}

  // ---- Reports ----

  report(guardian: Guardian, postId: string, body: ReportBody): Report {
    guardian.ensureForumAccess();
    const { post, thread } = this.postAndThread(postId);
    const facts = threadFacts(thread);
    if (!guardian.canSeeThread(facts) || !guardian.canSeePostContent(post, facts) || post.state !== 'visible') {
      throw notFound('That post');
    }
    if (!guardian.canReport(post)) throw forbidden('You cannot report your own post.');
    const note = body.note?.trim() ? body.note.trim() : null;
    if (body.reason === 'other' && note === null) {
      throw fieldError('/note', 'Say what is wrong with this post.');
    }
    if (note !== null) {
      const problem = checkText(note, MODERATION_RULES.reportNote);
      if (problem) throw fieldError('/note', problem);
    }
    const now = this.clock.now();
    const reporterId = guardian.user.id;
    return transact(this.db, this.realtime, (tx, outbox) => {
      const existing = tx
        .select({ id: reports.id })
        .from(reports)
        .where(and(eq(reports.postId, postId), eq(reports.reporterId, reporterId), eq(reports.status, 'open')))
        .get();
      if (existing) {
        throw new AppError(
          409,
          'ALREADY_REPORTED',
          'You have already reported this post. The moderators will look at it.',
        );
      }
      const item =
        tx
          .select()
          .from(reviewItems)
          .where(and(eq(reviewItems.postId, postId), eq(reviewItems.kind, 'post'), eq(reviewItems.status, 'open')))
          .get() ??
        tx
          .insert(reviewItems)
          .values({
            kind: 'post',
            postId,
            threadId: thread.id,
            authorId: post.authorId,
            jurisdictions: thread.jurisdictions,
            createdAt: now,
          })
          .returning()
          .get();
      const row = tx
        .insert(reports)
        .values({ itemId: item.id, postId, reporterId, reason: body.reason, note, createdAt: now })
        .returning()
        .get();
      if (body.reason === 'confidential_data') this.hideIfConfidential(tx, outbox, post, thread, now);
      return reportView(row);
    });
  }

  /**
   * Enough open reports of confidential data hide the post at once, pending review. A moderator's
   * or admin's post is never hidden by members' reports alone (two members could otherwise silence
   * staff): its reports wait in the queue of the other moderators in scope and the admins.
   */
  private hideIfConfidential(tx: DbOrTx, outbox: Outbox, post: PostRow, thread: ThreadRow, now: Date): void {
    const threshold = readSettings(tx).confidentialReportsToHide;
    if (threshold === 0 || post.state !== 'visible') return;
    const author = tx.select({ role: users.role }).from(users).where(eq(users.id, post.authorId)).get();
    if (author?.role === 'moderator' || author?.role === 'admin') return;
    const count =
      tx.get<{ n: number }>(
        sql`select count(*) as n from ${reports} where post_id = ${post.id} and status = 'open' and reason = 'confidential_data'`,
      )?.n ?? 0;
    if (count < threshold) return;
    const reason = `Hidden automatically after ${count} reports of confidential or personal data, until a moderator reviews it.`;
    this.setPostState(tx, outbox, post, thread, 'hidden', null, reason, now);
    recordModeration(tx, outbox, {
      actor: null,
      action: 'post.auto_hide',
      post,
      thread,
      reason,
      before: { state: post.state },
      after: { state: 'hidden' },
      notice: { action: 'auto_hide' },
      now,
    });
  }

  // ---- The queue ----

  queue(guardian: Guardian, query: ReviewQueueQuery): ReviewQueue {
    guardian.ensureStaff();
    const status = query.status ?? 'open';
    const limit = query.limit ?? PAGE_SIZE;
    const cursor = query.cursor;
    // Scope (the items' threads' current jurisdictions) is decided by the database: one page read.
    const found = this.db
      .select()
      .from(reviewItems)
      .where(
        and(
          eq(reviewItems.status, status),
          query.kind ? eq(reviewItems.kind, query.kind) : undefined,
          query.reason
            ? sql`exists (select 1 from ${reports} r where r.item_id = ${reviewItems.id} and r.reason = ${query.reason}
                ${status === 'open' ? sql`and r.status = 'open'` : sql``})`
            : undefined,
          cursor ? (status === 'open' ? gt(reviewItems.id, cursor) : lt(reviewItems.id, cursor)) : undefined,
          reviewScopeSql(guardian),
          // Nobody reviews what concerns their own post (reports on a staff post go to the others).
          ne(reviewItems.authorId, guardian.user.id),
        ),
      )
      .orderBy(status === 'open' ? asc(reviewItems.id) : desc(reviewItems.id))
      .limit(limit + 1)
      .all();
    const page = found.slice(0, limit);
    return {
      items: this.withQuotes(guardian, this.itemViews(page)),
      counts: this.counts(guardian),
      nextCursor: found.length > limit ? (page.at(-1)?.id ?? null) : null,
    };
  }

  /** The open items in scope, counted by the database in one pass. */
  private counts(guardian: Guardian): ReviewCounts {
    const claimedSince = this.clock.now().getTime() - readSettings(this.db).claimMinutes * 60_000;
    const scope = reviewScopeSql(guardian);
    const row = this.db.get<Record<keyof ReviewCounts, number | null>>(
      sql`select count(*) as open,
          sum(kind = 'post') as reports,
          sum(kind = 'submission') as submissions,
          sum(exists (select 1 from ${reports} r where r.item_id = review_items.id
            and r.status = 'open' and r.reason = 'confidential_data')) as confidential,
          sum(claimed_by_id = ${guardian.user.id} and claimed_at > ${claimedSince}) as claimedByYou
        from ${reviewItems} where status = 'open' and author_id <> ${guardian.user.id}
          ${scope ? sql`and ${scope}` : sql``}`,
    );
    return {
      open: row?.open ?? 0,
      reports: row?.reports ?? 0,
      submissions: row?.submissions ?? 0,
      confidential: row?.confidential ?? 0,
      claimedByYou: row?.claimedByYou ?? 0,
    };
  }

  /** The jurisdictions deciding each item's scope: its thread's current tags, or the submitted ones. */
  private jurisdictionsOf(items: readonly ReviewItemRow[]): Map<number, readonly string[]> {
    const threadIds = [...new Set(items.flatMap((i) => (i.threadId ? [i.threadId] : [])))];
    const tags = new Map(
      threadIds.length
        ? this.db
            .select({ id: threads.id, jurisdictions: threads.jurisdictions })
            .from(threads)
            .where(inArray(threads.id, threadIds))
            .all()
            .map((t) => [t.id, t.jurisdictions] as const)
        : [],
    );
    return new Map(items.map((i) => [i.id, (i.threadId ? tags.get(i.threadId) : undefined) ?? i.jurisdictions]));
  }

  detail(guardian: Guardian, id: number): ReviewItemDetail {
    guardian.ensureStaff();
    const item = this.itemInScope(guardian, id);
    const view = this.withQuotes(guardian, this.itemViews([item]))[0]!;
    const post = item.kind === 'post' && item.postId ? this.threads.postFor(guardian, item.postId) : null;
    const postRow = item.postId ? threadRepo.findPost(this.db, item.postId) : undefined;
    const parentId =
      item.kind === 'post'
        ? (postRow?.parentId ?? null)
        : ((item.submission as unknown as SubmissionData).body.parentId ?? null);
    const parent = parentId ? this.threads.postFor(guardian, parentId) : null;
    const thread = item.threadId ? this.threads.threadFor(guardian, item.threadId) : null;
    const threadRow = item.threadId ? threadRepo.findThread(this.db, item.threadId) : undefined;
    const author = this.db.select().from(users).where(eq(users.id, item.authorId)).get()!;
    const scope = { jurisdictions: threadRow?.jurisdictions ?? item.jurisdictions };
    return {
      item: view,
      post,
      parent,
      thread,
      revisions: item.kind === 'post' && item.postId ? this.threads.revisions(item.postId, guardian) : [],
      reports: item.postId && item.kind === 'post' ? this.reportsOn(item.postId) : [],
      authorRecord: this.authorRecord(author, guardian.scope()),
      can: {
        act: guardian.canModeratePost({ authorId: item.authorId }, scope),
        suspend:
          author.status === 'active' &&
          guardian.canSuspendAuthor(author, scope, readSettings(this.db).moderatorsCanSuspend),
      },
    };
  }

  private reportsOn(postId: string): ReviewItemDetail['reports'] {
    return this.db
      .select({ report: reports, reporterName: users.displayName })
      .from(reports)
      .innerJoin(users, eq(users.id, reports.reporterId))
      .where(eq(reports.postId, postId))
      .orderBy(desc(reports.id))
      .all()
      .map(({ report, reporterName }) => ({
        ...reportView(report),
        reporter: { id: report.reporterId, displayName: reporterName },
      }));
  }

  /**
   * An author's moderation record as this moderator may see it: only what happened in their
   * jurisdictions (`scope`; null for admins, who see all), like the audit log itself.
   */
  private authorRecord(author: UserRow, scope: ReadonlySet<string> | null): AuthorRecord {
    const history = listAudit(this.db, { target: author.id, limit: 100 }, scope).entries.filter((e) =>
      RECORD_ACTIONS.includes(e.action),
    );
    const count = (actions: AuditAction[]) => history.filter((e) => actions.includes(e.action)).length;
    const inScope = scope
      ? sql`and exists (select 1 from ${threads} t, json_each(t.jurisdictions) j
              where t.id = p.thread_id and j.value in (select value from json_each(${JSON.stringify([...scope])})))`
      : sql``;
    const upheld =
      this.db.get<{ n: number }>(
        sql`select count(*) as n from ${reports} r join ${posts} p on p.id = r.post_id
            where p.author_id = ${author.id} and r.status = 'upheld' ${inScope}`,
      )?.n ?? 0;
    return {
      author: {
        id: author.id,
        displayName: author.displayName,
        role: author.role,
        status: author.status,
        underReview: author.underReview,
        jurisdictionCode: author.jurisdictionCode,
        joinedAt: (author.verifiedAt ?? author.createdAt).toISOString(),
        postCount: threadRepo.postCountOf(this.db, author.id),
      },
      history: history.slice(0, 20),
      counts: {
        hidden: count(['post.hide', 'post.auto_hide']),
        deleted: count(['post.delete']),
        warnings: count(['user.warn']),
        upheldReports: upheld,
      },
    };
  }

  claim(guardian: Guardian, id: number): ReviewItem {
    guardian.ensureStaff();
    const item = this.itemInScope(guardian, id);
    if (item.status !== 'open') throw invalidState('This item is already decided.');
    const now = this.clock.now();
    if (this.claimActive(item, now) && item.claimedById !== guardian.user.id) {
      throw claimedByOther(this.nameOf(item.claimedById!));
    }
    this.db.transaction((tx) => {
      tx.update(reviewItems).set({ claimedById: guardian.user.id, claimedAt: now }).where(eq(reviewItems.id, id)).run();
      this.auditItem(tx, guardian, item, 'review.claim', now);
    });
    return this.withQuotes(guardian, this.itemViews([this.findItem(id)!]))[0]!;
  }

  release(guardian: Guardian, id: number): ReviewItem {
    guardian.ensureStaff();
    const item = this.itemInScope(guardian, id);
    const now = this.clock.now();
    if (!this.claimActive(item, now) || (item.claimedById !== guardian.user.id && !guardian.isAdmin)) {
      throw invalidState('You do not hold a claim on this item.');
    }
    this.db.transaction((tx) => {
      tx.update(reviewItems).set({ claimedById: null, claimedAt: null }).where(eq(reviewItems.id, id)).run();
      this.auditItem(tx, guardian, item, 'review.release', now);
    });
    return this.withQuotes(guardian, this.itemViews([this.findItem(id)!]))[0]!;
  }

  private auditItem(tx: DbOrTx, guardian: Guardian, item: ReviewItemRow, action: AuditAction, now: Date): void {
    recordAudit(
      tx,
      {
        actorId: guardian.user.id,
        action,
        targetType: 'review',
        targetId: String(item.id),
        targetUserId: item.authorId,
        jurisdictionCode: auditJurisdiction(this.jurisdictionsOf([item]).get(item.id) ?? []),
        reason: null,
      },
      now,
    );
  }

  // ---- Submissions ----

  async approve(guardian: Guardian, id: number, reason: string | undefined): Promise<ReviewItem> {
    guardian.ensureStaff();
    const item = this.itemInScope(guardian, id);
    if (item.kind !== 'submission')
      throw invalidState('Only held submissions are approved; act on reported posts instead.');
    this.ensureActionable(guardian, item);
    if (guardian.user.id === item.authorId) throw forbidden('You cannot approve your own post.');
    const note = reason?.trim() ? this.checkReason(reason) : null;
    const author = this.db.select().from(users).where(eq(users.id, item.authorId)).get()!;
    if (author.status !== 'active' || author.role === 'applicant') {
      throw invalidState('Its author can no longer post (suspended or no longer a member): reject it instead.');
    }
    const now = this.clock.now();
    if (isHeldEdit(item.submission)) {
      await approveHeldEdit(
        { db: this.db, realtime: this.realtime, threads: this.threads },
        guardian,
        item,
        author,
        note,
        now,
      );
      return this.withQuotes(guardian, this.itemViews([this.findItem(id)!]))[0]!;
    }
    const data = item.submission as unknown as SubmissionData;
    const target = item.threadId ? threadRepo.findThread(this.db, item.threadId) : undefined;
    if (data.type === 'reply' && target?.state !== 'visible') {
      throw invalidState('The thread this reply was for is no longer open to members: reject it instead.');
    }
    if (data.type === 'reply' && target?.lockedAt) {
      throw invalidState('The thread this reply was for is locked: unlock it first, or reject the reply.');
    }
    const who = { id: author.id, displayName: author.displayName };
    // Cooked before the (synchronous) transaction: cooking may wait for the worker pool.
    const checked =
      data.type === 'thread'
        ? { thread: await this.threads.checkThread(data.body as unknown as CreateThreadBody) }
        : { reply: await this.threads.checkReply(data.body as unknown as CreateReplyBody) };
    transact(this.db, this.realtime, (tx, outbox) => {
      // Another moderator may have decided it while this one's text was cooking.
      this.ensureActionable(guardian, this.findItem(id)!);
      let threadId: string;
      let postId: string;
      if (data.type === 'thread') {
        const body = data.body as unknown as CreateThreadBody;
        threadId = this.threads.writeThread(tx, outbox, who, body, checked.thread!, now, {
          approval: true,
        });
        postId = tx
          .select({ id: posts.id })
          .from(posts)
          .where(and(eq(posts.threadId, threadId), eq(posts.number, 1)))
          .get()!.id;
      } else {
        const body = data.body as unknown as CreateReplyBody;
        const thread = item.threadId ? threadRepo.findThread(tx, item.threadId) : undefined;
        if (!thread) throw invalidState('The thread this reply was for is gone: reject it instead.');
        threadId = thread.id;
        postId = this.threads.writeReply(tx, outbox, null, who, thread.id, body, checked.reply!, now);
      }
      tx.update(reviewItems)
        .set({
          status: 'closed',
          resolution: 'approved',
          resolutionReason: note,
          resolvedById: guardian.user.id,
          resolvedAt: now,
          postId,
          threadId,
          claimedById: null,
          claimedAt: null,
        })
        .where(eq(reviewItems.id, id))
        .run();
      const post = threadRepo.findPost(tx, postId)!;
      const thread = threadRepo.findThread(tx, threadId)!;
      recordModeration(tx, outbox, {
        actor: guardian.user,
        action: 'submission.approve',
        post,
        thread,
        reason: note,
        target: 'review',
        targetId: String(id),
        before: { status: 'pending' },
        after: { status: 'approved' },
        notice: { action: 'approve', submission: data.type },
        now,
      });
      queueSubmissionDecided(tx, outbox, item, 'approved', now);
    });
    return this.withQuotes(guardian, this.itemViews([this.findItem(id)!]))[0]!;
  }

  reject(guardian: Guardian, id: number, reason: string): ReviewItem {
    guardian.ensureStaff();
    const item = this.itemInScope(guardian, id);
    if (item.kind !== 'submission')
      throw invalidState('Only held submissions are rejected; act on reported posts instead.');
    this.ensureActionable(guardian, item);
    if (guardian.user.id === item.authorId) throw forbidden('You cannot decide on your own post.');
    const note = this.checkReason(reason);
    const data = item.submission as unknown as SubmissionData;
    const thread = item.threadId ? threadRepo.findThread(this.db, item.threadId) : undefined;
    const title = data.type === 'thread' ? String(data.body.title ?? '') : (thread?.title ?? '');
    const now = this.clock.now();
    transact(this.db, this.realtime, (tx, outbox) => {
      tx.update(reviewItems)
        .set({
          status: 'closed',
          resolution: 'rejected',
          resolutionReason: note,
          resolvedById: guardian.user.id,
          resolvedAt: now,
          claimedById: null,
          claimedAt: null,
        })
        .where(eq(reviewItems.id, id))
        .run();
      recordAudit(
        tx,
        {
          actorId: guardian.user.id,
          action: 'submission.reject',
          targetType: 'review',
          targetId: String(id),
          targetUserId: item.authorId,
          jurisdictionCode: auditJurisdiction(thread?.jurisdictions ?? item.jurisdictions),
          reason: note,
          before: {
            status: 'pending',
            type: data.type,
            title,
            body: data.body.body ?? null,
            sections: data.body.sections ?? null,
          },
          after: { status: 'rejected' },
        },
        now,
      );
      notifyAuthor(
        tx,
        outbox,
        {
          userId: item.authorId,
          candidates: [{ kind: 'content_moderated', params: { action: 'reject', submission: data.type } }],
          subject: title,
          body: note,
          link: '/account/submissions',
          actorId: guardian.user.id,
          threadId: thread?.id ?? null,
          postId: null,
        },
        now,
      );
      queueSubmissionDecided(tx, outbox, item, 'rejected', now);
    });
    return this.withQuotes(guardian, this.itemViews([this.findItem(id)!]))[0]!;
  }

  /** The member's own held submissions, and those decided in the last 30 days. */
  submissions(guardian: Guardian): SubmissionList {
    guardian.ensureForumAccess();
    const since = new Date(this.clock.now().getTime() - DECIDED_DAYS * 24 * 3600_000);
    const rows = this.db
      .select({ item: reviewItems, threadTitle: threads.title })
      .from(reviewItems)
      .leftJoin(threads, eq(threads.id, reviewItems.threadId))
      .where(
        and(
          eq(reviewItems.authorId, guardian.user.id),
          eq(reviewItems.kind, 'submission'),
          sql`(${reviewItems.status} = 'open' or ${reviewItems.resolvedAt} >= ${since.getTime()})`,
        ),
      )
      .orderBy(desc(reviewItems.id))
      .all();
    return {
      submissions: this.withQuotes(
        guardian,
        rows.map(({ item, threadTitle }) => ({
          submission: submissionView(item, submissionTitle(item, threadTitle), heldChangeOf(this.db, item)),
        })),
      ).map((v) => v.submission),
    };
  }

  // ---- Post actions ----

  /**
   * `confirmRecent` throws unless the session confirmed who it is in the last minutes: asked only
   * of a suspension (every suspension needs it), once the action is otherwise allowed.
   */
  postAction(
    guardian: Guardian,
    postId: string,
    action: PostAction,
    reason: string,
    confirmRecent: () => void = () => undefined,
  ): Post {
    guardian.ensureStaff();
    const { post, thread } = this.postAndThread(postId, guardian);
    const facts = threadFacts(thread);
    if (!guardian.canModerate(facts)) throw forbidden('This post is outside the jurisdictions you moderate.');
    if (!guardian.canModeratePost(post, facts)) throw forbidden('You cannot moderate your own post.');
    const note = this.checkReason(reason);
    const open = this.openItemFor(postId);
    if (open) this.ensureActionable(guardian, open);
    const now = this.clock.now();
    const actor = guardian.user;
    transact(this.db, this.realtime, (tx, outbox) => {
      switch (action) {
        case 'dismiss': {
          if (!open) throw invalidState('This post has no open reports to dismiss.');
          closeOpenItem(tx, outbox, { postId, resolution: 'dismissed', actor, reason: note, now });
          const restore = post.state === 'hidden' && post.moderatedById === null;
          if (restore) this.setPostState(tx, outbox, post, thread, 'visible', actor.id, note, now);
          recordModeration(tx, outbox, {
            actor,
            action: 'report.dismiss',
            post,
            thread,
            reason: note,
            before: { state: post.state, reports: this.reportCount(tx, open.id) },
            after: { state: restore ? 'visible' : post.state },
            notice: restore ? { action: 'reviewed_restore' } : null,
            now,
          });
          return;
        }
        case 'hide':
        case 'delete': {
          const state = action === 'hide' ? 'hidden' : 'deleted';
          if (post.state === state) throw invalidState(`This post is already ${state}.`);
          if (action === 'hide' && post.state === 'deleted')
            throw invalidState('This post is deleted; restore it first.');
          this.setPostState(tx, outbox, post, thread, state, actor.id, note, now);
          recordModeration(tx, outbox, {
            actor,
            action: action === 'hide' ? 'post.hide' : 'post.delete',
            post,
            thread,
            reason: note,
            before: { state: post.state },
            after: { state },
            notice: { action: action === 'hide' ? 'hide' : 'delete' },
            now,
          });
          closeOpenItem(tx, outbox, { postId, resolution: state, actor, reason: note, now });
          return;
        }
        case 'restore': {
          if (post.state === 'visible') throw invalidState('This post is not hidden or deleted.');
          this.setPostState(tx, outbox, post, thread, 'visible', actor.id, note, now);
          recordModeration(tx, outbox, {
            actor,
            action: 'post.restore',
            post,
            thread,
            reason: note,
            before: { state: post.state },
            after: { state: 'visible' },
            notice: { action: 'restore' },
            now,
          });
          closeOpenItem(tx, outbox, { postId, resolution: 'restored', actor, reason: note, now });
          return;
        }
        case 'warn': {
          recordModeration(tx, outbox, {
            actor,
            action: 'user.warn',
            post,
            thread,
            reason: note,
            after: { postId: post.id, threadId: thread.id },
            target: 'user',
            notice: { action: 'warn' },
            now,
          });
          closeOpenItem(tx, outbox, { postId, resolution: 'warned', actor, reason: note, now });
          return;
        }
        case 'suspend-author': {
          const author = tx.select().from(users).where(eq(users.id, post.authorId)).get()!;
          if (!guardian.canSuspendAuthor(author, facts, readSettings(tx).moderatorsCanSuspend)) {
            throw forbidden(
              guardian.isAdmin
                ? 'Moderators and administrators are not suspended here; change their role first.'
                : 'Only administrators can suspend members on this forum.',
            );
          }
          if (author.status === 'suspended') throw invalidState('This member is already suspended.');
          confirmRecent();
          tx.update(users)
            .set({ status: 'suspended', suspendedAt: now, suspendedReason: note, updatedAt: now })
            .where(eq(users.id, author.id))
            .run();
          const ended = tx.delete(sessions).where(eq(sessions.userId, author.id)).run().changes;
          spendRecoveryLinks(tx, author.id, now);
          recordAudit(
            tx,
            {
              actorId: actor.id,
              action: 'user.suspend',
              targetType: 'user',
              targetId: author.id,
              targetUserId: author.id,
              jurisdictionCode: auditJurisdiction(thread.jurisdictions),
              reason: note,
              before: { status: 'active' },
              after: { status: 'suspended', sessionsEnded: ended, postId: post.id },
            },
            now,
          );
          return;
        }
      }
    });
    return this.threads.postFor(guardian, postId)!;
  }

  /**
   * Merges a post, with the replies under it, into another thread: they keep their order and
   * take the next numbers there, the post becoming a reply to its opening post.
   */
  movePost(guardian: Guardian, postId: string, toThreadId: string, reason: string): Post {
    guardian.ensureStaff();
    const { post, thread } = this.postAndThread(postId, guardian);
    if (!guardian.canModerate(threadFacts(thread)))
      throw forbidden('This post is outside the jurisdictions you moderate.');
    if (!guardian.canModeratePost(post, threadFacts(thread))) throw forbidden('You cannot moderate your own post.');
    const target = threadRepo.findThread(this.db, toThreadId);
    if (!target || !guardian.canSeeThread(threadFacts(target))) {
      throw fieldError('/toThreadId', 'That thread does not exist.');
    }
    if (!guardian.canModerate(threadFacts(target))) {
      throw forbidden('The other thread is outside the jurisdictions you moderate.');
    }
    if (target.state !== 'visible') {
      throw fieldError('/toThreadId', 'That thread is hidden or removed: posts cannot be moved into it.');
    }
    if (post.number === 1) {
      throw fieldError('/toThreadId', 'An opening post cannot be moved: retag or lock its thread instead.');
    }
    if (target.id === thread.id) throw fieldError('/toThreadId', 'The post is already in that thread.');
    const note = this.checkReason(reason);
    const open = this.openItemFor(postId);
    if (open) this.ensureActionable(guardian, open);
    const now = this.clock.now();
    transact(this.db, this.realtime, (tx, outbox) => {
      const all = tx.select().from(posts).where(eq(posts.threadId, thread.id)).orderBy(asc(posts.number)).all();
      const subtree = new Set([post.id]);
      for (const p of all) if (p.parentId && subtree.has(p.parentId)) subtree.add(p.id);
      const moving = all.filter((p) => subtree.has(p.id));
      const opener = tx
        .select()
        .from(posts)
        .where(and(eq(posts.threadId, target.id), eq(posts.number, 1)))
        .get()!;
      const current = threadRepo.findThread(tx, target.id)!;
      const depth = new Map<string, number>();
      let number = current.postCount;
      for (const p of moving) {
        number += 1;
        const parentId = p.id === post.id ? opener.id : p.parentId!;
        const d = p.id === post.id ? 1 : depth.get(parentId)! + 1;
        depth.set(p.id, d);
        tx.update(posts).set({ threadId: target.id, number, parentId, depth: d }).where(eq(posts.id, p.id)).run();
      }
      tx.update(posts)
        .set({ replyCount: sql`${posts.replyCount} - 1` })
        .where(eq(posts.id, post.parentId!))
        .run();
      tx.update(posts)
        .set({ replyCount: sql`${posts.replyCount} + 1` })
        .where(eq(posts.id, opener.id))
        .run();
      tx.update(threads).set({ postCount: number, updatedAt: now }).where(eq(threads.id, target.id)).run();
      const ids = moving.map((p) => p.id);
      tx.update(notifications).set({ threadId: target.id }).where(inArray(notifications.postId, ids)).run();
      tx.update(reviewItems).set({ threadId: target.id }).where(inArray(reviewItems.postId, ids)).run();
      threadRepo.refreshThreadCounters(tx, thread.id);
      threadRepo.refreshThreadCounters(tx, target.id);
      recordModeration(tx, outbox, {
        actor: guardian.user,
        action: 'post.move',
        post,
        thread,
        reason: note,
        before: { threadId: thread.id, number: post.number, posts: ids.length },
        after: { threadId: target.id, number: current.postCount + 1 },
        notice: { action: 'move' },
        now,
      });
      closeOpenItem(tx, outbox, { postId, resolution: 'moved', actor: guardian.user, reason: note, now });
      outbox.addLive(() => {
        const counts = this.threads.threadCounts(thread.id);
        if (!counts) return [];
        return [
          {
            topic: topics.thread(thread.id),
            message: {
              kind: 'live',
              threadId: thread.id,
              event: {
                type: 'posts.moved',
                ...counts,
                postIds: ids,
                toThreadId: target.id,
                toThreadTitle: target.title,
              },
            },
          },
          {
            topic: topics.threadList,
            message: { kind: 'live', threadId: thread.id, event: { type: 'thread.activity', ...counts } },
          },
        ];
      });
      for (const id of ids) this.threads.queuePostCreated(outbox, target.id, id);
    });
    return this.threads.postFor(guardian, postId)!;
  }

  /**
   * Changes a post's state: the row, the thread's counters (and its own state for an opening
   * post), and the live updates. Others' notifications about a post taken out of view are marked
   * read, so their counts do not point at something they cannot open.
   */
  private setPostState(
    tx: DbOrTx,
    outbox: Outbox,
    post: PostRow,
    thread: ThreadRow,
    state: PostRow['state'],
    actorId: string | null,
    reason: string,
    now: Date,
  ): void {
    tx.update(posts)
      .set(
        state === 'visible'
          ? { state, moderatedAt: null, moderatedById: null, moderationReason: null }
          : { state, moderatedAt: now, moderatedById: actorId, moderationReason: reason },
      )
      .where(eq(posts.id, post.id))
      .run();
    if (post.number === 1) tx.update(threads).set({ state }).where(eq(threads.id, thread.id)).run();
    threadRepo.refreshThreadCounters(tx, thread.id);
    if (state !== 'visible') {
      readNotificationsAbout(
        tx,
        outbox,
        post.number === 1 ? { threadId: thread.id } : { postId: post.id },
        post.authorId,
        now,
      );
    }
    this.threads.queuePostUpdated(outbox, thread.id, post.id);
    outbox.addLive(() => {
      const counts = this.threads.threadCounts(thread.id);
      const messages = [this.threads.threadUpdatedMessage(thread.id)];
      if (post.number === 1 && state !== 'visible') {
        messages.push({
          topic: topics.threadList,
          message: { kind: 'live', threadId: thread.id, event: { type: 'thread.removed', threadId: thread.id } },
        });
      } else if (counts) {
        messages.push({
          topic: topics.threadList,
          message: { kind: 'live', threadId: thread.id, event: { type: 'thread.activity', ...counts } },
        });
      }
      return messages;
    });
  }

  // ---- Thread actions ----

  threadAction(
    guardian: Guardian,
    threadId: string,
    action: ThreadAction | 'pin',
    reason: string,
    pinJurisdiction: string | null = null,
  ): ThreadDetail {
    guardian.ensureStaff();
    const thread = threadRepo.findThread(this.db, threadId);
    // A thread taken out of view does not exist for a moderator who cannot see it.
    if (!thread || !guardian.canSeeThread(threadFacts(thread))) throw notFound('That thread');
    if (!guardian.canModerate(threadFacts(thread)))
      throw forbidden('This thread is outside the jurisdictions you moderate.');
    // A question's author may be the moderator who closes it as resolved; locks and pins are for others'.
    if (thread.authorId === guardian.user.id && action !== 'resolve' && action !== 'unresolve') {
      throw forbidden('Another moderator locks or pins a thread you started.');
    }
    // A global pin is an admin's: only an admin changes or removes it.
    if (thread.pinScope === '*' && (action === 'pin' || action === 'unpin') && !guardian.canPinGlobally()) {
      throw forbidden('Only administrators change a thread pinned for the whole forum.');
    }
    const note = this.checkReason(reason);
    const now = this.clock.now();
    const by = guardian.user.id;
    let change: Partial<ThreadRow>;
    let before: unknown;
    let after: unknown;
    let notice: ModerationNotice;
    switch (action) {
      case 'lock':
        if (thread.lockedAt) throw invalidState('This thread is already locked.');
        change = { lockedAt: now, lockedById: by, lockReason: note };
        [before, after, notice] = [{ locked: false }, { locked: true }, { action: 'lock' }];
        break;
      case 'unlock':
        if (!thread.lockedAt) throw invalidState('This thread is not locked.');
        change = { lockedAt: null, lockedById: null, lockReason: null };
        [before, after, notice] = [{ locked: true }, { locked: false }, { action: 'unlock' }];
        break;
      case 'pin': {
        if (pinJurisdiction === null) {
          if (!guardian.canPinGlobally()) throw forbidden('Only administrators pin threads for the whole forum.');
        } else {
          if (!thread.jurisdictions.includes(pinJurisdiction)) {
            throw fieldError('/jurisdiction', 'Pin the thread within one of its own jurisdictions.');
          }
          if (!guardian.canModerate({ jurisdictions: [pinJurisdiction] })) {
            throw forbidden('You can pin only within the jurisdictions you moderate.');
          }
        }
        const scope = pinJurisdiction ?? '*';
        if (thread.pinScope === scope) throw invalidState('This thread is already pinned there.');
        change = { pinScope: scope, pinnedAt: now };
        before = { pin: thread.pinScope };
        after = { pin: scope };
        notice = { action: 'pin' };
        break;
      }
      case 'unpin':
        if (!thread.pinScope) throw invalidState('This thread is not pinned.');
        change = { pinScope: null, pinnedAt: null };
        [before, after, notice] = [{ pin: thread.pinScope }, { pin: null }, { action: 'unpin' }];
        break;
      case 'resolve':
      case 'unresolve':
        if (thread.kind !== 'question') throw fieldError('/reason', 'Only questions are closed as resolved.');
        if (action === 'resolve' && thread.resolvedAt) throw invalidState('This question is already resolved.');
        if (action === 'unresolve' && !thread.resolvedAt) throw invalidState('This question is not resolved.');
        change =
          action === 'resolve'
            ? { resolvedAt: now, resolvedById: by, resolveReason: note }
            : { resolvedAt: null, resolvedById: null, resolveReason: null };
        before = { resolved: action !== 'resolve' };
        after = { resolved: action === 'resolve' };
        notice = { action };
        break;
    }
    transact(this.db, this.realtime, (tx, outbox) => {
      tx.update(threads)
        .set({ ...change, updatedAt: now })
        .where(eq(threads.id, threadId))
        .run();
      const opener = tx
        .select()
        .from(posts)
        .where(and(eq(posts.threadId, threadId), eq(posts.number, 1)))
        .get()!;
      recordModeration(tx, outbox, {
        actor: guardian.user,
        action: `thread.${action}` as AuditAction,
        post: opener,
        thread,
        reason: note,
        before,
        after,
        target: 'thread',
        notice,
        now,
      });
      outbox.addLive(() => [this.threads.threadUpdatedMessage(threadId)]);
    });
    return this.threads.threadFor(guardian, threadId)!;
  }

  // ---- Members ----

  setMemberReview(guardian: Guardian, userId: string, underReview: boolean, reason: string): MemberReviewState {
    guardian.ensureStaff();
    const member = this.db.select().from(users).where(eq(users.id, userId)).get();
    if (!member || member.role === 'applicant') throw notFound('That member');
    if (!guardian.canReviewMember(member)) {
      throw forbidden('Only the moderators of this member’s jurisdiction place them under review.');
    }
    const note = this.checkReason(reason);
    if (member.underReview === underReview) {
      throw invalidState(underReview ? 'This member is already under review.' : 'This member is not under review.');
    }
    const now = this.clock.now();
    transact(this.db, this.realtime, (tx, outbox) => {
      tx.update(users).set({ underReview, updatedAt: now }).where(eq(users.id, userId)).run();
      recordAudit(
        tx,
        {
          actorId: guardian.user.id,
          action: 'user.review',
          targetType: 'user',
          targetId: userId,
          targetUserId: userId,
          jurisdictionCode: member.jurisdictionCode,
          reason: note,
          before: { underReview: member.underReview },
          after: { underReview },
        },
        now,
      );
      notifyAuthor(
        tx,
        outbox,
        {
          userId,
          candidates: [{ kind: 'content_moderated', params: { action: 'review', underReview } }],
          body: note,
          link: '/account/submissions',
          actorId: guardian.user.id,
        },
        now,
      );
    });
    return { member: { id: userId, underReview } };
  }

  // ---- Helpers ----

  /**
   * The post and its thread; with `guardian`, only if they may see it (a hidden post, or a post in
   * a hidden thread, does not exist for those who cannot read it: 404, never 403).
   */
  private postAndThread(postId: string, guardian?: Guardian): { post: PostRow; thread: ThreadRow } {
    const post = threadRepo.findPost(this.db, postId);
    const thread = post ? threadRepo.findThread(this.db, post.threadId) : undefined;
    if (!post || !thread) throw notFound('That post');
    const facts = threadFacts(thread);
    if (guardian && (!guardian.canSeeThread(facts) || !guardian.canSeePostContent(post, facts))) {
      throw notFound('That post');
    }
    return { post, thread };
  }

  private findItem(id: number): ReviewItemRow | undefined {
    return this.db.select().from(reviewItems).where(eq(reviewItems.id, id)).get();
  }

  private itemInScope(guardian: Guardian, id: number): ReviewItemRow {
    const item = this.findItem(id);
    if (!item) throw notFound('That review item');
    // Reports on one's own post are for the other moderators and the admins.
    if (item.authorId === guardian.user.id) throw forbidden('This item is not yours to review.');
    const jurisdictions = this.jurisdictionsOf([item]).get(item.id) ?? [];
    if (!guardian.canReviewItem(item, { jurisdictions }))
      throw forbidden('This item is outside the jurisdictions you moderate.');
    return item;
  }

  private openItemFor(postId: string): ReviewItemRow | undefined {
    return this.db
      .select()
      .from(reviewItems)
      .where(and(eq(reviewItems.postId, postId), eq(reviewItems.kind, 'post'), eq(reviewItems.status, 'open')))
      .get();
  }

  /** Whether someone holds the item's claim now; pass `claimMinutes` when checking many items. */
  private claimActive(item: ReviewItemRow, now: Date, claimMinutes = readSettings(this.db).claimMinutes): boolean {
    return activeClaimer(item, claimMinutes, now) !== null;
  }

  /** An open item another moderator holds is theirs to decide (admins may step in). */
  private ensureActionable(guardian: Guardian, item: ReviewItemRow): void {
    if (item.status !== 'open') throw invalidState('This item is already decided.');
    if (this.claimActive(item, this.clock.now()) && item.claimedById !== guardian.user.id && !guardian.isAdmin) {
      throw claimedByOther(this.nameOf(item.claimedById!));
    }
  }

  private checkReason(reason: string): string {
    const trimmed = reason.trim();
    const problem = checkText(trimmed, MODERATION_RULES.reason);
    if (problem) throw fieldError('/reason', problem);
    return trimmed;
  }

  private nameOf(id: string): string {
    return (
      this.db.select({ name: users.displayName }).from(users).where(eq(users.id, id)).get()?.name ?? 'Another moderator'
    );
  }

  private reportCount(tx: DbOrTx, itemId: number): number {
    return tx.get<{ n: number }>(sql`select count(*) as n from ${reports} where item_id = ${itemId}`)?.n ?? 0;
  }

  /** Items as the queue shows them: a fixed handful of queries for the page. */
  /**
   * Submissions are cooked when submitted: a quote in one of a post taken out of view since is
   * withheld from a reader who cannot read it (threads/quotes.ts), one query for the whole list.
   */
  private withQuotes<T extends { submission: PendingSubmission | null }>(guardian: Guardian, views: T[]): T[] {
    const quotes = readQuotes(
      this.db,
      views.flatMap((v) => (v.submission ? [v.submission.cooked] : [])),
    );
    return views.map((v) =>
      v.submission
        ? { ...v, submission: { ...v.submission, cooked: quotes.render(guardian, v.submission.cooked) } }
        : v,
    );
  }

  private itemViews(items: readonly ReviewItemRow[]): ReviewItem[] {
    if (items.length === 0) return [];
    const ids = items.map((i) => i.id);
    // An open item counts its open reports; a closed one every report it had.
    const open = new Set(items.filter((i) => i.status === 'open').map((i) => i.id));
    const reasonRows = this.db
      .select({ itemId: reports.itemId, reason: reports.reason, status: reports.status, n: sql<number>`count(*)` })
      .from(reports)
      .where(inArray(reports.itemId, ids))
      .groupBy(reports.itemId, reports.reason, reports.status)
      .all();
    const reasons = new Map<number, { reason: ReportReason; count: number }[]>();
    for (const r of reasonRows) {
      if (open.has(r.itemId) && r.status !== 'open') continue;
      const list = reasons.get(r.itemId) ?? [];
      const known = list.find((x) => x.reason === r.reason);
      if (known) known.count += r.n;
      else list.push({ reason: r.reason, count: r.n });
      reasons.set(r.itemId, list);
    }
    const postIds = items.flatMap((i) => (i.postId ? [i.postId] : []));
    const postRows = new Map(
      (postIds.length ? this.db.select().from(posts).where(inArray(posts.id, postIds)).all() : []).map((p) => [
        p.id,
        p,
      ]),
    );
    const threadIds = [...new Set(items.flatMap((i) => (i.threadId ? [i.threadId] : [])))];
    const threadRows = new Map(
      (threadIds.length ? this.db.select().from(threads).where(inArray(threads.id, threadIds)).all() : []).map((t) => [
        t.id,
        t,
      ]),
    );
    const people = new Set(
      items.flatMap((i) => [i.authorId, i.claimedById, i.resolvedById].filter((x): x is string => !!x)),
    );
    const names = new Map(
      this.db
        .select({ id: users.id, name: users.displayName })
        .from(users)
        .where(inArray(users.id, [...people]))
        .all()
        .map((u) => [u.id, u.name]),
    );
    const person = (id: string | null) => (id ? { id, displayName: names.get(id) ?? 'Deleted account' } : null);
    const now = this.clock.now();
    const minutes = readSettings(this.db).claimMinutes;
    const jurisdictionNames = this.threads.jurisdictionTags.bind(this.threads);
    return items.map((item) => {
      const post = item.postId ? postRows.get(item.postId) : undefined;
      const thread = item.threadId ? threadRows.get(item.threadId) : undefined;
      const data = item.submission as unknown as SubmissionData | null;
      const list = (reasons.get(item.id) ?? []).sort(
        (a, b) => REPORT_REASONS.indexOf(a.reason) - REPORT_REASONS.indexOf(b.reason),
      );
      const title = thread?.title ?? String(data?.body.title ?? '');
      return {
        id: item.id,
        kind: item.kind,
        status: item.status,
        createdAt: item.createdAt.toISOString(),
        reasons: list,
        reportCount: list.reduce((n, r) => n + r.count, 0),
        post:
          item.kind === 'post' && post
            ? {
                id: post.id,
                number: post.number,
                state: post.state,
                excerpt: excerptOf(post.body ?? Object.values(post.sections ?? {}).join('\n\n')),
              }
            : null,
        submission:
          item.kind === 'submission'
            ? submissionView(item, submissionTitle(item, thread?.title ?? null), heldChangeOf(this.db, item))
            : null,
        thread: {
          id: thread?.id ?? null,
          title,
          jurisdictions: jurisdictionNames(thread?.jurisdictions ?? item.jurisdictions),
        },
        author: person(item.authorId)!,
        claimedBy: this.claimActive(item, now, minutes) ? person(item.claimedById) : null,
        resolution:
          item.status === 'closed' && item.resolution && item.resolvedAt
            ? {
                action: item.resolution as ReviewResolution,
                reason: item.resolutionReason,
                by: person(item.resolvedById),
                at: item.resolvedAt.toISOString(),
              }
            : null,
      };
    });
  }
}

function submissionTitle(item: ReviewItemRow, threadTitle: string | null): string {
  const data = item.submission as unknown as SubmissionData;
  return data.type === 'thread' ? String(data.body.title ?? '') : (threadTitle ?? '');
}

function reportView(row: typeof reports.$inferSelect): Report {
  return {
    id: row.id,
    postId: row.postId,
    reason: row.reason,
    note: row.note,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
  };
}

/**
 * The review queue: the open (or closed) items in this moderator's jurisdictions, counted by kind;
 * one item in context (the post, its thread and parent, revisions, reports, the author's record);
 * and claiming an item so others see who is on it.
 */
import {
  messageReports,
  posts,
  reports,
  reviewItems,
  threads,
  users,
  type Db,
  type DbOrTx,
  type ReviewItemRow,
  type UserRow,
} from '@lexforum/db';
import type {
  AuditAction,
  AuthorRecord,
  ReviewCounts,
  ReviewItem,
  ReviewItemDetail,
  ReviewQueue,
  ReviewQueueQuery,
} from '@lexforum/shared';
import { and, asc, desc, eq, gt, lt, ne, sql } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.js';
import { listAudit, recordAudit } from '../audit/audit.repository.js';
import { ConversationViews } from '../conversations/conversation-views.js';
import { reportedMessageDetail } from '../conversations/message-review.js';
import type { UserViews } from '../users/users.views.js';
import type { Guardian } from '../guardian/guardian.js';
import { readSettings } from '../settings/settings.repository.js';
import * as threadRepo from '../threads/threads.repository.js';
import type { ThreadService } from '../threads/threads.service.js';
import { invalidState } from './moderation.checks.js';
import { auditJurisdiction, type SubmissionData } from './moderation.effects.js';
import { claimedByOther, reportView, ReviewItems } from './review-items.js';
import { notOwnConversationSql, reviewScopeSql } from './review-scope.js';

const PAGE_SIZE = 30;

/** Audit actions that make up an author's moderation record. */
const RECORD_ACTIONS: readonly AuditAction[] = [
  'post.hide',
  'post.auto_hide',
  'post.restore',
  'post.edit',
  'post.delete',
  'post.move',
  'message.hide',
  'report.dismiss',
  'submission.approve',
  'submission.reject',
  'user.warn',
  'user.review',
  'user.suspend',
  'user.reinstate',
];

export class ReviewQueueService {
  private readonly items: ReviewItems;

  private readonly conversationViews: ConversationViews;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly threads: ThreadService,
    userViews: UserViews,
  ) {
    this.items = new ReviewItems(db, clock, threads);
    // Edit deadlines play no part in what moderators see.
    this.conversationViews = new ConversationViews(userViews, 0);
  }

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
            ? sql`(exists (select 1 from ${reports} r where r.item_id = ${reviewItems.id} and r.reason = ${query.reason}
                ${status === 'open' ? sql`and r.status = 'open'` : sql``})
              or exists (select 1 from ${messageReports} r where r.item_id = ${reviewItems.id}
                and r.reason = ${query.reason} ${status === 'open' ? sql`and r.status = 'open'` : sql``}))`
            : undefined,
          cursor ? (status === 'open' ? gt(reviewItems.id, cursor) : lt(reviewItems.id, cursor)) : undefined,
          reviewScopeSql(guardian),
          notOwnConversationSql(guardian),
          // Nobody reviews what concerns their own post (reports on a staff post go to the others).
          ne(reviewItems.authorId, guardian.user.id),
        ),
      )
      .orderBy(status === 'open' ? asc(reviewItems.id) : desc(reviewItems.id))
      .limit(limit + 1)
      .all();
    const page = found.slice(0, limit);
    return {
      items: this.items.withQuotes(guardian, this.items.views(page)),
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
          sum(kind in ('post', 'message')) as reports,
          sum(kind = 'submission') as submissions,
          sum(exists (select 1 from ${reports} r where r.item_id = review_items.id
            and r.status = 'open' and r.reason = 'confidential_data')
            or exists (select 1 from ${messageReports} r where r.item_id = review_items.id
            and r.status = 'open' and r.reason = 'confidential_data')) as confidential,
          sum(claimed_by_id = ${guardian.user.id} and claimed_at > ${claimedSince}) as claimedByYou
        from ${reviewItems} where status = 'open' and author_id <> ${guardian.user.id}
          and ${notOwnConversationSql(guardian)}
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

  detail(guardian: Guardian, id: number): ReviewItemDetail {
    guardian.ensureStaff();
    const item = this.items.inScope(guardian, id);
    const view = this.items.withQuotes(guardian, this.items.views([item]))[0]!;
    if (item.kind === 'message') return this.messageDetail(guardian, item, view);
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

  /** A reported direct message: that message, its participants, its reports; nothing else of its conversation. */
  private messageDetail(guardian: Guardian, item: ReviewItemRow, view: ReviewItem): ReviewItemDetail {
    const { message, reports: messageReportList } = reportedMessageDetail(this.db, this.conversationViews, item);
    const author = this.db.select().from(users).where(eq(users.id, item.authorId)).get()!;
    const scope = { jurisdictions: item.jurisdictions };
    return {
      item: view,
      post: null,
      message,
      parent: null,
      thread: null,
      revisions: [],
      reports: messageReportList,
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
        hidden: count(['post.hide', 'post.auto_hide', 'message.hide']),
        deleted: count(['post.delete']),
        warnings: count(['user.warn']),
        upheldReports: upheld,
      },
    };
  }

  claim(guardian: Guardian, id: number): ReviewItem {
    guardian.ensureStaff();
    const item = this.items.inScope(guardian, id);
    if (item.status !== 'open') throw invalidState('This item is already decided.');
    const now = this.clock.now();
    if (this.items.claimActive(item, now) && item.claimedById !== guardian.user.id) {
      throw claimedByOther(this.items.nameOf(item.claimedById!));
    }
    this.db.transaction((tx) => {
      tx.update(reviewItems).set({ claimedById: guardian.user.id, claimedAt: now }).where(eq(reviewItems.id, id)).run();
      this.auditItem(tx, guardian, item, 'review.claim', now);
    });
    return this.items.viewOf(guardian, id);
  }

  release(guardian: Guardian, id: number): ReviewItem {
    guardian.ensureStaff();
    const item = this.items.inScope(guardian, id);
    const now = this.clock.now();
    if (!this.items.claimActive(item, now) || (item.claimedById !== guardian.user.id && !guardian.isAdmin)) {
      throw invalidState('You do not hold a claim on this item.');
    }
    this.db.transaction((tx) => {
      tx.update(reviewItems).set({ claimedById: null, claimedAt: null }).where(eq(reviewItems.id, id)).run();
      this.auditItem(tx, guardian, item, 'review.release', now);
    });
    return this.items.viewOf(guardian, id);
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
        jurisdictionCode: auditJurisdiction(this.items.jurisdictionsOf([item]).get(item.id) ?? []),
        reason: null,
      },
      now,
    );
  }
}

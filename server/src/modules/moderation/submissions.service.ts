/**
 * Held submissions (threads, replies and edits waiting for review): a moderator approves one (it
 * is published, or the edit applied, notified and pushed now) or rejects it with the reason its
 * author is told; the member sees their own, and those decided in the last 30 days.
 */
import { posts, reviewItems, threads, users, type Db } from '@lexforum/db';
import type { CreateReplyBody, CreateThreadBody, ReviewItem, SubmissionList } from '@lexforum/shared';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.js';
import { recordAudit } from '../audit/audit.repository.js';
import { forbidden, type Guardian } from '../guardian/guardian.js';
import { transact, type Publisher } from '../realtime/outbox.js';
import * as threadRepo from '../threads/threads.repository.js';
import type { ThreadService } from '../threads/threads.service.js';
import { heldChangeOf, isHeldEdit } from './held-change.js';
import { approveHeldEdit, queueSubmissionDecided } from './held-edits.js';
import { checkReason, invalidState } from './moderation.checks.js';
import {
  auditJurisdiction,
  notifyAuthor,
  recordModeration,
  submissionView,
  type SubmissionData,
} from './moderation.effects.js';
import { ReviewItems, submissionTitle } from './review-items.js';

const DECIDED_DAYS = 30;

export class SubmissionReviewService {
  private readonly items: ReviewItems;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly realtime: Publisher,
    private readonly threads: ThreadService,
  ) {
    this.items = new ReviewItems(db, clock, threads);
  }

  async approve(guardian: Guardian, id: number, reason: string | undefined): Promise<ReviewItem> {
    guardian.ensureStaff();
    const item = this.items.inScope(guardian, id);
    if (item.kind !== 'submission')
      throw invalidState('Only held submissions are approved; act on reported posts instead.');
    this.items.ensureActionable(guardian, item);
    if (guardian.user.id === item.authorId) throw forbidden('You cannot approve your own post.');
    const note = reason?.trim() ? checkReason(reason) : null;
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
      return this.items.viewOf(guardian, id);
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
      this.items.ensureActionable(guardian, this.items.find(id)!);
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
    return this.items.viewOf(guardian, id);
  }

  reject(guardian: Guardian, id: number, reason: string): ReviewItem {
    guardian.ensureStaff();
    const item = this.items.inScope(guardian, id);
    if (item.kind !== 'submission')
      throw invalidState('Only held submissions are rejected; act on reported posts instead.');
    this.items.ensureActionable(guardian, item);
    if (guardian.user.id === item.authorId) throw forbidden('You cannot decide on your own post.');
    const note = checkReason(reason);
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
    return this.items.viewOf(guardian, id);
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
      submissions: this.items
        .withQuotes(
          guardian,
          rows.map(({ item, threadTitle }) => ({
            submission: submissionView(item, submissionTitle(item, threadTitle), heldChangeOf(this.db, item)),
          })),
        )
        .map((v) => v.submission),
    };
  }
}

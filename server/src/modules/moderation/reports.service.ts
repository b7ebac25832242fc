/**
 * Reports: a member reports a post they can read to the moderators (one open report per member
 * and post), which opens (or joins) the post's review item; enough reports of confidential data
 * hide the post at once, pending review.
 */
import { reports, reviewItems, users, type Db, type DbOrTx, type PostRow, type ThreadRow } from '@lexforum/db';
import { checkText, MODERATION_RULES, type Report, type ReportBody } from '@lexforum/shared';
import { and, eq, sql } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.js';
import { AppError, fieldError, notFound } from '../../lib/errors.js';
import { forbidden, type Guardian } from '../guardian/guardian.js';
import { transact, type Outbox, type Publisher } from '../realtime/outbox.js';
import { readSettings } from '../settings/settings.repository.js';
import { threadFacts, type ThreadService } from '../threads/threads.service.js';
import { postAndThread } from './moderation.checks.js';
import { recordModeration } from './moderation.effects.js';
import { setPostState } from './post-state.js';
import { reportView } from './review-items.js';

export class ReportService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly realtime: Publisher,
    private readonly threads: ThreadService,
  ) {}

  report(guardian: Guardian, postId: string, body: ReportBody): Report {
    guardian.ensureForumAccess();
    const { post, thread } = postAndThread(this.db, postId);
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
    setPostState(this.threads, tx, outbox, post, thread, 'hidden', null, reason, now);
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
}

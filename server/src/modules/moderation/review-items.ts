/**
 * Review items as every part of moderation finds and shows them: an item by id, in this
 * moderator's scope (its thread's current jurisdictions), the open item on a post, who holds its
 * claim, whether this moderator may decide it now, and the view the queue shows (a fixed handful of
 * queries for a page, quotes withheld from a reader who may not read them).
 */
import { messageReports, posts, reports, reviewItems, threads, users, type Db, type ReviewItemRow } from '@lexforum/db';
import {
  REPORT_REASONS,
  type PendingSubmission,
  type Report,
  type ReportReason,
  type ReviewItem,
  type ReviewResolution,
} from '@lexforum/shared';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.js';
import { AppError, notFound } from '../../lib/errors.js';
import { forbidden, type Guardian } from '../guardian/guardian.js';
import { readSettings } from '../settings/settings.repository.js';
import { excerptOf } from '../threads/cook.js';
import { readQuotes } from '../threads/quotes.js';
import type { ThreadService } from '../threads/threads.service.js';
import { reportedMessageSummaries } from '../conversations/message-review.js';
import { heldChangeOf } from './held-change.js';
import { invalidState } from './moderation.checks.js';
import { activeClaimer, submissionView, type SubmissionData } from './moderation.effects.js';

export const claimedByOther = (name: string) =>
  new AppError(409, 'CLAIMED_BY_OTHER', `${name} is reviewing this item. Wait for them, or ask them to release it.`);

export class ReviewItems {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly threads: ThreadService,
  ) {}

  find(id: number): ReviewItemRow | undefined {
    return this.db.select().from(reviewItems).where(eq(reviewItems.id, id)).get();
  }

  inScope(guardian: Guardian, id: number): ReviewItemRow {
    const item = this.find(id);
    if (!item) throw notFound('That review item');
    // Reports on one's own post are for the other moderators and the admins.
    if (item.authorId === guardian.user.id) throw forbidden('This item is not yours to review.');
    // Nor a reported message of a conversation one is or was in (review-scope.ts).
    if (item.kind === 'message' && item.messageId && this.inConversationOf(guardian.user.id, item.messageId)) {
      throw forbidden('This item is not yours to review.');
    }
    const jurisdictions = this.jurisdictionsOf([item]).get(item.id) ?? [];
    if (!guardian.canReviewItem(item, { jurisdictions }))
      throw forbidden('This item is outside the jurisdictions you moderate.');
    return item;
  }

  /** Whether this member is or was a participant of the message's conversation. */
  private inConversationOf(userId: string, messageId: string): boolean {
    return (
      this.db.get<{ found: number }>(
        sql`select exists (select 1 from direct_messages m join conversation_participants cp
          on cp.conversation_id = m.conversation_id where m.id = ${messageId} and cp.user_id = ${userId}) as found`,
      )?.found === 1
    );
  }

  /** The jurisdictions deciding each item's scope: its thread's current tags, or the submitted ones. */
  jurisdictionsOf(items: readonly ReviewItemRow[]): Map<number, readonly string[]> {
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

  /** The open item of reports on a post, if any. */
  openFor(postId: string): ReviewItemRow | undefined {
    return this.db
      .select()
      .from(reviewItems)
      .where(and(eq(reviewItems.postId, postId), eq(reviewItems.kind, 'post'), eq(reviewItems.status, 'open')))
      .get();
  }

  /** Whether someone holds the item's claim now; pass `claimMinutes` when checking many items. */
  claimActive(item: ReviewItemRow, now: Date, claimMinutes = readSettings(this.db).claimMinutes): boolean {
    return activeClaimer(item, claimMinutes, now) !== null;
  }

  /** An open item another moderator holds is theirs to decide (admins may step in). */
  ensureActionable(guardian: Guardian, item: ReviewItemRow): void {
    if (item.status !== 'open') throw invalidState('This item is already decided.');
    if (this.claimActive(item, this.clock.now()) && item.claimedById !== guardian.user.id && !guardian.isAdmin) {
      throw claimedByOther(this.nameOf(item.claimedById!));
    }
  }

  nameOf(id: string): string {
    return (
      this.db.select({ name: users.displayName }).from(users).where(eq(users.id, id)).get()?.name ?? 'Another moderator'
    );
  }

  /** The item `id` as the queue shows it to this moderator (after a change to it). */
  viewOf(guardian: Guardian, id: number): ReviewItem {
    return this.withQuotes(guardian, this.views([this.find(id)!]))[0]!;
  }

  /**
   * Submissions are cooked when submitted: a quote in one of a post taken out of view since is
   * withheld from a reader who cannot read it (threads/quotes.ts), one query for the whole list.
   */
  withQuotes<T extends { submission: PendingSubmission | null }>(guardian: Guardian, views: T[]): T[] {
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

  /** Items as the queue shows them: a fixed handful of queries for the page. */
  views(items: readonly ReviewItemRow[]): ReviewItem[] {
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
    // Reported direct messages keep their reports apart (a report names a post or a message).
    if (items.some((i) => i.kind === 'message')) {
      reasonRows.push(
        ...this.db
          .select({
            itemId: messageReports.itemId,
            reason: messageReports.reason,
            status: messageReports.status,
            n: sql<number>`count(*)`,
          })
          .from(messageReports)
          .where(inArray(messageReports.itemId, ids))
          .groupBy(messageReports.itemId, messageReports.reason, messageReports.status)
          .all(),
      );
    }
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
    const messages = reportedMessageSummaries(this.db, items);
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
        message: messages.get(item.id) ?? null,
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

export function submissionTitle(item: ReviewItemRow, threadTitle: string | null): string {
  const data = item.submission as unknown as SubmissionData;
  return data.type === 'thread' ? String(data.body.title ?? '') : (threadTitle ?? '');
}

export function reportView(row: typeof reports.$inferSelect): Report {
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

/**
 * What the review queue shows of a reported direct message: the message alone (its HTML as last
 * reported), its author, the conversation's current participants and the reports on it. Nothing
 * else of the conversation is read here, nor anywhere staff can reach.
 */
import { messageReports, users, type DbOrTx, type ReviewItemRow } from '@lexforum/db';
import type { PostAuthor, Report, ReportedMessage, ReviewItem, ReviewItemDetail } from '@lexforum/shared';
import { desc, eq } from 'drizzle-orm';
import { excerptOfHtml } from '../threads/cook.js';
import type { ConversationViews } from './conversation-views.js';
import * as repo from './conversations.repository.js';

export function messageReportView(row: typeof messageReports.$inferSelect): Report {
  return {
    id: row.id,
    postId: '',
    messageId: row.messageId,
    reason: row.reason,
    note: row.note,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
  };
}

/** Each message item's summary for its queue row (state now, excerpt as reported). */
export function reportedMessageSummaries(
  db: DbOrTx,
  items: readonly ReviewItemRow[],
): Map<number, NonNullable<ReviewItem['message']>> {
  const ids = items.flatMap((i) => (i.kind === 'message' && i.messageId ? [i.messageId] : []));
  const rows = new Map(repo.messagesByIds(db, ids).map((m) => [m.id, m]));
  const out = new Map<number, NonNullable<ReviewItem['message']>>();
  for (const item of items) {
    const message = item.messageId ? rows.get(item.messageId) : undefined;
    if (item.kind !== 'message' || !message) continue;
    out.set(item.id, { id: message.id, state: message.state, excerpt: excerptOfHtml(item.cooked ?? '') });
  }
  return out;
}

/** The reported message, its participants and the reports on it. */
export function reportedMessageDetail(
  db: DbOrTx,
  views: ConversationViews,
  item: ReviewItemRow,
): { message: ReportedMessage; reports: ReviewItemDetail['reports'] } {
  const message = repo.findMessage(db, item.messageId!)!;
  const participants = repo
    .participantsOf(db, [message.conversationId])
    .filter((p) => p.leftAt === null)
    .map((p) => p.userId);
  const people = views.authors(db, [message.authorId, ...participants]);
  const person = (id: string): PostAuthor => people.get(id) ?? { id, displayName: '', badge: null, role: null };
  const reports = db
    .select({ report: messageReports, reporterName: users.displayName })
    .from(messageReports)
    .innerJoin(users, eq(users.id, messageReports.reporterId))
    .where(eq(messageReports.messageId, message.id))
    .orderBy(desc(messageReports.id))
    .all()
    .map(({ report, reporterName }) => ({
      ...messageReportView(report),
      reporter: { id: report.reporterId, displayName: reporterName },
    }));
  return {
    message: {
      id: message.id,
      conversationId: message.conversationId,
      author: person(message.authorId),
      html: item.cooked ?? '',
      state: message.state,
      createdAt: message.createdAt.toISOString(),
      editedAt: message.editedAt?.toISOString() ?? null,
      participants: participants.map(person),
    },
    reports,
  };
}

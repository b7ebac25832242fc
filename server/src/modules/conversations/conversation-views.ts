/**
 * Conversations and messages as one participant sees them: the summary with their own unread
 * count and mute, messages with their body only while visible, the source and the edit deadline
 * only on their own. Built for each reader separately (a push is built per recipient).
 */
import type { ConversationRow, DbOrTx, DirectMessageRow } from '@lexforum/db';
import type { ConversationSummary, DirectMessage, PostAuthor } from '@lexforum/shared';
import { readQuotes, type QuoteSources } from '../threads/quotes.js';
import type { UserViews } from '../users/users.views.js';
import * as repo from './conversations.repository.js';

/** The post sources quoted in these messages (their visible ones), in one query (none without a quote). */
export function quotesOf(db: DbOrTx, rows: readonly { state: string; html: string }[]): QuoteSources {
  return readQuotes(
    db,
    rows.flatMap((r) => (r.state === 'visible' ? [r.html] : [])),
  );
}

export class ConversationViews {
  constructor(
    private readonly userViews: UserViews,
    private readonly editWindowMs: number,
  ) {}

  /** Members as shown beside a message: name, verified badge, staff role. */
  authors(db: DbOrTx, ids: readonly string[]): Map<string, PostAuthor> {
    const rows = repo.usersByIds(db, ids);
    const badges = this.userViews.badges(rows);
    return new Map(
      rows.map((row) => [
        row.id,
        {
          id: row.id,
          displayName: row.displayName,
          badge: badges.get(row.id) ?? null,
          role: row.role === 'moderator' || row.role === 'admin' ? row.role : null,
        },
      ]),
    );
  }

  /**
   * `quotes`: the sources quoted in the message, read now (`readQuotes`). A quote of a post out of
   * view now is withheld as in posts, for every participant alike (the quote's own author and
   * moderators included: a conversation is no place where their wider reading shows).
   */
  message(
    readerId: string,
    row: DirectMessageRow,
    authors: ReadonlyMap<string, PostAuthor>,
    now: Date,
    quotes: QuoteSources,
  ): DirectMessage {
    const visible = row.state === 'visible';
    const own = row.authorId === readerId;
    const deadline = row.createdAt.getTime() + this.editWindowMs;
    return {
      id: row.id,
      conversationId: row.conversationId,
      author: authors.get(row.authorId) ?? { id: row.authorId, displayName: '', badge: null, role: null },
      html: visible ? quotes.render(null, row.html) : '',
      ...(own && visible ? { markdown: row.markdown } : {}),
      state: row.state,
      createdAt: row.createdAt.toISOString(),
      editedAt: row.editedAt?.toISOString() ?? null,
      editableUntil: own && visible && now.getTime() < deadline ? new Date(deadline).toISOString() : null,
    };
  }

  messages(db: DbOrTx, readerId: string, rows: readonly DirectMessageRow[], now: Date): DirectMessage[] {
    const authors = this.authors(
      db,
      rows.map((r) => r.authorId),
    );
    const quotes = quotesOf(db, rows);
    return rows.map((r) => this.message(readerId, r, authors, now, quotes));
  }

  /** Summaries of these conversations for `readerId` (a participant of each). */
  summaries(db: DbOrTx, readerId: string, rows: readonly ConversationRow[]): ConversationSummary[] {
    if (rows.length === 0) return [];
    const participants = repo.participantsOf(
      db,
      rows.map((r) => r.id),
    );
    const authors = this.authors(
      db,
      participants.map((p) => p.userId),
    );
    const last = repo.lastMessages(db, rows);
    const current = participants.filter((p) => p.leftAt === null).map((p) => p.userId);
    const blocks = repo.blocksAmong(db, current);
    return rows.map((c) => {
      const mine = participants.filter((p) => p.conversationId === c.id);
      const reader = mine.find((p) => p.userId === readerId);
      const present = mine.filter((p) => p.leftAt === null);
      const left = mine.filter((p) => p.leftAt !== null).sort((a, b) => a.leftAt!.getTime() - b.leftAt!.getTime());
      const others = present.filter((p) => p.userId !== readerId);
      const message = last.get(c.id);
      const person = (id: string) => authors.get(id) ?? { id, displayName: '', badge: null, role: null };
      return {
        id: c.id,
        participants: present.map((p) => person(p.userId)),
        leftParticipants: left.map((p) => person(p.userId)),
        lastMessage: message
          ? {
              id: message.id,
              authorId: message.authorId,
              excerpt: message.state === 'visible' ? message.excerpt : '',
              createdAt: message.createdAt.toISOString(),
              state: message.state,
            }
          : null,
        unreadCount: reader ? repo.unreadIn(db, c.id, readerId, reader.lastReadSeq) : 0,
        muted: reader?.muted ?? false,
        updatedAt: c.lastMessageAt.toISOString(),
        canReply: others.length > 0 && !others.some((p) => blocks.has(`${readerId} ${p.userId}`)),
      };
    });
  }

  summary(db: DbOrTx, readerId: string, row: ConversationRow): ConversationSummary {
    return this.summaries(db, readerId, [row])[0]!;
  }
}

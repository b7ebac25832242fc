/**
 * Which stored conversation events a member may still receive (on replay and on every live push):
 * only those of conversations they are still in, and no copy of a message's text (the message, a
 * summary's last message) that the message no longer says: deleted, hidden or edited since. A
 * replay rebuilds its events as things are now first (conversation-replay.ts), so there this
 * only catches what changed in between; a deleted or hidden message's own
 * `conversation.message_updated` says what became of it. The notice of their own leaving (a
 * summary without them and without a last message) still reaches their tabs.
 */
import { sqliteOf, type DbOrTx } from '@lexforum/db';
import type { UserEvent } from '@lexforum/shared';
import { prepared } from '../../lib/prepared.js';
import { quotesOf } from './conversation-views.js';

function conversationOf(event: UserEvent): string | null {
  switch (event.type) {
    case 'conversation.message':
    case 'conversation.updated':
      return event.conversation.id;
    case 'conversation.message_updated':
    case 'conversation.read':
      return event.conversationId;
    default:
      return null;
  }
}

export function withheldConversationEvents(
  db: DbOrTx,
  userId: string,
  events: readonly { seq: number; event: UserEvent }[],
): Set<number> {
  const concerned = events.flatMap((e) => {
    const conversationId = conversationOf(e.event);
    return conversationId ? [{ ...e, conversationId }] : [];
  });
  if (concerned.length === 0) return new Set();
  const sqlite = sqliteOf(db);
  const current = new Set(
    prepared(sqlite, 'conversations.currentOf', () =>
      sqlite
        .prepare<[string, string], string>(
          `select conversation_id from conversation_participants
           where user_id = ? and left_at is null and conversation_id in (select value from json_each(?))`,
        )
        .pluck(),
    ).all(userId, JSON.stringify([...new Set(concerned.map((e) => e.conversationId))])),
  );
  // Every copy of a message's text these events carry: the message, a summary's last message.
  const copied = new Set<string>();
  for (const { event } of concerned) {
    if (
      (event.type === 'conversation.message' || event.type === 'conversation.message_updated') &&
      event.message.html
    ) {
      copied.add(event.message.id);
    }
    if (
      (event.type === 'conversation.message' || event.type === 'conversation.updated') &&
      event.conversation.lastMessage?.excerpt
    ) {
      copied.add(event.conversation.lastMessage.id);
    }
  }
  const now = new Map(
    copied.size === 0
      ? []
      : prepared(sqlite, 'conversations.messagesNow', () =>
          sqlite.prepare<[string], { id: string; state: string; html: string; excerpt: string }>(
            `select id, state, html, excerpt from direct_messages where id in (select value from json_each(?))`,
          ),
        )
          .all(JSON.stringify([...copied]))
          .map((m) => [m.id, m]),
  );
  // Text is compared as it is served now (with quotes of posts out of view withheld).
  const quotes = quotesOf(db, [...now.values()]);
  const withheld = new Set<number>();
  for (const e of concerned) {
    const { event } = e;
    const ownLeaving =
      event.type === 'conversation.updated' &&
      event.conversation.lastMessage === null &&
      !event.conversation.participants.some((p) => p.id === userId);
    if (!current.has(e.conversationId) && !ownLeaving) {
      withheld.add(e.seq);
      continue;
    }
    // A copy of text the message no longer says (deleted, hidden or edited since) goes nowhere.
    if (
      (event.type === 'conversation.message' || event.type === 'conversation.message_updated') &&
      event.message.state === 'visible'
    ) {
      const row = now.get(event.message.id);
      if (!row || row.state !== 'visible' || quotes.render(null, row.html) !== event.message.html) withheld.add(e.seq);
    }
    if (
      (event.type === 'conversation.message' || event.type === 'conversation.updated') &&
      event.conversation.lastMessage?.excerpt
    ) {
      const row = now.get(event.conversation.lastMessage.id);
      if (!row || row.state !== 'visible' || row.excerpt !== event.conversation.lastMessage.excerpt)
        withheld.add(e.seq);
    }
  }
  return withheld;
}

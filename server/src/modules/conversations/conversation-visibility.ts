/**
 * Which stored conversation events a member may still receive (on replay and on every live push):
 * only those of conversations they are still in, and a message's text only while the message is
 * still visible (one edited since shows its newer wording through its own later event; one
 * deleted or hidden since is withheld, its `conversation.message_updated` says so). The notice of
 * their own leaving (a summary without them and without a last message) still reaches their tabs.
 */
import { sqliteOf, type DbOrTx } from '@lexforum/db';
import type { UserEvent } from '@lexforum/shared';
import { prepared } from '../../lib/prepared.js';

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
  const shownMessages = concerned.flatMap((e) =>
    (e.event.type === 'conversation.message' || e.event.type === 'conversation.message_updated') &&
    e.event.message.state === 'visible'
      ? [e.event.message.id]
      : [],
  );
  const visible = new Set(
    shownMessages.length === 0
      ? []
      : prepared(sqlite, 'conversations.visibleMessages', () =>
          sqlite
            .prepare<[string], string>(
              `select id from direct_messages where state = 'visible' and id in (select value from json_each(?))`,
            )
            .pluck(),
        ).all(JSON.stringify([...new Set(shownMessages)])),
  );
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
    if (
      (event.type === 'conversation.message' || event.type === 'conversation.message_updated') &&
      event.message.state === 'visible' &&
      !visible.has(event.message.id)
    ) {
      withheld.add(e.seq);
    }
  }
  return withheld;
}

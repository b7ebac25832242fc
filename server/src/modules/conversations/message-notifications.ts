/**
 * The bell's side of direct messages: one `direct_message` notification per conversation while it
 * is unread (a new message updates it: its message, excerpt, sender and time), never to a member
 * who turned the kind off; reading the conversation reads it. Whether it shows is the visibility
 * rule's (notification-visibility.ts: the message still visible, its reader still in it).
 */
import { directMessages, notifications, type ConversationRow, type DbOrTx, type DirectMessageRow } from '@lexforum/db';
import type { UserEvent } from '@lexforum/shared';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { channelsOf, deliverNotifications, namesOf } from '../notifications/notifier.js';
import { toNotification, unreadCount as notificationUnreadCount } from '../notifications/notifications.repository.js';
import type { Outbox } from '../realtime/outbox.js';
import { appendUserEvents } from '../realtime/user-events.repository.js';

function queue(tx: DbOrTx, outbox: Outbox, events: { userId: string; event: UserEvent }[], now: Date): void {
  outbox.addUserEvents(appendUserEvents(tx, events, now));
}

/**
 * One direct_message notification per conversation while it is unread: a new message updates
 * the unread one (its message, excerpt, sender and time) instead of piling another on.
 */
export function notifyNewMessage(
  tx: DbOrTx,
  outbox: Outbox,
  conversation: ConversationRow,
  message: DirectMessageRow,
  recipients: readonly string[],
  now: Date,
): void {
  if (recipients.length === 0) return;
  const channelOf = channelsOf(tx, recipients);
  const link = `/messages/${conversation.id}`;
  const fresh: string[] = [];
  const updated: number[] = [];
  for (const userId of recipients) {
    if (channelOf(userId, 'direct_message') === 'off') continue;
    const open = tx
      .select({ id: notifications.id })
      .from(notifications)
      .innerJoin(directMessages, eq(directMessages.id, notifications.messageId))
      .where(
        and(
          eq(notifications.userId, userId),
          eq(notifications.kind, 'direct_message'),
          isNull(notifications.readAt),
          eq(directMessages.conversationId, conversation.id),
        ),
      )
      .get();
    if (!open) {
      fresh.push(userId);
      continue;
    }
    tx.update(notifications)
      .set({ messageId: message.id, body: message.excerpt, actorId: message.authorId, createdAt: now })
      .where(eq(notifications.id, open.id))
      .run();
    updated.push(open.id);
  }
  deliverNotifications(
    tx,
    outbox,
    fresh.map((userId) => ({
      userId,
      candidates: [{ kind: 'direct_message' }],
      body: message.excerpt,
      link,
      actorId: message.authorId,
      messageId: message.id,
    })),
    now,
  );
  if (updated.length > 0) {
    const rows = tx.select().from(notifications).where(inArray(notifications.id, updated)).all();
    const names = namesOf(tx, [message.authorId]);
    queue(
      tx,
      outbox,
      rows.map((row) => ({
        userId: row.userId,
        event: { type: 'notification.updated', notification: toNotification(row, names) },
      })),
      now,
    );
  }
}

/** Reading a conversation reads its notification too. */
export function readConversationNotifications(
  tx: DbOrTx,
  outbox: Outbox,
  userId: string,
  conversationId: string,
  now: Date,
): void {
  const read = tx
    .update(notifications)
    .set({ readAt: now })
    .where(
      and(
        eq(notifications.userId, userId),
        eq(notifications.kind, 'direct_message'),
        isNull(notifications.readAt),
        sql`${notifications.messageId} in (select id from direct_messages where conversation_id = ${conversationId})`,
      ),
    )
    .returning({ id: notifications.id })
    .all();
  if (read.length === 0) return;
  queue(
    tx,
    outbox,
    [
      {
        userId,
        event: {
          type: 'notification.read',
          ids: read.map((r) => r.id),
          unreadCount: notificationUnreadCount(tx, userId),
        },
      },
    ],
    now,
  );
}

/**
 * Stored direct-message events told as things are now, for a replay. A stored event keeps copies
 * of what a message said when it was sent: the message itself (`conversation.message`,
 * `conversation.message_updated`), a summary's last message (`conversation.message`,
 * `conversation.updated`: a leave, a mute) and the bell's excerpt (a `direct_message`
 * notification, re-pointed to each newer message of its conversation). A replay rebuilds these
 * copies from the rows now: a message edited since reads as it does now, one deleted or hidden
 * since has no text (and a quote of a post out of view now is withheld, as on reading), and a
 * notification reads as its row does. One query for the messages and
 * one for the notifications, whatever the replay's length. Whether each event may reach its
 * reader at all is decided after, on every path (conversation-visibility.ts).
 */
import { directMessages, notifications, type DbOrTx, type DirectMessageRow, type NotificationRow } from '@lexforum/db';
import type { ConversationSummary, DirectMessage, Notification } from '@lexforum/shared';
import { and, eq, inArray } from 'drizzle-orm';
import { namesOf } from '../notifications/notifier.js';
import { toNotification } from '../notifications/notifications.repository.js';
import type { StoredUserEvent } from '../realtime/user-events.repository.js';
import type { QuoteSources } from '../threads/quotes.js';
import { quotesOf } from './conversation-views.js';

type MessageNow = Pick<DirectMessageRow, 'id' | 'state' | 'html' | 'markdown' | 'excerpt' | 'editedAt'>;

function messageNow(stored: DirectMessage, row: MessageNow | undefined, quotes: QuoteSources): DirectMessage {
  if (!row) return stored;
  const { markdown, ...rest } = stored;
  if (row.state !== 'visible') return { ...rest, html: '', state: row.state, editableUntil: null };
  return {
    ...rest,
    html: quotes.render(null, row.html),
    state: row.state,
    editedAt: row.editedAt?.toISOString() ?? null,
    // The source only where it was (its author's copy).
    ...(markdown !== undefined ? { markdown: row.markdown } : {}),
  };
}

function summaryNow(stored: ConversationSummary, rows: ReadonlyMap<string, MessageNow>): ConversationSummary {
  const last = stored.lastMessage;
  const row = last ? rows.get(last.id) : undefined;
  if (!last || !row) return stored;
  return {
    ...stored,
    lastMessage: { ...last, state: row.state, excerpt: row.state === 'visible' ? row.excerpt : '' },
  };
}

function isDirectMessageNotice(e: StoredUserEvent): boolean {
  return (
    (e.event.type === 'notification.created' || e.event.type === 'notification.updated') &&
    e.event.notification.kind === 'direct_message'
  );
}

export function conversationEventsNow(db: DbOrTx, events: readonly StoredUserEvent[]): StoredUserEvent[] {
  const messageIds = new Set<string>();
  const noticeIds = new Set<number>();
  for (const { event } of events) {
    if (event.type === 'conversation.message' || event.type === 'conversation.message_updated') {
      messageIds.add(event.message.id);
    }
    if (event.type === 'conversation.message' || event.type === 'conversation.updated') {
      if (event.conversation.lastMessage) messageIds.add(event.conversation.lastMessage.id);
    }
  }
  for (const e of events) {
    if (isDirectMessageNotice(e)) noticeIds.add((e.event as { notification: Notification }).notification.id);
  }
  if (messageIds.size === 0 && noticeIds.size === 0) return [...events];

  const messages = new Map<string, MessageNow>(
    messageIds.size === 0
      ? []
      : db
          .select({
            id: directMessages.id,
            state: directMessages.state,
            html: directMessages.html,
            markdown: directMessages.markdown,
            excerpt: directMessages.excerpt,
            editedAt: directMessages.editedAt,
          })
          .from(directMessages)
          .where(inArray(directMessages.id, [...messageIds]))
          .all()
          .map((m) => [m.id, m]),
  );
  const quotes = quotesOf(db, [...messages.values()]);
  const noticeRows: NotificationRow[] =
    noticeIds.size === 0
      ? []
      : db
          .select()
          .from(notifications)
          .where(and(inArray(notifications.id, [...noticeIds]), eq(notifications.kind, 'direct_message')))
          .all();
  const notices = new Map(noticeRows.map((n) => [n.id, n]));
  const names = namesOf(db, [...new Set(noticeRows.flatMap((n) => (n.actorId ? [n.actorId] : [])))]);

  return events.map((e): StoredUserEvent => {
    const { event } = e;
    // Rebuilt events go out as rebuilt (a stored frame would say what the copy said).
    const { frame: _frame, ...rest } = e;
    switch (event.type) {
      case 'conversation.message':
        return {
          ...rest,
          event: {
            ...event,
            conversation: summaryNow(event.conversation, messages),
            message: messageNow(event.message, messages.get(event.message.id), quotes),
          },
        };
      case 'conversation.message_updated':
        return {
          ...rest,
          event: { ...event, message: messageNow(event.message, messages.get(event.message.id), quotes) },
        };
      case 'conversation.updated':
        return { ...rest, event: { ...event, conversation: summaryNow(event.conversation, messages) } };
      case 'notification.created':
      case 'notification.updated': {
        const row = isDirectMessageNotice(e) ? notices.get(event.notification.id) : undefined;
        if (!row) return e;
        // As the row reads now, read or not as it was when sent (a later `notification.read` says).
        const now = toNotification({ ...row, readAt: null }, names);
        return { ...rest, event: { ...event, notification: { ...now, readAt: event.notification.readAt } } };
      }
      default:
        return e;
    }
  });
}

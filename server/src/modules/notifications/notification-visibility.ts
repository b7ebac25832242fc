/**
 * Which stored notifications a member may see now. A notification keeps a copy of what it is
 * about (a thread title, an excerpt of a post), written when it was created; whether it is shown
 * is decided when it is read: nothing about a post or thread that moderation took out of view (or
 * that is gone), except to that post's author; nothing about a direct message deleted or hidden
 * since, or in a conversation its reader has left; and to a moderator or administrator without a second
 * factor (who may open nothing but their account until they set one up), only the notice of their
 * new role. The REST list, the unread counts, the pushes and the socket replay all use this one rule.
 */
import { sqliteOf, type DbOrTx } from '@lexforum/db';
import type { UserEvent } from '@lexforum/shared';
import { sql, type SQL } from 'drizzle-orm';
import { prepared } from '../../lib/prepared.js';
import { withheldConversationEvents } from '../conversations/conversation-visibility.js';

/**
 * The rule as SQL over a `notifications` row aliased `n`, for a reader bound as `userId`. Copied
 * into the triggers that keep `users.unread_notifications` (db/migrations/0013_unread_counts.sql, replaced by 0019_direct_messages.sql):
 * a change here is a migration replacing them, or the kept counts drift (the test harness says so).
 */
const VISIBLE = `(n.post_id is null or exists (select 1 from posts p join threads t on t.id = p.thread_id
      where p.id = n.post_id and ((p.state = 'visible' and t.state = 'visible') or p.author_id = n.user_id)))
  and (n.thread_id is null or n.post_id is not null or exists (select 1 from threads t
      where t.id = n.thread_id and (t.state = 'visible' or t.author_id = n.user_id)))
  and (n.message_id is null or exists (select 1 from direct_messages m join conversation_participants cp
      on cp.conversation_id = m.conversation_id and cp.user_id = n.user_id
      where m.id = n.message_id and m.state = 'visible' and cp.left_at is null))
  and (n.kind = 'role_changed' or not exists (select 1 from users r where r.id = n.user_id
      and r.role in ('moderator', 'admin') and r.second_factor = 0))`;

/** A condition for drizzle queries on `notifications` (each row's own `user_id` is its reader). */
export function notificationVisible(): SQL {
  return sql.raw(`exists (select 1 from notifications n where n.id = notifications.id and ${VISIBLE})`);
}

/** The rule for raw queries that alias the table `n`. */
export const VISIBLE_NOTIFICATION_SQL = VISIBLE;

/**
 * Of these stored user events of `userId`, the numbers of those that must not reach them now: a
 * `notification.created` or `notification.updated` whose notification they may no longer see (or,
 * for a direct message's, whose excerpt is not the notification's now), and
 * a conversation event they may no longer see (conversations/conversation-visibility.ts). One
 * query for the whole batch of each.
 */
export function withheldEvents(
  db: DbOrTx,
  userId: string,
  events: readonly { seq: number; event: UserEvent }[],
): Set<number> {
  const conversations = withheldConversationEvents(db, userId, events);
  const bySeq = new Map<number, { id: number; kind: string; body: string | null }>();
  for (const e of events) {
    if (e.event.type === 'notification.created' || e.event.type === 'notification.updated') {
      const { id, kind, body } = e.event.notification;
      bySeq.set(e.seq, { id, kind, body });
    }
  }
  if (bySeq.size === 0) return conversations;
  const sqlite = sqliteOf(db);
  const statement = prepared(sqlite, 'notifications.visibleNow', () =>
    sqlite.prepare<[string, string], { id: number; body: string | null }>(
      `select n.id, n.body from notifications n
       where n.user_id = ? and n.id in (select value from json_each(?)) and ${VISIBLE}`,
    ),
  );
  const visible = new Map(
    statement.all(userId, JSON.stringify([...new Set([...bySeq.values()].map((n) => n.id))])).map((r) => [r.id, r]),
  );
  const withheld = conversations;
  for (const [seq, stored] of bySeq) {
    const now = visible.get(stored.id);
    // A direct message's notification follows the newest message of its conversation: a copy
    // with another excerpt than the row's is about a message it no longer names (deleted since).
    if (!now || (stored.kind === 'direct_message' && now.body !== stored.body)) withheld.add(seq);
  }
  return withheld;
}

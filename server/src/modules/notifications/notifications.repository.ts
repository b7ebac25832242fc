import {
  notificationPreferences,
  notifications,
  posts,
  sqliteOf,
  type DbOrTx,
  type NotificationRow,
} from '@lexforum/db';
import {
  DEFAULT_EMAIL_CHOICES,
  DEFAULT_NOTIFICATION_CHANNELS,
  type Notification,
  type NotificationKind,
  type NotificationParams,
  type NotificationPreference,
  type NotificationPreferenceChange,
} from '@lexforum/shared';
import { and, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { prepared } from '../../lib/prepared.js';
import type { Outbox } from '../realtime/outbox.js';
import { notificationVisible } from './notification-visibility.js';
import { deliverNotifications, namesOf, queueUserEvent } from './notifier.js';

export interface NewNotification {
  kind: NotificationKind;
  params?: NotificationParams;
  subject?: string | null;
  body?: string | null;
  link?: string | null;
  actorId?: string | null;
}

/**
 * Notifies each user once, in the transaction of the action that caused it (the pushes follow the
 * commit through `outbox`).
 */
export function notifyUsers(
  tx: DbOrTx,
  outbox: Outbox,
  userIds: readonly string[],
  n: NewNotification,
  now: Date,
): void {
  deliverNotifications(
    tx,
    outbox,
    userIds.map((userId) => ({
      userId,
      candidates: [{ kind: n.kind, params: n.params ?? {} }],
      subject: n.subject ?? null,
      body: n.body,
      link: n.link,
      actorId: n.actorId,
    })),
    now,
  );
}

export function toNotification(row: NotificationRow, actorNames: ReadonlyMap<string, string>): Notification {
  const actorName = row.actorId ? actorNames.get(row.actorId) : undefined;
  return {
    id: row.id,
    kind: row.kind,
    subject: row.subject,
    // Written by deliverNotifications from typed params; legacy rows have none.
    params: (row.params ?? {}) as NotificationParams,
    legacyTitle: row.title,
    body: row.body,
    link: row.link,
    actor: row.actorId && actorName !== undefined ? { id: row.actorId, displayName: actorName } : null,
    threadId: row.threadId,
    readAt: row.readAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The member's unread count, as the count triggers keep it (see `unreadCounts`). */
export function unreadCount(db: DbOrTx, userId: string): number {
  const sqlite = sqliteOf(db);
  return (
    prepared(sqlite, 'notifications.unreadCount', () =>
      sqlite.prepare<[string], number>('select unread_notifications from users where id = ?').pluck(),
    ).get(userId) ?? 0
  );
}

const PAGE_SIZE = 30;

export function listNotifications(
  db: DbOrTx,
  userId: string,
  options: { before?: number; unread?: boolean },
): { notifications: Notification[]; nextCursor: number | null } {
  const rows = db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, userId),
        options.before ? lt(notifications.id, options.before) : undefined,
        options.unread ? isNull(notifications.readAt) : undefined,
        // Nothing about a post or thread moderation took out of view, except to its author.
        notificationVisible(),
      ),
    )
    .orderBy(desc(notifications.id))
    .limit(PAGE_SIZE + 1)
    .all();
  const page = rows.slice(0, PAGE_SIZE);
  const actors = namesOf(db, [...new Set(page.flatMap((r) => (r.actorId ? [r.actorId] : [])))]);
  return {
    notifications: page.map((r) => toNotification(r, actors)),
    nextCursor: rows.length > PAGE_SIZE ? (page.at(-1)?.id ?? null) : null,
  };
}

/**
 * Marks one of the user's own notifications read and tells all their tabs; false when it is not
 * theirs or does not exist.
 */
export function markRead(tx: DbOrTx, outbox: Outbox, userId: string, id: number, now: Date): boolean {
  const row = tx
    .select({ readAt: notifications.readAt })
    .from(notifications)
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
    .get();
  if (!row) return false;
  if (!row.readAt) {
    tx.update(notifications).set({ readAt: now }).where(eq(notifications.id, id)).run();
    queueUserEvent(
      tx,
      outbox,
      userId,
      { type: 'notification.read', ids: [id], unreadCount: unreadCount(tx, userId) },
      now,
    );
  }
  return true;
}

export function markAllRead(tx: DbOrTx, outbox: Outbox, userId: string, now: Date): void {
  const changed = tx
    .update(notifications)
    .set({ readAt: now })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .run().changes;
  if (changed > 0) queueUserEvent(tx, outbox, userId, { type: 'notification.read', ids: null, unreadCount: 0 }, now);
}

/** Reading a thread up to post `number` reads the notifications about its posts up to there. */
export function markThreadNotificationsRead(
  tx: DbOrTx,
  outbox: Outbox,
  userId: string,
  threadId: string,
  number: number,
  now: Date,
): void {
  const ids = tx
    .select({ id: notifications.id })
    .from(notifications)
    .innerJoin(posts, eq(posts.id, notifications.postId))
    .where(
      and(
        eq(notifications.userId, userId),
        eq(notifications.threadId, threadId),
        isNull(notifications.readAt),
        sql`${posts.number} <= ${number}`,
      ),
    )
    .all()
    .map((r) => r.id);
  if (ids.length === 0) return;
  tx.update(notifications).set({ readAt: now }).where(inArray(notifications.id, ids)).run();
  queueUserEvent(tx, outbox, userId, { type: 'notification.read', ids, unreadCount: unreadCount(tx, userId) }, now);
}

export function listPreferences(
  db: DbOrTx,
  userId: string,
  kinds: readonly NotificationKind[],
): NotificationPreference[] {
  const chosen = new Map(
    db
      .select()
      .from(notificationPreferences)
      .where(eq(notificationPreferences.userId, userId))
      .all()
      .map((r) => [r.kind, r]),
  );
  return kinds.map((kind) => {
    const channel = chosen.get(kind)?.channel ?? DEFAULT_NOTIFICATION_CHANNELS[kind];
    // A kind turned off is not notified at all, so there is nothing to email either.
    const email = channel === 'off' ? 'off' : (chosen.get(kind)?.email ?? DEFAULT_EMAIL_CHOICES[kind]);
    return { kind, channel, email };
  });
}

/**
 * Saves each kind's channel, and its email choice when given (else the stored one stays). A kind
 * whose channel is `off` makes no notification, hence no email: its email choice is saved `off`.
 */
export function savePreferences(
  tx: DbOrTx,
  userId: string,
  preferences: readonly NotificationPreferenceChange[],
  now: Date,
): void {
  for (const { kind, channel, email: asked } of preferences) {
    const email = channel === 'off' ? 'off' : asked;
    tx.insert(notificationPreferences)
      .values({ userId, kind, channel, email: email ?? null, updatedAt: now })
      .onConflictDoUpdate({
        target: [notificationPreferences.userId, notificationPreferences.kind],
        set: { channel, ...(email ? { email } : {}), updatedAt: now },
      })
      .run();
  }
}

/**
 * Moderation took a post (or a whole thread) out of view: the notifications others had about it
 * are marked read, and their tabs told, so no count points at something they cannot open.
 */
export function readNotificationsAbout(
  tx: DbOrTx,
  outbox: Outbox,
  about: { postId: string } | { threadId: string },
  exceptUserId: string,
  now: Date,
): void {
  const rows = tx
    .select({ id: notifications.id, userId: notifications.userId })
    .from(notifications)
    .where(
      and(
        'postId' in about ? eq(notifications.postId, about.postId) : eq(notifications.threadId, about.threadId),
        sql`${notifications.userId} != ${exceptUserId}`,
        isNull(notifications.readAt),
      ),
    )
    .all();
  if (rows.length === 0) return;
  tx.update(notifications)
    .set({ readAt: now })
    .where(
      inArray(
        notifications.id,
        rows.map((r) => r.id),
      ),
    )
    .run();
  const byUser = new Map<string, number[]>();
  for (const r of rows) byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), r.id]);
  for (const [userId, ids] of byUser) {
    queueUserEvent(tx, outbox, userId, { type: 'notification.read', ids, unreadCount: unreadCount(tx, userId) }, now);
  }
}

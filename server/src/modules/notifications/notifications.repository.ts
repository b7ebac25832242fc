import { notifications, type DbOrTx } from '@lexforum/db';
import type { Notification, NotificationKind } from '@lexforum/shared';
import { and, count, desc, eq, isNull, lt } from 'drizzle-orm';

export interface NewNotification {
  kind: NotificationKind;
  title: string;
  body?: string | null;
  link?: string | null;
}

/** Stores one notification per recipient; call it in the transaction of the action that caused it. */
export function notifyUsers(tx: DbOrTx, userIds: readonly string[], n: NewNotification, now: Date): void {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return;
  tx.insert(notifications)
    .values(
      unique.map((userId) => ({
        userId,
        kind: n.kind,
        title: n.title,
        body: n.body ?? null,
        link: n.link ?? null,
        createdAt: now,
      })),
    )
    .run();
}

export function unreadCount(db: DbOrTx, userId: string): number {
  return (
    db
      .select({ n: count() })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
      .get()?.n ?? 0
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
      ),
    )
    .orderBy(desc(notifications.id))
    .limit(PAGE_SIZE + 1)
    .all();
  const page = rows.slice(0, PAGE_SIZE);
  return {
    notifications: page.map((r) => ({
      id: r.id,
      kind: r.kind,
      title: r.title,
      body: r.body,
      link: r.link,
      readAt: r.readAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
    })),
    nextCursor: rows.length > PAGE_SIZE ? (page.at(-1)?.id ?? null) : null,
  };
}

/** Marks one of the user's own notifications read; false when it is not theirs or does not exist. */
export function markRead(db: DbOrTx, userId: string, id: number, now: Date): boolean {
  const row = db
    .select({ readAt: notifications.readAt })
    .from(notifications)
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
    .get();
  if (!row) return false;
  if (!row.readAt) {
    db.update(notifications).set({ readAt: now }).where(eq(notifications.id, id)).run();
  }
  return true;
}

export function markAllRead(db: DbOrTx, userId: string, now: Date): void {
  db.update(notifications)
    .set({ readAt: now })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .run();
}

/**
 * Turns "these people should hear about this" into stored notifications and their pushes, in the
 * transaction of the write that caused them. Each member's per-kind preference is applied here:
 * `off` stores and pushes nothing; `desktop` marks the push for a desktop notification. When one
 * write concerns a member for several reasons they get one notification, of the first kind in
 * the candidate list they have not turned off.
 *
 * Who may hear about what is the caller's business (it passes only recipients who can see the
 * thing); this module still drops accounts that are suspended or gone.
 */
import { sqliteOf, type DbOrTx, type NotificationRow } from '@lexforum/db';
import {
  DEFAULT_NOTIFICATION_CHANNELS,
  type NotificationChannel,
  type NotificationKind,
  type NotificationParams,
  type UserEvent,
} from '@lexforum/shared';
import { prepared } from '../../lib/prepared.js';
import { scheduleNotificationEmails } from '../mail/email-choices.js';
import type { Outbox } from '../realtime/outbox.js';
import { appendUserEvents } from '../realtime/user-events.repository.js';
import { toNotification } from './notifications.repository.js';

/**
 * A notification is stored as data, never as a sentence: its kind, who caused it (`actorId`), the
 * title of what it is about (`subject`), a verbatim excerpt or note (`body`) and small enumerated
 * facts (`params`); the client words it in the reader's language.
 */
export interface NotificationDraft {
  userId: string;
  /** In order of preference; the first whose channel is not `off` is used, with its params. */
  candidates: readonly NotificationCandidate[];
  /** The title of the thread (or other thing) it is about, as its author wrote it. */
  subject?: string | null;
  body?: string | null;
  link?: string | null;
  actorId?: string | null;
  threadId?: string | null;
  postId?: string | null;
  /** direct_message: the message it is about (the visibility rule follows it). */
  messageId?: string | null;
}

export interface NotificationCandidate {
  kind: NotificationKind;
  params?: NotificationParams;
}

const CHUNK = 400;

/**
 * Runs `query` over `ids` a chunk at a time (each chunk bound as one JSON array, read with
 * `json_each`), so thousands of recipients never pass SQLite's limit on bound values.
 */
export function inChunks<T>(ids: readonly string[], query: (idsJson: string) => T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...query(JSON.stringify(ids.slice(i, i + CHUNK))));
  return out;
}

/** Each recipient's channel for the given kinds (defaults where they chose nothing). */
export function channelsOf(
  tx: DbOrTx,
  userIds: readonly string[],
): (userId: string, kind: NotificationKind) => NotificationChannel {
  const sqlite = sqliteOf(tx);
  const statement = prepared(sqlite, 'notifications.channelsOf', () =>
    sqlite.prepare<[string], { userId: string; kind: NotificationKind; channel: NotificationChannel }>(
      `select user_id as userId, kind, channel from notification_preferences
       where user_id in (select value from json_each(?))`,
    ),
  );
  const rows = inChunks(userIds, (ids) => statement.all(ids));
  const chosen = new Map(rows.map((r) => [`${r.userId} ${r.kind}`, r.channel]));
  return (userId, kind) => chosen.get(`${userId} ${kind}`) ?? DEFAULT_NOTIFICATION_CHANNELS[kind];
}

/**
 * Unread counts of several users in one query: the count triggers keep on each user row
 * (migration 0013), so nothing is recounted however long a member's backlog is.
 */
export function unreadCounts(tx: DbOrTx, userIds: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>(userIds.map((id) => [id, 0]));
  const sqlite = sqliteOf(tx);
  const statement = prepared(sqlite, 'notifications.unreadCounts', () =>
    sqlite.prepare<[string], { id: string; n: number }>(
      'select id, unread_notifications as n from users where id in (select value from json_each(?))',
    ),
  );
  for (const r of inChunks(userIds, (ids) => statement.all(ids))) counts.set(r.id, r.n);
  return counts;
}

/** Stores the notifications (one per recipient at most) and queues their pushes. */
export function deliverNotifications(
  tx: DbOrTx,
  outbox: Outbox,
  drafts: readonly NotificationDraft[],
  now: Date,
): void {
  const seen = new Set<string>();
  const unique = drafts.filter((d) => !seen.has(d.userId) && seen.add(d.userId));
  if (unique.length === 0) return;
  const active = activeUsers(
    tx,
    unique.map((d) => d.userId),
  );
  const channelOf = channelsOf(tx, [...active]);
  const chosen: {
    draft: NotificationDraft;
    kind: NotificationKind;
    params: NotificationParams;
    desktop: boolean;
  }[] = [];
  for (const draft of unique) {
    if (!active.has(draft.userId)) continue;
    for (const candidate of draft.candidates) {
      const channel = channelOf(draft.userId, candidate.kind);
      if (channel === 'off') continue;
      chosen.push({ draft, kind: candidate.kind, params: candidate.params ?? {}, desktop: channel === 'desktop' });
      break;
    }
  }
  if (chosen.length === 0) return;

  // Prepared once per connection and run row by row (see appendUserEvents).
  const sqlite = sqliteOf(tx);
  const insert = prepared(sqlite, 'notifications.insert', () =>
    sqlite.prepare<unknown[], { id: number }>(
      `insert into notifications (user_id, kind, subject, params, body, link, actor_id, thread_id, post_id, message_id, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
    ),
  );
  const inserted: NotificationRow[] = chosen.map(({ draft, kind, params }) => {
    const row = {
      userId: draft.userId,
      kind,
      title: null,
      subject: draft.subject ?? null,
      params,
      body: draft.body ?? null,
      link: draft.link ?? null,
      actorId: draft.actorId ?? null,
      threadId: draft.threadId ?? null,
      postId: draft.postId ?? null,
      messageId: draft.messageId ?? null,
      readAt: null,
      createdAt: now,
    };
    const { id } = insert.get(
      row.userId,
      row.kind,
      row.subject,
      JSON.stringify(row.params),
      row.body,
      row.link,
      row.actorId,
      row.threadId,
      row.postId,
      row.messageId,
      now.getTime(),
    )!;
    return { id, ...row };
  });
  scheduleNotificationEmails(tx, inserted, now);
  const actorNames = namesOf(tx, [...new Set(inserted.flatMap((n) => (n.actorId ? [n.actorId] : [])))]);
  const counts = unreadCounts(
    tx,
    inserted.map((n) => n.userId),
  );
  const desktop = new Map(chosen.map((c) => [c.draft.userId, c.desktop]));
  const events: { userId: string; event: UserEvent }[] = inserted.map((row) => ({
    userId: row.userId,
    event: {
      type: 'notification.created',
      notification: toNotification(row, actorNames),
      unreadCount: counts.get(row.userId) ?? 0,
      desktop: desktop.get(row.userId) ?? false,
    },
  }));
  outbox.addUserEvents(appendUserEvents(tx, events, now));
}

/** Queues a user event that is not a notification (a read, an account change). */
export function queueUserEvent(tx: DbOrTx, outbox: Outbox, userId: string, event: UserEvent, now: Date): void {
  outbox.addUserEvents(appendUserEvents(tx, [{ userId, event }], now));
}

/**
 * Of these users, the active ones; with `forumOnly`, only those who can read threads
 * (Guardian.canReadThread: vetted and active, and staff with their second factor).
 */
export function activeUsers(tx: DbOrTx, ids: readonly string[], options: { forumOnly?: boolean } = {}): Set<string> {
  // Staff without a second factor read nothing of the forum until they set one up (Guardian).
  const sqlite = sqliteOf(tx);
  const statement = options.forumOnly
    ? prepared(sqlite, 'notifications.activeForumUsers', () =>
        sqlite.prepare<[string], { id: string }>(
          `select id from users where status = 'active'
           and role != 'applicant' and (second_factor = 1 or role not in ('moderator', 'admin'))
           and id in (select value from json_each(?))`,
        ),
      )
    : prepared(sqlite, 'notifications.activeUsers', () =>
        sqlite.prepare<[string], { id: string }>(
          `select id from users where status = 'active' and id in (select value from json_each(?))`,
        ),
      );
  const rows = inChunks(ids, (chunk) => statement.all(chunk));
  return new Set(rows.map((r) => r.id));
}

export function namesOf(tx: DbOrTx, ids: readonly string[]): Map<string, string> {
  if (ids.length === 0) return new Map();
  const sqlite = sqliteOf(tx);
  const rows = prepared(sqlite, 'notifications.namesOf', () =>
    sqlite.prepare<[string], { id: string; name: string }>(
      'select id, display_name as name from users where id in (select value from json_each(?))',
    ),
  ).all(JSON.stringify(ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

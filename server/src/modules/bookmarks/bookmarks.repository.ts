/** Stored bookmarks (`bookmarks`), with what a list shows of each post and its thread. */
import { sqliteOf, type DbOrTx } from '@lexforum/db';
import type { ThreadKind } from '@lexforum/shared';
import { prepared } from '../../lib/prepared.js';
import type { TimeCursor } from '../../lib/time-cursor.js';

export interface BookmarkRow {
  userId: string;
  postId: string;
  note: string | null;
  remindAt: number | null;
  remindedAt: number | null;
  createdAt: number;
  threadId: string;
  threadTitle: string;
  threadKind: ThreadKind;
  language: string;
  threadState: 'visible' | 'hidden' | 'deleted';
  threadAuthorId: string;
  jurisdictions: string;
  lockedAt: number | null;
  number: number;
  postState: 'visible' | 'hidden' | 'deleted';
  authorId: string;
  authorName: string;
  cooked: string;
}

const SELECT = `select b.user_id as userId, b.post_id as postId, b.note, b.remind_at as remindAt,
    b.reminded_at as remindedAt, b.created_at as createdAt, t.id as threadId, t.title as threadTitle,
    t.kind as threadKind, t.language, t.state as threadState, t.author_id as threadAuthorId, t.jurisdictions,
    t.locked_at as lockedAt, p.number, p.state as postState, p.author_id as authorId, u.display_name as authorName,
    p.cooked
  from bookmarks b join posts p on p.id = b.post_id join threads t on t.id = p.thread_id
    join users u on u.id = p.author_id`;

export function saveBookmark(
  db: DbOrTx,
  b: { userId: string; postId: string; note: string | null; remindAt: Date | null; now: Date },
): void {
  const sqlite = sqliteOf(db);
  // A new or changed reminder date waits to be sent again; the same date keeps what was sent.
  prepared(sqlite, 'bookmarks.save', () =>
    sqlite.prepare(
      `insert into bookmarks (user_id, post_id, note, remind_at, reminded_at, created_at, updated_at)
       values (@userId, @postId, @note, @remindAt, null, @now, @now)
       on conflict (user_id, post_id) do update set note = excluded.note, remind_at = excluded.remind_at,
         reminded_at = case when bookmarks.remind_at is excluded.remind_at then bookmarks.reminded_at else null end,
         updated_at = excluded.updated_at`,
    ),
  ).run({
    userId: b.userId,
    postId: b.postId,
    note: b.note,
    remindAt: b.remindAt?.getTime() ?? null,
    now: b.now.getTime(),
  });
}

export function removeBookmark(db: DbOrTx, userId: string, postId: string): boolean {
  const sqlite = sqliteOf(db);
  return (
    prepared(sqlite, 'bookmarks.remove', () =>
      sqlite.prepare('delete from bookmarks where user_id = ? and post_id = ?'),
    ).run(userId, postId).changes > 0
  );
}

export function findBookmark(db: DbOrTx, userId: string, postId: string): BookmarkRow | undefined {
  const sqlite = sqliteOf(db);
  return prepared(sqlite, 'bookmarks.find', () =>
    sqlite.prepare<[string, string], BookmarkRow>(`${SELECT} where b.user_id = ? and b.post_id = ?`),
  ).get(userId, postId);
}

/** A member's bookmarks, newest first (all, or those in one thread), after `cursor`. */
export function listBookmarks(
  db: DbOrTx,
  userId: string,
  options: { threadId: string | null; cursor: TimeCursor | null; limit: number },
): BookmarkRow[] {
  const sqlite = sqliteOf(db);
  return prepared(sqlite, 'bookmarks.list', () =>
    sqlite.prepare<[Record<string, unknown>], BookmarkRow>(
      `${SELECT} where b.user_id = @userId and (@threadId is null or p.thread_id = @threadId)
         and (@at is null or (b.created_at <= @at and (b.created_at < @at or b.post_id < @postId)))
       order by b.created_at desc, b.post_id desc limit @limit`,
    ),
  ).all({
    userId,
    threadId: options.threadId,
    at: options.cursor?.at ?? null,
    postId: options.cursor?.id ?? null,
    limit: options.limit,
  });
}

/** Reminders due at `now`, the oldest first. */
export function dueReminders(db: DbOrTx, now: Date, limit: number): BookmarkRow[] {
  const sqlite = sqliteOf(db);
  return prepared(sqlite, 'bookmarks.due', () =>
    sqlite.prepare<[number, number], BookmarkRow>(
      `${SELECT} where b.remind_at is not null and b.reminded_at is null and b.remind_at <= ?
       order by b.remind_at limit ?`,
    ),
  ).all(now.getTime(), limit);
}

export function markReminded(db: DbOrTx, userId: string, postId: string, remindAt: number, now: Date): boolean {
  const sqlite = sqliteOf(db);
  // Only the reminder that was due: a date changed meanwhile waits for its own time.
  return (
    prepared(sqlite, 'bookmarks.reminded', () =>
      sqlite.prepare(
        `update bookmarks set reminded_at = ? where user_id = ? and post_id = ? and remind_at = ?
           and reminded_at is null`,
      ),
    ).run(now.getTime(), userId, postId, remindAt).changes > 0
  );
}

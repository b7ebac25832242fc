/**
 * The counter updates and lookups a reply makes, as statements prepared once per connection: a
 * reply is the forum's most frequent write, and building these with the query builder on every
 * write cost more than running them.
 */
import { sqliteOf, type DbOrTx } from '@lexforum/db';
import { prepared } from '../../lib/prepared.js';
import { findOpeningPost, findPost } from './threads.repository.js';

/** The post a reply answers: the given one, or the thread's opening post. */
export function replyParent(db: DbOrTx, threadId: string, parentId: string | null) {
  return parentId === null ? findOpeningPost(db, threadId) : findPost(db, parentId);
}

export function countReplyTo(db: DbOrTx, parentId: string): void {
  const sqlite = sqliteOf(db);
  prepared(sqlite, 'posts.countReply', () =>
    sqlite.prepare('update posts set reply_count = reply_count + 1 where id = ?'),
  ).run(parentId);
}

/** The thread's counters after reply number `number` by `userId`. */
export function countReplyInThread(
  db: DbOrTx,
  threadId: string,
  reply: { number: number; participantCount: number; userId: string; now: Date },
): void {
  const sqlite = sqliteOf(db);
  prepared(sqlite, 'threads.countReply', () =>
    sqlite.prepare(
      `update threads set post_count = ?, participant_count = ?, last_post_at = ?, last_poster_id = ?, updated_at = ?
       where id = ?`,
    ),
  ).run(reply.number, reply.participantCount, reply.now.getTime(), reply.userId, reply.now.getTime(), threadId);
}

/**
 * Test support: helpers the test suite needs and the API does not offer, kept small and named
 * (STYLE.md: tests use what the packages export). Not used by the server itself.
 */
import { sqliteOf, type Db } from '@lexforum/db';
import { randomUUID } from 'node:crypto';
import { createSession } from './modules/auth/session.js';
import { VISIBLE_NOTIFICATION_SQL } from './modules/notifications/notification-visibility.js';

export { nullableForSerialization, serializerCompiler } from './lib/serializer.js';
export { snapshot } from './lib/snapshot.js';

/**
 * `count` vetted, active members who follow thread `threadId`, inserted straight into the
 * database with two prepared statements in one transaction (thousands in a fraction of a second;
 * the API would take minutes). Returns their ids, in insertion order.
 */
export function insertThreadFollowers(db: Db, threadId: string, count: number, now: Date): string[] {
  const sqlite = sqliteOf(db);
  const insertUser = sqlite.prepare(
    `insert into users (id, email, display_name, username, password_hash, role, status, profession, position,
       institution, jurisdiction_code, other_jurisdictions, languages, verified_at, created_at, updated_at)
     values (?, ?, ?, ?, '!', 'member', 'active', 'judge', 'Judge', 'Test Court', 'FR', '[]', '["en"]', ?, ?, ?)`,
  );
  const follow = sqlite.prepare("insert into follows (user_id, target, key, created_at) values (?, 'thread', ?, ?)");
  const t = now.getTime();
  const ids: string[] = [];
  sqlite.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = randomUUID();
      const name = `f${id.slice(0, 8)}${i}`;
      insertUser.run(id, `${name}@followers.example`, `Follower ${i}`, name, t, t, t);
      follow.run(id, threadId, t);
      ids.push(id);
    }
  })();
  return ids;
}

/** A signed-in session for `userId` without the sign-in steps: the session cookie's value. */
export function sessionTokenFor(db: Db, userId: string, now: Date): string {
  return createSession(db, userId, { userAgent: 'test', ip: '127.0.0.1' }, now).token;
}

/**
 * Members whose kept unread count (`users.unread_notifications`, moved by the triggers of migration
 * 0013) differs from a recount by the visibility rule itself. The test harness calls it after every
 * API test: empty, or the triggers and the rule have drifted apart.
 */
export function unreadCountDrift(db: Db): { id: string; kept: number; recounted: number }[] {
  return sqliteOf(db)
    .prepare<[], { id: string; kept: number; recounted: number }>(
      `select id, kept, recounted from (select u.id, u.unread_notifications as kept,
         (select count(*) from notifications n where n.user_id = u.id and n.read_at is null
          and ${VISIBLE_NOTIFICATION_SQL}) as recounted from users u) where kept != recounted`,
    )
    .all();
}

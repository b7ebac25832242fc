/**
 * Test support: helpers the test suite needs and the API does not offer, kept small and named
 * (STYLE.md: tests use what the packages export). Not used by the server itself.
 */
import { sqliteOf, type Db } from '@lexforum/db';
import { randomUUID } from 'node:crypto';
import { createSession } from './modules/auth/session.js';

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

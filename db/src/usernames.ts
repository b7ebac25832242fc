/**
 * Usernames: what `@name` in a post refers to. Given once, from the display name, when an account
 * is made ("Camille Laurent" → `camille.laurent`, then `camille.laurent2` for a namesake), and
 * stable afterwards, so old mentions keep pointing at the same person. The rule for a valid name
 * is restated in shared (`USERNAME_PATTERN`); tests/db checks that the two agree.
 */
import { eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from './client.js';
import { users } from './schema.js';

const MAX_LENGTH = 30;

/** The name a display name suggests, before de-duplication: ASCII, lower-case, dot-separated. */
export function usernameBase(displayName: string): string {
  const base = displayName
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.+|\.+$/g, '')
    .slice(0, MAX_LENGTH - 3)
    .replace(/\.+$/, '');
  return base.length >= 2 ? base : `member${base}`;
}

/** A free username for this display name (call inside the transaction that inserts the user). */
export function uniqueUsername(db: DbOrTx, displayName: string): string {
  const base = usernameBase(displayName);
  const taken = new Set(
    db
      .select({ username: users.username })
      .from(users)
      .where(sql`${users.username} = ${base} or ${users.username} glob ${base + '[0-9]*'}`)
      .all()
      .map((r) => r.username),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Gives every user without a username one, oldest accounts first. Idempotent; `migrate()` runs it. */
export function assignMissingUsernames(db: DbOrTx): number {
  const missing = db
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    .where(isNull(users.username))
    .orderBy(users.createdAt, users.id)
    .all();
  for (const user of missing) {
    db.update(users)
      .set({ username: uniqueUsername(db, user.displayName) })
      .where(eq(users.id, user.id))
      .run();
  }
  return missing.length;
}

import { uniqueUsername, users, type DbOrTx, type NewUserRow, type UserRow } from '@lexforum/db';
import { eq, sql } from 'drizzle-orm';
import { nameSkeleton } from '../../lib/names/skeleton.js';

/** Case-insensitive, served by the unique index on lower(email). */
export function findUserByEmail(db: DbOrTx, email: string): UserRow | undefined {
  return db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email.trim()})`)
    .get();
}

export function findUserById(db: DbOrTx, id: string): UserRow | undefined {
  return db.select().from(users).where(eq(users.id, id)).get();
}

/**
 * Inserts an account; it gets a username from its display name unless one is given, and the
 * confusable skeleton of its name (`users.name_skeleton`, what look-alike checks search).
 */
export function insertUser(db: DbOrTx, row: NewUserRow): UserRow {
  const username = row.username ?? uniqueUsername(db, row.displayName);
  return db
    .insert(users)
    .values({ ...row, username, nameSkeleton: nameSkeleton(row.displayName) })
    .returning()
    .get();
}

/** Updates an account; a new display name brings its new skeleton. */
export function updateUser(db: DbOrTx, id: string, patch: Partial<Omit<NewUserRow, 'id'>>): UserRow {
  const withSkeleton =
    patch.displayName === undefined ? patch : { ...patch, nameSkeleton: nameSkeleton(patch.displayName) };
  const row = db.update(users).set(withSkeleton).where(eq(users.id, id)).returning().get();
  if (!row) throw new Error(`user ${id} vanished during update`);
  return row;
}

export function isUniqueEmailViolation(error: unknown): boolean {
  return (
    error instanceof Error &&
    'code' in error &&
    error.code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    error.message.includes('users')
  );
}

export function findUserByUsername(db: DbOrTx, username: string): UserRow | undefined {
  return db.select().from(users).where(eq(users.username, username)).get();
}

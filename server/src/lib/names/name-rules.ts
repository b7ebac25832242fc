/**
 * The whole rule for a name someone sets (registration, profile, the create-admin CLI): the
 * character and script rules shared with the web, reserved names and role words, and no name that
 * looks like another account's (same confusable skeleton, found through `users.name_skeleton`).
 */
import { usernameBase, users, type Db, type DbOrTx } from '@lexforum/db';
import { checkDisplayName, issue, normalizeDisplayName, type Issue } from '@lexforum/shared';
import { and, desc, eq, isNull, ne, sql } from 'drizzle-orm';
import { AppError } from '../errors.js';
import { checkReservedName } from './reserved.js';
import { nameSkeleton } from './skeleton.js';

export interface AcceptedName {
  /** The name in NFC, as it is stored. */
  displayName: string;
  skeleton: string;
}

/** Why this display name cannot be anyone's (characters, scripts, reserved words), or null. */
export function displayNameShapeProblem(name: string): Issue | null {
  const shape = checkDisplayName(name);
  if (shape) return shape;
  const displayName = normalizeDisplayName(name);
  return checkReservedName(displayName) ?? checkReservedName(usernameBase(displayName));
}

/** Why this display name cannot be used by this account (null for a new account), or null. */
export function displayNameProblem(db: DbOrTx, name: string, selfId: string | null): Issue | null {
  return displayNameShapeProblem(name) ?? nameTakenProblem(db, nameSkeleton(normalizeDisplayName(name)), selfId);
}

/** The message when another account's name has this skeleton: staff names first. */
export function nameTakenProblem(db: DbOrTx, skeleton: string, selfId: string | null): Issue | null {
  const other = db
    .select({ role: users.role })
    .from(users)
    .where(and(eq(users.nameSkeleton, skeleton), selfId ? ne(users.id, selfId) : undefined))
    .orderBy(desc(sql`${users.role} in ('moderator', 'admin')`))
    .limit(1)
    .get();
  if (!other) return null;
  return other.role === 'moderator' || other.role === 'admin'
    ? issue(
        'name_close_to_staff',
        'This name is too close to the name of a moderator or administrator. Choose a name that is clearly your own.',
      )
    : issue(
        'name_close_to_member',
        'This name is too close to an existing member’s name. Add a middle name or an initial to tell you apart.',
      );
}

function refused(problem: Issue): AppError {
  return new AppError(400, 'VALIDATION_FAILED', problem.message, { issues: [{ path: '/displayName', ...problem }] });
}

/** The stored form of a name that passed `displayNameProblem`. */
export function storedName(name: string): AcceptedName {
  const displayName = normalizeDisplayName(name);
  return { displayName, skeleton: nameSkeleton(displayName) };
}

/** Checks a display name for use, or throws VALIDATION_FAILED with the reason on `/displayName`. */
export function acceptDisplayName(db: DbOrTx, name: string, selfId: string | null): AcceptedName {
  const problem = displayNameProblem(db, name, selfId);
  if (problem) throw refused(problem);
  return storedName(name);
}

/**
 * Refuses a name another account's looks like. Called before the slow part of a request and again
 * inside the transaction that writes the name: two registrations racing for look-alike names
 * cannot both pass (better-sqlite3 transactions are serial).
 */
export function assertNameStillFree(tx: DbOrTx, name: AcceptedName, selfId: string | null): void {
  const problem = nameTakenProblem(tx, name.skeleton, selfId);
  if (problem) throw refused(problem);
}

/** Fills `users.name_skeleton` where it is missing (rows from before 0005, seeds), in one transaction. */
export function fillMissingNameSkeletons(db: Db): number {
  return db.transaction((tx) => {
    const missing = tx
      .select({ id: users.id, displayName: users.displayName })
      .from(users)
      .where(isNull(users.nameSkeleton))
      .all();
    for (const row of missing) {
      tx.update(users)
        .set({ nameSkeleton: nameSkeleton(row.displayName) })
        .where(eq(users.id, row.id))
        .run();
    }
    return missing.length;
  });
}

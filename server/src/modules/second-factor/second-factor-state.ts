/**
 * `users.second_factor` says whether an account has a second factor, so the session read (which
 * loads the user row anyway) decides staff enforcement without another query. Every change to a
 * factor calls `refreshSecondFactorFlag` in its own transaction, so the flag never drifts.
 */
import { accessGeneration, users, webauthnCredentials, type DbOrTx } from '@lexforum/db';
import { eq, sql } from 'drizzle-orm';
import { deleteRecoveryCodes } from './recovery-codes.js';

export function refreshSecondFactorFlag(tx: DbOrTx, userId: string): boolean {
  const row = tx
    .select({
      before: users.secondFactor,
      totp: sql<number>`${users.totpKey} is not null`,
      // Written out qualified: drizzle renders `${column}` unqualified inside raw SQL, and an
      // unqualified "id" in the subquery would be the credential's own id.
      passkeys: sql<number>`(select count(*) from ${webauthnCredentials} where ${webauthnCredentials}.${sql.identifier('user_id')} = ${users}.${sql.identifier('id')})`,
    })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  const has = row !== undefined && (row.totp === 1 || row.passkeys > 0);
  tx.update(users).set({ secondFactor: has }).where(eq(users.id, userId)).run();
  // Recovery codes stand in for a factor: with none left, they would open nothing but a gap.
  if (!has) deleteRecoveryCodes(tx, userId);
  // A staff account's access turns on or off with the flag: open sockets are checked again (the
  // access_generation trigger covers role and status only).
  if (row !== undefined && row.before !== has) {
    tx.update(accessGeneration)
      .set({ value: sql`${accessGeneration.value} + 1` })
      .where(eq(accessGeneration.id, 1))
      .run();
  }
  return has;
}

/** Staff (moderators and administrators) must have a second factor before anything else. */
export const needsSecondFactor = (user: { role: string; secondFactor: boolean }): boolean =>
  (user.role === 'moderator' || user.role === 'admin') && !user.secondFactor;

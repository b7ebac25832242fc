/** Queries on `webauthn_credentials`; each takes an optional transaction. */
import { webauthnCredentials, type DbOrTx, type WebauthnCredentialRow } from '@lexforum/db';
import { and, asc, eq, sql } from 'drizzle-orm';

export function listCredentials(db: DbOrTx, userId: string): WebauthnCredentialRow[] {
  return db
    .select()
    .from(webauthnCredentials)
    .where(eq(webauthnCredentials.userId, userId))
    .orderBy(asc(webauthnCredentials.createdAt), asc(webauthnCredentials.id))
    .all();
}

/** One credential of this user; another account's credential is not found. */
export function findCredential(db: DbOrTx, userId: string, id: string): WebauthnCredentialRow | undefined {
  return db
    .select()
    .from(webauthnCredentials)
    .where(and(eq(webauthnCredentials.id, id), eq(webauthnCredentials.userId, userId)))
    .get();
}

export function credentialIdTaken(db: DbOrTx, id: string): boolean {
  return (
    db.select({ id: webauthnCredentials.id }).from(webauthnCredentials).where(eq(webauthnCredentials.id, id)).get() !==
    undefined
  );
}

/** Whether the user already has a passkey named `name` (case-insensitively), other than `exceptId`. */
export function passkeyNameTaken(db: DbOrTx, userId: string, name: string, exceptId?: string): boolean {
  return (
    db
      .select({ id: webauthnCredentials.id })
      .from(webauthnCredentials)
      .where(
        and(
          eq(webauthnCredentials.userId, userId),
          sql`lower(${webauthnCredentials.name}) = lower(${name})`,
          exceptId ? sql`${webauthnCredentials.id} <> ${exceptId}` : undefined,
        ),
      )
      .get() !== undefined
  );
}

export function insertCredential(tx: DbOrTx, row: WebauthnCredentialRow): WebauthnCredentialRow {
  return tx.insert(webauthnCredentials).values(row).returning().get();
}

export function renameCredential(
  tx: DbOrTx,
  userId: string,
  id: string,
  name: string,
): WebauthnCredentialRow | undefined {
  return tx
    .update(webauthnCredentials)
    .set({ name })
    .where(and(eq(webauthnCredentials.id, id), eq(webauthnCredentials.userId, userId)))
    .returning()
    .get();
}

export function deleteCredential(tx: DbOrTx, userId: string, id: string): boolean {
  return (
    tx
      .delete(webauthnCredentials)
      .where(and(eq(webauthnCredentials.id, id), eq(webauthnCredentials.userId, userId)))
      .run().changes > 0
  );
}

/** After a verified assertion: the authenticator's new signature counter and when it was used. */
export function recordCredentialUse(tx: DbOrTx, id: string, counter: number, now: Date): void {
  tx.update(webauthnCredentials).set({ counter, lastUsedAt: now }).where(eq(webauthnCredentials.id, id)).run();
}

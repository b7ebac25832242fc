import { webauthnCredentials, type DbOrTx, type UserRow } from '@lexforum/db';
import type { SecondFactorMethod } from '@lexforum/shared';
import { eq, sql } from 'drizzle-orm';

/** What the second step of this account's sign-in accepts, the usual method first. */
export function secondFactorMethods(db: DbOrTx, user: UserRow): SecondFactorMethod[] {
  const methods: SecondFactorMethod[] = [];
  if (user.totpKey) methods.push('totp');
  const passkeys = db
    .select({ n: sql<number>`count(*)` })
    .from(webauthnCredentials)
    .where(eq(webauthnCredentials.userId, user.id))
    .get();
  if ((passkeys?.n ?? 0) > 0) methods.push('passkey');
  methods.push('recovery_code');
  return methods;
}

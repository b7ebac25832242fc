/** The account page's security summary: address, factors, and how long a confirmation lasts. */
import {
  emailTokens,
  recoveryCodes,
  webauthnCredentials,
  type DbOrTx,
  type SessionRow,
  type UserRow,
} from '@lexforum/db';
import type { AccountSecurity, Passkey } from '@lexforum/shared';
import { and, asc, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { reauthUntil } from '../auth/reauth.js';

export function listPasskeys(db: DbOrTx, userId: string): Passkey[] {
  return db
    .select()
    .from(webauthnCredentials)
    .where(eq(webauthnCredentials.userId, userId))
    .orderBy(asc(webauthnCredentials.createdAt))
    .all()
    .map((row) => ({
      id: row.id,
      name: row.name,
      createdAt: row.createdAt.toISOString(),
      lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
      backedUp: row.backedUp,
    }));
}

export function accountSecurity(db: DbOrTx, user: UserRow, session: SessionRow, now: Date): AccountSecurity {
  const pending = db
    .select({ email: emailTokens.email })
    .from(emailTokens)
    .where(
      and(
        eq(emailTokens.userId, user.id),
        eq(emailTokens.purpose, 'change_email'),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, now),
      ),
    )
    .orderBy(desc(emailTokens.createdAt))
    .get();
  const codes = db
    .select({ n: sql<number>`count(*)` })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, user.id), isNull(recoveryCodes.usedAt)))
    .get();
  const until = reauthUntil(session);
  return {
    email: user.email,
    emailVerified: user.emailVerifiedAt !== null,
    pendingEmail: pending?.email ?? null,
    secondFactorRequired: user.role === 'moderator' || user.role === 'admin',
    hasSecondFactor: user.secondFactor,
    totp: { enabled: user.totpKey !== null, enabledAt: user.totpEnabledAt?.toISOString() ?? null },
    recoveryCodesLeft: codes?.n ?? 0,
    passkeys: listPasskeys(db, user.id),
    reauthUntil: until.getTime() > now.getTime() ? until.toISOString() : null,
  };
}

/**
 * Short-lived secrets issued to a signed-in session, kept in `auth_challenges` under
 * `<session id>:<purpose>`: WebAuthn challenges (adding a passkey, re-authenticating with one) and
 * the unconfirmed key of an authenticator app being set up. A new request for the same purpose
 * replaces the old one. A WebAuthn answer takes its challenge (deleted whatever the outcome), so
 * each is checked at most once; a TOTP key is read until a right code confirms it.
 */
import { authChallenges, type DbOrTx, type SessionRow } from '@lexforum/db';
import { and, eq, lt } from 'drizzle-orm';

export const CHALLENGE_MINUTES = 5;

export type ChallengePurpose = 'passkey_register' | 'passkey_reauth' | 'totp_setup';

const keyOf = (sessionId: string, purpose: ChallengePurpose) => `${sessionId}:${purpose}`;

export function keepSessionChallenge(
  tx: DbOrTx,
  session: SessionRow,
  purpose: ChallengePurpose,
  value: string,
  now: Date,
  minutes = CHALLENGE_MINUTES,
): void {
  const expiresAt = new Date(now.getTime() + minutes * 60_000);
  // Challenges of this user that nobody answered are swept here rather than by a timer.
  tx.delete(authChallenges)
    .where(and(eq(authChallenges.userId, session.userId), lt(authChallenges.expiresAt, now)))
    .run();
  tx.insert(authChallenges)
    .values({ key: keyOf(session.id, purpose), userId: session.userId, value, expiresAt })
    .onConflictDoUpdate({ target: authChallenges.key, set: { value, expiresAt } })
    .run();
}

/** The challenge this session was issued for `purpose`, removed; null when none or expired. */
export function takeSessionChallenge(
  tx: DbOrTx,
  session: SessionRow,
  purpose: ChallengePurpose,
  now: Date,
): string | null {
  const row = tx
    .delete(authChallenges)
    .where(eq(authChallenges.key, keyOf(session.id, purpose)))
    .returning()
    .get();
  if (!row || row.userId !== session.userId || row.expiresAt.getTime() <= now.getTime()) return null;
  return row.value;
}

/** The value this session was issued for `purpose`, left in place; null when none or expired. */
export function readSessionChallenge(
  tx: DbOrTx,
  session: SessionRow,
  purpose: ChallengePurpose,
  now: Date,
): string | null {
  const row = tx
    .select()
    .from(authChallenges)
    .where(eq(authChallenges.key, keyOf(session.id, purpose)))
    .get();
  if (!row || row.userId !== session.userId || row.expiresAt.getTime() <= now.getTime()) return null;
  return row.value;
}

/** Removes what this session was issued for `purpose`. */
export function dropSessionChallenge(tx: DbOrTx, session: SessionRow, purpose: ChallengePurpose): void {
  tx.delete(authChallenges)
    .where(eq(authChallenges.key, keyOf(session.id, purpose)))
    .run();
}

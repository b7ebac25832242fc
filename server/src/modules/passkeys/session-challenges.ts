/**
 * WebAuthn challenges issued to a signed-in session (adding a passkey, re-authenticating with one),
 * kept in `auth_challenges` under `<session id>:<purpose>`. A new request for the same purpose
 * replaces the old challenge; an answer takes it (it is deleted whatever the outcome), so each
 * challenge is checked at most once and only within CHALLENGE_MINUTES.
 */
import { authChallenges, type DbOrTx, type SessionRow } from '@lexforum/db';
import { and, eq, lt } from 'drizzle-orm';

export const CHALLENGE_MINUTES = 5;

export type ChallengePurpose = 'passkey_register' | 'passkey_reauth';

const keyOf = (sessionId: string, purpose: ChallengePurpose) => `${sessionId}:${purpose}`;

export function keepSessionChallenge(
  tx: DbOrTx,
  session: SessionRow,
  purpose: ChallengePurpose,
  value: string,
  now: Date,
): void {
  const expiresAt = new Date(now.getTime() + CHALLENGE_MINUTES * 60_000);
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

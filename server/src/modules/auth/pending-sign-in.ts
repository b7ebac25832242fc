/**
 * The state between a right password and a second factor. The browser holds `<id>.<secret>` in a
 * short-lived cookie (plugins/auth.ts); only SHA-256 of the secret is stored. It grants nothing but
 * the second step: no route reads it except the second-factor ones. It ends at the first of:
 * success (a session replaces it), PENDING_SIGN_IN_MINUTES, or MAX_FAILURES wrong codes (the
 * failures also count in the sign-in guard's per-account and per-IP limits).
 */
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { signInChallenges, users, type DbOrTx, type SignInChallengeRow, type UserRow } from '@lexforum/db';
import { PENDING_SIGN_IN_MINUTES } from '@lexforum/shared';
import { and, eq, lt, sql } from 'drizzle-orm';
import type { SessionMeta } from './session.js';

export const PENDING_MAX_FAILURES = 5;

function randomString(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return encodeBase32LowerCaseNoPadding(buffer);
}

const hash = (secret: string) => sha256(new TextEncoder().encode(secret));

export interface PendingSignIn {
  challenge: SignInChallengeRow;
  user: UserRow;
}

export function createPendingSignIn(
  tx: DbOrTx,
  userId: string,
  meta: SessionMeta,
  now: Date,
): { challenge: SignInChallengeRow; token: string } {
  // One pending sign-in per account and browser is enough; old ones of this user are dropped
  // when they have expired.
  tx.delete(signInChallenges)
    .where(and(eq(signInChallenges.userId, userId), lt(signInChallenges.expiresAt, now)))
    .run();
  const id = randomString(15);
  const secret = randomString(32);
  const challenge: SignInChallengeRow = {
    id,
    userId,
    secretHash: Buffer.from(hash(secret)),
    createdAt: now,
    expiresAt: new Date(now.getTime() + PENDING_SIGN_IN_MINUTES * 60_000),
    failures: 0,
    webauthnChallenge: null,
    userAgent: meta.userAgent?.slice(0, 512) ?? null,
    ip: meta.ip,
  };
  tx.insert(signInChallenges).values(challenge).run();
  return { challenge, token: `${id}.${secret}` };
}

/** The pending sign-in a cookie holds, or null when it is malformed, unknown, forged or expired. */
export function validatePendingToken(db: DbOrTx, token: string | undefined, now: Date): PendingSignIn | null {
  if (!token) return null;
  const [id, secret, ...rest] = token.split('.');
  if (!id || !secret || rest.length > 0 || id.length > 64 || secret.length > 128) return null;
  const row = db
    .select({ challenge: signInChallenges, user: users })
    .from(signInChallenges)
    .innerJoin(users, eq(users.id, signInChallenges.userId))
    .where(eq(signInChallenges.id, id))
    .get();
  if (!row) return null;
  if (!constantTimeEqual(hash(secret), new Uint8Array(row.challenge.secretHash))) return null;
  if (now.getTime() >= row.challenge.expiresAt.getTime() || row.challenge.failures >= PENDING_MAX_FAILURES) {
    endPendingSignIn(db, id);
    return null;
  }
  return row;
}

/** Counts a wrong code; the pending sign-in ends at PENDING_MAX_FAILURES. Returns failures left. */
export function recordPendingFailure(db: DbOrTx, id: string): number {
  const row = db
    .update(signInChallenges)
    .set({ failures: sql`${signInChallenges.failures} + 1` })
    .where(eq(signInChallenges.id, id))
    .returning({ failures: signInChallenges.failures })
    .get();
  const left = PENDING_MAX_FAILURES - (row?.failures ?? PENDING_MAX_FAILURES);
  if (left <= 0) endPendingSignIn(db, id);
  return Math.max(left, 0);
}

export function setPendingWebauthnChallenge(db: DbOrTx, id: string, challenge: string): void {
  db.update(signInChallenges).set({ webauthnChallenge: challenge }).where(eq(signInChallenges.id, id)).run();
}

export function endPendingSignIn(db: DbOrTx, id: string): void {
  db.delete(signInChallenges).where(eq(signInChallenges.id, id)).run();
}

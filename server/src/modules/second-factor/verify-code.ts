/**
 * Checking a second-factor code typed by a person: the second step of a sign-in, and a
 * re-authentication. A right code is spent in the caller's transaction (the TOTP step claimed by a
 * conditional UPDATE, the recovery code marked used), so a rollback gives it back and two
 * concurrent uses cannot both pass. A wrong one throws and writes nothing: the caller counts the
 * failure outside its rolled-back transaction (`recordSecondFactorFailure`).
 */
import { securityEvents, users, type DbOrTx, type UserRow } from '@lexforum/db';
import { and, desc, eq, gte, isNull, lt, or } from 'drizzle-orm';
import { AppError } from '../../lib/errors.js';
import type { SessionMeta } from '../auth/session.js';
import { recordSecurityEvent } from '../security/security-events.js';
import { countUnusedRecoveryCodes, spendRecoveryCode } from './recovery-codes.js';
import { matchTotpCode } from './totp.js';

export type CodeMethod = 'totp' | 'recovery_code';

export const invalidCode = (method: CodeMethod): AppError =>
  new AppError(
    400,
    'INVALID_CODE',
    method === 'totp'
      ? 'That code is not right. Enter the current six-digit code from your authenticator app.'
      : 'That recovery code is not right. Check it and try again.',
  );

export const codeAlreadyUsed = (method: CodeMethod): AppError =>
  new AppError(
    400,
    'CODE_ALREADY_USED',
    method === 'totp'
      ? 'That code has already been used. Wait for the next code in your authenticator app.'
      : 'That recovery code has already been used. Each one works once.',
  );

/** Whether an error is a refused code (counted as a failed attempt), not another refusal. */
export const isRefusedCode = (error: unknown): boolean =>
  error instanceof AppError && (error.code === 'INVALID_CODE' || error.code === 'CODE_ALREADY_USED');

/**
 * Claims `step` for the account unless a step as late was already accepted. The WHERE is the
 * guard: of two requests with one code, only the first UPDATE changes the row.
 */
export function claimTotpStep(tx: DbOrTx, userId: string, step: number): boolean {
  const claimed = tx
    .update(users)
    .set({ totpLastStep: step })
    .where(and(eq(users.id, userId), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
    .run();
  return claimed.changes === 1;
}

/**
 * Accepts and spends a TOTP code or a recovery code of `user`, or throws 400 INVALID_CODE /
 * CODE_ALREADY_USED. `meta` (where the request came from) goes on the `recovery_code_used`
 * security event.
 */
export function verifySecondFactorCode(
  tx: DbOrTx,
  user: UserRow,
  method: CodeMethod,
  code: string,
  now: Date,
  meta: SessionMeta | null = null,
): void {
  if (method === 'totp') {
    if (!user.totpKey) throw invalidCode(method);
    const match = matchTotpCode(new Uint8Array(user.totpKey), code, now, user.totpLastStep);
    if (!match.ok) throw match.reason === 'replayed' ? codeAlreadyUsed(method) : invalidCode(method);
    if (!claimTotpStep(tx, user.id, match.step)) throw codeAlreadyUsed(method);
    user.totpLastStep = match.step;
    return;
  }
  if (!user.secondFactor) throw invalidCode(method);
  const spent = spendRecoveryCode(tx, user.id, code, now);
  if (spent === 'invalid') throw invalidCode(method);
  if (spent === 'used') throw codeAlreadyUsed(method);
  const left = countUnusedRecoveryCodes(tx, user.id);
  recordSecurityEvent(tx, { userId: user.id, kind: 'recovery_code_used', meta, detail: { left: String(left) } }, now);
}

/** A refused code, on the member's security record (call it outside the transaction that failed). */
export function recordSecondFactorFailure(
  db: DbOrTx,
  userId: string,
  method: CodeMethod | 'passkey',
  meta: SessionMeta | null,
  now: Date,
): void {
  recordSecurityEvent(db, { userId, kind: 'second_factor_failed', meta, detail: { method } }, now);
}

/** Wrong second-factor answers an account may give in a day, whatever its passwords and devices. */
export const SECOND_FACTOR_FAILURES_PER_DAY = 10;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Past SECOND_FACTOR_FAILURES_PER_DAY wrong codes or passkeys in 24 hours, the account's second step
 * answers 429 until the oldest of them is a day old. The sign-in guard's limits reset on a right
 * password; this one does not, so knowing the password does not buy unlimited guesses at a code.
 */
export function assertSecondFactorAttemptsLeft(db: DbOrTx, userId: string, now: Date): void {
  const since = new Date(now.getTime() - DAY_MS);
  const rows = db
    .select({ at: securityEvents.createdAt })
    .from(securityEvents)
    .where(
      and(
        eq(securityEvents.userId, userId),
        eq(securityEvents.kind, 'second_factor_failed'),
        gte(securityEvents.createdAt, since),
      ),
    )
    .orderBy(desc(securityEvents.id))
    .limit(SECOND_FACTOR_FAILURES_PER_DAY)
    .all();
  if (rows.length < SECOND_FACTOR_FAILURES_PER_DAY) return;
  const oldest = rows[rows.length - 1]!.at.getTime();
  const retryAfterSeconds = Math.max(1, Math.ceil((oldest + DAY_MS - now.getTime()) / 1000));
  throw new AppError(
    429,
    'TOO_MANY_ATTEMPTS',
    'Too many wrong codes for this account today. Try again later, or ask an administrator for help.',
    { retryAfterSeconds },
  );
}

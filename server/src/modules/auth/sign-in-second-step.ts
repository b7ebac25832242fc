/**
 * The second step of a sign-in with a code (TOTP or recovery code). It answers only to a valid
 * pending sign-in (else 401 SIGN_IN_EXPIRED) and is throttled like the password: the sign-in
 * guard's limits for the account's address and this IP apply before the code is checked, and a
 * refused code counts there, on the pending sign-in (which ends after PENDING_MAX_FAILURES) and on
 * the member's security record. A right code ends the pending state and signs in through
 * finishSignIn, in one transaction.
 */
import type { Db } from '@lexforum/db';
import type { SecondFactorCodeBody } from '@lexforum/shared';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import {
  assertSecondFactorAttemptsLeft,
  isRefusedCode,
  recordSecondFactorFailure,
  verifySecondFactorCode,
} from '../second-factor/verify-code.js';
import type { MailLinks } from '../mail/links.js';
import { finishSignIn, type SignedIn } from './finish-sign-in.js';
import { isKnownDevice, type KnownDevicePolicy } from './known-devices.js';
import { endPendingSignIn, recordPendingFailure, validatePendingToken, type PendingSignIn } from './pending-sign-in.js';
import type { SessionMeta } from './session.js';
import type { PasswordAttempt, SignInGuard } from './sign-in-guard.js';

export const signInExpired = (): AppError =>
  new AppError(401, 'SIGN_IN_EXPIRED', 'This sign-in has expired. Enter your email and password again.');

/** The pending sign-in a request's cookie holds, or 401 SIGN_IN_EXPIRED. */
export function requirePendingSignIn(db: Db, token: string | undefined, now: Date): PendingSignIn {
  const pending = validatePendingToken(db, token, now);
  if (!pending) throw signInExpired();
  if (pending.user.status === 'suspended') {
    endPendingSignIn(db, pending.challenge.id);
    throw new AppError(403, 'SUSPENDED', 'This account is suspended. Contact the forum administrators.');
  }
  return pending;
}

export function completeSignInWithCode(
  deps: { db: Db; clock: Clock; guard: SignInGuard; devices: KnownDevicePolicy; links: MailLinks },
  pendingToken: string | undefined,
  body: SecondFactorCodeBody,
  meta: SessionMeta,
  deviceToken: string | undefined,
): SignedIn {
  const { db, guard, devices } = deps;
  const now = deps.clock.now();
  const { challenge, user } = requirePendingSignIn(db, pendingToken, now);
  const attempt: PasswordAttempt = {
    email: user.email,
    ip: meta.ip,
    knownDevice: isKnownDevice(db, user.id, deviceToken, now, devices),
  };
  guard.assertMayTry(attempt);
  assertSecondFactorAttemptsLeft(db, user.id, now);
  try {
    return db.transaction((tx) => {
      verifySecondFactorCode(tx, user, body.method, body.code, now, meta);
      endPendingSignIn(tx, challenge.id);
      return finishSignIn(tx, user, meta, deviceToken, devices, deps.links, now);
    });
  } catch (error) {
    if (isRefusedCode(error)) {
      guard.recordFailure(attempt);
      // The count on the pending sign-in and the security event (with its audit entry) together.
      db.transaction((tx) => {
        recordPendingFailure(tx, challenge.id);
        recordSecondFactorFailure(tx, user.id, body.method, meta, now);
      });
    }
    throw error;
  }
}

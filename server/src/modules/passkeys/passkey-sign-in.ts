/**
 * A passkey as the second step of a sign-in whose password was right (auth/pending-sign-in.ts holds
 * that state). The challenge lives on the pending row and is consumed by the first answer; a wrong
 * answer counts against the pending sign-in and in the sign-in guard, like a wrong password, and is
 * recorded as a security event. Only the pending account's own credentials are accepted.
 */
import { signInChallenges, type Db } from '@lexforum/db';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { eq } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { finishSignIn, type SignedIn } from '../auth/finish-sign-in.js';
import { isKnownDevice, type KnownDevicePolicy } from '../auth/known-devices.js';
import {
  endPendingSignIn,
  recordPendingFailure,
  setPendingWebauthnChallenge,
  validatePendingToken,
  type PendingSignIn,
} from '../auth/pending-sign-in.js';
import type { SessionMeta } from '../auth/session.js';
import type { PasswordAttempt, SignInGuard } from '../auth/sign-in-guard.js';
import type { MailLinks } from '../mail/links.js';
import { assertSecondFactorAttemptsLeft } from '../second-factor/verify-code.js';
import { recordSecurityEvent } from '../security/security-events.js';
import { assertionOptions, passkeyFailed, verifyAssertion } from './passkey-assertion.js';
import type { RelyingParty } from './relying-party.js';

export const signInExpired = () =>
  new AppError(401, 'SIGN_IN_EXPIRED', 'This sign-in has expired. Enter your email and password again.');

export class PasskeySignIn {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly rp: RelyingParty,
    private readonly guard: SignInGuard,
    private readonly devices: KnownDevicePolicy,
    private readonly links: MailLinks,
  ) {}

  async options(pendingToken: string | undefined, meta: SessionMeta, deviceToken?: string) {
    const now = this.clock.now();
    const pending = this.pending(pendingToken, now);
    this.guard.assertMayTry(this.attempt(pending, meta, deviceToken, now));
    const options: PublicKeyCredentialRequestOptionsJSON = await assertionOptions(this.db, this.rp, pending.user);
    setPendingWebauthnChallenge(this.db, pending.challenge.id, options.challenge);
    return options;
  }

  async finish(
    pendingToken: string | undefined,
    response: Record<string, unknown>,
    meta: SessionMeta,
    deviceToken?: string,
  ): Promise<SignedIn> {
    const now = this.clock.now();
    const pending = this.pending(pendingToken, now);
    const attempt = this.attempt(pending, meta, deviceToken, now);
    this.guard.assertMayTry(attempt);
    assertSecondFactorAttemptsLeft(this.db, pending.user.id, now);
    // Taken before the signature check (no await in between): one challenge, one answer.
    const challenge = pending.challenge.webauthnChallenge;
    this.db
      .update(signInChallenges)
      .set({ webauthnChallenge: null })
      .where(eq(signInChallenges.id, pending.challenge.id))
      .run();

    const credential = await verifyAssertion(this.db, this.rp, pending.user, response, challenge, now);
    if (!credential) {
      this.guard.recordFailure(attempt);
      this.db.transaction((tx) => {
        recordPendingFailure(tx, pending.challenge.id);
        recordSecurityEvent(
          tx,
          { userId: pending.user.id, kind: 'second_factor_failed', meta, detail: { method: 'passkey' } },
          now,
        );
      });
      throw passkeyFailed();
    }
    this.guard.recordSuccess(attempt);
    const { user } = pending;
    if (user.status === 'suspended') {
      endPendingSignIn(this.db, pending.challenge.id);
      const why = user.suspendedReason ? ` Reason: ${user.suspendedReason}` : '';
      throw new AppError(403, 'SUSPENDED', `This account is suspended.${why} Contact the forum administrators.`);
    }
    return this.db.transaction((tx) => {
      endPendingSignIn(tx, pending.challenge.id);
      return finishSignIn(tx, user, meta, deviceToken, this.devices, this.links, now);
    });
  }

  private pending(token: string | undefined, now: Date): PendingSignIn {
    const pending = validatePendingToken(this.db, token, now);
    if (!pending) throw signInExpired();
    return pending;
  }

  private attempt(
    pending: PendingSignIn,
    meta: SessionMeta,
    deviceToken: string | undefined,
    now: Date,
  ): PasswordAttempt {
    return {
      email: pending.user.email,
      ip: meta.ip,
      knownDevice: isKnownDevice(this.db, pending.user.id, deviceToken, now, this.devices),
    };
  }
}

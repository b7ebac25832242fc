/**
 * Confirming who is at the keyboard of a signed-in session (see reauth.ts for what needs it): the
 * password, throttled and counted like a sign-in attempt, or one of the account's passkeys.
 * Success renews the session's confirmation for REAUTH_WINDOW_MINUTES.
 */
import type { Db } from '@lexforum/db';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { ReauthBody, ReauthState, SecondFactorCodeBody } from '@lexforum/shared';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { RequestAuth } from '../../plugins/auth.js';
import { assertionOptions, passkeyFailed, verifyAssertion } from '../passkeys/passkey-assertion.js';
import type { RelyingParty } from '../passkeys/relying-party.js';
import { keepSessionChallenge, takeSessionChallenge } from './session-challenges.js';
import { isKnownDevice, type KnownDevicePolicy } from './known-devices.js';
import { verifyPassword } from './password.js';
import { markReauthenticated, reauthUntil } from './reauth.js';
import type { PasswordAttempt, SignInGuard } from './sign-in-guard.js';
import type { SessionMeta } from './session.js';
import {
  assertSecondFactorAttemptsLeft,
  isRefusedCode,
  recordSecondFactorFailure,
  verifySecondFactorCode,
} from '../second-factor/verify-code.js';

export class ReauthService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly rp: RelyingParty,
    private readonly guard: SignInGuard,
    private readonly devices: KnownDevicePolicy,
  ) {}

  async confirm(
    auth: RequestAuth,
    input: ReauthBody,
    from: SessionMeta & { deviceToken: string | undefined },
  ): Promise<ReauthState> {
    const { user } = auth;
    const now = this.clock.now();
    const attempt = {
      email: user.email,
      ip: from.ip,
      knownDevice: isKnownDevice(this.db, user.id, from.deviceToken, now, this.devices),
    };
    if (!('password' in input)) return this.confirmWithCode(auth, input, attempt, from, now);
    this.guard.assertMayTry(attempt, 'password');
    if (!(await verifyPassword(user.passwordHash, input.password))) {
      this.guard.recordFailure(attempt);
      throw new AppError(401, 'INVALID_CREDENTIALS', 'Your password is not correct.', {
        issues: [{ path: '/password', code: 'password_incorrect', message: 'Your password is not correct.' }],
      });
    }
    this.guard.recordSuccess(attempt);
    return this.mark(auth);
  }

  /**
   * An authenticator or recovery code: spent in the transaction that renews the confirmation; a
   * refused one counts as a failed attempt (throttle and security record) like a wrong password.
   */
  private confirmWithCode(
    auth: RequestAuth,
    input: SecondFactorCodeBody,
    attempt: PasswordAttempt,
    meta: SessionMeta,
    now: Date,
  ): ReauthState {
    this.guard.assertMayTry(attempt, 'password');
    assertSecondFactorAttemptsLeft(this.db, auth.user.id, now);
    try {
      this.db.transaction((tx) => {
        verifySecondFactorCode(tx, auth.user, input.method, input.code, now, meta);
        markReauthenticated(tx, auth.session, now);
      });
    } catch (error) {
      if (!isRefusedCode(error) || !(error instanceof AppError)) throw error;
      this.guard.recordFailure(attempt);
      this.db.transaction((tx) => recordSecondFactorFailure(tx, auth.user.id, input.method, meta, now));
      throw new AppError(error.statusCode, error.code, error.message, {
        issues: [{ path: '/code', message: error.message }],
      });
    }
    this.guard.recordSuccess(attempt);
    return { reauthUntil: reauthUntil(auth.session).toISOString() };
  }

  async passkeyOptions(auth: RequestAuth): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const options = await assertionOptions(this.db, this.rp, auth.user);
    keepSessionChallenge(this.db, auth.session, 'passkey_reauth', options.challenge, this.clock.now());
    return options;
  }

  async confirmWithPasskey(auth: RequestAuth, response: Record<string, unknown>): Promise<ReauthState> {
    const now = this.clock.now();
    const challenge = takeSessionChallenge(this.db, auth.session, 'passkey_reauth', now);
    const credential = await verifyAssertion(this.db, this.rp, auth.user, response, challenge, now);
    if (!credential) throw passkeyFailed();
    return this.mark(auth);
  }

  private mark(auth: RequestAuth): ReauthState {
    markReauthenticated(this.db, auth.session, this.clock.now());
    return { reauthUntil: reauthUntil(auth.session).toISOString() };
  }
}

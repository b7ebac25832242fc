import type { Db } from '@lexforum/db';
import type { SecondFactorMethod, SignInBody } from '@lexforum/shared';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { MailLinks } from '../mail/links.js';
import { secondFactorMethods } from '../second-factor/sign-in-methods.js';
import { findUserByEmail } from '../users/users.repository.js';
import { burnPasswordCheck, verifyPassword } from './password.js';
import { isKnownDevice, type KnownDevicePolicy } from './known-devices.js';
import { finishSignIn, type SignedIn } from './finish-sign-in.js';
import { createPendingSignIn } from './pending-sign-in.js';
import { invalidateSession, type SessionMeta } from './session.js';
import type { SignInGuard } from './sign-in-guard.js';

export type { SignedIn } from './finish-sign-in.js';

const INVALID_CREDENTIALS = 'Invalid email or password.';

/** A right password on an account with a second factor: the pending sign-in's cookie token and what it accepts. */
export interface SecondFactorDue {
  pending: { token: string; expiresAt: Date; methods: SecondFactorMethod[] };
}

export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly guard: SignInGuard,
    private readonly devices: KnownDevicePolicy,
    private readonly links: MailLinks,
  ) {}

  /**
   * Past a limit (sign-in-guard.ts) the answer is 429 with the wait, before any password is
   * checked; a known device of the account passes the per-account limit. The message never says
   * whether the account exists. An account with a second factor gets a pending sign-in instead of
   * a session (pending-sign-in.ts): it grants nothing but the second step.
   */
  async signIn(input: SignInBody, meta: SessionMeta, deviceToken?: string): Promise<SignedIn | SecondFactorDue> {
    const now = this.clock.now();
    const user = findUserByEmail(this.db, input.email);
    const attempt = {
      email: input.email,
      ip: meta.ip,
      knownDevice: user !== undefined && isKnownDevice(this.db, user.id, deviceToken, now, this.devices),
    };
    this.guard.assertMayTry(attempt);

    let valid = false;
    if (user) valid = await verifyPassword(user.passwordHash, input.password);
    else await burnPasswordCheck(input.password);
    if (!user || !valid) {
      this.guard.recordFailure(attempt);
      throw new AppError(401, 'INVALID_CREDENTIALS', INVALID_CREDENTIALS);
    }
    this.guard.recordSuccess(attempt);
    if (user.status === 'suspended') {
      const why = user.suspendedReason ? ` Reason: ${user.suspendedReason}` : '';
      throw new AppError(403, 'SUSPENDED', `This account is suspended.${why} Contact the forum administrators.`);
    }
    if (user.secondFactor) {
      return this.db.transaction((tx) => {
        const { challenge, token } = createPendingSignIn(tx, user.id, meta, now);
        return { pending: { token, expiresAt: challenge.expiresAt, methods: secondFactorMethods(tx, user) } };
      });
    }
    return this.db.transaction((tx) => finishSignIn(tx, user, meta, deviceToken, this.devices, this.links, now));
  }

  signOut(sessionId: string): void {
    invalidateSession(this.db, sessionId);
  }
}

import { randomUUID } from 'node:crypto';
import type { Db } from '@lexforum/db';
import { checkEmail, DEFAULT_LOCALE, type Locale, type RegisterBody, type SignInBody } from '@lexforum/shared';
import type { Clock } from '../../lib/clock.js';
import { AppError, assertFields } from '../../lib/errors.js';
import { assertNameStillFree, displayNameShapeProblem, storedName } from '../../lib/names/name-rules.js';
import { findUserByEmail, insertUser, isUniqueEmailViolation } from '../users/users.repository.js';
import type { SecondFactorMethod } from '@lexforum/shared';
import { secondFactorMethods } from '../second-factor/sign-in-methods.js';
import { burnPasswordCheck, checkPasswordPolicy, hashPassword, verifyPassword } from './password.js';
import { isKnownDevice, rememberDevice, type KnownDevicePolicy } from './known-devices.js';
import { finishSignIn, type SignedIn } from './finish-sign-in.js';
import { createPendingSignIn } from './pending-sign-in.js';
import { createSession, invalidateSession, type SessionMeta } from './session.js';
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
  ) {}

  /**
   * Creates an applicant account and signs it in. The account keeps the interface language the
   * applicant registered in (`browserLocale`: the best match of Accept-Language when the body
   * names none), so the next device opens in it too.
   */
  async register(
    input: RegisterBody,
    meta: SessionMeta,
    deviceToken?: string,
    browserLocale?: Locale | null,
  ): Promise<SignedIn> {
    const { email } = input;
    assertFields({
      email: checkEmail(email),
      displayName: displayNameShapeProblem(input.displayName),
      password: checkPasswordPolicy(input.password, { email, displayName: input.displayName }),
    });
    if (findUserByEmail(this.db, email)) throw this.emailTaken();
    const name = storedName(input.displayName);
    assertNameStillFree(this.db, name, null);
    const passwordHash = await hashPassword(input.password);
    const now = this.clock.now();
    try {
      return this.db.transaction((tx) => {
        assertNameStillFree(tx, name, null);
        const user = insertUser(tx, {
          id: randomUUID(),
          email,
          displayName: name.displayName,
          passwordHash,
          role: 'applicant',
          status: 'active',
          locale: input.locale ?? browserLocale ?? DEFAULT_LOCALE,
          createdAt: now,
          updatedAt: now,
        });
        const { session, token } = createSession(tx, user.id, meta, now);
        const remembered = rememberDevice(tx, user.id, deviceToken, now, this.devices);
        return { user, session, token, deviceToken: remembered, newDevice: true };
      });
    } catch (error) {
      // Two registrations racing for one address: the unique index decides.
      if (isUniqueEmailViolation(error)) throw this.emailTaken();
      throw error;
    }
  }

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
    return this.db.transaction((tx) => finishSignIn(tx, user, meta, deviceToken, this.devices, now));
  }

  signOut(sessionId: string): void {
    invalidateSession(this.db, sessionId);
  }

  private emailTaken(): AppError {
    return new AppError(409, 'EMAIL_TAKEN', 'An account with this email already exists. Sign in instead.', {
      issues: [
        { path: '/email', code: 'email_taken', message: 'An account with this email already exists. Sign in instead.' },
      ],
    });
  }
}

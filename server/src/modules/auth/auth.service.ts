import { randomUUID } from 'node:crypto';
import type { Db, SessionRow, UserRow } from '@lexforum/db';
import { checkEmail, normalizeEmail, type RegisterBody, type SignInBody } from '@lexforum/shared';
import type { Config } from '../../config.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, assertFields } from '../../lib/errors.js';
import { assertNameStillFree, displayNameShapeProblem, storedName } from '../../lib/names/name-rules.js';
import { findUserByEmail, insertUser, isUniqueEmailViolation } from '../users/users.repository.js';
import { burnPasswordCheck, checkPasswordPolicy, hashPassword, verifyPassword } from './password.js';
import { createSession, invalidateSession, type SessionMeta } from './session.js';
import type { FailureThrottle } from './throttle.js';

export interface SignedIn {
  user: UserRow;
  session: SessionRow;
  token: string;
}

const INVALID_CREDENTIALS = 'Invalid email or password.';

export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly clock: Clock,
    private readonly throttle: FailureThrottle,
  ) {}

  /** Creates an applicant account and signs it in. */
  async register(input: RegisterBody, meta: SessionMeta): Promise<SignedIn> {
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
          createdAt: now,
          updatedAt: now,
        });
        const { session, token } = createSession(tx, user.id, meta, now);
        return { user, session, token };
      });
    } catch (error) {
      // Two registrations racing for one address: the unique index decides.
      if (isUniqueEmailViolation(error)) throw this.emailTaken();
      throw error;
    }
  }

  /**
   * Failures are counted per account and per IP; past the limit the answer is 429 with the wait,
   * before any password is checked. The message never says whether the account exists.
   */
  async signIn(input: SignInBody, meta: SessionMeta): Promise<SignedIn> {
    const accountKey = `account:${normalizeEmail(input.email)}`;
    const ipKey = `ip:${meta.ip ?? 'unknown'}`;
    const windowSeconds = this.config.SIGN_IN_FAILURE_WINDOW_SECONDS;
    const wait = Math.max(
      this.throttle.retryAfter(accountKey, {
        maxFailures: this.config.SIGN_IN_MAX_FAILURES_PER_ACCOUNT,
        windowSeconds,
      }),
      this.throttle.retryAfter(ipKey, { maxFailures: this.config.SIGN_IN_MAX_FAILURES_PER_IP, windowSeconds }),
    );
    if (wait > 0) {
      const minutes = Math.ceil(wait / 60);
      throw new AppError(
        429,
        'TOO_MANY_ATTEMPTS',
        `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        { retryAfterSeconds: wait },
      );
    }

    const user = findUserByEmail(this.db, input.email);
    let valid = false;
    if (user) valid = await verifyPassword(user.passwordHash, input.password);
    else await burnPasswordCheck(input.password);
    if (!user || !valid) {
      this.throttle.recordFailure(accountKey, windowSeconds);
      this.throttle.recordFailure(ipKey, windowSeconds);
      throw new AppError(401, 'INVALID_CREDENTIALS', INVALID_CREDENTIALS);
    }
    this.throttle.reset(accountKey);
    if (user.status === 'suspended') {
      const why = user.suspendedReason ? ` Reason: ${user.suspendedReason}` : '';
      throw new AppError(403, 'SUSPENDED', `This account is suspended.${why} Contact the forum administrators.`);
    }
    const { session, token } = createSession(this.db, user.id, meta, this.clock.now());
    return { user, session, token };
  }

  signOut(sessionId: string): void {
    invalidateSession(this.db, sessionId);
  }

  private emailTaken(): AppError {
    return new AppError(409, 'EMAIL_TAKEN', 'An account with this email already exists. Sign in instead.', {
      issues: [{ path: '/email', message: 'An account with this email already exists. Sign in instead.' }],
    });
  }
}

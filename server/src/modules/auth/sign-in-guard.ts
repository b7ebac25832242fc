/**
 * The sign-in throttle: three limits on failed password checks, counted in one FailureThrottle.
 *
 * - per account from one IP (tight): an attacker guessing from one place is stopped quickly, and
 *   only that place is;
 * - per IP across accounts: one place guessing many accounts is stopped;
 * - per account from all IPs (slower, longer window): many places guessing one account are
 *   stopped, but a known device of the account (known-devices.ts) still passes it, so the owner's
 *   right password on their own browser always works and nobody can lock an account by failing.
 *
 * Password checks that are not sign-ins (the current password on a password change) count and are
 * refused the same way: a stolen session must not become a way to guess the password faster.
 * Counts are in-process (see throttle.ts).
 */
import { normalizeEmail } from '@lexforum/shared';
import type { Config } from '../../config.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { FailureThrottle } from './throttle.js';

export interface PasswordAttempt {
  /** The address the attempt names (known or not: unknown ones are throttled alike). */
  email: string;
  ip: string | null;
  /** The request carries a known-device cookie of this account. */
  knownDevice: boolean;
}

type Limits = Pick<
  Config,
  | 'SIGN_IN_MAX_FAILURES_PER_ACCOUNT_IP'
  | 'SIGN_IN_MAX_FAILURES_PER_IP'
  | 'SIGN_IN_FAILURE_WINDOW_SECONDS'
  | 'SIGN_IN_MAX_FAILURES_PER_ACCOUNT'
  | 'SIGN_IN_ACCOUNT_WINDOW_SECONDS'
>;

export class SignInGuard {
  private readonly throttle: FailureThrottle;

  constructor(
    clock: Clock,
    private readonly limits: Limits,
  ) {
    this.throttle = new FailureThrottle(clock);
  }

  /**
   * Throws 429 TOO_MANY_ATTEMPTS (with the wait) when this attempt may not check a password now.
   * Called before any password is checked, so a refused attempt costs no argon2 time.
   */
  assertMayTry(attempt: PasswordAttempt, action = 'sign-in'): void {
    const keys = this.keys(attempt);
    const { limits } = this;
    const local = limits.SIGN_IN_FAILURE_WINDOW_SECONDS;
    let wait = Math.max(
      this.throttle.retryAfter(keys.pair, {
        maxFailures: limits.SIGN_IN_MAX_FAILURES_PER_ACCOUNT_IP,
        windowSeconds: local,
      }),
      this.throttle.retryAfter(keys.ip, { maxFailures: limits.SIGN_IN_MAX_FAILURES_PER_IP, windowSeconds: local }),
    );
    if (!attempt.knownDevice) {
      wait = Math.max(
        wait,
        this.throttle.retryAfter(keys.account, {
          maxFailures: limits.SIGN_IN_MAX_FAILURES_PER_ACCOUNT,
          windowSeconds: limits.SIGN_IN_ACCOUNT_WINDOW_SECONDS,
        }),
      );
    }
    if (wait > 0) throw tooManyAttempts(wait, action);
  }

  recordFailure(attempt: PasswordAttempt): void {
    const keys = this.keys(attempt);
    this.throttle.recordFailure(keys.pair, this.limits.SIGN_IN_FAILURE_WINDOW_SECONDS);
    this.throttle.recordFailure(keys.ip, this.limits.SIGN_IN_FAILURE_WINDOW_SECONDS);
    this.throttle.recordFailure(keys.account, this.limits.SIGN_IN_ACCOUNT_WINDOW_SECONDS);
  }

  /**
   * The right password clears this account's failures from this IP only. The per-IP count (other
   * accounts guessed from here) and the per-account count (guesses from elsewhere) stay until
   * their windows pass: one success must not buy an attacker a fresh allowance.
   */
  recordSuccess(attempt: PasswordAttempt): void {
    this.throttle.reset(this.keys(attempt).pair);
  }

  private keys(attempt: PasswordAttempt) {
    const account = normalizeEmail(attempt.email);
    const ip = attempt.ip ?? 'unknown';
    return { pair: `pair:${ip}:${account}`, ip: `ip:${ip}`, account: `account:${account}` };
  }
}

function tooManyAttempts(waitSeconds: number, action: string): AppError {
  const minutes = Math.ceil(waitSeconds / 60);
  return new AppError(
    429,
    'TOO_MANY_ATTEMPTS',
    `Too many failed ${action} attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    { retryAfterSeconds: waitSeconds },
  );
}

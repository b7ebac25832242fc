/**
 * Forgotten passwords. A request answers the same whether or not the address has an account,
 * and is throttled per address (known or not) and per IP; an account's address receives a link
 * valid for EMAIL_LINK_HOURS.reset_password. Opening it and choosing a password (the registration
 * policy) ends every session of the account, verifies the address (the link proved it), emails a
 * notice, and signs in: at once, or through the second factor when the account has one. An
 * administrator may send the link to a member; nobody but the member ever sees the password.
 */
import { signInChallenges, type Db, type DbOrTx, type UserRow } from '@lexforum/db';
import { eq } from 'drizzle-orm';
import { checkEmail, type PasswordResetConfirmBody, type SecondFactorMethod } from '@lexforum/shared';
import type { Clock } from '../../lib/clock.js';
import { AppError, assertFields, notFound } from '../../lib/errors.js';
import type { Guardian } from '../guardian/guardian.js';
import type { MailLinks } from '../mail/links.js';
import { enqueueMail } from '../mail/outbox.js';
import { recordSecurityEvent } from '../security/security-events.js';
import { findUserByEmail, findUserById, updateUser } from '../users/users.repository.js';
import { checkEmailToken, issueEmailToken, spendEmailToken, spendRecoveryLinks } from './email-tokens.js';
import { finishSignIn, type SignedIn } from './finish-sign-in.js';
import type { KnownDevicePolicy } from './known-devices.js';
import { checkPasswordPolicy, hashPassword } from './password.js';
import { createPendingSignIn } from './pending-sign-in.js';
import { reauthMethods } from './reauth.js';
import { invalidateUserSessions, type SessionMeta } from './session.js';
import { FailureThrottle } from './throttle.js';

export interface ResetLimits {
  perEmailPerHour: number;
  perIpPerHour: number;
}

/** After a reset: signed in, or the second step of a sign-in is due. */
export type ResetOutcome =
  | { kind: 'signed_in'; signedIn: SignedIn }
  | { kind: 'second_factor'; token: string; expiresAt: Date; methods: SecondFactorMethod[] }
  | { kind: 'suspended'; user: UserRow };

export class PasswordResetService {
  private readonly requests: FailureThrottle;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly links: MailLinks,
    private readonly devices: KnownDevicePolicy,
    private readonly limits: ResetLimits,
  ) {
    this.requests = new FailureThrottle(clock);
  }

  /** Sends a link when the address has an account; throttled alike either way. */
  request(email: string, ip: string | null): void {
    // The shape only: a typo is worth telling, and says nothing about which addresses have accounts.
    assertFields({ email: checkEmail(email.trim()) });
    const hour = { windowSeconds: 3600 };
    const keys: [string, number][] = [[`email:${email.trim().toLowerCase()}`, this.limits.perEmailPerHour]];
    if (ip) keys.push([`ip:${ip}`, this.limits.perIpPerHour]);
    const wait = Math.max(...keys.map(([key, max]) => this.requests.retryAfter(key, { ...hour, maxFailures: max })));
    if (wait > 0) {
      throw new AppError(429, 'RATE_LIMITED', 'Too many reset requests. Please wait before asking again.', {
        retryAfterSeconds: wait,
      });
    }
    for (const [key] of keys) this.requests.recordFailure(key, hour.windowSeconds);
    const user = findUserByEmail(this.db, email);
    if (!user) return;
    const now = this.clock.now();
    this.db.transaction((tx) => this.sendLink(tx, user, now));
  }

  /** An administrator sends the member a link (audited as the member's security event). */
  sendByAdmin(guardian: Guardian, userId: string, meta: SessionMeta): UserRow {
    guardian.ensureAdmin();
    const user = findUserById(this.db, userId);
    if (!user) throw notFound('Account');
    const now = this.clock.now();
    this.db.transaction((tx) => {
      this.sendLink(tx, user, now);
      recordSecurityEvent(
        tx,
        { userId: user.id, kind: 'password_reset_sent_by_admin', meta, actorId: guardian.user.id },
        now,
      );
    });
    return user;
  }

  /** Whether a link may still be used (the page checks before asking for a password). */
  check(token: string): Date {
    return checkEmailToken(this.db, token, 'reset_password', this.clock.now()).row.expiresAt;
  }

  async confirm(input: PasswordResetConfirmBody, meta: SessionMeta, deviceToken?: string): Promise<ResetOutcome> {
    const { user } = checkEmailToken(this.db, input.token, 'reset_password', this.clock.now());
    assertFields({
      password: checkPasswordPolicy(input.password, {
        email: user.email,
        displayName: user.displayName,
        username: user.username,
      }),
    });
    const passwordHash = await hashPassword(input.password);
    const now = this.clock.now();
    return this.db.transaction((tx): ResetOutcome => {
      // Checked again in the transaction: the link may have been used while the password hashed.
      const { row, user: current } = checkEmailToken(tx, input.token, 'reset_password', now);
      spendEmailToken(tx, row, now);
      spendRecoveryLinks(tx, current.id, now);
      const updated = updateUser(tx, current.id, {
        passwordHash,
        // The link reached the address: it is the member's.
        ...(current.emailVerifiedAt || row.email.toLowerCase() !== current.email.toLowerCase()
          ? {}
          : { emailVerifiedAt: now }),
        updatedAt: now,
      });
      invalidateUserSessions(tx, current.id);
      // A pending sign-in was opened with the old password: it ends too.
      tx.delete(signInChallenges).where(eq(signInChallenges.userId, current.id)).run();
      recordSecurityEvent(tx, { userId: current.id, kind: 'password_reset', meta }, now);
      enqueueMail(
        tx,
        {
          to: current.email,
          locale: current.locale,
          template: 'password_reset_notice',
          params: { name: current.displayName, time: now, resetLink: this.links.forgotPassword() },
        },
        now,
      );
      if (updated.status === 'suspended') return { kind: 'suspended', user: updated };
      if (updated.secondFactor) {
        const { challenge, token } = createPendingSignIn(tx, updated.id, meta, now);
        const methods = reauthMethods(tx, updated).filter((m): m is SecondFactorMethod => m !== 'password');
        return { kind: 'second_factor', token, expiresAt: challenge.expiresAt, methods };
      }
      return {
        kind: 'signed_in',
        signedIn: finishSignIn(tx, updated, meta, deviceToken, this.devices, this.links, now),
      };
    });
  }

  private sendLink(tx: DbOrTx, user: UserRow, now: Date): void {
    const { token } = issueEmailToken(tx, { userId: user.id, purpose: 'reset_password', email: user.email }, now);
    enqueueMail(
      tx,
      {
        to: user.email,
        locale: user.locale,
        template: 'password_reset',
        params: { name: user.displayName, link: this.links.resetPassword(token) },
      },
      now,
    );
  }
}

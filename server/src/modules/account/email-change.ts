/**
 * Changing the sign-in address. Asked for with a recent confirmation of identity: the link goes
 * to the NEW address (it is not the account's until it is proven) and a notice to the current one.
 * The answer is the same whether or not the new address belongs to another account, so this form
 * tells nobody which addresses have accounts; opening the link then refuses a taken address.
 */
import type { Db, UserRow } from '@lexforum/db';
import { checkEmail } from '@lexforum/shared';
import type { Clock } from '../../lib/clock.js';
import { AppError, assertFields } from '../../lib/errors.js';
import {
  checkEmailToken,
  countRecentTokens,
  issueEmailToken,
  spendEmailToken,
  spendEmailTokens,
} from '../auth/email-tokens.js';
import type { SessionMeta } from '../auth/session.js';
import type { MailLinks } from '../mail/links.js';
import { enqueueMail } from '../mail/outbox.js';
import { recordSecurityEvent } from '../security/security-events.js';
import { findUserByEmail, isUniqueEmailViolation, updateUser } from '../users/users.repository.js';

const CHANGES_PER_HOUR = 5;

const emailTaken = () =>
  new AppError(409, 'EMAIL_TAKEN', 'This address is already used by another account.', {
    issues: [{ path: '/email', code: 'email_taken', message: 'This address is already used by another account.' }],
  });

export class EmailChangeService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly links: MailLinks,
  ) {}

  /** Returns the address the link went to. */
  request(user: UserRow, email: string): string {
    const newEmail = email.trim();
    assertFields({ email: checkEmail(newEmail) });
    if (newEmail.toLowerCase() === user.email.toLowerCase()) {
      assertFields({ email: 'This is already your address.' });
    }
    const now = this.clock.now();
    if (countRecentTokens(this.db, user.id, 'change_email', new Date(now.getTime() - 3600_000)) >= CHANGES_PER_HOUR) {
      throw new AppError(429, 'RATE_LIMITED', 'Too many address changes asked for. Please try again later.', {
        retryAfterSeconds: 3600,
      });
    }
    this.db.transaction((tx) => {
      const { token } = issueEmailToken(tx, { userId: user.id, purpose: 'change_email', email: newEmail }, now);
      enqueueMail(
        tx,
        {
          to: newEmail,
          locale: user.locale,
          template: 'email_change_confirm',
          params: { name: user.displayName, newEmail, link: this.links.confirmEmailChange(token) },
        },
        now,
      );
      enqueueMail(
        tx,
        {
          to: user.email,
          locale: user.locale,
          template: 'email_change_notice',
          params: { name: user.displayName, newEmail, resetLink: this.links.forgotPassword() },
        },
        now,
      );
    });
    return newEmail;
  }

  /**
   * Switches the account to the address the link was sent to, verified. A browser signed in to
   * another account is refused (the link is not for it) without spending the link.
   */
  confirm(token: string, signedInAs: UserRow | null, meta: SessionMeta): UserRow {
    const now = this.clock.now();
    try {
      return this.db.transaction((tx) => {
        const { row, user } = checkEmailToken(tx, token, 'change_email', now);
        if (signedInAs && signedInAs.id !== user.id) {
          throw new AppError(
            403,
            'LINK_INVALID',
            'This link belongs to another account. Sign out, then open the link again.',
          );
        }
        const holder = findUserByEmail(tx, row.email);
        if (holder && holder.id !== user.id) throw emailTaken();
        spendEmailToken(tx, row, now);
        // A reset link sent to the old address must not outlive the change.
        spendEmailTokens(tx, user.id, 'reset_password', now);
        const updated = updateUser(tx, user.id, { email: row.email, emailVerifiedAt: now, updatedAt: now });
        recordSecurityEvent(tx, { userId: user.id, kind: 'email_changed', meta, detail: { email: row.email } }, now);
        return updated;
      });
    } catch (error) {
      if (isUniqueEmailViolation(error)) throw emailTaken();
      throw error;
    }
  }
}

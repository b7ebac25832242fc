import { signInChallenges, type Db, type SessionRow, type UserRow } from '@lexforum/db';
import { eq } from 'drizzle-orm';
import { type ChangePasswordBody, type Locale, type SessionInfo, type UpdateAccountBody } from '@lexforum/shared';
import type { Clock } from '../../lib/clock.js';
import { AppError, assertFields, notFound } from '../../lib/errors.js';
import { isKnownDevice, type KnownDevicePolicy } from '../auth/known-devices.js';
import { markReauthenticated } from '../auth/reauth.js';
import { acceptDisplayName, assertNameStillFree } from '../../lib/names/name-rules.js';
import { checkReservedName } from '../../lib/names/reserved.js';
import { checkPasswordPolicy, hashPassword, verifyPassword } from '../auth/password.js';
import {
  invalidateUserSession,
  invalidateUserSessions,
  listUserSessions,
  sessionExpiresAt,
  type SessionMeta,
  type SessionPolicy,
} from '../auth/session.js';
import type { SignInGuard } from '../auth/sign-in-guard.js';
import type { MailLinks } from '../mail/links.js';
import { enqueueMail } from '../mail/outbox.js';
import { recordSecurityEvent } from '../security/security-events.js';
import { findUserByUsername, updateUser } from '../users/users.repository.js';
import { spendRecoveryLinks } from '../auth/email-tokens.js';

export class AccountService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly policy: SessionPolicy,
    private readonly guard: SignInGuard,
    private readonly devices: KnownDevicePolicy,
    private readonly links: MailLinks,
  ) {}

  updateProfile(user: UserRow, input: UpdateAccountBody): UserRow {
    const name = acceptDisplayName(this.db, input.displayName, user.id);
    return this.db.transaction((tx) => {
      assertNameStillFree(tx, name, user.id);
      return updateUser(tx, user.id, { displayName: name.displayName, updatedAt: this.clock.now() });
    });
  }

  /** Applicants and members alike: the language is the interface's, not the forum's. */
  changeLocale(user: UserRow, locale: Locale): UserRow {
    if (user.locale === locale) return user;
    return updateUser(this.db, user.id, { locale, updatedAt: this.clock.now() });
  }

  /** A username is unique; the unique index is the arbiter when two members race for one. */
  changeUsername(user: UserRow, username: string): UserRow {
    if (user.username === username) return user;
    const reserved = checkReservedName(username);
    if (reserved) assertFields({ username: reserved });
    const taken = () =>
      new AppError(409, 'USERNAME_TAKEN', `@${username} is taken. Choose another username.`, {
        issues: [{ path: '/username', code: 'username_taken', message: 'Taken by another member.' }],
      });
    if (findUserByUsername(this.db, username)) throw taken();
    try {
      return updateUser(this.db, user.id, { username, updatedAt: this.clock.now() });
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'SQLITE_CONSTRAINT_UNIQUE') throw taken();
      throw error;
    }
  }

  /**
   * Changing the password ends every other session: whoever else held one is out. The current
   * password check is throttled like a sign-in and counts with them (sign-in-guard.ts): a stolen
   * session must not be a faster way to guess the password.
   */
  async changePassword(
    user: UserRow,
    current: SessionRow,
    input: ChangePasswordBody,
    from: SessionMeta & { deviceToken: string | undefined },
  ): Promise<void> {
    const attempt = {
      email: user.email,
      ip: from.ip,
      knownDevice: isKnownDevice(this.db, user.id, from.deviceToken, this.clock.now(), this.devices),
    };
    this.guard.assertMayTry(attempt, 'password');
    if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
      this.guard.recordFailure(attempt);
      throw new AppError(401, 'INVALID_CREDENTIALS', 'Your current password is not correct.', {
        issues: [
          { path: '/currentPassword', code: 'password_incorrect', message: 'Your current password is not correct.' },
        ],
      });
    }
    this.guard.recordSuccess(attempt);
    // The right current password is this form's re-authentication (reauth.ts): it renews the
    // confirmation instead of asking for the password twice.
    markReauthenticated(this.db, current, this.clock.now());
    assertFields({
      newPassword: checkPasswordPolicy(input.newPassword, {
        email: user.email,
        displayName: user.displayName,
        username: user.username,
      }),
    });
    const passwordHash = await hashPassword(input.newPassword);
    const now = this.clock.now();
    this.db.transaction((tx) => {
      updateUser(tx, user.id, { passwordHash, updatedAt: now });
      invalidateUserSessions(tx, user.id, current.id);
      spendRecoveryLinks(tx, user.id, now);
      tx.delete(signInChallenges).where(eq(signInChallenges.userId, user.id)).run();
      recordSecurityEvent(tx, { userId: user.id, kind: 'password_changed', meta: from }, now);
      enqueueMail(
        tx,
        {
          to: user.email,
          locale: user.locale,
          template: 'password_changed_notice',
          params: { name: user.displayName, time: now, resetLink: this.links.forgotPassword() },
        },
        now,
      );
    });
  }

  listSessions(user: UserRow, current: SessionRow): SessionInfo[] {
    return listUserSessions(this.db, user.id).map((s) => ({
      id: s.id,
      current: s.id === current.id,
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      expiresAt: sessionExpiresAt(s, this.policy).toISOString(),
      userAgent: s.userAgent,
      ip: s.ip,
    }));
  }

  /** Ends one of the user's own sessions. Someone else's id is "not found", never "forbidden". */
  endSession(user: UserRow, sessionId: string): void {
    if (!invalidateUserSession(this.db, user.id, sessionId)) throw notFound('That session');
  }

  /** Ends every other session; recorded when there were any. */
  endOtherSessions(user: UserRow, current: SessionRow, meta: SessionMeta): number {
    const now = this.clock.now();
    return this.db.transaction((tx) => {
      const ended = invalidateUserSessions(tx, user.id, current.id);
      spendRecoveryLinks(tx, user.id, now);
      if (ended > 0) {
        recordSecurityEvent(
          tx,
          { userId: user.id, kind: 'sessions_ended', meta, detail: { count: String(ended) } },
          now,
        );
      }
      return ended;
    });
  }
}

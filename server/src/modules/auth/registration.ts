/**
 * Registration and address verification. Registering answers the same whether or not the address
 * already has an account (the same work is done: fields checked, password hashed, one email
 * queued): a new account is created unverified and receives a verification link; the owner of an
 * existing one is told that someone tried to register with it. Opening the link verifies the
 * address and, when nobody is signed in on that browser and the account has no second factor,
 * signs it in.
 */
import { randomUUID } from 'node:crypto';
import { mailOutbox, type Db, type DbOrTx, type UserRow } from '@lexforum/db';
import { checkEmail, DEFAULT_LOCALE, type Locale, type RegisterBody } from '@lexforum/shared';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.js';
import { AppError, assertFields } from '../../lib/errors.js';
import { assertNameStillFree, displayNameShapeProblem, storedName } from '../../lib/names/name-rules.js';
import type { MailLinks } from '../mail/links.js';
import { enqueueMail } from '../mail/outbox.js';
import { recordSecurityEvent } from '../security/security-events.js';
import { findUserByEmail, insertUser, isUniqueEmailViolation, updateUser } from '../users/users.repository.js';
import { checkEmailToken, countRecentTokens, issueEmailToken, spendEmailToken } from './email-tokens.js';
import { finishSignIn, type SignedIn } from './finish-sign-in.js';
import type { KnownDevicePolicy } from './known-devices.js';
import { checkPasswordPolicy, hashPassword } from './password.js';
import type { SessionMeta } from './session.js';

/** "Someone tried to register with your address" goes to one address at most this often. */
const EXISTING_ACCOUNT_NOTICE_MS = 60 * 60_000;
/** Verification links a signed-in account may ask for again: one a minute, five an hour. */
const RESEND_MIN_INTERVAL_MS = 60_000;
const RESENDS_PER_HOUR = 5;

export interface VerifyResult {
  user: UserRow;
  /** Set when this browser was signed in by the link. */
  signedIn: SignedIn | null;
}

export class RegistrationService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly links: MailLinks,
    private readonly devices: KnownDevicePolicy,
  ) {}

  /**
   * The account keeps the interface language the applicant registered in (`browserLocale`: the
   * best match of Accept-Language when the body names none), so its emails and its next device
   * open in it too.
   */
  async register(input: RegisterBody, browserLocale?: Locale | null): Promise<void> {
    const { email } = input;
    assertFields({
      email: checkEmail(email),
      displayName: displayNameShapeProblem(input.displayName),
      password: checkPasswordPolicy(input.password, { email, displayName: input.displayName }),
    });
    // Names are public and checked for every registration alike, so a refusal about the name
    // says nothing about the address.
    const name = storedName(input.displayName);
    assertNameStillFree(this.db, name, null);
    // Hashed in both cases, so the answer takes as long whether or not the address is known.
    const passwordHash = await hashPassword(input.password);
    const now = this.clock.now();
    try {
      this.db.transaction((tx) => {
        const existing = findUserByEmail(tx, email);
        if (existing) {
          this.noticeExistingAccount(tx, existing, now);
          return;
        }
        assertNameStillFree(tx, name, null);
        const user = insertUser(tx, {
          id: randomUUID(),
          email: email.trim(),
          displayName: name.displayName,
          passwordHash,
          role: 'applicant',
          status: 'active',
          locale: input.locale ?? browserLocale ?? DEFAULT_LOCALE,
          emailVerifiedAt: null,
          createdAt: now,
          updatedAt: now,
        });
        this.sendVerification(tx, user, now);
      });
    } catch (error) {
      // Two registrations racing for one address: the unique index decides, and the loser gets
      // the same answer as everyone else.
      if (!isUniqueEmailViolation(error)) throw error;
    }
  }

  /** A new verification link for a signed-in account whose address is not verified yet. */
  resendVerification(user: UserRow): void {
    if (user.emailVerifiedAt) {
      throw new AppError(409, 'INVALID_STATE', 'Your email address is already verified.');
    }
    const now = this.clock.now();
    const lastMinute = countRecentTokens(
      this.db,
      user.id,
      'verify_email',
      new Date(now.getTime() - RESEND_MIN_INTERVAL_MS),
    );
    const lastHour = countRecentTokens(this.db, user.id, 'verify_email', new Date(now.getTime() - 3600_000));
    if (lastMinute > 0 || lastHour >= RESENDS_PER_HOUR) {
      const wait = lastMinute > 0 ? RESEND_MIN_INTERVAL_MS : 3600_000;
      throw new AppError(429, 'RATE_LIMITED', 'A link was sent a moment ago. Check your inbox, or try again later.', {
        retryAfterSeconds: Math.ceil(wait / 1000),
      });
    }
    this.db.transaction((tx) => this.sendVerification(tx, user, now));
  }

  /**
   * Verifies the address the link was sent to (if the account still has it). Signs this browser
   * in when nobody is signed in on it, the account has no second factor and is not suspended.
   */
  verify(token: string, signedInAs: UserRow | null, meta: SessionMeta, deviceToken?: string): VerifyResult {
    const now = this.clock.now();
    return this.db.transaction((tx) => {
      const { row, user } = checkEmailToken(tx, token, 'verify_email', now);
      // The account changed its address since: this link proves nothing about the current one.
      if (row.email.toLowerCase() !== user.email.toLowerCase()) {
        throw new AppError(400, 'LINK_INVALID', 'This link was sent to an address the account no longer uses.');
      }
      spendEmailToken(tx, row, now);
      const verified = user.emailVerifiedAt ? user : updateUser(tx, user.id, { emailVerifiedAt: now, updatedAt: now });
      if (!user.emailVerifiedAt) recordSecurityEvent(tx, { userId: user.id, kind: 'email_verified', meta }, now);
      const maySignIn = signedInAs === null && !verified.secondFactor && verified.status === 'active';
      const signedIn = maySignIn ? finishSignIn(tx, verified, meta, deviceToken, this.devices, this.links, now) : null;
      return { user: verified, signedIn };
    });
  }

  private sendVerification(tx: DbOrTx, user: UserRow, now: Date): void {
    const { token } = issueEmailToken(tx, { userId: user.id, purpose: 'verify_email', email: user.email }, now);
    enqueueMail(
      tx,
      {
        to: user.email,
        locale: user.locale,
        template: 'verify_email',
        params: { name: user.displayName, link: this.links.verifyEmail(token) },
      },
      now,
    );
  }

  private noticeExistingAccount(tx: DbOrTx, user: UserRow, now: Date): void {
    const recent = tx
      .select({ n: sql<number>`count(*)` })
      .from(mailOutbox)
      .where(
        and(
          eq(mailOutbox.template, 'register_existing_account'),
          sql`lower(${mailOutbox.toAddress}) = lower(${user.email})`,
          gt(mailOutbox.createdAt, new Date(now.getTime() - EXISTING_ACCOUNT_NOTICE_MS)),
        ),
      )
      .get();
    if ((recent?.n ?? 0) > 0) return;
    enqueueMail(
      tx,
      {
        to: user.email,
        locale: user.locale,
        template: 'register_existing_account',
        params: {
          name: user.displayName,
          signInLink: this.links.signIn(),
          resetLink: this.links.forgotPassword(),
        },
      },
      now,
    );
  }
}

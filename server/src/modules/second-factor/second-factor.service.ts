/**
 * The member's own second factors: enrolling TOTP (a key shown, then confirmed by one code),
 * removing it, and making a new set of recovery codes. Each change is one transaction with its
 * security event and the `users.second_factor` flag refreshed. Re-authentication is checked by the
 * routes (requireRecentAuth) before these run.
 */
import { users, webauthnCredentials, type Db, type DbOrTx, type UserRow } from '@lexforum/db';
import type { RecoveryCodes, TotpSetup } from '@lexforum/shared';
import { decodeHex, encodeHexLowerCase } from '@oslojs/encoding';
import { eq, sql } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { RequestAuth } from '../../plugins/auth.js';
import type { SessionMeta } from '../auth/session.js';
import { dropSessionChallenge, keepSessionChallenge, readSessionChallenge } from '../auth/session-challenges.js';
import { recordSecurityEvent } from '../security/security-events.js';
import { deleteRecoveryCodes, firstRecoveryCodes, issueRecoveryCodes } from './recovery-codes.js';
import { needsSecondFactor, refreshSecondFactorFlag } from './second-factor-state.js';
import { generateTotpKey, matchTotpCode, totpSecret, totpUri } from './totp.js';
import { invalidCode } from './verify-code.js';

/** How long a key shown for enrolment waits for its confirming code. */
export const TOTP_SETUP_MINUTES = 15;

function passkeyCount(db: DbOrTx, userId: string): number {
  const row = db
    .select({ n: sql<number>`count(*)` })
    .from(webauthnCredentials)
    .where(eq(webauthnCredentials.userId, userId))
    .get();
  return row?.n ?? 0;
}

export class SecondFactorService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** A new key, kept unconfirmed for this session until a code from it comes back. */
  setupTotp({ user, session }: RequestAuth): TotpSetup {
    if (user.totpKey) {
      throw new AppError(
        409,
        'INVALID_STATE',
        'An authenticator app is already set up. Remove it first to set up another.',
      );
    }
    const key = generateTotpKey();
    keepSessionChallenge(this.db, session, 'totp_setup', encodeHexLowerCase(key), this.clock.now(), TOTP_SETUP_MINUTES);
    return { secret: totpSecret(key), uri: totpUri(key, user.email) };
  }

  /**
   * The code proves the app holds the key: it becomes the account's. The first factor of an
   * account also makes its recovery codes (returned once; empty when unused ones already exist).
   */
  confirmTotp({ user, session }: RequestAuth, code: string, meta: SessionMeta): RecoveryCodes {
    if (user.totpKey) throw new AppError(409, 'INVALID_STATE', 'An authenticator app is already set up.');
    const now = this.clock.now();
    const pending = readSessionChallenge(this.db, session, 'totp_setup', now);
    if (!pending) {
      throw new AppError(409, 'INVALID_STATE', 'This setup has expired. Start again to get a new key.');
    }
    const key = decodeHex(pending);
    const match = matchTotpCode(key, code, now, null);
    if (!match.ok) throw invalidCode('totp');
    return this.db.transaction((tx) => {
      dropSessionChallenge(tx, session, 'totp_setup');
      tx.update(users)
        .set({ totpKey: Buffer.from(key), totpEnabledAt: now, totpLastStep: match.step, updatedAt: now })
        .where(eq(users.id, user.id))
        .run();
      refreshSecondFactorFlag(tx, user.id);
      recordSecurityEvent(tx, { userId: user.id, kind: 'totp_enabled', meta }, now);
      return { codes: firstRecoveryCodes(tx, user.id, meta, now) };
    });
  }

  /** Staff keep at least one factor: their last one cannot be removed (LAST_SECOND_FACTOR). */
  disableTotp(user: UserRow, meta: SessionMeta): void {
    if (!user.totpKey) throw new AppError(409, 'INVALID_STATE', 'No authenticator app is set up.');
    const now = this.clock.now();
    this.db.transaction((tx) => {
      const passkeys = passkeyCount(tx, user.id);
      if (passkeys === 0 && needsSecondFactor({ role: user.role, secondFactor: false })) {
        throw new AppError(
          409,
          'LAST_SECOND_FACTOR',
          'Moderators and administrators must keep a second factor. Add a passkey before removing the authenticator app.',
        );
      }
      tx.update(users)
        .set({ totpKey: null, totpEnabledAt: null, totpLastStep: null, updatedAt: now })
        .where(eq(users.id, user.id))
        .run();
      // With no factor left, recovery codes would stand in for nothing.
      if (passkeys === 0) deleteRecoveryCodes(tx, user.id);
      refreshSecondFactorFlag(tx, user.id);
      recordSecurityEvent(tx, { userId: user.id, kind: 'totp_disabled', meta }, now);
    });
  }

  /** A new set of recovery codes; the old ones stop working at once. */
  regenerateRecoveryCodes(user: UserRow, meta: SessionMeta): RecoveryCodes {
    if (!user.secondFactor) {
      throw new AppError(
        409,
        'INVALID_STATE',
        'Set up an authenticator app or a passkey before making recovery codes.',
      );
    }
    const now = this.clock.now();
    return this.db.transaction((tx) => ({ codes: issueRecoveryCodes(tx, user.id, meta, now) }));
  }
}

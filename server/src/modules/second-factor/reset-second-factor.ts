/**
 * Losing every factor: an administrator (or, for the last administrator, the
 * `lexforum reset-second-factor` command) removes a member's TOTP key, recovery codes and passkeys
 * and ends their sessions, in one transaction with the security event (and so the audit entry).
 * The member is emailed, then signs in with the password alone and, if staff, is asked to enrol
 * again.
 */
import { authChallenges, sessions, signInChallenges, users, webauthnCredentials, type DbOrTx } from '@lexforum/db';
import { eq } from 'drizzle-orm';
import type { SessionMeta } from '../auth/session.js';
import type { MailLinks } from '../mail/links.js';
import { enqueueMail } from '../mail/outbox.js';
import { recordSecurityEvent } from '../security/security-events.js';
import { deleteRecoveryCodes } from './recovery-codes.js';
import { refreshSecondFactorFlag } from './second-factor-state.js';
import { spendRecoveryLinks } from '../auth/email-tokens.js';

export interface SecondFactorReset {
  sessionsEnded: number;
}

export function resetSecondFactor(
  tx: DbOrTx,
  userId: string,
  actor: { id: string; meta: SessionMeta } | null,
  links: MailLinks,
  now: Date,
): SecondFactorReset {
  const user = tx.select().from(users).where(eq(users.id, userId)).get();
  if (!user) return { sessionsEnded: 0 };
  tx.update(users)
    .set({ totpKey: null, totpEnabledAt: null, totpLastStep: null, updatedAt: now })
    .where(eq(users.id, userId))
    .run();
  deleteRecoveryCodes(tx, userId);
  tx.delete(webauthnCredentials).where(eq(webauthnCredentials.userId, userId)).run();
  tx.delete(authChallenges).where(eq(authChallenges.userId, userId)).run();
  tx.delete(signInChallenges).where(eq(signInChallenges.userId, userId)).run();
  refreshSecondFactorFlag(tx, userId);
  spendRecoveryLinks(tx, userId, now);
  const sessionsEnded = tx.delete(sessions).where(eq(sessions.userId, userId)).run().changes;
  recordSecurityEvent(
    tx,
    {
      userId,
      kind: 'second_factor_reset',
      meta: actor?.meta ?? null,
      actorId: actor?.id ?? null,
      detail: { sessionsEnded: String(sessionsEnded), by: actor ? 'admin' : 'command' },
    },
    now,
  );
  // The member hears of it by email, whoever did it: if it was not at their request, they act.
  enqueueMail(
    tx,
    {
      to: user.email,
      locale: user.locale,
      template: 'second_factor_reset_notice',
      params: { name: user.displayName, time: now, link: links.accountSecurity() },
    },
    now,
  );
  return { sessionsEnded };
}

/**
 * Re-authentication: changing the password, the email or the factors, ending other sessions and
 * every administrator action need the password (or a second factor) confirmed in the last
 * REAUTH_WINDOW_MINUTES. Sign-in counts as a confirmation; `POST /api/auth/reauth` renews it. A
 * stale session gets 403 REAUTH_REQUIRED naming the ways it may confirm, and the client asks in
 * place and retries.
 */
import { sessions, type DbOrTx, type SessionRow, type UserRow } from '@lexforum/db';
import { REAUTH_WINDOW_MINUTES, type ReauthRequiredDetails } from '@lexforum/shared';
import { eq } from 'drizzle-orm';
import { secondFactorMethods } from '../second-factor/sign-in-methods.js';
import { AppError } from '../../lib/errors.js';
import { requireAuth, type RequestAuth } from '../../plugins/auth.js';
import type { FastifyRequest } from 'fastify';

const WINDOW_MS = REAUTH_WINDOW_MINUTES * 60_000;

export function reauthUntil(session: Pick<SessionRow, 'reauthAt' | 'createdAt'>): Date {
  return new Date((session.reauthAt ?? session.createdAt).getTime() + WINDOW_MS);
}

/** The ways this user can confirm who they are: the password, or any second factor the account has. */
export function reauthMethods(db: DbOrTx, user: UserRow): ReauthRequiredDetails['methods'] {
  return ['password', ...(user.secondFactor ? secondFactorMethods(db, user) : [])];
}

/** Throws 403 REAUTH_REQUIRED unless the session confirmed its user in the last window. */
export function assertRecentAuth(db: DbOrTx, auth: RequestAuth, now: Date): void {
  if (now.getTime() < reauthUntil(auth.session).getTime()) return;
  const details: ReauthRequiredDetails = { methods: reauthMethods(db, auth.user) };
  throw new AppError(
    403,
    'REAUTH_REQUIRED',
    `Confirm it is you: enter your password again (this is asked at most every ${REAUTH_WINDOW_MINUTES} minutes before sensitive changes).`,
    details,
  );
}

/** `requireAuth` plus a recent confirmation: the guard of every sensitive route. */
export function requireRecentAuth(request: FastifyRequest, db: DbOrTx, now: Date): RequestAuth {
  const auth = requireAuth(request);
  assertRecentAuth(db, auth, now);
  return auth;
}

/** Records a confirmation of identity on this session (right password or second factor). */
export function markReauthenticated(db: DbOrTx, session: SessionRow, now: Date): void {
  db.update(sessions).set({ reauthAt: now }).where(eq(sessions.id, session.id)).run();
  session.reauthAt = now;
}

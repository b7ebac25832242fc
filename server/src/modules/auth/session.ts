/**
 * Sessions after the Lucia guide (the `lucia` package is deprecated; its author now publishes
 * the design instead). A token is `<id>.<secret>`: the id finds the row, the secret proves
 * possession. Only SHA-256(secret) is stored, compared in constant time, so a leaked database
 * yields no usable token. Two clocks end a session: an idle timeout (no use for N seconds) and an
 * absolute lifetime (N seconds after sign-in, however active).
 */
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { sessions, users, type DbOrTx, type SessionRow, type UserRow } from '@lexforum/db';
import { and, eq, ne, sql } from 'drizzle-orm';
import { prepared } from '../../lib/prepared.js';

export interface SessionPolicy {
  idleTimeoutSeconds: number;
  maxAgeSeconds: number;
}

export interface SessionMeta {
  userAgent: string | null;
  ip: string | null;
}

export interface ValidatedSession {
  session: SessionRow;
  user: UserRow;
}

/** `lastSeenAt` is written at most this often, so a busy reader does not write on every request. */
const ACTIVITY_WRITE_INTERVAL_MS = 60_000;

/** 120 bits for the id (a lookup key, not a secret); 256 bits for the secret. */
const ID_BYTES = 15;
const SECRET_BYTES = 32;

function generateSecureRandomString(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return encodeBase32LowerCaseNoPadding(buffer);
}

function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

export function createSession(
  db: DbOrTx,
  userId: string,
  meta: SessionMeta,
  now: Date,
): { session: SessionRow; token: string } {
  const id = generateSecureRandomString(ID_BYTES);
  const secret = generateSecureRandomString(SECRET_BYTES);
  const session: SessionRow = {
    id,
    userId,
    secretHash: Buffer.from(hashSecret(secret)),
    createdAt: now,
    lastSeenAt: now,
    userAgent: meta.userAgent?.slice(0, 512) ?? null,
    ip: meta.ip,
    reauthAt: now,
  };
  db.insert(sessions).values(session).run();
  return { session, token: `${id}.${secret}` };
}

/** When a session ends if left alone: the earlier of its idle and absolute deadlines. */
export function sessionExpiresAt(session: Pick<SessionRow, 'createdAt' | 'lastSeenAt'>, policy: SessionPolicy): Date {
  const idle = session.lastSeenAt.getTime() + policy.idleTimeoutSeconds * 1000;
  const absolute = session.createdAt.getTime() + policy.maxAgeSeconds * 1000;
  return new Date(Math.min(idle, absolute));
}

/**
 * Returns the session and its user, or null for a malformed, unknown, expired or forged token.
 * An expired session is deleted on sight; an active one has its `lastSeenAt` refreshed.
 */
export function validateSessionToken(
  db: DbOrTx,
  token: string,
  now: Date,
  policy: SessionPolicy,
): ValidatedSession | null {
  const parts = token.split('.');
  if (parts.length !== 2) return null;
  const [id, secret] = parts as [string, string];
  if (id.length === 0 || id.length > 64 || secret.length === 0 || secret.length > 128) return null;

  const row = prepared(db, 'session.lookup', () =>
    db
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.id, sql.placeholder('id')))
      .prepare(),
  ).get({ id });
  if (!row) return null;

  if (!constantTimeEqual(hashSecret(secret), new Uint8Array(row.session.secretHash))) return null;

  if (now.getTime() >= sessionExpiresAt(row.session, policy).getTime()) {
    invalidateSession(db, id);
    return null;
  }

  if (now.getTime() - row.session.lastSeenAt.getTime() >= ACTIVITY_WRITE_INTERVAL_MS) {
    db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id)).run();
    row.session.lastSeenAt = now;
  }
  return row;
}

export function invalidateSession(db: DbOrTx, sessionId: string): void {
  db.delete(sessions).where(eq(sessions.id, sessionId)).run();
}

/** Ends one session if it belongs to `userId`; false when the user has no such session. */
export function invalidateUserSession(db: DbOrTx, userId: string, sessionId: string): boolean {
  return (
    db
      .delete(sessions)
      .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)))
      .run().changes > 0
  );
}

/** Ends every session of a user, or every one but `exceptSessionId`. Returns how many ended. */
export function invalidateUserSessions(db: DbOrTx, userId: string, exceptSessionId?: string): number {
  const where = exceptSessionId
    ? and(eq(sessions.userId, userId), ne(sessions.id, exceptSessionId))
    : eq(sessions.userId, userId);
  return db.delete(sessions).where(where).run().changes;
}

export function listUserSessions(db: DbOrTx, userId: string): SessionRow[] {
  return db
    .select()
    .from(sessions)
    .where(eq(sessions.userId, userId))
    .orderBy(sql`${sessions.lastSeenAt} desc`)
    .all();
}

/** Removes sessions past either deadline; run periodically so the table does not grow forever. */
export function deleteExpiredSessions(db: DbOrTx, now: Date, policy: SessionPolicy): number {
  const nowMs = now.getTime();
  return db
    .delete(sessions)
    .where(
      sql`${sessions.lastSeenAt} <= ${nowMs - policy.idleTimeoutSeconds * 1000} or ${sessions.createdAt} <= ${
        nowMs - policy.maxAgeSeconds * 1000
      }`,
    )
    .run().changes;
}

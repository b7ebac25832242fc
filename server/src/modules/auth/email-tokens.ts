/**
 * The secrets of email links (address verification, address change, password reset). A link
 * carries `<id>.<secret>`; only SHA-256 of the secret is stored, compared in constant time. Each
 * is single use (spent by a conditional UPDATE in the transaction that acts on it), expires after
 * EMAIL_LINK_HOURS of its purpose, and a new link of a purpose spends the account's older ones.
 */
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { emailTokens, users, type DbOrTx, type EmailTokenRow, type UserRow } from '@lexforum/db';
import { EMAIL_LINK_HOURS, type EmailTokenPurpose } from '@lexforum/shared';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { AppError } from '../../lib/errors.js';

function randomString(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return encodeBase32LowerCaseNoPadding(buffer);
}

const hash = (secret: string) => sha256(new TextEncoder().encode(secret));

export const linkInvalid = () =>
  new AppError(400, 'LINK_INVALID', 'This link is not valid. Check that it was copied in full, or ask for a new one.');
export const linkExpired = () => new AppError(410, 'LINK_EXPIRED', 'This link has expired. Ask for a new one.');
export const linkUsed = () =>
  new AppError(
    410,
    'LINK_USED',
    'This link has already been used, or a newer one was sent. Ask for a new one if needed.',
  );

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/** A new link for `purpose`, spending the account's earlier links of that purpose. */
export function issueEmailToken(
  tx: DbOrTx,
  input: { userId: string; purpose: EmailTokenPurpose; email: string },
  now: Date,
): IssuedToken {
  spendEmailTokens(tx, input.userId, input.purpose, now);
  const id = randomString(15);
  const secret = randomString(32);
  const expiresAt = new Date(now.getTime() + EMAIL_LINK_HOURS[input.purpose] * 3600_000);
  tx.insert(emailTokens)
    .values({
      id,
      userId: input.userId,
      purpose: input.purpose,
      secretHash: Buffer.from(hash(secret)),
      email: input.email,
      createdAt: now,
      expiresAt,
      usedAt: null,
    })
    .run();
  return { token: `${id}.${secret}`, expiresAt };
}

/** Every unused link of `purpose` of the account stops working. */
export function spendEmailTokens(tx: DbOrTx, userId: string, purpose: EmailTokenPurpose, now: Date): void {
  tx.update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)))
    .run();
}

/**
 * Voids the account's outstanding address-change and password-reset links. Called by everything a
 * member does to take an account back (a password reset or change, ending other sessions, a factor
 * reset) and by suspension, so a link an intruder requested cannot outlive the recovery.
 */
export function spendRecoveryLinks(tx: DbOrTx, userId: string, now: Date): void {
  spendEmailTokens(tx, userId, 'change_email', now);
  spendEmailTokens(tx, userId, 'reset_password', now);
}

export interface ValidToken {
  row: EmailTokenRow;
  user: UserRow;
}

/**
 * The link's token and account, or LINK_INVALID (malformed, unknown, forged, another purpose),
 * LINK_USED, LINK_EXPIRED. Does not spend it: `spendEmailToken` does, in the acting transaction.
 */
export function checkEmailToken(db: DbOrTx, token: string, purpose: EmailTokenPurpose, now: Date): ValidToken {
  const [id, secret, ...rest] = token.trim().split('.');
  if (!id || !secret || rest.length > 0 || id.length > 64 || secret.length > 128) throw linkInvalid();
  const found = db
    .select({ row: emailTokens, user: users })
    .from(emailTokens)
    .innerJoin(users, eq(users.id, emailTokens.userId))
    .where(eq(emailTokens.id, id))
    .get();
  if (!found || found.row.purpose !== purpose) throw linkInvalid();
  if (!constantTimeEqual(hash(secret), new Uint8Array(found.row.secretHash))) throw linkInvalid();
  if (found.row.usedAt) throw linkUsed();
  if (now.getTime() >= found.row.expiresAt.getTime()) throw linkExpired();
  return found;
}

/** Spends a checked token; LINK_USED when another request spent it first. */
export function spendEmailToken(tx: DbOrTx, row: EmailTokenRow, now: Date): void {
  const spent = tx
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.id, row.id), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, now)))
    .run();
  if (spent.changes !== 1) throw linkUsed();
}

/** Links of `purpose` issued to the account since `since` (for throttling resends). */
export function countRecentTokens(db: DbOrTx, userId: string, purpose: EmailTokenPurpose, since: Date): number {
  const row = db
    .select({ n: sql<number>`count(*)` })
    .from(emailTokens)
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), gt(emailTokens.createdAt, since)))
    .get();
  return row?.n ?? 0;
}
